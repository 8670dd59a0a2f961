import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bgnbdAliveCurve,
  bgnbdAliveCurves,
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  fitBgNbd,
} from "../../../src/core/purchase/bgnbd";
import { discountedPurchases } from "../../../src/core/purchase/customerValue";
import { summarizeCustomers } from "../../../src/core/purchase/customers";
import { LifetimeError } from "../../../src/core/errors";
import { logGamma } from "../../../src/core/special/gamma";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES, numericalGradient, numericalHessian, readCsvColumns, reference, relativeError } from "../../support/fixtures";

const cdnow = readCsvColumns("cdnow_customers_summary.csv");
const data = summarizeCustomers({ frequency: cdnow.frequency!, recency: cdnow.recency!, T: cdnow.T! });
const ref = reference.bgnbd;
const asArray = (p: Record<string, number>) => [p.r!, p.alpha!, p.a!, p.b!];

/** The paper's eq. (6), customer by customer over the raw rows: an independent evaluation. */
function naiveLogLikelihood([r, alpha, a, b]: number[]): number {
  let total = 0;
  for (let i = 0; i < cdnow.frequency!.length; i++) {
    const x = cdnow.frequency![i]!;
    const tx = cdnow.recency![i]!;
    const T = cdnow.T![i]!;
    const lnA1 = logGamma(r! + x) - logGamma(r!) + r! * Math.log(alpha!);
    const lnA2 = logGamma(a! + b!) + logGamma(b! + x) - logGamma(b!) - logGamma(a! + b! + x);
    const A3 = Math.pow(alpha! + T, -(r! + x));
    const A4 = x > 0 ? (a! / (b! + x - 1)) * Math.pow(alpha! + tx, -(r! + x)) : 0;
    total += lnA1 + lnA2 + Math.log(A3 + A4);
  }
  return total;
}

