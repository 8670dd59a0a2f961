import { CellError, ERROR_CODES, MAX_COLUMNS, MAX_ROWS, type ErrorCode, type Scalar } from "./values";

/**
 * Excel's formula language, read into a syntax tree: numbers, text, TRUE/FALSE, error
 * literals, cell and range references (with sheet prefixes, quoted or not; whole columns
 * and rows), defined names, function calls (dotted names such as LTV.CLV; empty
 * arguments), array constants, and the operators at Excel's precedence, from the
 * tightest: `:`, unary - and +, %, ^, * and /, + and -, &, then the comparisons. So -2^2
 * is 4, as in Excel, and 2^-1 is 0.5. Nothing here evaluates.
 */

/** A reference as written: the sheet's name (undefined: the formula's own sheet) and the cells, 0-based. */
export interface ReferenceNode {
  kind: "reference";
  sheet?: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
  /** The sheet's id, set when the formula is bound to a workbook: -1 when no sheet has that name. */
  sheetId?: number;
}

/** A formula's syntax tree: values, references, names, calls (with unevaluated arguments) and operators. */
export type Ast =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "error"; value: ErrorCode }
  | { kind: "missing" }
  | ReferenceNode
  | { kind: "name"; name: string; sheet?: string }
  | { kind: "call"; name: string; args: Ast[] }
  | { kind: "unary"; op: "-" | "+"; operand: Ast }
  | { kind: "percent"; operand: Ast }
  | { kind: "binary"; op: BinaryOperator; left: Ast; right: Ast }
  | { kind: "range"; left: Ast; right: Ast }
  | { kind: "array"; rows: Scalar[][] };

/** The operators between two operands, arithmetic, text and comparison. */
export type BinaryOperator = "+" | "-" | "*" | "/" | "^" | "&" | "=" | "<>" | "<" | ">" | "<=" | ">=";

/** A formula that cannot be read, with where and why. */
export class FormulaSyntaxError extends Error {}

type Token =
  | { kind: "number"; value: number; start: number; end: number }
  | { kind: "string"; value: string; start: number; end: number }
  | { kind: "error"; value: ErrorCode; start: number; end: number }
  | { kind: "reference"; sheet?: string; rect: Omit<ReferenceNode, "kind" | "sheet">; start: number; sheetEnd: number; end: number }
  | { kind: "word"; value: string; start: number; end: number }
  | { kind: "qualifiedName"; sheet: string; name: string; start: number; sheetEnd: number; end: number }
  | { kind: "operator"; value: string; start: number; end: number }
  | { kind: "end"; start: number; end: number };

