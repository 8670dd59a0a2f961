import { formatCount, describeNumber, invalidValue, notANumber } from "../errors";
import { positiveParams } from "../validate";
import { convergedNewtonFit, fitMaximumLikelihood, GRADIENT_TOLERANCE, type FitLimits, type FitResult } from "../fitting/maximumLikelihood";
import { NEWTON_ITERATIONS } from "../fitting/minimize";
import { hashSlots, workspace } from "../kernels";

/**
 * The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV:
 * Using Iso-Value Curves for Customer Base Analysis", JMR 42(4); Fader & Hardie 2013,
 * "The Gamma-Gamma Model of Monetary Value"). A customer's transaction values are
 * Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the purchase process.
 * Data: for each repeat customer, x repeat transactions and their mean value m.
 */
export type GammaGammaParams = { p: number; q: number; gamma: number };
export const GAMMA_GAMMA_PARAMS = ["p", "q", "gamma"] as const;

export interface SpendInput {
  frequency: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
  weights?: ArrayLike<number>;
  /** The row number of each entry as the user sees it, for messages; default 1, 2, 3, … */
  rowNumbers?: ArrayLike<number>;
}

/** Repeat customers only (x > 0), collapsed by (x, m); weights are customer counts. */
export interface SpendData {
  x: Float64Array;
  m: Float64Array;
  weight: Float64Array;
  customers: number;
}

/**
 * Validates the data (rows named from 1) and keeps the customers with repeat transactions:
 * the model describes the mean of x ≥ 1 transaction values; customers with x = 0 have none.
 */
export function spendData(input: SpendInput): SpendData {
  const n = input.frequency.length;
  if (input.monetaryValue.length !== n || (input.weights && input.weights.length !== n)) {
    throw invalidValue(`frequency and monetary_value${input.weights ? " and weights" : ""} must have the same number of rows`);
  }
  const x: number[] = [];
  const m: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = input.rowNumbers ? (input.rowNumbers[i] as number) : i + 1;
    const xi = input.frequency[i] as number;
    const mi = input.monetaryValue[i] as number;
    const wi = input.weights ? (input.weights[i] as number) : 1;
    if (!(Number.isFinite(xi) && xi >= 0 && Number.isInteger(xi))) throw invalidValue(`row ${row}: frequency must be a whole number, 0 or more; got ${describeNumber(xi)}`);
    if (!(Number.isFinite(wi) && wi >= 0)) throw invalidValue(`row ${row}: weight must be a count, 0 or more; got ${describeNumber(wi)}`);
    if (xi === 0 || wi === 0) continue;
    if (!(Number.isFinite(mi) && mi > 0)) {
      throw invalidValue(`row ${row}: monetary_value must be a positive mean spend for a customer with repeat purchases; got ${describeNumber(mi)}`);
    }
    x.push(xi);
    m.push(mi);
    w.push(wi);
  }
  const customers = w.reduce((s, v) => s + v, 0);
  if (x.length === 0) throw invalidValue("no customer has repeat purchases: spend per transaction cannot be estimated");
  return { x: Float64Array.from(x), m: Float64Array.from(m), weight: Float64Array.from(w), customers };
}

/**
 * Log-likelihood and gradient in (p, q, γ) (Fader & Hardie 2013, eq. 5):
 * ln f(m | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x),
 * and with `withHessian` its second derivatives: ∂pp = x²(ψ′(px+q) − ψ′(px)),
 * ∂pq = x ψ′(px+q), ∂pγ = −x/B, ∂qq = ψ′(px+q) − ψ′(q), ∂qγ = 1/γ − 1/B,
 * ∂γγ = −q/γ² + (px+q)/B², with B = γ + m x.
 *
 * Only ln B and 1/B depend on both the row and the parameters: the rows are grouped by x
 * once, each evaluation sums w ln B, w/B (and w/B²) over each group, and every other term
 * comes from sums made once (of w ln m, w x ln m, w x ln x) or from the groups' x. A row
 * then costs a log and a division. Those sums, and ln Γ, ψ and ψ′ at px+q and px for each
 * group, are the kernels' (src/core/kernels): WebAssembly where the runtime has it, which
 * matters most on the first fit after a workbook opens, when the script still runs
 * unoptimised.
 */
