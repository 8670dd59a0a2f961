import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LifetimeError } from "../../../src/core/errors";
import { distinctValues, summarizeCustomers } from "../../../src/core/purchase/customers";

describe("summarizeCustomers", () => {
  it("collapses identical (frequency, recency, T) into weighted rows, adding given weights", () => {
    const s = summarizeCustomers({ frequency: [0, 0, 2, 2, 2, 0], recency: [0, 0, 5, 5, 6, 0], T: [10, 10, 10, 10, 10, 12], weights: [1, 2, 1, 1, 1, 4] });
    assert.equal(s.rows, 4);
    assert.equal(s.customers, 10);
    const rows = Array.from({ length: s.rows }, (_, i) => [s.frequency[i], s.recency[i], s.T[i], s.weight[i]]);
    assert.deepEqual(rows, [
      [0, 0, 10, 3],
      [2, 5, 10, 2],
      [2, 6, 10, 1],
      [0, 0, 12, 4],
    ]);
  });

  it("names the row of bad data", () => {
    const code = (f: () => unknown, pattern: RegExp) =>
      assert.throws(f, (e: unknown) => e instanceof LifetimeError && e.code === "#VALUE!" && pattern.test(e.message));
    code(() => summarizeCustomers({ frequency: [1, 2], recency: [3, 40], T: [10, 39] }), /^row 2: recency \(40\) is above T \(39\)/);
    code(() => summarizeCustomers({ frequency: [-1], recency: [0], T: [10] }), /^row 1: frequency must be a whole number/);
    code(() => summarizeCustomers({ frequency: [1.5], recency: [0], T: [10] }), /frequency must be a whole number/);
    code(() => summarizeCustomers({ frequency: [1, 1], recency: [1], T: [10, 10] }), /same number of rows/);
    code(() => summarizeCustomers({ frequency: [1], recency: [11], T: [10], rowNumbers: [7] }), /^row 7: recency/);
    code(() => summarizeCustomers({ frequency: [1], recency: [1], T: [10], weights: [-2] }), /weight must be a count/);
  });

  it("accepts a recency above T by rounding only", () => {
    assert.equal(summarizeCustomers({ frequency: [1], recency: [38.860000000001], T: [38.86] }).recency[0], 38.86);
  });
});

describe("distinctValues", () => {
  it("indexes each row's value among the distinct values", () => {
    const d = distinctValues(Float64Array.from([3, 1, 3, 2, 1, -0.5]));
    assert.deepEqual(Array.from(d.values), [3, 1, 2, -0.5]);
    assert.deepEqual(Array.from(d.index), [0, 1, 0, 2, 1, 3]);
  });
});
