/**
 * A workbook plan: what a model writes into a workbook, as plain data. `src/host` applies
 * it (Office.js in Excel, an .xlsx file elsewhere); nothing here calls Office.
 *
 * Cells are written as whole rectangular ranges. A range carries either values or
 * formulas (a formula cell starts with "="); `text` marks values that came from users and
 * must stay text even when they start with "=" (they are never evaluated).
 */
export type CellContent = string | number | boolean | null;

export interface RangeWrite {
  /** Top-left cell, A1 style, e.g. "B4". The range's size is that of `values`, `formulas` or `fill`. */
  at: string;
  values?: CellContent[][];
  formulas?: (string | null)[][];
  /**
   * One formula, written for the top-left cell and filled across the range as Excel fills
   * a selection: relative references move with each cell, $-anchored ones stay. Keeps a
   * plan's size independent of the model's.
   */
  fill?: { formula: string; rows: number; columns: number };
  /** One number format for the whole range, e.g. "#,##0.00" or "0.0%". */
  numberFormat?: string;
  /** Values from users, written as text whatever their first character. */
  text?: boolean;
  style?: { bold?: boolean; italic?: boolean; fill?: string; fontColor?: string };
}

export interface DefinedName {
  /** A name valid in Excel: letters, digits, underscores, not a cell reference. */
  name: string;
  /** A1 reference on the sheet, e.g. "$B$14" or "$D$29:$Z$29". */
  ref: string;
  comment?: string;
}

export interface ChartSeries {
  name: string;
  /** Range on the sheet holding the series values, e.g. "D29:Z29". */
  values: string;
}

export interface ChartPlan {
  /** "column": clustered columns over text categories (one bar per partner, say). */
  kind: "line" | "areaStacked" | "column";
  title: string;
  /** Range holding the category labels (the x axis). */
  categories: string;
  series: ChartSeries[];
  /** Where the chart sits: its top-left and bottom-right cells. */
  from: string;
  to: string;
}

export interface TablePlan {
  /** A workbook-unique table name; the host adds a suffix when it is taken. */
  name: string;
  /** The range it covers, header row included, e.g. "A33:J40". */
  range: string;
  style?: string;
}

/**
 * What a cell accepts, as Excel's data validation: a decimal or whole number within bounds
 * (inclusive), one of a list of words, or a custom condition (a formula on the range's
 * top-left cell, relative references moving over the range as in Excel).
 */
export type ValidationRule =
  | { kind: "decimal"; min?: number; max?: number }
  | { kind: "whole"; min: number; max: number }
  | { kind: "list"; values: string[] }
  | { kind: "custom"; formula: string };

/** Excel's limits on the texts of a validation: a title of 32 characters, a message of 255. */
export const VALIDATION_TITLE_MAX = 32;
export const VALIDATION_MESSAGE_MAX = 255;

export interface ValidationPlan {
  /** The cells it covers, e.g. "B5" or "$C$34:$J$45". */
  range: string;
  rule: ValidationRule;
  /** Shown when the cell is selected: what it holds and in which unit. */
  prompt: { title: string; message: string };
  /** Shown, and the entry refused, when a value outside the rule is typed. */
  error: { title: string; message: string };
  /** Whether an empty cell is accepted (the trailing cells of a ragged triangle); default no. */
  allowBlank?: boolean;
}

export interface SheetPlan {
  /** The sheet's name as the model wants it; the host makes it unique in the workbook. */
  name: string;
  writes: RangeWrite[];
  /** Sheet-scoped defined names. */
  names: DefinedName[];
  charts: ChartPlan[];
  /** Excel tables over ranges the plan writes (their header row must hold distinct labels). */
  tables?: TablePlan[];
  freeze?: { rows: number; columns: number };
  /** Column widths in characters, by column letter. */
  columnWidths?: Record<string, number>;
  /** Data validation of the input cells (which can still be pasted over: results guard themselves too). */
  validations?: ValidationPlan[];
  /** Heat maps: a three-colour scale over each range (HEAT_MAP), as Excel's conditional formatting. */
  heatMaps?: HeatMapPlan[];
}

/** A colour scale over a range of results, e.g. "C60:G64". */
export interface HeatMapPlan {
  range: string;
}

/**
 * Every heat map's colour scale, Excel's red–yellow–green: the lowest value red, the median
 * (the 50th percentile) yellow, the highest green; values between blend linearly.
 */
export const HEAT_MAP = { low: "#F8696B", mid: "#FFEB84", high: "#63BE7B", midPercentile: 50 } as const;

export interface WorkbookPlan {
  /** Identifies the model, so a rebuild can find and replace its own sheet. */
  modelId: string;
  sheets: SheetPlan[];
}

/** A block of a model sheet (a tornado, a grid): its cells, names, validations, the InputCheck conditions it adds, and the core's values of its formulas. */
export interface SheetBlock {
  writes: RangeWrite[];
  names: DefinedName[];
  validations: ValidationPlan[];
  checks: [string, string][];
  expected: Map<string, number | string>;
}

/** Adds a block to a sheet being built; its values to `expected` when given. */
export function addBlock(sheet: Omit<SheetBlock, "expected">, block: SheetBlock, expected?: Map<string, number | string>): void {
  sheet.writes.push(...block.writes);
  sheet.names.push(...block.names);
  sheet.validations.push(...block.validations);
  sheet.checks.push(...block.checks);
  if (expected) for (const [address, value] of block.expected) expected.set(address, value);
}

