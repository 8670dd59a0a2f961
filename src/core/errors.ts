/**
 * The one error model of the core. A domain error carries the Excel error code that a
 * cell should show and a message that names the argument and the rule it broke, so the
 * same failure reads the same in a cell, in the task pane and on the command line.
 *
 * Codes follow Excel's meaning:
 * - `#VALUE!`  an argument is of the wrong kind or outside its allowed range;
 * - `#NUM!`    the arguments are valid but the quantity does not exist (a sum that diverges);
 * - `#DIV/0!`  a ratio whose denominator is zero;
 * - `#N/A`     a value that is not available (a payback that never happens).
 */
export type ExcelErrorCode = "#VALUE!" | "#NUM!" | "#DIV/0!" | "#N/A";

export class LifetimeError extends Error {
  readonly code: ExcelErrorCode;

  constructor(code: ExcelErrorCode, message: string) {
    super(message);
    this.name = "LifetimeError";
    this.code = code;
  }
}

export const invalidValue = (message: string): LifetimeError => new LifetimeError("#VALUE!", message);
export const notANumber = (message: string): LifetimeError => new LifetimeError("#NUM!", message);
export const divisionByZero = (message: string): LifetimeError => new LifetimeError("#DIV/0!", message);
export const notAvailable = (message: string): LifetimeError => new LifetimeError("#N/A", message);

/** Shows a user's number the way they would recognise it in a message. */
export function describeNumber(value: number): string {
  if (Number.isNaN(value)) return "not a number";
  if (!Number.isFinite(value)) return value > 0 ? "infinity" : "minus infinity";
  return String(Number(value.toPrecision(12)));
}

/**
 * A count with thousands separators, "2,357", for messages. Not toLocaleString: its first
 * call loads the locale data (about 20 ms), which a fit would add to the first call a user waits for.
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return describeNumber(value);
  const [whole, fraction] = String(Math.abs(value)).split(".") as [string, string | undefined];
  if (whole.includes("e")) return String(value);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}