describe("BG/NBD on CDNOW (Fader, Hardie & Lee 2005)", () => {
  const fit = fitBgNbd(data);

  it("collapses the 2,357 customers into 1,016 distinct rows", () => {
    assert.equal(data.rows, reference.data["cdnow_customers_summary.csv"].unique_x_tx_T_triples);
    assert.equal(data.customers, 2357);
  });

  it("fits the published r = 0.243, α = 4.414, a = 0.793, b = 2.426", () => {
    assert.ok(fit.converged, fit.reason);
    assert.deepEqual(
      asArray(fit.params).map((v) => Number(v.toFixed(3))),
      [0.243, 4.414, 0.793, 2.426],
    );
    asArray(fit.params).forEach((v, i) => assert.ok(relativeError(v, asArray(ref.fit.params)[i]!) < 1e-5, `param ${i}: ${v}`));
  });

  it("reports a log-likelihood equal to an independent evaluation at its own parameters (1e-6 relative), and the published −9582.4", () => {
    assert.ok(relativeError(fit.logLikelihood, naiveLogLikelihood(asArray(fit.params))) < 1e-6);
    assert.ok(relativeError(fit.logLikelihood, ref.fit.ll_mpmath_at_fit.value) < 1e-9);
    assert.equal(fit.logLikelihood.toFixed(1), "-9582.4");
  });

  it("evaluates the log-likelihood as mpmath does at fixed points (1e-12 relative)", () => {
    const ll = bgnbdLogLikelihood(data);
    for (const point of ref.ll_evaluations) {
      assert.ok(relativeError(ll(asArray(point.params)).value, point.ll_mpmath.value) < 1e-12, point.label);
    }
  });

  it("has an analytic gradient that matches finite differences", () => {
    const ll = bgnbdLogLikelihood(data);
    for (const p of [asArray(ref.fit.params), [0.5, 5, 1, 3], [0.2, 3, 0.5, 2]]) {
      const analytic = ll(p).gradient;
      // A relative step of 1e-5: with 1e-6 the rounding of a log-likelihood near −9582 alone moves the
      // difference quotient by about 4e-6, most of the tolerance, at the maximum where the gradient is near 0.
      const numeric = numericalGradient((q) => ll(q).value, p, 1e-5);
      analytic.forEach((g, j) => assert.ok(Math.abs(g - numeric[j]!) <= 1e-5 * Math.max(1, Math.abs(numeric[j]!)), `∂/∂θ${j}: ${g} vs ${numeric[j]}`));
    }
  });

  it("has an analytic Hessian that matches central differences of the gradient", () => {
    const ll = bgnbdLogLikelihood(data);
    for (const p of [asArray(ref.fit.params), [1.3, 20, 0.2, 5], [0.05, 0.5, 3, 0.7]]) {
      const analytic = ll(p, true).hessian!;
      const numeric = numericalHessian((q) => ll(q).gradient, p);
      analytic.forEach((row, k) => row.forEach((v, j) => assert.ok(Math.abs(v - numeric[k]![j]!) <= 1e-6 * Math.max(1, Math.abs(numeric[k]![j]!)), `∂²/∂θ${k}∂θ${j}: ${v} vs ${numeric[k]![j]}`)));
    }
  });

  it("gives standard errors that match the inverse Hessian of an independent fit", () => {
    const se = fit.standardErrors!;
    // The reference holds standard errors of ln θ; by the delta method SE(θ) = θ · SE(ln θ).
    const logSe: number[] = ref.fit.std_error_log_params_inverse_hessian;
    asArray(se).forEach((v, i) => assert.ok(relativeError(v, asArray(fit.params)[i]! * logSe[i]!) < 1e-3, `se ${i}: ${v}`));
  });

  it("predicts as mpmath computes, and E[X(t)] as numerical integration over the mixing distributions", () => {
    const params = ref.fit.params;
    for (const row of ref.expected_purchases_new_customer) {
      assert.ok(relativeError(bgnbdExpectedPurchases(params, row.t), Number(row.mp)) < 1e-12, `E[X(${row.t})]`);
      assert.ok(relativeError(bgnbdExpectedPurchases(params, row.t), row.numerical_integration) < 1e-10);
    }
    for (const c of ref.conditional) {
      assert.ok(relativeError(bgnbdConditionalExpectedPurchases(params, c.t, c.x, c.t_x, c.T), Number(c.expected_purchases_mp)) < 1e-12, JSON.stringify(c));
      assert.ok(relativeError(bgnbdProbabilityAlive(params, c.x, c.t_x, c.T), Number(c.p_alive_mp)) < 1e-13);
    }
    // The paper's worked example: a customer with x = 2, t_x = 30.43, T = 38.86 buys 1.226 times in the next 39 weeks.
    assert.equal(bgnbdConditionalExpectedPurchases(fit.params, 39, 2, 30.43, 38.86).toFixed(3), "1.226");
  });

  it("keeps P(alive) between 0 and 1 and E[X(t)] rising in t", () => {
    let previous = 0;
    for (let t = 1; t <= 520; t += 7) {
      const e = bgnbdExpectedPurchases(fit.params, t);
      assert.ok(e > previous);
      previous = e;
    }
    for (const [x, tx, T] of [[0, 0, 1], [300, 0.5, 500], [300, 500, 500], [1, 0, 1e6]]) {
      const p = bgnbdProbabilityAlive(fit.params, x!, tx!, T!);
      assert.ok(p >= 0 && p <= 1, `${p}`);
    }
  });
});

describe("BG/NBD fits on degenerate data end in bounded time with an answer or a clear error", () => {
  it("refuses data in which nobody made a repeat purchase", () => {
    assert.throws(
      () => fitBgNbd(summarizeCustomers({ frequency: [0, 0, 0], recency: [0, 0, 0], T: [10, 20, 30] })),
      (e: unknown) => e instanceof LifetimeError && /no customer made a repeat purchase/.test(e.message),
    );
  });
  it("refuses a single customer", () => {
    assert.throws(() => fitBgNbd(summarizeCustomers({ frequency: [3], recency: [5], T: [10] })), (e: unknown) => e instanceof LifetimeError);
  });
  it("reports whether a fit on two customers converged, never NaN", () => {
    const fit = fitBgNbd(summarizeCustomers({ frequency: [1, 0], recency: [5, 0], T: [10, 10] }));
    assert.ok(Number.isFinite(fit.logLikelihood));
    assert.equal(typeof fit.converged, "boolean");
    if (fit.converged) Object.values(fit.params).forEach((v) => assert.ok(Number.isFinite(v) && v > 0));
  });
});