/** A sheet's name as a formula or an address names it: quoted, any quote in it doubled ('Bob''s model'). */
export const quoteSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

/** Column letters of a 1-based column number: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A1 address of a 1-based row and column; `absolute` adds the $ signs. */
export function cellAddress(row: number, column: number, absolute = false): string {
  return absolute ? `$${columnLetter(column)}$${row}` : `${columnLetter(column)}${row}`;
}

/** Row and column (1-based) of an A1 address such as "B4" or "$B$4". */
export function parseAddress(address: string): { row: number; column: number } {
  const match = /^\$?([A-Z]+)\$?(\d+)$/.exec(address);
  if (!match) throw new Error(`not a cell address: ${address}`);
  let column = 0;
  for (const ch of match[1] as string) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(match[2]), column };
}

/** Rows and columns covered by a write. */
export function writeSize(write: RangeWrite): { rows: number; columns: number } {
  if (write.fill) return { rows: write.fill.rows, columns: write.fill.columns };
  const grid = write.values ?? write.formulas ?? [[]];
  return { rows: grid.length, columns: grid[0]?.length ?? 0 };
}

/** The A1 range covered by a write. */
export function writeRange(write: RangeWrite): string {
  const { row, column } = parseAddress(write.at);
  const { rows, columns } = writeSize(write);
  return `${write.at}:${cellAddress(row + rows - 1, column + columns - 1)}`;
}

/** A cell reference in a formula: not inside a name or a function name, not followed by "(". */
const REFERENCE = /(^|[^A-Za-z0-9_.$])(\$?)([A-Z]{1,3})(\$?)([0-9]+)(?![A-Za-z0-9_(])/g;

/**
 * The formula as it reads `rows` below and `columns` right of where it was written:
 * relative row and column references move, $-anchored ones stay (Excel's fill). Text in
 * double quotes and sheet names in single quotes ('Q4 plan'!A1) are left alone.
 */
export function shiftFormula(formula: string, rows: number, columns: number): string {
  if (rows === 0 && columns === 0) return formula;
  return formula
    .split(/("(?:[^"]|"")*"|'(?:[^']|'')*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(REFERENCE, (_, before: string, colAbs: string, letters: string, rowAbs: string, digits: string) => {
            let column = 0;
            for (const ch of letters) column = column * 26 + ch.charCodeAt(0) - 64;
            const newColumn = colAbs ? column : column + columns;
            const newRow = rowAbs ? Number(digits) : Number(digits) + rows;
            return `${before}${colAbs}${columnLetter(newColumn)}${rowAbs}${newRow}`;
          }),
    )
    .join("");
}

/**
 * The formula with every reference to a cell `inside` says is another sheet's qualified with
 * that sheet (a range by its first cell: 'Sheet'!A1:B2). References already qualified, text in
 * double quotes and quoted sheet names are left alone.
 */
export function qualifyReferences(formula: string, sheet: string, inside: (row: number, column: number) => boolean): string {
  return formula
    .split(/("(?:[^"]|"")*"|'(?:[^']|'')*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(REFERENCE, (whole: string, before: string, colAbs: string, letters: string, rowAbs: string, digits: string) => {
            if (before === ":" || before === "!") return whole;
            let column = 0;
            for (const ch of letters) column = column * 26 + ch.charCodeAt(0) - 64;
            return inside(Number(digits), column) ? `${before}${quoteSheet(sheet)}!${colAbs}${letters}${rowAbs}${digits}` : whole;
          }),
    )
    .join("");
}

/**
 * The sheet with its formulas' references to other sheets of the plan renamed (the cells'
 * formulas; names refer to the sheet's own cells): a host that
 * writes a plan's sheet under another name (one taken, or the user's name for a rebuilt
 * sheet) passes `renames` (planned name → name in the workbook).
 */
export function renameSheetReferences(sheet: SheetPlan, renames: ReadonlyMap<string, string>): SheetPlan {
  const changes = new Map([...renames].filter(([from, to]) => from !== to).map(([from, to]) => [quoteSheet(from), quoteSheet(to)]));
  if (changes.size === 0) return sheet;
  // One pass over the formula's quoted sheet names: a name renamed into another's planned name is not renamed again.
  const rename = (formula: string) =>
    formula
      .split(/("(?:[^"]|"")*")/)
      .map((part, i) => (i % 2 === 1 ? part : part.replace(/'(?:[^']|'')*'(?=!)/g, (quoted) => changes.get(quoted) ?? quoted)))
      .join("");
  return {
    ...sheet,
    writes: sheet.writes.map((w) => ({
      ...w,
      ...(w.formulas ? { formulas: w.formulas.map((row) => row.map((f) => (f === null ? f : rename(f)))) } : {}),
      ...(w.fill ? { fill: { ...w.fill, formula: rename(w.fill.formula) } } : {}),
    })),
  };
}

/** The formulas of a write, cell by cell, fills expanded. */
export function writeFormulas(write: RangeWrite): (string | null)[][] | undefined {
  if (write.formulas) return write.formulas;
  const fill = write.fill;
  if (!fill) return undefined;
  return Array.from({ length: fill.rows }, (_, i) => Array.from({ length: fill.columns }, (_, j) => shiftFormula(fill.formula, i, j)));
}
