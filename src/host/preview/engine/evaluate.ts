import type { Ast, BinaryOperator } from "./parser";
import { callFunction } from "./functions";
import { CellError, compare, finite, isMatrix, MAX_COLUMNS, MAX_ROWS, Ref, toNumber, toText, errors, type Matrix, type Scalar, type Value } from "./values";

/**
 * Evaluation of a formula's syntax tree against a workbook, as Excel 365 computes:
 * references stay references until read (so INDEX and ROWS take ranges), operators work
 * cell by cell over ranges and arrays (a single row or column stretching to the other
 * side's size), and an empty cell reads as 0 in arithmetic and "" beside text.
 */

/** What a defined name holds: a formula's syntax tree, or a value. */
export interface NameDefinition {
  ast?: Ast;
  value?: Scalar;
}

/** What evaluation reads from the workbook. */
export interface WorkbookReader {
  /** A cell's value (0-based), spilled values included; null when empty. */
  cell(sheet: number, row: number, column: number): Scalar;
  /** The used rows and columns of a sheet, to read whole columns and rows as far as they hold anything. */
  extent(sheet: number): { rows: number; columns: number };
  /** The definition a name has seen from a sheet (its own first, then the workbook's); `qualifier` is a sheet written before it. */
  name(name: string, sheet: number, qualifier?: string): NameDefinition | undefined;
}

/** Names that refer to names: deeper than this is a loop. */
const MAX_NAME_DEPTH = 32;

const unknownSheet = (node: { sheet?: string }) => new CellError("#REF!", node.sheet === undefined ? "the reference names no sheet" : `there is no sheet named ${node.sheet}`);

/** Evaluates expressions for one formula, in the cell (0-based) where it is. */
export class Evaluator {
  private depth = 0;

  constructor(
    readonly book: WorkbookReader,
    readonly sheet: number,
    readonly row: number,
    readonly column: number,
  ) {}

  evaluate(ast: Ast): Value {
    switch (ast.kind) {
      case "number":
      case "string":
      case "boolean":
        return ast.value;
      case "error":
        return new CellError(ast.value);
      case "missing":
        return null;
      case "array":
        return ast.rows;
      case "reference": {
        const sheet = ast.sheetId ?? this.sheet;
        if (sheet < 0) return unknownSheet(ast);
        return new Ref(sheet, ast.top, ast.left, ast.bottom, ast.right);
      }
      case "name":
        return this.name(ast.name, ast.sheet);
      case "call":
        return callFunction(this, ast.name, ast.args);
      case "unary": {
        const operand = this.evaluate(ast.operand);
        if (ast.op === "+") return operand;
        const v = this.deref(operand);
        return isMatrix(v) ? this.lift([v], negate) : negate(v);
      }
      case "percent": {
        const v = this.deref(this.evaluate(ast.operand));
        return isMatrix(v) ? this.lift([v], percent) : percent(v);
      }
      case "binary": {
        const left = this.deref(this.evaluate(ast.left));
        const right = this.deref(this.evaluate(ast.right));
        const op = OPERATIONS[ast.op];
        return isMatrix(left) || isMatrix(right) ? this.lift([left, right], op) : op(left, right);
      }
      case "range": {
        const left = this.evaluate(ast.left);
        const right = this.evaluate(ast.right);
        if (left instanceof CellError) return left;
        if (right instanceof CellError) return right;
        if (!(left instanceof Ref) || !(right instanceof Ref) || left.sheet !== right.sheet) return new CellError("#VALUE!", "a range joins two references on one sheet");
        return new Ref(left.sheet, Math.min(left.top, right.top), Math.min(left.left, right.left), Math.max(left.bottom, right.bottom), Math.max(left.right, right.right));
      }
    }
  }

  private name(name: string, qualifier: string | undefined): Value {
    const definition = this.book.name(name, this.sheet, qualifier);
    if (!definition) return new CellError("#NAME?", `unknown name ${qualifier === undefined ? "" : `${qualifier}!`}${name}`);
    if (!definition.ast) return definition.value ?? null;
    if (this.depth >= MAX_NAME_DEPTH) return errors.circular();
    this.depth++;
    try {
      return this.evaluate(definition.ast);
    } finally {
      this.depth--;
    }
  }

  /** A range's values, row by row; whole columns and rows are read as far as the sheet is used. */
  read(ref: Ref): Matrix {
    let { bottom, right } = ref;
    if (ref.top === 0 && bottom === MAX_ROWS - 1) bottom = Math.max(0, this.book.extent(ref.sheet).rows - 1);
    if (ref.left === 0 && right === MAX_COLUMNS - 1) right = Math.max(0, this.book.extent(ref.sheet).columns - 1);
    const rows: Matrix = new Array(bottom - ref.top + 1);
    for (let r = ref.top; r <= bottom; r++) {
      const row: Scalar[] = new Array(right - ref.left + 1);
      for (let c = ref.left; c <= right; c++) row[c - ref.left] = this.book.cell(ref.sheet, r, c);
      rows[r - ref.top] = row;
    }
    return rows;
  }