export function gammaGammaLogLikelihood(data: SpendData) {
  return spendModel(data).logLikelihood;
}

/**
 * The likelihood of the data (see {@link gammaGammaLogLikelihood}) and a starting point for
 * its fit, from the same pass over the rows: by moments of ln m (the kernels' spendMoments
 * says how), which on CDNOW saves three of nine evaluations against p = 1, q = 2.
 */
function spendModel(data: SpendData) {
  const n = data.x.length;
  // The rows are grouped by x in the workspace, so it is sized for the most groups there can be:
  // x are whole numbers from 1, so no more than the largest x (and no more than the rows).
  let most = 0;
  for (let i = 0; i < n; i++) {
    const x = data.x[i] as number;
    if (!(x % 1 === 0 && x >= 1)) {
      most = n;
      break;
    }
    if (x > most) most = x;
  }
  const atMost = Math.min(n, most);
  const size = hashSlots(atMost);
  // The arrays the kernels read and write; the gamma-family arguments are px+q and px per group, then q.
  const ws = workspace(6 * n + 16 * atMost + 108, n + atMost + 1 + size);
  const x = ws.readF64(data.x);
  const distinctX = ws.f64(n);
  const rowGroup = ws.i32(n);
  const groups = ws.distinct(x, n, distinctX, rowGroup, ws.i32(size), size);
  const xValues = distinctX.subarray(0, groups);
  const arguments_ = 2 * groups + 1;
  const m = ws.readF64(data.m);
  const rowWeight = ws.readF64(data.weight);
  const starts = ws.i32(groups + 1);
  const mx = ws.f64(n); // m x, in group order
  const weight = ws.f64(n); // in group order
  const groupSums = ws.f64(4 * groups); // per group Σ w, Σ w ln m, Σ w (ln m)², Σ w m
  const unit = ws.spendPrepare(m, rowWeight, rowGroup, n, groups, xValues, starts, mx, weight, groupSums) === 1;
  const sums = ws.f64(3 * groups); // per group Σ w ln B, Σ w/B, Σ w/B²
  const args = ws.f64(arguments_);
  const family = ws.f64(3 * arguments_); // ln Γ, ψ, ψ′ of each argument
  const groupWeight = ws.f64(groups); // Σ w, where spendTerms reads it
  const total = data.customers;
  const moments = ws.f64(5); // Σ w ln m, Σ w x (ln m + ln x), and the start
  ws.spendMoments(xValues, groupSums, groups, total, groupWeight, moments);
  const constant = moments[0] as number;
  const slopeP = moments[1] as number; // the coefficient of p
  // Customers one to a row (no weights, or all 1): the rows' sums need no weights.
  const rowWeights = unit ? undefined : weight;
  const out = ws.f64(10);
  const logLikelihood = (params: readonly number[], withHessian?: boolean) => {
    ws.spendTerms(params[0] as number, params[1] as number, params[2] as number, total, slopeP, constant, groups, xValues, groupWeight, starts, mx, rowWeights, args, family, sums, out);
    const gradient = [out[1] as number, out[2] as number, out[3] as number];
    if (!withHessian) return { value: out[0] as number, gradient };
    // out[4…9]: pp, pq, pγ, qq, qγ, γγ
    const h = (i: number) => out[4 + i] as number;
    return {
      value: out[0] as number,
      gradient,
      hessian: [
        [h(0), h(1), h(2)],
        [h(1), h(3), h(4)],
        [h(2), h(4), h(5)],
      ],
    };
  };
  // The whole fit in the kernel where it is WebAssembly and the data are small enough that its
  // every evaluation (at most 25 Newton steps of 31) stays well within a custom function's budget.
  const kernelFit =
    ws.spendFit && n <= KERNEL_FIT_ROWS && groups <= KERNEL_FIT_GROUPS
      ? (start: readonly number[], polish: number) => {
          const phi = ws.f64(3);
          for (let i = 0; i < 3; i++) phi[i] = Math.log(start[i] as number);
          const work = ws.f64(86);
          const model = { total, slopeP, constant, groups, xs: xValues, groupWeight, start: starts, mx, weight: rowWeights, args, family, sums, out };
          const iterations = ws.spendFit!(phi, work, 1 / total, GRADIENT_TOLERANCE, polish, NEWTON_ITERATIONS, model);
          if (iterations < 0) return undefined;
          const errors = Number.isNaN(work[25]) ? undefined : [work[25] as number, work[26] as number, work[27] as number];
          return convergedNewtonFit(GAMMA_GAMMA_PARAMS, phi, work[0] as number, iterations, errors, total);
        }
      : undefined;
  const start = [moments[2] as number, moments[3] as number, moments[4] as number];
  return { logLikelihood, kernelFit, start, release: () => ws.release() };
}

