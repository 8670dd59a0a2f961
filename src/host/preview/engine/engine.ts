import { quoteSheet } from "../../sheets";
import { Evaluator, type NameDefinition, type WorkbookReader } from "./evaluate";
import { intersects, recalculationOrder } from "./graph";
import { FormulaSyntaxError, isValidName, parseFormula, rewriteSheetReferences, type Ast } from "./parser";
import { a1, CellNode, cellKey, NameNode, nameKey, sameValue, Sheet, spillRect, type Compiled, type Node, type Registration } from "./sheet";
import { CellError, errors, isMatrix, MAX_COLUMNS, MAX_ROWS, parseEntry, Ref, type Matrix, type RawCellContent, type Rect, type Scalar, type Value } from "./values";

/**
 * The preview's formula engine: a workbook of sheets whose cells compute Excel formulas.
 * Sheets have ids that a rename keeps; names are defined for the workbook or for one sheet
 * (a sheet's own name wins on that sheet). After each change only what depends on it is
 * recomputed: formulas register the cells, ranges and names they read, and a change
 * recomputes its dependents in order, each after what it reads; formulas on a cycle are
 * errors that say so. A formula whose result is an array spills it right and down, or
 * shows #SPILL! when a cell there is taken. Edits are undone and redone as Excel's are,
 * a batch of them as one step.
 */

/** A cell by sheet id, row and column, all 0-based. */
export interface CellAddress {
  sheet: number;
  row: number;
  col: number;
}

/** A rectangle of cells from its top-left to its bottom-right cell. */
export interface RangeAddress {
  start: CellAddress;
  end: CellAddress;
}

/** A defined name as the workbook keeps it: its expression ("=Data!$A$1:$I$8", or a value) and its sheet, undefined for the workbook. */
export interface SerializedName {
  name: string;
  expression: RawCellContent;
  scope?: number;
}

interface Change {
  sheet: number;
  row: number;
  col: number;
  before: RawCellContent;
  after: RawCellContent;
}

/** Spills that keep moving one another are given up after this many rounds. */
const MAX_ROUNDS = 32;
/** Undo keeps this many steps, as Excel keeps 100. */
const UNDO_LIMIT = 100;

/** A formula's result as a cell holds it: a reference read, a one-cell array as its value, an empty cell as 0. */
function finalize(ev: Evaluator, value: Value): Scalar | Matrix {
  const v = ev.deref(value);
  if (!isMatrix(v)) return v ?? 0;
  if (v.length === 1 && v[0]!.length === 1) return v[0]![0] ?? 0;
  return v.map((row) => row.map((x) => x ?? 0));
}

/** A workbook that computes: sheets of cells and formulas, defined names, batches, undo and redo (see the file's comment). */
export class FormulaEngine {
  private readonly sheets = new Map<number, Sheet>();
  private nextSheetId = 0;
  private readonly names = new Map<string, NameNode>();
  /** Formulas using each name (lower case), whichever definition they find. */
  private readonly nameDeps = new Map<string, Set<Node>>();
  /** Formulas that name a sheet the workbook lacks. */
  private readonly unresolved = new Set<Node>();
  private pending = new Set<Node>();
  private batchDepth = 0;
  private transaction?: Map<string, Change>;
  private recording = true;
  private undoStack: Change[][] = [];
  private redoStack: Change[][] = [];

  private readonly reader: WorkbookReader = {
    cell: (sheet, row, col) => {
      const s = this.sheets.get(sheet);
      if (!s) return new CellError("#REF!", "the sheet was deleted");
      const key = cellKey(row, col);
      const cell = s.cells.get(key);
      if (cell) return cell.value;
      const anchor = s.spilled.get(key);
      return anchor?.spill ? anchor.spill.values[row - anchor.row]![col - anchor.col]! : null;
    },
    extent: (sheet) => this.sheets.get(sheet)?.extent() ?? { rows: 0, columns: 0 },
    name: (name, sheet, qualifier) => {
      const scope = qualifier === undefined ? sheet : this.getSheetId(qualifier);
      if (scope === undefined) return undefined;
      const node = this.names.get(nameKey(name, scope)) ?? this.names.get(nameKey(name, undefined));
      if (!node) return undefined;
      return node.compiled ? (node.compiled.error ? { value: node.compiled.error } : { ast: node.compiled.ast }) : ({ value: node.value } satisfies NameDefinition);
    },
  };

