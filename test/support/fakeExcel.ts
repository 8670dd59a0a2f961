/**
 * A strict in-memory Excel behind the Office.js API, for the tests of src/host/excel. It fails
 * where Excel fails: a lenient fake once hid that no model could be built in real Excel. The
 * rules, and where they come from ("Office.js" is the client library, @microsoft/office-js
 * dist/excel-web-16.00.debug.js):
 *
 * 1. Loading. A property is readable only after load() and a context.sync() that served it,
 *    else PropertyNotLoaded. Office.js: each getter is `_throwIfNotLoaded("name", this._N,
 *    _typeWorksheet, this._isNull)`, and `Utility.throwIfNotLoaded` throws when the field is
 *    undefined; each setter does `this._N = value` first, so a property set on the same proxy
 *    reads back. `WorksheetCollection.add` does not set `_N`. Loaded values are the snapshot of
 *    that sync. `isNullObject` goes through the same check; only a sync's result sets it
 *    (`_handleIdResult`). `ClientResult.value` throws ValueNotLoaded before its sync.
 *    Stricter than Office.js: reading any other property of a null object throws (Office.js
 *    skips the check on null objects and returns undefined).
 * 2. Batches. Actions run at sync, in order; the first that fails rejects the sync with its
 *    code, and what ran before it stays (Excel does not roll back). Making an object is an
 *    action too (the ClientObject constructor calls `ActionFactory.createInstantiateAction`),
 *    so `getItem("missing")` fails its sync even unused. Objects made by add, getRange and the
 *    like are `isInvalidAfterRequest`: if their sync failed before they were made (or its
 *    response was lost), using them again throws InvalidObjectPath at once
 *    (`invalidatePendingInvalidObjectPaths`, `addReferencedObjectPath`). A sync with nothing
 *    queued sends nothing (`if (!req.hasActions)`); Excel.run syncs what is left when its
 *    callback's promise resolves (`ctx.sync(runBodyResult)`), and rejects a callback that
 *    returns no promise (RunMustReturnPromise).
 * 3. Payloads. "Excel on the web has a payload size limit for requests and responses of 5MB"
 *    (learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-performance-optimization);
 *    Office.js maps the host's errors 5103/5104 to RequestPayloadSizeLimitExceeded and
 *    ResponsePayloadSizeLimitExceeded. Estimated here: 200 bytes per action plus the UTF-8 JSON
 *    of its arguments; the response is the JSON of the loaded values and results it serves.
 * 4. Sheet names (Excel): 1–31 characters, none of [ ] : * ? / \, no apostrophe first or last,
 *    not "History"; unique ignoring case.
 * 5. Table and defined names (Excel): a letter, _ or \ first, then letters, digits, _ and .;
 *    at most 255 characters; not a cell reference (A1, R1C1). Table names are unique in the
 *    workbook and distinct from all defined names; defined names are unique in their scope.
 * 6. Anything not modelled here throws at once ("fake Excel: Range.foo is not implemented").
 *    Members newer than `apiSets` throw ApiNotFound, as Office.js's
 *    `_throwIfApiNotSupported("Worksheet.customProperties", _defaultApiSetName, "1.12", …)` does.
 * 7. Tests can make the n-th sync fail at an action (`failAt`) and see every request (`requests`).
 *
 * 8. Conditional formats (ExcelApi 1.6): colour scales only, each on one range, kept per sheet
 *    in priority order (add puts a new one first); `range.conditionalFormats` lists those that
 *    intersect the range. A colour scale's criteria are checked as Office.js documents them
 *    (ConditionalColorScaleCriteria: minimum and maximum required, midpoint optional; a
 *    criterion's type one of ConditionalFormatColorCriterionType but Invalid, a formula for
 *    Number, Percent, Percentile and Formula and none for LowestValue and HighestValue, percents
 *    and percentiles from 0 to 100, an HTML colour); `colorScale` of another type fails its sync.
 *
 * Deleting a sheet turns references to it into #REF! and takes its names, tables and charts;
 * renaming one rewrites references to it. freezeRows and freezeColumns each replace the frozen
 * panes, as Excel's Freeze Top Row / First Column do.
 */

import { documentFileMembers } from "./fakeOfficeFile";

export interface FakeCell {
  value?: string | number | boolean; formula?: string; numberFormat?: string; bold?: boolean; italic?: boolean; fontColor?: string; fill?: string;
  /** Data validation as JSON: { rule, prompt, errorAlert, ignoreBlanks }. */
  validation?: string;
}
export interface FakeChart { name: string; type: string; title?: string; series: { name?: string; values?: string; categories?: string }[]; from?: string; to?: string }
export interface FakeTable { name: string; sheetId: string; range: string; style?: string }
export interface FakeColorCriterion { type: string; formula?: string | null; color: string }
/** A conditional format: its id, its type (only ColorScale is modelled), the range it covers and a colour scale's criteria. */
export interface FakeConditionalFormat { id: string; type: string; range: string; criteria: { minimum: FakeColorCriterion; midpoint?: FakeColorCriterion; maximum: FakeColorCriterion } }
export interface FakeSheet { id: string; name: string; visibility: string; cells: Map<string, FakeCell>; names: Map<string, string>; charts: FakeChart[]; customProperties: Map<string, string>; frozen: { rows: number; columns: number }; columnWidths: Map<string, number>; conditionalFormats: FakeConditionalFormat[] }
export interface FakeExcel {
  sheets: FakeSheet[]; names: Map<string, string>; tables: FakeTable[];
  selection: { sheet: string; address: string }; activeSheetId?: string;
  syncs: number; requests: { bytes: number; ops: number; responseBytes: number }[];
  failAt?: { sync: number; op: "first" | "last" | number };
  apiSets: Record<string, string>; settings: Map<string, unknown>; savedSettings: Map<string, unknown>;
  /** A sheet by name, ignoring case; throws if there is none. */
  sheet(name: string): FakeSheet;
  /** Sets a cell (or each cell of a range) directly, as a user typing would: for test setup. */
  setCell(sheet: string, address: string, cell: FakeCell): void;
  /** A deep, JSON-comparable copy of the workbook's content, for "nothing changed" assertions. */
  snapshot(): unknown;
  /** Adds a sheet as a user would (by the rules of sheet names), last. */
  addSheet(name: string): FakeSheet;
}

const LIMIT = 5 * 1024 * 1024;
const ACTION_BYTES = 200;
const MAX_ROW = 1048576;
const MAX_COL = 16384;
const DEFAULT_WIDTH = 48; // points: 8.43 characters of the default font
const READ_CAP = 3_000_000; // cells: a grid this large is over 5 MB as JSON
const FORMAT_CAP = 100_000; // cells formatted one by one

// ---------------------------------------------------------------- errors

class ExcelError extends Error {
  override name = "RichApi.Error";
  readonly debugInfo: { code: string; message: string; errorLocation?: string };
  constructor(readonly code: string, detail: string, location?: string) {
    super(`${code}: ${detail}`);
    this.debugInfo = { code, message: detail, errorLocation: location };
  }
}
const fail = (code: string, detail: string): never => {
  throw new ExcelError(code, detail);
};
const unknownMember = (type: string, member: string) => new Error(`fake Excel: ${type}.${member} is not implemented`);
const notLoaded = (type: string, prop: string) => new ExcelError("PropertyNotLoaded", `${type}.${prop} was read before load() and context.sync()`, `${type}.${prop}`);
/** A read too large to build: its response is surely over the limit. */
class TooLarge extends Error {}

// ---------------------------------------------------------------- A1 references and names

interface Box { r1: number; c1: number; r2: number; c2: number }
type RangeRef = { sheet: FakeSheet; box: Box };

