import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitShiftedBetaGeometric } from "../../src/core/retention/shiftedBetaGeometric";
import { applyPlan } from "../../src/host/excel/applyPlan";
import { previewHost, PreviewWorkbook } from "../../src/host/preview/previewHost";
import { buildCohortPlan, type CohortModelSettings } from "../../src/models/cohort/cohortPlan";
import { ECONOMICS, triangle } from "../support/cohorts";
import { MARKER_KEY } from "../../src/models/written";
import { installFakeExcel } from "../support/fakeExcel";

/**
 * A model with scenarios written where a sheet of its name is taken: the hosts write its
 * sheets under other names and the formulas that read one another follow; a rebuild with a
 * scenario fewer removes that scenario's sheet. The preview computes every sheet as the core.
 */
const cohorts = triangle(5, 600, 0.8, 2, 6);
const scenarios = [
  { name: "Base", overrides: {} },
  { name: "High", overrides: { revenue: 70 } },
  { name: "Low", overrides: { margin: 0.4, horizon: 30 } },
];
const settings: CohortModelSettings = { ...ECONOMICS, horizon: 24, cohorts, scenarios };
const sbg = fitShiftedBetaGeometric(cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
const fit = { alpha: sbg.params.alpha, beta: sbg.params.beta, logLikelihood: sbg.logLikelihood, fittedOn: "2026-11-30" };
const three = buildCohortPlan(settings, fit, { withExpected: true });
const two = buildCohortPlan({ ...settings, scenarios: scenarios.slice(0, 2) }, fit, { withExpected: true });

const memoryStore = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
};