  // Sheets.

  /** Adds a sheet (by default "Sheet1", "Sheet2", …) and returns its name; names are unique without regard to case. */
  addSheet(name?: string): string {
    let sheetName = name;
    if (sheetName === undefined) for (let i = 1; sheetName === undefined || this.getSheetId(sheetName) !== undefined; i++) sheetName = `Sheet${i}`;
    this.checkSheetName(sheetName);
    if (this.getSheetId(sheetName) !== undefined) throw new Error(`a sheet named ${sheetName} already exists`);
    const id = this.nextSheetId++;
    this.sheets.set(id, new Sheet(id, sheetName));
    this.batch(() => this.relink());
    return sheetName;
  }

  /** Removes a sheet: its names go with it, and references to it elsewhere become #REF!, as in Excel. */
  removeSheet(id: number): void {
    const sheet = this.sheet(id);
    this.batch(() => {
      // Formulas elsewhere that read the sheet name it, and are rewritten below; its own go with it.
      for (const cell of sheet.cells.values()) this.detach(cell);
      for (const node of [...this.names.values()]) if (node.scope === id) this.deleteName(node);
      this.sheets.delete(id);
      const lower = sheet.name.toLowerCase();
      for (const node of this.formulas()) {
        if (!node.compiled?.sheets.has(id)) continue;
        this.rewrite(node, rewriteSheetReferences(String(node.raw), (s) => (s.toLowerCase() === lower ? "#REF!" : undefined), quoteSheet), true);
      }
      const keep = (entry: Change[]) => entry.filter((c) => c.sheet !== id);
      this.undoStack = this.undoStack.map(keep).filter((e) => e.length > 0);
      this.redoStack = this.redoStack.map(keep).filter((e) => e.length > 0);
    });
  }

  /** Renames a sheet; formulas and names that refer to it are rewritten to its new name, as Excel rewrites them. */
  renameSheet(id: number, name: string): void {
    const sheet = this.sheet(id);
    this.checkSheetName(name);
    const taken = this.getSheetId(name);
    if (taken !== undefined && taken !== id) throw new Error(`a sheet named ${name} already exists`);
    const lower = sheet.name.toLowerCase();
    sheet.name = name;
    this.batch(() => {
      for (const node of this.formulas()) {
        if (!node.compiled?.sheets.has(id)) continue;
        this.rewrite(node, rewriteSheetReferences(String(node.raw), (s) => (s.toLowerCase() === lower ? { rename: name } : undefined), quoteSheet), false);
      }
      this.relink();
    });
  }

  getSheetId(name: string): number | undefined {
    const lower = name.toLowerCase();
    for (const sheet of this.sheets.values()) if (sheet.name.toLowerCase() === lower) return sheet.id;
    return undefined;
  }

  getSheetName(id: number): string | undefined {
    return this.sheets.get(id)?.name;
  }

  /** The sheets' names, in the order they were added. */
  getSheetNames(): string[] {
    return [...this.sheets.values()].map((s) => s.name);
  }

  /** The used width and height of a sheet, spilled cells included. */
  getSheetDimensions(id: number): { width: number; height: number } {
    const { rows, columns } = this.sheet(id).extent();
    return { width: columns, height: rows };
  }

