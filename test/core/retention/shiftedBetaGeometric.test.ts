import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LifetimeError } from "../../../src/core/errors";
import {
  fitShiftedBetaGeometric,
  poolCohorts,
  sbgDiscountedExpectedLifetime,
  sbgDiscountedExpectedResidualLifetime,
  sbgRetention,
  sbgSurvival,
  type Cohort,
} from "../../../src/core/retention/shiftedBetaGeometric";
import { reference, relativeError } from "../../support/fixtures";

const ref = reference.sbg;
const cohort = (row: number[]): Cohort => ({ size: row[0]!, survivors: row.slice(1) });
const regular = cohort(ref.fits.regular.survivors);
const highEnd = cohort(ref.fits.high_end.survivors);

/** The paper's eq. (7) with P(T = t) and S(t) from beta functions, cohort by cohort: an independent evaluation. */
function naiveLogLikelihood(cohorts: Cohort[], alpha: number, beta: number): number {
  // B(a, b) by its definition through Γ, from the Lanczos-free product for integer steps.
  const survival = (t: number) => {
    let s = 1;
    for (let j = 1; j <= t; j++) s *= (beta + j - 1) / (alpha + beta + j - 1);
    return s;
  };
  let total = 0;
  for (const c of cohorts) {
    let previous = c.size;
    c.survivors.forEach((n, i) => {
      const t = i + 1;
      total += (previous - n) * Math.log(survival(t - 1) - survival(t));
      previous = n;
    });
    total += previous * Math.log(survival(c.survivors.length));
  }
  return total;
}

describe("sBG fits (Fader & Hardie 2007)", () => {
  it("fits the Regular cohort to the published α = 0.704, β = 1.182", () => {
    const fit = fitShiftedBetaGeometric([regular]);
    assert.ok(fit.converged);
    assert.deepEqual([fit.params.alpha, fit.params.beta].map((v) => Number(v.toFixed(3))), [0.704, 1.182]);
    assert.ok(relativeError(fit.logLikelihood, naiveLogLikelihood([regular], fit.params.alpha, fit.params.beta)) < 1e-9);
    assert.ok(relativeError(fit.logLikelihood, ref.fits.regular.fit.ll_mpmath_at_fit.value) < 1e-9);
  });

  it("fits the High End cohort to the published α = 0.668, β = 3.806", () => {
    const fit = fitShiftedBetaGeometric([highEnd]);
    assert.deepEqual([fit.params.alpha, fit.params.beta].map((v) => Number(v.toFixed(3))), [0.668, 3.806]);
  });

  it("fits many cohorts together, each censored at its last observed period", () => {
    for (const name of ["regular_and_high_end_shared", "right_censored_multi_cohort"]) {
      const cohorts = (ref.fits[name].survivors as number[][]).map(cohort);
      const fit = fitShiftedBetaGeometric(cohorts);
      const expected = ref.fits[name].fit;
      assert.ok(relativeError(fit.params.alpha, expected.params.alpha) < 1e-5, name);
      assert.ok(relativeError(fit.params.beta, expected.params.beta) < 1e-5, name);
      assert.ok(relativeError(fit.logLikelihood, expected.ll_mpmath_at_fit.value) < 1e-9, name);
      assert.ok(relativeError(fit.logLikelihood, naiveLogLikelihood(cohorts, fit.params.alpha, fit.params.beta)) < 1e-9, name);
    }
  });

  it("refuses survivors that rise, naming the cohort and period", () => {
    assert.throws(() => poolCohorts([regular, { size: 100, survivors: [80, 85] }]), (e: unknown) => e instanceof LifetimeError && /cohort 2, period 2: survivors rise from 80 to 85/.test(e.message));
  });

  it("answers degenerate cohorts with a clear error, in bounded time", () => {
    const fails = (cohorts: Cohort[], pattern: RegExp) =>
      assert.throws(() => fitShiftedBetaGeometric(cohorts), (e: unknown) => e instanceof LifetimeError && pattern.test(e.message));
    fails([{ size: 100, survivors: [100, 100, 100] }], /100% retention/);
    fails([{ size: 100, survivors: [0, 0] }], /every customer left in the first period/);
    fails([{ size: 100, survivors: [60] }, { size: 50, survivors: [30] }], /only the first period is observed/);
    fails([{ size: 100, survivors: [] }], /no period has been observed/);
  });
});

describe("sBG predictions", () => {
  const params = ref.fits.regular.fit.params;

  it("survival is B(α, β+t)/B(α, β), equal to the product of retention rates", () => {
    for (const row of ref.survival_curve_at_regular_fit) {
      assert.ok(relativeError(sbgSurvival(params, row.t), row.S) < 1e-12, `S(${row.t})`);
      let product = 1;
      for (let j = 1; j <= row.t; j++) product *= sbgRetention(params, j);
      assert.ok(relativeError(sbgSurvival(params, row.t), product) < 1e-12);
    }
    assert.equal(sbgSurvival(params, 0), 1);
  });

  it("DEL and DERL equal mpmath's 2F1 and the brute-force discounted sums", () => {
    for (const v of ref.del_derl_at_regular_fit.values) {
      const value = v.quantity === "DEL" ? sbgDiscountedExpectedLifetime(params, v.d) : sbgDiscountedExpectedResidualLifetime(params, v.d, v.n);
      assert.ok(relativeError(value, Number(v.hyp2f1_mp)) < 1e-12, JSON.stringify(v).slice(0, 80));
      assert.ok(relativeError(value, v.brute_force_sum) < 1e-12);
    }
  });

  it("DERL by summing S(n+1+k)/S(n)/(1+d)^k here too, for a small discount rate", () => {
    const d = 0.001;
    let sum = 0;
    const sN = sbgSurvival(params, 4);
    for (let k = 0; k < 200000; k++) sum += sbgSurvival(params, 5 + k) / sN / Math.pow(1 + d, k);
    // Terms fall like k^(−α−1)·(1+d)^−k: 200,000 terms leave a tail below 1e-9 of the sum.
    assert.ok(relativeError(sbgDiscountedExpectedResidualLifetime(params, d, 4), sum) < 1e-8);
  });

  it("an undiscounted lifetime is finite only for α > 1", () => {
    assert.ok(relativeError(sbgDiscountedExpectedLifetime({ alpha: 3, beta: 4 }, 0), (3 + 4 - 1) / (3 - 1)) < 1e-13);
    assert.throws(() => sbgDiscountedExpectedLifetime({ alpha: 0.7, beta: 1.2 }, 0), (e: unknown) => e instanceof LifetimeError && e.code === "#NUM!");
  });
});
