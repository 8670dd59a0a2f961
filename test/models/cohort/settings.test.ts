import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readCohortSettings } from "../../../src/models/cohort/settings";

const economics = { revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 36, timing: "start" };

describe("cohort model settings saved in a workbook", () => {
  it("read back a version-1 blob, from a range or from assumptions", () => {
    const range = { version: 1, source: { kind: "range", address: "Data!A1:I8" }, economics, sheetName: "Cohort model" };
    assert.deepEqual(readCohortSettings(range).settings, range);
    const assumptions = { version: 1, source: { kind: "assumptions", cohorts: 12, customersPerCohort: 1000, curve: { kind: "sbg", alpha: 0.7, beta: 1.2 } }, economics };
    assert.deepEqual(readCohortSettings(assumptions).settings, assumptions);
    assert.deepEqual(readCohortSettings(undefined), {});
  });
  it("report a blob that fails validation, naming the field, without changing it", () => {
    const blob = { version: 1, source: { kind: "range", address: "Data!A1:I8" }, economics: { ...economics, margin: 70 } };
    const copy = structuredClone(blob);
    const { settings, problem } = readCohortSettings(blob);
    assert.equal(settings, undefined);
    assert.match(problem!, /economics\.margin: margin must be between 0 and 1/);
    assert.deepEqual(blob, copy);
    assert.match(readCohortSettings("{not json").problem!, /could not be read/);
    assert.match(readCohortSettings({ version: 2 }).problem!, /version/);
  });
});
