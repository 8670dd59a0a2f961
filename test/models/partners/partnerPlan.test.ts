import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { buildCohortPlan } from "../../../src/models/cohort/cohortPlan";
import { buildPartnerPlan, partnerInputSchema, type PartnerInput, type PartnerModelSettings } from "../../../src/models/partners/partnerPlan";
import { parseAddress, VALIDATION_MESSAGE_MAX, VALIDATION_TITLE_MAX, type CellContent } from "../../../src/models/plan";
import { ECONOMICS, triangle } from "../../support/cohorts";
import { readValues, recalculateWithLibreOffice, type ReadCell } from "../../support/libreoffice";
import { withCell } from "../../support/plans";

/**
 * The partner model's formulas, computed by a real spreadsheet engine: each plan written to
 * .xlsx, recalculated by LibreOffice Calc, and every result cell compared with the core
 * (1e-9 relative); then inputs set out of their domain, where every result must be an error.
 */
const economics = { revenue: 50, margin: 0.7, annualDiscount: 0.1, period: "month" as const, horizon: 36, acquisitionPeriods: 12, paidCac: 180, timing: "start" as const };
const partner = (name: string, terms: Partial<PartnerInput>): PartnerInput => ({ name, customersPerPeriod: 10, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1, ...terms });

const partners: PartnerInput[] = [
  partner("Lifetime 20%", { rate: 0.2 }),
  partner("12 months at 25%, capped at 60", { rate: 0.25, commissionPeriods: 12, cap: 60, customersPerPeriod: 6 }),
  partner("Bounty at once", { rate: 0, bounty: 90, customersPerPeriod: 4 }),
  partner("Bounty held 3 months", { rate: 0.1, bounty: 120, holdPeriods: 3, churnMultiplier: 1.4 }),
  partner("=HYPERLINK(\"http://x\")", { tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "all" }, customersPerPeriod: 12, commissionPeriods: 6 }),
  partner("+1 progressive", { tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "progressive" }, customersPerPeriod: 30, churnMultiplier: 0.8 }),
  partner("@cmd one tier", { tiers: { starts: [0], rates: [0.12], method: "progressive" }, customersPerPeriod: 5 }),
  partner("-x no customers", { tiers: { starts: [0, 4], rates: [0.1, 0.2], method: "progressive" }, customersPerPeriod: 0 }),
];

const cases: [string, PartnerModelSettings][] = [
  ["every term type, an sBG curve, payments at the start", { ...economics, partners, curve: { kind: "sbg", alpha: 0.9, beta: 2.6 } }],
  ["constant retention, payments at the end, quarterly", { ...economics, period: "quarter", horizon: 16, acquisitionPeriods: 4, timing: "end", partners: partners.slice(0, 5), curve: { kind: "constant", retention: 0.85 } }],
  ["no discounting, a one-period horizon", { ...economics, annualDiscount: 0, horizon: 1, acquisitionPeriods: 3, partners: partners.slice(0, 3), curve: { kind: "constant", retention: 0.9 } }],
];

/** A cohort model beside it, whose α and β the partner model references live. */
const cohortSettings = { ...ECONOMICS, horizon: 24, cohorts: triangle(6, 800, 0.9, 2.2, 8) };
const cohortPlan = buildCohortPlan(cohortSettings, { alpha: 0.9, beta: 2.2, logLikelihood: -1, fittedOn: "2026-11-30" }).plan;
const linked: PartnerModelSettings = { ...economics, partners: partners.slice(0, 4), curve: { kind: "linked", sheet: "Cohort model", alphaCell: "$B$14", betaCell: "$B$15", alpha: 0.9, beta: 2.2 } };

let results: { expected: Map<string, number | string>; values: Map<string, ReadCell> }[] = [];
let guarded: { name: string; values: Map<string, ReadCell>; check: RegExp }[] = [];
const base = buildPartnerPlan(cases[0]![1], { withExpected: true });
/** The results: every expected cell but the check, the scenario's index and the inputs in use (B5:B17). */
const resultCells = [...base.expected.keys()].filter((a) => a !== "B" + base.plan.sheets[0]!.names.find((n) => n.name === "InputCheck")!.ref.replace(/\D/g, "") && a !== "C3" && !/^B([5-9]|1[0-7])$/.test(a));


