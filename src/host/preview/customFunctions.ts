import { registerCustomFunction } from "./engine/functions";
import { CellError, ERROR_CODES, finite, type ErrorCode, type Matrix, type Scalar } from "./engine/values";

/**
 * The LTV custom functions inside the preview's formula engine. They are the very adapters
 * Excel runs (src/functions), registered through a stand-in for Excel's CustomFunctions
 * runtime, and called as Excel calls them: ranges as rows of cells, empty cells as "",
 * omitted arguments as null. What they return lands as in Excel: a value, or rows of
 * values spilled from the formula's cell; a CustomFunctions.Error thrown is an error value
 * with its message.
 */
type Adapter = (...args: unknown[]) => unknown;

class CustomFunctionError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? "");
  }
}

const registry = new Map<string, Adapter>();

/** Installs the CustomFunctions stand-in; the functions modules register themselves when imported. */
export function installCustomFunctionsRuntime(): Map<string, Adapter> {
  (globalThis as Record<string, unknown>).CustomFunctions = {
    associate: (id: string, fn: Adapter) => registry.set(id, fn),
    Error: CustomFunctionError,
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", divisionByZero: "#DIV/0!", invalidNumber: "#NUM!" },
  };
  return registry;
}

/** An argument as Excel passes it: ranges as rows of cells, empty cells as "", an omitted argument as null. */
function toExcel(value: Scalar | Matrix | undefined): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((row) => row.map((x) => x ?? ""));
  return value ?? "";
}

/** Excel's CustomFunctions.Error (or any stand-in for it, from another realm too) as an error value with its message. */
function errorOf(error: unknown): CellError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error || (typeof error === "object" && error !== null && "message" in error) ? String((error as { message: unknown }).message) : String(error);
  const known = typeof code === "string" ? ERROR_CODES.find((c) => c === code) : undefined;
  return new CellError((known ?? "#VALUE!") as ErrorCode, message);
}

function fromExcel(value: unknown): Scalar {
  if (typeof value === "number") return finite(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value === null || value === undefined) return null;
  return errorOf(value);
}

/** Registers every LTV function with the engine, as LTV.<id>; arguments all optional, as Excel passes null for omitted ones. */
export function registerLtvFunctions(functions: Map<string, Adapter>): void {
  for (const [id, fn] of functions) {
    registerCustomFunction(`LTV.${id}`, (args) => {
      const passed = args.map(toExcel);
      while (passed.length < fn.length) passed.push(null);
      try {
        const result = fn(...passed);
        if (!Array.isArray(result)) return fromExcel(result);
        const rows = (result as unknown[]).map((row) => (Array.isArray(row) ? (row as unknown[]) : [row]));
        const columns = rows.reduce((m, r) => Math.max(m, r.length), 0);
        if (rows.length === 0 || columns === 0) return new CellError("#CALC!", `LTV.${id} answered an empty range`);
        const cells = rows.map((row) => Array.from({ length: columns }, (_, j) => fromExcel(row[j])));
        return cells.length === 1 && columns === 1 ? cells[0]![0]! : cells;
      } catch (error) {
        return errorOf(error);
      }
    });
  }
}
