import { ArraySize, CellError, EmptyValue, ErrorType, FunctionArgumentType, FunctionPlugin, SimpleRangeValue, type HyperFormula } from "hyperformula";

/**
 * The LTV custom functions inside HyperFormula, for the preview workbook. They are the
 * very adapters Excel runs (src/functions), registered through a stand-in for Excel's
 * CustomFunctions runtime, so a formula computes the same in the preview as in Excel.
 * HyperFormula sizes a spilled result when it reads the formula, before computing it, so
 * each function that spills says here how large its result is from its arguments as
 * written: the size of a range, or a number typed in the formula (`details` TRUE, the
 * periods of LTV.CLV_SCHEDULE). A result that turns out larger than foreseen (periods
 * given by a cell) is an error that says so; Excel has no such limit.
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

type Shape = { rows: number; columns: number };
/** An argument as the formula writes it: its size, and its value when it is a number or TRUE/FALSE typed in. */
export type ArgumentShape = { rows: number; columns: number; literal?: number | boolean };

const one: Shape = { rows: 1, columns: 1 };
/** Elementwise results take the shape of their largest inputs, single values broadcast. */
const broadcast = (args: (ArgumentShape | undefined)[]): Shape =>
  args.reduce<Shape>((s, a) => (a ? { rows: Math.max(s.rows, a.rows), columns: Math.max(s.columns, a.columns) } : s), one);
/** A fit spills one row of parameters, three with `details` TRUE (or a number other than 0). */
const fit = (columns: number) => (details: ArgumentShape | undefined): Shape => ({ rows: details?.literal === true || (typeof details?.literal === "number" && details.literal !== 0) ? 3 : 1, columns });
const longest = (a: ArgumentShape | undefined) => (a ? Math.max(a.rows, a.columns) : 1);

/** The size of each spilling function's result, from its arguments (in the order of its parameters). */
export const SPILL_SHAPES: Record<string, (args: (ArgumentShape | undefined)[]) => Shape> = {
  CLV_SCHEDULE: (a) => ({ rows: typeof a[3]?.literal === "number" && a[3].literal >= 1 ? Math.floor(a[3].literal) : Math.max(longest(a[0]), longest(a[1])), columns: 5 }),
  SBG_FIT: (a) => fit(2)(a[1]),
  SBG_SURVIVAL: (a) => broadcast(a.slice(1)),
  SBG_RETENTION: (a) => broadcast(a.slice(1)),
  BGNBD_FIT: (a) => fit(4)(a[4]),
  BGNBD_EXPECTED: (a) => broadcast(a.slice(1)),
  BGNBD_P_ALIVE: (a) => broadcast(a.slice(1)),
  BGNBD_CLV: (a) => broadcast(a.slice(1, 5)),
  PNBD_FIT: (a) => fit(4)(a[4]),
  PNBD_EXPECTED: (a) => broadcast(a.slice(1)),
  PNBD_P_ALIVE: (a) => broadcast(a.slice(1)),
  PNBD_CLV: (a) => broadcast(a.slice(1, 5)),
  GG_FIT: (a) => fit(3)(a[3]),
  GG_SPEND: (a) => broadcast(a.slice(1)),
};

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

type Ast = { type: string; value?: unknown; procedureName?: string; expressionName?: string };

/**
 * How a workbook sizes a name's range, by the engine instance the plugin serves (HyperFormula
 * sizes a named range as one cell when it reads a formula); registered by each workbook.
 */
const nameSizes = new WeakMap<object, (name: string, sheet: number) => Shape | undefined>();
export function registerNameSizes(dependencyGraph: object, size: (name: string, sheet: number) => Shape | undefined): void {
  nameSizes.set(dependencyGraph, size);
}

