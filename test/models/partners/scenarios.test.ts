import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { programResults, type PartnerTerms } from "../../../src/core/partners/program";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { buildPartnerPlan, PARTNER_COMPARISON_SHEET, PARTNER_SHEET, partnerInputSchema, type PartnerInput, type PartnerModelSettings } from "../../../src/models/partners/partnerPlan";
import { readValues, recalculateWithLibreOffice, type ReadCell } from "../../support/libreoffice";
import { withCell } from "../../support/plans";

/**
 * Scenarios of the referral-partner model, recalculated by LibreOffice Calc: each scenario's
 * column of the comparison equals the core's program for that scenario's inputs (computed
 * here from the core directly); with ActiveScenario changed in the file, the model sheet's
 * program results equal that column. Two curves: the sBG (α and β overridden) and a
 * constant retention (overridden), with tiers, caps and held bounties in the partners table.
 */
const partner = (name: string, terms: Partial<PartnerInput>): PartnerInput => ({ name, customersPerPeriod: 10, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1, ...terms });
const partners: PartnerInput[] = [
  partner("Lifetime 20%", { rate: 0.2 }),
  partner("12 months at 25%, capped", { rate: 0.25, commissionPeriods: 12, cap: 60, customersPerPeriod: 6 }),
  partner("Bounty held 3 months", { rate: 0.1, bounty: 120, holdPeriods: 3, churnMultiplier: 1.4 }),
  partner("Tiers, all units", { tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "all" }, customersPerPeriod: 12, commissionPeriods: 6 }),
  partner("Progressive", { tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "progressive" }, customersPerPeriod: 30, churnMultiplier: 0.8 }),
  partner("One tier", { tiers: { starts: [0], rates: [0.12], method: "progressive" }, customersPerPeriod: 5 }),
];
const economics = { revenue: 50, margin: 0.7, annualDiscount: 0.1, period: "month" as const, horizon: 24, acquisitionPeriods: 12, paidCac: 180, timing: "start" as const, partners };

const cases: [string, PartnerModelSettings, number[]][] = [
  [
    "an sBG curve, alpha and beta overridden",
    {
      ...economics,
      curve: { kind: "sbg", alpha: 0.9, beta: 2.6 },
      scenarios: [
        { name: "Base", overrides: {} },
        { name: "Better retention", overrides: { beta: 4, horizon: 36 } },
        { name: "Price cut", overrides: { revenue: 40, margin: 0.6, alpha: 1.2, timing: "end" } },
      ],
    },
    [0.9, 0.9, 1.2],
  ],
  [
    "a constant retention, overridden",
    {
      ...economics,
      curve: { kind: "constant", retention: 0.85 },
      scenarios: [
        { name: "Base", overrides: {} },
        { name: "Sticky", overrides: { retention: 0.92, acquisitionPeriods: 24 } },
        { name: "Churny", overrides: { retention: 0.7, annualDiscount: 0.2, paidCac: 90 } },
      ],
      activeScenario: "Sticky",
    },
    [],
  ],
];

const monthly = (annual: number) => Math.pow(1 + annual, 1 / 12) - 1;
/** The core's program of a scenario, from its inputs written out here (not through the plan's helpers). */
function coreProgram(s: PartnerModelSettings, j: number) {
  const o = s.scenarios![j]!.overrides;
  const curve = s.curve.kind === "constant" ? { kind: "constant" as const, retention: o.retention ?? s.curve.retention } : { kind: "sbg" as const, alpha: o.alpha ?? (s.curve as { alpha: number }).alpha, beta: o.beta ?? (s.curve as { beta: number }).beta };
  return programResults(
    {
      revenue: o.revenue ?? s.revenue,
      margin: o.margin ?? s.margin,
      curve,
      discountRate: monthly(o.annualDiscount ?? s.annualDiscount),
      horizon: o.horizon ?? s.horizon,
      acquisitionPeriods: o.acquisitionPeriods ?? s.acquisitionPeriods,
      paidCac: o.paidCac ?? s.paidCac,
      timing: o.timing ?? s.timing,
    },
    s.partners.map((p): PartnerTerms => ({ ...p })),
  );
}

const close = (got: ReadCell | undefined, want: number | string) =>
  typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;

const built = cases.map(([, settings]) => buildPartnerPlan(settings, { withExpected: true }));
let values: Map<string, Map<string, ReadCell>>[] = [];
let switched: Map<string, ReadCell>[] = [];

