import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bgnbdConditionalExpectedPurchases } from "../../../src/core/purchase/bgnbd";
import { discountedCustomerValue } from "../../../src/core/purchase/customerValue";
import { reference, relativeError } from "../../support/fixtures";

const params = reference.bgnbd.fit.params;
const history = (t: number) => bgnbdConditionalExpectedPurchases(params, t, 2, 30.43, 38.86);

describe("discountedCustomerValue (lifetimes' customer_lifetime_value)", () => {
  it("undiscounted, telescopes to spend × expected purchases over the whole horizon", () => {
    const value = discountedCustomerValue({ expectedPurchases: history, spend: 35, steps: 12, stepLength: 4.345, discountRate: 0 });
    assert.ok(relativeError(value, 35 * history(12 * 4.345)) < 1e-12);
  });

  it("equals the step-by-step sum written out as lifetimes writes it", () => {
    // for i in steps * factor: clv += m * (E(i) − E(i − factor)) / (1 + d) ** (i / factor)
    let expected = 0;
    for (let k = 1; k <= 24; k++) {
      const i = k * 4.345;
      expected += (35 * (history(i) - history(i - 4.345))) / Math.pow(1.01, i / 4.345);
    }
    const value = discountedCustomerValue({ expectedPurchases: history, spend: 35, steps: 24, stepLength: 4.345, discountRate: 0.01 });
    assert.ok(relativeError(value, expected) < 1e-12);
  });

  it("falls as the discount rate rises and grows with the horizon", () => {
    const at = (d: number, steps: number) => discountedCustomerValue({ expectedPurchases: history, spend: 10, steps, stepLength: 1, discountRate: d });
    assert.ok(at(0.02, 52) < at(0.01, 52) && at(0.01, 52) < at(0, 52));
    assert.ok(at(0.01, 104) > at(0.01, 52));
  });

  it("refuses a horizon that is not a whole number of steps", () => {
    assert.throws(() => discountedCustomerValue({ expectedPurchases: history, spend: 10, steps: 1.5, stepLength: 1, discountRate: 0 }), /steps must be a whole number/);
  });
});
