import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  acquisitionVersusRetention,
  AcquisitionVersusRetention,
  cacPayback,
  clvSchedule,
  customerLifetimeValue,
  geometricWeightSum,
  periodicRate,
  retentionRoi,
  type Timing,
} from "../../src/core/clv";
import { LifetimeError } from "../../src/core/errors";
import { bruteForceClv, relativeError } from "../support/bruteForce";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(relativeError(actual, expected) <= tolerance, `${actual} differs from ${expected} by ${relativeError(actual, expected)} relative`);

function throwsCode(fn: () => unknown, code: string, pattern?: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof LifetimeError, `expected a LifetimeError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

describe("customerLifetimeValue: the issue's worked examples", () => {
  it("=LTV.CLV(100, 0.8, 0.1) is 266.6667 (m r / (1 + d − r))", () => {
    close(customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1 }), 800 / 3);
  });
  it("with timing 1 (start of period) it is 366.6667 (m (1 + d) / (1 + d − r))", () => {
    close(customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1, timing: "start" }), 1100 / 3);
  });
  it("=LTV.CLV(100, 0.8, 0.1, 3) is 164.0872", () => {
    const value = customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1, periods: 3 });
    assert.equal(value.toFixed(4), "164.0872");
    close(value, 100 * (0.8 / 1.1 + 0.64 / 1.21 + 0.512 / 1.331));
  });
  it("a $5,000 website rebuilt every 3 years for 15 years: =LTV.CLV(5000, 1, 0, 5) is 25,000", () => {
    assert.equal(customerLifetimeValue({ margin: 5000, retention: 1, discountRate: 0, periods: 5 }), 25000);
  });
  it("$50 a purchase, 4 a year for 3 years: =LTV.CLV(200, 1, 0, 3) is 600", () => {
    assert.equal(customerLifetimeValue({ margin: 200, retention: 1, discountRate: 0, periods: 3 }), 600);
  });
  it("subtracts the acquisition cost", () => {
    close(customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1, acquisitionCost: 200 }), 800 / 3 - 200);
  });
});

describe("customerLifetimeValue: closed forms against a brute-force sum (1e-9 relative)", () => {
  const timings: Timing[] = ["end", "start"];

  it("the infinite-horizon closed forms equal the partial sums carried to convergence", () => {
    for (const timing of timings) {
      for (const [m, r, d] of [
        [100, 0.8, 0.1],
        [37.5, 0.95, 0.01],
        [1, 0.5, 0],
        [250, 0.99, 0.008],
        [10, 0, 0.05],
        [10, 1, 0.2],
      ] as const) {
        // Terms shrink like (r/(1+d))^t; 20,000 terms leave less than 1e-12 of the sum out.
        const brute = bruteForceClvLinear(m, r, d, 20000, timing);
        close(customerLifetimeValue({ margin: m, retention: r, discountRate: d, timing }), brute);
      }
    }
  });

  it("the finite-horizon closed form equals the sum, across random inputs, including q = r/(1+d) near 1", () => {
    fc.assert(
      fc.property(
        // Margins are amounts of money: subnormal doubles carry no relative precision to test.
        fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1000, noNaN: true }), fc.double({ min: -1000, max: -1e-6, noNaN: true })),
        fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.999999, 0.9999999999)),
        fc.oneof(fc.double({ min: -0.5, max: 1, noNaN: true }), fc.constantFrom(0, 1e-9, -1e-9)),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom<Timing>("end", "start"),
        (m, r, d, periods, timing) => {
          const closed = customerLifetimeValue({ margin: m, retention: r, discountRate: d, periods, timing });
          const brute = bruteForceClvLinear(m, r, d, periods, timing);
          // Relative to the sum of absolute terms: a sum that is nearly zero has no relative digits to lose.
          const scale = Math.abs(bruteForceClvLinear(Math.abs(m), r, d, periods, timing)) || 1;
          return Math.abs(closed - brute) <= 1e-9 * scale;
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("series inputs give the brute-force sum of the definition", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.constantFrom<Timing>("end", "start"),
        (margins, retentions, d, timing) => {
          const periods = margins.length;
          const value = customerLifetimeValue({ margin: margins, retention: retentions, discountRate: d, periods, timing });
          const brute = bruteForceClv((t) => margins[t - 1]!, (t) => retentions[t - 1]!, d, periods, timing);
          return relativeError(value, brute) <= 1e-9 || Math.abs(value - brute) < 1e-9;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("a constant series gives the closed form", () => {
    for (const timing of timings) {
      const series = customerLifetimeValue({ margin: Array(120).fill(80), retention: Array(120).fill(0.93), discountRate: 0.01, timing });
      const closed = customerLifetimeValue({ margin: 80, retention: 0.93, discountRate: 0.01, periods: 120, timing });
      close(series, closed);
    }
  });

  it("the geometric weight sum keeps its digits where q is within 1e-12 of 1", () => {
    // Σ_{t=1..T} q^t with q = 1 − ε, expanded: T − ε T(T+1)/2 + O(ε²).
    const eps = 1e-12;
    const periods = 1000;
    const expected = periods - (eps * periods * (periods + 1)) / 2;
    close(geometricWeightSum(1 - eps, 0, periods, "end"), expected, 1e-12);
  });
});

/** Term-by-term sum for constant inputs, with a running product (O(T)). */
function bruteForceClvLinear(m: number, r: number, d: number, periods: number, timing: Timing): number {
  let total = 0;
  let weight = 1;
  for (let t = 1; t <= periods; t++) {
    if (timing === "end") weight *= r / (1 + d);
    total += m * weight;
    if (timing === "start") weight *= r / (1 + d);
  }
  return total;
}

describe("customerLifetimeValue: monotonicity", () => {
  it("a higher retention or margin never lowers the value", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
        fc.constantFrom<Timing>("end", "start"),
        (m1, m2, r1, r2, d, periods, timing) => {
          const [mLow, mHigh] = m1 <= m2 ? [m1, m2] : [m2, m1];
          const [rLow, rHigh] = r1 <= r2 ? [r1, r2] : [r2, r1];
          const value = (m: number, r: number) => customerLifetimeValue({ margin: m, retention: r, discountRate: d, periods, timing });
          const slack = 1e-12 * Math.max(1, Math.abs(value(mHigh, rHigh)));
          return value(mLow, rLow) <= value(mHigh, rLow) + slack && value(mHigh, rLow) <= value(mHigh, rHigh) + slack;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("a longer horizon never lowers the value of a positive margin", () => {
    let previous = -Infinity;
    for (let periods = 1; periods <= 200; periods++) {
      const value = customerLifetimeValue({ margin: 50, retention: 0.9, discountRate: 0.02, periods });
      assert.ok(value >= previous);
      previous = value;
    }
    assert.ok(customerLifetimeValue({ margin: 50, retention: 0.9, discountRate: 0.02 }) >= previous);
  });
});

describe("customerLifetimeValue: bad input", () => {
  it("names the argument and the rule for a retention given as a percentage", () => {
    throwsCode(() => customerLifetimeValue({ margin: 100, retention: 80, discountRate: 0.1 }), "#VALUE!", /retention must be between 0 and 1 .*80% is 0\.8.*got 80/);
  });
  it("refuses a negative retention, a discount rate of −100% or less, and a percentage typed as a whole number", () => {
    throwsCode(() => customerLifetimeValue({ margin: 100, retention: -0.1, discountRate: 0.1 }), "#VALUE!", /retention/);
    throwsCode(() => customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: -1 }), "#VALUE!", /discount_rate/);
    throwsCode(() => customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 10 }), "#VALUE!", /10% is 0\.1/);
  });
  it("refuses a periods that is not a whole number of at least 1", () => {
    throwsCode(() => customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1, periods: 0 }), "#VALUE!", /periods must be at least 1/);
    throwsCode(() => customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1, periods: 2.5 }), "#VALUE!", /whole number/);
  });
  it("refuses a series shorter than the horizon, naming it", () => {
    throwsCode(() => customerLifetimeValue({ margin: [1, 2, 3], retention: 0.8, discountRate: 0.1, periods: 5 }), "#VALUE!", /margin has 3 values but the horizon is 5/);
    throwsCode(() => customerLifetimeValue({ margin: [1, 2, 3], retention: [0.9, 0.9], discountRate: 0.1 }), "#VALUE!", /retention has 2 values/);
  });
  it("gives #NUM! for a sum that diverges: infinite horizon, retention 1, discount 0", () => {
    throwsCode(() => customerLifetimeValue({ margin: 100, retention: 1, discountRate: 0 }), "#NUM!", /diverges/);
    throwsCode(() => customerLifetimeValue({ margin: 100, retention: 0.99, discountRate: -0.05 }), "#NUM!", /diverges/);
  });
  it("gives #NUM!, not infinity, for a value too large for double precision", () => {
    throwsCode(() => customerLifetimeValue({ margin: 1e308, retention: 0.999999, discountRate: 0 }), "#NUM!");
  });
});

describe("clvSchedule", () => {
  it("builds up to the CLV, period by period, for both timings", () => {
    for (const timing of ["end", "start"] as Timing[]) {
      const rows = clvSchedule({ margin: 100, retention: 0.8, discountRate: 0.1, periods: 3, acquisitionCost: 50, timing });
      assert.equal(rows.length, 3);
      assert.deepEqual(rows.map((r) => r[0]), [1, 2, 3]);
      close(rows[2]![4]!, customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1, periods: 3, acquisitionCost: 50, timing }));
      const first = rows[0]!;
      if (timing === "end") assert.deepEqual([first[1], first[2]], [0.8, 1 / 1.1]);
      else assert.deepEqual([first[1], first[2], first[3]], [1, 1, 100]);
    }
  });
  it("needs a finite horizon", () => {
    throwsCode(() => clvSchedule({ margin: 100, retention: 0.8, discountRate: 0.1 }), "#VALUE!", /periods is needed/);
  });
});

describe("cacPayback", () => {
  /** The least T with cumulative value ≥ cost, found by walking period by period. */
  function walk(m: number, r: number, d: number, cost: number, timing: Timing, limit = 100000): number | undefined {
    let cumulative = 0;
    for (let t = 1; t <= limit; t++) {
      // The t-th term of the sum: survival and discount as powers, not a running product.
      const exponent = timing === "end" ? t : t - 1;
      cumulative += (m * r ** exponent) / (1 + d) ** exponent;
      if (cumulative >= cost * (1 - 1e-12)) return t;
    }
    return undefined;
  }

  it("is exact where the arithmetic is: 300 repaid by 100 a period takes 3 periods", () => {
    assert.equal(cacPayback({ margin: 100, retention: 1, discountRate: 0, acquisitionCost: 300 }), 3);
    assert.equal(cacPayback({ margin: 100, retention: 1, discountRate: 0, acquisitionCost: 300, timing: "start" }), 3);
    assert.equal(cacPayback({ margin: 100, retention: 1, discountRate: 0, acquisitionCost: 301 }), 4);
  });
  it("agrees with a period-by-period walk across random constant inputs", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.double({ min: 1, max: 5000, noNaN: true }),
        fc.constantFrom<Timing>("end", "start"),
        (m, r, d, cost, timing) => {
          const expected = walk(m, r, d, cost, timing, 5000);
          let actual: number | undefined;
          try {
            actual = cacPayback({ margin: m, retention: r, discountRate: d, acquisitionCost: cost, timing });
          } catch (error) {
            if (!(error instanceof LifetimeError) || error.code !== "#N/A") throw error;
          }
          // A walk capped at 5,000 periods cannot see a later payback.
          return expected === undefined ? actual === undefined || actual > 5000 : actual === expected;
        },
      ),
      { numRuns: 1000 },
    );
  });
  it("agrees with the schedule for series", () => {
    const margins = [10, 20, 30, 40, 50, 60];
    const retentions = [0.9, 0.9, 0.8, 0.8, 0.8, 0.8];
    const rows = clvSchedule({ margin: margins, retention: retentions, discountRate: 0.01, acquisitionCost: 60 });
    const expected = rows.find((r) => r[4]! >= 0)![0];
    assert.equal(cacPayback({ margin: margins, retention: retentions, discountRate: 0.01, acquisitionCost: 60 }), expected);
  });
  it("is 0 when there is nothing to repay, #N/A when it never is", () => {
    assert.equal(cacPayback({ margin: 100, retention: 0.8, discountRate: 0.1, acquisitionCost: 0 }), 0);
    throwsCode(() => cacPayback({ margin: 100, retention: 0.8, discountRate: 0.1, acquisitionCost: 300 }), "#N/A", /never repaid/);
    throwsCode(() => cacPayback({ margin: [100, 100], retention: 1, discountRate: 0, acquisitionCost: 300 }), "#N/A", /within the 2 periods/);
    throwsCode(() => cacPayback({ margin: -5, retention: 1, discountRate: 0, acquisitionCost: 1 }), "#N/A");
  });
  it("finds a payback far out in bounded time", () => {
    // 1e-6 a period at full retention, no discounting: a million periods.
    assert.equal(cacPayback({ margin: 1e-6, retention: 1, discountRate: 0, acquisitionCost: 1 }), 1_000_000);
  });
});

describe("retentionRoi", () => {
  it("the issue's example: 1,000 customers, 0.80 → 0.85, margin 100, cost 50,000, discount 0.1 is 0.4667", () => {
    const roi = retentionRoi({ customers: 1000, retentionBefore: 0.8, retentionAfter: 0.85, margin: 100, programCost: 50000, discountRate: 0.1 });
    close(roi, (1000 * (8500 / 25 - 800 / 3) - 50000) / 50000);
    assert.equal(roi.toFixed(4), "0.4667");
  });
  it("uses one horizon for both CLVs and #DIV/0! for a zero cost", () => {
    const roi = retentionRoi({ customers: 10, retentionBefore: [0.8, 0.8], retentionAfter: 0.9, margin: 100, programCost: 100 });
    close(roi, (10 * (100 * (0.9 + 0.81) - 100 * (0.8 + 0.64)) - 100) / 100);
    throwsCode(() => retentionRoi({ customers: 1, retentionBefore: 0.5, retentionAfter: 0.6, margin: 1, programCost: 0 }), "#DIV/0!");
    throwsCode(() => retentionRoi({ customers: 1, retentionBefore: 0.5, retentionAfter: 60, margin: 1, programCost: 1 }), "#VALUE!", /retention_after/);
  });
});

describe("acquisitionVersusRetention", () => {
  const base = { acquisitionCost: 500, newCustomerClv: 1000, retentionCost: 50, retainedCustomerClv: 1000 };
  it("the issue's example: 500 for a 1,000 CLV against 50 for a 1,000 CLV is 10; break-even 500", () => {
    assert.equal(acquisitionVersusRetention(base), 10);
    assert.equal(acquisitionVersusRetention({ ...base, result: AcquisitionVersusRetention.BreakEvenRetentionCost }), 500);
    assert.equal(acquisitionVersusRetention({ ...base, result: AcquisitionVersusRetention.ReturnDifference }), 19 - 1);
  });
  it("at the break-even retention cost the ratio is 1", () => {
    const breakEven = acquisitionVersusRetention({ ...base, retainedCustomerClv: 700, result: AcquisitionVersusRetention.BreakEvenRetentionCost });
    close(acquisitionVersusRetention({ ...base, retainedCustomerClv: 700, retentionCost: breakEven }), 1);
  });
  it("zero denominators give #DIV/0!", () => {
    throwsCode(() => acquisitionVersusRetention({ ...base, retentionCost: 0 }), "#DIV/0!");
    throwsCode(() => acquisitionVersusRetention({ ...base, newCustomerClv: 0 }), "#DIV/0!");
    throwsCode(() => acquisitionVersusRetention({ ...base, acquisitionCost: 0, result: AcquisitionVersusRetention.ReturnDifference }), "#DIV/0!");
  });
});

describe("periodicRate", () => {
  it("compounds back to the annual rate", () => {
    for (const annual of [0.1, 0.0001, 0.5, -0.2, 0]) {
      // Raising to the p-th power multiplies the rounding of the rate by p: 365 × 2^−53 ≈ 4e-14.
      for (const p of [12, 4, 52, 365, 1]) close((1 + periodicRate(annual, p)) ** p, 1 + annual, 1e-12);
    }
    assert.equal(periodicRate(0.1, 12).toFixed(6), "0.007974");
  });
  it("keeps the digits of a tiny rate", () => {
    // (1 + 1e-12)^(1/12) − 1 = 1e-12/12 (1 + O(1e-12)); the naive formula keeps only about 4 digits.
    close(periodicRate(1e-12, 12), 1e-12 / 12, 1e-10);
  });
  it("refuses bad periods_per_year", () => {
    throwsCode(() => periodicRate(0.1, 0), "#VALUE!", /periods_per_year/);
  });
});
