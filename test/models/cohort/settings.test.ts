import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COHORT_SETTINGS_VERSION, MAX_SETTINGS_TEXT, readCohortSettings } from "../../../src/models/cohort/settings";

const economics = { revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 36, timing: "start" };
const written = { modelId: "cohort", instance: "abcdefgh12345678", sheets: [{ key: "Cohort model", name: "Cohort model", footprint: ["A1:B17", "C27:Z30"], names: ["Alpha"], tables: ["LifetimeCohorts"], charts: [] }] };
const text = (blob: unknown) => JSON.stringify(blob);

describe("cohort model settings saved in a workbook", () => {
  it("read back a version-2 blob, from a range or from assumptions, with what was written", () => {
    const range = { version: 2, source: { kind: "range", address: "Data!A1:I8" }, economics, sheetName: "Cohort model", written };
    assert.deepEqual(readCohortSettings(text(range)).settings, range);
    const assumptions = { version: 2, source: { kind: "assumptions", cohorts: 12, customersPerCohort: 1000, curve: { kind: "sbg", alpha: 0.7, beta: 1.2 } }, economics };
    assert.deepEqual(readCohortSettings(text(assumptions)).settings, assumptions);
    assert.deepEqual(readCohortSettings(undefined), {});
  });

  it("upgrade a version-1 blob without a record of its sheet, and say that Build writes a new one", () => {
    const v1 = { version: 1, source: { kind: "range", address: "Data!A1:I8" }, economics, sheetName: "Cohort model" };
    const { settings, problem, newer } = readCohortSettings(text(v1));
    assert.deepEqual(settings, { ...v1, version: 2 });
    assert.equal(settings?.written, undefined);
    assert.equal(newer, undefined);
    assert.match(problem!, /earlier Lifetime, which did not mark its sheet: Build writes the model to a new sheet/);
  });

  it("report a blob that fails validation, naming the field", () => {
    const blob = { version: 2, source: { kind: "range", address: "Data!A1:I8" }, economics: { ...economics, margin: 70 } };
    const { settings, problem } = readCohortSettings(text(blob));
    assert.equal(settings, undefined);
    assert.match(problem!, /economics\.margin: margin must be between 0 and 1.*left unchanged/);
    assert.match(readCohortSettings("{not json").problem!, /could not be read \(not JSON\)/);
    assert.match(readCohortSettings(text({ version: 2, source: { kind: "range", address: "x".repeat(301) }, economics })).problem!, /longer than 300/);
    assert.match(readCohortSettings(text({ ...blob, economics, written: { ...written, instance: "=HYPERLINK()" } })).problem!, /written\.instance/);
  });

  it("mark a blob from a newer Lifetime as one to leave alone", () => {
    const { settings, problem, newer } = readCohortSettings(text({ version: COHORT_SETTINGS_VERSION + 1, anything: "new" }));
    assert.equal(settings, undefined);
    assert.equal(newer, true);
    assert.match(problem!, /newer version of Lifetime \(settings version 3; this one reads up to 2\).*nothing will be written over it/);
  });

  it("do not parse a blob longer than the limit", () => {
    const huge = `{"version":2,"pad":"${"x".repeat(MAX_SETTINGS_TEXT)}"}`;
    const { settings, problem } = readCohortSettings(huge);
    assert.equal(settings, undefined);
    assert.match(problem!, /characters long, more than Lifetime reads/);
  });
});

describe("the record of what was written", () => {
  it("refuses a footprint no model writes (it would clear a whole sheet)", () => {
    const blob = { version: 2, source: { kind: "range", address: "Data!A1:I8" }, economics, written: { ...written, sheets: [{ ...written.sheets[0], footprint: ["A1:XFD1048576"] }] } };
    assert.match(readCohortSettings(JSON.stringify(blob)).problem!, /written\.sheets\.0\.footprint: the model's cells number more than 3,000,000/);
  });
});
