import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { HyperFormula } from "hyperformula";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { customerLifetimeValue } from "../../../src/core/clv";
import { registerLtvFunctions } from "../../../src/host/preview/customFunctions";
import { previewHost } from "../../../src/host/preview/previewHost";
import { sampleWorkbook } from "../../../src/host/preview/sampleWorkbook";
import { readCohortTable } from "../../../src/models/cohort/cohortCsv";
import { buildCohortPlan, cohortInputSchema } from "../../../src/models/cohort/cohortPlan";
import { loadBuiltFunctions } from "../../support/customFunctions";

/** The preview host: a HyperFormula workbook that the task pane drives as it drives Excel. */
before(() => {
  registerLtvFunctions(HyperFormula, loadBuiltFunctions());
});

function memoryStore() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

async function buildFromSelection(replace = false) {
  const workbook = sampleWorkbook();
  const host = previewHost(workbook, memoryStore());
  const { values } = await host.readSelection();
  const settings = cohortInputSchema.parse({ cohorts: readCohortTable(values), revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 24, timing: "start" });
  const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
  const built = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" });
  const result = await host.applyPlan(built.plan, { replace });
  return { workbook, host, built, result };
}

describe("the preview workbook (HyperFormula)", () => {
  it("builds the cohort model from the selected sample table; its customer equity equals the core's", async () => {
    const { workbook, built, result } = await buildFromSelection();
    assert.deepEqual(result.sheetNames, ["Cohort model"]);
    const id = workbook.sheetId("Cohort model");
    const equity = workbook.hf.getNamedExpressionValue("CustomerEquity", id) as number;
    assert.ok(Math.abs(equity - built.model.customerEquity) <= 1e-9 * built.model.customerEquity, `${equity} vs ${built.model.customerEquity}`);
    const clv = workbook.hf.getNamedExpressionValue("CLV_NewCustomer", id) as number;
    assert.ok(Math.abs(clv - built.model.clvNewCustomer) <= 1e-9 * Math.abs(built.model.clvNewCustomer));
  });

  it("computes every formula cell of the model as the core does", async () => {
    const workbook = sampleWorkbook();
    const host = previewHost(workbook, memoryStore());
    const { values } = await host.readSelection();
    const settings = cohortInputSchema.parse({ cohorts: readCohortTable(values), revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 12, timing: "end" });
    const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
    const { plan, expected } = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" }, { withExpected: true });
    await host.applyPlan(plan);
    const wrong: string[] = [];
    for (const [address, want] of expected) {
      const got = workbook.values("Cohort model", address)[0]![0];
      const ok = typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;
      if (!ok) wrong.push(`${address}: ${want} vs ${JSON.stringify(got)}`);
    }
    assert.deepEqual(wrong.slice(0, 8), []);
  });

  it("computes =LTV.CLV(…) typed into a cell, with the messages Excel would show", async () => {
    const workbook = sampleWorkbook();
    const host = previewHost(workbook, memoryStore());
    workbook.selection = { sheet: "Data", range: "K2" };
    await host.insertFormula("=LTV.CLV(100, 0.8, 0.1)");
    assert.equal(workbook.values("Data", "K2")[0]![0], customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1 }));
    workbook.setCells("Data", "K3", [["=LTV.CLV(C2:I2/B2*100, 0.9, 0.01)"]]);
    workbook.setCells("Data", "K4", [["=LTV.CLV(100, 80, 0.1)"]]);
    assert.equal(typeof workbook.values("Data", "K3")[0]![0], "number");
    const error = workbook.hf.getCellValue({ sheet: workbook.sheetId("Data"), row: 3, col: 10 }) as { value: string; message: string };
    assert.equal(error.value, "#VALUE!");
    assert.match(error.message, /retention must be between 0 and 1 \(80% is 0\.8\); got 80/);
  });

  it("adds a new sheet each build and replaces only its own when asked", async () => {
    const { workbook, host, built } = await buildFromSelection();
    await host.applyPlan(built.plan);
    assert.deepEqual(workbook.hf.getSheetNames(), ["Data", "Cohort model", "Cohort model (2)"]);
    const again = await host.applyPlan(built.plan, { replace: true });
    assert.equal(again.replaced, true);
    assert.deepEqual(workbook.hf.getSheetNames().sort(), ["Cohort model", "Cohort model (2)", "Data"]);
  });

  it("lists and reads named ranges as sources", async () => {
    const host = previewHost(sampleWorkbook(), memoryStore());
    assert.deepEqual(await host.listRangeNames(), ["SampleCohorts"]);
    const { address, values } = await host.readRange("SampleCohorts");
    assert.equal(address, "Data!A1:I8");
    assert.equal(readCohortTable(values).length, 7);
  });

  it("keeps settings, and hands back a blob it cannot parse for the caller to report", async () => {
    const store = memoryStore();
    const host = previewHost(sampleWorkbook(), store);
    await host.saveSettings("cohort", { version: 1, revenue: 30 });
    assert.deepEqual(await host.loadSettings("cohort"), { version: 1, revenue: 30 });
    store.items.set("lifetime:cohort", "{not json");
    assert.equal(await host.loadSettings("cohort"), "{not json");
  });
});