before(async () => {
  const files = recalculateWithLibreOffice([...(await Promise.all(built.map((b) => writeXlsx(b.plan)))), await writeXlsx(withCell(built[0]!.plan, "B3", "Price cut"))]);
  values = await Promise.all(built.map(async (b, i) => new Map(await Promise.all(b.plan.sheets.map(async (sheet) => [sheet.name, await readValues(files[i]!, sheet.name)] as const)))));
  switched = [await readValues(files[built.length]!, PARTNER_SHEET)];
});

describe("partner model scenarios (LibreOffice Calc)", { timeout: 600_000 }, () => {
  cases.forEach(([name, settings], k) => {
    it(`${name}: every cell of every sheet equals the core`, () => {
      let checked = 0;
      const wrong: string[] = [];
      for (const [sheet, expected] of built[k]!.expectedBySheet) {
        const got = values[k]!.get(sheet)!;
        for (const [address, want] of expected) {
          checked++;
          if (!close(got.get(address), want)) wrong.push(`${sheet}!${address}: expected ${want}, LibreOffice computed ${JSON.stringify(got.get(address))}`);
        }
      }
      assert.ok(checked > 300, `${checked} cells checked`);
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${checked} cells differ`);
    });

    it(`${name}: the comparison's program net value, commission and each partner's net value are the core's for every scenario`, () => {
      const sheet = built[k]!.plan.sheets.at(-1)!;
      assert.equal(sheet.name, PARTNER_COMPARISON_SHEET);
      const row = (n: string) => Number(/\$(\d+):/.exec(sheet.names.find((x) => x.name === n)!.ref)![1]);
      const comparison = values[k]!.get(PARTNER_COMPARISON_SHEET)!;
      const programs = settings.scenarios!.map((_, j) => coreProgram(settings, j));
      programs.forEach((program, j) => {
        const column = "BCD"[j]!;
        assert.ok(close(comparison.get(`${column}${row("Scenario_ProgramNetValue")}`), program.netValue), `net value ${j}`);
        assert.ok(close(comparison.get(`${column}${row("Scenario_ProgramCommission")}`), program.commission), `commission ${j}`);
        partners.forEach((p, i) => assert.ok(close(comparison.get(`${column}${row("Scenario_ProgramROI") + 2 + i}`), program.partners[i]!.netValue), `${p.name} in ${j}`));
      });
      assert.notEqual(programs[0]!.netValue, programs[1]!.netValue);
      assert.notEqual(programs[0]!.netValue, programs[2]!.netValue);
    });
  });

  it("the active scenario drives the model sheet: Sticky as built, Price cut when the file's ActiveScenario says so", () => {
    const sheet = built[1]!.plan.sheets[0]!;
    const at = (n: string) => sheet.names.find((x) => x.name === n)!.ref.replace(/\$/g, "");
    assert.ok(close(values[1]!.get(PARTNER_SHEET)!.get(at("ProgramNetValue")), coreProgram(cases[1]![1], 1).netValue));
    const first = built[0]!.plan.sheets[0]!;
    const netAt = first.names.find((x) => x.name === "ProgramNetValue")!.ref.replace(/\$/g, "");
    assert.ok(close(switched[0]!.get(netAt), coreProgram(cases[0]![1], 2).netValue));
    const comparison = values[0]!.get(PARTNER_COMPARISON_SHEET)!;
    const row = Number(/\$(\d+):/.exec(built[0]!.plan.sheets.at(-1)!.names.find((x) => x.name === "Scenario_ProgramNetValue")!.ref)![1]);
    assert.ok(close(switched[0]!.get(netAt), comparison.get(`D${row}`) as number));
  });

  it("refuses a retention override on an sBG curve, alpha on a constant one, and a scenario whose churn makes retention negative", () => {
    const message = (s: PartnerModelSettings) => {
      const parsed = partnerInputSchema.safeParse(s);
      return parsed.success ? "accepted" : parsed.error.issues.map((i) => i.message).join("; ");
    };
    const base = cases[0]![1];
    assert.match(message({ ...base, scenarios: [{ name: "Base", overrides: {} }, { name: "X", overrides: { retention: 0.9 } }] }), /this model's curve is the sBG/);
    assert.match(message({ ...cases[1]![1], activeScenario: undefined, scenarios: [{ name: "Base", overrides: {} }, { name: "X", overrides: { alpha: 2 } }] }), /this model's retention is constant/);
    assert.match(message({ ...cases[1]![1], activeScenario: undefined, scenarios: [{ name: "Base", overrides: {} }, { name: "X", overrides: { retention: 0.2 } }] }), /scenario X: .*negative/);
  });
});
