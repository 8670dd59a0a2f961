/**
 * A cell's value as the preview shows it, through the number formats plans use: "0.00%",
 * "#,##0.00", "0.0000", "@", and the date formats Excel users type (serial numbers of the
 * 1900 date system, as Excel and the preview's engine count them).
 */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function dateText(serial: number, format: string): string {
  const date = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
  const y = String(date.getUTCFullYear());
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  const two = (n: number) => String(n).padStart(2, "0");
  return format
    .replace(/yyyy/i, y)
    .replace(/mmm/i, MONTHS[m - 1] as string)
    .replace(/mm/i, two(m))
    .replace(/dd/i, two(d))
    .replace(/(^|[^A-Za-z])m(?![A-Za-z])/i, `$1${m}`)
    .replace(/(^|[^A-Za-z])d(?![A-Za-z])/i, `$1${d}`);
}

export function displayText(value: unknown, format: string | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && "value" in (value as object)) return String((value as { value: unknown }).value); // #VALUE! and friends
  if (typeof value !== "number") return String(value);
  if (format && /y|d|mmm|m\/|\/m|-m|m-/i.test(format) && !format.includes("#")) return dateText(value, format);
  if (format?.endsWith("%")) return `${(value * 100).toFixed((format.split(".")[1] ?? "").replace("%", "").length)}%`;
  if (format?.includes("#,##0")) return value.toLocaleString("en-US", { minimumFractionDigits: (format.split(".")[1] ?? "").length, maximumFractionDigits: (format.split(".")[1] ?? "").length });
  if (format && /^0(\.0+)?$/.test(format)) return value.toFixed((format.split(".")[1] ?? "").length);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
}
