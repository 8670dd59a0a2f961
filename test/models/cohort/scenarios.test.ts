import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { cohortModel } from "../../../src/core/retention/cohortModel";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { buildCohortPlan, cohortInputSchema, COHORT_COMPARISON_SHEET, COHORT_SHEET, type CohortFit, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { COHORT_SETTINGS_VERSION, readCohortSettings } from "../../../src/models/cohort/settings";
import { ECONOMICS, triangle } from "../../support/cohorts";
import { readValues, recalculateWithLibreOffice, type ReadCell } from "../../support/libreoffice";
import { withCell } from "../../support/plans";

/**
 * Scenarios of the cohort model: three scenarios written to .xlsx and recalculated by
 * LibreOffice Calc. Every scenario's column of the comparison equals the core's model of
 * that scenario (computed here from the core directly, 1e-9 relative); with ActiveScenario
 * changed in the file, the model sheet's results equal that scenario's column.
 */
const settings: CohortModelSettings = {
  ...ECONOMICS,
  horizon: 36,
  cohorts: triangle(6, 800, 0.9, 2.2, 8),
  scenarios: [
    { name: "Base", overrides: {} },
    { name: "Optimistic", overrides: { revenue: 60, margin: 0.65 } },
    { name: "Pessimistic", overrides: { cac: 220, annualDiscount: 0.15, horizon: 48, timing: "end" } },
  ],
};
const sbg = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
const fit: CohortFit = { alpha: sbg.params.alpha, beta: sbg.params.beta, logLikelihood: sbg.logLikelihood, fittedOn: "2026-11-30" };

/** The core's model of a scenario, from its settings alone (independent of the plan). */
function coreModel(s: CohortModelSettings) {
  return cohortModel({
    cohorts: s.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })),
    params: { alpha: fit.alpha, beta: fit.beta },
    margin: s.revenue * s.margin,
    acquisitionCost: s.cac,
    discountRate: Math.pow(1 + s.annualDiscount, 1 / 12) - 1,
    horizon: s.horizon,
    timing: s.timing,
  });
}
const scenarioSettings = settings.scenarios!.map((s) => ({ ...settings, ...s.overrides }));
const core = scenarioSettings.map(coreModel);

const close = (got: ReadCell | undefined, want: number | string) =>
  typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;

const built = buildCohortPlan(settings, fit, { withExpected: true });
const values: Map<string, Map<string, ReadCell>> = new Map();
/** Names a spreadsheet's MATCH would read as wildcards: the scenario is found by equality. */
const wildcards = buildCohortPlan({ ...settings, scenarios: [{ name: "Base", overrides: {} }, { name: "All in", overrides: { revenue: 80 } }, { name: "A*", overrides: { revenue: 20 } }, { name: "~x?", overrides: { revenue: 30 } }], activeScenario: "A*" }, fit);
let wildcardValues: Map<string, ReadCell>[] = [];
const blankBase: Map<string, Map<string, ReadCell>> = new Map();
let switched: Map<string, ReadCell>[] = [];

before(async () => {
  const files = recalculateWithLibreOffice([
    await writeXlsx(built.plan),
    await writeXlsx(withCell(built.plan, "B3", "Pessimistic")),
    await writeXlsx(withCell(built.plan, "B3", "Optimistic")),
    await writeXlsx(wildcards.plan),
    await writeXlsx(withCell(wildcards.plan, "B3", "~x?")),
    await writeXlsx(withCell(built.plan, "G6", null)),
  ]);
  wildcardValues = await Promise.all(files.slice(3, 5).map((f) => readValues(f, COHORT_SHEET)));
  for (const sheet of [COHORT_SHEET, "Cohort scenario 2", COHORT_COMPARISON_SHEET]) blankBase.set(sheet, await readValues(files[5]!, sheet));
  for (const sheet of built.plan.sheets) values.set(sheet.name, await readValues(files[0]!, sheet.name));
  switched = await Promise.all(files.slice(1).map((f) => readValues(f, COHORT_SHEET)));
});

