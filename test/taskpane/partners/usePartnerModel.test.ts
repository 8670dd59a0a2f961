import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CellSet, planFootprint } from "../../../src/host/cells";
import { previewHost, type PreviewWorkbook } from "../../../src/host/preview/previewHost";
import { sampleWorkbook } from "../../../src/host/preview/sampleWorkbook";
import { assumedCohorts, assumedParams, type Assumptions } from "../../../src/models/cohort/assumptions";
import { buildCohortPlan } from "../../../src/models/cohort/cohortPlan";
import { COHORT_SETTINGS_KEY, COHORT_SETTINGS_VERSION } from "../../../src/models/cohort/settings";
import { partnerCharts } from "../../../src/models/partners/charts";
import { buildPartnerPlan, PARTNER_SHEET, partnerProgram, type PartnerModelSettings } from "../../../src/models/partners/partnerPlan";
import { PARTNER_SETTINGS_KEY, readPartnerSettings } from "../../../src/models/partners/settings";
import { OccupiedCellsError } from "../../../src/models/written";
import { addScenario, baseDrafts, setOverride, writeActiveScenario } from "../../../src/taskpane/common/scenarioDrafts";
import {
  buildPartnerModel,
  checkPartnerForm,
  defaultPartnerForm,
  duplicatePartner,
  findCohortModel,
  formFromSettings,
  newPartner,
  nextPartnerName,
  partnerResultFor,
  partnerScenarioRows,
  type PartnerForm,
  type PartnerRow,
} from "../../../src/taskpane/partners/usePartnerModel";

/** The partner builder's logic, without React: checking what was typed, the settings it stands for, Build and Rebuild on the preview's workbook. */
const partner = (name: string, terms: Partial<PartnerRow> = {}): PartnerRow => ({ ...newPartner(name), ...terms });

/** Three partners on different terms: a lifetime rate; a held bounty with a capped rate; progressive tiers. */
const threePartners = (): PartnerForm => ({
  ...defaultPartnerForm(),
  acquisitionPeriods: "12",
  partners: [
    partner("Lifetime 20%", { rate: "0.2" }),
    partner("Held bounty, capped", { customersPerPeriod: "6", rate: "0.1", commissionPeriods: "12", bounty: "90", holdPeriods: "3", cap: "60", churnMultiplier: "1.2" }),
    partner("Progressive tiers", { customersPerPeriod: "30", commission: "tiers", method: "progressive", tiers: [{ start: "0", rate: "0.1" }, { start: "10", rate: "0.15" }, { start: "25", rate: "0.2" }], churnMultiplier: "0.8" }),
  ],
});

const expectedSettings: PartnerModelSettings = {
  partners: [
    { name: "Lifetime 20%", customersPerPeriod: 10, rate: 0.2, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1 },
    { name: "Held bounty, capped", customersPerPeriod: 6, rate: 0.1, commissionPeriods: 12, bounty: 90, holdPeriods: 3, cap: 60, churnMultiplier: 1.2 },
    { name: "Progressive tiers", customersPerPeriod: 30, tiers: { starts: [0, 10, 25], rates: [0.1, 0.15, 0.2], method: "progressive" }, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 0.8 },
  ],
  revenue: 50,
  margin: 0.7,
  curve: { kind: "constant", retention: 0.9 },
  annualDiscount: 0.1,
  period: "month",
  horizon: 36,
  acquisitionPeriods: 12,
  paidCac: 150,
  timing: "start",
};

function memoryStore() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

function preview() {
  const workbook = sampleWorkbook();
  const store = memoryStore();
  return { workbook, store, host: previewHost(workbook, store) };
}

const named = (workbook: PreviewWorkbook, sheet: string, name: string) => workbook.engine.getNamedExpressionValue(name, workbook.sheetId(sheet));