  /** A value with references read: a single cell as its value, a range as rows of values. */
  deref(value: Value): Scalar | Matrix {
    if (!(value instanceof Ref)) return value;
    if (value.rows === 1 && value.columns === 1) return this.book.cell(value.sheet, value.top, value.left);
    return this.read(value);
  }

  /** A value as rows of values (a single value as one row of one). */
  matrix(value: Value): Matrix {
    const v = this.deref(value);
    return isMatrix(v) ? v : [[v]];
  }

  /** An argument that must be one value: a single cell or a one-element array reads as its value; more is #VALUE!. */
  scalar(ast: Ast): Scalar {
    return this.single(this.evaluate(ast));
  }

  /** A value as one value: a single cell or a one-element array reads as its value; more is #VALUE!. */
  single(value: Value): Scalar {
    const v = this.deref(value);
    if (!isMatrix(v)) return v;
    if (v.length === 1 && v[0]!.length === 1) return v[0]![0]!;
    return new CellError("#VALUE!", "a range or an array where one value was expected");
  }

  /**
   * Applies a function of single values cell by cell, as Excel does when ranges or arrays
   * stand where it takes one value: the result is as large as the largest argument, a
   * single row or column repeated to fit, and #N/A where a smaller array runs out.
   */
  lift(args: Value[], fn: (...values: Scalar[]) => Scalar): Scalar | Matrix {
    const values = args.map((a) => this.deref(a));
    let rows = 1;
    let columns = 1;
    let arrays = false;
    for (const v of values) {
      if (!isMatrix(v)) continue;
      arrays = true;
      rows = Math.max(rows, v.length);
      columns = Math.max(columns, v[0]?.length ?? 0);
    }
    if (!arrays) return fn(...(values as Scalar[]));
    const out: Matrix = new Array(rows);
    const scratch: Scalar[] = new Array(values.length);
    for (let i = 0; i < rows; i++) {
      const line: Scalar[] = new Array(columns);
      for (let j = 0; j < columns; j++) {
        let missing = false;
        for (let k = 0; k < values.length; k++) {
          const v = values[k]!;
          if (!isMatrix(v)) {
            scratch[k] = v;
            continue;
          }
          const r = v.length === 1 ? 0 : i;
          const c = v[0]!.length === 1 ? 0 : j;
          if (r >= v.length || c >= v[0]!.length) missing = true;
          else scratch[k] = v[r]![c]!;
        }
        line[j] = missing ? new CellError("#N/A", "the arrays differ in size") : fn(...scratch);
      }
      out[i] = line;
    }
    return out;
  }
}

function negate(v: Scalar): Scalar {
  const n = toNumber(v);
  return n instanceof CellError ? n : n === 0 ? 0 : -n;
}

function percent(v: Scalar): Scalar {
  const n = toNumber(v);
  return n instanceof CellError ? n : n / 100;
}

function power(a: number, b: number): number | CellError {
  if (a === 0 && b === 0) return new CellError("#NUM!", "0^0 is not defined");
  if (a === 0 && b < 0) return errors.divisionByZero();
  return finite(a ** b);
}

function arithmetic(op: (a: number, b: number) => number | CellError) {
  return (a: Scalar, b: Scalar): Scalar => {
    if (a instanceof CellError) return a;
    if (b instanceof CellError) return b;
    const x = toNumber(a);
    if (x instanceof CellError) return x;
    const y = toNumber(b);
    if (y instanceof CellError) return y;
    return op(x, y);
  };
}

function comparison(test: (order: number) => boolean) {
  return (a: Scalar, b: Scalar): Scalar => {
    if (a instanceof CellError) return a;
    if (b instanceof CellError) return b;
    return test(compare(a, b));
  };
}

const OPERATIONS: Record<BinaryOperator, (a: Scalar, b: Scalar) => Scalar> = {
  "+": arithmetic((a, b) => finite(a + b)),
  "-": arithmetic((a, b) => finite(a - b)),
  "*": arithmetic((a, b) => finite(a * b)),
  "/": arithmetic((a, b) => (b === 0 ? errors.divisionByZero() : finite(a / b))),
  "^": arithmetic(power),
  "&": (a, b) => {
    const x = toText(a);
    if (x instanceof CellError) return x;
    const y = toText(b);
    return y instanceof CellError ? y : x + y;
  },
  "=": comparison((o) => o === 0),
  "<>": comparison((o) => o !== 0),
  "<": comparison((o) => o < 0),
  ">": comparison((o) => o > 0),
  "<=": comparison((o) => o <= 0),
  ">=": comparison((o) => o >= 0),
};
