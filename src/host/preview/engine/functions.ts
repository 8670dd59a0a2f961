import type { Evaluator } from "./evaluate";
import { criterion } from "./criteria";
import { formulajsFunction } from "./formulajs";
import type { Ast } from "./parser";
import { CellError, errors, finite, firstError, isMatrix, Ref, textToNumber, toBoolean, toNumber, toText, type Matrix, type Scalar, type Value } from "./values";

/**
 * The worksheet functions, with Excel's semantics: the ones model plans use and the common
 * ones written here, the rest of Excel's library through formulajs, and functions that an
 * add-in registers (the LTV custom functions). A function gets its arguments unevaluated,
 * so IF, IFERROR and CHOOSE evaluate only what they need, and INDEX and ROWS take ranges.
 */
type Builtin = (ev: Evaluator, args: Ast[]) => Value;

/** A function an add-in registers: its arguments evaluated (a range as rows of values, an omitted one undefined). */
export type CustomFunction = (args: (Scalar | Matrix | undefined)[]) => Scalar | Matrix;

const custom = new Map<string, CustomFunction>();

/** Registers a function by name (case-insensitive, dots allowed: "LTV.CLV"); a later registration replaces an earlier one. */
export function registerCustomFunction(name: string, fn: CustomFunction): void {
  custom.set(name.toUpperCase(), fn);
}

const argumentCount = (name: string, min: number, max: number) => (args: Ast[]) =>
  args.length < min || args.length > max ? new CellError("#VALUE!", `${name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? "" : "s"}; got ${args.length}`) : undefined;

/** Every value of an argument: the cells of a range or an array, or the one value. */
function* cells(v: Scalar | Matrix): Generator<Scalar> {
  if (!isMatrix(v)) {
    yield v;
    return;
  }
  for (const row of v) for (const x of row) yield x;
}

/**
 * The numbers SUM, AVERAGE, MIN and MAX take: in ranges and arrays only numbers (text,
 * TRUE/FALSE and empty cells skipped); typed in directly, TRUE/FALSE and numbers in text
 * too. An error anywhere is the result.
 */
function numbers(ev: Evaluator, args: Ast[]): number[] | CellError {
  return collect(
    ev,
    args,
    (x) => (typeof x === "number" ? x : undefined),
    (v) => (v === null ? undefined : toNumber(v)),
  );
}

/**
 * The values a function of many arguments takes: from each range or array the cells
 * `fromRange` keeps, from each value typed in what `typed` reads (undefined: skipped).
 * The first error met is the result.
 */
function collect<T>(ev: Evaluator, args: Ast[], fromRange: (x: Scalar) => T | undefined, typed: (v: Scalar) => T | CellError | undefined): T[] | CellError {
  const out: T[] = [];
  for (const arg of args) {
    if (arg.kind === "missing") continue;
    const value = ev.evaluate(arg);
    const v = ev.deref(value);
    if (isMatrix(v) || value instanceof Ref) {
      for (const x of cells(v)) {
        if (x instanceof CellError) return x;
        const kept = fromRange(x);
        if (kept !== undefined) out.push(kept);
      }
      continue;
    }
    const read = typed(v as Scalar);
    if (read instanceof CellError) return read;
    if (read !== undefined) out.push(read);
  }
  return out;
}

const aggregate = (reduce: (values: number[]) => Scalar): Builtin => (ev, args) => {
  const values = numbers(ev, args);
  return values instanceof CellError ? values : reduce(values);
};

/** A function of numbers, cell by cell over ranges and arrays. */
const numeric = (name: string, min: number, max: number, fn: (...n: number[]) => number | CellError): Builtin => {
  const count = argumentCount(name, min, max);
  return (ev, args) => {
    const wrong = count(args);
    if (wrong) return wrong;
    return ev.lift(
      args.map((a) => ev.evaluate(a)),
      (...values) => {
        const ns: number[] = [];
        for (const v of values) {
          const n = toNumber(v);
          if (n instanceof CellError) return n;
          ns.push(n);
        }
        const result = fn(...ns);
        return result instanceof CellError ? result : finite(result);
      },
    );
  };
};

/** A test of one value, cell by cell: never an error. */
const test = (fn: (v: Scalar) => boolean): Builtin => (ev, args) => (args.length !== 1 ? new CellError("#VALUE!", "takes 1 argument") : ev.lift([ev.evaluate(args[0]!)], fn));