describe("cohort model scenarios (LibreOffice Calc)", { timeout: 600_000 }, () => {
  it("writes the model sheet, a sheet per scenario and the comparison, laid out to the longest horizon", () => {
    assert.deepEqual(
      built.plan.sheets.map((s) => s.name),
      [COHORT_SHEET, "Cohort scenario 1", "Cohort scenario 2", "Cohort scenario 3", COHORT_COMPARISON_SHEET],
    );
    const main = built.plan.sheets[0]!;
    const survival = main.names.find((n) => n.name === "Survival")!.ref;
    // t = 0 … 8 observed + 48 ahead (the pessimistic horizon), from column C.
    assert.match(survival, /^\$C\$29:\$BG\$29$/);
  });

  it("every cell of every sheet equals the core", () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const [sheet, expected] of built.expectedBySheet) {
      const got = values.get(sheet)!;
      for (const [address, want] of expected) {
        checked++;
        if (!close(got.get(address), want)) wrong.push(`${sheet}!${address}: expected ${want}, LibreOffice computed ${JSON.stringify(got.get(address))}`);
      }
    }
    assert.ok(checked > 3000, `${checked} cells checked`);
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${checked} cells differ`);
  });

  it("the comparison shows each scenario's CLV, LTV:CAC, payback and customer equity as the core computes them", () => {
    const comparison = values.get(COHORT_COMPARISON_SHEET)!;
    const sheet = built.plan.sheets.at(-1)!;
    const row = (name: string) => Number(/\$(\d+):/.exec(sheet.names.find((n) => n.name === name)!.ref)![1]);
    assert.deepEqual(["B", "C", "D"].map((c) => comparison.get(`${c}4`)), ["Base", "Optimistic", "Pessimistic"]);
    core.forEach((model, j) => {
      const column = "BCD"[j]!;
      assert.ok(close(comparison.get(`${column}${row("Scenario_CLV")}`), model.clvNewCustomer), `CLV of ${j}`);
      assert.ok(close(comparison.get(`${column}${row("Scenario_CustomerEquity")}`), model.customerEquity), `equity of ${j}`);
      assert.ok(close(comparison.get(`${column}${row("Scenario_LTV_CAC")}`), model.ltvToCacNewCustomer!), `LTV:CAC of ${j}`);
      assert.ok(close(comparison.get(`${column}${row("Scenario_Payback")}`), model.paybackNewCustomer ?? "beyond horizon"), `payback of ${j}`);
    });
    // The scenarios differ: the comparison is not one scenario three times.
    assert.ok(core[1]!.clvNewCustomer > core[0]!.clvNewCustomer && core[2]!.clvNewCustomer < core[0]!.clvNewCustomer);
  });

  it("a new customer's payback: the first period whose cumulative discounted margin reaches the CAC (a brute-force sum)", () => {
    for (const [j, s] of scenarioSettings.entries()) {
      const m = s.revenue * s.margin;
      const d = Math.pow(1 + s.annualDiscount, 1 / 12) - 1;
      let survival = 1;
      let sum = 0;
      let payback: number | undefined;
      for (let p = 1; p <= s.horizon; p++) {
        const atEnd = survival * ((fit.beta + p - 1) / (fit.alpha + fit.beta + p - 1));
        sum += s.timing === "start" ? m * survival / Math.pow(1 + d, p - 1) : m * atEnd / Math.pow(1 + d, p);
        survival = atEnd;
        if (payback === undefined && sum >= s.cac) payback = p;
      }
      assert.equal(core[j]!.paybackNewCustomer, payback, `scenario ${j}`);
    }
  });

  for (const [k, name] of ["Pessimistic", "Optimistic"].entries()) {
    it(`with ActiveScenario set to ${name} in the file, the model's results equal the comparison's ${name} column`, () => {
      const j = name === "Pessimistic" ? 2 : 1;
      const model = switched[k]!;
      const comparison = values.get(COHORT_COMPARISON_SHEET)!;
      const column = "BCD"[j]!;
      assert.equal(model.get("B18"), "OK");
      assert.equal(model.get("C3"), j + 1);
      for (const [cell, row] of [["B20", 6], ["B21", 9], ["B23", 7], ["B24", 8]] as const) {
        const want = comparison.get(`${column}${row}`);
        assert.ok((typeof want === "number" || typeof want === "string") && close(model.get(cell), want), `${cell}: ${JSON.stringify(model.get(cell))} against ${JSON.stringify(want)}`);
      }
      assert.ok(close(model.get("B20"), core[j]!.clvNewCustomer));
      // The inputs in use are the scenario's, the base's where it leaves them blank.
      assert.equal(model.get("B5"), scenarioSettings[j]!.revenue);
      assert.equal(model.get("B13"), scenarioSettings[j]!.timing);
    });
  }

  it("finds a scenario named with * ? or ~ by its whole name, not as a wildcard", () => {
    assert.equal(wildcardValues[0]!.get("C3"), 3);
    assert.equal(wildcardValues[0]!.get("B5"), 20);
    assert.equal(wildcardValues[1]!.get("C3"), 4);
    assert.equal(wildcardValues[1]!.get("B5"), 30);
    assert.equal(wildcardValues[1]!.get("B18"), "OK");
  });

  it("a base input cleared is an error everywhere it is used, never a 0 that computes", () => {
    assert.match(String(blankBase.get(COHORT_SHEET)!.get("B18")), /^Margin must be a fraction from 0 to 1 .*\(G6:I6\)$/);
    assert.deepEqual(blankBase.get(COHORT_SHEET)!.get("B20"), { error: "#N/A" });
    // The optimistic scenario overrides the margin; the pessimistic one takes the base's, which is gone.
    assert.equal(blankBase.get("Cohort scenario 2")!.get("B18"), "OK");
    assert.match(String(blankBase.get(COHORT_COMPARISON_SHEET)!.get("D5")), /^Margin must be a fraction .*\(Cohort model!I6, or G6 where that is blank\)$/);
    assert.deepEqual(blankBase.get(COHORT_COMPARISON_SHEET)!.get("D6"), { error: "#N/A" });
  });

  it("an unknown ActiveScenario turns every result into an error and the check names the cell", async () => {
    const [file] = recalculateWithLibreOffice([await writeXlsx(withCell(built.plan, "B3", "Nonexistent"))]);
    const model = await readValues(file!, COHORT_SHEET);
    assert.match(String(model.get("B18")), /^ActiveScenario must be one of the scenario names in G4:I4 \(B3\)$/);
    assert.deepEqual(model.get("B20"), { error: "#N/A" });
  });
});

describe("cohort model scenarios: settings", () => {
  it("round trip: three scenarios saved, read back and rebuilt give the same plan", () => {
    const blob = JSON.stringify({ version: COHORT_SETTINGS_VERSION, source: { kind: "range", address: "Data!A1:J7" }, economics: (({ cohorts: _, ...rest }) => rest)({ ...settings, activeScenario: "Optimistic" }) });
    const read = readCohortSettings(blob);
    assert.equal(read.problem, undefined);
    const again = { ...read.settings!.economics, cohorts: settings.cohorts };
    assert.deepEqual(again.scenarios, settings.scenarios);
    const first = buildCohortPlan({ ...settings, activeScenario: "Optimistic" }, fit).plan;
    assert.deepEqual(buildCohortPlan(cohortInputSchema.parse(again), fit).plan, first);
  });

  it("refuses two scenarios of one name, a base that overrides, an unknown active scenario, and more than eight", () => {
    const message = (s: Partial<CohortModelSettings>) => {
      const parsed = cohortInputSchema.safeParse({ ...settings, ...s });
      return parsed.success ? "accepted" : parsed.error.issues.map((i) => i.message).join("; ");
    };
    assert.match(message({ scenarios: [{ name: "Base", overrides: {} }, { name: "base", overrides: { cac: 1 } }] }), /two scenarios are named base/);
    assert.match(message({ scenarios: [{ name: "Base", overrides: { cac: 1 } }] }), /the base scenario holds the model's own inputs/);
    assert.match(message({ activeScenario: "Later" }), /the active scenario Later is not one of the scenarios \(Base, Optimistic, Pessimistic\)/);
    assert.match(message({ scenarios: Array.from({ length: 9 }, (_, i) => ({ name: `S${i}`, overrides: {} })) }), /at most 8 scenarios/);
    assert.match(message({ scenarios: [{ name: "Base", overrides: {} }, { name: "A, B", overrides: {} }] }), /cannot hold a comma/);
    assert.match(message({ scenarios: [{ name: "Base", overrides: {} }, { name: "Up", overrides: { margin: 1.5 } }] }), /margin must be between 0 and 1/);
    for (const name of ["2025", "1/2", "12.5%"]) assert.match(message({ scenarios: [{ name: "Base", overrides: {} }, { name, overrides: {} }] }), /needs a letter/, name);
    for (const name of ["=x", "+up", "-10%", "@home"]) assert.match(message({ scenarios: [{ name: "Base", overrides: {} }, { name, overrides: {} }] }), /cannot start with =, \+, - or @/, name);
  });
});
