import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { programResults, type PartnerTerms } from "../../../src/core/partners/program";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { buildPartnerPlan, PARTNER_SHEET, type PartnerInput, type PartnerModelSettings } from "../../../src/models/partners/partnerPlan";
import { readValues, recalculateWithLibreOffice, type ReadCell } from "../../support/libreoffice";
import { withCell } from "../../support/plans";

/**
 * The partner model's tornado of the program's net value, recalculated by LibreOffice Calc:
 * each input's low and high output equals the core's program (programResults, its commission
 * in closed form) with that input moved, to 1e-9; the sorted table and its names follow the
 * swings; a TornadoStep typed in the file moves every figure.
 */
const partner = (name: string, terms: Partial<PartnerInput>): PartnerInput => ({ name, customersPerPeriod: 10, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1, ...terms });
const partners: PartnerInput[] = [
  partner("Lifetime 20%", { rate: 0.2 }),
  partner("12 months at 25%, capped", { rate: 0.25, commissionPeriods: 12, cap: 60, customersPerPeriod: 6 }),
  partner("Bounty held 3 months", { rate: 0.1, bounty: 120, holdPeriods: 3, churnMultiplier: 1.4 }),
  partner("Tiers", { tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "progressive" }, customersPerPeriod: 30, churnMultiplier: 0.8, cap: 400 }),
];
const economics = { revenue: 50, margin: 0.7, annualDiscount: 0.1, period: "month" as const, horizon: 30, acquisitionPeriods: 12, paidCac: 180, timing: "start" as const, partners };
const cases: [string, PartnerModelSettings][] = [
  ["an sBG curve", { ...economics, curve: { kind: "sbg", alpha: 0.9, beta: 2.6 } }],
  ["a constant retention of 95% (moved up, capped at 100%), payments at the end, a step of 20%", { ...economics, timing: "end", tornadoStep: 0.2, curve: { kind: "constant", retention: 0.95 } }],
];

/** The core's program net value with one input replaced, written out here from the settings. */
function netValue(s: PartnerModelSettings, change: Partial<Record<"revenue" | "margin" | "paidCac" | "annualDiscount" | "retention" | "alpha" | "beta", number>>): number {
  const curve = s.curve.kind === "constant" ? { kind: "constant" as const, retention: Math.min(1, change.retention ?? s.curve.retention) } : { kind: "sbg" as const, alpha: change.alpha ?? (s.curve as { alpha: number }).alpha, beta: change.beta ?? (s.curve as { beta: number }).beta };
  const annual = change.annualDiscount ?? s.annualDiscount;
  return programResults(
    { revenue: change.revenue ?? s.revenue, margin: change.margin ?? s.margin, curve, discountRate: Math.pow(1 + annual, 1 / 12) - 1, horizon: s.horizon, acquisitionPeriods: s.acquisitionPeriods, paidCac: change.paidCac ?? s.paidCac, timing: s.timing },
    s.partners.map((p): PartnerTerms => ({ ...p })),
  ).netValue;
}

const built = cases.map(([, s]) => buildPartnerPlan(s, { withExpected: true }));
/** A move that leaves the model's domain: retention 0.5 lowered by 10% with a partner churning 1.9 times as fast goes negative. */
const outside: PartnerModelSettings = { ...economics, partners: [...partners.slice(0, 2), partner("Fast churn", { rate: 0.1, churnMultiplier: 1.9 })], curve: { kind: "constant", retention: 0.5 } };
const outsideBuilt = buildPartnerPlan(outside, { withExpected: true });
let outsideValues: Map<string, ReadCell> = new Map();
let values: Map<string, ReadCell>[] = [];

before(async () => {
  const stepCell = built[0]!.plan.sheets[0]!.names.find((n) => n.name === "TornadoStep")!.ref.replace(/\$/g, "");
  const files = recalculateWithLibreOffice([...(await Promise.all(built.map((b) => writeXlsx(b.plan)))), await writeXlsx(withCell(built[0]!.plan, stepCell, 0.3)), await writeXlsx(outsideBuilt.plan)]);
  values = await Promise.all(files.slice(0, 3).map((f) => readValues(f, PARTNER_SHEET)));
  outsideValues = await readValues(files[3]!, PARTNER_SHEET);
});

const close = (got: ReadCell | undefined, want: number) => typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));