function colName(c: number): string {
  let s = "";
  for (let n = c; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
function colNumber(letters: string): number {
  let c = 0;
  for (const ch of letters.toUpperCase()) c = c * 26 + ch.charCodeAt(0) - 64;
  return c;
}
const ordered = (r1: number, c1: number, r2: number, c2: number): Box => ({ r1: Math.min(r1, r2), c1: Math.min(c1, c2), r2: Math.max(r1, r2), c2: Math.max(c1, c2) });
function parseA1(address: unknown): Box | undefined {
  if (typeof address !== "string") return undefined;
  const a = address.trim().toUpperCase();
  let m: RegExpExecArray | null;
  let box: Box | undefined;
  if ((m = /^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/.exec(a))) box = ordered(Number(m[2]), colNumber(m[1]!), Number(m[4] ?? m[2]), colNumber(m[3] ?? m[1]!));
  else if ((m = /^\$?([A-Z]{1,3}):\$?([A-Z]{1,3})$/.exec(a))) box = ordered(1, colNumber(m[1]!), MAX_ROW, colNumber(m[2]!));
  else if ((m = /^\$?(\d+):\$?(\d+)$/.exec(a))) box = ordered(Number(m[1]), 1, Number(m[2]), MAX_COL);
  return box && box.r1 >= 1 && box.c1 >= 1 && box.r2 <= MAX_ROW && box.c2 <= MAX_COL ? box : undefined;
}
function a1(b: Box, absolute = false): string {
  const $ = absolute ? "$" : "";
  if (b.r1 === 1 && b.r2 === MAX_ROW) return `${$}${colName(b.c1)}:${$}${colName(b.c2)}`;
  if (b.c1 === 1 && b.c2 === MAX_COL) return `${$}${b.r1}:${$}${b.r2}`;
  const cell = (r: number, c: number) => `${$}${colName(c)}${$}${r}`;
  return b.r1 === b.r2 && b.c1 === b.c2 ? cell(b.r1, b.c1) : `${cell(b.r1, b.c1)}:${cell(b.r2, b.c2)}`;
}
const cellCount = (b: Box) => (b.r2 - b.r1 + 1) * (b.c2 - b.c1 + 1);
const overlaps = (a: Box, b: Box) => a.r1 <= b.r2 && b.r1 <= a.r2 && a.c1 <= b.c2 && b.c1 <= a.c2;
function isCellLike(name: string): boolean {
  const m = /^([A-Za-z]{1,3})(\d+)$/.exec(name);
  if (m) return colNumber(m[1]!) <= MAX_COL && Number(m[2]) >= 1 && Number(m[2]) <= MAX_ROW;
  return /^(?:R\d*C?\d*|C\d*)$/i.test(name);
}
const quoteSheet = (name: string) => (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !isCellLike(name) ? name : `'${name.replace(/'/g, "''")}'`);
const unquote = (s: string) => (s.startsWith("'") ? s.slice(1, -1).replace(/''/g, "'") : s);
const rangeAddress = (r: RangeRef) => `${quoteSheet(r.sheet.name)}!${a1(r.box)}`;
const validName = (name: unknown): name is string => typeof name === "string" && name.length <= 255 && /^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name) && !isCellLike(name);
/** A record's own member (never one inherited from Object.prototype, such as toString). */
const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined => (record && Object.hasOwn(record, key) ? record[key] : undefined);
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const keyIn = <V>(map: Map<string, V>, key: string) => [...map.keys()].find((k) => same(k, key));

/** A reference to another sheet in a formula: Sheet1!A1, 'Cohort model'!$B$20:$C$21, Sheet1!A:C, Sheet1!Name. */
const SHEET_REF = /(?<![\w.'])('(?:[^']|'')+'|[A-Za-z_][\w.]*)!(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+|[A-Za-z_\\][\w.]*)(?![\w.(])/g;
/** Rewrites the references to one sheet, outside string literals. */
function rewriteRefs(formula: string, sheet: string, to: (tail: string) => string): string {
  return formula
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) => (i % 2 ? part : part.replace(SHEET_REF, (all: string, s: string, tail: string) => (same(unquote(s), sheet) ? to(tail) : all))))
    .join("");
}

// ---------------------------------------------------------------- cells: values, formats, text

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const cellKey = (r: number, c: number) => `${colName(c)}${r}`;
function cellPos(key: string): { r: number; c: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(key)!;
  return { r: Number(m[2]), c: colNumber(m[1]!) };
}
function updateCell(sheet: FakeSheet, key: string, change: (cell: FakeCell) => void): void {
  const cell: FakeCell = { ...sheet.cells.get(key) };
  change(cell);
  for (const k of Object.keys(cell) as (keyof FakeCell)[]) if (cell[k] === undefined || cell[k] === false) delete cell[k];
  if (cell.numberFormat === "General") delete cell.numberFormat;
  if (Object.keys(cell).length) sheet.cells.set(key, cell);
  else sheet.cells.delete(key);
}
/** The cells that exist inside a range. */
function cellsIn(r: RangeRef): [string, FakeCell][] {
  return [...r.sheet.cells].filter(([key]) => {
    const { r: row, c } = cellPos(key);
    return row >= r.box.r1 && row <= r.box.r2 && c >= r.box.c1 && c <= r.box.c2;
  });
}
function grid<T>(r: RangeRef, f: (cell: FakeCell | undefined) => T): T[][] {
  if (cellCount(r.box) > READ_CAP) throw new TooLarge();
  const rows: T[][] = [];
  for (let row = r.box.r1; row <= r.box.r2; row++) {
    const line: T[] = [];
    for (let c = r.box.c1; c <= r.box.c2; c++) line.push(f(r.sheet.cells.get(cellKey(row, c))));
    rows.push(line);
  }
  return rows;
}
/** One value for the whole range, or null when its cells differ (as Office.js reports formats). */
function uniform<T>(r: RangeRef, f: (cell: FakeCell | undefined) => T): T | null {
  const found = cellsIn(r).map(([, cell]) => f(cell));
  if (found.length < cellCount(r.box)) found.push(f(undefined));
  return found.every((v) => v === found[0]) ? (found[0] as T) : null;
}
function eachCell(r: RangeRef, change: (cell: FakeCell) => void): void {
  if (cellCount(r.box) > FORMAT_CAP) throw new Error(`fake Excel: formatting ${cellCount(r.box)} cells one by one is not implemented`);
  for (let row = r.box.r1; row <= r.box.r2; row++) for (let c = r.box.c1; c <= r.box.c2; c++) updateCell(r.sheet, cellKey(row, c), change);
}
/** The 2-D array of a write, which must match the range's size exactly. */
function checkGrid(r: RangeRef, input: unknown, what: string, ok: (v: unknown) => boolean): unknown[][] {
  const rows = r.box.r2 - r.box.r1 + 1;
  const cols = r.box.c2 - r.box.c1 + 1;
  if (!Array.isArray(input) || input.length !== rows || !input.every((row) => Array.isArray(row) && row.length === cols)) {
    fail("InvalidArgument", `${what} for ${rangeAddress(r)} must be a ${rows}×${cols} array`);
  }
  const bad = (input as unknown[][]).flat().find((v) => v !== null && v !== undefined && !ok(v));
  if (bad !== undefined) fail("InvalidArgument", `${what} can't hold ${JSON.stringify(bad)}`);
  return input as unknown[][];
}
function writeGrid(r: RangeRef, rows: unknown[][], put: (cell: FakeCell, v: unknown) => void): void {
  rows.forEach((line, i) =>
    line.forEach((v, j) => {
      if (v !== null && v !== undefined) updateCell(r.sheet, cellKey(r.box.r1 + i, r.box.c1 + j), (cell) => put(cell, v)); // null leaves a cell as it is
    }),
  );
}
/**
 * A cell without the properties that equal Excel's defaults: the API cannot tell "not bold"
 * from "bold set to false", nor "no fill" from a white fill (both read back #FFFFFF), so
 * snapshots compare cells as Excel shows them.
 */
function withoutDefaults(cell: FakeCell): FakeCell {
  const out: FakeCell = {};
  for (const [key, value] of Object.entries(cell) as [keyof FakeCell, unknown][]) {
    if (value === undefined || value === false) continue;
    if (key === "numberFormat" && value === "General") continue;
    if ((key === "fill" && value === "#FFFFFF") || (key === "fontColor" && value === "#000000")) continue;
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
/** A value or formula entered in a cell, as Excel takes typed input; a text ("@") cell keeps text. */
function enter(cell: FakeCell, v: unknown, viaFormulas: boolean): void {
  delete cell.value;
  delete cell.formula;
  const text = cell.numberFormat === "@";
  if (typeof v !== "string") cell.value = v as number | boolean;
  else if (v === "") return;
  else if (v.startsWith("'")) cell.value = v.slice(1); // Excel's text prefix: what follows stays text
  else if (v.startsWith("=") && (viaFormulas || !text)) cell.formula = v;
  else if (!text && NUMERIC.test(v.trim())) cell.value = Number(v);
  else if (!text && /^(?:true|false)$/i.test(v)) cell.value = v.toLowerCase() === "true";
  else cell.value = v;
}
const enterable = (v: unknown) => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
const valueOf = (c: FakeCell | undefined) => (c?.formula !== undefined ? (c.value ?? 0) : (c?.value ?? ""));
const formulaOf = (c: FakeCell | undefined) => c?.formula ?? c?.value ?? "";

function fixed(x: number, decimals: number): string {
  const abs = Math.abs(x);
  const scaled = Math.round(String(abs).includes("e") ? abs * 10 ** decimals : Number(`${abs}e${decimals}`));
  const s = (scaled / 10 ** decimals).toFixed(decimals);
  return x < 0 && scaled !== 0 ? `-${s}` : s;
}
/** Excel's General format in a standard-width column: at most 11 characters. */
function general(n: number): string {
  const abs = Math.abs(n);
  if (abs === 0) return "0";
  if (abs >= 1e-4 && abs < 1e11) return String(Number(n.toFixed(Math.max(0, 10 - (abs >= 1 ? Math.floor(Math.log10(abs)) + 1 : 1)))));
  const [mantissa = "0", exp = "+0"] = n.toExponential(5).split("e");
  return `${Number(mantissa)}E${exp.startsWith("-") ? "-" : "+"}${exp.replace(/^[+-]/, "").padStart(2, "0")}`;
}
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** An Excel serial date (1900 system, with its 29 Feb 1900) in a format of y, m and d codes. */
function dateText(serial: number, format: string): string {
  const days = Math.floor(serial);
  const t = new Date(Date.UTC(1899, 11, days < 60 ? 31 : 30) + days * 86400000);
  const [y, m, d] = days === 60 ? [1900, 2, 29] : [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
  const codes: Record<string, string> = { yyyy: String(y), mmm: MONTHS[m - 1]!, mm: String(m).padStart(2, "0"), m: String(m), dd: String(d).padStart(2, "0"), d: String(d) };
  return format.replace(/yyyy|mmm|mm|m|dd|d/g, (code) => codes[code]!);
}
function formatNumber(n: number, format: string): string {
  if (format === "General" || format === "@") return general(n);
  const num = /^(#,##)?0(?:\.(0+))?(%?)$/.exec(format);
  if (num) {
    const [int = "", frac] = fixed(num[3] ? n * 100 : n, num[2]?.length ?? 0).split(".");
    return (num[1] ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : int) + (frac ? `.${frac}` : "") + num[3];
  }
  if (/^(?:yyyy|mmm|mm|m|dd|d|[-/ ])+$/.test(format) && n >= 1) return dateText(n, format);
  return String(n);
}
function displayText(c: FakeCell | undefined): string {
  const v = valueOf(c);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return typeof v === "number" ? formatNumber(v, c?.numberFormat ?? "General") : v;
}
const HTML_COLORS: Record<string, string> = { black: "#000000", white: "#FFFFFF", red: "#FF0000", green: "#008000", blue: "#0000FF", yellow: "#FFFF00", orange: "#FFA500", gray: "#808080", grey: "#808080" };
function color(v: unknown): string {
  if (typeof v === "string" && /^#[0-9a-f]{6}$/i.test(v)) return v.toUpperCase();
  return (typeof v === "string" && own(HTML_COLORS, v.toLowerCase())) || fail("InvalidArgument", `${JSON.stringify(v)} is not a color`);
}
const bool = (v: unknown): boolean => (typeof v === "boolean" ? v : fail("InvalidArgument", `${JSON.stringify(v)} is not a boolean`));

// ---------------------------------------------------------------- the workbook model

class FakeWorkbook implements FakeExcel {
  sheets: FakeSheet[] = [];
  names = new Map<string, string>();
  tables: FakeTable[] = [];
  selection: { sheet: string; address: string };
  activeSheetId?: string;
  syncs = 0;
  requests: { bytes: number; ops: number; responseBytes: number }[] = [];
  failAt?: { sync: number; op: "first" | "last" | number };
  settings = new Map<string, unknown>();
  savedSettings = new Map<string, unknown>();
  /** Comments of defined names: by the map holding the name, then by its lower-case name. */
  readonly comments = new WeakMap<Map<string, string>, Map<string, string>>();
  private lastId = 0;

  constructor(sheetNames: string[], public apiSets: Record<string, string>) {
    if (sheetNames.length === 0) throw new Error("fake Excel: a workbook has at least one sheet");
    for (const name of sheetNames) this.addSheet(name);
    this.activeSheetId = this.sheets[0]!.id;
    this.selection = { sheet: this.sheets[0]!.name, address: "A1" };
  }

  sheet(name: string): FakeSheet {
    const s = this.byName(name);
    if (!s) throw new Error(`fake Excel: no sheet named ${name}`);
    return s;
  }
  byName(name: unknown): FakeSheet | undefined {
    return this.sheets.find((s) => same(s.name, String(name)));
  }
  setCell(sheet: string, address: string, cell: FakeCell): void {
    const box = parseA1(address);
    if (!box) throw new Error(`fake Excel: bad address ${address}`);
    const s = this.sheet(sheet);
    for (let r = box.r1; r <= box.r2; r++) for (let c = box.c1; c <= box.c2; c++) updateCell(s, cellKey(r, c), (old) => Object.assign(old, { value: undefined, formula: undefined }, cell));
  }
  snapshot(): unknown {
    const byPosition = (a: string, b: string) => cellPos(a).r - cellPos(b).r || cellPos(a).c - cellPos(b).c;
    const names = (map: Map<string, string>) =>
      Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([n, formula]) => [n, { formula, comment: this.comments.get(map)?.get(n.toLowerCase()) }]));
    return JSON.parse(
      JSON.stringify({
        sheets: this.sheets.map((s) => ({
          id: s.id,
          name: s.name,
          visibility: s.visibility,
          cells: Object.fromEntries(
            [...s.cells]
              .map(([key, cell]) => [key, withoutDefaults(cell)] as const)
              .filter(([, cell]) => Object.keys(cell).length > 0)
              .sort(([a], [b]) => byPosition(a, b)),
          ),
          names: names(s.names),
          charts: s.charts,
          customProperties: Object.fromEntries([...s.customProperties].sort(([a], [b]) => a.localeCompare(b))),
          frozen: s.frozen,
          columnWidths: Object.fromEntries([...s.columnWidths].sort(([a], [b]) => colNumber(a) - colNumber(b))),
          // In priority order, without their ids (a format put back is a new one, as a chart put back is).
          conditionalFormats: s.conditionalFormats.map(({ id: _id, ...cf }) => cf),
        })),
        names: names(this.names),
        tables: this.tables,
      }),
    );
  }
  isSetSupported(name: string, version = "1.1"): boolean {
    const key = Object.keys(this.apiSets).find((k) => same(k, name));
    if (key === undefined) return false;
    const have = this.apiSets[key]!.split(".").map(Number);
    const want = String(version).split(".").map(Number);
    for (let i = 0; i < Math.max(have.length, want.length); i++) if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
    return true;
  }

  // Sheets.
  addSheet(name?: unknown): FakeSheet {
    let n = this.sheets.length + 1;
    while (name === undefined || name === null ? this.byName(`Sheet${n}`) : false) n++;
    const sheet: FakeSheet = {
      id: this.newId(),
      name: name === undefined || name === null ? `Sheet${n}` : this.checkSheetName(name),
      visibility: "Visible",
      cells: new Map(),
      names: new Map(),
      charts: [],
      customProperties: new Map(),
      frozen: { rows: 0, columns: 0 },
      columnWidths: new Map(),
      conditionalFormats: [],
    };
    this.sheets.push(sheet);
    return sheet;
  }
  newId(): string {
    this.lastId++;
    const mixed = Math.imul(this.lastId, 2654435761) >>> 0;
    return `{${mixed.toString(16).toUpperCase().padStart(8, "0")}-0000-4000-8000-${this.lastId.toString(16).toUpperCase().padStart(12, "0")}}`;
  }
  private checkSheetName(name: unknown, self?: FakeSheet): string {
    if (typeof name !== "string" || name.length < 1 || name.length > 31) return fail("InvalidArgument", `a sheet name has 1 to 31 characters: ${JSON.stringify(name)}`);
    if (/[[\]:*?/\\]/.test(name)) fail("InvalidArgument", `a sheet name may not contain [ ] : * ? / \\ : ${name}`);
    if (name.startsWith("'") || name.endsWith("'")) fail("InvalidArgument", `a sheet name may not begin or end with an apostrophe: ${name}`);
    if (same(name, "History")) fail("InvalidArgument", "History is a name Excel keeps for itself");
    const other = this.byName(name);
    if (other && other !== self) fail("ItemAlreadyExists", `a sheet named ${other.name} exists`);
    return name;
  }
  renameSheet(s: FakeSheet, name: unknown): void {
    const old = s.name;
    s.name = this.checkSheetName(name, s);
    if (old !== s.name) this.rewriteAll(old, (tail) => `${quoteSheet(s.name)}!${tail}`);
    if (same(this.selection.sheet, old)) this.selection.sheet = s.name;
  }
  deleteSheet(s: FakeSheet): void {
    const visible = this.sheets.filter((x) => x.visibility === "Visible");
    if (this.sheets.length === 1 || (s.visibility === "Visible" && visible.length === 1)) fail("InvalidOperation", "a workbook keeps at least one visible sheet");
    const index = this.sheets.indexOf(s);
    this.sheets.splice(index, 1);
    this.tables = this.tables.filter((t) => t.sheetId !== s.id);
    this.rewriteAll(s.name, () => "#REF!");
    if (this.activeSheetId === s.id || same(this.selection.sheet, s.name)) this.activateNear(index);
  }
  private activateNear(index: number): void {
    const after = this.sheets.slice(index).find((x) => x.visibility === "Visible");
    this.activate(after ?? this.sheets.slice(0, index).reverse().find((x) => x.visibility === "Visible")!);
  }
  /** References to a sheet in formulas, names and chart series, everywhere. */
  private rewriteAll(sheetName: string, to: (tail: string) => string): void {
    const fix = (f: string) => rewriteRefs(f, sheetName, to);
    for (const s of this.sheets) {
      for (const [key, cell] of s.cells) if (cell.formula) s.cells.set(key, { ...cell, formula: fix(cell.formula) });
      for (const [n, f] of s.names) s.names.set(n, fix(f));
      for (const series of s.charts.flatMap((c) => c.series)) {
        if (series.values) series.values = fix(series.values);
        if (series.categories) series.categories = fix(series.categories);
      }
    }
    for (const [n, f] of this.names) this.names.set(n, fix(f));
  }
  setVisibility(s: FakeSheet, v: unknown): void {
    if (v !== "Visible" && v !== "Hidden" && v !== "VeryHidden") return fail("InvalidArgument", `${JSON.stringify(v)} is not a sheet visibility`);
    if (v !== "Visible" && s.visibility === "Visible" && this.sheets.filter((x) => x.visibility === "Visible").length === 1) fail("InvalidOperation", "a workbook keeps at least one visible sheet");
    s.visibility = v;
    if (v !== "Visible" && this.activeSheetId === s.id) this.activateNear(this.sheets.indexOf(s));
  }
  activate(s: FakeSheet): void {
    if (s.visibility !== "Visible") fail("InvalidOperation", `the sheet ${s.name} is hidden`);
    this.activeSheetId = s.id;
    if (!same(this.selection.sheet, s.name)) this.selection = { sheet: s.name, address: "A1" };
  }
  activeSheet(): FakeSheet {
    return this.sheets.find((s) => s.id === this.activeSheetId) ?? this.sheets[0]!;
  }
  selectedRange(activeCellOnly: boolean): RangeRef {
    const sheet = this.byName(this.selection.sheet) ?? fail("ItemNotFound", `no sheet named ${this.selection.sheet}`);
    const box = parseA1(this.selection.address) ?? fail("InvalidArgument", `bad selection ${this.selection.address}`);
    return { sheet, box: activeCellOnly ? { r1: box.r1, c1: box.c1, r2: box.r1, c2: box.c1 } : box };
  }

  // Defined names and tables share a namespace.
  scopeNames(scope: FakeSheet | null): Map<string, string> {
    return scope ? scope.names : this.names;
  }
  commentsOf(map: Map<string, string>): Map<string, string> {
    let c = this.comments.get(map);
    if (!c) this.comments.set(map, (c = new Map()));
    return c;
  }
  addName(scope: FakeSheet | null, name: unknown, formula: string, comment: unknown): NameRef {
    if (!validName(name)) return fail("InvalidArgument", `${JSON.stringify(name)} is not a valid name`);
    const map = this.scopeNames(scope);
    if (keyIn(map, name) !== undefined) fail("ItemAlreadyExists", `the name ${name} exists${scope ? ` on ${scope.name}` : ""}`);
    if (this.tables.some((t) => same(t.name, name))) fail("ItemAlreadyExists", `a table is named ${name}`);
    map.set(name, formula);
    if (comment !== undefined && comment !== null) this.commentsOf(map).set(name.toLowerCase(), String(comment));
    return { scope, name };
  }
  checkTableName(name: unknown, self?: FakeTable): string {
    if (!validName(name)) return fail("InvalidArgument", `${JSON.stringify(name)} is not a valid table name`);
    if (this.tables.some((t) => t !== self && same(t.name, name))) fail("ItemAlreadyExists", `a table named ${name} exists`);
    if ([this.names, ...this.sheets.map((s) => s.names)].some((m) => keyIn(m, name) !== undefined)) fail("ItemAlreadyExists", `a defined name ${name} exists`);
    return name;
  }
  addTable(scope: FakeSheet | null, source: unknown, hasHeaders: boolean): FakeTable {
    const ref = typeof source === "string" ? this.rangeOf(source, scope ?? this.activeSheet()) : rangeArg(source);
    if (scope && ref.sheet !== scope) fail("InvalidArgument", `${rangeAddress(ref)} is not on ${scope.name}`);
    const clash = this.tables.find((t) => t.sheetId === ref.sheet.id && overlaps(parseA1(t.range)!, ref.box));
    if (clash) fail("InvalidArgument", `${rangeAddress(ref)} overlaps the table ${clash.name}`);
    let n = 1;
    while (this.tables.some((t) => same(t.name, `Table${n}`)) || [this.names, ...this.sheets.map((s) => s.names)].some((m) => keyIn(m, `Table${n}`))) n++;
    if (hasHeaders) {
      for (let c = ref.box.c1; c <= ref.box.c2; c++) {
        updateCell(ref.sheet, cellKey(ref.box.r1, c), (cell) => {
          if (cell.value === undefined && cell.formula === undefined) cell.value = `Column${c - ref.box.c1 + 1}`;
        });
      }
    }
    const table: FakeTable = { name: `Table${n}`, sheetId: ref.sheet.id, range: a1(ref.box), style: "TableStyleMedium2" };
    this.tables.push(table);
    return table;
  }
  /** "A1:B2" on a given sheet, or "Sheet!A1:B2". */
  rangeOf(address: string, sheet: FakeSheet): RangeRef {
    const m = /^(?:('(?:[^']|'')+'|[^'!]+)!)?([^!]+)$/.exec(address);
    const on = m?.[1] ? (this.byName(unquote(m[1])) ?? fail("InvalidArgument", `no sheet for ${address}`)) : sheet;
    return { sheet: on, box: parseA1(m?.[2]) ?? fail("InvalidArgument", `bad address ${JSON.stringify(address)}`) };
  }
  /** The range a name's formula refers to, if it is a plain reference. */
  rangeOfFormula(formula: string): RangeRef | null {
    const m = /^=?\s*('(?:[^']|'')+'|[^'!"=#]+)!(\S+)$/.exec(formula);
    const sheet = m && this.byName(unquote(m[1]!));
    const box = m && parseA1(m[2]);
    return sheet && box ? { sheet, box } : null;
  }
}

// ---------------------------------------------------------------- core: proxies, queued actions, loads

interface Delivery { data?: unknown; huge?: boolean; apply(): void }
interface Action { label: string; args: unknown[]; run(): Delivery | void; made?: Handle }
interface TypeDef<E = unknown> {
  name: string;
  props?: Record<string, { get(e: E, w: FakeWorkbook): unknown; set?(e: E, v: unknown, w: FakeWorkbook): void }>;
  nav?: Record<string, { type: () => TypeDef; get(e: E): unknown }>;
  methods?: Record<string, (self: Handle, args: unknown[]) => unknown>;
  items?: { type: () => TypeDef; list(e: E, w: FakeWorkbook): unknown[] };
  alive?(e: E, w: FakeWorkbook): boolean;
  /** The ExcelApi version each member needs. */
  since?: Record<string, string>;
}
const def = <E>(t: TypeDef<E>) => t as unknown as TypeDef;
interface Plan { props: string[]; nav: Map<string, Plan>; items?: Plan }

const handles = new WeakMap<object, Handle>();
const handleOf = (v: unknown) => (typeof v === "object" && v !== null ? handles.get(v) : undefined);
const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/** What is behind one proxy: the object it resolves to in the model, and what was loaded or set on it. */
class Handle {
  entity: unknown = null;
  bound = false;
  isNull: boolean | undefined;
  invalid = false;
  items: object[] | undefined;
  readonly local = new Map<string, unknown>();
  readonly children = new Map<string, Handle>();
  readonly proxy: object;

  constructor(readonly ctx: Context, readonly type: TypeDef, private readonly find: () => unknown, readonly parent?: Handle, readonly invalidAfterRequest = false) {
    this.proxy = new Proxy({ fakeExcel: type.name }, { get: (_t, p) => this.get(p), set: (_t, p, v) => this.set(p, v) });
    handles.set(this.proxy, this);
  }

  /** The model object, found once (when its action runs, or at first use); null for a null object. */
  resolve(): unknown {
    if (!this.bound) {
      this.entity = this.find();
      this.bound = true;
    }
    if (this.entity !== null && this.type.alive && !this.type.alive(this.entity, this.ctx.fake)) fail("ItemNotFound", `the ${this.type.name} no longer exists`);
    return this.entity;
  }

  enqueue(member: string, args: unknown[], run: () => Delivery | void, made?: Handle): void {
    if (this.ctx.closed) throw new ExcelError("InvalidObjectPath", `a ${this.type.name} was used after its Excel.run ended`);
    for (const h of [this, ...args.map(handleOf)]) {
      if (h && h.ctx !== this.ctx) throw new ExcelError("InvalidRequestContext", "an object was used with another Excel.run's context");
      for (let p = h; p; p = p.parent) if (p.invalid) throw new ExcelError("InvalidObjectPath", `the ${p.type.name} was made in a sync that failed, so it can't be used`);
    }
    this.ctx.queue.push({ label: `${this.type.name}.${member}`, args, run, made });
  }

  private checkApi(member: string): void {
    const version = own(this.type.since, member);
    if (version && !this.ctx.fake.isSetSupported("ExcelApi", version)) throw new ExcelError("ApiNotFound", `${this.type.name}.${member} needs ExcelApi ${version}`);
  }

  private read(prop: string, loaded: boolean, value: unknown): unknown {
    if (this.isNull) throw new ExcelError("PropertyNotLoaded", `${this.type.name}.${prop} was read on a null object (isNullObject is true)`);
    if (!loaded) throw notLoaded(this.type.name, prop);
    return value;
  }

  private get(p: string | symbol): unknown {
    if (typeof p === "symbol" || p === "then") return undefined; // not a thenable; lets util.inspect and assert look
    const t = this.type;
    if (p === "load") return (spec?: unknown) => (this.load(spec), this.proxy);
    if (p === "isNullObject") {
      if (this.isNull === undefined) throw notLoaded(t.name, p);
      return this.isNull;
    }
    this.checkApi(p);
    if (t.items && p === "items") return this.read(p, this.items !== undefined, this.items);
    if (own(t.nav, p)) return this.child(p, true).proxy;
    const method = own(t.methods, p);
    if (method) return (...args: unknown[]) => method(this, args);
    if (own(t.props, p)) return this.read(p, this.local.has(p), this.local.get(p));
    throw unknownMember(t.name, p);
  }

  private set(p: string | symbol, value: unknown): boolean {
    const prop = typeof p === "string" ? own(this.type.props, p) : undefined;
    if (typeof p === "symbol" || !prop) throw unknownMember(this.type.name, `${String(p)} (as a settable property)`);
    this.checkApi(p);
    if (!prop.set) throw new TypeError(`Cannot set property ${p} of ${this.type.name}, which has only a getter`);
    const setter = prop.set;
    this.enqueue(p, [value], () => {
      const e = this.resolve();
      if (e !== null) setter(e, value, this.ctx.fake);
    });
    this.local.set(p, value);
    return true;
  }

  /** A navigation property's object (range.format, sheet.names…): made once, by an action unless made while serving a load. */
  child(name: string, viaAction: boolean): Handle {
    let c = this.children.get(name);
    if (!c) {
      const nav = this.type.nav![name]!;
      const made = new Handle(this.ctx, nav.type(), () => {
        const e = this.resolve();
        return e === null ? null : nav.get(e);
      }, this);
      if (viaAction) this.enqueue(name, [], () => instantiated(made), made);
      this.children.set(name, (c = made));
    }
    return c;
  }

  load(spec: unknown): void {
    let paths: string[];
    if (spec === undefined || spec === null) paths = [];
    else if (typeof spec === "string" || (Array.isArray(spec) && spec.every((s) => typeof s === "string"))) paths = [spec].flat().flatMap((s: string) => s.split(",")).map((s) => s.trim()).filter(Boolean);
    else throw unknownMember(this.type.name, "load(options object)");
    const plan = makePlan(this.type, paths);
    this.enqueue("load", [spec ?? null], () => collect(this, plan));
  }
}

function instantiated(h: Handle): Delivery {
  h.resolve();
  return { apply: () => void (h.isNull = h.entity === null) };
}

function makePlan(t: TypeDef, paths: string[]): Plan {
  const plan: Plan = { props: [], nav: new Map() };
  if (paths.length === 0) {
    if (t.items) plan.items = makePlan(t.items.type(), []);
    else plan.props = Object.keys(t.props ?? {});
    return plan;
  }
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const [head = "", ...rest] = path.split("/");
    if ((t.items && head === "items") || own(t.nav, head)) groups.set(head, [...(groups.get(head) ?? []), rest.join("/")]);
    else if (own(t.props, head) && rest.length === 0) plan.props.push(head);
    else throw unknownMember(t.name, head);
  }
  for (const [head, rests] of groups) {
    const sub = rests.includes("") ? [] : rests;
    if (head === "items") plan.items = makePlan(t.items!.type(), sub);
    else plan.nav.set(head, makePlan(t.nav![head]!.type(), sub));
  }
  return plan;
}

/** Serves a load: the values as they are now, applied to the proxies only if the whole sync succeeds. */
function collect(h: Handle, plan: Plan): Delivery {
  const e = h.resolve();
  if (e === null) return { data: null, apply: () => void (h.isNull = true) };
  const w = h.ctx.fake;
  const data: Record<string, unknown> = {};
  let huge = false;
  for (const p of plan.props) {
    try {
      data[p] = structuredClone(h.type.props![p]!.get(e, w));
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      huge = true;
    }
  }
  const subs: Delivery[] = [];
  for (const [name, sub] of plan.nav) subs.push(collect(h.child(name, false), sub));
  let items: Handle[] | undefined;
  if (plan.items && h.type.items) {
    const type = h.type.items.type();
    items = h.type.items.list(e, w).map((entity) => new Handle(h.ctx, type, () => entity));
    const ds = items.map((item) => collect(item, plan.items!));
    data.items = ds.map((d) => d.data);
    subs.push(...ds);
  }
  [...plan.nav.keys()].forEach((name, i) => (data[name] = subs[i]!.data));
  return {
    data,
    huge: huge || subs.some((d) => d.huge),
    apply: () => {
      for (const p of plan.props) if (p in data) h.local.set(p, data[p]);
      h.isNull = false;
      subs.forEach((d) => d.apply());
      if (items) h.items = items.map((item) => item.proxy);
    },
  };
}

/** One Excel.run: its queue of actions and its sync. */
class Context {
  queue: Action[] = [];
  closed = false;
  readonly api: object;

  constructor(readonly fake: FakeWorkbook) {
    const root = new Handle(this, WorkbookType, () => fake);
    this.api = strict("RequestContext", { workbook: root.proxy, sync: (value?: unknown) => this.sync().then(() => value) });
  }

  async sync(): Promise<void> {
    const actions = this.queue;
    this.queue = [];
    if (actions.length === 0) return; // nothing to send, as Office.js
    await Promise.resolve();
    const w = this.fake;
    const n = ++w.syncs;
    const json = (args: unknown[]) => JSON.stringify(args.map((a) => (handleOf(a) ? { objectPath: handleOf(a)!.type.name } : a))) ?? "";
    const request = { bytes: actions.reduce((sum, a) => sum + ACTION_BYTES + utf8(json(a.args)), 0), ops: actions.length, responseBytes: 0 };
    w.requests.push(request);
    const lost = (from: number) => actions.slice(from).forEach((a) => a.made?.invalidAfterRequest && (a.made.invalid = true));
    if (request.bytes > LIMIT) {
      lost(0);
      fail("RequestPayloadSizeLimitExceeded", `sync ${n} sends about ${request.bytes} bytes, over the 5 MB limit of Excel on the web`);
    }
    const op = w.failAt?.sync === n ? w.failAt.op : undefined;
    const failIndex = op === undefined ? -1 : op === "first" ? 0 : op === "last" ? actions.length - 1 : op - 1;
    const deliveries: Delivery[] = [];
    actions.forEach((action, i) => {
      try {
        if (i === failIndex) fail("GeneralException", `failure injected at action ${i + 1} (${action.label}) of sync ${n}`);
        const d = action.run();
        if (d) deliveries.push(d);
      } catch (error) {
        lost(i);
        if (error instanceof ExcelError) error.debugInfo.errorLocation ??= action.label;
        throw error;
      }
    });
    const served = deliveries.filter((d) => d.data !== undefined).map((d) => d.data);
    request.responseBytes = deliveries.some((d) => d.huge) ? Infinity : utf8(JSON.stringify(served));
    if (request.responseBytes > LIMIT) {
      lost(0);
      fail("ResponsePayloadSizeLimitExceeded", `sync ${n} would return about ${request.responseBytes} bytes, over the 5 MB limit of Excel on the web`);
    }
    deliveries.forEach((d) => d.apply());
  }
}

/** A plain object whose unknown members throw. */
function strict<T extends object>(name: string, members: T): T {
  return new Proxy(members, {
    get(target, p) {
      if (typeof p === "symbol" || p === "then") return undefined;
      if (Object.hasOwn(target, p)) return target[p as keyof T];
      throw unknownMember(name, p);
    },
    set(_target, p) {
      throw unknownMember(name, `${String(p)} (as a settable property)`);
    },
  });
}

// ---------------------------------------------------------------- helpers for the object types

/** A method that changes the model at sync; ignored on a null object, as Excel does. */
function act<E>(self: Handle, member: string, args: unknown[], run: (e: E, w: FakeWorkbook) => void): void {
  self.enqueue(member, args, () => {
    const e = self.resolve();
    if (e !== null) run(e as E, self.ctx.fake);
  });
}
/** A method returning an object, found (or made) when its action runs at sync. */
function make<E>(self: Handle, member: string, args: unknown[], type: () => TypeDef, find: (e: E, w: FakeWorkbook) => unknown, invalidAfterRequest = false): object {
  const made = new Handle(self.ctx, type(), () => {
    const e = self.resolve();
    return e === null ? null : find(e as E, self.ctx.fake);
  }, self, invalidAfterRequest);
  self.enqueue(member, args, () => instantiated(made), made);
  return made.proxy;
}
/** A method returning a ClientResult, whose value is readable after its sync. */
function result<E>(self: Handle, member: string, args: unknown[], compute: (e: E, w: FakeWorkbook) => unknown): object {
  const box = { loaded: false, value: undefined as unknown };
  self.enqueue(member, args, () => {
    const e = self.resolve();
    try {
      const value = e === null ? null : structuredClone(compute(e as E, self.ctx.fake));
      return { data: value, apply: () => Object.assign(box, { loaded: true, value }) };
    } catch (error) {
      if (error instanceof TooLarge) return { data: null, huge: true, apply: () => undefined };
      throw error;
    }
  });
  return new Proxy({ fakeExcel: "ClientResult" }, {
    get(_t, p) {
      if (typeof p === "symbol" || p === "then") return undefined;
      if (p !== "value") throw unknownMember("ClientResult", p);
      if (!box.loaded) throw new ExcelError("ValueNotLoaded", "ClientResult.value was read before context.sync()", "clientResult.value");
      return box.value;
    },
    set(_t, p) {
      throw unknownMember("ClientResult", `${String(p)} (as a settable property)`);
    },
  });
}
/** A Range argument, resolved at sync. */
function rangeArg(v: unknown): RangeRef {
  const h = handleOf(v);
  if (!h || h.type !== RangeType) return fail("InvalidArgument", `expected a Range, got ${JSON.stringify(v)}`);
  return (h.resolve() as RangeRef | null) ?? fail("InvalidArgument", "the Range is a null object");
}
/** What getItem (ItemNotFound at sync) or getItemOrNullObject (a null object) finds. */
const lookup = <T>(found: T | undefined, what: string, nullable: boolean): T | null => found ?? (nullable ? null : fail("ItemNotFound", `${what} does not exist`));
const absoluteRef = (r: RangeRef) => `=${quoteSheet(r.sheet.name)}!${a1(r.box, true)}`;

// ---------------------------------------------------------------- ranges

const rangeAlive = (r: RangeRef, w: FakeWorkbook) => w.sheets.includes(r.sheet);
const formatProp = (field: "bold" | "italic" | "fontColor" | "fill", fallback: boolean | string, check: (v: unknown) => boolean | string) => ({
  get: (r: RangeRef) => uniform(r, (c) => c?.[field] ?? fallback),
  set: (r: RangeRef, v: unknown) => {
    const value = check(v);
    eachCell(r, (cell) => void Object.assign(cell, { [field]: value }));
  },
});
const RangeFontType = def<RangeRef>({ name: "RangeFont", alive: rangeAlive, props: { bold: formatProp("bold", false, bool), italic: formatProp("italic", false, bool), color: formatProp("fontColor", "#000000", color) } });
const RangeFillType = def<RangeRef>({
  name: "RangeFill",
  alive: rangeAlive,
  props: { color: formatProp("fill", "#FFFFFF", color) },
  methods: { clear: (self) => act<RangeRef>(self, "clear", [], (r) => eachCell(r, (cell) => void delete cell.fill)) },
});
const RangeFormatType = def<RangeRef>({
  name: "RangeFormat",
  alive: rangeAlive,
  props: {
    columnWidth: {
      get: (r) => {
        const widths = new Set(Array.from({ length: r.box.c2 - r.box.c1 + 1 }, (_, i) => r.sheet.columnWidths.get(colName(r.box.c1 + i)) ?? DEFAULT_WIDTH));
        return widths.size === 1 ? [...widths][0] : null;
      },
      set: (r, v) => {
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail("InvalidArgument", `${JSON.stringify(v)} is not a column width`);
        for (let c = r.box.c1; c <= r.box.c2; c++) r.sheet.columnWidths.set(colName(c), v as number);
      },
    },
  },
  nav: { font: { type: () => RangeFontType, get: (r) => r }, fill: { type: () => RangeFillType, get: (r) => r } },
  since: { columnWidth: "1.2" },
});

// ---------------------------------------------------------------- data validation

/**
 * Range.dataValidation (ExcelApi 1.8). A rule is one of the modelled kinds with Office.js's
 * field names and operators; a range that has a rule must be cleared before another is set;
 * prompt, error alert and ignoreBlanks need a rule; Excel's limits on the texts hold (a
 * title of 32 characters, a message of 255). Reading a range whose cells differ gives
 * type "Inconsistent" and rule null.
 */
type Validation = { rule: Record<string, unknown>; prompt: Record<string, unknown>; errorAlert: Record<string, unknown>; ignoreBlanks: boolean };
const OPERATORS = ["Between", "NotBetween", "EqualTo", "NotEqualTo", "GreaterThan", "LessThan", "GreaterThanOrEqualTo", "LessThanOrEqualTo"];
const RULE_TYPES: Record<string, string> = { wholeNumber: "WholeNumber", decimal: "Decimal", list: "List", custom: "Custom" };
function checkRule(v: unknown): Record<string, unknown> {
  if (typeof v !== "object" || v === null) return fail("InvalidArgument", "a data validation rule is an object");
  const keys = Object.keys(v);
  if (keys.length !== 1) fail("InvalidArgument", `a data validation rule has exactly one kind; got ${keys.join(", ") || "none"}`);
  const kind = keys[0]!;
  if (!(kind in RULE_TYPES)) throw unknownMember("DataValidationRule", kind);
  const body = (v as Record<string, Record<string, unknown>>)[kind]!;
  checkShape(body, kind === "list" ? { inCellDropDown: true, source: true } : kind === "custom" ? { formula: true } : { formula1: true, formula2: true, operator: true }, `DataValidationRule.${kind}`);
  if (kind === "list" && (typeof body.source !== "string" || body.source === "")) fail("InvalidArgument", "a list rule needs a source");
  if (kind === "custom" && (typeof body.formula !== "string" || !body.formula.startsWith("="))) fail("InvalidArgument", "a custom rule needs a formula starting with =");
  if (kind === "wholeNumber" || kind === "decimal") {
    if (!OPERATORS.includes(String(body.operator))) fail("InvalidArgument", `unknown operator ${JSON.stringify(body.operator)}`);
    if (body.formula1 === undefined) fail("InvalidArgument", "formula1 is required");
    if ((body.operator === "Between" || body.operator === "NotBetween") !== (body.formula2 !== undefined)) fail("InvalidArgument", "formula2 goes with Between and NotBetween only");
  }
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}
function checkTexts(v: unknown, what: "prompt" | "errorAlert"): Record<string, unknown> {
  if (typeof v !== "object" || v === null) return fail("InvalidArgument", `${what} is an object`);
  checkShape(v, what === "prompt" ? { showPrompt: true, title: true, message: true } : { showAlert: true, style: true, title: true, message: true }, what);
  const t = v as Record<string, unknown>;
  if (String(t.title ?? "").length > 32) fail("InvalidArgument", `a ${what} title has at most 32 characters`);
  if (String(t.message ?? "").length > 255) fail("InvalidArgument", `a ${what} message has at most 255 characters`);
  if (what === "errorAlert" && t.style !== undefined && !["Stop", "Warning", "Information"].includes(String(t.style))) fail("InvalidArgument", `unknown alert style ${String(t.style)}`);
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}
const validationOf = (c: FakeCell | undefined): Validation | undefined => (c?.validation ? (JSON.parse(c.validation) as Validation) : undefined);
function updateValidation(r: RangeRef, change: (v: Validation) => void, member: string): void {
  const missing = uniform(r, (c) => c?.validation === undefined);
  if (missing !== false) fail("InvalidOperation", `DataValidation.${member} needs a rule on every cell of ${rangeAddress(r)}`);
  eachCell(r, (cell) => {
    const v = validationOf(cell)!;
    change(v);
    cell.validation = JSON.stringify(v);
  });
}
const DataValidationType = def<RangeRef>({
  name: "DataValidation",
  alive: rangeAlive,
  props: {
    type: {
      // Excel's DataValidationType: MixedCriteria when some cells have validation and some none, Inconsistent when rules differ.
      get: (r) => {
        const v = uniform(r, (c) => c?.validation ?? "");
        if (v === null) return uniform(r, (c) => c?.validation === undefined) === null ? "MixedCriteria" : "Inconsistent";
        return v === "" ? "None" : RULE_TYPES[Object.keys((JSON.parse(v) as Validation).rule)[0]!];
      },
    },
    rule: {
      get: (r) => {
        const v = uniform(r, (c) => c?.validation ?? "");
        return v === null ? null : v === "" ? {} : (JSON.parse(v) as Validation).rule;
      },
      set: (r, value) => {
        const rule = checkRule(value);
        if (cellsIn(r).some(([, c]) => c.validation !== undefined)) fail("InvalidOperation", `${rangeAddress(r)} has data validation: clear it before setting another rule`);
        eachCell(r, (cell) => void (cell.validation = JSON.stringify({ rule, prompt: { showPrompt: false, title: "", message: "" }, errorAlert: { showAlert: true, style: "Stop", title: "", message: "" }, ignoreBlanks: true } satisfies Validation)));
      },
    },
    prompt: {
      get: (r) => validationOf(cellsIn(r)[0]?.[1])?.prompt ?? { showPrompt: false, title: "", message: "" },
      set: (r, value) => updateValidation(r, (v) => void (v.prompt = { ...v.prompt, ...checkTexts(value, "prompt") }), "prompt"),
    },
    errorAlert: {
      get: (r) => validationOf(cellsIn(r)[0]?.[1])?.errorAlert ?? { showAlert: true, style: "Stop", title: "", message: "" },
      set: (r, value) => updateValidation(r, (v) => void (v.errorAlert = { ...v.errorAlert, ...checkTexts(value, "errorAlert") }), "errorAlert"),
    },
    ignoreBlanks: {
      get: (r) => validationOf(cellsIn(r)[0]?.[1])?.ignoreBlanks ?? true,
      set: (r, value) => updateValidation(r, (v) => void (v.ignoreBlanks = bool(value)), "ignoreBlanks"),
    },
  },
  methods: { clear: (self) => act<RangeRef>(self, "clear", [], (r) => eachCell(r, (cell) => void delete cell.validation)) },
  since: { type: "1.8", rule: "1.8", prompt: "1.8", errorAlert: "1.8", ignoreBlanks: "1.8", clear: "1.8" },
});

/** The shape of getCellProperties / setCellProperties that is modelled. */
const CELL_PROPERTIES = { format: { font: { bold: true, italic: true, color: true }, fill: { color: true } } };
function checkShape(value: unknown, allowed: object, where: string): void {
  if (typeof value !== "object" || value === null) return;
  for (const [key, sub] of Object.entries(value)) {
    const next = own(allowed as Record<string, unknown>, key);
    if (next === undefined) throw unknownMember(where, key);
    if (typeof next === "object") checkShape(sub, next as object, `${where}.${key}`);
  }
}
function pick(full: Record<string, unknown>, spec: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, want] of Object.entries(spec as object)) {
    if (typeof want === "object" && want !== null) out[key] = pick(full[key] as Record<string, unknown>, want);
    else if (want) out[key] = full[key];
  }
  return out;
}
const cellProperties = (c: FakeCell | undefined) => ({ format: { font: { bold: c?.bold ?? false, italic: c?.italic ?? false, color: c?.fontColor ?? "#000000" }, fill: { color: c?.fill ?? "#FFFFFF" } } });
type CellProps = { format?: { font?: { bold?: unknown; italic?: unknown; color?: unknown }; fill?: { color?: unknown } } } | null | undefined;
function setCellProps(cell: FakeCell, p: CellProps): void {
  const font = p?.format?.font;
  const fill = p?.format?.fill;
  if (font?.bold !== undefined) cell.bold = bool(font.bold);
  if (font?.italic !== undefined) cell.italic = bool(font.italic);
  if (font?.color !== undefined) cell.fontColor = color(font.color);
  if (fill?.color !== undefined) cell.fill = color(fill.color);
}

