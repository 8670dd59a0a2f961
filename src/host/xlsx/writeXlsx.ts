import ExcelJS from "exceljs";
import JSZip from "jszip";
import { addCharts } from "./charts";
import { addHeatMaps } from "./heatMaps";
import { quoteSheet } from "../sheets";
import { parseAddress, writeFormulas, type ValidationPlan, type WorkbookPlan } from "../../models/plan";

/**
 * Renders a workbook plan to an .xlsx file, for the command line, the pane's Export and for
 * checking plans in a real spreadsheet engine. Formulas are written with no cached value and
 * the workbook asks for a full recalculation on load, so Excel computes every cell when it
 * opens the file. exceljs writes no charts, so the plan's charts are added to its output as
 * DrawingML parts (./charts.ts) over the same ranges. The bytes are a Uint8Array, in Node
 * (the command line writes them with fs) and in the browser alike: no Buffer here, as the
 * pane's bundle has none (there, `exceljs` resolves to its browser build, by its package's
 * "browser" field, and brings its own).
 */
export async function writeXlsx(plan: WorkbookPlan): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Lifetime";
  workbook.calcProperties.fullCalcOnLoad = true;
  const definedNames: { name: string; ranges: string[]; localSheetId: number }[] = [];

  plan.sheets.forEach((sheet, sheetIndex) => {
    const ws = workbook.addWorksheet(sheet.name);
    for (const write of sheet.writes) {
      const { row, column } = parseAddress(write.at);
      const formulas = writeFormulas(write);
      const grid = formulas ?? write.values ?? [];
      grid.forEach((cells, i) =>
        cells.forEach((content, j) => {
          if (content === null || content === undefined) return;
          const cell = ws.getCell(row + i, column + j);
          if (formulas) cell.value = { formula: String(content).replace(/^=/, "") } as ExcelJS.CellFormulaValue;
          else cell.value = content as ExcelJS.CellValue; // strings stay text: exceljs never parses "=" in a value
          if (write.numberFormat) cell.numFmt = write.numberFormat;
          else if (write.text) cell.numFmt = "@";
          if (write.style?.bold || write.style?.italic) cell.font = { bold: write.style.bold, italic: write.style.italic };
          if (write.style?.fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: `FF${write.style.fill.replace("#", "")}` } };
        }),
      );
    }
    for (const [letter, width] of Object.entries(sheet.columnWidths ?? {})) ws.getColumn(letter).width = width;
    // exceljs writes a range's validation once (its typings omit the collection).
    const validations = (ws as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }).dataValidations;
    for (const v of sheet.validations ?? []) validations.add(v.range.replace(/\$/g, ""), excelValidation(v));
    addHeatMaps(ws, sheet.heatMaps);
    if (sheet.freeze) ws.views = [{ state: "frozen", xSplit: sheet.freeze.columns, ySplit: sheet.freeze.rows }];
    const quoted = quoteSheet(sheet.name);
    for (const name of sheet.names) definedNames.push({ name: name.name, ranges: [`${quoted}!${name.ref}`], localSheetId: sheetIndex });
  });

  // exceljs keeps defined names by name only and drops their sheet scope; the plan's names
  // are sheet-scoped (so two models can each have an Alpha), so hand the writer the model.
  (workbook as unknown as { _definedNames: { model: typeof definedNames } })._definedNames = { model: definedNames };
  // exceljs gives a Buffer in Node and an ArrayBuffer-backed buffer in its browser build: viewed as plain bytes either way.
  const buffer = (await workbook.xlsx.writeBuffer()) as ArrayBuffer | Uint8Array;
  const written = buffer instanceof Uint8Array ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);
  if (plan.sheets.every((sheet) => sheet.charts.length === 0)) return written;
  const zip = await JSZip.loadAsync(written);
  await addCharts(zip, plan.sheets);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** A plan's validation in the form of the file: a stop alert, the prompt shown on selection. */
export function excelValidation(v: ValidationPlan): ExcelJS.DataValidation {
  const texts = { showInputMessage: true, promptTitle: v.prompt.title, prompt: v.prompt.message, showErrorMessage: true, errorStyle: "stop", errorTitle: v.error.title, error: v.error.message };
  const rule = v.rule;
  switch (rule.kind) {
    case "list":
      return { type: "list", allowBlank: v.allowBlank ?? false, formulae: [`"${rule.values.join(",")}"`], ...texts };
    case "custom":
      return { type: "custom", allowBlank: v.allowBlank ?? false, formulae: [rule.formula], ...texts };
    case "whole":
      return { type: "whole", operator: "between", allowBlank: v.allowBlank ?? false, formulae: [rule.min, rule.max], ...texts };
    case "decimal":
      if (rule.min !== undefined && rule.max !== undefined) return { type: "decimal", operator: "between", allowBlank: v.allowBlank ?? false, formulae: [rule.min, rule.max], ...texts };
      if (rule.min !== undefined) return { type: "decimal", operator: "greaterThanOrEqual", allowBlank: v.allowBlank ?? false, formulae: [rule.min], ...texts };
      return { type: "decimal", operator: "lessThanOrEqual", allowBlank: v.allowBlank ?? false, formulae: [rule.max ?? 0], ...texts };
  }
}
