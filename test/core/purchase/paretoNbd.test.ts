import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { summarizeCustomers } from "../../../src/core/purchase/customers";
import {
  fitParetoNbd,
  logDeathIntegral,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
} from "../../../src/core/purchase/paretoNbd";
import { logGamma } from "../../../src/core/special/gamma";
import { hyp2f1 } from "../../../src/core/special/hypergeometric";
import { numericalGradient, readCsvColumns, reference, relativeError } from "../../support/fixtures";

const cdnow = readCsvColumns("cdnow_customers_summary.csv");
const data = summarizeCustomers({ frequency: cdnow.frequency!, recency: cdnow.recency!, T: cdnow.T! });
const ref = reference.paretonbd;
const asArray = (p: Record<string, number>) => [p.r!, p.alpha!, p.s!, p.beta!];

/** Fader & Hardie (2005) eq. (16)-(18) with the general 2F1, customer by customer: an independent evaluation. */
function naiveLogLikelihood([r, alpha, s, beta]: number[]): number {
  let total = 0;
  for (let i = 0; i < cdnow.frequency!.length; i++) {
    const x = cdnow.frequency![i]!;
    const tx = cdnow.recency![i]!;
    const T = cdnow.T![i]!;
    const a = r! + s! + x;
    let A0: number;
    if (alpha! >= beta!) {
      const F = (t: number) => hyp2f1(a, s! + 1, a + 1, (alpha! - beta!) / (alpha! + t)) / Math.pow(alpha! + t, a);
      A0 = F(tx) - F(T);
    } else {
      const F = (t: number) => hyp2f1(a, r! + x, a + 1, (beta! - alpha!) / (beta! + t)) / Math.pow(beta! + t, a);
      A0 = F(tx) - F(T);
    }
    const bracket = 1 / (Math.pow(alpha! + T, r! + x) * Math.pow(beta! + T, s!)) + (s! / a) * A0;
    total += logGamma(r! + x) - logGamma(r!) + r! * Math.log(alpha!) + s! * Math.log(beta!) + Math.log(bracket);
  }
  return total;
}

