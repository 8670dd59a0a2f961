import ExcelJS from "exceljs";
import { quoteSheet } from "../sheets";
import { parseAddress, writeFormulas, type WorkbookPlan } from "../../models/plan";

/**
 * Renders a workbook plan to an .xlsx file, for the command line and for checking plans in
 * a real spreadsheet engine. Formulas are written with no cached value and the workbook
 * asks for a full recalculation on load, so Excel computes every cell when it opens the
 * file. exceljs writes no charts: the charts of a plan appear when Excel applies it.
 */
export async function writeXlsx(plan: WorkbookPlan): Promise<Buffer> {
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
    if (sheet.freeze) ws.views = [{ state: "frozen", xSplit: sheet.freeze.columns, ySplit: sheet.freeze.rows }];
    const quoted = quoteSheet(sheet.name);
    for (const name of sheet.names) definedNames.push({ name: name.name, ranges: [`${quoted}!${name.ref}`], localSheetId: sheetIndex });
  });

  // exceljs keeps defined names by name only and drops their sheet scope; the plan's names
  // are sheet-scoped (so two models can each have an Alpha), so hand the writer the model.
  (workbook as unknown as { _definedNames: { model: typeof definedNames } })._definedNames = { model: definedNames };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