/** Excel's ROUND: halves away from 0, on the number as 15 significant digits (2.675 rounds to 2.68). */
function round(x: number, digits: number, mode: "nearest" | "up" | "down" = "nearest"): number {
  const d = Math.trunc(digits);
  const scale = 10 ** Math.abs(d);
  const scaled = Number((d >= 0 ? x * scale : x / scale).toPrecision(15));
  const magnitude = Math.abs(scaled);
  const whole = mode === "nearest" ? Math.floor(magnitude + 0.5) : mode === "up" ? Math.ceil(magnitude) : Math.floor(magnitude);
  const r = Math.sign(scaled) * whole;
  return d >= 0 ? r / scale : r * scale;
}

const IF: Builtin = (ev, args) => {
  if (args.length < 2 || args.length > 3) return new CellError("#VALUE!", `IF takes 2 or 3 arguments; got ${args.length}`);
  // An omitted third argument is FALSE; an empty one (IF(x,1,)) is 0.
  const branch = (i: number): Value => (args[i] === undefined ? false : (ev.evaluate(args[i]!) ?? 0));
  const condition = ev.deref(ev.evaluate(args[0]!));
  if (!isMatrix(condition)) {
    const b = toBoolean(condition);
    if (b instanceof CellError) return b;
    return branch(b ? 1 : 2);
  }
  return ev.lift([condition, branch(1), branch(2)], (c, yes, no) => {
    const b = toBoolean(c);
    if (b instanceof CellError) return b;
    return (b ? yes : no) ?? 0;
  });
};

const onError = (name: string, catches: (e: Scalar) => boolean): Builtin => (ev, args) => {
  if (args.length !== 2) return new CellError("#VALUE!", `${name} takes 2 arguments; got ${args.length}`);
  const value = ev.evaluate(args[0]!);
  const v = ev.deref(value);
  if (!isMatrix(v)) return catches(v) ? (ev.evaluate(args[1]!) ?? 0) : value;
  // Over an array, the alternative is evaluated once, and only when some cell needs it.
  const alternative = v.some((row) => row.some(catches)) ? ev.evaluate(args[1]!) : null;
  return ev.lift([v, alternative], (x, a) => (catches(x) ? (a ?? 0) : x));
};

/** AND's and OR's TRUE/FALSE values: in ranges TRUE/FALSE and numbers (text and empty cells skipped); typed in, text must read as TRUE or FALSE. */
function logicals(ev: Evaluator, name: string, args: Ast[]): boolean[] | CellError {
  const out = collect(
    ev,
    args,
    (x) => (typeof x === "boolean" ? x : typeof x === "number" ? x !== 0 : undefined),
    (v) => toBoolean(v),
  );
  if (out instanceof CellError) return out;
  return out.length === 0 ? new CellError("#VALUE!", `${name} found no TRUE or FALSE to combine`) : out;
}

/** A whole number argument (INDEX's row, SEQUENCE's size): truncated; an error as it is. */
function whole(ev: Evaluator, arg: Ast | undefined, fallback: number): number | CellError {
  if (arg === undefined || arg.kind === "missing") return fallback;
  const n = toNumber(ev.scalar(arg));
  return n instanceof CellError ? n : Math.trunc(n);
}

const INDEX: Builtin = (ev, args) => {
  if (args.length < 2 || args.length > 4) return new CellError("#VALUE!", `INDEX takes 2 to 4 arguments; got ${args.length}`);
  const source = ev.evaluate(args[0]!);
  if (source instanceof CellError) return source;
  const [rows, columns] = source instanceof Ref ? [source.rows, source.columns] : isMatrix(source) ? [source.length, source[0]!.length] : [1, 1];
  let row = whole(ev, args[1], 0);
  let column = whole(ev, args[2], args[2] === undefined ? -1 : 0);
  if (row instanceof CellError) return row;
  if (column instanceof CellError) return column;
  if (column === -1) {
    // One index into a single row or column counts along it.
    if (rows === 1 && columns > 1) [row, column] = [1, row];
    else if (columns === 1) column = 1;
    else if (row === 0) column = 0;
    else return new CellError("#REF!", "INDEX into several rows and columns needs a column number");
  }
  if (row < 0 || column < 0) return new CellError("#VALUE!", "INDEX takes row and column numbers of 0 or more");
  if (row > rows || column > columns) return new CellError("#REF!", `INDEX asks for row ${row}, column ${column} of ${rows} × ${columns} cells`);
  const [top, bottom] = row === 0 ? [0, rows - 1] : [row - 1, row - 1];
  const [left, right] = column === 0 ? [0, columns - 1] : [column - 1, column - 1];
  if (source instanceof Ref) return new Ref(source.sheet, source.top + top, source.left + left, source.top + bottom, source.left + right);
  const m = isMatrix(source) ? source : [[source]];
  return m.slice(top, bottom + 1).map((line) => line.slice(left, right + 1));
};