describe("Pareto/NBD on CDNOW (Schmittlein, Morrison & Colombo 1987; Fader, Hardie & Lee 2005)", () => {
  const fit = fitParetoNbd(data);

  it("fits the published r = 0.553, α = 10.578, s = 0.606, β = 11.669 (β: the exact MLE is 11.668)", () => {
    assert.ok(fit.converged, fit.reason);
    const [r, alpha, s, beta] = asArray(fit.params);
    assert.deepEqual([r, alpha, s].map((v) => Number(v!.toFixed(3))), [0.553, 10.578, 0.606]);
    // The published 11.669 is 0.001 off the maximum: the likelihood is flat in β (SE ≈ 6).
    assert.ok(Math.abs(beta! - 11.669) < 0.002);
    asArray(fit.params).forEach((v, i) => assert.ok(relativeError(v, asArray(ref.fit.params)[i]!) < 1e-4, `param ${i}: ${v}`));
  });

  it("reports a log-likelihood equal to an independent evaluation (1e-6 relative), and the published −9595.0", () => {
    assert.ok(relativeError(fit.logLikelihood, naiveLogLikelihood(asArray(fit.params))) < 1e-6);
    assert.ok(relativeError(fit.logLikelihood, ref.fit.ll_mpmath_at_fit.value) < 1e-9);
    assert.equal(fit.logLikelihood.toFixed(1), "-9595.0");
  });

  it("evaluates the log-likelihood as mpmath does at fixed points on both branches (α ≥ β and α < β)", () => {
    const ll = paretoNbdLogLikelihood(data);
    for (const point of ref.ll_evaluations) {
      assert.ok(relativeError(ll(asArray(point.params)).value, point.ll_mpmath.value) < 1e-11, point.label);
    }
  });

  it("has an analytic gradient that matches finite differences on both branches", () => {
    const ll = paretoNbdLogLikelihood(data);
    for (const p of [asArray(ref.fit.params), [0.5, 12, 0.8, 8], [0.3, 5, 0.4, 9]]) {
      const analytic = ll(p).gradient;
      const numeric = numericalGradient((q) => ll(q).value, p);
      // Central differences of a sum near 1e4 carry an error near 1e-4; a wrong term would be far larger.
      analytic.forEach((g, j) => assert.ok(Math.abs(g - numeric[j]!) <= 2e-4 + 1e-5 * Math.abs(numeric[j]!), `∂/∂θ${j} at ${p}: ${g} vs ${numeric[j]}`));
    }
  });

  it("takes the closed form where its series is short and the integral elsewhere, and the two agree across the switch", () => {
    const out = new Float64Array(4);
    let viaBoth = 0;
    for (const [r, alpha, s, beta] of [[0.55, 10.6, 0.61, 11.7], [0.55, 10.6, 0.61, 60], [0.55, 10.6, 0.61, 1e3], [2, 50, 0.3, 4], [0.3, 2, 1.5, 2.5e5]]) {
      for (const [x, tx, T] of [[0, 0, 38.86], [2, 30.43, 38.86], [1, 1, 1.2], [7, 38.5, 38.86], [30, 10, 60], [0, 0, 0.5]]) {
        // P(alive) = E / (E + s·J), J by the integral alone.
        const logE = -(r! + x!) * Math.log(alpha! + T!) - s! * Math.log(beta! + T!);
        const logSJ = Math.log(s!) + logDeathIntegral(r! + x!, s! + 1, alpha!, beta!, tx!, T!, out);
        const expected = 1 / (1 + Math.exp(logSJ - logE));
        const got = paretoNbdProbabilityAlive({ r: r!, alpha: alpha!, s: s!, beta: beta! }, x!, tx!, T!);
        assert.ok(Math.abs(got - expected) <= 1e-12 * Math.max(expected, 1 - expected), `${[r, alpha, s, beta, x, tx, T]}: ${got} vs ${expected}`);
        viaBoth++;
      }
    }
    assert.equal(viaBoth, 30);
  });

  it("integrates the death term in a bounded number of panels even where 1/α overflows", () => {
    const out = new Float64Array(4);
    for (const [k, S, alpha, beta] of [[1, 1.5, 5e-324, 1], [0.5, 1.5, 1, 5e-324], [1e300, 1.5, 1, 1], [1, 1e300, 1, 1], [1, 1.5, 1e300, 1e-300]]) {
      const log = logDeathIntegral(k!, S!, alpha!, beta!, 0, 10, out); // returns: before the bound, 1/α = ∞ made a panel of width 0 and the loop never ended
      assert.ok(!Number.isNaN(log) && [...out].every((d) => !Number.isNaN(d)), `${[k, S, alpha, beta]}: ${log}, ${[...out]}`);
    }
  });

  it("integrates the death term as mpmath does, to 1e-12, where the series needed 100,000 terms and more", () => {
    const { cases } = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/pnbd_death_integral.json"), "utf8")) as { cases: { k: number; S: number; alpha: number; beta: number; tx: number; T: number; expected: number[] }[] };
    assert.ok(cases.length > 300);
    const out = new Float64Array(4);
    const worst = [0, 0];
    for (const c of cases) {
      const log = logDeathIntegral(c.k, c.S, c.alpha, c.beta, c.tx, c.T, out);
      const [logJ, ...derivatives] = c.expected as [number, number, number, number, number];
      const valueError = Math.abs(log - logJ) / Math.max(1, Math.abs(logJ));
      const scale = Math.max(1, ...derivatives.map(Math.abs));
      const derivativeError = Math.max(...derivatives.map((d, i) => Math.abs((out[i] as number) - d) / scale));
      worst[0] = Math.max(worst[0]!, valueError);
      worst[1] = Math.max(worst[1]!, derivativeError);
      assert.ok(valueError < 1e-12 && derivativeError < 1e-11, `${JSON.stringify(c)}: ln J ${log} (${valueError}), derivatives ${[...out]} (${derivativeError})`);
    }
    console.log(`  death integral, ${cases.length} cases against mpmath: worst relative error ${worst[0]!.toExponential(1)} in ln J, ${worst[1]!.toExponential(1)} in its derivatives`);
  });

  it("predicts P(alive), E[X(t)] and E[Y(t) | history] as mpmath computes", () => {
    const params = ref.fit.params;
    for (const row of ref.expected_purchases_new_customer) {
      assert.ok(relativeError(paretoNbdExpectedPurchases(params, row.t), Number(row.mp)) < 1e-12);
    }
    for (const c of ref.conditional) {
      assert.ok(relativeError(paretoNbdProbabilityAlive(params, c.x, c.t_x, c.T), Number(c.p_alive_mp)) < 1e-10, JSON.stringify(c));
      assert.ok(relativeError(paretoNbdConditionalExpectedPurchases(params, c.t, c.x, c.t_x, c.T), Number(c.expected_purchases_mp)) < 1e-10);
    }
  });

  it("agrees with P(alive) integrated numerically from its definition", () => {
    for (const check of ref.p_alive_two_methods) {
      const value = paretoNbdProbabilityAlive(ref.fit.params, check.x, check.t_x, check.T);
      const integrated = check.numerical_integration ?? check.p_alive_numerical_integration ?? check.integration;
      assert.ok(relativeError(value, integrated) < 1e-9, JSON.stringify(check));
    }
  });

  it("E[X(t)] is continuous through s = 1", () => {
    const at = (s: number) => paretoNbdExpectedPurchases({ r: 0.5, alpha: 10, s, beta: 12 }, 39);
    assert.ok(relativeError(at(1), 0.5 * 12 / 10 * Math.log(1 + 39 / 12)) < 1e-14);
    assert.ok(relativeError(at(1 + 1e-9), at(1)) < 1e-8 && relativeError(at(1 - 1e-9), at(1)) < 1e-8);
  });
});
