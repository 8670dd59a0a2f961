import { describeNumber, invalidValue, LifetimeError, type ExcelErrorCode } from "../core/errors";
import { seriesValueName, type PerPeriod } from "../core/clv";

/**
 * Turning what Excel passes into what the core takes. Excel passes numbers, strings,
 * booleans, `null` for an omitted optional argument (default parameter values never
 * apply), and `""` or `null` for an empty cell in an `any` argument; ranges arrive as
 * rows of such values. Anything else (an error value, an object) is refused by name.
 */

/** A cell or argument value as Excel hands it over. */
export type CellValue = unknown;

const isBlank = (value: CellValue): boolean => value === null || value === undefined || value === "";

function describeCell(value: CellValue): string {
  if (typeof value === "string") return `text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return describeNumber(value);
  if (Array.isArray(value)) return "a range";
  return "a value that is not a number";
}

function toNumber(name: string, value: CellValue): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalidValue(`${name} must be a finite number; got ${describeNumber(value)}`);
    return value;
  }
  if (Array.isArray(value)) {
    const rows = value as unknown[];
    if (rows.length === 1 && Array.isArray(rows[0]) && (rows[0] as unknown[]).length === 1) {
      return requiredNumber(name, (rows[0] as unknown[])[0]);
    }
    throw invalidValue(`${name} must be a single value, not a range`);
  }
  throw invalidValue(`${name} must be a number; got ${describeCell(value)}`);
}

/** A required number: an empty cell is refused rather than read as 0. */
export function requiredNumber(name: string, value: CellValue): number {
  if (isBlank(value)) throw invalidValue(`${name} is empty; enter a number`);
  return toNumber(name, value);
}

/** An optional number: omitted, `null` or an empty cell give `undefined`. */
export function optionalNumber(name: string, value: CellValue): number | undefined {
  return isBlank(value) ? undefined : toNumber(name, value);
}

/** An optional whole-number choice such as `timing` or `result`, mapped to its meaning. */
export function optionalChoice<T>(name: string, value: CellValue, choices: readonly T[], fallback: T): T {
  const n = optionalNumber(name, value);
  if (n === undefined) return fallback;
  const choice = Number.isInteger(n) ? choices[n] : undefined;
  if (choice === undefined) {
    throw invalidValue(`${name} must be ${choices.map((_, i) => i).join(", ").replace(/, (\d+)$/, " or $1")}; got ${describeNumber(n)}`);
  }
  return choice;
}

/**
 * A per-period argument: one number, or a one-row or one-column range of numbers, period 1
 * first. Empty cells at the end of the range are ignored, so a range may be selected
 * longer than the data; an empty cell among the values is refused, as is text.
 */
export function perPeriod(name: string, value: CellValue): PerPeriod {
  if (!Array.isArray(value)) return requiredNumber(name, value);
  const rows = value as unknown[];
  if (rows.length === 0 || !rows.every(Array.isArray)) throw invalidValue(`${name} must be a number or a range of numbers`);
  const height = rows.length;
  const width = (rows[0] as unknown[]).length;
  if (height > 1 && width > 1) {
    throw invalidValue(`${name} must be a single number, one row or one column; got a range of ${height} rows × ${width} columns`);
  }
  const cells: unknown[] = height === 1 ? (rows[0] as unknown[]) : rows.map((row) => (row as unknown[])[0]);
  let end = cells.length;
  while (end > 0 && isBlank(cells[end - 1])) end--;
  if (end === 0) throw invalidValue(`${name} is empty; enter a number or select cells with numbers`);
  if (end === 1 && cells.length === 1) return toNumber(name, cells[0]);
  const values = new Array<number>(end);
  for (let i = 0; i < end; i++) {
    const cell = cells[i];
    if (typeof cell === "number" && Number.isFinite(cell)) {
      values[i] = cell;
      continue;
    }
    const where = seriesValueName(name, i, end);
    if (isBlank(cell)) throw invalidValue(`${where} is empty; fill it or shorten the range`);
    values[i] = toNumber(where, cell);
  }
  return values;
}

/** The Excel error codes the core uses, as the custom-functions runtime names them. */
const ERROR_CODES: Record<ExcelErrorCode, CustomFunctions.ErrorCode> = {
  "#VALUE!": "#VALUE!" as CustomFunctions.ErrorCode,
  "#NUM!": "#NUM!" as CustomFunctions.ErrorCode,
  "#DIV/0!": "#DIV/0!" as CustomFunctions.ErrorCode,
  "#N/A": "#N/A" as CustomFunctions.ErrorCode,
};

/**
 * Runs a function body and maps any failure to a `CustomFunctions.Error`: a domain error
 * keeps its code and message; anything else (a defect) becomes `#VALUE!` with its message,
 * never an untyped exception. A result that is not a finite number is a defect too.
 */
export function evaluate<T extends number | number[][]>(body: () => T): T {
  try {
    const result = body();
    const finite = typeof result === "number" ? Number.isFinite(result) : result.every((row) => row.every(Number.isFinite));
    if (!finite) throw new LifetimeError("#NUM!", "the result is not a finite number");
    return result;
  } catch (error) {
    if (error instanceof CustomFunctions.Error) throw error;
    if (error instanceof LifetimeError) throw new CustomFunctions.Error(ERROR_CODES[error.code], error.message);
    const message = error instanceof Error ? error.message : String(error);
    throw new CustomFunctions.Error(ERROR_CODES["#VALUE!"], `could not compute: ${message}`);
  }
}