  /** A sheet's contents as typed, row by row from A1 (formulas as text, values as values, empty cells null; spilled cells are empty). */
  getSheetSerialized(id: number): RawCellContent[][] {
    const sheet = this.sheet(id);
    const rows: RawCellContent[][] = Array.from({ length: sheet.extent().contentRows }, () => []);
    for (const cell of sheet.cells.values()) {
      const row = rows[cell.row]!;
      while (row.length < cell.col) row.push(null);
      row[cell.col] = cell.raw;
    }
    return rows;
  }

  /** Every sheet's contents, by name. */
  getAllSheetsSerialized(): Record<string, RawCellContent[][]> {
    return Object.fromEntries([...this.sheets.values()].map((s) => [s.name, this.getSheetSerialized(s.id)]));
  }

  /** Replaces a sheet's contents with rows of contents from A1. */
  setSheetContent(id: number, rows: RawCellContent[][]): void {
    const sheet = this.sheet(id);
    this.batch(() => {
      for (const cell of [...sheet.cells.values()]) if (rows[cell.row]?.[cell.col] === undefined) this.setCell(sheet, cell.row, cell.col, null);
      rows.forEach((row, i) => row.forEach((content, j) => this.setCell(sheet, i, j, content)));
    });
  }

  // Cells.

  /** Writes contents from a cell: one, or rows of them. A string "=…" is a formula, "'…" text as it is, other text read as Excel reads what is typed. */
  setCellContents(at: CellAddress, contents: RawCellContent | RawCellContent[][]): void {
    const sheet = this.sheet(at.sheet);
    const rows = Array.isArray(contents) ? contents : [[contents]];
    this.batch(() => rows.forEach((row, i) => row.forEach((content, j) => this.setCell(sheet, at.row + i, at.col + j, content))));
  }

  /** A cell's value: a number, text, TRUE/FALSE, a CellError, or null when empty. */
  getCellValue(at: CellAddress): Scalar {
    return this.reader.cell(at.sheet, at.row, at.col);
  }

  /** A cell's formula as typed ("=SUM(A1:A3)"), undefined when it holds none (a spilled cell holds none). */
  getCellFormula(at: CellAddress): string | undefined {
    const cell = this.sheets.get(at.sheet)?.cells.get(cellKey(at.row, at.col));
    return cell?.compiled ? (cell.raw as string) : undefined;
  }

  /** The size of the array a formula's cell spills (its own cell included), undefined when it spills none. */
  getCellSpill(at: CellAddress): { rows: number; columns: number } | undefined {
    const spill = this.sheets.get(at.sheet)?.cells.get(cellKey(at.row, at.col))?.spill;
    return spill && { rows: spill.rows, columns: spill.columns };
  }

  /** What a cell holds as typed: its formula or value, null when empty. */
  getCellSerialized(at: CellAddress): RawCellContent {
    return this.sheets.get(at.sheet)?.cells.get(cellKey(at.row, at.col))?.raw ?? null;
  }

  /** Whether a cell holds a date typed in (stored as its serial number). */
  isCellDate(at: CellAddress): boolean {
    return this.sheets.get(at.sheet)?.cells.get(cellKey(at.row, at.col))?.date ?? false;
  }

  /** The values of a range, row by row. */
  getRangeValues(range: RangeAddress): Scalar[][] {
    const { start, end } = range;
    return Array.from({ length: end.row - start.row + 1 }, (_, i) => Array.from({ length: end.col - start.col + 1 }, (_, j) => this.reader.cell(start.sheet, start.row + i, start.col + j)));
  }

  /** Evaluates a formula as if it were in a cell of the sheet, without writing it: a value, or rows of values for an array. */
  calculateFormula(formula: string, sheet: number): Scalar | Matrix {
    if (!formula.startsWith("=")) return parseEntry(formula).value;
    const compiled = this.compile(formula, sheet);
    if (compiled.error || !compiled.ast) return compiled.error ?? null;
    return this.evaluateAt(compiled.ast, sheet, 0, 0);
  }

  // Names.

