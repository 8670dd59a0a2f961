import type { WorkbookPlan } from "../models/plan";

/**
 * What the task pane needs from a workbook, whoever hosts it: Excel through Office.js, or
 * the preview workbook in a browser. The pane cannot tell the two apart.
 */
export interface WorkbookHost {
  readonly kind: "excel" | "preview";
  /** The values of the selected range, and its address. */
  readSelection(): Promise<{ address: string; values: unknown[][] }>;
  /** The values of a range by address ("Data!A1:I8"), or of a named range or an Excel table by name. */
  readRange(reference: string): Promise<{ address: string; values: unknown[][] }>;
  /** Named ranges and Excel tables the user can pick as a source, by name. */
  listRangeNames(): Promise<string[]>;
  /** Writes a plan (see src/host/excel/applyPlan.ts for the rules both hosts keep). */
  applyPlan(plan: WorkbookPlan, options?: { replace?: boolean }): Promise<{ sheetNames: string[]; replaced: boolean }>;
  /** Shows a sheet, for the link to a model the pane has written. */
  activateSheet(name: string): Promise<void>;
  /** Writes a formula into the selected cell. */
  insertFormula(formula: string): Promise<void>;
  /** The model settings saved in the workbook, as stored (unvalidated), or undefined. */
  loadSettings(key: string): Promise<unknown>;
  saveSettings(key: string, value: unknown): Promise<void>;
}
