import { parseRange, rectAddress, type Rect } from "../cells";
import { MARKER_KEY, marker, MAX_SETTINGS_TEXT } from "../../models/written";
import { cellEntry, lastSheets, MAX_READ_CELLS, REQUIRED_SETS, settingsTooLong, singleCell, tooManyCells, type RangeRead, type WorkbookHost } from "../workbookHost";
import { applyPlan, localAddress } from "./applyPlan";
import { readDocumentFile } from "./documentFile";

/** Cells per read request: values and text of 40,000 cells stay well under Excel on the web's 5 MB response limit. */
const READ_CHUNK_CELLS = 40_000;

/** "'My sheet'!A1:B2" → My sheet. */
const sheetOf = (address: string) => {
  const sheet = address.slice(0, address.lastIndexOf("!"));
  return sheet.startsWith("'") ? sheet.slice(1, -1).replace(/''/g, "'") : sheet;
};

/**
 * Reads a range's values and displayed text, in pieces that keep each response small. A
 * range larger than MAX_READ_CELLS (a whole column, say) is cut to the sheet's used range
 * first, and refused if it is still too large.
 */
async function readWhole(context: Excel.RequestContext, range: Excel.Range): Promise<RangeRead> {
  range.load("address,rowCount,columnCount");
  await context.sync();
  const sheet = context.workbook.worksheets.getItem(sheetOf(range.address));
  let rect: Rect | undefined = parseRange(localAddress(range.address));
  if (range.rowCount * range.columnCount > MAX_READ_CELLS) {
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load("address");
    await context.sync();
    rect = used.isNullObject ? undefined : intersect(rect, parseRange(localAddress(used.address)));
    if (rect && (rect.bottom - rect.top + 1) * (rect.right - rect.left + 1) > MAX_READ_CELLS) throw tooManyCells(range.address, rect.bottom - rect.top + 1, rect.right - rect.left + 1);
  }
  const read: RangeRead = { address: range.address, values: [], text: [] };
  if (!rect) return read;
  const rowsPer = Math.max(1, Math.floor(READ_CHUNK_CELLS / (rect.right - rect.left + 1)));
  for (let top = rect.top; top <= rect.bottom; top += rowsPer) {
    const part = sheet.getRange(rectAddress({ ...rect, top, bottom: Math.min(rect.bottom, top + rowsPer - 1) }));
    part.load("values,text");
    await context.sync();
    for (const row of part.values) read.values.push(row);
    for (const row of part.text) read.text.push(row);
  }
  return read;
}

function intersect(a: Rect, b: Rect): Rect | undefined {
  const r = { top: Math.max(a.top, b.top), left: Math.max(a.left, b.left), bottom: Math.min(a.bottom, b.bottom), right: Math.min(a.right, b.right) };
  return r.top <= r.bottom && r.left <= r.right ? r : undefined;
}

/**
 * The task pane's workbook in Excel, through Office.js. Settings are document settings,
 * saved with the workbook.
 */