  /** Defines a name for the workbook, or for one sheet (`scope`): an expression "=…", or a value. */
  addNamedExpression(name: string, expression: RawCellContent, scope?: number): void {
    if (!isValidName(name)) throw new Error(`${name} is not a valid name`);
    if (scope !== undefined) this.sheet(scope);
    const key = nameKey(name, scope);
    if (this.names.has(key)) throw new Error(`the name ${name} is already defined${scope === undefined ? "" : ` on ${this.getSheetName(scope)}`}`);
    const node = new NameNode(key, name, scope, expression);
    this.names.set(key, node);
    this.batch(() => this.define(node, expression));
  }

  changeNamedExpression(name: string, expression: RawCellContent, scope?: number): void {
    const node = this.names.get(nameKey(name, scope));
    if (!node) throw new Error(`the name ${name} is not defined`);
    this.batch(() => this.define(node, expression));
  }

  removeNamedExpression(name: string, scope?: number): void {
    const node = this.names.get(nameKey(name, scope));
    if (!node) throw new Error(`the name ${name} is not defined`);
    this.batch(() => this.deleteName(node));
  }

  /** A name defined exactly in that scope (the workbook when undefined). */
  getNamedExpression(name: string, scope?: number): SerializedName | undefined {
    const node = this.names.get(nameKey(name, scope));
    return node && { name: node.name, expression: node.raw, scope: node.scope };
  }

  /** The formula of a name defined exactly in that scope, undefined when it has none. */
  getNamedExpressionFormula(name: string, scope?: number): string | undefined {
    const node = this.names.get(nameKey(name, scope));
    return node?.compiled ? String(node.raw) : undefined;
  }

  /** The value of a name defined exactly in that scope: one value, or rows of values for a range. */
  getNamedExpressionValue(name: string, scope?: number): Scalar | Matrix | undefined {
    const node = this.names.get(nameKey(name, scope));
    if (!node) return undefined;
    if (!node.compiled) return node.value;
    if (node.compiled.error || !node.compiled.ast) return node.compiled.error ?? null;
    return this.evaluateAt(node.compiled.ast, scope ?? -1, 0, 0);
  }

  /** The names defined exactly in that scope, in the order they were defined. */
  listNamedExpressions(scope?: number): string[] {
    return [...this.names.values()].filter((n) => n.scope === scope).map((n) => n.name);
  }

