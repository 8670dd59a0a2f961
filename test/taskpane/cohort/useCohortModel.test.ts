import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assumedCohorts, assumedParams, type Assumptions } from "../../../src/models/cohort/assumptions";
import { buildCohortPlan, cohortInputSchema } from "../../../src/models/cohort/cohortPlan";
import { checkCohortScenarios, cohortResult, cohortScenarioRows, describeIssues, formFromSettings, type BuiltCohort } from "../../../src/taskpane/cohort/useCohortModel";

/** The pane's wording of what a model's schema refuses. */
describe("schema messages in the pane", () => {
  const base = { revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 36, timing: "start" };
  const issues = (input: unknown) => {
    const parsed = cohortInputSchema.safeParse(input);
    assert.equal(parsed.success, false);
    return parsed.error!.issues;
  };

  it("name the cohort and the period a count is about, in words", () => {
    const cohorts = [{ label: "2025-01", customers: 100, survivors: [60, -3] }];
    assert.equal(describeIssues(issues({ ...base, cohorts }), ["2025-01"]), "Cohort 2025-01, period 2: must be 0 or more");
  });

  it("keep messages already written for people, and say how many more there are", () => {
    const cohorts = [{ label: "2025-01", customers: 100, survivors: [60, 70] }];
    assert.equal(describeIssues(issues({ ...base, cohorts }), ["2025-01"]), "Cohort 2025-01: period 2 has 70 customers, more than 60 before; counts never rise");
    const many = describeIssues(issues({ ...base, revenue: -1, margin: 3, cac: -1, horizon: 0, cohorts }));
    assert.match(many, /^Revenue per customer must be 0 or more; Gross margin must be between 0 and 1 \(40% is 0\.4\); Acquisition cost \(CAC\) must be 0 or more \(and \d+ more\)$/);
  });
});

describe("the cohort pane's scenarios", () => {
  const assumptions: Assumptions = { kind: "assumptions", cohorts: 6, customersPerCohort: 1000, curve: { kind: "constant", retention: 0.85 } };
  const scenarioSettings = () =>
    cohortInputSchema.parse({
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
        { name: "Optimistic", overrides: { revenue: 45, horizon: 36 } },
        { name: "Pessimistic", overrides: { margin: 0.5 } },
      ],
      activeScenario: "Optimistic",
    });

  it("show the chosen scenario's results, its charts over its own horizon, and every scenario's for the comparison", () => {
    const settings = scenarioSettings();
    const fit = { ...assumedParams(assumptions.curve), logLikelihood: undefined, fittedOn: "" };
    const { scenarioModels } = buildCohortPlan(settings, fit);
    const built: BuiltCohort = { settings, fit, constantRetention: 0.85, models: scenarioModels, sheetName: "Cohort model" };
    const optimistic = cohortResult(built, 1);
    assert.equal(optimistic.active, 1);
    assert.equal(optimistic.clvNewCustomer, scenarioModels[1]!.clvNewCustomer);
    assert.equal(optimistic.customerEquity, scenarioModels[1]!.customerEquity);
    assert.equal(optimistic.charts[1]!.series[0]!.points.length, 36, "the margin chart runs over the scenario's own horizon");
    assert.deepEqual(optimistic.scenarios.map((s) => s.name), ["Base", "Optimistic", "Pessimistic"]);
    assert.deepEqual(optimistic.scenarios.map((s) => s.clvNewCustomer), scenarioModels.map((m) => m.clvNewCustomer));
    // Each is the core's model of the settings with the scenario applied.
    const pessimistic = cohortResult(built, 2);
    const direct = buildCohortPlan({ ...settings, scenarios: undefined, activeScenario: undefined, margin: 0.5 }, fit).model;
    assert.ok(Math.abs(pessimistic.clvNewCustomer - direct.clvNewCustomer) < 1e-9 * Math.abs(direct.clvNewCustomer));
    assert.equal(pessimistic.charts[1]!.series[0]!.points.length, 24);
    assert.equal(cohortResult(built, 9).active, 0, "an index out of range shows the base");
  });

  it("restore the scenarios and the active one from saved settings", () => {
    const { cohorts: _c, ...economics } = scenarioSettings();
    void _c;
    const form = formFromSettings({ version: 2, source: assumptions, economics });
    assert.deepEqual(form.scenarios.map((d) => [d.name, d.overrides]), [["Base", {}], ["Optimistic", { revenue: "45", horizon: "36" }], ["Pessimistic", { margin: "0.5" }]]);
    assert.equal(form.activeScenario, 1);
    assert.deepEqual(checkCohortScenarios(form).all, []);
    // The rows show the base's values as the form has them.
    assert.deepEqual(cohortScenarioRows(form).map((r) => [r.key, r.base]), [["revenue", "30"], ["margin", "0.7"], ["cac", "120"], ["annualDiscount", "0.1"], ["horizon", "24"], ["timing", "Start"]]);
  });
});