const RangeType: TypeDef = def<RangeRef>({
  name: "Range",
  alive: rangeAlive,
  props: {
    address: { get: (r) => rangeAddress(r) },
    values: { get: (r) => grid(r, valueOf), set: (r, v) => writeGrid(r, checkGrid(r, v, "values", enterable), (cell, x) => enter(cell, x, false)) },
    text: { get: (r) => grid(r, displayText) },
    formulas: { get: (r) => grid(r, formulaOf), set: (r, v) => writeGrid(r, checkGrid(r, v, "formulas", enterable), (cell, x) => enter(cell, x, true)) },
    numberFormat: {
      get: (r) => grid(r, (c) => c?.numberFormat ?? "General"),
      set: (r, v) => writeGrid(r, checkGrid(r, v, "numberFormat", (x) => typeof x === "string"), (cell, x) => void (cell.numberFormat = x as string)),
    },
    rowCount: { get: (r) => r.box.r2 - r.box.r1 + 1 },
    columnCount: { get: (r) => r.box.c2 - r.box.c1 + 1 },
    cellCount: { get: (r) => cellCount(r.box) },
  },
  nav: { format: { type: () => RangeFormatType, get: (r) => r }, dataValidation: { type: () => DataValidationType, get: (r) => r }, conditionalFormats: { type: () => ConditionalFormatCollectionType, get: (r) => r } },
  methods: {
    clear: (self, [applyTo = "All"]) => {
      if (applyTo !== "All" && applyTo !== "Contents" && applyTo !== "Formats") throw unknownMember("Range", `clear(${JSON.stringify(applyTo)})`);
      act<RangeRef>(self, "clear", [applyTo], (r) => {
        for (const [key] of cellsIn(r)) {
          updateCell(r.sheet, key, (cell) => {
            if (applyTo !== "Formats") Object.assign(cell, { value: undefined, formula: undefined });
            if (applyTo !== "Contents") Object.assign(cell, { numberFormat: undefined, bold: undefined, italic: undefined, fontColor: undefined, fill: undefined });
          });
        }
      });
    },
    getCellProperties: (self, [spec]) => {
      if (typeof spec !== "object" || spec === null) throw new ExcelError("InvalidArgument", "getCellProperties needs the properties to load");
      checkShape(spec, CELL_PROPERTIES, "CellProperties");
      return result<RangeRef>(self, "getCellProperties", [spec], (r) => grid(r, (c) => pick(cellProperties(c), spec)));
    },
    setCellProperties: (self, [values]) => {
      if (Array.isArray(values)) values.flat().forEach((v) => checkShape(v, CELL_PROPERTIES, "CellProperties"));
      act<RangeRef>(self, "setCellProperties", [values], (r) => {
        const rows = checkGrid(r, values, "cell properties", (v) => typeof v === "object");
        rows.flat().forEach((p) => setCellProps({}, p as CellProps)); // validates every entry before any change
        writeGrid(r, rows, (cell, p) => setCellProps(cell, p as CellProps));
      });
    },
  },
  since: { getCellProperties: "1.9", setCellProperties: "1.9", conditionalFormats: "1.6" },
});

