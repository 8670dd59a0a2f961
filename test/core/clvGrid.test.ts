import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clvGrid } from "../../src/core/clv";
import { LifetimeError } from "../../src/core/errors";
import { relativeError } from "../support/fixtures";

/** Σ_{t=1..T} m r^t/(1+d)^t (timing end), or from t = 0 (start), term by term. */
function bruteForce(m: number, r: number, d: number, T: number, start = false): number {
  let total = 0;
  for (let t = start ? 0 : 1; t <= (start ? T - 1 : T); t++) total += (m * r ** t) / (1 + d) ** t;
  return total;
}

describe("clvGrid: LTV.CLV over retention values (rows) × discount rates (columns)", () => {
  it("equals a brute-force sum in every cell, with the acquisition cost and timing of LTV.CLV", () => {
    const retentions = [0.6, 0.8, 0.95];
    const rates = [0, 0.01, 0.1];
    const grid = clvGrid({ margin: 40, retentions, discountRates: rates, periods: 24, acquisitionCost: 30, timing: "start" });
    assert.equal(grid.length, 3);
    retentions.forEach((r, i) => rates.forEach((d, j) => assert.ok(relativeError(grid[i]![j]!, bruteForce(40, r, d, 24, true) - 30) < 1e-12, `${r}, ${d}`)));
  });

  it("uses the closed form m r/(1+d−r) over an infinite horizon", () => {
    const grid = clvGrid({ margin: 100, retentions: [0.8], discountRates: [0.1, 0.2] });
    assert.ok(relativeError(grid[0]![0]!, (100 * 0.8) / 0.3) < 1e-14);
    assert.ok(relativeError(grid[0]![1]!, (100 * 0.8) / 0.4) < 1e-14);
  });

  it("names the cell of a combination with no finite value, and bad values by their place", () => {
    const refused = (input: Parameters<typeof clvGrid>[0], code: string, pattern: RegExp) =>
      assert.throws(() => clvGrid(input), (e: unknown) => e instanceof LifetimeError && e.code === code && pattern.test(e.message), String(pattern));
    refused({ margin: 100, retentions: [0.8, 1], discountRates: [0.1, 0] }, "#NUM!", /^row 2 \(retention 1\), column 2 \(discount rate 0\): the value diverges/);
    refused({ margin: 100, retentions: [0.8, 80], discountRates: [0.1] }, "#VALUE!", /^retention_values \(value 2 of 2\) must be between 0 and 1/);
    refused({ margin: 100, retentions: [0.8], discountRates: [0.1, -2] }, "#VALUE!", /^discount_rates \(value 2 of 2\) must be a fraction greater than -1/);
    refused({ margin: Array.from({ length: 1000 }, () => 1), retentions: Array.from({ length: 200 }, () => 0.5), discountRates: Array.from({ length: 200 }, () => 0.1) }, "#NUM!", /more than one call computes in time/);
  });
});
