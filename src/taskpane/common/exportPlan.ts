import type { WorkbookPlan } from "../../models/plan";
import { safeSheetName } from "../../host/sheets";

/**
 * A model as a standalone .xlsx, from the same plan the pane writes into the workbook: its
 * formulas, names, formats, validations and charts (src/host/xlsx/writeXlsx.ts, as the
 * command line writes it). exceljs is large, so the writer loads with its own chunk when a
 * model is first exported, not with the pane.
 */
export async function exportPlanBytes(plan: WorkbookPlan): Promise<Uint8Array> {
  const { writeXlsx } = await import(/* webpackChunkName: "xlsx" */ "../../host/xlsx/writeXlsx");
  return writeXlsx(plan);
}

/** "Cohort model.xlsx": the plan's first sheet, as a file name. */
export function exportFileName(plan: WorkbookPlan): string {
  const name = safeSheetName(plan.sheets[0]?.name ?? "Lifetime model").replace(/["<>|]/g, " ").trim();
  return `${name || "Lifetime model"}.xlsx`;
}