// ---------------------------------------------------------------- conditional formats

type CfRef = { sheet: FakeSheet; cf: FakeConditionalFormat };
const CF_TYPES = ["Custom", "DataBar", "ColorScale", "IconSet", "TopBottom", "PresetCriteria", "ContainsText", "CellValue"];
const COLOR_CRITERION_TYPES = ["LowestValue", "HighestValue", "Number", "Percent", "Formula", "Percentile"];
/** What Excel sets on a colour scale added without criteria (assumed: its first preset, green–yellow–red). */
const DEFAULT_CRITERIA = (): FakeConditionalFormat["criteria"] => ({
  minimum: { type: "LowestValue", formula: null, color: "#F8696B" },
  midpoint: { type: "Percentile", formula: "50", color: "#FFEB84" },
  maximum: { type: "HighestValue", formula: null, color: "#63BE7B" },
});
function checkCriterion(v: unknown, which: "minimum" | "midpoint" | "maximum", previous: FakeColorCriterion | undefined): FakeColorCriterion {
  if (typeof v !== "object" || v === null) return fail("InvalidArgument", `the ${which} of a colour scale is an object`);
  checkShape(v, { type: true, formula: true, color: true }, `ConditionalColorScaleCriterion`);
  const { type, formula, color: shade } = v as { type?: unknown; formula?: unknown; color?: unknown };
  if (typeof type !== "string" || !COLOR_CRITERION_TYPES.includes(type)) fail("InvalidArgument", `${JSON.stringify(type)} is not a colour criterion type (${which})`);
  if ((which === "midpoint" && (type === "LowestValue" || type === "HighestValue")) || (which === "minimum" && type === "HighestValue") || (which === "maximum" && type === "LowestValue")) fail("InvalidArgument", `the ${which} of a colour scale cannot be ${String(type)}`);
  if (type === "LowestValue" || type === "HighestValue") {
    if (formula !== undefined && formula !== null) fail("InvalidArgument", `a ${type} criterion has no formula`);
  } else {
    if (typeof formula !== "string" || formula.trim() === "") fail("InvalidArgument", `a ${String(type)} criterion needs a formula (${which})`);
    const body = String(formula).replace(/^=/, "");
    if (type === "Formula" && !String(formula).startsWith("=")) fail("InvalidArgument", `a Formula criterion's formula starts with = (${which})`);
    if (type !== "Formula" && !NUMERIC.test(body)) fail("InvalidArgument", `${JSON.stringify(formula)} is not a number (${which})`);
    if ((type === "Percent" || type === "Percentile") && !(Number(body) >= 0 && Number(body) <= 100)) fail("InvalidArgument", `a ${type} is from 0 to 100; got ${String(formula)} (${which})`);
  }
  const kept = shade === undefined ? previous?.color : undefined;
  return { type: type as string, formula: type === "LowestValue" || type === "HighestValue" ? null : (formula as string), color: kept ?? color(shade) };
}
const cfAlive = (c: CfRef, w: FakeWorkbook) => w.sheets.includes(c.sheet) && c.sheet.conditionalFormats.includes(c.cf);
const ColorScaleType = def<CfRef>({
  name: "ColorScaleConditionalFormat",
  alive: cfAlive,
  props: {
    criteria: {
      get: (c) => c.cf.criteria,
      set: (c, v) => {
        if (typeof v !== "object" || v === null) fail("InvalidArgument", "colour scale criteria are an object");
        checkShape(v, { minimum: true, midpoint: true, maximum: true }, "ConditionalColorScaleCriteria");
        const { minimum, midpoint, maximum } = v as Record<string, unknown>;
        if (minimum === undefined || maximum === undefined) fail("InvalidArgument", "colour scale criteria need a minimum and a maximum");
        const criteria: FakeConditionalFormat["criteria"] = { minimum: checkCriterion(minimum, "minimum", c.cf.criteria.minimum), maximum: checkCriterion(maximum, "maximum", c.cf.criteria.maximum) };
        if (midpoint !== undefined && midpoint !== null) criteria.midpoint = checkCriterion(midpoint, "midpoint", c.cf.criteria.midpoint);
        c.cf.criteria = criteria;
      },
    },
    threeColorScale: { get: (c) => c.cf.criteria.midpoint !== undefined },
  },
});
const ConditionalFormatType = def<CfRef>({
  name: "ConditionalFormat",
  alive: cfAlive,
  props: { id: { get: (c) => c.cf.id }, type: { get: (c) => c.cf.type } },
  nav: { colorScale: { type: () => ColorScaleType, get: (c) => (c.cf.type === "ColorScale" ? c : fail("InvalidArgument", `the conditional format is a ${c.cf.type}, not a ColorScale`)) } },
  methods: {
    delete: (self) => act<CfRef>(self, "delete", [], (c) => void c.sheet.conditionalFormats.splice(c.sheet.conditionalFormats.indexOf(c.cf), 1)),
    getRange: (self) => make<CfRef>(self, "getRange", [], () => RangeType, (c) => ({ sheet: c.sheet, box: parseA1(c.cf.range)! }), true),
    getRangeOrNullObject: (self) => make<CfRef>(self, "getRangeOrNullObject", [], () => RangeType, (c) => ({ sheet: c.sheet, box: parseA1(c.cf.range)! }), true),
  },
});
const ConditionalFormatCollectionType = def<RangeRef>({
  name: "ConditionalFormatCollection",
  alive: rangeAlive,
  items: { type: () => ConditionalFormatType, list: (r) => r.sheet.conditionalFormats.filter((cf) => overlaps(parseA1(cf.range)!, r.box)).map((cf) => ({ sheet: r.sheet, cf })) },
  methods: {
    add: (self, [type]) => {
      if (!CF_TYPES.includes(String(type))) throw new ExcelError("InvalidArgument", `${JSON.stringify(type)} is not a ConditionalFormatType`);
      if (type !== "ColorScale") throw unknownMember("ConditionalFormatCollection", `add(${JSON.stringify(type)})`);
      return make<RangeRef>(self, "add", [type], () => ConditionalFormatType, (r, w) => {
        const cf: FakeConditionalFormat = { id: w.newId(), type: "ColorScale", range: a1(r.box), criteria: DEFAULT_CRITERIA() };
        r.sheet.conditionalFormats.unshift(cf);
        return { sheet: r.sheet, cf };
      }, true);
    },
    getItem: (self, [id]) => make<RangeRef>(self, "getItem", [id], () => ConditionalFormatType, (r) => ({ sheet: r.sheet, cf: lookup(r.sheet.conditionalFormats.find((cf) => cf.id === id && overlaps(parseA1(cf.range)!, r.box)), `the conditional format ${String(id)}`, false) })),
  },
});