describe("the partner model's tornado (LibreOffice Calc)", { timeout: 600_000 }, () => {
  cases.forEach(([name, s], k) => {
    it(`${name}: each input's program net value, moved down and up, equals the core's`, () => {
      const sheet = built[k]!.plan.sheets[0]!;
      const range = (n: string) => sheet.names.find((x) => x.name === n)!.ref.replace(/\$/g, "");
      const cells = (n: string) => {
        const [from, to] = range(n).split(":") as [string, string];
        const column = from.replace(/\d+/g, "");
        return Array.from({ length: Number(to.replace(/\D/g, "")) - Number(from.replace(/\D/g, "")) + 1 }, (_, i) => values[k]!.get(`${column}${Number(from.replace(/\D/g, "")) + i}`));
      };
      const step = s.tornadoStep ?? 0.1;
      const labels = cells("Tornado_Inputs") as string[];
      const low = cells("Tornado_Low");
      const high = cells("Tornado_High");
      const keys: Record<string, "revenue" | "margin" | "paidCac" | "annualDiscount" | "retention" | "alpha" | "beta"> = { Revenue: "revenue", Margin: "margin", "Paid CAC": "paidCac", "Annual discount rate": "annualDiscount", Retention: "retention", Alpha: "alpha", Beta: "beta" };
      const baseValue = (key: string): number => (key === "retention" || key === "alpha" || key === "beta" ? (s.curve as unknown as Record<string, number>)[key]! : (s as unknown as Record<string, number>)[key]!);
      assert.equal(labels.length, s.curve.kind === "constant" ? 5 : 6);
      const swings: number[] = [];
      labels.forEach((label, i) => {
        const key = keys[label]!;
        const want = [netValue(s, { [key]: baseValue(key) * (1 - step) }), netValue(s, { [key]: baseValue(key) * (1 + step) })];
        assert.ok(close(low[i], want[0]!), `${label} lower: ${JSON.stringify(low[i])} against ${want[0]}`);
        assert.ok(close(high[i], want[1]!), `${label} higher: ${JSON.stringify(high[i])} against ${want[1]}`);
        swings.push(Math.abs(want[1]! - want[0]!));
      });
      // Sorted by swing; the paid CAC does not enter the net value: its swing is 0, last.
      assert.deepEqual([...swings].sort((a, b) => b - a), swings);
      assert.equal(labels.at(-1), "Paid CAC");
      assert.equal(swings.at(-1), 0);
      const checked = [...built[k]!.expected.keys()].length;
      assert.ok(checked > 100);
    });
  });

  it("a move that leaves the model's domain is n/a and ranked last; the other inputs still sort, as the core sorts them", () => {
    const wrong: string[] = [];
    for (const [address, want] of outsideBuilt.expected) {
      const got = outsideValues.get(address);
      const ok = typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;
      if (!ok) wrong.push(`${address}: ${JSON.stringify(got)} against ${want}`);
    }
    assert.deepEqual(wrong.slice(0, 10), []);
    const sheet = outsideBuilt.plan.sheets[0]!;
    const [from, to] = sheet.names.find((x) => x.name === "Tornado_Inputs")!.ref.replace(/\$/g, "").split(":") as [string, string];
    const labels = Array.from({ length: Number(to.slice(1)) - Number(from.slice(1)) + 1 }, (_, i) => outsideValues.get(`A${Number(from.slice(1)) + i}`));
    assert.equal(labels.at(-1), "Retention");
    assert.ok(labels.slice(0, -1).every((l) => typeof l === "string"), JSON.stringify(labels));
  });

  it("a TornadoStep of 30% typed in the file moves every figure as the core does", () => {
    const s = cases[0]![1];
    const sheet = built[0]!.plan.sheets[0]!;
    const first = Number(sheet.names.find((x) => x.name === "Tornado_Low")!.ref.replace(/^\$B\$(\d+).*$/, "$1"));
    const revenueRow = [0, 1, 2, 3, 4, 5].map((i) => first + i).find((r) => values[2]!.get(`A${r}`) === "Revenue")!;
    assert.ok(close(values[2]!.get(`B${revenueRow}`), netValue(s, { revenue: 35 })));
    assert.ok(close(values[2]!.get(`C${revenueRow}`), netValue(s, { revenue: 65 })));
  });
});
