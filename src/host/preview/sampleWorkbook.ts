import { PreviewWorkbook } from "./previewHost";

/**
 * The preview's starting workbook: a "Data" sheet with a sample cohort table (monthly
 * cohorts of a subscription business, survivors drawn from the "Regular" retention curve of
 * Fader & Hardie 2007 and rounded), selected and named SampleCohorts, ready for the
 * cohort model.
 */
export const SAMPLE_COHORTS: (string | number | null)[][] = [
  ["cohort", "customers", 1, 2, 3, 4, 5, 6, 7],
  ["2025-01", 1000, 631, 468, 382, 326, 289, 262, 241],
  ["2025-02", 1200, 760, 561, 457, 392, 348, 314, null],
  ["2025-03", 900, 571, 421, 343, 293, 261, null, null],
  ["2025-04", 1100, 694, 515, 420, 359, null, null, null],
  ["2025-05", 950, 599, 445, 363, null, null, null, null],
  ["2025-06", 1300, 820, 608, null, null, null, null, null],
  ["2025-07", 1050, 663, null, null, null, null, null, null],
];

export function sampleWorkbook(): PreviewWorkbook {
  const workbook = new PreviewWorkbook();
  workbook.engine.addSheet("Data");
  workbook.setCells("Data", "A1", SAMPLE_COHORTS);
  workbook.engine.addNamedExpression("SampleCohorts", `=Data!$A$1:$I$${SAMPLE_COHORTS.length}`);
  workbook.selection = { sheet: "Data", range: `A1:I${SAMPLE_COHORTS.length}` };
  workbook.engine.clearUndoStack(); // the sample is where the user starts, not an edit to undo
  return workbook;
}
