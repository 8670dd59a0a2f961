import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { previewHost } from "../../../src/host/preview/previewHost";
import { sampleWorkbook } from "../../../src/host/preview/sampleWorkbook";
import { assumedCohorts, assumedParams, type Assumptions } from "../../../src/models/cohort/assumptions";
import { buildCohortPlan, COHORT_SHEET, cohortInputSchema } from "../../../src/models/cohort/cohortPlan";
import { MAX_SCENARIOS } from "../../../src/models/scenarios";
import {
  addScenario,
  baseDrafts,
  deleteScenario,
  draftsFromSettings,
  duplicateScenario,
  nextScenarioName,
  renameScenario,
  scenarioFields,
  setOverride,
  splitAddress,
  writeActiveScenario,
  type ScenarioDraft,
} from "../../../src/taskpane/common/scenarioDrafts";
import { checkCohortScenarios, DEFAULT_FORM, type CohortForm } from "../../../src/taskpane/cohort/useCohortModel";

/** The scenarios as the pane keeps them: added, named, duplicated, deleted, checked, and switched in the workbook. */
const names = (drafts: ScenarioDraft[]) => drafts.map((d) => d.name);
const withScenarios = (drafts: ScenarioDraft[], active = 0): CohortForm => ({ ...DEFAULT_FORM, scenarios: drafts, activeScenario: active });

function memoryStore() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe("scenario drafts", () => {
  it("name new scenarios Optimistic, Pessimistic, then Scenario N, and stop at the most a model takes", () => {
    let drafts = baseDrafts();
    assert.deepEqual(names(drafts), ["Base"]);
    drafts = addScenario(drafts);
    drafts = addScenario(drafts);
    drafts = addScenario(drafts);
    assert.deepEqual(names(drafts), ["Base", "Optimistic", "Pessimistic", "Scenario 4"]);
    // A name the user took is not given again.
    drafts = renameScenario(drafts, 3, "scenario 5");
    assert.equal(nextScenarioName(drafts), "Scenario 6");
    assert.equal(nextScenarioName(renameScenario(drafts, 1, "Best")), "Optimistic");
    while (drafts.length < MAX_SCENARIOS) drafts = addScenario(drafts);
    assert.equal(addScenario(drafts).length, MAX_SCENARIOS);
    assert.equal(duplicateScenario(drafts, 1).length, MAX_SCENARIOS);
    assert.equal(new Set(drafts.map((d) => d.key)).size, MAX_SCENARIOS, "each column keeps a key of its own");
  });

  it("duplicate a scenario after it, its overrides its own, named apart within 24 characters", () => {
    let drafts = setOverride(addScenario(baseDrafts()), 1, "revenue", "45");
    drafts = duplicateScenario(drafts, 1);
    assert.deepEqual(names(drafts), ["Base", "Optimistic", "Optimistic (copy)"]);
    assert.deepEqual(drafts[2]!.overrides, { revenue: "45" });
    drafts = setOverride(drafts, 2, "revenue", "50");
    assert.equal(drafts[1]!.overrides.revenue, "45", "the copy's overrides are its own");
    drafts = duplicateScenario(drafts, 1);
    assert.equal(drafts[2]!.name, "Optimistic (copy 2)");
    const long = duplicateScenario(renameScenario(drafts, 1, "A very long scenario nam"), 1);
    assert.equal(long[2]!.name, "A very long scena (copy)");
    assert.equal(checkCohortScenarios(withScenarios(long)).all.length, 0, "a copy's name is one the schema takes");
    // The base's copy overrides nothing.
    assert.deepEqual(duplicateScenario(drafts, 0)[1]!.overrides, {});
  });

  it("delete any scenario but the base; the active one moves with it, to the base when it goes", () => {
    const drafts = addScenario(addScenario(baseDrafts()));
    assert.deepEqual(deleteScenario(drafts, 2, 0).drafts.length, 3, "the base stays");
    assert.deepEqual(names(deleteScenario(drafts, 2, 1).drafts), ["Base", "Pessimistic"]);
    assert.equal(deleteScenario(drafts, 2, 1).active, 1, "the active scenario keeps its place in the list");
    assert.equal(deleteScenario(drafts, 2, 2).active, 0);
    assert.equal(deleteScenario(drafts, 1, 2).active, 1);
  });

  it("keep the base's overrides empty, and a blank cell as the base", () => {
    let drafts = addScenario(baseDrafts());
    assert.deepEqual(setOverride(drafts, 0, "revenue", "45")[0]!.overrides, {});
    drafts = setOverride(drafts, 1, "revenue", "45");
    assert.deepEqual(drafts[1]!.overrides, { revenue: "45" });
    assert.deepEqual(setOverride(drafts, 1, "revenue", "")[1]!.overrides, {});
  });
});

