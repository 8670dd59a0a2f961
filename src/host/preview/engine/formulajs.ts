import * as formulajs from "@formulajs/formulajs";
import { CellError, dateSerial, ERROR_CODES, finite, firstError, type ErrorCode, type Matrix, type Scalar } from "./values";

/**
 * The breadth of Excel's function library, from formulajs (MIT): functions of plain values
 * (statistics, finance, text, dates, engineering). They get ranges as rows of values
 * (empty cells as null) and never an error: an error among the arguments is the result,
 * as in Excel. What they answer is turned into the engine's values: formulajs's errors
 * into error values, dates into serial numbers, NaN and infinities into #NUM!.
 */
type Argument = Scalar | Matrix | undefined;
type LibraryFunction = (...args: unknown[]) => unknown;

/** A serial number of the 1900 date system from a date formulajs made (in local time, as it makes them). */
function serialOf(date: Date): Scalar {
  const day = dateSerial(date.getFullYear(), date.getMonth() + 1, date.getDate());
  if (day === undefined) return new CellError("#NUM!", "the date is outside Excel's calendar");
  return day + (date.getHours() * 3600 + date.getMinutes() * 60 + date.getSeconds()) / 86_400;
}

function errorOf(value: Error, name: string): CellError {
  const code = ERROR_CODES.find((c) => c === value.message);
  return new CellError((code ?? "#VALUE!") as ErrorCode, code ? "" : `${name}: ${value.message}`);
}

function toScalar(value: unknown, name: string): Scalar {
  if (typeof value === "number") return finite(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value === null || value === undefined) return 0;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? new CellError("#VALUE!", `${name} made no valid date`) : serialOf(value);
  if (value instanceof Error) return errorOf(value, name);
  return new CellError("#VALUE!", `${name} answered a value a cell cannot hold`);
}

function toValue(value: unknown, name: string): Scalar | Matrix {
  if (!Array.isArray(value)) return toScalar(value, name);
  if (value.length === 0) return new CellError("#CALC!", `${name} answered an empty array`);
  const rows = value.every(Array.isArray) ? (value as unknown[][]) : [value];
  const columns = rows.reduce((m, r) => Math.max(m, r.length), 0);
  if (columns === 0) return new CellError("#CALC!", `${name} answered an empty array`);
  return rows.map((r) => Array.from({ length: columns }, (_, j) => (j < r.length ? toScalar(r[j], name) : new CellError("#N/A"))));
}

/** formulajs's function for an Excel name ("NORM.DIST" is formulajs.NORM.DIST), if it has one. */
function lookup(name: string): LibraryFunction | undefined {
  let target: unknown = formulajs;
  for (const part of name.split(".")) {
    if ((typeof target !== "object" && typeof target !== "function") || target === null || !Object.prototype.hasOwnProperty.call(target, part)) return undefined;
    target = (target as Record<string, unknown>)[part];
  }
  return typeof target === "function" ? (target as LibraryFunction) : undefined;
}

/** Functions that need what formulajs cannot take (references, errors as values, laziness) are the engine's own. */
const EXCLUDED = new Set(["UTILS", "ERROR", "ERROR.TYPE", "ROW", "COLUMN", "ROWS", "COLUMNS", "INDEX", "IF", "IFS", "IFERROR", "IFNA", "ISERROR", "ISERR", "ISNA", "ISBLANK", "TYPE", "OFFSET", "INDIRECT"]);

/** The formulajs function of that name (upper case) as the engine calls it, or undefined when formulajs has none. */
export function formulajsFunction(name: string): ((args: Argument[]) => Scalar | Matrix) | undefined {
  if (EXCLUDED.has(name)) return undefined;
  const fn = lookup(name);
  if (!fn) return undefined;
  return (args) => {
    const error = firstError(args);
    if (error) return error;
    try {
      return toValue(fn(...args), name);
    } catch (error) {
      return error instanceof Error ? errorOf(error, name) : new CellError("#VALUE!", `${name}: ${String(error)}`);
    }
  };
}