// ---------------------------------------------------------------- names

type NameRef = { scope: FakeSheet | null; name: string };
type Scope = { scope: FakeSheet | null };
const scopeAlive = (s: Scope, w: FakeWorkbook) => s.scope === null || w.sheets.includes(s.scope);
function nameType(formula: string): string {
  const body = formula.replace(/^=/, "").trim();
  if (body.includes("#REF!")) return "Error";
  if (/^('(?:[^']|'')+'|[^'!"=#]+)!/.test(body) && parseA1(body.slice(body.lastIndexOf("!") + 1))) return "Range";
  if (/^"(?:[^"]|"")*"$/.test(body)) return "String";
  if (/^(?:TRUE|FALSE)$/i.test(body)) return "Boolean";
  if (NUMERIC.test(body)) return "Double";
  if (/^\{.*\}$/.test(body)) return "Array";
  throw unknownMember("NamedItem", `type of the formula ${formula}`);
}
const NamedItemType = def<NameRef>({
  name: "NamedItem",
  alive: (n, w) => scopeAlive(n, w) && keyIn(w.scopeNames(n.scope), n.name) !== undefined,
  props: {
    name: { get: (n, w) => keyIn(w.scopeNames(n.scope), n.name) },
    formula: {
      get: (n, w) => w.scopeNames(n.scope).get(keyIn(w.scopeNames(n.scope), n.name)!),
      set: (n, v, w) => {
        if (typeof v !== "string" || v === "") fail("InvalidArgument", `${JSON.stringify(v)} is not a formula`);
        w.scopeNames(n.scope).set(keyIn(w.scopeNames(n.scope), n.name)!, String(v).startsWith("=") ? String(v) : `=${String(v)}`);
      },
    },
    type: { get: (n, w) => nameType(w.scopeNames(n.scope).get(keyIn(w.scopeNames(n.scope), n.name)!)!) },
    visible: { get: () => true },
    scope: { get: (n) => (n.scope ? "Worksheet" : "Workbook") },
    comment: {
      get: (n, w) => w.commentsOf(w.scopeNames(n.scope)).get(n.name.toLowerCase()) ?? "",
      set: (n, v, w) => void w.commentsOf(w.scopeNames(n.scope)).set(n.name.toLowerCase(), String(v)),
    },
  },
  methods: {
    delete: (self) =>
      act<NameRef>(self, "delete", [], (n, w) => {
        const map = w.scopeNames(n.scope);
        map.delete(keyIn(map, n.name)!);
        w.commentsOf(map).delete(n.name.toLowerCase());
      }),
    getRange: (self) => make<NameRef>(self, "getRange", [], () => RangeType, (n, w) => w.rangeOfFormula(w.scopeNames(n.scope).get(keyIn(w.scopeNames(n.scope), n.name)!)!) ?? fail("InvalidReference", `the name ${n.name} does not refer to a range`), true),
  },
  since: { formula: "1.7", comment: "1.4", delete: "1.4" },
});
const nameIn = (s: Scope, w: FakeWorkbook, name: unknown): NameRef | undefined => (keyIn(w.scopeNames(s.scope), String(name)) !== undefined ? { scope: s.scope, name: String(name) } : undefined);
const NamedItemCollectionType = def<Scope>({
  name: "NamedItemCollection",
  alive: scopeAlive,
  items: { type: () => NamedItemType, list: (s, w) => [...w.scopeNames(s.scope).keys()].map((name) => ({ scope: s.scope, name })) },
  methods: {
    add: (self, [name, reference, comment]) =>
      make<Scope>(self, "add", [name, reference, comment], () => NamedItemType, (s, w) => {
        const formula = typeof reference === "string" ? (reference.startsWith("=") ? reference : `=${reference}`) : absoluteRef(rangeArg(reference));
        return w.addName(s.scope, name, formula, comment);
      }, true),
    getItem: (self, [name]) => make<Scope>(self, "getItem", [name], () => NamedItemType, (s, w) => lookup(nameIn(s, w, name), `the name ${String(name)}`, false)),
    getItemOrNullObject: (self, [name]) => make<Scope>(self, "getItemOrNullObject", [name], () => NamedItemType, (s, w) => lookup(nameIn(s, w, name), "", true)),
  },
  since: { add: "1.4", getItemOrNullObject: "1.4" },
});

