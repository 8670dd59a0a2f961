import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { registerLtvFunctions } from "../../../src/host/preview/customFunctions";
import { previewHost, PreviewWorkbook } from "../../../src/host/preview/previewHost";
import { buildPartnerPlan, type PartnerInput, type PartnerModelSettings } from "../../../src/models/partners/partnerPlan";
import { loadBuiltFunctions } from "../../support/customFunctions";

/**
 * The partner model in the preview: the plan applied to the preview workbook, computed by
 * its formula engine, every result cell equal to the core's; an input out of its domain is
 * refused when typed and, pasted over, turns the results into errors until it is put back.
 */
before(() => {
  registerLtvFunctions(loadBuiltFunctions());
});

const partner = (name: string, terms: Partial<PartnerInput>): PartnerInput => ({ name, customersPerPeriod: 10, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1, ...terms });
const settings: PartnerModelSettings = {
  revenue: 50,
  margin: 0.7,
  annualDiscount: 0.1,
  period: "month",
  horizon: 24,
  acquisitionPeriods: 12,
  paidCac: 180,
  timing: "start",
  curve: { kind: "sbg", alpha: 0.9, beta: 2.6 },
  partners: [
    partner("Lifetime 20%", { rate: 0.2 }),
    partner("Held bounty, capped", { rate: 0.25, commissionPeriods: 12, cap: 60, bounty: 120, holdPeriods: 3, churnMultiplier: 1.4 }),
    partner("=1+1", { tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "progressive" }, customersPerPeriod: 30, churnMultiplier: 0.8 }),
    partner("All-units", { tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "all" }, customersPerPeriod: 12, commissionPeriods: 6 }),
  ],
};

function memoryStore() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

describe("the partner model in the preview workbook", () => {
  it("computes every result cell as the core does, and guards itself when an input is edited out of its domain", async () => {
    const workbook = new PreviewWorkbook();
    workbook.engine.addSheet("Data");
    const host = previewHost(workbook, memoryStore());
    const { plan, expected } = buildPartnerPlan(settings, { withExpected: true });
    await host.applyPlan(plan);
    const values = (address: string) => workbook.values("Partner model", address)[0]![0];
    const wrong: string[] = [];
    for (const [address, want] of expected) {
      const got = values(address);
      const ok = typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;
      if (!ok) wrong.push(`${address}: expected ${want}, the preview computed ${JSON.stringify(got)}`);
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${expected.size} cells differ`);
    assert.equal(values("A" + (Number(/\d+/.exec(plan.sheets[0]!.names.find((n) => n.name === "Partner_Names")!.ref)![0]) + 2)), "=1+1");

    // Margin is edited in the scenario table's base column (G); column B holds the value in use.
    const margin = plan.sheets[0]!.names.find((n) => n.name === "Margin")!.ref.replace(/\$/g, "").replace("B", "G");
    const netValue = plan.sheets[0]!.names.find((n) => n.name === "ProgramNetValue")!.ref.replace(/\$/g, "");
    const before = values(netValue);
    // Typed in, the validation refuses it; pasted over (which bypasses validation), the results turn to #N/A.
    assert.deepEqual(workbook.enter("Partner model", margin, "70"), { title: "Margin: not accepted", message: "Margin must be a fraction from 0 to 1 (60% is 0.6)." });
    workbook.setCells("Partner model", margin, [[70]]);
    assert.equal((values(netValue) as { value?: string }).value, "#N/A");
    assert.match(String(values(plan.sheets[0]!.names.find((n) => n.name === "InputCheck")!.ref.replace(/\$/g, ""))), /^Margin must be a fraction/);
    workbook.setCells("Partner model", margin, [[0.7]]);
    assert.equal(values(netValue), before);
  });
});
