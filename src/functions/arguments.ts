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

/** A list of numbers: one number, or a one-row or one-column range (as {@link perPeriod} reads it). */
export function numberList(name: string, value: CellValue): number[] {
  const v = perPeriod(name, value);
  return typeof v === "number" ? [v] : [...v];
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
  return evaluateTable(body) as T;
}

/** As {@link evaluate}, for spilled results that may hold empty cells (""). */
export function evaluateTable<T extends number | (number | string)[][]>(body: () => T): T {
  try {
    const result = body();
    const finite =
      typeof result === "number" ? Number.isFinite(result) : result.every((row) => row.every((v) => v === "" || (typeof v === "number" && Number.isFinite(v))));
    if (!finite) throw new LifetimeError("#NUM!", "the result is not a finite number");
    return result;
  } catch (error) {
    if (error instanceof CustomFunctions.Error) throw error;
    if (error instanceof LifetimeError) throw new CustomFunctions.Error(ERROR_CODES[error.code], error.message);
    const message = error instanceof Error ? error.message : String(error);
    throw new CustomFunctions.Error(ERROR_CODES["#VALUE!"], `could not compute: ${message}`);
  }
}

/** A cell of a parsed range: a number, or null for an empty cell. */
export type Cell = number | null;

/** Rows of cells as Excel passes a range; a single value becomes a 1×1 range. */
function rowsOf(name: string, value: CellValue): unknown[][] {
  if (!Array.isArray(value)) return [[value]];
  const rows = value as unknown[];
  if (rows.length === 0 || !Array.isArray(rows[0])) throw invalidValue(`${name} must be a number or a range of numbers`);
  const width = (rows[0] as unknown[]).length;
  // Plain loops: on the first call after a workbook opens, a callback per row of a long column costs more than the check.
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw invalidValue(`${name} must be a number or a range of numbers`);
    if (width === 0 || row.length !== width) throw invalidValue(`${name} must be a rectangular range`);
  }
  return rows as unknown[][];
}

const position = (rows: number, columns: number, r: number, c: number) =>
  rows > 1 && columns > 1 ? `row ${r + 1}, column ${c + 1}` : rows > 1 ? `row ${r + 1}` : columns > 1 ? `column ${c + 1}` : "";

/** A range of numbers and empty cells, each cell checked; text is refused naming its place. */
export function numberGrid(name: string, value: CellValue): Cell[][] {
  const rows = rowsOf(name, value);
  return rows.map((row, r) =>
    row.map((cell, c): Cell => {
      if (isBlank(cell)) return null;
      if (typeof cell === "number" && Number.isFinite(cell)) return cell;
      const where = position(rows.length, row.length, r, c);
      return toNumber(where ? `${name} (${where})` : name, cell);
    }),
  );
}

/**
 * A range (or one value) as one flat row-major array of numbers, NaN where a cell is empty,
 * with its shape: numberGrid without a per-cell allocation, for columns of a million rows.
 * `header`: a text first cell atop a longer single column reads as empty.
 */
export function flatNumbers(name: string, value: CellValue, header = false): { rows: number; columns: number; data: Float64Array } {
  const rows = rowsOf(name, value);
  const columns = (rows[0] as unknown[]).length;
  const data = new Float64Array(rows.length * columns);
  const skipFirst = header && rows.length > 1 && columns === 1 && typeof rows[0]![0] === "string" && (rows[0]![0] as string).trim() !== "";
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as unknown[];
    for (let c = 0; c < columns; c++) {
      const cell = row[c];
      const i = r * columns + c;
      if (typeof cell === "number" && Number.isFinite(cell)) data[i] = cell;
      else if (isBlank(cell as CellValue) || (skipFirst && i === 0)) data[i] = Number.NaN;
      else {
        const where = position(rows.length, columns, r, c);
        data[i] = toNumber(where ? `${name} (${where})` : name, cell as CellValue);
      }
    }
  }
  return { rows: rows.length, columns, data };
}

/**
 * A one-column (or one-row) range, or one value, as numbers with NaN for an empty cell. A
 * first cell of text in a longer column is a header and reads as empty, so a whole column
 * (A:A) with its title can be passed. Written for columns of a million customers: one
 * typed array, no per-cell allocation.
 */
export function column(name: string, value: CellValue): Float64Array {
  const rows = rowsOf(name, value);
  const tall = rows.length > 1;
  if (tall && rows[0]!.length > 1) {
    throw invalidValue(`${name} must be one column (or one row); got a range of ${rows.length} rows × ${rows[0]!.length} columns`);
  }
  const length = tall ? rows.length : rows[0]!.length;
  const cells = tall ? undefined : rows[0]!;
  const first = tall ? rows[0]![0] : cells![0];
  const header = length > 1 && typeof first === "string" && first.trim() !== "";
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const cell = cells ? cells[i] : rows[i]![0];
    if (typeof cell === "number" && cell - cell === 0) values[i] = cell; // finite
    else if (isBlank(cell) || (header && i === 0)) values[i] = Number.NaN;
    else values[i] = toNumber(length > 1 ? `${name} (row ${i + 1})` : name, cell);
  }
  return values;
}

/**
 * Model parameters: one row (or column) of exactly `names.length` numbers, typically the
 * spilled result of the matching _FIT function.
 */
export function paramsRow(value: CellValue, names: readonly string[], fitFunction: string): number[] {
  const rows = rowsOf("params", value);
  const flat = rows.length === 1 ? rows[0]! : rows[0]!.length === 1 ? rows.map((r) => r[0]) : undefined;
  const expected = `one row of ${names.length} numbers (${names.join(", ")}), such as the result of ${fitFunction}`;
  if (!flat || flat.length !== names.length) throw invalidValue(`params must be ${expected}`);
  return flat.map((cell, i) => {
    if (isBlank(cell)) throw invalidValue(`params: ${names[i]} is empty; params must be ${expected}`);
    return toNumber(`params: ${names[i]}`, cell);
  });
}

/** An optional yes/no argument: TRUE/FALSE or 1/0; omitted or empty is FALSE. */
export function optionalFlag(name: string, value: CellValue): boolean {
  if (isBlank(value)) return false;
  if (typeof value === "boolean") return value;
  if (value === 0 || value === 1) return value === 1;
  throw invalidValue(`${name} must be TRUE or FALSE; got ${describeCell(value)}`);
}