const size = (pick: "rows" | "columns"): Builtin => (ev, args) => {
  if (args.length !== 1) return new CellError("#VALUE!", `${pick.toUpperCase()} takes 1 argument`);
  const v = ev.evaluate(args[0]!);
  if (v instanceof CellError) return v;
  if (v instanceof Ref) return v[pick];
  if (isMatrix(v)) return pick === "rows" ? v.length : v[0]!.length;
  return 1;
};

const position = (pick: "row" | "column"): Builtin => (ev, args) => {
  if (args.length === 0) return (pick === "row" ? ev.row : ev.column) + 1;
  const v = ev.evaluate(args[0]!);
  if (v instanceof CellError) return v;
  if (!(v instanceof Ref)) return new CellError("#VALUE!", `${pick.toUpperCase()} takes a reference`);
  if (pick === "row") return v.rows === 1 ? v.top + 1 : Array.from({ length: v.rows }, (_, i) => [v.top + i + 1]);
  return v.columns === 1 ? v.left + 1 : [Array.from({ length: v.columns }, (_, j) => v.left + j + 1)];
};

/** COUNTIF's range and SUMIF's: the cells, row by row, and the reference when there is one. */
function range(ev: Evaluator, arg: Ast): { ref?: Ref; cells: Matrix } | CellError {
  const v = ev.evaluate(arg);
  if (v instanceof CellError) return v;
  return { ref: v instanceof Ref ? v : undefined, cells: ev.matrix(v) };
}

const COUNTIF: Builtin = (ev, args) => {
  if (args.length !== 2) return new CellError("#VALUE!", `COUNTIF takes 2 arguments; got ${args.length}`);
  const r = range(ev, args[0]!);
  if (r instanceof CellError) return r;
  return ev.lift([ev.evaluate(args[1]!)], (c) => {
    const matches = criterion(c);
    let n = 0;
    for (const row of r.cells) for (const x of row) if (matches(x)) n++;
    return n;
  });
};

const SUMIF: Builtin = (ev, args) => {
  if (args.length < 2 || args.length > 3) return new CellError("#VALUE!", `SUMIF takes 2 or 3 arguments; got ${args.length}`);
  const r = range(ev, args[0]!);
  if (r instanceof CellError) return r;
  let sums = r.cells;
  if (args[2] !== undefined && args[2].kind !== "missing") {
    const target = ev.evaluate(args[2]);
    if (target instanceof CellError) return target;
    // The sum range is as large as the range, from its top-left cell, as Excel reads it.
    sums = target instanceof Ref ? ev.read(new Ref(target.sheet, target.top, target.left, target.top + r.cells.length - 1, target.left + r.cells[0]!.length - 1)) : ev.matrix(target);
  }
  return ev.lift([ev.evaluate(args[1]!)], (c) => {
    const matches = criterion(c);
    let sum = 0;
    for (let i = 0; i < r.cells.length; i++) {
      for (let j = 0; j < r.cells[i]!.length; j++) {
        if (!matches(r.cells[i]![j]!)) continue;
        const x = sums[i]?.[j];
        if (x instanceof CellError) return x;
        if (typeof x === "number") sum += x;
      }
    }
    return sum;
  });
};

const SUMPRODUCT: Builtin = (ev, args) => {
  if (args.length === 0) return new CellError("#VALUE!", "SUMPRODUCT takes at least 1 argument");
  const arrays = args.map((a) => ev.matrix(ev.evaluate(a)));
  const rows = arrays[0]!.length;
  const columns = arrays[0]![0]!.length;
  if (arrays.some((m) => m.length !== rows || m[0]!.length !== columns)) return new CellError("#VALUE!", "SUMPRODUCT's arrays differ in size");
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) {
      let product = 1;
      for (const m of arrays) {
        const x = m[i]![j]!;
        if (x instanceof CellError) return x;
        product *= typeof x === "number" ? x : 0;
      }
      sum += product;
    }
  }
  return finite(sum);
};

