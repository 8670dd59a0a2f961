import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cohortModel, type CohortModelInput } from "../../../src/core/retention/cohortModel";
import { fitShiftedBetaGeometric, type Cohort, type SbgParams } from "../../../src/core/retention/shiftedBetaGeometric";
import { BAND_DRAWS, cohortBand, logCovariance, outputsEvaluator } from "../../../src/core/retention/uncertainty";
import { triangle } from "../../support/cohorts";
import { mulberry32 } from "../../../src/core/random";

/** $30 margin a month, a $100 CAC, about 10% a year, three years ahead, margins at the start of each month. */
const ECONOMICS = { margin: 30, acquisitionCost: 100, discountRate: Math.expm1(Math.log1p(0.1) / 12), horizon: 36, timing: "start" as const };


/** A standard normal (Box–Muller). */
const normal = (u: () => number) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

/** Gamma(shape, 1): Marsaglia & Tsang (2000), with the U^(1/shape) boost below shape 1. */
function gamma(u: () => number, shape: number): number {
  if (shape < 1) return gamma(u, shape + 1) * Math.pow(1 - u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = 1 - u();
    if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Cohorts drawn from an sBG, customer by customer: each one's churn probability θ ~ Beta(α, β),
 * then a geometric lifetime (leaves in period t with probability θ(1−θ)^(t−1)); cohort i is
 * observed for `ages[i]` periods.
 */
function simulateCohorts(u: () => number, { alpha, beta }: SbgParams, size: number, ages: readonly number[]): Cohort[] {
  return ages.map((age) => {
    const survivors = new Array<number>(age).fill(0);
    for (let c = 0; c < size; c++) {
      const x = gamma(u, alpha);
      const theta = x / (x + gamma(u, beta));
      // Periods survived before leaving: the lifetime is ceil(ln U / ln(1−θ)).
      const lifetime = theta >= 1 ? 1 : Math.ceil(Math.log(1 - u()) / Math.log1p(-theta));
      for (let t = 1; t <= Math.min(age, lifetime - 1); t++) survivors[t - 1]!++;
    }
    return { size, survivors };
  });
}

const fitted = (cohorts: Cohort[]) => {
  const fit = fitShiftedBetaGeometric(cohorts);
  const input: Omit<CohortModelInput, "params"> = { cohorts, ...ECONOMICS };
  return { fit, input, band: cohortBand(fit, input) };
};

const twelve = triangle(12, 1200, 0.7, 1.9, 12).map((c) => ({ size: c.customers, survivors: c.survivors }));

describe("the 90% band of a fitted cohort model", () => {
  it("computes the outputs as cohortModel does, for either timing, ragged and unobserved cohorts", () => {
    const cohorts: Cohort[] = [
      { size: 1000, survivors: [631, 468, 382, 326, 289, 262, 241] },
      { size: 800, survivors: [505, 374, 306, 261] },
      { size: 700, survivors: [450, 330, 270, 231] },
      { size: 600, survivors: [379, 0] },
      { size: 500, survivors: [] },
    ];
    for (const timing of ["start", "end"] as const) {
      for (const params of [{ alpha: 0.7, beta: 1.9 }, { alpha: 3.5, beta: 0.4 }, { alpha: 0.2, beta: 40 }]) {
        const input = { cohorts, ...ECONOMICS, timing, horizon: 24 };
        const model = cohortModel({ ...input, params });
        const got = outputsEvaluator(input)(params);
        assert.ok(Math.abs(got.clvNewCustomer - model.clvNewCustomer) <= 1e-12 * Math.abs(model.clvNewCustomer), `${timing} ${JSON.stringify(params)} CLV`);
        assert.ok(Math.abs(got.customerEquity - model.customerEquity) <= 1e-12 * model.customerEquity, `${timing} ${JSON.stringify(params)} equity`);
      }
    }
  });

  it("takes the covariance of (ln α, ln β) whose diagonal is the fit's standard errors", () => {
    const { fit, input } = fitted(twelve);
    const covariance = logCovariance(input, fit.params)!;
    assert.ok(Math.abs(Math.sqrt(covariance[0]![0]!) * fit.params.alpha - fit.standardErrors!.alpha) <= 1e-4 * fit.standardErrors!.alpha);
    assert.ok(Math.abs(Math.sqrt(covariance[1]![1]!) * fit.params.beta - fit.standardErrors!.beta) <= 1e-4 * fit.standardErrors!.beta);
    // ln α and ln β move together in an sBG fit: the band must use the off-diagonal.
    assert.ok(covariance[0]![1]! / Math.sqrt(covariance[0]![0]! * covariance[1]![1]!) > 0.5);
  });

  it("contains the point estimates, low below high", () => {
    const { fit, input, band } = fitted(twelve);
    assert.ok(band);
    const model = cohortModel({ ...input, params: fit.params });
    const inside = (name: string, { low, high }: { low: number; high: number }, point: number) => assert.ok(low < point && point < high, `${name}: ${point} outside ${low} – ${high}`);
    inside("alpha", band.alpha, fit.params.alpha);
    inside("beta", band.beta, fit.params.beta);
    inside("CLV", band.clvNewCustomer, model.clvNewCustomer);
    inside("customer equity", band.customerEquity, model.customerEquity);
    assert.equal(band.level, 0.9);
    assert.equal(band.draws, BAND_DRAWS);
  });

  it("is deterministic: the same fit and model give the same band", () => {
    const a = fitted(twelve);
    const b = fitted(twelve);
    assert.deepEqual(a.band, b.band);
    assert.deepEqual(cohortBand(a.fit, a.input), a.band);
    // Another seed gives other draws, and nearly the same band.
    const other = cohortBand(a.fit, a.input, { seed: 7 })!;
    assert.notDeepEqual(other, a.band);
    assert.ok(Math.abs(other.clvNewCustomer.low - a.band!.clvNewCustomer.low) < 0.2 * (a.band!.clvNewCustomer.high - a.band!.clvNewCustomer.low));
  });

  it("has no band for assumed parameters, a degenerate fit, one without standard errors, or one that did not converge", () => {
    const { fit, input } = fitted(twelve);
    assert.equal(cohortBand({ params: fit.params, logLikelihood: undefined, standardErrors: undefined }, input), undefined);
    assert.equal(cohortBand({ ...fit, logLikelihood: undefined as unknown as number }, input), undefined);
    assert.equal(cohortBand({ ...fit, standardErrors: undefined }, input), undefined);
    assert.equal(cohortBand({ ...fit, degenerate: "beta ran to infinity (1.2e+9)" }, input), undefined);
    assert.equal(cohortBand({ ...fit, converged: false }, input), undefined);
    // A real degenerate fit: survival that never bends (a constant 80% retention) sends beta to infinity.
    const flat: Cohort[] = Array.from({ length: 6 }, (_, i) => ({ size: 1000, survivors: Array.from({ length: 8 - i }, (_, t) => Math.round(1000 * 0.8 ** (t + 1))) }));
    const degenerate = fitShiftedBetaGeometric(flat);
    assert.ok(degenerate.converged && degenerate.degenerate);
    assert.equal(cohortBand(degenerate, { cohorts: flat, ...ECONOMICS }), undefined);
  });

  it("is quick, and caps its draws for a very large model", () => {
    const { fit, input } = fitted(twelve);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      cohortBand(fit, input);
      times.push(performance.now() - start);
    }
    times.sort((x, y) => x - y);
    const big: Cohort[] = Array.from({ length: 120 }, (_, i) => ({ size: 1000, survivors: twelve[0]!.survivors.concat(new Array<number>(120).fill(200)).slice(0, 120 - i) }));
    const bigFit = fitShiftedBetaGeometric(big);
    const start = performance.now();
    const bigBand = cohortBand(bigFit, { cohorts: big, ...ECONOMICS, horizon: 600 });
    const bigMs = performance.now() - start;
    console.log(`band of 12 cohorts, 36 months ahead: slowest of 20 ${times.at(-1)!.toFixed(1)} ms, median ${times[10]!.toFixed(1)} ms; 120 cohorts × 600 ahead: ${bigMs.toFixed(0)} ms, ${bigBand?.draws} draws`);
    assert.ok(bigBand && bigBand.draws >= 400 && bigBand.draws < BAND_DRAWS);
  });

  it("covers the true CLV of a new customer about 90% of the time (400 fits of simulated cohorts)", () => {
    const truth = { alpha: 0.9, beta: 2.2 };
    const ages = [10, 9, 8, 7, 6, 5, 4, 3];
    const trueClv = cohortModel({ cohorts: [], params: truth, ...ECONOMICS }).clvNewCustomer;
    const u = mulberry32(20261124);
    const replications = 400;
    let clvCovered = 0;
    let alphaCovered = 0;
    let betaCovered = 0;
    let equityCovered = 0;
    let noBand = 0;
    let bandMs = 0;
    for (let r = 0; r < replications; r++) {
      const cohorts = simulateCohorts(u, truth, 300, ages);
      const fit = fitShiftedBetaGeometric(cohorts);
      const input = { cohorts, ...ECONOMICS };
      const start = performance.now();
      const band = cohortBand(fit, input);
      bandMs += performance.now() - start;
      if (!band) {
        noBand++;
        continue;
      }
      const within = ({ low, high }: { low: number; high: number }, value: number) => low <= value && value <= high;
      if (within(band.clvNewCustomer, trueClv)) clvCovered++;
      if (within(band.alpha, truth.alpha)) alphaCovered++;
      if (within(band.beta, truth.beta)) betaCovered++;
      // The equity the true curve gives these cohorts' active customers.
      if (within(band.customerEquity, cohortModel({ ...input, params: truth }).customerEquity)) equityCovered++;
    }
    const share = (n: number) => n / replications;
    console.log(
      `coverage of the 90% band over ${replications} fits (α = 0.9, β = 2.2; ${ages.length} cohorts of 300, observed ${ages.at(-1)}–${ages[0]} months): ` +
        `CLV ${share(clvCovered).toFixed(3)} (true CLV ${trueClv.toFixed(2)}), alpha ${share(alphaCovered).toFixed(3)}, beta ${share(betaCovered).toFixed(3)}, customer equity ${share(equityCovered).toFixed(3)}; ` +
        `no band ${noBand}; band ${(bandMs / replications).toFixed(2)} ms on average`,
    );
    // Binomial(400, 0.9): standard deviation 0.015; the bounds are about −4 and +3.3 of them.
    assert.ok(noBand <= 2, `${noBand} fits without a band`);
    assert.ok(share(clvCovered) >= 0.84 && share(clvCovered) <= 0.95, `CLV coverage ${share(clvCovered)}`);
    assert.ok(share(alphaCovered) >= 0.84 && share(alphaCovered) <= 0.95, `alpha coverage ${share(alphaCovered)}`);
    assert.ok(share(betaCovered) >= 0.84 && share(betaCovered) <= 0.95, `beta coverage ${share(betaCovered)}`);
  });
});
