/**
 * The values the preview's formula engine computes with, as Excel has them: numbers, text,
 * TRUE and FALSE, the empty cell, errors (each with a message saying what went wrong),
 * references to cells, and 2-D arrays. Also how Excel turns one kind into another: text
 * typed into a cell, text in arithmetic, numbers in text, and comparisons.
 */

/** Excel's error values, and #ERROR! for a formula that cannot be read. */
export const ERROR_CODES = ["#N/A", "#VALUE!", "#DIV/0!", "#NUM!", "#REF!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!", "#ERROR!"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error value: `value` is the code a cell shows ("#VALUE!"), `message` what went wrong ("" when Excel says nothing). */
export class CellError {
  constructor(
    readonly value: ErrorCode,
    readonly message = "",
  ) {}
}

/** One cell's value; `null` is the empty cell. */
export type Scalar = number | string | boolean | null | CellError;

/** A 2-D array of values, row by row, every row as long. */
export type Matrix = Scalar[][];

/** Excel's grid: 1,048,576 rows × 16,384 columns. */
export const MAX_ROWS = 1_048_576;
/** Columns A to XFD. */
export const MAX_COLUMNS = 16_384;

/** A rectangle of cells on a sheet, 0-based and inclusive. */
export interface Rect {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** A reference to a rectangle of cells on a sheet (by id), as formulas pass ranges around before reading them. */
export class Ref implements Rect {
  readonly rows: number;
  readonly columns: number;

  constructor(
    readonly sheet: number,
    readonly top: number,
    readonly left: number,
    readonly bottom: number,
    readonly right: number,
  ) {
    this.rows = bottom - top + 1;
    this.columns = right - left + 1;
  }
}

/** What an expression evaluates to before it lands in a cell. */
export type Value = Scalar | Matrix | Ref;

/** What a cell holds as typed or written: a number, TRUE/FALSE, nothing, or text ("=…" a formula, "'…" text as it is). */
export type RawCellContent = number | string | boolean | null | undefined;

/** Whether a value is an array of values (rows of cells). */
export const isMatrix = (value: unknown): value is Matrix => Array.isArray(value);

/** The first error among a function's arguments (in a range or an array too), which Excel returns without calling the function. */
export function firstError(args: readonly (Scalar | Matrix | undefined)[]): CellError | undefined {
  for (const a of args) {
    if (a instanceof CellError) return a;
    if (isMatrix(a)) for (const row of a) for (const x of row) if (x instanceof CellError) return x;
  }
  return undefined;
}

/** The engine's errors with their usual messages. */
export const errors = {
  divisionByZero: () => new CellError("#DIV/0!", "division by zero"),
  notNumber: (text: string) => new CellError("#VALUE!", `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}" is not a number`),
  circular: () => new CellError("#REF!", "circular reference: the formula depends on its own result"),
  spill: (why: string) => new CellError("#SPILL!", why),
};

/** Days from Excel's day 0 (1899-12-30 in the 1900 date system, counting its phantom 29 February 1900) to a date. */
export function dateSerial(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const utc = Date.UTC(year, month - 1, day);
  const date = new Date(utc);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 1900 || year > 9999) return undefined;
  const serial = (utc - Date.UTC(1899, 11, 30)) / 86_400_000;
  return serial < 61 ? serial - 1 : serial;
}

/** A date as Excel reads one typed in: MM/DD/YYYY, MM/DD/YY (00–29 in the 2000s) or YYYY-MM-DD. */
function parseDate(text: string): number | undefined {
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(text);
  if (m) {
    const y = Number(m[3]);
    return dateSerial(m[3]!.length === 2 ? (y < 30 ? 2000 + y : 1900 + y) : y, Number(m[1]), Number(m[2]));
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  return m ? dateSerial(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

const NUMBER = /^[+-]?(?:\d+(?:,\d{3})*(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** A number as Excel reads it from text: "12", "-1.5e3", "1,000", "50%"; undefined for anything else. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  const percent = t.endsWith("%");
  const body = percent ? t.slice(0, -1).trim() : t;
  if (!NUMBER.test(body) || (body.includes(",") && !/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(body))) return undefined;
  const n = Number(body.replace(/,/g, ""));
  return Number.isFinite(n) ? (percent ? n / 100 : n) : undefined;
}

/** Text as Excel reads it typed into a cell: a number, a percentage, TRUE or FALSE, a date (flagged), an error, or text. */
export function parseEntry(text: string): { value: Scalar; date?: boolean } {
  const number = parseNumber(text);
  if (number !== undefined) return { value: number };
  const t = text.trim();
  const upper = t.toUpperCase();
  if (upper === "TRUE" || upper === "FALSE") return { value: upper === "TRUE" };
  const date = parseDate(t);
  if (date !== undefined) return { value: date, date: true };
  const code = ERROR_CODES.find((c) => c === upper);
  if (code && code !== "#ERROR!") return { value: new CellError(code) };
  return { value: text };
}

/** Text in arithmetic, as Excel takes it: numbers, percentages and dates; anything else is #VALUE!. */
export function textToNumber(text: string): number | CellError {
  const number = parseNumber(text);
  if (number !== undefined) return number;
  const date = parseDate(text.trim());
  return date ?? errors.notNumber(text);
}

/** A number as Excel writes it into text (=A1&""): up to 15 significant digits, scientific beyond. */
export function numberToText(n: number): string {
  if (n === 0) return "0";
  const p = Number(n.toPrecision(15));
  const abs = Math.abs(p);
  if (abs >= 1e15 || abs < 1e-9) {
    const [mantissa, exponent] = p.toExponential(14).split("e") as [string, string];
    const m = mantissa.replace(/\.?0+$/, "");
    const e = Number(exponent);
    return `${m}E${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (abs < 1e-6) return p.toFixed(20).replace(/\.?0+$/, "");
  return String(p);
}

/** A scalar as text, for & and the text functions; errors pass through. */
export function toText(value: Scalar): string | CellError {
  if (value instanceof CellError) return value;
  if (value === null) return "";
  if (typeof value === "number") return numberToText(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return value;
}

/** A scalar as a number for arithmetic: empty is 0, TRUE 1, text read as a number or #VALUE!. */
export function toNumber(value: Scalar): number | CellError {
  if (typeof value === "number") return value;
  if (value === null) return 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof CellError) return value;
  return textToNumber(value);
}

/** A scalar as TRUE or FALSE (IF's condition, NOT): numbers by being other than 0, "TRUE"/"FALSE" as text; other text is #VALUE!. */
export function toBoolean(value: Scalar): boolean | CellError {
  if (typeof value === "boolean") return value;
  if (value === null) return false;
  if (typeof value === "number") return value !== 0;
  if (value instanceof CellError) return value;
  const upper = value.trim().toUpperCase();
  if (upper === "TRUE" || upper === "FALSE") return upper === "TRUE";
  return new CellError("#VALUE!", `"${value}" is neither TRUE nor FALSE`);
}

/** A number result as a cell holds it: infinities and NaN are #NUM!. */
export const finite = (n: number): number | CellError => (Number.isFinite(n) ? n : new CellError("#NUM!", "the result is not a finite number"));

const rank = (v: number | string | boolean) => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);

/**
 * Compares two values as Excel's = < > do: numbers below text below FALSE below TRUE,
 * text without regard to case, an empty cell as 0, "" or FALSE beside the other side.
 * Negative, 0 or positive; errors are the caller's to handle first.
 */
export function compare(a: Exclude<Scalar, CellError>, b: Exclude<Scalar, CellError>): number {
  const empty = (other: Exclude<Scalar, CellError>) => (typeof other === "string" ? "" : typeof other === "boolean" ? false : 0);
  const x = a === null ? empty(b) : a;
  const y = b === null ? empty(a) : b;
  if (x === null || y === null) return 0;
  if (rank(x) !== rank(y)) return rank(x) - rank(y);
  if (typeof x === "string") {
    const l = x.toLowerCase();
    const r = (y as string).toLowerCase();
    return l < r ? -1 : l > r ? 1 : 0;
  }
  return Number(x) - Number(y);
}