const SEQUENCE: Builtin = (ev, args) => {
  if (args.length < 1 || args.length > 4) return new CellError("#VALUE!", `SEQUENCE takes 1 to 4 arguments; got ${args.length}`);
  const rows = whole(ev, args[0], 1);
  const columns = whole(ev, args[1], 1);
  const number = (arg: Ast | undefined) => (arg === undefined || arg.kind === "missing" ? 1 : toNumber(ev.scalar(arg)));
  const start = number(args[2]);
  const step = number(args[3]);
  for (const v of [rows, columns, start, step]) if (v instanceof CellError) return v;
  if ((rows as number) < 1 || (columns as number) < 1) return new CellError("#CALC!", "SEQUENCE makes an empty array");
  if ((rows as number) * (columns as number) > 1_048_576) return new CellError("#NUM!", "SEQUENCE makes too many cells");
  return Array.from({ length: rows as number }, (_, i) => Array.from({ length: columns as number }, (_, j) => (start as number) + (i * (columns as number) + j) * (step as number)));
};

const CHOOSE: Builtin = (ev, args) => {
  if (args.length < 2) return new CellError("#VALUE!", "CHOOSE takes an index and at least one value");
  const i = whole(ev, args[0], 0);
  if (i instanceof CellError) return i;
  if (i < 1 || i >= args.length) return new CellError("#VALUE!", `CHOOSE's index ${i} is not between 1 and ${args.length - 1}`);
  return ev.evaluate(args[i]!) ?? 0;
};

const concatenate: Builtin = (ev, args) => {
  let text = "";
  for (const arg of args) {
    for (const x of cells(ev.deref(ev.evaluate(arg)))) {
      const t = toText(x);
      if (t instanceof CellError) return t;
      text += t;
    }
  }
  return text;
};

const ERROR_TYPES = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"];