  /** Every name, the workbook's first, then by sheet, each by name. */
  getAllNamedExpressionsSerialized(): SerializedName[] {
    return [...this.names.values()]
      .sort((a, b) => (a.scope ?? -1) - (b.scope ?? -1) || (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
      .map((n) => ({ name: n.name, expression: n.raw, scope: n.scope }));
  }

  // Batches, undo and redo.

  /** Runs changes as one: recalculated once at the end, undone as one step. */
  batch<T>(changes: () => T): T {
    const outer = this.batchDepth === 0;
    if (outer) this.transaction = new Map();
    this.batchDepth++;
    try {
      return changes();
    } finally {
      this.batchDepth--;
      if (outer) {
        const recorded = [...this.transaction!.values()].filter((c) => c.before !== c.after);
        this.transaction = undefined;
        this.recalculate();
        if (this.recording && recorded.length > 0) {
          this.undoStack.push(recorded);
          if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
          this.redoStack = [];
        }
      }
    }
  }

  isThereSomethingToUndo(): boolean {
    return this.undoStack.length > 0;
  }

  isThereSomethingToRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Undoes the last edit of cells (one batch, one step). */
  undo(): void {
    const entry = this.undoStack.pop();
    if (!entry) throw new Error("there is nothing to undo");
    this.replay(entry, "before");
    this.redoStack.push(entry);
  }

  redo(): void {
    const entry = this.redoStack.pop();
    if (!entry) throw new Error("there is nothing to redo");
    this.replay(entry, "after");
    this.undoStack.push(entry);
  }

  clearUndoStack(): void {
    this.undoStack = [];
  }

  clearRedoStack(): void {
    this.redoStack = [];
  }

  private replay(entry: Change[], side: "before" | "after"): void {
    this.recording = false;
    try {
      this.batch(() => {
        const changes = side === "before" ? [...entry].reverse() : entry;
        for (const c of changes) {
          const sheet = this.sheets.get(c.sheet);
          if (sheet) this.setCell(sheet, c.row, c.col, c[side]);
        }
      });
    } finally {
      this.recording = true;
    }
  }

  // Internals.

  private sheet(id: number): Sheet {
    const sheet = this.sheets.get(id);
    if (!sheet) throw new Error(`there is no sheet with id ${id}`);
    return sheet;
  }

  private checkSheetName(name: string): void {
    if (name.trim() === "" || name.length > 31 || /[:\\/?*[\]]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw new Error(`${JSON.stringify(name)} is not a valid sheet name: 1 to 31 characters, none of : \\ / ? * [ ], no apostrophe at either end`);
    }
  }

  private *formulas(): Generator<Node> {
    for (const sheet of this.sheets.values()) for (const cell of sheet.cells.values()) if (cell.compiled) yield cell;
    for (const name of this.names.values()) if (name.compiled) yield name;
  }

  /** Reads a formula and resolves the sheets it names; `context` is the sheet of unqualified references. */
  private compile(formula: string, context: number | undefined): Compiled {
    const compiled: Compiled = { refs: [], names: [], sheets: new Set(), unresolved: false };
    try {
      compiled.ast = parseFormula(formula);
    } catch (error) {
      if (!(error instanceof FormulaSyntaxError)) throw error;
      compiled.error = new CellError("#ERROR!", `the formula cannot be read: ${error.message}`);
      return compiled;
    }
    // Without recursion: a long chain of operators makes a deep tree.
    const stack: Ast[] = [compiled.ast];
    for (let ast = stack.pop(); ast; ast = stack.pop()) {
      switch (ast.kind) {
        case "reference": {
          const id = ast.sheet === undefined ? (context ?? -1) : (this.getSheetId(ast.sheet) ?? -1);
          if (ast.sheet !== undefined) {
            if (id < 0) compiled.unresolved = true;
            else compiled.sheets.add(id);
          }
          ast.sheetId = id;
          if (id >= 0) compiled.refs.push({ sheet: id, rect: ast });
          break;
        }
        case "name":
          compiled.names.push(ast.name.toLowerCase());
          if (ast.sheet !== undefined) {
            const id = this.getSheetId(ast.sheet);
            if (id === undefined) compiled.unresolved = true;
            else compiled.sheets.add(id);
          }
          break;
        case "call":
          stack.push(...ast.args);
          break;
        case "unary":
        case "percent":
          stack.push(ast.operand);
          break;
        case "binary":
        case "range":
          stack.push(ast.left, ast.right);
          break;
        default:
          break;
      }
    }
    return compiled;
  }

  private evaluateAt(ast: Ast, sheet: number, row: number, col: number): Scalar | Matrix {
    const ev = new Evaluator(this.reader, sheet, row, col);
    try {
      return finalize(ev, ev.evaluate(ast));
    } catch (error) {
      if (error instanceof RangeError) return new CellError("#CALC!", "the formula nests too deeply to compute");
      throw error;
    }
  }

  private register(node: Node, compiled: Compiled): void {
    const registration: Registration = { cells: [], ranges: [], names: [] };
    for (const { sheet: id, rect } of compiled.refs) {
      const sheet = this.sheets.get(id);
      if (!sheet) continue;
      if (rect.top === rect.bottom && rect.left === rect.right) {
        const key = cellKey(rect.top, rect.left);
        let set = sheet.cellDeps.get(key);
        if (!set) sheet.cellDeps.set(key, (set = new Set()));
        set.add(node);
        registration.cells.push([sheet.cellDeps, key]);
      } else {
        registration.ranges.push([sheet.ranges, sheet.ranges.add({ top: rect.top, left: rect.left, bottom: rect.bottom, right: rect.right }, node)]);
      }
    }
    for (const name of new Set(compiled.names)) {
      let set = this.nameDeps.get(name);
      if (!set) this.nameDeps.set(name, (set = new Set()));
      set.add(node);
      registration.names.push(name);
    }
    node.compiled = compiled;
    node.registration = registration;
    if (compiled.unresolved) this.unresolved.add(node);
  }

  private unregister(node: Node): void {
    const r = node.registration;
    if (r) {
      for (const [map, key] of r.cells) {
        const set = map.get(key);
        set?.delete(node);
        if (set?.size === 0) map.delete(key);
      }
      for (const [index, entry] of r.ranges) index.remove(entry);
      for (const name of r.names) {
        const set = this.nameDeps.get(name);
        set?.delete(node);
        if (set?.size === 0) this.nameDeps.delete(name);
      }
    }
    node.registration = undefined;
    node.compiled = undefined;
    this.unresolved.delete(node);
  }

  /** Takes a cell's formula and spill out of the workbook, its old spill's readers pending. */
  private detach(cell: CellNode): void {
    this.unregister(cell);
    if (cell.spill) this.clearSpill(cell, (n) => this.pending.add(n));
    cell.sheet.anchors.delete(cell);
    cell.intended = undefined;
    cell.detached = true;
  }

  private setCell(sheet: Sheet, row: number, col: number, content: RawCellContent): void {
    if (row < 0 || col < 0 || row >= MAX_ROWS || col >= MAX_COLUMNS) throw new Error(`cell ${a1(row, col)} is outside the sheet`);
    const raw = content === undefined || content === "" ? null : content;
    const key = cellKey(row, col);
    const old = sheet.cells.get(key);
    const before = old?.raw ?? null;
    if (before === raw) return;
    if (this.transaction) {
      const id = `${sheet.id}:${key}`;
      const change = this.transaction.get(id);
      if (change) change.after = raw;
      else this.transaction.set(id, { sheet: sheet.id, row, col, before, after: raw });
    }
    if (old) this.detach(old);
    sheet.changed();
    if (raw !== null) {
      const cell = new CellNode(sheet, row, col, raw);
      sheet.cells.set(key, cell);
      if (typeof raw === "string" && raw.startsWith("=")) {
        this.register(cell, this.compile(raw, sheet.id));
        this.pending.add(cell);
      } else if (typeof raw === "string") {
        const entry = raw.startsWith("'") ? { value: raw.slice(1) } : parseEntry(raw);
        cell.value = entry.value;
        cell.date = entry.date ?? false;
      } else if (typeof raw === "number") {
        cell.value = Number.isFinite(raw) ? raw : new CellError("#NUM!", "the number is not finite");
      } else {
        cell.value = raw;
      }
    } else {
      sheet.cells.delete(key);
    }
    const out = new Set<Node>();
    this.cellDependents(sheet, row, col, out);
    for (const anchor of sheet.anchors) if (anchor.intended && anchor.row * MAX_COLUMNS + anchor.col !== key && intersects(anchor.intended, { top: row, left: col, bottom: row, right: col })) out.add(anchor);
    for (const n of out) this.pending.add(n);
  }

  /** Gives a name its expression: a formula (compiled, registered) or a value. */
  private define(node: NameNode, expression: RawCellContent): void {
    this.unregister(node);
    node.raw = expression;
    if (typeof expression === "string" && expression.startsWith("=")) this.register(node, this.compile(expression, node.scope));
    else node.value = typeof expression === "string" ? parseEntry(expression).value : (expression ?? null);
    this.pending.add(node);
  }

  private deleteName(node: NameNode): void {
    this.unregister(node);
    this.names.delete(node.key);
    node.detached = true;
    this.pending.add(node);
  }

  /** Gives a formula new text after a sheet's rename or removal: read again (removal), or only its text changed (rename). */
  private rewrite(node: Node, text: string, recompile: boolean): void {
    if (!recompile) {
      node.raw = text;
      return;
    }
    this.unregister(node);
    node.raw = text;
    this.register(node, this.compile(text, node.kind === "cell" ? node.sheet.id : node.scope));
    this.pending.add(node);
  }

  /** Reads again the formulas that name sheets the workbook lacked, now that one may have appeared. */
  private relink(): void {
    for (const node of [...this.unresolved]) this.rewrite(node, String(node.raw), true);
  }

  private cellDependents(sheet: Sheet, row: number, col: number, out: Set<Node>): void {
    const direct = sheet.cellDeps.get(cellKey(row, col));
    if (direct) for (const n of direct) out.add(n);
    sheet.ranges.containing(row, col, out);
  }

  /** The formulas that read any cell of a rectangle, and the array formulas that want it. */
  private areaDependents(sheet: Sheet, rect: Rect, out: Set<Node>, except?: CellNode): void {
    for (let r = rect.top; r <= rect.bottom; r++) {
      for (let c = rect.left; c <= rect.right; c++) {
        const direct = sheet.cellDeps.get(cellKey(r, c));
        if (direct) for (const n of direct) out.add(n);
      }
    }
    sheet.ranges.intersecting(rect, out);
    for (const anchor of sheet.anchors) if (anchor !== except && anchor.intended && intersects(anchor.intended, rect)) out.add(anchor);
  }

  /** What must be recomputed after a node changes: its readers, and for a spilling formula the readers of its spill. */
  private dependents(node: Node): Set<Node> {
    const out = new Set<Node>();
    if (node.kind === "name") {
      const users = this.nameDeps.get(node.name.toLowerCase());
      if (users) for (const n of users) out.add(n);
      return out;
    }
    this.cellDependents(node.sheet, node.row, node.col, out);
    if (node.spill) this.areaDependents(node.sheet, spillRect(node), out, node);
    return out;
  }

  /**
   * Recomputes what the changes since the last recalculation reach, each formula after what
   * it reads; a formula whose precedents all kept their values is not recomputed. A spill
   * that moves can reach formulas already computed: they are computed again in a next round.
   */
  private recalculate(): void {
    for (let round = 1; this.pending.size > 0; round++) {
      const seeds = this.pending;
      this.pending = new Set();
      const { order, cyclic, successors } = recalculationOrder(seeds, (n) => this.dependents(n));
      if (round > MAX_ROUNDS) {
        for (const node of order) if (node.kind === "cell" && node.compiled && !node.detached) this.assign(node, new CellError("#CALC!", "spilled results keep moving one another"), () => undefined);
        return;
      }
      const needed = new Set(seeds);
      const done = new Set<Node>();
      const inRound = new Set(order);
      const reach = (n: Node) => {
        if (!inRound.has(n) || done.has(n)) this.pending.add(n);
        else needed.add(n);
      };
      for (const node of order) {
        done.add(node);
        if (!needed.has(node) && !cyclic.has(node)) continue;
        if (node.kind === "cell" && !node.detached && node.compiled) {
          const before = node.value;
          const spilled = node.spill !== undefined;
          this.assign(node, cyclic.has(node) ? errors.circular() : this.compute(node), reach);
          if (sameValue(before, node.value) && !spilled && node.spill === undefined) continue;
        }
        for (const n of successors.get(node) ?? []) needed.add(n);
      }
    }
  }

  private compute(cell: CellNode): Scalar | Matrix {
    const compiled = cell.compiled!;
    if (compiled.error || !compiled.ast) return compiled.error ?? 0;
    return this.evaluateAt(compiled.ast, cell.sheet.id, cell.row, cell.col);
  }

  /** The first cell of an array's area that is taken, by a value or another spill, described for the error. */
  private blocker(cell: CellNode, area: Rect): string | undefined {
    const sheet = cell.sheet;
    for (let r = area.top; r <= area.bottom; r++) {
      for (let c = area.left; c <= area.right; c++) {
        if (r === cell.row && c === cell.col) continue;
        const key = cellKey(r, c);
        if (sheet.cells.has(key)) return `the spill range is not empty: ${a1(r, c)} holds something`;
        const other = sheet.spilled.get(key);
        if (other && other !== cell) return `the spill range is not empty: ${a1(r, c)} holds the spilled result of ${a1(other.row, other.col)}`;
      }
    }
    return undefined;
  }

  /** Sets a formula's result: a value, or an array spilled over the cells it needs (or #SPILL! when one is taken). */
  private assign(cell: CellNode, result: Scalar | Matrix, changed: (node: Node) => void): void {
    const sheet = cell.sheet;
    let spill: CellNode["spill"];
    if (isMatrix(result)) {
      const area = { top: cell.row, left: cell.col, bottom: cell.row + result.length - 1, right: cell.col + result[0]!.length - 1 };
      if (area.bottom >= MAX_ROWS || area.right >= MAX_COLUMNS) {
        cell.value = errors.spill("the result runs past the edge of the sheet");
        cell.intended = undefined;
        sheet.anchors.delete(cell);
      } else {
        cell.intended = area;
        sheet.anchors.add(cell);
        const blocked = this.blocker(cell, area);
        if (blocked) cell.value = errors.spill(blocked);
        else {
          spill = { rows: result.length, columns: result[0]!.length, values: result };
          cell.value = result[0]![0]!;
        }
      }
    } else {
      cell.value = result;
      cell.intended = undefined;
      sheet.anchors.delete(cell);
    }
    if (!cell.spill && !spill) return;
    const old = cell.spill;
    if (old) this.clearSpill(cell, changed, spill);
    if (!spill) return;
    cell.spill = spill;
    sheet.changed();
    const grown = new Set<Node>();
    for (let i = 0; i < spill.rows; i++) {
      for (let j = 0; j < spill.columns; j++) {
        if (i === 0 && j === 0) continue;
        const key = cellKey(cell.row + i, cell.col + j);
        sheet.spilled.set(key, cell);
        const was = old && i < old.rows && j < old.columns ? old.values[i]![j] : null;
        if (!sameValue(was, spill.values[i]![j])) this.cellDependents(sheet, cell.row + i, cell.col + j, grown);
      }
    }
    if (!old || old.rows !== spill.rows || old.columns !== spill.columns) this.areaDependents(sheet, spillRect(cell), grown, cell);
    for (const n of grown) changed(n);
  }

  /** Takes a spill off the sheet; the readers of cells it leaves (those `next` does not cover again) are told. */
  private clearSpill(cell: CellNode, changed: (node: Node) => void, next?: { rows: number; columns: number }): void {
    const old = cell.spill!;
    const sheet = cell.sheet;
    const out = new Set<Node>();
    for (let i = 0; i < old.rows; i++) {
      for (let j = 0; j < old.columns; j++) {
        if (i === 0 && j === 0) continue;
        const key = cellKey(cell.row + i, cell.col + j);
        if (sheet.spilled.get(key) === cell) sheet.spilled.delete(key);
        if (!next || i >= next.rows || j >= next.columns) this.cellDependents(sheet, cell.row + i, cell.col + j, out);
      }
    }
    if (!next || next.rows !== old.rows || next.columns !== old.columns) {
      for (const anchor of sheet.anchors) if (anchor !== cell && anchor.intended && intersects(anchor.intended, spillRect(cell))) out.add(anchor);
    }
    cell.spill = undefined;
    sheet.changed();
    for (const n of out) changed(n);
  }
}


export { CellError, Ref };
export type { Matrix, RawCellContent, Scalar };
