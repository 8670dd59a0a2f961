import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { breakevenCommission, commissionCost, tierRate, type CommissionInput } from "../../src/core/commission";
import { LifetimeError } from "../../src/core/errors";
import { relativeError } from "../support/fixtures";

/**
 * An independent expectation, period by period: the chance S the customer is active, the
 * discount, what has been paid so far, exactly as the terms read. No closed form.
 */
function expectedByHand(input: CommissionInput, horizon: number): number {
  const R = (k: number) => (typeof input.revenue === "number" ? input.revenue : input.revenue[k - 1]!);
  const r = (k: number) => (typeof input.retention === "number" ? input.retention : input.retention[k - 1]!);
  const d = input.discountRate;
  const N = input.commissionPeriods ? Math.min(input.commissionPeriods, horizon) : horizon;
  let total = 0;
  let paid = 0;
  for (let k = 1; k <= N; k++) {
    let alive = 1;
    const last = input.timing === "start" ? k - 1 : k;
    for (let j = 1; j <= last; j++) alive *= r(j);
    const pay = Math.min(input.rate * R(k), (input.cap ?? Infinity) - paid);
    paid += pay;
    total += (pay * alive) / (1 + d) ** last;
  }
  const h = input.holdPeriods ?? 0;
  let held = 1;
  for (let j = 1; j <= h; j++) held *= r(j);
  return total + ((input.bounty ?? 0) * held) / (1 + d) ** h;
}

/** A seeded simulation: customers leave at random with the model's hazards; the mean of what each one was paid. */
function simulated(input: CommissionInput, horizon: number, customers: number, seed: number): { mean: number; standardError: number } {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const R = (k: number) => (typeof input.revenue === "number" ? input.revenue : input.revenue[k - 1]!);
  const r = (k: number) => (typeof input.retention === "number" ? input.retention : input.retention[k - 1]!);
  const N = input.commissionPeriods ? Math.min(input.commissionPeriods, horizon) : horizon;
  let sum = 0;
  let sumSquares = 0;
  for (let c = 0; c < customers; c++) {
    // The last period the customer is active at the end of: they stay from period j−1 to j with chance r(j).
    let lastActiveEnd = 0;
    while (lastActiveEnd < horizon && uniform() < r(lastActiveEnd + 1)) lastActiveEnd++;
    let value = 0;
    let paid = 0;
    for (let k = 1; k <= N; k++) {
      const payingPeriodEnd = input.timing === "start" ? k - 1 : k; // pays if active at the end of this period
      if (payingPeriodEnd > lastActiveEnd) break;
      const pay = Math.min(input.rate * R(k), (input.cap ?? Infinity) - paid);
      paid += pay;
      value += pay / (1 + input.discountRate) ** payingPeriodEnd;
    }
    const h = input.holdPeriods ?? 0;
    if (h <= lastActiveEnd) value += (input.bounty ?? 0) / (1 + input.discountRate) ** h;
    sum += value;
    sumSquares += value * value;
  }
  const mean = sum / customers;
  return { mean, standardError: Math.sqrt((sumSquares / customers - mean * mean) / customers) };
}

const example: CommissionInput = { revenue: 50, retention: 0.9, discountRate: 0.01, rate: 0.2, commissionPeriods: 12, bounty: 30, holdPeriods: 2 };

