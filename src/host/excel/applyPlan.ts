import { cellAddress, HEAT_MAP, renameSheetReferences, type HeatMapPlan, type SheetPlan, type ValidationPlan, type WorkbookPlan } from "../../models/plan";
import { MARKER_KEY, marker, newInstance, OccupiedCellsError, type ApplyOptions, type ApplyResult, type WrittenChart, type WrittenModel, type WrittenSheet } from "../../models/written";
import { leftCopy, markedCopies, quoteSheet, sheetGone, uniqueSheetName, uniqueTableName } from "../sheets";
import { batches, CellSet, jsonBytes, OPERATION_BYTES, parseRange, planFootprint, rectAddress, rectCells, splitRects, writePieces, type Rect } from "../cells";

/**
 * Writes a workbook plan into the open workbook with Office.js, by the rules Excel keeps:
 *
 * - Every request stays under REQUEST_BUDGET (2 MB; Excel on the web refuses a request or a
 *   response over 5 MB): cell writes are cut into pieces and grouped, so the number of
 *   syncs grows with the plan's size in bytes, about one per 2 MB, plus four.
 * - No proxy property is read before it has been loaded and synced.
 * - A new model goes to a new sheet with a unique name, marked with a worksheet custom
 *   property (ExcelApi 1.12) that only the add-in writes. A rebuild finds its sheet by that
 *   marker and rewrites it in place: the sheet, its cell addresses and its names stay, so a
 *   user's formulas that point at the model (`='Cohort model'!B20`, `='Cohort model'!CLV_NewCustomer`) still
 *   point at the same result. Only the cells the model wrote before and the ones it writes
 *   now are touched; anything else a user put on the sheet stays. Where the new model needs
 *   a cell the user filled, nothing is written and OccupiedCellsError says which cells,
 *   unless `overwrite` says the user agreed.
 * - On a rebuild the model's old cells are emptied and lose what the model sets (number
 *   format, bold, italic, fill); other formatting a user gave them (borders, alignment)
 *   stays. The model's names are set before any formula that uses them is written, so a
 *   formula binds to the sheet's own name, never to a workbook name of the same spelling.
 *   The model's table is kept when its range is unchanged; when the cohorts or periods
 *   change it is converted to a range and added anew (Excel then turns structured
 *   references to it into plain ranges).
 * - A failure at any step puts the workbook back as it was: a new sheet is deleted; a
 *   rebuilt sheet gets back the cells (contents, number formats, bold, italic, font colour,
 *   fill), names, tables and charts read before writing.
 * - Input cells get the plan's data validation (ExcelApi 1.8), each range cleared first, as
 *   Excel requires before a new rule; a rebuild takes the old model's off its old ranges. A
 *   restore puts back the old model's validation and what was on the new ranges before.
 * - Heat maps are colour scales (conditional formats, ExcelApi 1.6). A rebuild deletes the old
 *   model's: the colour scales that lie exactly on a range its record lists (a user's own
 *   conditional formats, on those cells or wider, stay). A restore deletes the colour scales
 *   exactly on the old or new ranges and adds the old model's again.
 */
export const REQUEST_BUDGET = 2 * 1024 * 1024;
/** Cells with validation of a user's own read one by one before a rebuild takes them, at most. */
const MIXED_CELLS = 5_000;
const uniformType = (type: string) => type !== "None" && type !== "Inconsistent" && type !== "MixedCriteria";

/** Cells per snapshot read: formulas, number formats and cell properties of 5,000 cells stay near 2 MB. */
const READ_CELLS = 5_000;
const CELL_PROPERTIES = { format: { font: { bold: true, italic: true, color: true }, fill: { color: true } } } as const;

export type { ApplyOptions, ApplyResult } from "../../models/written";
export { quoteSheet, safeSheetName, uniqueSheetName, uniqueTableName } from "../sheets";

const chartName = (i: number) => `Lifetime chart ${i + 1}`;

interface CellSnapshot {
  range: string;
  formulas: unknown[][];
  values: unknown[][];
  numberFormat: unknown[][];
  properties: Excel.SettableCellProperties[][];
}

interface TableState {
  name: string;
  range: string;
  style: string;
}

