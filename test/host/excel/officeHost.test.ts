import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { officeHost } from "../../../src/host/excel/officeHost";
import { readCohortTable } from "../../../src/models/cohort/cohortCsv";
import { installFakeExcel } from "../../support/fakeExcel";

/** The pane's Office.js host on the strict Excel: reads, Insert, requirement sets, settings. */
function cohortSheet() {
  const excel = installFakeExcel({ sheets: ["Data"] });
  excel.setCell("Data", "A1", { value: "cohort" });
  excel.setCell("Data", "B1", { value: "customers" });
  excel.setCell("Data", "C1", { value: 1 });
  excel.setCell("Data", "D1", { value: 2 });
  [[45658, 1000, 631, 468], [45689, 1200, 760, null]].forEach(([date, n, s1, s2], i) => {
    excel.setCell("Data", `A${i + 2}`, { value: date!, numberFormat: "mm/dd/yyyy" });
    excel.setCell("Data", `B${i + 2}`, { value: n! });
    excel.setCell("Data", `C${i + 2}`, { value: s1! });
    if (s2 !== null) excel.setCell("Data", `D${i + 2}`, { value: s2! });
  });
  return excel;
}

describe("officeHost (Office.js) on a strict Excel", () => {
  it("reads cohort labels as Excel displays them: a date stays a date", async () => {
    cohortSheet();
    const read = await officeHost().readRange("Data!A1:D3");
    assert.equal(read.values[1]![0], 45658);
    const cohorts = readCohortTable(read.values, read.text);
    assert.deepEqual(cohorts.map((c) => c.label), ["01/01/2025", "02/01/2025"]);
    assert.deepEqual(cohorts[1]!.survivors, [760]);
  });

  it("reads a whole-column reference as the used part of it, and refuses a range too large to read", async () => {
    const excel = cohortSheet();
    const read = await officeHost().readRange("Data!A:D");
    assert.equal(read.values.length, 3);
    excel.setCell("Data", "A500000", { value: "far away" });
    await assert.rejects(officeHost().readRange("Data!A:D"), /500,000 rows × 4 columns; select the table itself/);
  });

  it("reads a named range or a table by name", async () => {
    const excel = cohortSheet();
    excel.names.set("MyCohorts", "=Data!$A$1:$D$3");
    const host = officeHost();
    assert.deepEqual(await host.listRangeNames(), ["MyCohorts"]);
    assert.equal(readCohortTable((await host.readRange("MyCohorts")).values).length, 2);
  });

  it("reads a sheet's own name after its sheet, as the partner builder reads a cohort model's Alpha and Beta", async () => {
    const excel = installFakeExcel({ sheets: ["Data", "Cohort model"] });
    excel.setCell("Cohort model", "B14", { value: 0.9 });
    excel.setCell("Data", "B14", { value: 5 });
    excel.sheet("Cohort model").names.set("Alpha", "='Cohort model'!$B$14");
    const host = officeHost();
    assert.deepEqual((await host.readRange("'Cohort model'!Alpha")).values, [[0.9]]);
    assert.deepEqual((await host.readRange("'Cohort model'!B14")).values, [[0.9]]);
    await assert.rejects(host.readRange("Data!Alpha"));
  });

  it("inserts into the active cell only, and only when it is empty or the user agreed", async () => {
    const excel = cohortSheet();
    const host = officeHost();
    excel.selection = { sheet: "Data", address: "B2:C3" };
    assert.deepEqual(await host.insertFormula("=LTV.PERIODIC_RATE(0.1, 12)"), { inserted: false, address: "Data!B2", content: "1000" });
    assert.equal(excel.sheet("Data").cells.get("B2")!.value, 1000);
    assert.deepEqual(await host.insertFormula("=LTV.PERIODIC_RATE(0.1, 12)", { overwrite: true }), { inserted: true, address: "Data!B2" });
    assert.equal(excel.sheet("Data").cells.get("B2")!.formula, "=LTV.PERIODIC_RATE(0.1, 12)");
    assert.equal(excel.sheet("Data").cells.get("C2")!.value, 631);
    excel.selection = { sheet: "Data", address: "F9" };
    assert.deepEqual(await host.insertFormula("=1+1"), { inserted: true, address: "Data!F9" });
  });

  it("writes one value into one cell: text as text (never a formula, a number or a date), numbers as numbers", async () => {
    const excel = installFakeExcel({ sheets: ["Data", "Cohort model"] });
    excel.setCell("Cohort model", "B3", { value: "Base", numberFormat: "@" });
    excel.setCell("Cohort model", "C3", { formula: "=B3" });
    const host = officeHost();
    await host.setCellValue("Cohort model", "$B$3", "Optimistic");
    assert.deepEqual(excel.sheet("Cohort model").cells.get("B3"), { value: "Optimistic", numberFormat: "@" });
    // In a cell formatted General, what a user's text might be read as stays text.
    for (const text of ["=1+1", "00123", "1/2", "TRUE"]) {
      await host.setCellValue("Data", "D4", text);
      assert.deepEqual(excel.sheet("Data").cells.get("D4"), { value: text }, text);
    }
    await host.setCellValue("Data", "D5", 0.25);
    assert.deepEqual(excel.sheet("Data").cells.get("D5"), { value: 0.25 });
    assert.equal(excel.sheet("Cohort model").cells.get("C3")!.formula, "=B3", "the sheet's other cells are untouched");
    await assert.rejects(host.setCellValue("Data", "B3:C4", "x"), /B3:C4 is not the address of one cell/);
    await assert.rejects(host.setCellValue("Gone", "B3", "x"));
    await assert.rejects(host.setCellValue("Data", "B3", Number.NaN), /not a number/);
  });

  it("removes the sheets that carry a model's marker, never a sheet by its name, and forgets settings", async () => {
    const excel = installFakeExcel({ sheets: ["Data", "Cohort model", "Cohort scenarios", "Copy"] });
    const written = { modelId: "cohort", instance: "abcdefgh12345678", sheets: ["Cohort model", "Cohort scenarios"].map((key) => ({ key, name: key, footprint: [], names: [], tables: [], charts: [] })) };
    excel.sheet("Cohort model").customProperties.set("Lifetime.model", "cohort|abcdefgh12345678|Cohort model");
    excel.sheet("Cohort scenarios").customProperties.set("Lifetime.model", "cohort|abcdefgh12345678|Cohort scenarios");
    // Another model's sheet, and a user's sheet named as the model's sheet was, are kept.
    excel.sheet("Copy").customProperties.set("Lifetime.model", "cohort|zzzzzzzz12345678|Cohort model");
    excel.setCell("Data", "A1", { formula: "='Cohort model'!B20" });
    const host = officeHost();
    assert.deepEqual(await host.removeModelSheets(written), ["Cohort model", "Cohort scenarios"]);
    assert.deepEqual(excel.sheets.map((s) => s.name), ["Data", "Copy"]);
    assert.match(excel.sheet("Data").cells.get("A1")!.formula!, /#REF!/);
    assert.deepEqual(await host.removeModelSheets(written), [], "nothing left to remove");
    // The model's sheets as the workbook's only ones: refused, nothing deleted.
    const alone = installFakeExcel({ sheets: ["Cohort model"] });
    alone.sheet("Cohort model").customProperties.set("Lifetime.model", "cohort|abcdefgh12345678|Cohort model");
    await assert.rejects(officeHost().removeModelSheets(written), /only visible sheets, and a workbook keeps one/);
    assert.deepEqual(alone.sheets.map((s) => s.name), ["Cohort model"]);

    await host.saveSettings("cohortModel", { version: 2 });
    const again = installFakeExcel();
    await officeHost().saveSettings("cohortModel", { version: 2 });
    await officeHost().removeSettings("cohortModel");
    assert.equal(await officeHost().loadSettings("cohortModel"), undefined);
    assert.equal(again.savedSettings.has("lifetime.cohortModel"), false, "the removal is saved with the document");
  });

  it("says which requirement sets an older Excel lacks", () => {
    installFakeExcel({ apiSets: { ExcelApi: "1.9" } });
    assert.deepEqual(officeHost().missingRequirements(), ["ExcelApi 1.12 (worksheet custom properties mark a model's sheets)"]);
    installFakeExcel({ apiSets: { ExcelApi: "1.17" } });
    assert.deepEqual(officeHost().missingRequirements(), []);
  });

  it("keeps settings as text in the document's settings, saved", async () => {
    const excel = installFakeExcel();
    const host = officeHost();
    assert.equal(await host.loadSettings("cohortModel"), undefined);
    await host.saveSettings("cohortModel", { version: 2, a: "b" });
    assert.equal(excel.savedSettings.get("lifetime.cohortModel"), '{"version":2,"a":"b"}');
    assert.equal(await host.loadSettings("cohortModel"), '{"version":2,"a":"b"}');
  });
});

describe("the manifest", () => {
  it("asks for every requirement set the pane checks", async () => {
    const { readFileSync } = await import("node:fs");
    const { REQUIRED_SETS } = await import("../../../src/host/workbookHost");
    const manifest = readFileSync(new URL("../../../manifest.xml", `file://${__filename}`), "utf8");
    for (const set of REQUIRED_SETS) assert.match(manifest, new RegExp(`<Set Name="${set.name}" MinVersion="${set.version.replace(".", "\\.")}"/>`));
  });
});