export function officeHost(): WorkbookHost {
  return {
    kind: "excel",
    missingRequirements() {
      return REQUIRED_SETS.filter((s) => !Office.context.requirements.isSetSupported(s.name, s.version)).map((s) => `${s.name} ${s.version} (${s.why})`);
    },
    async readSelection() {
      try {
        return await Excel.run((context) => readWhole(context, context.workbook.getSelectedRange()));
      } catch (error) {
        // getSelectedRange fails on a selection of several areas (Ctrl+click).
        throw new Error(`The selection could not be read (${error instanceof Error ? error.message : String(error)}): select one rectangular range, the cohort table.`, { cause: error });
      }
    },
    async readRange(reference) {
      return Excel.run(async (context) => {
        const workbook = context.workbook;
        const bang = reference.lastIndexOf("!");
        if (bang >= 0) {
          const sheet = workbook.worksheets.getItem(reference.slice(0, bang).replace(/^'|'$/g, "").replace(/''/g, "'"));
          const local = reference.slice(bang + 1);
          // A sheet's own name ('Cohort model'!Alpha) through the sheet's names; else an address on the sheet.
          if (/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(local) && !/^[A-Za-z]{1,3}\d+$/.test(local)) {
            const named = sheet.names.getItemOrNullObject(local);
            await context.sync();
            if (!named.isNullObject) return readWhole(context, named.getRange());
          }
          return readWhole(context, sheet.getRange(local));
        }
        // A name, then a table, by that name; else an address on the active sheet.
        const named = workbook.names.getItemOrNullObject(reference);
        named.load("type");
        const table = workbook.tables.getItemOrNullObject(reference);
        await context.sync();
        if (!named.isNullObject && named.type !== Excel.NamedItemType.range) throw new Error(`The name ${reference} holds a value, not a range: name the cohort table itself.`);
        if (!named.isNullObject) return readWhole(context, named.getRange());
        if (!table.isNullObject) return readWhole(context, table.getRange());
        return readWhole(context, workbook.worksheets.getActiveWorksheet().getRange(reference));
      });
    },
    async listRangeNames() {
      return Excel.run(async (context) => {
        const names = context.workbook.names;
        const tables = context.workbook.tables;
        names.load("items/name,items/type,items/visible");
        tables.load("items/name");
        await context.sync();
        const ranges = names.items.filter((n) => n.type === Excel.NamedItemType.range && n.visible && !n.name.startsWith("Lifetime_")).map((n) => n.name);
        return [...ranges, ...tables.items.map((t) => t.name)];
      });
    },
    applyPlan,
    async activateSheet(name) {
      await Excel.run(async (context) => {
        context.workbook.worksheets.getItem(name).activate();
        await context.sync();
      });
    },
    async insertFormula(formula, options) {
      return Excel.run(async (context) => {
        const cell = context.workbook.getActiveCell();
        cell.load("address,formulas");
        await context.sync();
        const content = String(cell.formulas[0]?.[0] ?? "");
        if (content !== "" && !options?.overwrite) return { inserted: false as const, address: cell.address, content };
        cell.formulas = [[formula]];
        await context.sync();
        return { inserted: true as const, address: cell.address };
      });
    },
    async setCellValue(sheet, address, value) {
      const cell = singleCell(address);
      const entry = cellEntry(value);
      await Excel.run(async (context) => {
        context.workbook.worksheets.getItem(sheet).getRange(cell).values = [[entry]];
        await context.sync();
      });
    },
    async removeModelSheets(written) {
      return Excel.run(async (context) => {
        const worksheets = context.workbook.worksheets;
        worksheets.load("items/name,items/visibility");
        await context.sync();
        const markers = worksheets.items.map((ws) => {
          const property = ws.customProperties.getItemOrNullObject(MARKER_KEY);
          property.load("value");
          return { ws, property };
        });
        await context.sync();
        const tags = new Set(written.sheets.map((s) => marker(written.modelId, written.instance, s.key)));
        const doomed = markers.filter((m) => !m.property.isNullObject && tags.has(m.property.value)).map((m) => m.ws);
        if (doomed.length === 0) return [];
        const names = doomed.map((ws) => ws.name);
        if (!worksheets.items.some((ws) => !doomed.includes(ws) && ws.visibility === Excel.SheetVisibility.visible)) throw new Error(lastSheets(names));
        for (const ws of doomed) ws.delete();
        await context.sync();
        return names;
      });
    },
    async removeSettings(key) {
      Office.context.document.settings.remove(`lifetime.${key}`);
      await new Promise<void>((resolve, reject) =>
        Office.context.document.settings.saveAsync((result) => (result.status === Office.AsyncResultStatus.Succeeded ? resolve() : reject(new Error(result.error.message)))),
      );
    },
    async loadSettings(key) {
      const stored = Office.context.document.settings.get(`lifetime.${key}`) as unknown;
      if (stored === null || stored === undefined) return undefined;
      return typeof stored === "string" ? stored : JSON.stringify(stored);
    },
    async saveSettings(key, value) {
      const text = JSON.stringify(value);
      if (text.length > MAX_SETTINGS_TEXT) throw settingsTooLong(text);
      Office.context.document.settings.set(`lifetime.${key}`, text);
      await new Promise<void>((resolve, reject) =>
        Office.context.document.settings.saveAsync((result) =>
          result.status === Office.AsyncResultStatus.Succeeded ? resolve() : reject(new Error(result.error.message)),
        ),
      );
    },
    async portableCopy() {
      const bytes = await readDocumentFile();
      // The transformation (and jszip) load with their own chunk, when a copy is first asked for.
      const { copyTimestamp, portableCopy, portableFileName } = await import(/* webpackChunkName: "portable" */ "../xlsx/portable");
      const copy = await portableCopy(bytes, { now: copyTimestamp(new Date()) });
      return { fileName: portableFileName(Office.context.document.url, copy.extension), bytes: copy.bytes, frozen: copy.frozen, missing: copy.missing.length };
    },
  };
}