/**
 * The most rows and groups (distinct x) whose fit runs whole in the kernel: an evaluation then
 * takes at most about 0.3 ms, so even 25 Newton steps backtracked 30 times each end within
 * 0.25 s, with no clock to look at. Larger data take the script's search, which checks the
 * deadline before every evaluation.
 */
const KERNEL_FIT_ROWS = 20_000;
const KERNEL_FIT_GROUPS = 1_000;

export function fitGammaGamma(input: SpendInput, limits: FitLimits = {}): FitResult<(typeof GAMMA_GAMMA_PARAMS)[number]> {
  return fitSpendData(spendData(input), limits);
}

/** Fits the model to spend data already checked (by spendData, or read from cells as spendData reads them). */
export function fitSpendData(data: SpendData, limits: FitLimits = {}): FitResult<(typeof GAMMA_GAMMA_PARAMS)[number]> {
  if (data.customers < 2) throw invalidValue("the spend model needs at least two customers with repeat purchases");
  const { logLikelihood, kernelFit, start, release } = spendModel(data);
  try {
    // From the moment start Newton's method takes another path than from p = 1, q = 2: one more
    // step where it still pays makes the fit the same, to about 1e−10, whichever path it took.
    const polishTolerance = 1e-11;
    // The same search run whole in WebAssembly, where it is; the script's where it is not, or where
    // the kernel's search did not converge by Newton's method alone (the script goes on by BFGS).
    const fast = kernelFit?.(start, polishTolerance);
    if (fast) return fast;
    return fitMaximumLikelihood(GAMMA_GAMMA_PARAMS, logLikelihood, start, {
      ...limits,
      analyticHessian: true,
      polishTolerance,
      describe: () => `${formatCount(data.customers)} repeat customers`,
      totalWeight: data.customers,
    });
  } finally {
    release();
  }
}

export function requireGammaGammaParams(params: readonly number[]): GammaGammaParams {
  return positiveParams(params, GAMMA_GAMMA_PARAMS, "the result of LTV.GG_FIT");
}

/**
 * Expected mean spend per transaction of a customer with x repeat transactions of mean m
 * (Fader, Hardie & Lee 2005b, eq. 3): E[M | x, m] = p(γ + x m)/(px + q − 1), a weighted
 * mean of the population mean pγ/(q−1) and the customer's own m. For x = 0 it is the
 * population mean, defined for q > 1.
 */
export function gammaGammaExpectedSpend({ p, q, gamma }: GammaGammaParams, frequency: number, monetaryValue: number): number {
  if (!(Number.isFinite(frequency) && frequency >= 0 && Number.isInteger(frequency))) {
    throw invalidValue(`frequency must be a whole number, 0 or more; got ${describeNumber(frequency)}`);
  }
  const x = frequency;
  const m = x === 0 ? 0 : monetaryValue;
  if (x > 0 && !(Number.isFinite(m) && m > 0)) throw invalidValue(`monetary_value must be a positive mean spend; got ${describeNumber(monetaryValue)}`);
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) {
    throw notANumber(`the expected spend is infinite: p·frequency + q − 1 = ${describeNumber(denominator)} is not positive (q must exceed 1 for a customer without repeat purchases)`);
  }
  return (p * (gamma + x * m)) / denominator;
}