const BUILTINS: Record<string, Builtin> = {
  IF,
  IFERROR: onError("IFERROR", (v) => v instanceof CellError),
  IFNA: onError("IFNA", (v) => v instanceof CellError && v.value === "#N/A"),
  AND: (ev, args) => {
    const values = logicals(ev, "AND", args);
    return values instanceof CellError ? values : values.every(Boolean);
  },
  OR: (ev, args) => {
    const values = logicals(ev, "OR", args);
    return values instanceof CellError ? values : values.some(Boolean);
  },
  NOT: (ev, args) => (args.length !== 1 ? new CellError("#VALUE!", "NOT takes 1 argument") : ev.lift([ev.evaluate(args[0]!)], (v) => {
    const b = toBoolean(v);
    return b instanceof CellError ? b : !b;
  })),
  TRUE: () => true,
  FALSE: () => false,
  NA: () => new CellError("#N/A"),
  ISNUMBER: test((v) => typeof v === "number"),
  ISTEXT: test((v) => typeof v === "string"),
  ISNONTEXT: test((v) => typeof v !== "string"),
  ISLOGICAL: test((v) => typeof v === "boolean"),
  ISBLANK: test((v) => v === null),
  ISERROR: test((v) => v instanceof CellError),
  ISERR: test((v) => v instanceof CellError && v.value !== "#N/A"),
  ISNA: test((v) => v instanceof CellError && v.value === "#N/A"),
  "ERROR.TYPE": (ev, args) => (args.length !== 1 ? new CellError("#VALUE!", "ERROR.TYPE takes 1 argument") : ev.lift([ev.evaluate(args[0]!)], (v) => {
    const i = v instanceof CellError ? ERROR_TYPES.indexOf(v.value) : -1;
    return i >= 0 ? i + 1 : new CellError("#N/A", "ERROR.TYPE of a value that is not an error");
  })),
  INT: numeric("INT", 1, 1, Math.floor),
  ABS: numeric("ABS", 1, 1, Math.abs),
  ROUND: numeric("ROUND", 2, 2, (x, d) => round(x, d)),
  ROUNDUP: numeric("ROUNDUP", 2, 2, (x, d) => round(x, d, "up")),
  ROUNDDOWN: numeric("ROUNDDOWN", 2, 2, (x, d) => round(x, d, "down")),
  EXP: numeric("EXP", 1, 1, Math.exp),
  LN: numeric("LN", 1, 1, (x) => (x <= 0 ? new CellError("#NUM!", "LN of a number that is not above 0") : Math.log(x))),
  LOG: numeric("LOG", 1, 2, (x, base = 10) => {
    if (x <= 0 || base <= 0) return new CellError("#NUM!", "LOG of a number or base that is not above 0");
    return base === 1 ? errors.divisionByZero() : Math.log(x) / Math.log(base);
  }),
  LOG10: numeric("LOG10", 1, 1, (x) => (x <= 0 ? new CellError("#NUM!", "LOG10 of a number that is not above 0") : Math.log10(x))),
  SQRT: numeric("SQRT", 1, 1, (x) => (x < 0 ? new CellError("#NUM!", "SQRT of a negative number") : Math.sqrt(x))),
  POWER: numeric("POWER", 2, 2, (a, b) => (a === 0 && b === 0 ? new CellError("#NUM!", "0^0 is not defined") : a === 0 && b < 0 ? errors.divisionByZero() : a ** b)),
  MOD: numeric("MOD", 2, 2, (n, d) => (d === 0 ? errors.divisionByZero() : n - d * Math.floor(n / d))),
  SIGN: numeric("SIGN", 1, 1, Math.sign),
  FACT: numeric("FACT", 1, 1, (x) => {
    if (x < 0) return new CellError("#NUM!", "FACT of a negative number");
    if (x > 170) return new CellError("#NUM!", "FACT of a number above 170 is beyond the largest number");
    let product = 1;
    for (let i = 2; i <= Math.trunc(x); i++) product *= i;
    return product;
  }),
  PI: () => Math.PI,
  SUM: aggregate((v) => finite(v.reduce((s, x) => s + x, 0))),
  AVERAGE: aggregate((v) => (v.length === 0 ? errors.divisionByZero() : finite(v.reduce((s, x) => s + x, 0) / v.length))),
  MIN: aggregate((v) => (v.length === 0 ? 0 : v.reduce((m, x) => Math.min(m, x)))),
  MAX: aggregate((v) => (v.length === 0 ? 0 : v.reduce((m, x) => Math.max(m, x)))),
  PRODUCT: aggregate((v) => (v.length === 0 ? 0 : finite(v.reduce((p, x) => p * x, 1)))),
  COUNT: (ev, args) => {
    let n = 0;
    for (const arg of args) {
      if (arg.kind === "missing") continue;
      const value = ev.evaluate(arg);
      const v = ev.deref(value);
      if (isMatrix(v) || value instanceof Ref) {
        for (const x of cells(v)) if (typeof x === "number") n++;
      } else if (typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && !(textToNumber(v) instanceof CellError))) n++;
    }
    return n;
  },
  COUNTA: (ev, args) => {
    let n = 0;
    for (const arg of args) {
      if (arg.kind === "missing") continue;
      const value = ev.evaluate(arg);
      const v = ev.deref(value);
      if (isMatrix(v) || value instanceof Ref) {
        for (const x of cells(v)) if (x !== null) n++;
      } else n++;
    }
    return n;
  },
  COUNTIF,
  SUMIF,
  SUMPRODUCT,
  INDEX,
  ROWS: size("rows"),
  COLUMNS: size("columns"),
  ROW: position("row"),
  COLUMN: position("column"),
  SEQUENCE,
  CHOOSE,
  CONCAT: concatenate,
  CONCATENATE: concatenate,
};

/** Calls a function by its name (upper case): a builtin, a registered one, or formulajs's; #NAME? when there is none. */
export function callFunction(ev: Evaluator, name: string, args: Ast[]): Value {
  const builtin = BUILTINS[name];
  if (builtin) return builtin(ev, args);
  const registered = custom.get(name);
  if (registered) return callCustom(ev, name, registered, args);
  const library = formulajsFunction(name);
  if (library) return library(args.map((a) => (a.kind === "missing" ? undefined : ev.deref(ev.evaluate(a)))));
  return new CellError("#NAME?", `unknown function ${name}`);
}

function callCustom(ev: Evaluator, name: string, fn: CustomFunction, args: Ast[]): Value {
  const values = args.map((a) => (a.kind === "missing" ? undefined : ev.deref(ev.evaluate(a))));
  const error = firstError(values);
  if (error) return error;
  try {
    return fn(values);
  } catch (e) {
    return new CellError("#VALUE!", `${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