describe("the cohort scenarios checked with the model's schema", () => {
  it("say what is wrong by the cell, labelled as the form labels it, and give no settings until all is right", () => {
    let drafts = addScenario(addScenario(baseDrafts()));
    drafts = setOverride(drafts, 1, "margin", "70");
    drafts = setOverride(drafts, 1, "revenue", "lots");
    drafts = setOverride(drafts, 2, "horizon", "1.5");
    drafts = setOverride(drafts, 2, "timing", "middle");
    const check = checkCohortScenarios(withScenarios(drafts));
    assert.equal(check.scenarios, undefined);
    assert.equal(check.cells[1]!.margin, "Gross margin must be between 0 and 1 (40% is 0.4)");
    assert.equal(check.cells[1]!.revenue, "Revenue per customer per period must be a number, not “lots”");
    assert.equal(check.cells[2]!.horizon, "Horizon must be a whole number of periods");
    assert.equal(check.cells[2]!.timing, "Margin is paid at the: choose Start or End");
    assert.deepEqual(check.all.slice(0, 2), ["Optimistic: Revenue per customer per period must be a number, not “lots”", "Optimistic: Gross margin must be between 0 and 1 (40% is 0.4)"]);
  });

  it("refuse names the sheet cannot take: empty, too long, with a comma or a quote, or twice", () => {
    let drafts = addScenario(addScenario(addScenario(baseDrafts())));
    drafts = renameScenario(drafts, 1, " ");
    drafts = renameScenario(drafts, 2, "High, low");
    drafts = renameScenario(drafts, 3, " BASE ");
    const check = checkCohortScenarios(withScenarios(drafts));
    assert.equal(check.names[1], "A scenario needs a name");
    assert.equal(check.names[2], "A scenario's name cannot hold a comma, a quote or an exclamation mark");
    assert.match(check.names[3]!, /two scenarios are named BASE/i);
    assert.equal(checkCohortScenarios(withScenarios(renameScenario(baseDrafts(), 0, "x".repeat(25)))).names[0], "A scenario's name is at most 24 characters");
  });

  it("give the settings' scenarios as the model's schema takes them: numbers, names trimmed, the active one by name", () => {
    let drafts = addScenario(addScenario(baseDrafts()));
    drafts = setOverride(drafts, 1, "revenue", "45");
    drafts = setOverride(drafts, 1, "timing", "end");
    drafts = renameScenario(drafts, 2, " Low churn ");
    drafts = setOverride(drafts, 2, "horizon", "48");
    const check = checkCohortScenarios(withScenarios(drafts));
    assert.deepEqual(check.all, []);
    const fields = scenarioFields(check, 2);
    assert.deepEqual(fields, {
      scenarios: [
        { name: "Base", overrides: {} },
        { name: "Optimistic", overrides: { revenue: 45, timing: "end" } },
        { name: "Low churn", overrides: { horizon: 48 } },
      ],
      activeScenario: "Low churn",
    });
    const cohorts = assumedCohorts({ kind: "assumptions", cohorts: 3, customersPerCohort: 100, curve: { kind: "constant", retention: 0.8 } });
    const settings = cohortInputSchema.parse({ cohorts, revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 36, timing: "start", ...fields });
    assert.equal(settings.scenarios?.length, 3);
    // Restored from the settings, the drafts are what was typed, and check to the same.
    const restored = draftsFromSettings(settings.scenarios, settings.activeScenario);
    assert.equal(restored.active, 2);
    assert.deepEqual(restored.drafts.map((d) => [d.name, d.overrides]), [["Base", {}], ["Optimistic", { revenue: "45", timing: "end" }], ["Low churn", { horizon: "48" }]]);
    assert.deepEqual(scenarioFields(checkCohortScenarios(withScenarios(restored.drafts)), restored.active), fields);
    // The base alone, named Base: the settings as before scenarios. Renamed: a list of one.
    assert.deepEqual(scenarioFields(checkCohortScenarios(withScenarios(baseDrafts())), 0), {});
    assert.deepEqual(scenarioFields(checkCohortScenarios(withScenarios(renameScenario(baseDrafts(), 0, "Plan"))), 0), { scenarios: [{ name: "Plan", overrides: {} }], activeScenario: "Plan" });
    assert.deepEqual(draftsFromSettings(undefined, undefined).drafts.map((d) => d.name), ["Base"]);
  });
});

