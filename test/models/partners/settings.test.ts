import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { previewHost } from "../../../src/host/preview/previewHost";
import { sampleWorkbook } from "../../../src/host/preview/sampleWorkbook";
import { buildPartnerPlan, partnerInputSchema } from "../../../src/models/partners/partnerPlan";
import { VALIDATION_MESSAGE_MAX, VALIDATION_TITLE_MAX } from "../../../src/models/plan";
import { MAX_SETTINGS_TEXT, PARTNER_SETTINGS_KEY, PARTNER_SETTINGS_VERSION, readPartnerSettings } from "../../../src/models/partners/settings";

const economics = { revenue: 50, margin: 0.7, curve: { kind: "constant", retention: 0.9 }, annualDiscount: 0.1, period: "month", horizon: 36, acquisitionPeriods: 12, paidCac: 150, timing: "start" };
const partners = [
  { name: "Lifetime 20%", customersPerPeriod: 10, rate: 0.2, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1 },
  { name: "Held bounty, capped", customersPerPeriod: 6, rate: 0.1, commissionPeriods: 12, bounty: 90, holdPeriods: 3, cap: 60, churnMultiplier: 1.2 },
  { name: "Progressive", customersPerPeriod: 30, tiers: { starts: [0, 10, 25], rates: [0.1, 0.15, 0.2], method: "progressive" }, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 0.8 },
];
const written = { modelId: "partners", instance: "abcdefgh12345678", sheets: [{ key: "Partner model", name: "Partner model", footprint: ["A1:B30", "C40:AM60"], names: ["InputCheck", "Revenue"], tables: ["LifetimePartners"], charts: [] }] };
const text = (blob: unknown) => JSON.stringify(blob);

describe("partner model settings saved in a workbook", () => {
  it("are kept under their own key, at version 1", () => {
    assert.equal(PARTNER_SETTINGS_KEY, "partnerModel");
    assert.equal(PARTNER_SETTINGS_VERSION, 1);
  });

  it("read back the economics, every kind of partner terms, and what was written", () => {
    const blob = { version: 1, economics, partners, sheetName: "Partner model", written };
    assert.deepEqual(readPartnerSettings(text(blob)), { settings: blob });
    const sbg = { version: 1, economics: { ...economics, curve: { kind: "sbg", alpha: 0.9, beta: 2.6 } }, partners };
    assert.deepEqual(readPartnerSettings(text(sbg)).settings, sbg);
    const linked = { version: 1, economics: { ...economics, curve: { kind: "linked", sheet: "Cohort model", alphaCell: "$B$14", betaCell: "$B$15", alpha: 0.7, beta: 1.2 } }, partners };
    assert.deepEqual(readPartnerSettings(text(linked)).settings, linked);
    assert.deepEqual(readPartnerSettings(undefined), {});
    assert.deepEqual(readPartnerSettings(""), {});
  });

  it("report a blob that fails validation, naming the field, and leave it unchanged", () => {
    const margin = readPartnerSettings(text({ version: 1, economics: { ...economics, margin: 70 }, partners }));
    assert.equal(margin.settings, undefined);
    assert.match(margin.problem!, /^The saved partner-model settings in this workbook could not be read \(economics\.margin: margin must be between 0 and 1.*They were left unchanged\.$/);
    const rate = readPartnerSettings(text({ version: 1, economics, partners: [{ ...partners[0], rate: 20 }] }));
    assert.match(rate.problem!, /partners\.0\.rate: the commission rate is a fraction of revenue, at most 1/);
    const tiers = readPartnerSettings(text({ version: 1, economics, partners: [{ ...partners[2], tiers: { starts: [5, 10], rates: [0.1, 0.2], method: "all" } }] }));
    assert.match(tiers.problem!, /partners\.0\.tiers\.starts\.0: the first tier must start at 0/);
    assert.match(readPartnerSettings(text({ version: 1, economics, partners: [] })).problem!, /partners: there are no partners/);
    assert.match(readPartnerSettings(text({ version: 1, economics, partners, sheetName: "x".repeat(32) })).problem!, /sheetName/);
    assert.match(readPartnerSettings(text({ version: 1, economics, partners, written: { ...written, instance: "=HYPERLINK()" } })).problem!, /written\.instance/);
    assert.match(readPartnerSettings("{not json").problem!, /could not be read \(not JSON\)\. They were left unchanged/);
    assert.match(readPartnerSettings(text({ economics, partners })).problem!, /version/);
  });

  it("mark a blob from a newer Lifetime as one to leave alone", () => {
    const { settings, problem, newer } = readPartnerSettings(text({ version: PARTNER_SETTINGS_VERSION + 1, anything: "new" }));
    assert.equal(settings, undefined);
    assert.equal(newer, true);
    assert.match(problem!, /partner model was made with a newer version of Lifetime \(settings version 2; this one reads up to 1\).*nothing will be written over it/);
  });

  it("do not parse a blob longer than the limit", () => {
    const { settings, problem } = readPartnerSettings(`{"version":1,"pad":"${"x".repeat(MAX_SETTINGS_TEXT)}"}`);
    assert.equal(settings, undefined);
    assert.match(problem!, /partner-model settings in this workbook are [\d,]+ characters long, more than Lifetime reads \(2,000,000\)/);
  });

  it("refuse a record of what was written that no model writes (it would clear a whole sheet)", () => {
    const blob = { version: 1, economics, partners, written: { ...written, sheets: [{ ...written.sheets[0], footprint: ["A1:XFD1048576"] }] } };
    assert.match(readPartnerSettings(text(blob)).problem!, /written\.sheets\.0\.footprint: the model's cells number more than 3,000,000/);
  });

  it("read back the record of what a built model wrote: its validations within Excel's limits", async () => {
    const settings = partnerInputSchema.parse({ ...economics, partners });
    const { plan } = buildPartnerPlan(settings);
    for (const v of plan.sheets[0]!.validations ?? []) {
      assert.ok(v.prompt.title.length <= VALIDATION_TITLE_MAX && v.error.title.length <= VALIDATION_TITLE_MAX, `${v.range}: ${v.error.title}`);
      assert.ok(v.prompt.message.length <= VALIDATION_MESSAGE_MAX && v.error.message.length <= VALIDATION_MESSAGE_MAX, v.range);
    }
    const applied = await previewHost(sampleWorkbook(), { getItem: () => null, setItem: () => undefined }).applyPlan(plan);
    const blob = { version: 1, economics, partners, sheetName: applied.sheetNames[0], written: applied.written };
    assert.deepEqual(readPartnerSettings(text(blob)), { settings: blob });
  });
});