interface Snapshot {
  /** Old and new model cells together: what a restore resets and writes back. */
  touched: Rect[];
  pieces: CellSnapshot[];
  names: { name: string; formula: string }[];
  /** Every table on the sheet before the run. */
  tables: TableState[];
  /** Every chart on the sheet before the run, by name. */
  charts: Set<string>;
  /** The data validation on each of the new plan's validated ranges before the run. */
  validations: ValidationState[];
}

interface ValidationState {
  range: string;
  type: string;
  rule?: Excel.DataValidationRule;
  prompt?: Excel.DataValidationPrompt;
  errorAlert?: Excel.DataValidationErrorAlert;
  ignoreBlanks?: boolean;
}

interface Target {
  plan: SheetPlan;
  footprint: string[];
  /** The final name; for a rebuilt sheet, its current name. */
  name: string;
  ws?: Excel.Worksheet;
  /** The sheet's id (this session only: ids are not kept in files). */
  id?: string;
  record?: WrittenSheet;
  /** Sheet-scoped names on the sheet before the run. */
  existingNames?: Set<string>;
  snapshot?: Snapshot;
  /** Cells reset before writing: the old model's and, with overwrite, the user's in the new model's way. */
  clear: string[];
  /** For each plan table: its name, and whether the sheet's table is kept as it is. */
  tables: { name: string; keep: boolean }[];
  /** The model's tables on the sheet that give way to new ones. */
  convert: string[];
  /** The old model's heat maps on the sheet, deleted before the new ones are added. */
  oldHeatMaps?: Excel.ConditionalFormat[];
}

type Operation = { bytes: number; run: () => void };

export async function applyPlan(plan: WorkbookPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  return Excel.run(async (context) => {
    const prepared = await prepare(context, plan, options).catch((error: unknown) => {
      throw error instanceof OccupiedCellsError || error instanceof MarkerError ? error : failed(error, "Nothing was changed.");
    });
    return write(context, plan, prepared);
  });
}

/** Two sheets carry the model's marker: the pane cannot tell which to rebuild. */
class MarkerError extends Error {}

interface Prepared {
  instance: string;
  targets: Target[];
  rebuilt: Target[];
  notes: string[];
  originalIds: Set<string>;
  /** The model's sheets of an earlier build that the plan no longer has. */
  orphans: Excel.Worksheet[];
}

const sameRange = (a: string, b: string) => rectAddress(parseRange(a)) === rectAddress(parseRange(b));
const intersects = (r: Rect, cells: CellSet) => cells.within(r).size > 0;

