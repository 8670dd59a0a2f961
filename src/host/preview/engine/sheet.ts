import { RangeIndex, type RangeEntry } from "./graph";
import type { Ast } from "./parser";
import { CellError, MAX_COLUMNS, type Matrix, type RawCellContent, type Rect, type Scalar } from "./values";

/**
 * How the engine keeps a workbook: sheets of cells (a value, or a formula with what it
 * reads and what it spilled), defined names, and for each sheet the formulas that read its
 * cells and ranges, which the dependency graph follows from a change to what it reaches.
 */

/** What a formula reads, with its sheets resolved. */
export interface Compiled {
  ast?: Ast;
  error?: CellError;
  refs: { sheet: number; rect: Rect }[];
  names: string[];
  /** Sheets the formula names (for rewriting it when one is renamed or removed). */
  sheets: Set<number>;
  /** Whether it names a sheet that does not exist (it is read again when one of that name appears). */
  unresolved: boolean;
}

export interface Registration {
  cells: [Map<number, Set<Node>>, number][];
  ranges: [RangeIndex<Node>, RangeEntry<Node>][];
  names: string[];
}

export class CellNode {
  readonly kind = "cell";
  value: Scalar = null;
  date = false;
  detached = false;
  compiled?: Compiled;
  registration?: Registration;
  spill?: { rows: number; columns: number; values: Matrix };
  /** The cells an array result wants, taken or not: a change in them recomputes the formula. */
  intended?: Rect;

  constructor(
    readonly sheet: Sheet,
    readonly row: number,
    readonly col: number,
    public raw: RawCellContent,
  ) {}
}

export class NameNode {
  readonly kind = "name";
  value: Scalar = null;
  detached = false;
  compiled?: Compiled;
  registration?: Registration;

  constructor(
    readonly key: string,
    readonly name: string,
    readonly scope: number | undefined,
    public raw: RawCellContent,
  ) {}
}

export type Node = CellNode | NameNode;

export class Sheet {
  readonly cells = new Map<number, CellNode>();
  /** Cells a spilled array covers (the anchor aside), to the formula that spills there. */
  readonly spilled = new Map<number, CellNode>();
  /** Formulas reading each single cell. */
  readonly cellDeps = new Map<number, Set<Node>>();
  /** Formulas reading ranges. */
  readonly ranges = new RangeIndex<Node>();
  /** Formulas whose results are arrays, spilled or blocked. */
  readonly anchors = new Set<CellNode>();
  private size?: { rows: number; columns: number; contentRows: number };

  constructor(
    readonly id: number,
    public name: string,
  ) {}

  /** The used rows and columns, spilled cells included; `contentRows` counts only cells that hold something. */
  extent(): { rows: number; columns: number; contentRows: number } {
    if (this.size) return this.size;
    let rows = 0;
    let columns = 0;
    for (const c of this.cells.values()) {
      rows = Math.max(rows, c.row + 1);
      columns = Math.max(columns, c.col + 1);
    }
    const contentRows = rows;
    for (const key of this.spilled.keys()) {
      rows = Math.max(rows, Math.floor(key / MAX_COLUMNS) + 1);
      columns = Math.max(columns, (key % MAX_COLUMNS) + 1);
    }
    return (this.size = { rows, columns, contentRows });
  }

  changed(): void {
    this.size = undefined;
  }
}

/** A cell's key in its sheet's maps. */
export const cellKey = (row: number, col: number) => row * MAX_COLUMNS + col;
/** A name's key: its scope (empty for the workbook) and its name without regard to case. */
export const nameKey = (name: string, scope: number | undefined) => `${scope ?? ""}|${name.toLowerCase()}`;

function columnName(col: number): string {
  let n = col + 1;
  let letters = "";
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A cell's A1 address (0-based row and column). */
export const a1 = (row: number, col: number) => `${columnName(col)}${row + 1}`;

/** Whether two values are the same, errors by code and message. */
export const sameValue = (a: Scalar | undefined, b: Scalar | undefined) =>
  a === b || (a instanceof CellError && b instanceof CellError && a.value === b.value && a.message === b.message);

/** The cells a formula's spill covers, its own included. */
export function spillRect(cell: CellNode): Rect {
  const { rows, columns } = cell.spill!;
  return { top: cell.row, left: cell.col, bottom: cell.row + rows - 1, right: cell.col + columns - 1 };
}