// ---------------------------------------------------------------- charts

type ChartRef = { sheet: FakeSheet; chart: FakeChart };
type SeriesRef = ChartRef & { series: FakeChart["series"][number] };
const CHART_TYPES = ["Line", "AreaStacked", "BarClustered", "ColumnClustered"];
const chartAlive = (c: ChartRef, w: FakeWorkbook) => w.sheets.includes(c.sheet) && c.sheet.charts.includes(c.chart);
/** A chart corner: a Range or an address, kept as "B2". */
const corner = (v: unknown, sheet: FakeSheet): string => a1((handleOf(v) ? rangeArg(v) : typeof v === "string" ? { sheet, box: parseA1(v) ?? fail("InvalidArgument", `bad cell ${v}`) } : fail("InvalidArgument", "expected a cell")).box);

const ChartSeriesType = def<SeriesRef>({
  name: "ChartSeries",
  alive: (s, w) => chartAlive(s, w) && s.chart.series.includes(s.series),
  props: { name: { get: (s) => s.series.name ?? "", set: (s, v) => void (s.series.name = String(v)) } },
  methods: {
    setValues: (self, [source]) => act<SeriesRef>(self, "setValues", [source], (s) => void (s.series.values = rangeAddress(rangeArg(source)))),
    setXAxisValues: (self, [source]) => act<SeriesRef>(self, "setXAxisValues", [source], (s) => void (s.series.categories = rangeAddress(rangeArg(source)))),
    delete: (self) => act<SeriesRef>(self, "delete", [], (s) => void s.chart.series.splice(s.chart.series.indexOf(s.series), 1)),
  },
  since: { setValues: "1.7", setXAxisValues: "1.7", delete: "1.7" },
});
const ChartSeriesCollectionType = def<ChartRef>({
  name: "ChartSeriesCollection",
  alive: chartAlive,
  items: { type: () => ChartSeriesType, list: (c) => c.chart.series.map((series) => ({ ...c, series })) },
  methods: {
    getItemAt: (self, [index]) => make<ChartRef>(self, "getItemAt", [index], () => ChartSeriesType, (c) => ({ ...c, series: lookup(c.chart.series[Number(index)], `series ${String(index)}`, false) })),
    add: (self, [name]) =>
      make<ChartRef>(self, "add", [name], () => ChartSeriesType, (c) => {
        const series = name === undefined ? {} : { name: String(name) };
        c.chart.series.push(series);
        return { ...c, series };
      }, true),
  },
  since: { add: "1.7" },
});
const ChartTitleType = def<ChartRef>({ name: "ChartTitle", alive: chartAlive, props: { text: { get: (c) => c.chart.title ?? "", set: (c, v) => void (c.chart.title = String(v)) } } });
const ChartType = def<ChartRef>({
  name: "Chart",
  alive: chartAlive,
  props: {
    name: {
      get: (c) => c.chart.name,
      set: (c, v) => {
        if (typeof v !== "string" || v === "") fail("InvalidArgument", `${JSON.stringify(v)} is not a chart name`);
        if (c.sheet.charts.some((x) => x !== c.chart && same(x.name, String(v)))) fail("ItemAlreadyExists", `a chart named ${String(v)} exists on ${c.sheet.name}`);
        c.chart.name = String(v);
      },
    },
  },
  nav: { title: { type: () => ChartTitleType, get: (c) => c }, series: { type: () => ChartSeriesCollectionType, get: (c) => c } },
  methods: {
    setPosition: (self, [start, end]) =>
      act<ChartRef>(self, "setPosition", [start, end], (c) => {
        c.chart.from = corner(start, c.sheet);
        if (end !== undefined && end !== null) c.chart.to = corner(end, c.sheet);
      }),
    delete: (self) => act<ChartRef>(self, "delete", [], (c) => void c.sheet.charts.splice(c.sheet.charts.indexOf(c.chart), 1)),
  },
});
const ChartCollectionType = def<FakeSheet>({
  name: "ChartCollection",
  alive: (s, w) => w.sheets.includes(s),
  items: { type: () => ChartType, list: (s) => s.charts.map((chart) => ({ sheet: s, chart })) },
  methods: {
    add: (self, [type, source, seriesBy]) => {
      if (handleOf(source)?.type !== RangeType) throw new ExcelError("InvalidArgument", "Charts.Add: sourceData must be a Range"); // checked in Office.js itself
      if (!CHART_TYPES.includes(String(type))) throw unknownMember("ChartCollection", `add(${JSON.stringify(type)})`);
      return make<FakeSheet>(self, "add", [type, source, seriesBy], () => ChartType, (s) => {
        if (seriesBy !== undefined && !["Rows", "Columns", "Auto"].includes(String(seriesBy))) fail("InvalidArgument", `${JSON.stringify(seriesBy)} is not a ChartSeriesBy`);
        let n = 1;
        while (s.charts.some((c) => same(c.name, `Chart ${n}`))) n++;
        const chart: FakeChart = { name: `Chart ${n}`, type: String(type), series: [{ values: rangeAddress(rangeArg(source)) }] };
        s.charts.push(chart);
        return { sheet: s, chart };
      }, true);
    },
    getItem: (self, [name]) => make<FakeSheet>(self, "getItem", [name], () => ChartType, (s) => ({ sheet: s, chart: lookup(s.charts.find((c) => same(c.name, String(name))), `the chart ${String(name)}`, false) })),
    getItemOrNullObject: (self, [name]) =>
      make<FakeSheet>(self, "getItemOrNullObject", [name], () => ChartType, (s) => {
        const chart = s.charts.find((c) => same(c.name, String(name)));
        return chart ? { sheet: s, chart } : null;
      }),
  },
  since: { getItemOrNullObject: "1.4" },
});

