import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cohortInputSchema } from "../../../src/models/cohort/cohortPlan";
import { describeIssues } from "../../../src/taskpane/cohort/useCohortModel";

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
