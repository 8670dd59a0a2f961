import { writeFormulas, writeRange, writeSize, type SheetPlan, type WorkbookPlan } from "../../models/plan";

/**
 * Writes a workbook plan into the open workbook with Office.js: one Excel.run, three
 * context.sync() calls whatever the plan's size (read the workbook's sheet and model
 * names; write everything; then swap in the new sheet and activate it).
 *
 * It never overwrites a user's cells: each plan sheet goes to a new sheet with a unique
 * name. With `replace`, the sheet this model wrote before (found by a workbook name
 * `Lifetime_<modelId>` that points at it) is replaced, but only after the new sheet has
 * been written in full. If a write fails part-way, the partial sheet is deleted and the
 * error says why: the workbook is left as it was.
 */
export interface ApplyOptions {
  /** Replace the sheet this model wrote before, instead of adding a new one. */
  replace?: boolean;
}

export interface ApplyResult {
  sheetNames: string[];
  replaced: boolean;
}

/** Excel's limits on sheet names: at most 31 characters, none of : \ / ? * [ ]. */
export function safeSheetName(name: string): string {
  const cleaned = name.replace(/[:\\/?*[\]]/g, " ").replace(/^'+|'+$/g, "").trim() || "Model";
  return cleaned.slice(0, 31);
}

/** `base`, or `base (2)`, `base (3)`, …: the first not already taken (case-insensitively, as Excel compares). */
export function uniqueSheetName(base: string, taken: Iterable<string>): string {
  const used = new Set(Array.from(taken, (n) => n.toLowerCase()));
  const safe = safeSheetName(base);
  if (!used.has(safe.toLowerCase())) return safe;
  for (let i = 2; ; i++) {
    const suffix = ` (${i})`;
    const candidate = safe.slice(0, 31 - suffix.length) + suffix;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

const tagName = (modelId: string, index: number) => `Lifetime_${modelId.replace(/[^A-Za-z0-9_]/g, "_")}${index === 0 ? "" : `_${index + 1}`}`;

/** The sheet a tag's formula points at: ='Cohort model'!$A$1 → Cohort model. */
function sheetOfTag(formula: string): string | undefined {
  const match = /^=?(?:'((?:[^']|'')+)'|([^!'#]+))!/.exec(formula);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2];
}

export async function applyPlan(plan: WorkbookPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  return Excel.run(async (context) => {
    const workbook = context.workbook;
    const worksheets = workbook.worksheets;
    worksheets.load("items/name");
    workbook.names.load("items/name,items/formula");
    await context.sync();

    const names = new Set(worksheets.items.map((s) => s.name));
    const tags = new Map(workbook.names.items.map((n) => [n.name, n.formula]));
    const previous = plan.sheets.map((_, i) => {
      const formula = options.replace ? tags.get(tagName(plan.modelId, i)) : undefined;
      const sheet = formula ? sheetOfTag(formula) : undefined;
      return sheet && names.has(sheet) ? sheet : undefined;
    });

    // Each sheet is written under a name nobody uses; it takes the old sheet's name only
    // after the whole plan has been written.
    const targets = plan.sheets.map((sheet, i) => {
      const target = previous[i] ?? uniqueSheetName(sheet.name, names);
      names.add(target);
      return target;
    });
    const writing = plan.sheets.map((sheet, i) => {
      const name = previous[i] ? uniqueSheetName(`${sheet.name} (new)`, names) : (targets[i] as string);
      names.add(name);
      return name;
    });
    const added: Excel.Worksheet[] = [];
    try {
      plan.sheets.forEach((sheet, i) => {
        const ws = worksheets.add(writing[i] as string);
        added.push(ws);
        renderSheet(ws, sheet);
      });
      await context.sync();
    } catch (error) {
      added.forEach((ws) => ws.delete());
      await context.sync().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`The model could not be written (${reason}). The partial sheet was removed; the workbook is as it was.`, { cause: error });
    }

    plan.sheets.forEach((_, i) => {
      const ws = added[i] as Excel.Worksheet;
      if (previous[i]) {
        worksheets.getItem(previous[i] as string).delete();
        ws.name = targets[i] as string;
      }
      const tag = tagName(plan.modelId, i);
      const existingTag = workbook.names.getItemOrNullObject(tag);
      existingTag.delete();
      workbook.names.add(tag, ws.getRange("A1"), `Sheet written by Lifetime for the ${plan.modelId} model; used to rebuild it in place.`);
    });
    added[0]?.activate();
    await context.sync();
    return { sheetNames: targets, replaced: previous.some(Boolean) };
  });
}

function renderSheet(ws: Excel.Worksheet, sheet: SheetPlan): void {
  for (const write of sheet.writes) {
    const range = ws.getRange(writeRange(write));
    const { rows, columns } = writeSize(write);
    const every = <T>(value: T) => Array.from({ length: rows }, () => new Array<T>(columns).fill(value));
    if (write.text) range.numberFormat = every("@"); // user text stays text, even "=…"
    else if (write.numberFormat) range.numberFormat = every(write.numberFormat);
    const formulas = writeFormulas(write);
    if (formulas) range.formulas = formulas.map((row) => row.map((f) => f ?? ""));
    else if (write.values) range.values = write.values.map((row) => row.map((v) => (v === null ? "" : v)));
    if (write.style?.bold) range.format.font.bold = true;
    if (write.style?.italic) range.format.font.italic = true;
    if (write.style?.fill) range.format.fill.color = write.style.fill;
    if (write.style?.fontColor) range.format.font.color = write.style.fontColor;
  }
  for (const name of sheet.names) ws.names.add(name.name, ws.getRange(name.ref), name.comment);
  for (const chartPlan of sheet.charts) {
    const [first, ...rest] = chartPlan.series;
    if (!first) continue;
    const chart = ws.charts.add(chartPlan.kind === "line" ? "Line" : "AreaStacked", ws.getRange(first.values), "Rows");
    chart.title.text = chartPlan.title;
    const firstSeries = chart.series.getItemAt(0);
    firstSeries.name = first.name;
    firstSeries.setXAxisValues(ws.getRange(chartPlan.categories));
    for (const s of rest) {
      const series = chart.series.add(s.name);
      series.setValues(ws.getRange(s.values));
      series.setXAxisValues(ws.getRange(chartPlan.categories));
    }
    chart.setPosition(chartPlan.from, chartPlan.to);
  }
  for (const table of sheet.tables ?? []) {
    const added = ws.tables.add(ws.getRange(table.range), true);
    added.name = `${table.name}_${ws.name.replace(/[^A-Za-z0-9]/g, "")}`.slice(0, 255); // table names are workbook-wide
    if (table.style) added.style = table.style;
  }
  if (sheet.freeze?.rows) ws.freezePanes.freezeRows(sheet.freeze.rows);
  if (sheet.freeze?.columns) ws.freezePanes.freezeColumns(sheet.freeze.columns);
  for (const [letter, width] of Object.entries(sheet.columnWidths ?? {})) {
    ws.getRange(`${letter}:${letter}`).format.columnWidth = width * 7; // points, about 7 per character of the default font
  }
}