describe("commission cost of a referred customer", () => {
  it("prices the issue's example: 85.1323 = 61.3111 of percentage commissions + 23.8212 of expected bounty", () => {
    const cost = commissionCost(example);
    assert.equal(cost.total.toFixed(4), "85.1323");
    assert.equal(cost.percentage.toFixed(4), "61.3111");
    assert.equal(cost.bounty.toFixed(4), "23.8212");
  });

  const cases: [string, CommissionInput, number][] = [
    ["20% for 12 periods and a held bounty", example, 60],
    ["lifetime terms over a 36-period horizon, start timing", { revenue: 50, retention: 0.9, discountRate: 0.01, rate: 0.2, periods: 36, timing: "start" }, 36],
    ["a cap reached mid-period", { revenue: 50, retention: 0.93, discountRate: 0.008, rate: 0.3, periods: 48, cap: 100 }, 48],
    ["a cap reached mid-period, start timing, bounty at once", { revenue: 50, retention: 0.93, discountRate: 0.008, rate: 0.3, periods: 48, cap: 100, bounty: 25, timing: "start" }, 48],
    [
      "revenue and retention by period, a cap, a bounty held 3 periods",
      { revenue: [40, 45, 50, 55, 60, 60, 60, 70], retention: [0.6, 0.75, 0.8, 0.85, 0.88, 0.9, 0.9, 0.92], discountRate: 0.02, rate: 0.25, cap: 50, bounty: 40, holdPeriods: 3 },
      8,
    ],
    ["a bounty only, clawed back unless active after 6 periods", { revenue: 80, retention: 0.85, discountRate: 0.01, rate: 0, periods: 24, bounty: 100, holdPeriods: 6 }, 24],
  ];

  for (const [name, input, horizon] of cases) {
    it(`equals the expectation summed by hand and a simulation of 200,000 customers: ${name}`, () => {
      const cost = commissionCost(input);
      const byHand = expectedByHand(input, horizon);
      assert.ok(relativeError(cost.total, byHand) < 1e-12, `${cost.total} vs ${byHand}`);
      const sim = simulated(input, horizon, 200_000, 12345);
      assert.ok(Math.abs(cost.total - sim.mean) < 4 * sim.standardError, `${cost.total} vs simulated ${sim.mean} ± ${sim.standardError}`);
    });
  }

  it("pays only what the cap allows when it is below one period's commission, whatever the retention", () => {
    // Retention 0, start timing: the customer pays period 1 only; 20% of 100 capped at 10.
    for (const periods of [undefined, 12]) {
      const input: CommissionInput = { revenue: 100, retention: 0, discountRate: 0, rate: 0.2, cap: 10, timing: "start", periods };
      assert.equal(commissionCost(input).total, 10);
      assert.equal(commissionCost(input).total, expectedByHand(input, periods ?? 5));
    }
    assert.equal(commissionCost({ revenue: [100, 100], retention: [0, 0], discountRate: 0, rate: 0.2, cap: 10, timing: "start" }).total, 10);
  });

  it("uses the closed form for lifetime terms over an infinite horizon, and a finite sum under a cap", () => {
    const lifetime = commissionCost({ revenue: 50, retention: 0.9, discountRate: 0.01, rate: 0.2 });
    assert.ok(relativeError(lifetime.total, (0.2 * 50 * 0.9) / (1.01 - 0.9)) < 1e-14);
    const atStart = commissionCost({ revenue: 50, retention: 0.9, discountRate: 0.01, rate: 0.2, timing: "start" });
    assert.ok(relativeError(atStart.total, (0.2 * 50 * 1.01) / (1.01 - 0.9)) < 1e-14);
    const capped = commissionCost({ revenue: 50, retention: 0.99, discountRate: 0, rate: 0.2, cap: 1e9 });
    assert.ok(relativeError(capped.total, expectedByHand({ revenue: 50, retention: 0.99, discountRate: 0, rate: 0.2 }, 20_000)) < 1e-9);
    const cappedSoon = commissionCost({ revenue: 50, retention: 0.9, discountRate: 0.01, rate: 0.2, cap: 35 });
    assert.ok(relativeError(cappedSoon.total, expectedByHand({ revenue: 50, retention: 0.9, discountRate: 0.01, rate: 0.2, cap: 35 }, 10)) < 1e-13);
    assert.throws(() => commissionCost({ revenue: 50, retention: 1, discountRate: 0, rate: 0.2 }), (e: unknown) => e instanceof LifetimeError && e.code === "#NUM!" && /diverge/.test(e.message));
  });

  it("finds the break-even rate of the issue's example, 0.4116, at which the cost equals max_cost", () => {
    const terms = { revenue: 50, retention: 0.9, discountRate: 0.01, commissionPeriods: 12, bounty: 30, holdPeriods: 2 };
    const rate = breakevenCommission(terms, 150);
    assert.equal(rate.toFixed(4), "0.4116");
    assert.ok(relativeError(commissionCost({ ...example, rate }).total, 150) < 1e-13);
    assert.throws(() => breakevenCommission(terms, 20), (e: unknown) => e instanceof LifetimeError && e.code === "#N/A" && /bounty alone/.test(e.message));
  });

  it("refuses bad terms, naming the argument and the rule", () => {
    const refused = (input: Partial<CommissionInput>, pattern: RegExp) =>
      assert.throws(() => commissionCost({ ...example, ...input }), (e: unknown) => e instanceof LifetimeError && e.code === "#VALUE!" && pattern.test(e.message), String(pattern));
    refused({ rate: -0.1 }, /^commission_rate must be zero or more/);
    refused({ cap: -5 }, /^cap must be zero or more/);
    refused({ periods: 12, holdPeriods: 13 }, /^hold_periods \(13\) is beyond the horizon of 12 periods/);
    refused({ commissionPeriods: 2.5 }, /^commission_periods must be a whole number/);
    refused({ revenue: [50, 50], retention: [0.9, 0.9, 0.9] }, /^revenue has 2 values but the horizon is 3 periods/);
    refused({ bounty: -1 }, /^bounty must be zero or more/);
  });
});

describe("tiered commission rates", () => {
  const starts = [0, 10, 50];
  const rates = [0.2, 0.25, 0.3];
  it("all-units: the rate of the highest tier whose start is below the volume", () => {
    assert.deepEqual([0, 1, 10, 11, 50, 51, 1000].map((v) => tierRate(v, starts, rates, "all")), [0.2, 0.2, 0.2, 0.25, 0.25, 0.3, 0.3]);
  });
  it("progressive: each band at its own rate, as the effective rate", () => {
    assert.equal(tierRate(0, starts, rates, "progressive"), 0.2);
    assert.ok(relativeError(tierRate(30, starts, rates, "progressive"), (10 * 0.2 + 20 * 0.25) / 30) < 1e-15);
    assert.ok(relativeError(tierRate(60, starts, rates, "progressive"), (10 * 0.2 + 40 * 0.25 + 10 * 0.3) / 60) < 1e-15);
    assert.ok(relativeError(tierRate(10, starts, rates, "progressive"), 0.2) < 1e-15);
  });
  it("refuses tier tables with gaps in their order, not starting at 0, or of different lengths", () => {
    const refused = (s: number[], r: number[], pattern: RegExp) => assert.throws(() => tierRate(5, s, r), (e: unknown) => e instanceof LifetimeError && pattern.test(e.message), String(pattern));
    refused([5, 10], [0.1, 0.2], /must start at 0/);
    refused([0, 10, 10], [0.1, 0.2, 0.3], /must ascend: value 3 \(10\) is not above value 2 \(10\)/);
    refused([0, 10], [0.1], /same number of values; got 2 and 1/);
    refused([0, 10], [0.1, -0.2], /tier_rates \(value 2\) must be zero or more/);
  });
});
