import { cellAddress, parseAddress, writeFormulas, writeSize, type CellContent, type RangeWrite, type SheetPlan } from "../models/plan";

/**
 * Cell geometry shared by the hosts: the cells a sheet plan writes (its footprint), set
 * operations on them, and a plan's writes cut into pieces small enough for one request.
 * Pure data; no Office calls.
 */
export interface Rect {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Excel's grid: 1,048,576 rows × 16,384 columns. */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

/** "B4", "B4:C9", and whole columns ("A:D") or rows ("3:5"), as Excel writes them. */
export function parseRange(range: string): Rect {
  const [from, to = from] = range.replace(/\$/g, "").split(":") as [string, string?];
  if (/^[A-Z]+$/.test(from) && /^[A-Z]+$/.test(to!)) {
    const a = parseAddress(`${from}1`).column;
    const b = parseAddress(`${to}1`).column;
    return { top: 1, bottom: MAX_ROWS, left: Math.min(a, b), right: Math.max(a, b) };
  }
  if (/^\d+$/.test(from) && /^\d+$/.test(to!)) return { top: Math.min(Number(from), Number(to)), bottom: Math.max(Number(from), Number(to)), left: 1, right: MAX_COLUMNS };
  const a = parseAddress(from);
  const b = parseAddress(to!);
  return { top: Math.min(a.row, b.row), left: Math.min(a.column, b.column), bottom: Math.max(a.row, b.row), right: Math.max(a.column, b.column) };
}

export function rectAddress(r: Rect): string {
  const from = cellAddress(r.top, r.left);
  return r.top === r.bottom && r.left === r.right ? from : `${from}:${cellAddress(r.bottom, r.right)}`;
}

export const rectCells = (r: Rect) => (r.bottom - r.top + 1) * (r.right - r.left + 1);

/** A set of cells, row by row. */
export class CellSet {
  private readonly rows = new Map<number, Set<number>>();

  static of(ranges: Iterable<string>): CellSet {
    const set = new CellSet();
    for (const range of ranges) set.addRect(parseRange(range));
    return set;
  }

  addRect(r: Rect): this {
    for (let row = r.top; row <= r.bottom; row++) {
      let columns = this.rows.get(row);
      if (!columns) this.rows.set(row, (columns = new Set()));
      for (let c = r.left; c <= r.right; c++) columns.add(c);
    }
    return this;
  }

  has(row: number, column: number): boolean {
    return this.rows.get(row)?.has(column) ?? false;
  }

  get size(): number {
    let n = 0;
    for (const columns of this.rows.values()) n += columns.size;
    return n;
  }

  union(other: CellSet): CellSet {
    const result = new CellSet();
    for (const set of [this, other]) for (const [row, columns] of set.rows) for (const c of columns) result.addRect({ top: row, bottom: row, left: c, right: c });
    return result;
  }

  minus(other: CellSet): CellSet {
    const result = new CellSet();
    for (const [row, columns] of this.rows) for (const c of columns) if (!other.has(row, c)) result.addRect({ top: row, bottom: row, left: c, right: c });
    return result;
  }

  /** Cells of this set inside a rectangle. */
  within(r: Rect | undefined): CellSet {
    const result = new CellSet();
    if (!r) return result;
    for (const [row, columns] of this.rows) if (row >= r.top && row <= r.bottom) for (const c of columns) if (c >= r.left && c <= r.right) result.addRect({ top: row, bottom: row, left: c, right: c });
    return result;
  }

  /** The set as few rectangles: runs along each row, then equal runs on consecutive rows merged. */
  rects(): Rect[] {
    const done: Rect[] = [];
    let open = new Map<string, Rect>(); // "left:right" → rectangle reaching the previous row
    for (const row of [...this.rows.keys()].sort((a, b) => a - b)) {
      const columns = [...(this.rows.get(row) as Set<number>)].sort((a, b) => a - b);
      const next = new Map<string, Rect>();
      for (let i = 0; i < columns.length; ) {
        let j = i;
        while (j + 1 < columns.length && (columns[j + 1] as number) === (columns[j] as number) + 1) j++;
        const left = columns[i] as number;
        const right = columns[j] as number;
        const key = `${left}:${right}`;
        const previous = open.get(key);
        if (previous && previous.bottom === row - 1) {
          previous.bottom = row;
          open.delete(key);
          next.set(key, previous);
        } else next.set(key, { top: row, bottom: row, left, right });
        i = j + 1;
      }
      for (const r of open.values()) done.push(r);
      open = next;
    }
    for (const r of open.values()) done.push(r);
    return done.sort((a, b) => a.top - b.top || a.left - b.left);
  }

