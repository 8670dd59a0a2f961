import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assumedCohorts, assumedParams } from "../../../src/models/cohort/assumptions";
import { sbgRetention } from "../../../src/core/retention/shiftedBetaGeometric";

describe("cohorts from assumptions", () => {
  it("a constant retention is the sBG limit: every r_t within 1e-6 of r over 600 periods", () => {
    const params = assumedParams({ kind: "constant", retention: 0.85 });
    for (const t of [1, 2, 12, 120, 600]) assert.ok(Math.abs(sbgRetention(params, t) - 0.85) < 1e-6, `r_${t}`);
  });
  it("one cohort a period, the oldest first, with the curve's expected survivors", () => {
    const cohorts = assumedCohorts({ kind: "assumptions", cohorts: 4, customersPerCohort: 1000, curve: { kind: "constant", retention: 0.9 } });
    assert.deepEqual(cohorts.map((c) => c.survivors.length), [3, 2, 1, 0]);
    cohorts[0]!.survivors.forEach((n, t) => assert.ok(Math.abs(n - 1000 * 0.9 ** (t + 1)) < 1e-3));
    assert.equal(cohorts[3]!.label, "This period");
  });
});