/** A cohort model from assumptions, built and saved as the cohort builder does. */
async function withCohortModel(host: ReturnType<typeof previewHost>, curve: Assumptions["curve"] = { kind: "sbg", alpha: 0.7, beta: 1.2 }) {
  const assumptions: Assumptions = { kind: "assumptions", cohorts: 12, customersPerCohort: 1000, curve };
  const settings = { cohorts: assumedCohorts(assumptions), revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month" as const, horizon: 36, timing: "start" as const };
  const { plan } = buildCohortPlan(settings, { ...assumedParams(curve), logLikelihood: undefined, fittedOn: "2026-01-01" });
  const applied = await host.applyPlan(plan);
  const { cohorts: _cohorts, ...economics } = settings;
  void _cohorts;
  await host.saveSettings(COHORT_SETTINGS_KEY, { version: COHORT_SETTINGS_VERSION, source: assumptions, economics, sheetName: applied.sheetNames[0], written: applied.written });
  return applied;
}

describe("the partner form's messages", () => {
  it("take the defaults and three partners on different terms as the model's settings", () => {
    const check = checkPartnerForm(defaultPartnerForm(), undefined);
    assert.deepEqual(check.all, []);
    assert.equal(check.settings?.acquisitionPeriods, 36, "an empty acquisition period is the horizon");
    assert.deepEqual(checkPartnerForm(threePartners(), undefined).settings, expectedSettings);
  });

  it("sit by the field, name the partner, and say the rule in words", () => {
    const form = threePartners();
    form.partners[0] = { ...form.partners[0]!, customersPerPeriod: "-1", rate: "20" };
    form.partners[1] = { ...form.partners[1]!, bounty: "", cap: "-5", churnMultiplier: "fast" };
    form.partners[2] = { ...form.partners[2]!, commissionPeriods: "1.5", tiers: [{ start: "0", rate: "0.1" }, { start: "x", rate: "1.5" }] };
    const check = checkPartnerForm(form, undefined);
    assert.equal(check.settings, undefined, "nothing to build while anything is wrong");
    assert.equal(check.partners[0]!.customersPerPeriod, "Lifetime 20%: customers per period must be 0 or more");
    assert.equal(check.partners[0]!.rate, "Lifetime 20%: the commission rate is a fraction of revenue, at most 1 (20% is 0.2)");
    assert.equal(check.partners[1]!.bounty, "Held bounty, capped: the bounty must be a number");
    assert.equal(check.partners[1]!.cap, "Held bounty, capped: the cap must be 0 or more");
    assert.equal(check.partners[1]!.churnMultiplier, "Held bounty, capped: the churn multiplier must be a number, not “fast”");
    assert.equal(check.partners[2]!.commissionPeriods, "Progressive tiers: commission periods must be a whole number");
    assert.deepEqual(check.partners[2]!.tierRows, [{}, { start: "Progressive tiers, tier 2: where it starts must be a number, not “x”", rate: "Progressive tiers, tier 2: its rate is a fraction of revenue, at most 1 (20% is 0.2)" }]);
    assert.equal(check.all.length, 8);
    // A rate field left empty while the partner is paid by tiers is not in play; an empty cap is no cap.
    const tiers = threePartners();
    tiers.partners[2] = { ...tiers.partners[2]!, rate: "" };
    tiers.partners[0] = { ...tiers.partners[0]!, cap: "" };
    assert.deepEqual(checkPartnerForm(tiers, undefined).all, []);
  });

  it("judge the partners together with the model's schema: names that repeat, a hold beyond the horizon, negative retention, tiers out of order", () => {
    const form = threePartners();
    form.retention = "0.5";
    form.partners[1] = { ...form.partners[1]!, name: " lifetime 20% ", holdPeriods: "40", churnMultiplier: "3" };
    form.partners[2] = { ...form.partners[2]!, tiers: [{ start: "0", rate: "0.1" }, { start: "10", rate: "0.15" }, { start: "5", rate: "0.2" }] };
    const check = checkPartnerForm(form, undefined);
    assert.equal(check.settings, undefined);
    assert.match(check.partners[1]!.name!, /^lifetime 20%.*(another partner is named Lifetime 20%|appears twice)/);
    assert.match(check.partners[1]!.holdPeriods!, /^lifetime 20%: the bounty is held 40 periods, beyond the horizon of 36/);
    assert.match(check.partners[1]!.churnMultiplier!, /^lifetime 20%: a churn multiplier of 3 makes retention negative in period 1/);
    assert.match(check.partners[2]!.tierRows[2]!.start!, /^Progressive tiers: tier 3 starts at 5, not above tier 2 \(10\)/);
    const unnamed = threePartners();
    unnamed.partners[1] = { ...unnamed.partners[1]!, name: "  " };
    assert.equal(checkPartnerForm(unnamed, undefined).partners[1]!.name, "Partner 2 needs a name");
  });

  it("put the field's label in the economics' messages, and check no more with a horizon the model does not take", () => {
    const form = { ...threePartners(), margin: "70", revenue: "", horizon: "1000000000", annualDiscount: "-2" };
    const started = performance.now();
    const check = checkPartnerForm(form, undefined);
    assert.ok(performance.now() - started < 500, "a horizon of a billion periods is not computed with");
    assert.equal(check.economics.margin, "Gross margin must be between 0 and 1 (70% is 0.7)");
    assert.equal(check.economics.revenue, "Revenue per customer must be a number");
    assert.equal(check.economics.horizon, "Horizon must be at most 600 periods");
    assert.equal(check.economics.annualDiscount, "Annual discount rate must be above -1");
    assert.equal(checkPartnerForm({ ...threePartners(), curve: "sbg", alpha: "0" }, undefined).economics.alpha, "Alpha must be above 0");
    assert.equal(checkPartnerForm({ ...threePartners(), acquisitionPeriods: "0" }, undefined).economics.acquisitionPeriods, "Acquisition periods must be at least 1");
    assert.match(checkPartnerForm({ ...threePartners(), partners: [] }, undefined).general[0]!, /Add a partner/);
  });

  it("take alpha and beta from the cohort model only when the workbook has one", () => {
    const form = { ...threePartners(), curve: "linked" as const };
    assert.match(checkPartnerForm(form, undefined).economics.curve!, /No cohort model built by Lifetime was found/);
    const link = { sheet: "Cohort model", alphaCell: "$B$14", betaCell: "$B$15", alpha: 0.7, beta: 1.2 };
    assert.deepEqual(checkPartnerForm(form, link).settings?.curve, { kind: "linked", ...link });
  });
});

describe("partners added, duplicated and restored", () => {
  it("name a new partner and a copy apart from the others", () => {
    const partners = [partner("Partner 1"), partner("Acme"), partner("Acme (copy)")];
    assert.equal(nextPartnerName(partners), "Partner 2");
    const copy = duplicatePartner(partners, 1);
    assert.equal(copy.name, "Acme (copy 2)");
    assert.notEqual(copy.key, partners[1]!.key);
    copy.tiers[0]!.rate = "0.9";
    assert.equal(partners[1]!.tiers[0]!.rate, "0.1", "a copy's tiers are its own");
  });

  it("restore the form from saved settings, to the same settings", () => {
    const restored = formFromSettings({ version: 1, economics: { ...expectedSettings, partners: undefined } as never, partners: expectedSettings.partners });
    assert.equal(restored.partners[2]!.commission, "tiers");
    assert.equal(restored.partners[1]!.cap, "60");
    assert.equal(restored.partners[0]!.cap, "");
    assert.deepEqual(checkPartnerForm(restored, undefined).settings, expectedSettings);
    const whole = formFromSettings({ version: 1, economics: { ...expectedSettings, acquisitionPeriods: 36 } as never, partners: expectedSettings.partners });
    assert.equal(whole.acquisitionPeriods, "", "acquisition over the whole horizon shows as the default");
  });
});

describe("the cohort model in the workbook", () => {
  it("is found by its saved record, its Alpha and Beta read through the host", async () => {
    const { host, workbook } = preview();
    assert.deepEqual(await findCohortModel(host), {});
    await withCohortModel(host);
    assert.deepEqual(await findCohortModel(host), { link: { sheet: "Cohort model", alphaCell: "$B$14", betaCell: "$B$15", alpha: 0.7, beta: 1.2 } });
    workbook.engine.renameSheet(workbook.sheetId("Cohort model"), "Renamed");
    const gone = await findCohortModel(host);
    assert.equal(gone.link, undefined);
    assert.match(gone.problem!, /cohort model Lifetime built on “Cohort model” was not found there/);
  });
});

describe("Build and Rebuild on the preview's workbook", () => {
  it("write the sheet, its InputCheck OK and its results the core's, save the settings, and rank the partners", async () => {
    const { host, workbook, store } = preview();
    const built = await buildPartnerModel(host, threePartners());
    assert.equal(built.result.sheetName, "Partner model");
    assert.equal(named(workbook, "Partner model", "InputCheck"), "OK");
    const program = partnerProgram(expectedSettings);
    assert.deepEqual(built.result.program, program);
    assert.ok(Math.abs((named(workbook, "Partner model", "ProgramNetValue") as number) - program.netValue) < 1e-6 * Math.abs(program.netValue));
    assert.deepEqual(built.result.ranked.map((p) => p.rank), [1, 2, 3]);
    assert.deepEqual(built.result.charts, partnerCharts(program));
    assert.equal(built.result.charts[0]!.kind, "column");
    assert.deepEqual(built.result.charts[0]!.categories, built.result.ranked.map((p) => p.name));
    const saved = readPartnerSettings(store.items.get(`lifetime:${PARTNER_SETTINGS_KEY}`));
    assert.deepEqual(saved.settings?.partners, expectedSettings.partners);
    assert.equal(saved.settings?.sheetName, "Partner model");
    assert.deepEqual(saved.settings?.written, built.written);
  });

  it("write nothing while the form has anything wrong", async () => {
    const { host, workbook, store } = preview();
    const form = threePartners();
    form.partners[1] = { ...form.partners[1]!, bounty: "-1" };
    await assert.rejects(buildPartnerModel(host, form), /Held bounty, capped: the bounty must be 0 or more/);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data"]);
    assert.equal(store.items.size, 0);
  });

  it("rebuild in place, asking before writing over the user's cells", async () => {
    const { host, workbook } = preview();
    const first = await buildPartnerModel(host, threePartners());
    // Fewer partners: the same sheet, rebuilt.
    const two = { ...threePartners(), partners: threePartners().partners.slice(0, 2) };
    const second = await buildPartnerModel(host, two, { previous: first.written });
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Partner model"]);
    assert.equal(named(workbook, "Partner model", "InputCheck"), "OK");
    assert.equal(second.result.ranked.length, 2);
    // A user's note where the three-partner model needs a cell the two-partner one left empty: refused until the user agrees.
    const footprint = (partners: number) => CellSet.of(planFootprint(buildPartnerPlan({ ...expectedSettings, partners: expectedSettings.partners.slice(0, partners) }).plan.sheets[0]!));
    const rect = footprint(3).minus(footprint(2)).rects()[0]!;
    const target = `${String.fromCharCode(64 + rect.left)}${rect.top}`;
    assert.ok(rect.left <= 26, target);
    workbook.setCells("Partner model", target, [["my note"]]);
    await assert.rejects(buildPartnerModel(host, threePartners(), { previous: second.written }), (e: unknown) => e instanceof OccupiedCellsError && e.cells.some((c) => c.content === "my note"));
    assert.equal(workbook.values("Partner model", target)[0]![0], "my note");
    await buildPartnerModel(host, threePartners(), { previous: second.written, overwrite: true });
    assert.notEqual(workbook.values("Partner model", target)[0]![0], "my note");
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Partner model"]);
  });

  it("reference the cohort model's alpha and beta live, as they are when it builds", async () => {
    const { host, workbook } = preview();
    await withCohortModel(host);
    workbook.setCells("Cohort model", "B14", [[0.9]]); // the user refits by hand
    const built = await buildPartnerModel(host, { ...threePartners(), curve: "linked" });
    const alphaRef = workbook.engine.getNamedExpressionFormula("Alpha", workbook.sheetId("Partner model"))!;
    const at = alphaRef.slice(alphaRef.lastIndexOf("!") + 1).replace(/\$/g, "");
    // The input in use (B) reads the scenario table, whose base (G) references the cohort sheet.
    assert.equal(workbook.content(workbook.sheetId("Partner model"), Number(at.slice(1)), 7), "='Cohort model'!$B$14");
    assert.equal(named(workbook, "Partner model", "InputCheck"), "OK");
    assert.deepEqual(built.result.program, partnerProgram({ ...expectedSettings, curve: { kind: "sbg", alpha: 0.9, beta: 1.2 } }));
    // Its sheet renamed, the cohort model cannot be found: nothing is built.
    workbook.engine.renameSheet(workbook.sheetId("Cohort model"), "Renamed");
    await assert.rejects(buildPartnerModel(host, { ...threePartners(), curve: "linked" }), /was not found there/);
  });
});

describe("the partner pane's scenarios", () => {
  const withScenarios = (form: PartnerForm, overrides: Record<string, string>[], active = 0): PartnerForm => {
    let drafts = baseDrafts();
    for (const o of overrides) {
      drafts = addScenario(drafts);
      for (const [key, text] of Object.entries(o)) drafts = setOverride(drafts, drafts.length - 1, key, text);
    }
    return { ...form, scenarios: drafts, activeScenario: active };
  };

  it("offer the curve's own parameters: retention for a constant curve, alpha and beta for the sBG or a linked one", () => {
    const keysOf = (form: PartnerForm, link?: Parameters<typeof partnerScenarioRows>[1]) => partnerScenarioRows(form, link).map((r) => r.key);
    assert.deepEqual(keysOf(threePartners()), ["revenue", "margin", "retention", "annualDiscount", "horizon", "acquisitionPeriods", "paidCac", "timing"]);
    assert.deepEqual(keysOf({ ...threePartners(), curve: "sbg" }), ["revenue", "margin", "alpha", "beta", "annualDiscount", "horizon", "acquisitionPeriods", "paidCac", "timing"]);
    const link = { sheet: "Cohort model", alphaCell: "$B$14", betaCell: "$B$15", alpha: 0.7, beta: 1.2 };
    const linked = partnerScenarioRows({ ...threePartners(), curve: "linked" }, link);
    assert.deepEqual(linked.filter((r) => r.key === "alpha" || r.key === "beta").map((r) => r.base), ["0.7000", "1.200"], "a linked curve's base is the cohort model's alpha and beta");
    assert.equal(partnerScenarioRows(threePartners()).find((r) => r.key === "acquisitionPeriods")!.base, "12");
    assert.equal(partnerScenarioRows(defaultPartnerForm()).find((r) => r.key === "acquisitionPeriods")!.base, "36", "empty: the horizon");
  });

  it("put the model's own complaints about a scenario by its cell, and build nothing until they are fixed", () => {
    // A bounty held 3 months, in a scenario of 2; a retention that is no fraction; a margin above 1.
    const form = withScenarios(threePartners(), [{ horizon: "2", retention: "1.5" }, { margin: "2" }]);
    const check = checkPartnerForm(form, undefined);
    assert.equal(check.settings, undefined);
    assert.equal(check.scenarios.cells[1]!.retention, "Retention must be between 0 and 1 (85% is 0.85)");
    assert.equal(check.scenarios.cells[2]!.margin, "Gross margin must be between 0 and 1 (70% is 0.7)");
    assert.ok(check.all.includes("Optimistic: Retention must be between 0 and 1 (85% is 0.85)"), check.all.join("; "));
    const held = checkPartnerForm(withScenarios(threePartners(), [{ horizon: "2" }]), undefined);
    assert.equal(held.settings, undefined);
    assert.match(held.scenarios.cells[1]!.horizon!, /^Horizon.*scenario Optimistic: Held bounty, capped's bounty is held 3 periods, beyond the scenario's horizon of 2/);
    assert.ok(held.all.some((m) => /^Optimistic: /.test(m)), held.all.join("; "));
  });

  it("build every scenario, compare their programs, and switch the pane and the sheet to another", async () => {
    const { host, workbook, store } = preview();
    const form = withScenarios(threePartners(), [{ revenue: "80", retention: "0.95" }, { margin: "0.4" }]);
    const check = checkPartnerForm(form, undefined);
    assert.deepEqual(check.all, []);
    assert.deepEqual(check.settings?.scenarios, [
      { name: "Base", overrides: {} },
      { name: "Optimistic", overrides: { revenue: 80, retention: 0.95 } },
      { name: "Pessimistic", overrides: { margin: 0.4 } },
    ]);
    const built = await buildPartnerModel(host, form);
    const programs = [expectedSettings, { ...expectedSettings, revenue: 80, curve: { kind: "constant" as const, retention: 0.95 } }, { ...expectedSettings, margin: 0.4 }].map(partnerProgram);
    assert.deepEqual(built.result.scenarios.map((s) => s.name), ["Base", "Optimistic", "Pessimistic"]);
    assert.deepEqual(built.result.scenarios.map((s) => s.program.netValue), programs.map((p) => p.netValue));
    assert.equal(built.result.active, 0);
    assert.ok(workbook.engine.getSheetNames().includes("Partner scenarios"), workbook.engine.getSheetNames().join(", "));
    const saved = readPartnerSettings(store.items.get(`lifetime:${PARTNER_SETTINGS_KEY}`)).settings!;
    assert.equal(saved.economics.scenarios?.length, 3, "the scenarios are saved with the model's settings");
    assert.deepEqual(formFromSettings(saved).scenarios.map((d) => d.overrides), [{}, { revenue: "80", retention: "0.95" }, { margin: "0.4" }]);
    // Switched to Optimistic: the sheet's ActiveScenario, its net value the scenario's; the card's results too.
    assert.equal(await writeActiveScenario(host, built.written, PARTNER_SHEET, "Optimistic"), true);
    const net = named(workbook, "Partner model", "ProgramNetValue") as number;
    assert.ok(Math.abs(net - programs[1]!.netValue) < 1e-6 * Math.abs(programs[1]!.netValue), `${net} vs ${programs[1]!.netValue}`);
    const shown = partnerResultFor(built.result, 1);
    assert.equal(shown.program.netValue, programs[1]!.netValue);
    assert.deepEqual(shown.charts, partnerCharts(programs[1]!));
    assert.deepEqual(shown.ranked.map((p) => p.rank), [1, 2, 3]);
  });
});
