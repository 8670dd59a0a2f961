import { formatCount, describeNumber, invalidValue, notANumber } from "../errors";
import { positiveParams } from "../validate";
import { fitMaximumLikelihood, type FitLimits, type FitResult } from "../fitting/maximumLikelihood";
import { digamma, logGamma, trigamma } from "../special/gamma";
import { distinctValues, groupedOrder } from "./customers";

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
 * then costs a log and a division, which matters most on the first fit after a workbook
 * opens, when the code still runs unoptimised.
 */
export function gammaGammaLogLikelihood(data: SpendData) {
  const xs = distinctValues(data.x);
  const groups = xs.values.length;
  const { start, order } = groupedOrder(xs.index, groups);
  const mx = new Float64Array(order.length); // m x, in group order
  const weight = new Float64Array(order.length);
  const groupWeight = new Float64Array(groups);
  let constant = 0; // Σ w ln m
  let slopeP = 0; // Σ w x (ln m + ln x), the coefficient of p
  for (let at = 0; at < order.length; at++) {
    const i = order[at] as number;
    const x = data.x[i] as number;
    const m = data.m[i] as number;
    const w = data.weight[i] as number;
    mx[at] = m * x;
    weight[at] = w;
    const k = xs.index[i] as number;
    groupWeight[k] = (groupWeight[k] as number) + w;
    constant += w * Math.log(m);
    slopeP += w * x * (Math.log(m) + Math.log(x));
  }
  const total = data.customers;
  const sumLog = new Float64Array(groups); // Σ w ln B per group
  const sumInv = new Float64Array(groups); // Σ w/B
  const sumInv2 = new Float64Array(groups); // Σ w/B²
  return (params: readonly number[], withHessian?: boolean) => {
    const [p, q, gamma] = params as [number, number, number];
    for (let k = 0; k < groups; k++) {
      let lb = 0;
      let inv = 0;
      let inv2 = 0;
      for (let i = start[k] as number, end = start[k + 1] as number; i < end; i++) {
        const b = gamma + (mx[i] as number);
        const w = weight[i] as number;
        const u = w / b;
        lb += w * Math.log(b);
        inv += u;
        if (withHessian) inv2 += u / b;
      }
      sumLog[k] = lb;
      sumInv[k] = inv;
      sumInv2[k] = inv2;
    }
    const logGammaParam = Math.log(gamma);
    let value = p * slopeP - constant + total * (q * logGammaParam - logGamma(q));
    let dp = slopeP;
    let dq = total * (logGammaParam - digamma(q));
    let dg = (total * q) / gamma;
    let hpp = 0;
    let hpq = 0;
    let hpg = 0;
    let hqq = withHessian ? -total * trigamma(q) : 0;
    let hqg = total / gamma;
    let hgg = (-total * q) / (gamma * gamma);
    for (let k = 0; k < groups; k++) {
      const x = xs.values[k] as number;
      const w = groupWeight[k] as number;
      const px = p * x;
      const lb = sumLog[k] as number;
      const inv = sumInv[k] as number;
      const psiPxq = digamma(px + q);
      value += w * (logGamma(px + q) - logGamma(px)) - (px + q) * lb;
      dp += x * (w * (psiPxq - digamma(px)) - lb);
      dq += w * psiPxq - lb;
      dg -= (px + q) * inv;
      if (withHessian) {
        const tri = trigamma(px + q);
        hpp += w * x * x * (tri - trigamma(px));
        hpq += w * x * tri;
        hpg -= x * inv;
        hqq += w * tri;
        hqg -= inv;
        hgg += (px + q) * (sumInv2[k] as number);
      }
    }
    if (!withHessian) return { value, gradient: [dp, dq, dg] };
    return {
      value,
      gradient: [dp, dq, dg],
      hessian: [
        [hpp, hpq, hpg],
        [hpq, hqq, hqg],
        [hpg, hqg, hgg],
      ],
    };
  };
}

export function fitGammaGamma(input: SpendInput, limits: FitLimits = {}): FitResult<(typeof GAMMA_GAMMA_PARAMS)[number]> {
  const data = spendData(input);
  if (data.customers < 2) throw invalidValue("the spend model needs at least two customers with repeat purchases");
  let mean = 0;
  for (let i = 0; i < data.x.length; i++) mean += (data.weight[i] as number) * (data.m[i] as number);
  mean /= data.customers;
  // Start with E[spend] = pγ/(q−1) equal to the observed mean, at p = 1, q = 2.
  return fitMaximumLikelihood(GAMMA_GAMMA_PARAMS, gammaGammaLogLikelihood(data), [1, 2, mean], { ...limits, analyticHessian: true, describe: `${formatCount(data.customers)} repeat customers`, totalWeight: data.customers });
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