/** Reads what the plan needs to know (sheets, markers, and on a rebuild the model's cells): no writes. */
async function prepare(context: Excel.RequestContext, plan: WorkbookPlan, options: ApplyOptions): Promise<Prepared> {
  const workbook = context.workbook;
  const worksheets = workbook.worksheets;
  worksheets.load("items/name,items/id");
  workbook.tables.load("items/name");
  workbook.names.load("items/name");
  await context.sync();

  const previous = options.previous?.modelId === plan.modelId ? options.previous : undefined;
  const instance = previous?.instance ?? newInstance();
  const originalIds = new Set(worksheets.items.map((ws) => ws.id));
  const markers = worksheets.items.map((ws) => {
    const property = ws.customProperties.getItemOrNullObject(MARKER_KEY);
    property.load("value");
    return { ws, property };
  });
  await context.sync();
  const marked = (key: string) => markers.filter((m) => !m.property.isNullObject && m.property.value === marker(plan.modelId, instance, key));

  const takenSheets = new Set(worksheets.items.map((ws) => ws.name));
  const takenTables = new Set([...workbook.tables.items.map((t) => t.name), ...workbook.names.items.map((n) => n.name)]);
  const notes: string[] = [];
  const targets: Target[] = plan.sheets.map((sheet) => {
    const record = previous?.sheets.find((s) => s.key === sheet.name);
    const found = record ? marked(sheet.name) : [];
    if (found.length > 1) {
      throw new MarkerError(markedCopies(found.map((m) => m.ws.name)));
    }
    const existing = found[0];
    if (record && !existing) notes.push(sheetGone(record.name));
    const name = existing ? existing.ws.name : uniqueSheetName(sheet.name, takenSheets);
    takenSheets.add(name);
    return { plan: sheet, footprint: planFootprint(sheet), name, ws: existing?.ws, id: existing?.ws.id, record: existing ? record : undefined, clear: [], tables: [], convert: [] };
  });
  // The plan's sheets refer to one another by their planned names: written under others, their formulas follow.
  const renames = new Map(targets.map((t) => [t.plan.name, t.name]));
  for (const t of targets) t.plan = renameSheetReferences(t.plan, renames);
  // The model's sheets the plan no longer has (a scenario deleted): removed once the plan is written.
  // Only the sheet of the recorded name: a copy keeps the marker, and a copy is the user's.
  const orphans: Excel.Worksheet[] = [];
  for (const r of (previous?.sheets ?? []).filter((x) => !plan.sheets.some((s) => s.name === x.key))) {
    for (const m of marked(r.key)) {
      if (m.ws.name === r.name) orphans.push(m.ws);
      else notes.push(leftCopy(m.ws.name));
    }
  }

  // Rebuilds: what is on the model's sheet now, then a snapshot of every cell the rebuild touches.
  const rebuilt = targets.filter((t) => t.ws);
  const loads = rebuilt.map((t) => {
    const ws = t.ws as Excel.Worksheet;
    ws.names.load("items/name,items/formula,items/scope");
    ws.charts.load("items/name");
    ws.tables.load("items/name,items/style");
    const used = ws.getUsedRangeOrNullObject(false);
    used.load("address");
    // The validation on the cells the new plan validates that the old model did not: the old
    // model's own comes back from its record, so only these are read (each rect uniform or not).
    const fresh = CellSet.of((t.plan.validations ?? []).map((v) => v.range)).minus(CellSet.of((t.record?.validations ?? []).map((v) => v.range)));
    const validations = fresh.rects().map((rect) => {
      const range = rectAddress(rect);
      const dv = ws.getRange(range).dataValidation;
      dv.load("type,rule,prompt,errorAlert,ignoreBlanks");
      return { range, dv };
    });
    const heatMaps = colorScalesOn(ws, (t.record?.heatMaps ?? []).map((h) => h.range));
    return { t, ws, used, validations, heatMaps };
  });
  if (loads.length > 0) await context.sync();
  const tableRanges = loads.map(({ ws }) =>
    ws.tables.items.map((table) => {
      const range = table.getRange();
      range.load("address");
      return { table, range };
    }),
  );
  const located = loads.map(({ heatMaps }) => heatMaps.locate()).some(Boolean);
  if (located || tableRanges.some((list) => list.length > 0)) await context.sync();
  for (const [k, { t, ws, used, validations, heatMaps }] of loads.entries()) {
    t.oldHeatMaps = heatMaps.exact();
    // Excel on the web may list workbook names among a sheet's: only the sheet's own count.
    const sheetNames = ws.names.items.filter((n) => n.scope === Excel.NamedItemScope.worksheet);
    t.existingNames = new Set(sheetNames.map((n) => n.name));
    const oldCells = CellSet.of(t.record?.footprint ?? []);
    const newCells = CellSet.of(t.footprint);
    const all = oldCells.union(newCells);
    const tables = (tableRanges[k] ?? []).map(({ table, range }) => ({ name: table.name, range: localAddress(range.address), style: table.style }));
    // The model's tables: those it named, and any over its old cells (a user may have renamed one).
    const mine = tables.filter((tb) => t.record?.tables.includes(tb.name) || intersects(parseRange(tb.range), oldCells));
    t.tables = (t.plan.tables ?? []).map((table, j) => {
      const current = mine.find((tb) => tb.name === t.record?.tables[j]) ?? mine[j];
      const keep = current !== undefined && sameRange(current.range, table.range);
      return { name: current?.name ?? t.record?.tables[j] ?? uniqueTableName(table.name, takenTables), keep };
    });
    t.convert = mine.filter((tb) => !t.tables.some((p) => p.keep && p.name === tb.name)).map((tb) => tb.name);
    const names = sheetNames.filter((n) => t.record?.names.includes(n.name) || t.plan.names.some((p) => p.name === n.name)).map((n) => ({ name: n.name, formula: String(n.formula) }));
    // A rect whose cells differ (MixedCriteria: some validated, some not; Inconsistent: different rules) is
    // read again cell by cell (a user's own validation on cells they let the model take), up to
    // MIXED_CELLS cells; beyond, a restore clears it.
    const state = (range: string, dv: Excel.DataValidation): ValidationState =>
      uniformType(dv.type) ? { range, type: dv.type, rule: dv.rule, prompt: dv.prompt, errorAlert: dv.errorAlert, ignoreBlanks: dv.ignoreBlanks } : { range, type: dv.type };
    const mixed = validations.filter(({ range, dv }) => (dv.type === "MixedCriteria" || dv.type === "Inconsistent") && rectCells(parseRange(range)) <= MIXED_CELLS);
    const cells = mixed.flatMap(({ range }) => {
      const rect = parseRange(range);
      const out: { range: string; dv: Excel.DataValidation }[] = [];
      for (let row = rect.top; row <= rect.bottom; row++) {
        for (let column = rect.left; column <= rect.right; column++) {
          const address = cellAddress(row, column);
          const dv = ws.getRange(address).dataValidation;
          dv.load("type,rule,prompt,errorAlert,ignoreBlanks");
          out.push({ range: address, dv });
        }
      }
      return out;
    });
    if (cells.length > 0) await context.sync();
    const before = [...validations.filter((v) => !mixed.includes(v)).map(({ range, dv }) => state(range, dv)), ...cells.map(({ range, dv }) => state(range, dv))];
    t.snapshot = { touched: all.rects(), pieces: [], names, tables, charts: new Set(ws.charts.items.map((c) => c.name)), validations: before };
    // Read 5,000 cells at a time: a response, like a request, must stay well under 5 MB.
    const usedRect = used.isNullObject ? undefined : parseRange(localAddress(used.address));
    const pieces = splitRects(all.within(usedRect).rects(), READ_CELLS).map((rect) => ({ rect, bytes: rectCells(rect) }));
    for (const group of batches(pieces, READ_CELLS)) {
      const reads = group.map(({ rect }) => {
        const range = ws.getRange(rectAddress(rect));
        range.load("formulas,values,numberFormat");
        return { rect, range, properties: range.getCellProperties(CELL_PROPERTIES) };
      });
      await context.sync();
      for (const { rect, range, properties } of reads) {
        t.snapshot.pieces.push({ range: rectAddress(rect), formulas: range.formulas, values: range.values, numberFormat: range.numberFormat, properties: properties.value.map((row) => row.map(nonDefault)) });
      }
    }
    // The user's cells where the model now needs room.
    const theirs = newCells.minus(oldCells);
    const occupied: { address: string; content: string }[] = [];
    for (const p of t.snapshot.pieces) {
      const rect = parseRange(p.range);
      p.formulas.forEach((row, i) =>
        row.forEach((f, j) => {
          if (f === "" || f === null || !theirs.has(rect.top + i, rect.left + j)) return;
          occupied.push({ address: cellAddress(rect.top + i, rect.left + j), content: String(f) });
        }),
      );
    }
    if (occupied.length > 0 && !options.overwrite) throw new OccupiedCellsError(t.name, occupied.slice(0, 20), occupied.length);
    const clear = CellSet.of(t.record?.footprint ?? []);
    for (const c of occupied) clear.addRect(parseRange(c.address));
    t.clear = clear.ranges();
  }
  for (const t of targets.filter((x) => !x.ws)) t.tables = (t.plan.tables ?? []).map((table) => ({ name: uniqueTableName(table.name, takenTables), keep: false }));
  for (const t of targets) for (const table of t.tables) takenTables.add(table.name);

  return { instance, targets, rebuilt, notes, originalIds, orphans };
}