/** The size a spilling function's result will have, from its arguments as the formula writes them. */
function foreseen(plugin: FunctionPlugin, ast: { args: Ast[] }, state: unknown, shape: (args: (ArgumentShape | undefined)[]) => Shape): Shape {
  const sizeOf = (plugin as unknown as { arraySizeForAst: (a: unknown, s: unknown) => ArraySize }).arraySizeForAst.bind(plugin);
  const names = nameSizes.get((plugin as unknown as { dependencyGraph: object }).dependencyGraph);
  const sheet = (state as { formulaAddress?: { sheet: number } }).formulaAddress?.sheet ?? 0;
  const args = ast.args.map((arg): ArgumentShape | undefined => {
    if (arg.type === "EMPTY") return undefined;
    if (arg.type === "NAMED_EXPRESSION" && arg.expressionName && !/^(TRUE|FALSE)$/i.test(arg.expressionName)) {
      const named = names?.(arg.expressionName, sheet);
      if (named) return named;
    }
    if (arg.type === "NUMBER") return { rows: 1, columns: 1, literal: arg.value as number };
    const word = (arg.procedureName ?? arg.expressionName)?.toUpperCase();
    if ((arg.type === "FUNCTION_CALL" || arg.type === "NAMED_EXPRESSION") && (word === "TRUE" || word === "FALSE")) return { rows: 1, columns: 1, literal: word === "TRUE" };
    const size = sizeOf(arg, state);
    return { rows: size.height, columns: size.width };
  });
  return shape(args);
}

/** A spilled result, fitted to the size foreseen for it: empty cells fill the rest, as Excel leaves them. */
function spill(name: string, cells: unknown[][], size: Shape): SimpleRangeValue | CellError {
  const rows = cells.length;
  const columns = cells.reduce((m, r) => Math.max(m, r.length), 0);
  if (rows > size.rows || columns > size.columns) {
    return new CellError(ErrorType.VALUE, `${name} answers ${rows} × ${columns} cells; the preview made room for ${size.rows} × ${size.columns} from the formula as written (type the number of periods, or TRUE for details, in the formula); Excel has no such limit`);
  }
  const cell = (v: unknown) => (v === "" || v === null || v === undefined ? EmptyValue : (v as number | string | boolean));
  return SimpleRangeValue.onlyValues(Array.from({ length: size.rows }, (_, i) => Array.from({ length: size.columns }, (_, j) => cell(cells[i]?.[j]))) as never);
}

/** Registers every LTV function (ids from the registry, arguments all optional, as Excel passes null for omitted ones). */
export function registerLtvFunctions(hf: typeof HyperFormula, functions: Map<string, Adapter>): void {
  const implementedFunctions: Record<string, { method: string; parameters: { argumentType: FunctionArgumentType; optionalArg: boolean }[]; vectorizationForbidden: boolean; sizeOfResultArrayMethod?: string }> = {};
  const translations: Record<string, string> = {};
  class LtvPlugin extends FunctionPlugin {}
  for (const [id, fn] of functions) {
    const name = `LTV.${id}`;
    const method = `ltv_${id}`;
    const shape = SPILL_SHAPES[id];
    implementedFunctions[name] = {
      method,
      parameters: Array.from({ length: fn.length }, () => ({ argumentType: FunctionArgumentType.ANY, optionalArg: true })),
      vectorizationForbidden: true,
      ...(shape ? { sizeOfResultArrayMethod: `${method}_size` } : {}),
    };
    if (shape) {
      (LtvPlugin.prototype as unknown as Record<string, unknown>)[`${method}_size`] = function (this: FunctionPlugin, ast: { args: Ast[] }, state: unknown) {
        const { rows, columns } = foreseen(this, ast, state, shape);
        return new ArraySize(columns, rows);
      };
    }
    translations[name] = name;
    (LtvPlugin.prototype as unknown as Record<string, unknown>)[method] = function (this: FunctionPlugin, ast: { args: unknown[] }, state: unknown) {
      const self = this as unknown as { runFunction: (...a: unknown[]) => unknown; metadata: (n: string) => unknown };
      return self.runFunction(ast.args, state, self.metadata(name), (...args: unknown[]) => {
        try {
          const result = fn(...args.map((a) => (a === undefined ? null : toExcel(a))));
          if (Array.isArray(result)) {
            const cells = result as unknown[][];
            if (!shape) return cells.length === 1 && cells[0]!.length === 1 ? cells[0]![0] : new CellError(ErrorType.VALUE, `${name} answered a range where one value was expected`);
            return spill(name, cells, foreseen(this, ast as { args: Ast[] }, state, shape));
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