describe("a model's scenario sheets in the hosts", () => {
  it("the preview: written beside a user's sheet named like the model, every sheet computes as the core", async () => {
    const workbook = new PreviewWorkbook();
    workbook.engine.addSheet("Cohort model");
    workbook.setCells("Cohort model", "A1", [["a user's sheet"]]);
    const host = previewHost(workbook, memoryStore());
    const result = await host.applyPlan(three.plan);
    assert.deepEqual(result.sheetNames, ["Cohort model (2)", "Cohort scenario 1", "Cohort scenario 2", "Cohort scenario 3", "Cohort scenarios"]);
    const renamed = new Map(three.plan.sheets.map((s, i) => [s.name, result.sheetNames[i]!]));
    const wrong: string[] = [];
    let checked = 0;
    for (const [sheet, expected] of three.expectedBySheet) {
      for (const [address, want] of expected) {
        const got = workbook.values(renamed.get(sheet)!, address)[0]![0];
        checked++;
        const ok = typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;
        if (!ok) wrong.push(`${sheet}!${address}: ${JSON.stringify(got)} against ${want}`);
      }
    }
    assert.ok(checked > 2000);
    assert.deepEqual(wrong.slice(0, 10), []);
    assert.deepEqual(workbook.values("Cohort model", "A1"), [["a user's sheet"]]);

    // ActiveScenario typed in the preview's cell: the model follows, the comparison stays.
    const comparison = workbook.values("Cohort scenarios", "B6:D6")[0]!;
    workbook.setCells("Cohort model (2)", "B3", [["Low"]]);
    assert.equal(workbook.values("Cohort model (2)", "B20")[0]![0], comparison[2]);
    assert.deepEqual(workbook.values("Cohort scenarios", "B6:D6")[0], comparison);

    // Rebuilt with a scenario fewer: its sheet goes, the others are rewritten in place.
    const again = await host.applyPlan(two.plan, { previous: result.written });
    assert.deepEqual(again.sheetNames, ["Cohort model (2)", "Cohort scenario 1", "Cohort scenario 2", "Cohort scenarios"]);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Cohort model", "Cohort model (2)", "Cohort scenario 1", "Cohort scenario 2", "Cohort scenarios"]);
    assert.equal(workbook.values("Cohort scenarios", "C6")[0]![0], two.scenarioModels[1]!.clvNewCustomer);
  });

  it("the preview: a sheet renamed into another's planned name is not read twice; a user's copy of a removed scenario's sheet stays", async () => {
    const workbook = new PreviewWorkbook();
    const host = previewHost(workbook, memoryStore());
    const first = await host.applyPlan(three.plan);
    workbook.engine.renameSheet(workbook.sheetId("Cohort scenario 1"), "Cohort scenario 4");
    const four = buildCohortPlan({ ...settings, scenarios: [...scenarios, { name: "Longer", overrides: { horizon: 36 } }] }, fit, { withExpected: true });
    const second = await host.applyPlan(four.plan, { previous: first.written });
    assert.deepEqual(second.sheetNames, ["Cohort model", "Cohort scenario 4", "Cohort scenario 2", "Cohort scenario 3", "Cohort scenario 4 (2)", "Cohort scenarios"]);
    const comparison = workbook.values("Cohort scenarios", "B6:E6")[0]!;
    four.scenarioModels.forEach((m, j) => assert.ok(Math.abs((comparison[j] as number) - m.clvNewCustomer) < 1e-9 * Math.max(1, Math.abs(m.clvNewCustomer)), `scenario ${j}: ${comparison[j]}`));

    // A copy of the fourth scenario's sheet keeps its marker; a rebuild without that scenario removes the sheet, not the copy.
    workbook.engine.addSheet("Longer, kept");
    workbook.setCells("Longer, kept", "A1", [["my copy"]]);
    workbook.customProperties.set(workbook.sheetId("Longer, kept"), new Map(workbook.customProperties.get(workbook.sheetId("Cohort scenario 4 (2)"))!));
    const third = await host.applyPlan(three.plan, { previous: second.written });
    assert.ok(!workbook.engine.getSheetNames().includes("Cohort scenario 4 (2)"));
    assert.deepEqual(workbook.values("Longer, kept", "A1"), [["my copy"]]);
    assert.ok(third.notes.some((n) => /“Longer, kept” is a copy of a sheet this model no longer writes/.test(n)), third.notes.join(" "));
  });

  it("Office.js: the formulas read the sheets under the names they got, and a rebuild removes a deleted scenario's sheet", async () => {
    const excel = installFakeExcel({ sheets: ["Cohort model", "Cohort scenario 2"] });
    const result = await applyPlan(three.plan);
    assert.deepEqual(result.sheetNames, ["Cohort model (2)", "Cohort scenario 1", "Cohort scenario 2 (2)", "Cohort scenario 3", "Cohort scenarios"]);
    const own = excel.sheet("Cohort scenario 2 (2)");
    assert.equal(own.cells.get("B5")!.formula, `=IF(ISBLANK('Cohort model (2)'!$H$5),IF(ISBLANK('Cohort model (2)'!$G$5),"",'Cohort model (2)'!$G$5),'Cohort model (2)'!$H$5)`);
    assert.equal(excel.sheet("Cohort scenarios").cells.get("C6")!.formula, "='Cohort scenario 2 (2)'!$B$20");
    assert.equal(excel.sheet("Cohort scenarios").cells.get("D6")!.formula, "='Cohort scenario 3'!$B$20");
    // A user's copy of the third scenario's sheet carries its marker: the rebuild without that scenario removes the sheet, not the copy.
    const copy = excel.addSheet("Low, kept");
    copy.customProperties.set(MARKER_KEY, excel.sheet("Cohort scenario 3").customProperties.get(MARKER_KEY)!);
    excel.setCell("Low, kept", "A1", { value: "my copy" });
    const again = await applyPlan(two.plan, { previous: result.written });
    assert.deepEqual(again.sheetNames, ["Cohort model (2)", "Cohort scenario 1", "Cohort scenario 2 (2)", "Cohort scenarios"]);
    assert.deepEqual(excel.sheets.map((s) => s.name), ["Cohort model", "Cohort scenario 2", "Cohort model (2)", "Cohort scenario 1", "Cohort scenario 2 (2)", "Cohort scenarios", "Low, kept"]);
    assert.ok(again.notes.some((n) => /“Low, kept” is a copy/.test(n)));
  });
});