  ranges(): string[] {
    return this.rects().map(rectAddress);
  }
}

/** The cells a sheet plan writes, as A1 ranges: what "the model's own cells" means on a rebuild. */
export function planFootprint(sheet: SheetPlan): string[] {
  const set = new CellSet();
  for (const write of sheet.writes) {
    const { row, column } = parseAddress(write.at);
    const { rows, columns } = writeSize(write);
    if (rows > 0 && columns > 0) set.addRect({ top: row, left: column, bottom: row + rows - 1, right: column + columns - 1 });
  }
  return set.ranges();
}

/** Splits ranges into pieces of at most `maxCells` cells (whole rows where a row fits). */
export function splitRects(rects: Rect[], maxCells: number): Rect[] {
  const pieces: Rect[] = [];
  for (const r of rects) {
    const width = r.right - r.left + 1;
    if (width <= maxCells) {
      const rowsPer = Math.max(1, Math.floor(maxCells / width));
      for (let top = r.top; top <= r.bottom; top += rowsPer) pieces.push({ ...r, top, bottom: Math.min(r.bottom, top + rowsPer - 1) });
    } else {
      for (let row = r.top; row <= r.bottom; row++) for (let left = r.left; left <= r.right; left += maxCells) pieces.push({ top: row, bottom: row, left, right: Math.min(r.right, left + maxCells - 1) });
    }
  }
  return pieces;
}

/** One rectangular write of a plan, formulas expanded, small enough for one request. */
export interface WritePiece {
  range: string;
  /** Cell contents: formulas ("=…") or values, "" for empty. */
  contents: CellContent[][];
  /** True when `contents` are formulas (written through `formulas`), false for values. */
  formulas: boolean;
  numberFormat?: string;
  text?: boolean;
  style?: RangeWrite["style"];
  /** Estimated bytes of the request that writes it. */
  bytes: number;
}

const encoder = new TextEncoder();
/** UTF-8 bytes of a value as JSON: what it weighs in an Office.js request. */
export const jsonBytes = (value: unknown) => encoder.encode(JSON.stringify(value)).length;
/** Office.js's per-operation envelope (action, object path, ids), generously. */
export const OPERATION_BYTES = 300;

/**
 * A sheet plan's writes, cut by rows (and, for a very wide row, by columns) so each piece
 * weighs at most `budget` bytes with its number formats and styles.
 */
export function writePieces(sheet: SheetPlan, budget: number): WritePiece[] {
  const pieces: WritePiece[] = [];
  for (const write of sheet.writes) {
    const formulas = writeFormulas(write);
    const grid: CellContent[][] = formulas ? formulas.map((r) => r.map((f) => f ?? "")) : (write.values ?? []).map((r) => r.map((v) => (v === null ? "" : v)));
    const { row, column } = parseAddress(write.at);
    const formatBytes = write.text ? 4 : write.numberFormat ? jsonBytes(write.numberFormat) + 1 : 0;
    const overhead = OPERATION_BYTES * (2 + Object.keys(write.style ?? {}).length);
    let start = 0;
    while (start < grid.length) {
      // Rows while they fit.
      let bytes = overhead;
      let end = start;
      const rowBytes = (r: CellContent[]) => jsonBytes(r) + formatBytes * r.length;
      const first = rowBytes(grid[start] as CellContent[]);
      if (first + overhead > budget) {
        // One row too heavy on its own: cut it by columns.
        const cells = grid[start] as CellContent[];
        let left = 0;
        while (left < cells.length) {
          let b = overhead;
          let right = left;
          while (right < cells.length && (right === left || b + jsonBytes(cells[right]) + formatBytes + 1 <= budget)) b += jsonBytes(cells[right++]) + formatBytes + 1;
          pieces.push(piece(write, row + start, column + left, [cells.slice(left, right)], formulas !== undefined, b));
          left = right;
        }
        start++;
        continue;
      }
      for (; end < grid.length; end++) {
        const next = end === start ? first : rowBytes(grid[end] as CellContent[]); // each row measured once
        if (end > start && bytes + next > budget) break;
        bytes += next;
      }
      pieces.push(piece(write, row + start, column, grid.slice(start, end), formulas !== undefined, bytes));
      start = end;
    }
  }
  return pieces;
}

function piece(write: RangeWrite, row: number, column: number, contents: CellContent[][], formulas: boolean, bytes: number): WritePiece {
  const width = contents[0]?.length ?? 0;
  return {
    range: rectAddress({ top: row, left: column, bottom: row + contents.length - 1, right: column + width - 1 }),
    contents,
    formulas,
    numberFormat: write.numberFormat,
    text: write.text,
    style: write.style,
    bytes,
  };
}

/** Groups weighted items into batches of at most `budget` bytes (an item heavier than that goes alone). */
export function batches<T extends { bytes: number }>(items: T[], budget: number): T[][] {
  const result: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    if (current.length > 0 && total + item.bytes > budget) {
      result.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += item.bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}