describe("switching the active scenario in the workbook", () => {
  async function twoScenarioModel() {
    const workbook = sampleWorkbook();
    const host = previewHost(workbook, memoryStore());
    const assumptions: Assumptions = { kind: "assumptions", cohorts: 6, customersPerCohort: 1000, curve: { kind: "sbg", alpha: 0.7, beta: 1.2 } };
    const settings = cohortInputSchema.parse({
      cohorts: assumedCohorts(assumptions),
      revenue: 30,
      margin: 0.7,
      cac: 120,
      annualDiscount: 0.1,
      period: "month",
      horizon: 24,
      timing: "start",
      scenarios: [
        { name: "Base", overrides: {} },
        { name: "Optimistic", overrides: { revenue: 45 } },
      ],
    });
    const built = buildCohortPlan(settings, { ...assumedParams(assumptions.curve), logLikelihood: undefined, fittedOn: "2026-01-01" });
    const applied = await host.applyPlan(built.plan);
    return { workbook, host, built, applied };
  }
  const clvOnSheet = (workbook: ReturnType<typeof sampleWorkbook>, sheet = COHORT_SHEET) => workbook.engine.getNamedExpressionValue("CLV_NewCustomer", workbook.sheetId(sheet)) as number;

  it("writes the scenario's name into the model sheet's ActiveScenario, as text, and the model recalculates for it", async () => {
    const { workbook, host, built, applied } = await twoScenarioModel();
    assert.ok(Math.abs(clvOnSheet(workbook) - built.scenarioModels[0]!.clvNewCustomer) < 1e-6);
    assert.equal(await writeActiveScenario(host, applied.written, COHORT_SHEET, "Optimistic"), true);
    assert.equal(workbook.values(COHORT_SHEET, "B3")[0]![0], "Optimistic");
    const want = built.scenarioModels[1]!.clvNewCustomer;
    assert.ok(Math.abs(clvOnSheet(workbook) - want) < 1e-6 * Math.abs(want), `${clvOnSheet(workbook)} vs ${want}`);
    assert.notEqual(built.scenarioModels[0]!.clvNewCustomer, want);
    assert.equal(await writeActiveScenario(host, applied.written, COHORT_SHEET, "Base"), true);
    assert.ok(Math.abs(clvOnSheet(workbook) - built.scenarioModels[0]!.clvNewCustomer) < 1e-6);
  });

  it("writes nothing, and says to rebuild, when the model's sheet is gone or renamed or no model was built", async () => {
    const { workbook, host, applied } = await twoScenarioModel();
    assert.equal(await writeActiveScenario(host, undefined, COHORT_SHEET, "Optimistic"), false);
    assert.equal(await writeActiveScenario(host, applied.written, "Another model", "Optimistic"), false);
    const before = workbook.engine.getSheetSerialized(workbook.sheetId(COHORT_SHEET));
    workbook.engine.renameSheet(workbook.sheetId(COHORT_SHEET), "Renamed");
    workbook.engine.addSheet(COHORT_SHEET); // a user's sheet that took the name: never written
    assert.equal(await writeActiveScenario(host, applied.written, COHORT_SHEET, "Optimistic"), false);
    assert.deepEqual(workbook.engine.getSheetSerialized(workbook.sheetId("Renamed")), before);
    assert.equal(workbook.values(COHORT_SHEET, "B3")[0]![0], null);
    // A record from before scenarios (no ActiveScenario name on the sheet).
    const old = { ...applied.written, sheets: applied.written.sheets.map((s) => ({ ...s, names: s.names.filter((n) => n !== "ActiveScenario") })) };
    assert.equal(await writeActiveScenario(host, old, COHORT_SHEET, "Optimistic"), false);
  });

  it("reads sheet-qualified addresses as Excel gives them", () => {
    assert.deepEqual(splitAddress("'It''s a model'!$B$3"), ["It's a model", "B3"]);
    assert.deepEqual(splitAddress("Model!B3"), ["Model", "B3"]);
  });
});
