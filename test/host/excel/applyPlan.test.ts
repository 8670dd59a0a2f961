import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { applyPlan, safeSheetName, uniqueSheetName } from "../../../src/host/excel/applyPlan";
import { buildCohortPlan, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { installFakeExcel } from "../../support/fakeExcel";

function plan(cohorts: number, horizon: number) {
  const settings: CohortModelSettings = {
    revenue: 50,
    margin: 0.6,
    cac: 150,
    annualDiscount: 0.1,
    period: "month",
    horizon,
    timing: "start",
    cohorts: Array.from({ length: cohorts }, (_, i) => ({
      label: i === 0 ? "=HYPERLINK(\"x\")" : `2025-${i + 1}`,
      customers: 1000,
      survivors: [631, 468, 382, 326, 289, 262, 241].slice(0, Math.max(2, 7 - i)),
    })),
  };
  const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
  return buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" }).plan;
}

describe("applyPlan (Office.js)", () => {
  it("writes a plan with three syncs, whatever its size", async () => {
    for (const [cohorts, horizon] of [[2, 6], [7, 120]] as const) {
      const excel = installFakeExcel();
      await applyPlan(plan(cohorts, horizon));
      assert.equal(excel.syncs, 3, `${cohorts} cohorts × ${horizon} periods`);
    }
  });

  it("adds a new sheet with a unique name and never touches the user's sheets", async () => {
    const excel = installFakeExcel(["Sheet1", "Cohort model"]);
    const result = await applyPlan(plan(2, 6));
    assert.deepEqual(result.sheetNames, ["Cohort model (2)"]);
    assert.deepEqual(excel.sheets.map((s) => s.name), ["Sheet1", "Cohort model", "Cohort model (2)"]);
    assert.deepEqual([...excel.sheets[1]!.cells], [["A1", { value: "user data on Cohort model" }]]);
    assert.equal(excel.active, "Cohort model (2)");
  });

  it("writes formulas, names, charts, and user text as text", async () => {
    const excel = installFakeExcel();
    await applyPlan(plan(2, 6));
    const sheet = excel.sheets.find((s) => s.name === "Cohort model")!;
    for (const name of ["Alpha", "Beta", "LogLikelihood", "CLV_NewCustomer", "CustomerEquity"]) assert.ok(sheet.names.has(name), name);
    assert.equal(sheet.cells.get("B7")!.formula, "=Revenue*Margin");
    const label = [...sheet.cells.values()].find((c) => c.value === '=HYPERLINK("x")')!;
    assert.equal(label.numberFormat, "@");
    assert.equal(label.formula, undefined);
    assert.deepEqual(sheet.charts.map((c) => c.type), ["Line", "AreaStacked"]);
    assert.deepEqual(sheet.tables, [{ range: "Cohort model!A33:I35", name: "LifetimeCohorts_Cohortmodel", style: "TableStyleLight9" }]);
  });

  it("replaces its own sheet on a rebuild, only when asked, and keeps the others", async () => {
    const excel = installFakeExcel(["Sheet1"]);
    await applyPlan(plan(2, 6));
    await applyPlan(plan(3, 6));
    assert.deepEqual(excel.sheets.map((s) => s.name), ["Sheet1", "Cohort model", "Cohort model (2)"]);
    const result = await applyPlan(plan(4, 6), { replace: true });
    assert.equal(result.replaced, true);
    assert.deepEqual(excel.sheets.map((s) => s.name).sort(), ["Cohort model", "Cohort model (2)", "Sheet1"]);
    assert.equal(excel.syncs, 9);
  });

  it("removes the partial sheet when a write fails and says why", async () => {
    const excel = installFakeExcel(["Sheet1"]);
    excel.failSync = 2;
    await assert.rejects(applyPlan(plan(2, 6)), /could not be written \(InvalidArgument.*\)\. The partial sheet was removed; the workbook is as it was\./);
    assert.deepEqual(excel.sheets.map((s) => s.name), ["Sheet1"]);
  });

  it("a failed rebuild leaves the previous model in place", async () => {
    const excel = installFakeExcel(["Sheet1"]);
    await applyPlan(plan(2, 6));
    excel.failSync = excel.syncs + 2;
    await assert.rejects(applyPlan(plan(3, 6), { replace: true }));
    assert.deepEqual(excel.sheets.map((s) => s.name), ["Sheet1", "Cohort model"]);
  });
});

describe("sheet names", () => {
  it("keep to Excel's rules and stay unique", () => {
    assert.equal(safeSheetName("Q1/Q2: [churn]?"), "Q1 Q2   churn");
    assert.equal(safeSheetName("x".repeat(40)).length, 31);
    assert.equal(uniqueSheetName("Cohort model", ["cohort MODEL", "Cohort model (2)"]), "Cohort model (3)");
  });
});