async function write(context: Excel.RequestContext, plan: WorkbookPlan, { instance, targets, rebuilt, notes, originalIds, orphans }: Prepared): Promise<ApplyResult> {
  const worksheets = context.workbook.worksheets;
  // New sheets: added and marked in one request, their ids loaded for a clean-up.
  const created = targets.filter((t) => !t.ws);
  if (created.length > 0) {
    for (const t of created) {
      t.ws = worksheets.add(t.name);
      t.ws.load("id");
      t.ws.customProperties.add(MARKER_KEY, marker(plan.modelId, instance, t.plan.name));
    }
    try {
      await context.sync();
      for (const t of created) t.id = (t.ws as Excel.Worksheet).id;
    } catch (error) {
      await removeNewSheets(context, created, originalIds);
      throw failed(error, "No sheet was added; the workbook is as it was.");
    }
  }

  try {
    for (const batch of batches(targets.flatMap(writeOperations), REQUEST_BUDGET)) {
      batch.forEach((op) => op.run());
      await context.sync();
    }
    targets.forEach((t, i) => finish(t, i === 0));
    await context.sync();
  } catch (error) {
    try {
      await removeNewSheets(context, created, originalIds);
      for (const t of rebuilt) await restore(context, t);
    } catch (restoreError) {
      throw failed(error, `Putting the workbook back failed too (${message(restoreError)}): check the sheet “${rebuilt[0]?.name ?? created[0]?.name}”.`);
    }
    throw failed(error, rebuilt.length > 0 ? `The model sheet “${rebuilt[0]!.name}” was put back as it was.` : "The partial sheet was removed; the workbook is as it was.");
  }

  if (orphans.length > 0) {
    orphans.forEach((ws) => ws.delete());
    try {
      await context.sync();
    } catch (error) {
      notes.push(`The model's sheets it no longer needs could not be removed (${message(error)}): delete them by hand.`);
    }
  }

  const written: WrittenModel = {
    modelId: plan.modelId,
    instance,
    sheets: targets.map((t) => ({
      key: t.plan.name,
      name: t.name,
      footprint: t.footprint,
      names: t.plan.names.map((n) => n.name),
      tables: t.tables.map((table) => table.name),
      charts: t.plan.charts.map((c, i) => ({ ...c, name: chartName(i) }) satisfies WrittenChart),
      validations: t.plan.validations ?? [],
      heatMaps: t.plan.heatMaps ?? [],
    })),
  };
  return { sheetNames: targets.map((t) => t.name), replaced: rebuilt.length > 0, written, notes };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const failed = (error: unknown, outcome: string) => new Error(`The model could not be written (${message(error)}). ${outcome}`, { cause: error });

/** "Sheet1!A1:B2" or "'My sheet'!A1" → "A1:B2". */
export const localAddress = (address: string) => address.slice(address.lastIndexOf("!") + 1);

/** Empties cells and takes back what a model sets on them (number format, bold, italic, fill), leaving other formatting. */
function resetCells(ws: Excel.Worksheet, rect: Rect): Operation {
  const rows = rect.bottom - rect.top + 1;
  const columns = rect.right - rect.left + 1;
  return {
    bytes: OPERATION_BYTES * 5 + rows * columns * 10,
    run: () => {
      const range = ws.getRange(rectAddress(rect));
      range.clear(Excel.ClearApplyTo.contents);
      range.numberFormat = Array.from({ length: rows }, () => new Array<string>(columns).fill("General"));
      range.format.font.bold = false;
      range.format.font.italic = false;
      range.format.fill.clear();
    },
  };
}

/**
 * The writes of one sheet: the model's names first (so formulas bind to them), the old
 * model's tables that give way released, its cells reset, then the new cells.
 */
function writeOperations(t: Target): Operation[] {
  const ws = t.ws as Excel.Worksheet;
  const ops: Operation[] = [];
  const op = (run: () => void) => ops.push({ bytes: OPERATION_BYTES, run });
  const wanted = new Set(t.plan.names.map((n) => n.name));
  for (const name of t.record?.names ?? []) if (!wanted.has(name) && t.existingNames?.has(name)) op(() => ws.names.getItem(name).delete());
  for (const name of t.plan.names) {
    if (t.existingNames?.has(name.name)) op(() => void (ws.names.getItem(name.name).formula = `=${quoteSheet(t.name)}!${absolute(name.ref)}`));
    else op(() => void ws.names.add(name.name, ws.getRange(name.ref), name.comment));
  }
  for (const name of t.convert) op(() => void ws.tables.getItem(name).convertToRange());
  for (const v of t.record?.validations ?? []) op(() => ws.getRange(v.range).dataValidation.clear());
  for (const cf of t.oldHeatMaps ?? []) op(() => cf.delete());
  for (const range of t.clear) ops.push(resetCells(ws, parseRange(range)));
  for (const piece of writePieces(t.plan, REQUEST_BUDGET)) {
    ops.push({
      bytes: piece.bytes,
      run: () => {
        const range = ws.getRange(piece.range);
        const grid = <T>(value: T) => piece.contents.map((row) => row.map(() => value));
        if (piece.text) range.numberFormat = grid("@"); // user text stays text, even "=…"
        else if (piece.numberFormat) range.numberFormat = grid(piece.numberFormat);
        if (piece.formulas) range.formulas = piece.contents as string[][];
        else range.values = piece.contents as (string | number | boolean)[][];
        if (piece.style?.bold) range.format.font.bold = true;
        if (piece.style?.italic) range.format.font.italic = true;
        if (piece.style?.fill) range.format.fill.color = piece.style.fill;
        if (piece.style?.fontColor) range.format.font.color = piece.style.fontColor;
      },
    });
  }
  return ops;
}

/** Charts and tables (small, in the last request), and on a new sheet its panes and column widths. */
function finish(t: Target, activate: boolean): void {
  const ws = t.ws as Excel.Worksheet;
  for (const chart of t.record?.charts ?? []) if (t.snapshot?.charts.has(chart.name)) ws.charts.getItem(chart.name).delete();
  t.plan.charts.forEach((chart, i) => addChart(ws, { ...chart, name: chartName(i) }));
  (t.plan.tables ?? []).forEach((table, j) => {
    const target = t.tables[j] as { name: string; keep: boolean };
    if (target.keep) return;
    const added = ws.tables.add(ws.getRange(table.range), true);
    added.name = target.name;
    if (table.style) added.style = table.style;
  });
  for (const v of t.plan.validations ?? []) setValidation(ws, v);
  for (const h of t.plan.heatMaps ?? []) addHeatMap(ws, h);
  if (!t.record) {
    if (t.plan.freeze?.rows) ws.freezePanes.freezeRows(t.plan.freeze.rows);
    if (t.plan.freeze?.columns) ws.freezePanes.freezeColumns(t.plan.freeze.columns);
    for (const [letter, width] of Object.entries(t.plan.columnWidths ?? {})) {
      ws.getRange(`${letter}:${letter}`).format.columnWidth = width * 5.7; // points: Excel's default 8.43 characters are 48 pt
    }
  }
  if (activate) ws.activate();
}

/** Sets a plan's validation on its range, replacing any there: a stop alert, and the prompt shown on selection. */
function setValidation(ws: Excel.Worksheet, v: ValidationPlan): void {
  const dv = ws.getRange(v.range).dataValidation;
  dv.clear();
  dv.rule = officeRule(v.rule);
  dv.ignoreBlanks = v.allowBlank ?? false;
  dv.prompt = { showPrompt: true, title: v.prompt.title, message: v.prompt.message };
  dv.errorAlert = { showAlert: true, style: Excel.DataValidationAlertStyle.stop, title: v.error.title, message: v.error.message };
}

/** A heat map: a three-colour scale on its range, lowest, 50th percentile and highest. */
function addHeatMap(ws: Excel.Worksheet, h: HeatMapPlan): void {
  const type = Excel.ConditionalFormatColorCriterionType;
  const cf = ws.getRange(h.range).conditionalFormats.add(Excel.ConditionalFormatType.colorScale);
  cf.colorScale.criteria = {
    minimum: { type: type.lowestValue, color: HEAT_MAP.low },
    midpoint: { type: type.percentile, formula: String(HEAT_MAP.midPercentile), color: HEAT_MAP.mid },
    maximum: { type: type.highestValue, color: HEAT_MAP.high },
  };
}

/**
 * Finds the colour scales that lie exactly on any of `ranges`, in two reads: `locate` after
 * the sync that served the first (it queues the second and says whether there is one to
 * sync), `exact` after the second. One format found through two ranges counts once.
 */
function colorScalesOn(ws: Excel.Worksheet, ranges: string[]): { locate: () => boolean; exact: () => Excel.ConditionalFormat[] } {
  const wanted = [...new Set(ranges.map((r) => rectAddress(parseRange(r))))];
  const collections = wanted.map((range) => {
    const formats = ws.getRange(range).conditionalFormats;
    formats.load("items/id,items/type");
    return formats;
  });
  const found = new Map<string, { cf: Excel.ConditionalFormat; range: Excel.Range }>();
  return {
    locate: () => {
      for (const formats of collections) {
        for (const cf of formats.items) {
          if (cf.type !== Excel.ConditionalFormatType.colorScale || found.has(cf.id)) continue;
          const range = cf.getRangeOrNullObject();
          range.load("address");
          found.set(cf.id, { cf, range });
        }
      }
      return found.size > 0;
    },
    exact: () => [...found.values()].filter(({ range }) => !range.isNullObject && wanted.includes(rectAddress(parseRange(localAddress(range.address))))).map(({ cf }) => cf),
  };
}

function officeRule(rule: ValidationPlan["rule"]): Excel.DataValidationRule {
  const operator = Excel.DataValidationOperator;
  switch (rule.kind) {
    case "list":
      return { list: { inCellDropDown: true, source: rule.values.join(",") } };
    case "custom":
      return { custom: { formula: `=${rule.formula}` } };
    case "whole":
      return { wholeNumber: { formula1: rule.min, formula2: rule.max, operator: operator.between } };
    case "decimal":
      if (rule.min !== undefined && rule.max !== undefined) return { decimal: { formula1: rule.min, formula2: rule.max, operator: operator.between } };
      if (rule.min !== undefined) return { decimal: { formula1: rule.min, operator: operator.greaterThanOrEqualTo } };
      return { decimal: { formula1: rule.max ?? 0, operator: operator.lessThanOrEqualTo } };
  }
}

/** Cell properties other than Excel's defaults: what a restore sets again after clearing. */
function nonDefault(p: Excel.CellProperties): Excel.SettableCellProperties {
  const font = p.format?.font ?? {};
  const fill = p.format?.fill?.color;
  const format: Excel.CellPropertiesFormat = {};
  const f: Excel.CellPropertiesFont = {};
  if (font.bold) f.bold = true;
  if (font.italic) f.italic = true;
  if (font.color && font.color.toUpperCase() !== "#000000") f.color = font.color;
  if (Object.keys(f).length > 0) format.font = f;
  if (fill && fill.toUpperCase() !== "#FFFFFF") format.fill = { color: fill };
  return Object.keys(format).length > 0 ? { format } : {};
}

const absolute = (ref: string) => ref.replace(/\$?([A-Z]+)\$?(\d+)/g, "$$$1$$$2");

function addChart(ws: Excel.Worksheet, chart: WrittenChart): void {
  const [first, ...rest] = chart.series;
  if (!first) return;
  const type = chart.kind === "line" ? Excel.ChartType.line : chart.kind === "column" ? Excel.ChartType.columnClustered : Excel.ChartType.areaStacked;
  // A column chart's values run down a column of the plan (one per partner); the others along a row.
  const added = ws.charts.add(type, ws.getRange(first.values), chart.kind === "column" ? Excel.ChartSeriesBy.columns : Excel.ChartSeriesBy.rows);
  added.name = chart.name;
  added.title.text = chart.title;
  const firstSeries = added.series.getItemAt(0);
  firstSeries.name = first.name;
  firstSeries.setXAxisValues(ws.getRange(chart.categories));
  for (const s of rest) {
    const series = added.series.add(s.name);
    series.setValues(ws.getRange(s.values));
    series.setXAxisValues(ws.getRange(chart.categories));
  }
  added.setPosition(chart.from, chart.to);
}

/** Deletes the sheets this run added (by id; a sheet whose id was not loaded is found as the new sheet of its name). */
async function removeNewSheets(context: Excel.RequestContext, created: Target[], originalIds: Set<string>): Promise<void> {
  if (created.length === 0) return;
  const worksheets = context.workbook.worksheets;
  worksheets.load("items/name,items/id");
  await context.sync();
  const ours = new Set(created.map((t) => t.id ?? t.name.toLowerCase()));
  for (const ws of worksheets.items) if (!originalIds.has(ws.id) && (ours.has(ws.id) || ours.has(ws.name.toLowerCase()))) ws.delete();
  await context.sync();
}

/** Puts a rebuilt sheet back as the snapshot found it: cells, names, tables, charts. */
async function restore(context: Excel.RequestContext, t: Target): Promise<void> {
  const snapshot = t.snapshot as Snapshot;
  const ws = context.workbook.worksheets.getItem(t.id as string);
  ws.names.load("items/name,items/scope");
  ws.charts.load("items/name");
  ws.tables.load("items/name");
  // The colour scales on the old and the new heat maps' ranges: this run's go, the old model's come back.
  const heatMaps = colorScalesOn(ws, [...(t.record?.heatMaps ?? []), ...(t.plan.heatMaps ?? [])].map((h) => h.range));
  await context.sync();
  const tables = ws.tables.items.map((table) => {
    const range = table.getRange();
    range.load("address");
    return { table, range };
  });
  heatMaps.locate();
  await context.sync();
  const ops: Operation[] = [];
  const op = (run: () => void, bytes = OPERATION_BYTES) => ops.push({ bytes, run });
  // Tables and charts this run made (whatever they ended up named) go; those it removed come back.
  const before = new Map(snapshot.tables.map((tb) => [tb.name, tb]));
  const kept = new Set<string>();
  for (const { table, range } of tables) {
    const was = before.get(table.name);
    if (was && sameRange(was.range, localAddress(range.address))) kept.add(table.name);
    else op(() => void table.convertToRange());
  }
  // The model's charts share their names with the new ones: all go, and the old come back from the record.
  const ourCharts = new Set([...(t.record?.charts ?? []).map((c) => c.name), ...t.plan.charts.map((_, i) => chartName(i))]);
  for (const chart of ws.charts.items) if (!snapshot.charts.has(chart.name) || ourCharts.has(chart.name)) op(() => chart.delete());
  for (const cf of heatMaps.exact()) op(() => cf.delete());
  for (const rect of snapshot.touched) ops.push(resetCells(ws, rect));
  for (const table of snapshot.tables) {
    if (kept.has(table.name)) continue;
    op(() => {
      const added = ws.tables.add(ws.getRange(table.range), true);
      added.name = table.name;
      added.style = table.style;
    });
  }
  for (const piece of snapshot.pieces) ops.push(restoreCells(ws, piece));
  const present = new Set(ws.names.items.filter((n) => n.scope === Excel.NamedItemScope.worksheet).map((n) => n.name));
  const names = new Map(snapshot.names.map((n) => [n.name, n.formula]));
  for (const name of new Set([...(t.record?.names ?? []), ...t.plan.names.map((n) => n.name)])) {
    const formula = names.get(name);
    if (present.has(name)) op(() => (formula === undefined ? ws.names.getItem(name).delete() : void (ws.names.getItem(name).formula = formula)));
    else if (formula !== undefined) op(() => void ws.names.add(name, formula));
  }
  for (const chart of t.record?.charts ?? []) if (snapshot.charts.has(chart.name)) op(() => addChart(ws, chart));
  // Validation: the new plan's ranges cleared, the cells only it validated given back what they held, then the old model's.
  for (const v of t.plan.validations ?? []) op(() => ws.getRange(v.range).dataValidation.clear());
  for (const v of snapshot.validations) {
    op(() => {
      const dv = ws.getRange(v.range).dataValidation;
      dv.clear();
      if (!v.rule) return;
      // A rule read back may list every kind, the unused ones empty: set only the one it has.
      dv.rule = Object.fromEntries(Object.entries(v.rule).filter(([, x]) => x !== null && x !== undefined)) as Excel.DataValidationRule;
      if (v.ignoreBlanks !== undefined) dv.ignoreBlanks = v.ignoreBlanks;
      if (v.prompt) dv.prompt = v.prompt;
      if (v.errorAlert) dv.errorAlert = v.errorAlert;
    });
  }
  for (const v of t.record?.validations ?? []) op(() => setValidation(ws, v));
  for (const h of t.record?.heatMaps ?? []) op(() => addHeatMap(ws, h));
  for (const batch of batches(ops, REQUEST_BUDGET)) {
    batch.forEach((o) => o.run());
    await context.sync();
  }
}

/**
 * Writes cells back as they were read. Text goes back through `values` with Excel's
 * apostrophe prefix, so "00123", "1/2" or "=x" stay text (through `formulas` Excel would
 * read them as a number, a date or a formula); in a text ("@") cell it goes back as it is.
 */
function restoreCells(ws: Excel.Worksheet, piece: CellSnapshot): Operation {
  const isText = (i: number, j: number) => {
    const f = piece.formulas[i]?.[j];
    return typeof f === "string" && f !== "" && (!f.startsWith("=") || piece.values[i]?.[j] === f);
  };
  const formulas = piece.formulas.map((row, i) => row.map((f, j) => (isText(i, j) ? "" : f)));
  const texts = piece.formulas.map((row, i) => row.map((f, j) => (isText(i, j) ? (piece.numberFormat[i]?.[j] === "@" ? f : `'${String(f)}`) : null)));
  const anyText = texts.some((row) => row.some((v) => v !== null));
  return {
    bytes: jsonBytes(formulas) + jsonBytes(piece.numberFormat) + jsonBytes(piece.properties) + (anyText ? jsonBytes(texts) : 0) + OPERATION_BYTES * 4,
    run: () => {
      const range = ws.getRange(piece.range);
      range.numberFormat = piece.numberFormat;
      range.formulas = formulas;
      if (anyText) range.values = texts;
      range.setCellProperties(piece.properties);
    },
  };
}