// ---------------------------------------------------------------- tables

const TABLE_STYLE = /^TableStyle(?:Light(?:[1-9]|1\d|2[01])|Medium(?:[1-9]|1\d|2[0-8])|Dark(?:[1-9]|1[01]))$/;
const tableRange = (t: FakeTable, w: FakeWorkbook): RangeRef => ({ sheet: w.sheets.find((s) => s.id === t.sheetId)!, box: parseA1(t.range)! });
const TableType = def<FakeTable>({
  name: "Table",
  alive: (t, w) => w.tables.includes(t),
  props: {
    name: { get: (t) => t.name, set: (t, v, w) => void (t.name = w.checkTableName(v, t)) },
    style: { get: (t) => t.style ?? "", set: (t, v) => void (t.style = typeof v === "string" && (v === "" || TABLE_STYLE.test(v)) ? v : fail("InvalidArgument", `${JSON.stringify(v)} is not a table style`)) },
  },
  methods: {
    getRange: (self) => make<FakeTable>(self, "getRange", [], () => RangeType, (t, w) => tableRange(t, w), true),
    convertToRange: (self) =>
      make<FakeTable>(self, "convertToRange", [], () => RangeType, (t, w) => {
        w.tables.splice(w.tables.indexOf(t), 1);
        return tableRange(t, w);
      }, true),
    delete: (self) =>
      act<FakeTable>(self, "delete", [], (t, w) => {
        const r = tableRange(t, w);
        w.tables.splice(w.tables.indexOf(t), 1);
        for (const [key] of cellsIn(r)) r.sheet.cells.delete(key);
      }),
  },
  since: { convertToRange: "1.2" },
});
const TableCollectionType = def<Scope>({
  name: "TableCollection",
  alive: scopeAlive,
  items: { type: () => TableType, list: (s, w) => w.tables.filter((t) => s.scope === null || t.sheetId === s.scope.id) },
  methods: {
    add: (self, [address, hasHeaders]) => {
      if (hasHeaders !== true) throw unknownMember("TableCollection", "add(…, hasHeaders: false) (Excel then shifts the data down for a header row)");
      return make<Scope>(self, "add", [address, hasHeaders], () => TableType, (s, w) => w.addTable(s.scope, address, true), true);
    },
    getItem: (self, [name]) => make<Scope>(self, "getItem", [name], () => TableType, (s, w) => lookup(w.tables.find((t) => same(t.name, String(name)) && (s.scope === null || t.sheetId === s.scope.id)), `the table ${String(name)}`, false)),
    getItemOrNullObject: (self, [name]) => make<Scope>(self, "getItemOrNullObject", [name], () => TableType, (s, w) => lookup(w.tables.find((t) => same(t.name, String(name)) && (s.scope === null || t.sheetId === s.scope.id)), "", true)),
  },
  since: { getItemOrNullObject: "1.4" },
});

// ---------------------------------------------------------------- worksheets