/** Where a user edits an input: the scenario table's base column (G) for those scenarios override, else column B. */
const overridden = new Set(["Revenue", "Margin", "AnnualDiscount", "Horizon", "AcquisitionPeriods", "PaidCAC", "Timing", "Retention", "Alpha", "Beta"]);
const inputAt = (name: string) => base.plan.sheets[0]!.names.find((n) => n.name === name)!.ref.replace(/\$/g, "").replace(/^B/, overridden.has(name) ? "G" : "B");
const tableHeader = base.plan.sheets[0]!.writes.find((w) => w.values?.[0]?.[0] === "Partner")!.at;
const tableCell = (column: string, partnerIndex: number) => `${column}${parseAddress(tableHeader).row + 1 + partnerIndex}`;
const refused: [string, string, CellContent, RegExp][] = [
  ["Margin of 70", inputAt("Margin"), 70, /Margin must be a fraction/],
  ["Horizon above the built 36", inputAt("Horizon"), 40, /rebuild the model/],
  ["Timing of middle", inputAt("Timing"), "middle", /Timing must be/],
  ["a negative commission rate", tableCell("C", 0), -0.2, /commission rate is a fraction/],
  ["a rate and tiers both", tableCell("C", 4), 0.2, /both a commission rate and a tier method/],
  ["a hold beyond the horizon", tableCell("G", 3), 37, /hold period is a whole number from 0 to the horizon/],
  ["a cap below 0", tableCell("H", 1), -1, /a cap must be 0 or more/],
  ["a churn multiplier making retention negative", tableCell("I", 0), 9, /makes a partner's retention negative/],
  ["tiers out of order", "K" + (parseAddress(tableHeader).row + 5), -5, /first tier must start at 0|ascend/],
];

before(async () => {
  const built = await Promise.all(cases.map(async ([, settings]) => ({ ...buildPartnerPlan(settings, { withExpected: true }) })));
  const linkedPlan = buildPartnerPlan(linked, { withExpected: true });
  const files = await Promise.all([
    ...built.map((b) => writeXlsx(b.plan)),
    writeXlsx({ modelId: "partners", sheets: [...linkedPlan.plan.sheets, ...cohortPlan.sheets] }),
    ...refused.map(([, address, value]) => writeXlsx(withCell(base.plan, address, value))),
  ]);
  const recalculated = recalculateWithLibreOffice(files);
  const all = [...built, linkedPlan];
  results = await Promise.all(all.map(async (b, i) => ({ expected: b.expected, values: await readValues(recalculated[i]!, "Partner model") })));
  guarded = await Promise.all(refused.map(async ([name, , , check], k) => ({ name, check, values: await readValues(recalculated[all.length + k]!, "Partner model") })));
});

describe("partner model workbooks recalculated by LibreOffice Calc", { timeout: 600_000 }, () => {
  [...cases.map(([name]) => name), "α and β linked live to a cohort model's sheet"].forEach((name, index) => {
    it(`${name}: every result cell equals the core`, () => {
      const { expected, values } = results[index]!;
      assert.ok(expected.size > 40, `only ${expected.size} cells checked`);
      const wrong: string[] = [];
      for (const [address, want] of expected) {
        const got = values.get(address);
        const ok = typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;
        if (!ok) wrong.push(`${address}: expected ${want}, LibreOffice computed ${JSON.stringify(got)}`);
      }
      assert.deepEqual(wrong.slice(0, 12), [], `${wrong.length} of ${expected.size} cells differ`);
    });
  });

  it("keeps partner names that look like formulas as text", () => {
    const texts = new Set([...results[0]!.values.values()].filter((v) => typeof v === "string"));
    for (const name of ['=HYPERLINK("http://x")', "+1 progressive", "@cmd one tier", "-x no customers"]) assert.ok(texts.has(name), name);
  });

  for (const [name] of refused) {
    it(`answers errors, never numbers, with ${name}, and says what to fix`, () => {
      const g = guarded.find((x) => x.name === name)!;
      const check = g.values.get(inputAt("InputCheck"));
      assert.match(String(check), g.check);
      const numbers = resultCells.filter((a) => a !== inputAt("InputCheck") && typeof g.values.get(a) === "number" && !/^A/.test(a));
      assert.deepEqual(numbers.slice(0, 5), [], `${numbers.length} result cells still show numbers`);
    });
  }
});

describe("partner model validations", () => {
  it("keep their texts within Excel's limits (a title of 32 characters, a message of 255)", () => {
    for (const v of base.plan.sheets[0]!.validations ?? []) {
      for (const title of [v.prompt.title, v.error.title]) assert.ok(title.length <= VALIDATION_TITLE_MAX, `${title}: ${title.length} characters`);
      for (const message of [v.prompt.message, v.error.message]) assert.ok(message.length <= VALIDATION_MESSAGE_MAX, `${message}: ${message.length} characters`);
    }
  });
});

describe("partner model settings", () => {
  it("refuse duplicate names, a rate and tiers both, tiers not from 0, a hold beyond the horizon and a multiplier making retention negative", () => {
    const bad = partnerInputSchema.safeParse({
      ...economics,
      curve: { kind: "constant", retention: 0.6 },
      partners: [
        partner("A", { rate: 0.2 }),
        partner("a", { rate: 0.2 }),
        partner("B", { rate: 0.1, tiers: { starts: [0], rates: [0.1], method: "all" } }),
        partner("C", { tiers: { starts: [5, 10], rates: [0.1, 0.2], method: "all" } }),
        partner("D", { rate: 0.1, holdPeriods: 40 }),
        partner("E", { rate: 0.1, churnMultiplier: 3 }),
      ],
    });
    assert.equal(bad.success, false);
    const messages = bad.error!.issues.map((i) => i.message).join("\n");
    for (const m of [/a: another partner is named A; partner names must differ/, /B has both a commission rate and tiers/, /the first tier must start at 0/, /D: the bounty is held 40 periods, beyond the horizon of 36/, /E: a churn multiplier of 3 makes retention negative in period 1/]) assert.match(messages, m);
  });
});
