import { CellError, ErrorType, FunctionArgumentType, FunctionPlugin, SimpleRangeValue, type HyperFormula } from "hyperformula";

/**
 * The LTV custom functions inside HyperFormula, for the preview workbook. They are the
 * very adapters Excel runs (src/functions), registered through a stand-in for Excel's
 * CustomFunctions runtime, so a formula computes the same in the preview as in Excel.
 * Functions that spill a range answer #VALUE! in the preview: HyperFormula must know the
 * size of a spilled result before it computes it.
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

const ERRORS: Record<string, ErrorType> = {
  "#VALUE!": ErrorType.VALUE,
  "#N/A": ErrorType.NA,
  "#DIV/0!": ErrorType.DIV_BY_ZERO,
  "#NUM!": ErrorType.NUM,
};

/** A HyperFormula argument as Excel would pass it: ranges as rows of cells, empty cells as "". */
function toExcel(value: unknown): unknown {
  if (value instanceof SimpleRangeValue) return value.data.map((row) => row.map(toExcel));
  if (typeof value === "symbol") return "";
  if (value && typeof value === "object" && "value" in value) return (value as { value: unknown }).value; // rich numbers
  return value;
}

/** Registers every LTV function (ids from the registry, arguments all optional, as Excel passes null for omitted ones). */
export function registerLtvFunctions(hf: typeof HyperFormula, functions: Map<string, Adapter>): void {
  const implementedFunctions: Record<string, { method: string; parameters: { argumentType: FunctionArgumentType; optionalArg: boolean }[]; vectorizationForbidden: boolean }> = {};
  const translations: Record<string, string> = {};
  class LtvPlugin extends FunctionPlugin {}
  for (const [id, fn] of functions) {
    const name = `LTV.${id}`;
    const method = `ltv_${id}`;
    implementedFunctions[name] = {
      method,
      parameters: Array.from({ length: fn.length }, () => ({ argumentType: FunctionArgumentType.ANY, optionalArg: true })),
      vectorizationForbidden: true,
    };
    translations[name] = name;
    (LtvPlugin.prototype as unknown as Record<string, unknown>)[method] = function (this: FunctionPlugin, ast: { args: unknown[] }, state: unknown) {
      const self = this as unknown as { runFunction: (...a: unknown[]) => unknown; metadata: (n: string) => unknown };
      return self.runFunction(ast.args, state, self.metadata(name), (...args: unknown[]) => {
        try {
          const result = fn(...args.map((a) => (a === undefined ? null : toExcel(a))));
          if (Array.isArray(result)) {
            const cells = result as unknown[][];
            if (cells.length === 1 && cells[0]!.length === 1) return cells[0]![0];
            return new CellError(ErrorType.VALUE, `${name} spills a range, which the preview does not show; Excel does`);
          }
          return result;
        } catch (error) {
          const code = (error as { code?: unknown }).code; // Excel's CustomFunctions.Error, or any stand-in for it
          if (typeof code === "string") return new CellError(ERRORS[code] ?? ErrorType.VALUE, (error as Error).message);
          return new CellError(ErrorType.VALUE, error instanceof Error ? error.message : String(error));
        }
      });
    };
  }
  (LtvPlugin as unknown as { implementedFunctions: unknown }).implementedFunctions = implementedFunctions;
  if (hf.getRegisteredFunctionNames("enGB").includes("LTV.CLV")) return;
  hf.registerFunctionPlugin(LtvPlugin as never, { enGB: translations });
}