type PropRef = { sheet: FakeSheet; key: string };
const CustomPropertyType = def<PropRef>({
  name: "WorksheetCustomProperty",
  alive: (p, w) => w.sheets.includes(p.sheet) && keyIn(p.sheet.customProperties, p.key) !== undefined,
  props: {
    key: { get: (p) => keyIn(p.sheet.customProperties, p.key) },
    value: { get: (p) => p.sheet.customProperties.get(keyIn(p.sheet.customProperties, p.key)!), set: (p, v) => void p.sheet.customProperties.set(keyIn(p.sheet.customProperties, p.key)!, String(v)) },
  },
  methods: { delete: (self) => act<PropRef>(self, "delete", [], (p) => void p.sheet.customProperties.delete(keyIn(p.sheet.customProperties, p.key)!)) },
});
const propIn = (s: FakeSheet, key: unknown): PropRef | undefined => (keyIn(s.customProperties, String(key)) !== undefined ? { sheet: s, key: String(key) } : undefined);
const CustomPropertyCollectionType = def<FakeSheet>({
  name: "WorksheetCustomPropertyCollection",
  alive: (s, w) => w.sheets.includes(s),
  items: { type: () => CustomPropertyType, list: (s) => [...s.customProperties.keys()].map((key) => ({ sheet: s, key })) },
  methods: {
    add: (self, [key, value]) =>
      make<FakeSheet>(self, "add", [key, value], () => CustomPropertyType, (s) => {
        // The typings: "The key is limited to 255 characters (larger values will cause an InvalidArgument error to be thrown.)"
        if (typeof key !== "string" || key.length > 255) fail("InvalidArgument", `${JSON.stringify(key)} is not a custom property key of at most 255 characters`);
        const old = keyIn(s.customProperties, String(key));
        if (old !== undefined) s.customProperties.delete(old);
        s.customProperties.set(String(key), String(value));
        return { sheet: s, key: String(key) };
      }, true),
    getItem: (self, [key]) => make<FakeSheet>(self, "getItem", [key], () => CustomPropertyType, (s) => lookup(propIn(s, key), `the custom property ${String(key)}`, false)),
    getItemOrNullObject: (self, [key]) => make<FakeSheet>(self, "getItemOrNullObject", [key], () => CustomPropertyType, (s) => lookup(propIn(s, key), "", true)),
  },
});
const count = (v: unknown, max: number): number => (v === undefined ? 1 : Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max ? (v as number) : fail("InvalidArgument", `${JSON.stringify(v)} is not a count`));
const FreezePanesType = def<FakeSheet>({
  name: "WorksheetFreezePanes",
  alive: (s, w) => w.sheets.includes(s),
  methods: {
    freezeRows: (self, [n]) => act<FakeSheet>(self, "freezeRows", [n], (s) => void (s.frozen = { rows: count(n, MAX_ROW), columns: 0 })),
    freezeColumns: (self, [n]) => act<FakeSheet>(self, "freezeColumns", [n], (s) => void (s.frozen = { rows: 0, columns: count(n, MAX_COL) })),
    unfreeze: (self) => act<FakeSheet>(self, "unfreeze", [], (s) => void (s.frozen = { rows: 0, columns: 0 })),
  },
});
function usedBox(s: FakeSheet, valuesOnly: boolean): Box | null {
  let box: Box | null = null;
  for (const [key, c] of s.cells) {
    if (!(c.value !== undefined || c.formula !== undefined || (!valuesOnly && Object.keys(c).length > 0))) continue;
    const p = cellPos(key);
    box = box ? { r1: Math.min(box.r1, p.r), c1: Math.min(box.c1, p.c), r2: Math.max(box.r2, p.r), c2: Math.max(box.c2, p.c) } : { r1: p.r, c1: p.c, r2: p.r, c2: p.c };
  }
  return box;
}
const WorksheetType = def<FakeSheet>({
  name: "Worksheet",
  alive: (s, w) => w.sheets.includes(s),
  props: {
    name: { get: (s) => s.name, set: (s, v, w) => w.renameSheet(s, v) },
    id: { get: (s) => s.id },
    position: { get: (s, w) => w.sheets.indexOf(s) },
    visibility: { get: (s) => s.visibility, set: (s, v, w) => w.setVisibility(s, v) },
  },
  nav: {
    names: { type: () => NamedItemCollectionType, get: (s) => ({ scope: s }) },
    charts: { type: () => ChartCollectionType, get: (s) => s },
    tables: { type: () => TableCollectionType, get: (s) => ({ scope: s }) },
    customProperties: { type: () => CustomPropertyCollectionType, get: (s) => s },
    freezePanes: { type: () => FreezePanesType, get: (s) => s },
  },
  methods: {
    getRange: (self, [address]) => make<FakeSheet>(self, "getRange", [address], () => RangeType, (s) => ({ sheet: s, box: address === undefined ? { r1: 1, c1: 1, r2: MAX_ROW, c2: MAX_COL } : (parseA1(address) ?? fail("InvalidArgument", `bad address ${JSON.stringify(address)}`)) }), true),
    getUsedRangeOrNullObject: (self, [valuesOnly]) =>
      make<FakeSheet>(self, "getUsedRangeOrNullObject", [valuesOnly], () => RangeType, (s) => {
        const box = usedBox(s, valuesOnly === true);
        return box && { sheet: s, box };
      }, true),
    delete: (self) => act<FakeSheet>(self, "delete", [], (s, w) => w.deleteSheet(s)),
    activate: (self) => act<FakeSheet>(self, "activate", [], (s, w) => w.activate(s)),
  },
  since: { names: "1.4", customProperties: "1.12", freezePanes: "1.7", getUsedRangeOrNullObject: "1.4" },
});
const WorksheetCollectionType = def<FakeWorkbook>({
  name: "WorksheetCollection",
  items: { type: () => WorksheetType, list: (w) => w.sheets },
  methods: {
    add: (self, [name]) => make<FakeWorkbook>(self, "add", [name], () => WorksheetType, (w) => w.addSheet(name), true),
    getItem: (self, [key]) => make<FakeWorkbook>(self, "getItem", [key], () => WorksheetType, (w) => lookup(w.byName(key) ?? w.sheets.find((s) => s.id === key), `the sheet ${String(key)}`, false)),
    getItemOrNullObject: (self, [key]) => make<FakeWorkbook>(self, "getItemOrNullObject", [key], () => WorksheetType, (w) => lookup(w.byName(key) ?? w.sheets.find((s) => s.id === key), "", true)),
    getActiveWorksheet: (self) => make<FakeWorkbook>(self, "getActiveWorksheet", [], () => WorksheetType, (w) => w.activeSheet()),
  },
  since: { getItemOrNullObject: "1.4" },
});
const WorkbookType: TypeDef = def<FakeWorkbook>({
  name: "Workbook",
  nav: {
    worksheets: { type: () => WorksheetCollectionType, get: (w) => w },
    names: { type: () => NamedItemCollectionType, get: () => ({ scope: null }) },
    tables: { type: () => TableCollectionType, get: () => ({ scope: null }) },
  },
  methods: {
    getSelectedRange: (self) => make<FakeWorkbook>(self, "getSelectedRange", [], () => RangeType, (w) => w.selectedRange(false), true),
    getActiveCell: (self) => make<FakeWorkbook>(self, "getActiveCell", [], () => RangeType, (w) => w.selectedRange(true), true),
  },
  since: { getActiveCell: "1.7" },
});

// ---------------------------------------------------------------- globals

/** Installs a fresh fake as `Excel` and `Office` on globalThis; returns it for inspection. */
export function installFakeExcel(options: { sheets?: string[]; apiSets?: Record<string, string> } = {}): FakeExcel {
  const fake = new FakeWorkbook(options.sheets ?? ["Sheet1"], options.apiSets ?? { ExcelApi: "1.12" });
  return useFakeExcel(fake);
}

/** Makes an installed fake the one behind `Excel` and `Office` again (after another was installed). */
export function useFakeExcel(excel: FakeExcel): FakeExcel {
  const fake = excel as FakeWorkbook;
  const g = globalThis as unknown as Record<string, unknown>;
  g.Excel = strict("Excel", {
    run: async (batch: unknown) => {
      if (typeof batch !== "function") throw unknownMember("Excel", "run(options or object, batch)");
      const ctx = new Context(fake);
      try {
        const pending: unknown = batch(ctx.api);
        if (typeof (pending as { then?: unknown } | null)?.then !== "function") fail("RunMustReturnPromise", 'the batch function passed to ".run" did not return a promise');
        const value = await pending;
        await ctx.sync(); // what the callback left queued
        return value;
      } finally {
        ctx.closed = true;
      }
    },
    ClearApplyTo: strict("Excel.ClearApplyTo", { all: "All", formats: "Formats", contents: "Contents" }),
    NamedItemType: strict("Excel.NamedItemType", { range: "Range", string: "String", integer: "Integer", double: "Double", boolean: "Boolean", array: "Array", error: "Error" }),
    ChartType: strict("Excel.ChartType", { line: "Line", areaStacked: "AreaStacked", barClustered: "BarClustered", columnClustered: "ColumnClustered" }),
    ChartSeriesBy: strict("Excel.ChartSeriesBy", { rows: "Rows", columns: "Columns", auto: "Auto" }),
    SheetVisibility: strict("Excel.SheetVisibility", { visible: "Visible", hidden: "Hidden", veryHidden: "VeryHidden" }),
    NamedItemScope: strict("Excel.NamedItemScope", { worksheet: "Worksheet", workbook: "Workbook" }),
    DataValidationOperator: strict("Excel.DataValidationOperator", {
      between: "Between", notBetween: "NotBetween", equalTo: "EqualTo", notEqualTo: "NotEqualTo", greaterThan: "GreaterThan",
      lessThan: "LessThan", greaterThanOrEqualTo: "GreaterThanOrEqualTo", lessThanOrEqualTo: "LessThanOrEqualTo",
    }),
    DataValidationAlertStyle: strict("Excel.DataValidationAlertStyle", { stop: "Stop", warning: "Warning", information: "Information" }),
    ConditionalFormatType: strict("Excel.ConditionalFormatType", {
      custom: "Custom", dataBar: "DataBar", colorScale: "ColorScale", iconSet: "IconSet", topBottom: "TopBottom", presetCriteria: "PresetCriteria", containsText: "ContainsText", cellValue: "CellValue",
    }),
    ConditionalFormatColorCriterionType: strict("Excel.ConditionalFormatColorCriterionType", {
      invalid: "Invalid", lowestValue: "LowestValue", highestValue: "HighestValue", number: "Number", percent: "Percent", formula: "Formula", percentile: "Percentile",
    }),
    DataValidationType: strict("Excel.DataValidationType", {
      none: "None", wholeNumber: "WholeNumber", decimal: "Decimal", list: "List", date: "Date", time: "Time", textLength: "TextLength", custom: "Custom", inconsistent: "Inconsistent", mixedCriteria: "MixedCriteria",
    }),
  });
  const settings = strict("Office.context.document.settings", {
    get: (key: string) => (fake.settings.has(key) ? fake.settings.get(key) : null),
    set: (key: string, value: unknown) => void fake.settings.set(key, value),
    remove: (key: string) => void fake.settings.delete(key),
    saveAsync: (...args: unknown[]) => {
      const callback = args.find((a): a is (result: unknown) => void => typeof a === "function");
      setTimeout(() => {
        fake.savedSettings = new Map([...fake.settings].map(([k, v]) => [k, JSON.parse(JSON.stringify(v) ?? "null") as unknown]));
        callback?.({ status: "succeeded", value: undefined });
      }, 0);
    },
  });
  g.Office = strict("Office", {
    context: strict("Office.context", {
      requirements: strict("Office.context.requirements", { isSetSupported: (name: string, version?: string) => fake.isSetSupported(name, version) }),
      // getFileAsync and url: ./fakeOfficeFile.ts (its getters kept, so assigned onto, not spread).
      document: strict("Office.context.document", Object.assign(documentFileMembers(fake), { settings })),
    }),
    AsyncResultStatus: strict("Office.AsyncResultStatus", { Succeeded: "succeeded", Failed: "failed" }),
    FileType: strict("Office.FileType", { Compressed: "compressed", Pdf: "pdf", Text: "text" }),
  });
  return fake;
}
