import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { customerLifetimeValue } from "../../../src/core/clv";
import { commissionCost } from "../../../src/core/commission";
import { LifetimeError } from "../../../src/core/errors";
import { programResults, type PartnerTerms, type ProgramEconomics } from "../../../src/core/partners/program";
import { sbgRetention } from "../../../src/core/retention/shiftedBetaGeometric";
import { relativeError } from "../../support/fixtures";

const economics: ProgramEconomics = {
  revenue: 50,
  margin: 0.7,
  curve: { kind: "sbg", alpha: 0.7, beta: 2.4 },
  discountRate: 1.1 ** (1 / 12) - 1,
  horizon: 36,
  acquisitionPeriods: 12,
  paidCac: 180,
  timing: "start",
};

const partners: PartnerTerms[] = [
  { name: "Lifetime 20%", customersPerPeriod: 8, rate: 0.2, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1 },
  { name: "Bounty held", customersPerPeriod: 5, rate: 0.1, commissionPeriods: 12, bounty: 60, holdPeriods: 3, cap: 40, churnMultiplier: 1.3 },
  { name: "=HYPERLINK(\"x\")", customersPerPeriod: 30, tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "progressive" }, commissionPeriods: 6, bounty: 20, holdPeriods: 0, churnMultiplier: 0.8 },
];

describe("a referral-partner program", () => {
  const result = programResults(economics, partners);
  const base = Array.from({ length: 36 }, (_, i) => sbgRetention({ alpha: 0.7, beta: 2.4 }, i + 1));

  it("values a referred customer as LTV.CLV and LTV.COMMISSION_COST do, under the partner's churn", () => {
    partners.forEach((p, i) => {
      const r = result.partners[i]!;
      const retention = base.map((x) => 1 - p.churnMultiplier * (1 - x));
      const clv = customerLifetimeValue({ margin: 0.7 * 50, retention, discountRate: economics.discountRate, periods: 36, timing: "start" });
      assert.ok(relativeError(r.margin, clv) < 1e-13, p.name);
      const rate = p.rate ?? (10 * 0.15 + 15 * 0.2 + 5 * 0.3) / 30;
      assert.ok(relativeError(r.rate, rate) < 1e-15);
      const cost = commissionCost({ revenue: 50, retention, discountRate: economics.discountRate, rate, commissionPeriods: p.commissionPeriods, bounty: p.bounty, holdPeriods: p.holdPeriods, cap: p.cap, periods: 36, timing: "start" });
      assert.ok(relativeError(r.commission, cost.total) < 1e-13);
      assert.ok(relativeError(r.netValue, clv - cost.total) < 1e-12);
    });
  });

  it("finds a break-even rate at which the referred customer is worth a paid one", () => {
    const paid = customerLifetimeValue({ margin: 35, retention: base, discountRate: economics.discountRate, periods: 36, timing: "start", acquisitionCost: 180 });
    assert.ok(relativeError(result.paidCustomerValue, paid) < 1e-13);
    partners.forEach((p, i) => {
      const r = result.partners[i]!;
      const retention = base.map((x) => 1 - p.churnMultiplier * (1 - x));
      const at = commissionCost({ revenue: 50, retention, discountRate: economics.discountRate, rate: r.breakevenRate!, commissionPeriods: p.commissionPeriods, bounty: p.bounty, holdPeriods: p.holdPeriods, periods: 36, timing: "start" });
      assert.ok(Math.abs(r.margin - at.total - paid) < 1e-9, `${p.name}: ${r.margin - at.total} vs ${paid}`);
    });
  });

  it("adds the program up cohort by cohort, each discounted to today", () => {
    partners.forEach((p, i) => {
      const r = result.partners[i]!;
      let commission = 0;
      let net = 0;
      for (let j = 0; j < 12; j++) {
        commission += (p.customersPerPeriod * r.commission) / (1 + economics.discountRate) ** j;
        net += (p.customersPerPeriod * r.netValue) / (1 + economics.discountRate) ** j;
      }
      assert.ok(relativeError(r.totalCommission, commission) < 1e-13);
      assert.ok(relativeError(r.totalNetValue, net) < 1e-13);
      assert.equal(r.customersReferred, p.customersPerPeriod * 12);
    });
    assert.ok(relativeError(result.roi!, result.netValue / result.commission) < 1e-15);
    assert.deepEqual(
      result.partners.map((r) => r.rank),
      [...result.partners].map((r) => 1 + result.partners.filter((o) => o.totalNetValue > r.totalNetValue).length),
    );
  });

  it("pays back when the cumulative margin net of percentage commissions covers the expected bounty", () => {
    const r = result.partners[1]!;
    const retention = base.map((x) => 1 - 1.3 * (1 - x));
    let alive = 1;
    let paid = 0;
    let cumulative = 0;
    let payback: number | undefined;
    const bounty = (60 * retention[0]! * retention[1]! * retention[2]!) / (1 + economics.discountRate) ** 3;
    for (let k = 1; k <= 36; k++) {
      const pay = k <= 12 ? Math.min(5, 40 - paid) : 0;
      paid += pay;
      cumulative += (alive * (35 - pay)) / (1 + economics.discountRate) ** (k - 1);
      alive *= retention[k - 1]!;
      if (payback === undefined && cumulative >= bounty) payback = k;
    }
    assert.equal(r.paybackPeriod, payback);
  });

  it("refuses a churn multiplier that makes retention negative, naming the partner and the period", () => {
    assert.throws(
      () => programResults({ ...economics, curve: { kind: "constant", retention: 0.6 } }, [{ ...partners[0]!, name: "Fast churn", churnMultiplier: 3 }]),
      (e: unknown) => e instanceof LifetimeError && /^Fast churn: a churn multiplier of 3 makes retention negative in period 1/.test(e.message),
    );
  });
});
