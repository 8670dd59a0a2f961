import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitShiftedBetaGeometric } from "../../../../src/core/retention/shiftedBetaGeometric";
import { PreviewWorkbook } from "../../../../src/host/preview/previewHost";
import { buildCohortPlan, cohortInputSchema } from "../../../../src/models/cohort/cohortPlan";
import { ECONOMICS, triangle } from "../../../support/cohorts";

/**
 * The engine on a real model: a 36-month cohort model (12 monthly cohorts observed up to
 * 12 months, 36 months ahead: about 2,000 formulas) built through the preview host, then an
 * input edited. The timings are printed, not asserted (the machine is shared); the values
 * are checked against the core's.
 */
function model(revenue: number) {
  const settings = cohortInputSchema.parse({ ...ECONOMICS, revenue, cohorts: triangle(12, 1000, 0.7, 1.2, 12), horizon: 36 });
  const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
  return buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "" });
}

const close = (got: unknown, want: number) => assert.ok(typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${String(got)} vs ${want}`);

describe("a 36-month cohort model in the engine", () => {
  it("builds, and recalculates after an input edit, to the core's numbers", (t) => {
    const { plan, model: built } = model(ECONOMICS.revenue);
    const formulas = plan.sheets[0]!.writes.reduce((n, w) => n + (w.fill ? w.fill.rows * w.fill.columns : (w.formulas ?? []).flat().filter(Boolean).length), 0);
    const builds: number[] = [];
    const edits: number[] = [];
    let workbook = new PreviewWorkbook();
    for (let run = 0; run < 3; run++) {
      workbook = new PreviewWorkbook();
      let start = performance.now();
      workbook.applyPlan(plan);
      builds.push(performance.now() - start);
      for (const revenue of [45, 50, 45]) {
        start = performance.now();
        workbook.setCells("Cohort model", "B5", [[revenue]]);
        edits.push(performance.now() - start);
      }
    }
    const id = workbook.sheetId("Cohort model");
    const edited = model(45).model;
    close(workbook.engine.getNamedExpressionValue("CustomerEquity", id), edited.customerEquity);
    close(workbook.engine.getNamedExpressionValue("CLV_NewCustomer", id), edited.clvNewCustomer);
    workbook.undo();
    close(workbook.engine.getNamedExpressionValue("CustomerEquity", id), built.customerEquity);
    const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
    t.diagnostic(`${formulas} formulas: built in ${ms(builds)} ms (first run cold); recalculated after an edit of the revenue in ${ms(edits)} ms`);
    assert.ok(formulas > 1800, String(formulas));
  });
});