const WORD = /[\p{L}_\\][\p{L}\p{N}_.\\?]*/uy;
const SHEET_WORD = /[\p{L}\p{N}_.]+(?=!)/uy;
const CELL_RANGE = /(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})(?::(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7}))?(?![\p{L}\p{N}_.(!\\?])/uy;
const COLUMN_RANGE = /\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})(?![\p{L}\p{N}_.(!\\?])/uy;
const ROW_RANGE = /\$?(\d{1,7}):\$?(\d{1,7})(?![\p{L}\p{N}_.(!\\?])/uy;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPERATORS = ["<=", ">=", "<>", "+", "-", "*", "/", "^", "&", "=", "<", ">", "%", "(", ")", ",", ";", "{", "}", ":"];

/** A column's number (0-based) from its letters, or -1 past Excel's last column. */
function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n >= 1 && n <= MAX_COLUMNS ? n - 1 : -1;
}

const rowIndex = (digits: string) => {
  const n = Number(digits);
  return n >= 1 && n <= MAX_ROWS ? n - 1 : -1;
};

/** A reference at `at` (after any sheet prefix): a cell, a range, whole columns or rows. */
function readReference(text: string, at: number): { rect: Omit<ReferenceNode, "kind" | "sheet">; end: number } | undefined {
  CELL_RANGE.lastIndex = at;
  let m = CELL_RANGE.exec(text);
  if (m) {
    const [left, top] = [columnIndex(m[2]!), rowIndex(m[4]!)];
    const [right, bottom] = m[6] ? [columnIndex(m[6]), rowIndex(m[8]!)] : [left, top];
    if (left >= 0 && top >= 0 && right >= 0 && bottom >= 0) {
      return { rect: { top: Math.min(top, bottom), bottom: Math.max(top, bottom), left: Math.min(left, right), right: Math.max(left, right) }, end: CELL_RANGE.lastIndex };
    }
  }
  COLUMN_RANGE.lastIndex = at;
  m = COLUMN_RANGE.exec(text);
  if (m) {
    const [a, b] = [columnIndex(m[1]!), columnIndex(m[2]!)];
    if (a >= 0 && b >= 0) return { rect: { top: 0, bottom: MAX_ROWS - 1, left: Math.min(a, b), right: Math.max(a, b) }, end: COLUMN_RANGE.lastIndex };
  }
  ROW_RANGE.lastIndex = at;
  m = ROW_RANGE.exec(text);
  if (m) {
    const [a, b] = [rowIndex(m[1]!), rowIndex(m[2]!)];
    if (a >= 0 && b >= 0) return { rect: { top: Math.min(a, b), bottom: Math.max(a, b), left: 0, right: MAX_COLUMNS - 1 }, end: ROW_RANGE.lastIndex };
  }
  return undefined;
}

/** The tokens of a formula's text (without its leading "="). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new FormulaSyntaxError("a text is not closed with \"");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: "string", value, start, end: i });
      continue;
    }
    if (ch === "#") {
      const code = ERROR_CODES.find((c) => text.slice(i, i + c.length).toUpperCase() === c);
      if (!code) throw new FormulaSyntaxError(`unknown error value at "${text.slice(i, i + 8)}"`);
      i += code.length;
      tokens.push({ kind: "error", value: code, start, end: i });
      continue;
    }
    // A sheet prefix: 'Any name'! (an apostrophe doubled inside) or Name!
    let sheet: string | undefined;
    if (ch === "'") {
      let name = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new FormulaSyntaxError("a sheet name is not closed with '");
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            name += "'";
            j += 2;
            continue;
          }
          j++;
          break;
        }
        name += text[j++];
      }
      if (text[j] !== "!") throw new FormulaSyntaxError(`'${name}' is not followed by ! and a reference`);
      sheet = name;
      i = j + 1;
    } else {
      SHEET_WORD.lastIndex = i;
      const m = SHEET_WORD.exec(text);
      if (m) {
        sheet = m[0];
        i = SHEET_WORD.lastIndex + 1;
      }
    }
    const sheetEnd = i;
    const reference = readReference(text, i);
    if (reference) {
      tokens.push({ kind: "reference", sheet, rect: reference.rect, start, sheetEnd, end: reference.end });
      i = reference.end;
      continue;
    }
    if (sheet !== undefined) {
      if (text.startsWith("#REF!", i)) {
        i += 5;
        tokens.push({ kind: "error", value: "#REF!", start, end: i });
        continue;
      }
      WORD.lastIndex = i;
      const name = WORD.exec(text);
      if (name) {
        i = WORD.lastIndex;
        tokens.push({ kind: "qualifiedName", sheet, name: name[0], start, sheetEnd, end: i });
        continue;
      }
      throw new FormulaSyntaxError(`${sheet}! is not followed by a cell or a range`);
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      i = NUMBER.lastIndex;
      tokens.push({ kind: "number", value: Number(number[0]), start, end: i });
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      i = WORD.lastIndex;
      tokens.push({ kind: "word", value: word[0], start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new FormulaSyntaxError(`unexpected "${ch}"`);
    i += op.length;
    tokens.push({ kind: "operator", value: op, start, end: i });
  }
  tokens.push({ kind: "end", start: text.length, end: text.length });
  return tokens;
}

const COMPARISONS = new Set(["=", "<>", "<", ">", "<=", ">="]);
/** Deep enough for any formula a person writes; deeper is refused rather than risking the stack. */
const MAX_NESTING = 200;

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private isOperator(value: string): boolean {
    const t = this.peek();
    return t.kind === "operator" && t.value === value;
  }

  private expect(value: string): void {
    if (!this.isOperator(value)) throw new FormulaSyntaxError(`expected "${value}" ${this.where()}`);
    this.i++;
  }

  private where(): string {
    const t = this.peek();
    return t.kind === "end" ? "at the end" : `at position ${t.start + 2}`;
  }

  parseFormula(): Ast {
    const ast = this.comparison();
    if (this.peek().kind !== "end") throw new FormulaSyntaxError(`unexpected ${this.describe()} ${this.where()}`);
    return ast;
  }

  private describe(): string {
    const t = this.peek();
    if (t.kind === "end") return "end";
    if (t.kind === "operator" || t.kind === "word") return `"${t.value}"`;
    return t.kind;
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw new FormulaSyntaxError("the formula is nested too deeply");
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private comparison(): Ast {
    let left = this.concatenation();
    for (let t = this.peek(); t.kind === "operator" && COMPARISONS.has(t.value); t = this.peek()) {
      this.i++;
      left = { kind: "binary", op: t.value as BinaryOperator, left, right: this.concatenation() };
    }
    return left;
  }

  private concatenation(): Ast {
    let left = this.additive();
    while (this.isOperator("&")) {
      this.i++;
      left = { kind: "binary", op: "&", left, right: this.additive() };
    }
    return left;
  }

  private additive(): Ast {
    let left = this.multiplicative();
    for (let t = this.peek(); t.kind === "operator" && (t.value === "+" || t.value === "-"); t = this.peek()) {
      this.i++;
      left = { kind: "binary", op: t.value, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Ast {
    let left = this.power();
    for (let t = this.peek(); t.kind === "operator" && (t.value === "*" || t.value === "/"); t = this.peek()) {
      this.i++;
      left = { kind: "binary", op: t.value, left, right: this.power() };
    }
    return left;
  }

  /** ^ is left-associative in Excel (2^3^2 is 64), and takes a signed operand on either side (-2^2 is 4). */
  private power(): Ast {
    let left = this.unary();
    while (this.isOperator("^")) {
      this.i++;
      left = { kind: "binary", op: "^", left, right: this.unary() };
    }
    return left;
  }

  private unary(): Ast {
    const t = this.peek();
    if (t.kind === "operator" && (t.value === "-" || t.value === "+")) {
      this.i++;
      return this.nested(() => ({ kind: "unary", op: t.value as "-" | "+", operand: this.unary() }));
    }
    return this.percent();
  }

  private percent(): Ast {
    let operand = this.range();
    while (this.isOperator("%")) {
      this.i++;
      operand = { kind: "percent", operand };
    }
    return operand;
  }

  private range(): Ast {
    let left = this.primary();
    while (this.isOperator(":")) {
      this.i++;
      left = { kind: "range", left, right: this.primary() };
    }
    return left;
  }

  private primary(): Ast {
    const t = this.peek();
    switch (t.kind) {
      case "number":
        this.i++;
        return { kind: "number", value: t.value };
      case "string":
        this.i++;
        return { kind: "string", value: t.value };
      case "error":
        this.i++;
        return { kind: "error", value: t.value };
      case "reference":
        this.i++;
        return { kind: "reference", sheet: t.sheet, ...t.rect };
      case "word":
        return this.word(t.value);
      case "qualifiedName":
        this.i++;
        return { kind: "name", name: t.name, sheet: t.sheet };
      case "operator":
        if (t.value === "(") {
          this.i++;
          const inner = this.nested(() => this.comparison());
          this.expect(")");
          return inner;
        }
        if (t.value === "{") return this.arrayConstant();
        break;
      case "end":
        break;
    }
    throw new FormulaSyntaxError(t.kind === "end" ? "the formula ends where a value is expected" : `expected a value ${this.where()}, found ${this.describe()}`);
  }

  private word(word: string): Ast {
    this.i++;
    if (this.isOperator("(")) {
      this.i++;
      const args: Ast[] = [];
      if (this.isOperator(")")) {
        this.i++;
        return { kind: "call", name: word.toUpperCase(), args };
      }
      for (;;) {
        const t = this.peek();
        const empty = t.kind === "operator" && (t.value === "," || t.value === ")");
        args.push(empty ? { kind: "missing" } : this.nested(() => this.comparison()));
        if (this.isOperator(",")) {
          this.i++;
          continue;
        }
        this.expect(")");
        return { kind: "call", name: word.toUpperCase(), args };
      }
    }
    const upper = word.toUpperCase();
    if (upper === "TRUE" || upper === "FALSE") return { kind: "boolean", value: upper === "TRUE" };
    return { kind: "name", name: word };
  }

  private arrayConstant(): Ast {
    this.expect("{");
    const rows: Scalar[][] = [[]];
    for (;;) {
      rows[rows.length - 1]!.push(this.arrayElement());
      if (this.isOperator(",")) {
        this.i++;
      } else if (this.isOperator(";")) {
        this.i++;
        rows.push([]);
      } else {
        this.expect("}");
        break;
      }
    }
    if (rows.some((r) => r.length !== rows[0]!.length)) throw new FormulaSyntaxError("the rows of an array constant differ in length");
    return { kind: "array", rows };
  }

  private arrayElement(): Scalar {
    let sign = 1;
    while (this.isOperator("-") || this.isOperator("+")) {
      if (this.isOperator("-")) sign = -sign;
      this.i++;
    }
    const t = this.peek();
    this.i++;
    if (t.kind === "number") return sign * t.value;
    if (sign === 1 && t.kind === "string") return t.value;
    if (sign === 1 && t.kind === "word" && /^(TRUE|FALSE)$/i.test(t.value)) return t.value.toUpperCase() === "TRUE";
    if (sign === 1 && t.kind === "error") return new CellError(t.value);
    throw new FormulaSyntaxError("an array constant holds only numbers, text, TRUE, FALSE and errors");
  }
}

/** Reads a formula (with or without its leading "=") into its syntax tree; a FormulaSyntaxError says what is wrong. */
export function parseFormula(formula: string): Ast {
  const text = formula.startsWith("=") ? formula.slice(1) : formula;
  return new Parser(tokenize(text)).parseFormula();
}

/**
 * A formula's text with each reference to another sheet rewritten, as Excel rewrites
 * formulas when a sheet is renamed or deleted: `rewrite` gets the sheet's name as written
 * and answers the new name, "#REF!" for a reference that no longer points anywhere, or
 * undefined to leave it. Text that cannot be read is left as it is.
 */
export function rewriteSheetReferences(formula: string, rewrite: (sheet: string) => { rename: string } | "#REF!" | undefined, quote: (sheet: string) => string): string {
  const offset = formula.startsWith("=") ? 1 : 0;
  let tokens: Token[];
  try {
    tokens = tokenize(formula.slice(offset));
  } catch {
    return formula;
  }
  let out = formula;
  for (const t of tokens.reverse()) {
    if ((t.kind !== "reference" && t.kind !== "qualifiedName") || t.sheet === undefined) continue;
    const action = rewrite(t.sheet);
    if (action === undefined) continue;
    const [from, to] = action === "#REF!" ? [t.start, t.end] : [t.start, t.sheetEnd];
    const replacement = action === "#REF!" ? "#REF!" : `${quote(action.rename)}!`;
    out = out.slice(0, offset + from) + replacement + out.slice(offset + to);
  }
  return out;
}

const CELL_LIKE = /^(?:\$?[A-Za-z]{1,3}\$?\d+|R\d*C\d*|[RC])$/i;

/** Whether Excel takes this as a defined name: a letter, _ or \ first, then letters, digits, _ . ? \; not a cell, not TRUE or FALSE. */
export function isValidName(name: string): boolean {
  WORD.lastIndex = 0;
  const m = WORD.exec(name);
  if (!m || m[0].length !== name.length || name.length > 255) return false;
  if (/^(TRUE|FALSE)$/i.test(name)) return false;
  if (CELL_LIKE.test(name)) {
    const letters = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(name);
    return letters ? columnIndex(letters[1]!) < 0 || rowIndex(letters[2]!) < 0 : false;
  }
  return true;
}