describe("bgnbdAliveCurves: the curves of many customers from shared interpolants", () => {
  // mpmath's 2F1 at 40 digits (test/fixtures/bgnbd_alive_curve.py), for a < 1, a > 1 and a
  // far above r + x, x up to 300, T from 0 to 700 and t from 1e−3 to 1e12, where 2F1's
  // argument nears 1 and one or the other form of it overflows.
  const fixture: { cases: number[][] } = JSON.parse(readFileSync(path.join(FIXTURES, "bgnbd_alive_curve.json"), "utf8"));
  // E = scale · (1 − G): near t = 0 every method loses digits to that difference, so the
  // error allowed is 1e−10 of E plus 1e−13 of the scale (G is about 1 there).
  const measure = (curve: (t: number) => number, [, , a, b, x, , t, want]: number[], relative = 1e-10) =>
    Math.abs(curve(t!) - want!) / (relative * Math.abs(want!) + 1e-13 * Math.abs((a! + b! + x! - 1) / (a! - 1)));

  it("agree with mpmath over light and heavy buyers, new and old, and horizons up to 1e12 time units (the direct curve too)", () => {
    let worst = 0;
    let worstDirect = 0;
    let overflows = 0;
    const cache = new Map<string, ReturnType<typeof bgnbdAliveCurves>>();
    for (const c of fixture.cases) {
      const [r, alpha, a, b, x, T, t] = c as [number, number, number, number, number, number, number];
      const params = { r, alpha, a, b };
      const key = `${r}|${alpha}|${a}|${b}`;
      if (!cache.has(key)) cache.set(key, bgnbdAliveCurves(params));
      const direct = bgnbdAliveCurve(params, x, T)(t);
      if (!Number.isFinite(direct)) {
        // 2F1 with parameters in the thousands (a 250, b 2,500, x 300) overflows: no number, never a wrong one.
        assert.ok(!Number.isFinite(cache.get(key)!(x, T)(t)), `r ${r}, a ${a}, b ${b}, x ${x}, t ${t}: a number where the direct curve has none`);
        assert.ok(a >= 250 && b >= 2500 && x >= 300, `only the most extreme parameters overflow; a ${a}, b ${b}, x ${x} did`);
        overflows++;
        continue;
      }
      const error = measure(cache.get(key)!(x, T), c);
      worst = Math.max(worst, error);
      // The direct curve's 2F1 at z within 1e−12 of 1 (t = 1e12) is good to 2e−10.
      worstDirect = Math.max(worstDirect, measure(bgnbdAliveCurve(params, x, T), c, 2e-10));
      assert.ok(error <= 1, `r ${r}, a ${a}, x ${x}, T ${T}, t ${t}: ${cache.get(key)!(x, T)(t)} against ${c[7]}`);
    }
    assert.equal(fixture.cases.length, 3888);
    assert.ok(overflows <= 24, `${overflows} cases overflow`);
    assert.ok(worstDirect <= 1, `the direct curve too: ${worstDirect}`);
  });

  it("give customer values that agree with the step-by-step sum of the direct curve to 1e−11", () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const curves = bgnbdAliveCurves(params);
    for (const [x, T, steps, length, rate] of [
      [2, 38.86, 1000, 1, 0.001],
      [0, 30, 120, 4.345, 0.01],
      [25, 10.5, 10_000, 4.345, 0],
    ] as const) {
      const fast = discountedPurchases(curves(x, T), steps, length, rate);
      const direct = discountedPurchases(bgnbdAliveCurve(params, x, T), steps, length, rate);
      assert.ok(relativeError(fast, direct) < 1e-11, `x ${x}, T ${T}, ${steps} steps: ${fast} against ${direct}`);
    }
  });
});

describe("fits refuse more distinct rows than their budget takes, before any evaluation", () => {
  it("answers #NUM! at once, naming the counts and what to do", () => {
    const started = performance.now();
    assert.throws(
      () => fitBgNbd(data, { maxDistinctRows: 1000, budgetSeconds: 2 }),
      (e: unknown) => e instanceof LifetimeError && e.code === "#NUM!" && /2,357 customers \(1,016 distinct\).*at most 1,000 distinct .*fit a sample of the rows, or round recency and T/.test(e.message),
    );
    assert.ok(performance.now() - started < 50, "refused before fitting");
    assert.equal(fitBgNbd(data, { maxDistinctRows: 1016 }).converged, true);
  });
});
