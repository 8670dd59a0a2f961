import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LifetimeError } from "../../../src/core/errors";
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood, spendData } from "../../../src/core/purchase/gammaGamma";
import { logGamma } from "../../../src/core/special/gamma";
import { numericalGradient, numericalHessian, readCsvColumns, reference, relativeError } from "../../support/fixtures";

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

  it("has an analytic gradient and Hessian that match finite differences", () => {
    const ll = gammaGammaLogLikelihood(spendData({ frequency: cdnow.x!, monetaryValue: cdnow.zbar! }));
    for (const p of [[6.25, 3.74, 15.45], [1, 2, 35], [0.3, 12, 400]]) {
      const { value, gradient, hessian } = ll(p, true);
      assert.ok(relativeError(value, naiveLogLikelihood(p[0]!, p[1]!, p[2]!)) < 1e-12);
      const numeric = numericalGradient((q) => naiveLogLikelihood(q[0]!, q[1]!, q[2]!), p);
      gradient.forEach((g, j) => assert.ok(Math.abs(g - numeric[j]!) <= 1e-5 * Math.max(1, Math.abs(numeric[j]!)), `∂/∂θ${j}: ${g} vs ${numeric[j]}`));
      const curvature = numericalHessian((q) => ll(q).gradient, p);
      hessian!.forEach((row, k) => row.forEach((v, j) => assert.ok(Math.abs(v - curvature[k]![j]!) <= 1e-6 * Math.max(1, Math.abs(curvature[k]![j]!)), `∂²/∂θ${k}∂θ${j}: ${v} vs ${curvature[k]![j]}`)));
    }
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
    // 300 CDNOW customers, row i standing for 1–3 identical customers: an interior maximum, so "the same fit" is one point.
    const rows = cdnow.x!.map((x, i) => ({ x, m: cdnow.zbar![i]!, w: (i % 3) + 1 })).filter((r) => r.x > 0).slice(0, 300);
    const grouped = fitGammaGamma({ frequency: rows.map((r) => r.x), monetaryValue: rows.map((r) => r.m), weights: rows.map((r) => r.w) });
    const expanded = rows.flatMap((r) => Array.from({ length: r.w }, () => r));
    const raw = fitGammaGamma({ frequency: expanded.map((r) => r.x), monetaryValue: expanded.map((r) => r.m) });
    assert.ok(grouped.converged && raw.converged && !grouped.degenerate);
    assert.ok(relativeError(grouped.logLikelihood, raw.logLikelihood) < 1e-12);
    for (const name of ["p", "q", "gamma"] as const) assert.ok(relativeError(grouped.params[name], raw.params[name]) < 1e-7, name);
    // A degenerate fit (q runs to infinity on these seven customers) is flagged whichever way the rows come.
    const few = fitGammaGamma({ frequency: [1, 2, 3, 1], monetaryValue: [10, 20, 15, 30], weights: [2, 1, 3, 1] });
    const fewRaw = fitGammaGamma({ frequency: [1, 1, 2, 3, 3, 3, 1], monetaryValue: [10, 10, 20, 15, 15, 15, 30] });
    assert.match(few.degenerate ?? "", /^q ran to infinity/);
    assert.match(fewRaw.degenerate ?? "", /^q ran to infinity/);
  });

  it("refuses data without repeat customers and non-positive spend, naming the row", () => {
    assert.throws(() => fitGammaGamma({ frequency: [0, 0], monetaryValue: [0, 0] }), (e: unknown) => e instanceof LifetimeError && /no customer has repeat purchases/.test(e.message));
    assert.throws(() => fitGammaGamma({ frequency: [1, 2], monetaryValue: [10, -5] }), (e: unknown) => e instanceof LifetimeError && /^row 2: monetary_value/.test(e.message));
  });
});
