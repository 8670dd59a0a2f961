import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LifetimeError } from "../../../src/core/errors";
import { fitGammaGamma, gammaGammaExpectedSpend } from "../../../src/core/purchase/gammaGamma";
import { logGamma } from "../../../src/core/special/gamma";
import { readCsvColumns, reference, relativeError } from "../../support/fixtures";

const cdnow = readCsvColumns("cdnow_customers_summary_with_transactions.csv");
const ref = reference.gammagamma;

/** Fader & Hardie (2013) eq. (5), customer by customer over repeat customers: an independent evaluation. */
function naiveLogLikelihood(p: number, q: number, gamma: number): number {
  let total = 0;
  cdnow.x!.forEach((x, i) => {
    if (x === 0) return;
    const m = cdnow.zbar![i]!;
    total += logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(gamma) + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + m * x);
  });
  return total;
}

describe("Gamma-Gamma spend on CDNOW (Fader & Hardie 2013)", () => {
  const fit = fitGammaGamma({ frequency: cdnow.x!, monetaryValue: cdnow.zbar! });

  it("fits p = 6.25, q = 3.74, γ = 15.45 (published 15.44; lifetimes and an independent fit give 15.45)", () => {
    assert.ok(fit.converged);
    assert.deepEqual([fit.params.p.toFixed(2), fit.params.q.toFixed(2), fit.params.gamma.toFixed(2)], ["6.25", "3.74", "15.45"]);
    assert.ok(relativeError(fit.params.gamma, ref.fit.params.gamma) < 1e-4);
  });

  it("reports a log-likelihood equal to an independent evaluation", () => {
    assert.ok(relativeError(fit.logLikelihood, naiveLogLikelihood(fit.params.p, fit.params.q, fit.params.gamma)) < 1e-9);
    assert.ok(relativeError(fit.logLikelihood, ref.fit.ll_mpmath_at_fit.value) < 1e-9);
  });

  it("predicts the conditional expected spend as mpmath computes", () => {
    for (const row of ref.conditional_expected_average_spend) {
      assert.ok(relativeError(gammaGammaExpectedSpend(ref.fit.params, row.x, row.m), Number(row.mp)) < 1e-13);
    }
    // A customer without repeat purchases gets the population mean pγ/(q − 1).
    const { p, q, gamma } = fit.params;
    assert.ok(relativeError(gammaGammaExpectedSpend(fit.params, 0, 0), (p * gamma) / (q - 1)) < 1e-15);
  });

  it("weights fit a grouped summary exactly as the raw rows", () => {
    const grouped = fitGammaGamma({ frequency: [1, 2, 3, 1], monetaryValue: [10, 20, 15, 30], weights: [2, 1, 3, 1] });
    const raw = fitGammaGamma({ frequency: [1, 1, 2, 3, 3, 3, 1], monetaryValue: [10, 10, 20, 15, 15, 15, 30] });
    assert.equal(grouped.converged, raw.converged);
    assert.ok(relativeError(grouped.logLikelihood, raw.logLikelihood) < 1e-12);
  });

  it("refuses data without repeat customers and non-positive spend, naming the row", () => {
    assert.throws(() => fitGammaGamma({ frequency: [0, 0], monetaryValue: [0, 0] }), (e: unknown) => e instanceof LifetimeError && /no customer has repeat purchases/.test(e.message));
    assert.throws(() => fitGammaGamma({ frequency: [1, 2], monetaryValue: [10, -5] }), (e: unknown) => e instanceof LifetimeError && /^row 2: monetary_value/.test(e.message));
  });
});
