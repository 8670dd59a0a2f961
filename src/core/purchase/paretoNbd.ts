import { positiveParams } from "../validate";
import { fitMaximumLikelihood, type FitResult } from "../fitting/maximumLikelihood";
import { GammaRatios } from "../special/gammaRatios";
import { customerMeans, distinctValues, type CustomerSummary } from "./customers";
import { requireRepeatPurchases } from "./bgnbd";

/**
 * The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987, "Counting Your Customers",
 * Management Science 33(1)). While active a customer buys at Poisson rate λ ~ Gamma(r, α)
 * and drops out after an exponential lifetime of rate μ ~ Gamma(s, β). The likelihood is
 * the one of Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions", eqs. (16)-(18).
 */
export type ParetoNbdParams = { r: number; alpha: number; s: number; beta: number };
export const PARETO_NBD_PARAMS = ["r", "alpha", "s", "beta"] as const;

/** Terms beyond which a hypergeometric series is cut: reached only for z within 1e-4 of 1. */
const MAX_TERMS = 100_000;

/**
 * ln of 2F1(a, b; a+1; z) for 0 ≤ z < 1 and its derivatives in a, b and z. By Euler's
 * transformation (DLMF 15.8.1), 2F1(a, b; a+1; z) = (1−z)^(1−b) · 2F1(1, a+1−b; a+1; z),
 * and the second series Σ_k (a+1−b)_k/(a+1)_k z^k has positive terms whose ratio stays
 * below z when b > 0, so it neither overflows for large b nor loses digits to cancellation.
 * The parameter derivatives are summed term by term alongside the series. Requires
 * a + 1 − b > 0, as in both branches of the likelihood (a + 1 − b is s + 1 or r + x).
 */
export function logHyp2f1AOnePlusA(a: number, b: number, z: number, out: Float64Array): number {
  const c1 = a + 1 - b;
  const c2 = a + 1;
  let term = 1;
  let sum = 1;
  let dC1 = 0; // Σ_k g_k Σ_{j<k} 1/(c1+j)
  let dC2 = 0; // Σ_k g_k Σ_{j<k} 1/(c2+j)
  let dZ = 0; // Σ_k k g_k / z, built without dividing by z
  let h1 = 0;
  let h2 = 0;
  for (let k = 1; k <= MAX_TERMS; k++) {
    const inverse = 1 / (c2 + k - 1);
    const ratio = (c1 + k - 1) * inverse;
    dZ += k * term * ratio;
    h1 += 1 / (c1 + k - 1);
    h2 += inverse;
    term *= ratio * z;
    sum += term;
    dC1 += term * h1;
    dC2 += term * h2;
    if (term <= 1e-16 * sum * (1 - z)) break; // the tail is below term · z/(1−z)
  }
  const log1mz = Math.log1p(-z);
  // ∂/∂a acts through c1 and c2; ∂/∂b through the prefactor and c1 (c1 = a+1−b).
  out[0] = (dC1 - dC2) / sum;
  out[1] = -log1mz - dC1 / sum;
  out[2] = (b - 1) / (1 - z) + dZ / sum;
  return (1 - b) * log1mz + Math.log(sum);
}

/**
 * Log-likelihood of the data and its gradient in (r, α, s, β):
 * L = Γ(r+x) α^r β^s / Γ(r) · [ 1/((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A0 ],
 * A0 = F(z1)/(m+t_x)^(r+s+x) − F(z2)/(m+T)^(r+s+x), with m = max(α, β) and, for α ≥ β,
 * F(z) = 2F1(r+s+x, s+1; r+s+x+1; z), z = (α−β)/(α+·); for α < β, F(z) = 2F1(r+s+x, r+x;
 * r+s+x+1; z), z = (β−α)/(β+·). Everything is carried in logarithms: (α+T)^(r+x) overflows
 * for customers with hundreds of purchases.
 */
export function paretoNbdLogLikelihood(data: CustomerSummary) {
  const xs = distinctValues(data.frequency);
  const ratios = new GammaRatios(xs.values, 1);
  const d1 = new Float64Array(3);
  const d2 = new Float64Array(3);

  return (params: readonly number[]) => {
    const [r, alpha, s, beta] = params as [number, number, number, number];
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return { value: Number.NaN, gradient: [Number.NaN, Number.NaN, Number.NaN, Number.NaN] };
    ratios.update(r);
    const logAlpha = Math.log(alpha);
    const logBetaParam = Math.log(beta);
    const logS = Math.log(s);
    const alphaLarger = alpha >= beta;
    const m = alphaLarger ? alpha : beta;
    const diff = Math.abs(alpha - beta);
    let value = 0;
    let dr = 0;
    let dAlpha = 0;
    let ds = 0;
    let dBeta = 0;
    for (let i = 0; i < data.rows; i++) {
      const w = data.weight[i] as number;
      const x = data.frequency[i] as number;
      const tx = data.recency[i] as number;
      const T = data.T[i] as number;
      const rx = r + x;
      const a = r + s + x;
      value += w * (ratios.log(0, x) + r * logAlpha + s * logBetaParam);
      dr += w * (ratios.psi(0, x) + logAlpha);
      dAlpha += (w * r) / alpha;
      ds += w * logBetaParam;
      dBeta += (w * s) / beta;

      // B1 = −(r+x) ln(α+T) − s ln(β+T)
      const logAT = Math.log(alpha + T);
      const logBT = Math.log(beta + T);
      const b1 = -rx * logAT - s * logBT;

      // ln A0 = L1 + ln(1 − e^(L2−L1)), L = ln F(z) − a ln(m + t)
      const b = alphaLarger ? s + 1 : rx;
      const base1 = m + tx;
      const base2 = m + T;
      const l1 = logHyp2f1AOnePlusA(a, b, diff / base1, d1) - a * Math.log(base1);
      const l2 = logHyp2f1AOnePlusA(a, b, diff / base2, d2) - a * Math.log(base2);
      const q = Math.exp(l2 - l1);
      let p = 0; // share of the A0 term in the bracket
      let b2 = Number.NEGATIVE_INFINITY;
      if (q < 1) {
        b2 = logS - Math.log(a) + l1 + Math.log(-Math.expm1(l2 - l1));
      }
      const top = Math.max(b1, b2);
      const e = Math.exp(-Math.abs(b1 - b2));
      value += w * (top + Math.log1p(e));
      if (b2 !== Number.NEGATIVE_INFINITY) p = b2 >= b1 ? 1 / (1 + e) : e / (1 + e);

      // Gradient of ln(e^B1 + e^B2) = (1−p) ∇B1 + p ∇B2.
      dr -= w * (1 - p) * logAT;
      dAlpha -= (w * (1 - p) * rx) / (alpha + T);
      ds -= w * (1 - p) * logBT;
      dBeta -= (w * (1 - p) * s) / (beta + T);
      if (p === 0) continue;
      // ∇L for each of the two terms, then ∇ ln A0 = (∇L1 − q ∇L2)/(1 − q). With
      // a = r+s+x: for α ≥ β, b = s+1 and z = (α−β)/(α+t); for α < β, b = r+x and z = (β−α)/(β+t).
      const logBase1 = Math.log(base1);
      const logBase2 = Math.log(base2);
      const scale = (w * p) / (1 - q);
      const dA = (d1[0] as number) - q * (d2[0] as number);
      const dB = (d1[1] as number) - q * (d2[1] as number);
      const dLogBase = logBase1 - q * logBase2;
      const dZ1 = d1[2] as number;
      const dZ2 = d2[2] as number;
      const dZdm1 = ((alphaLarger ? beta : alpha) + tx) / (base1 * base1); // ∂z/∂m at t_x
      const dZdm2 = ((alphaLarger ? beta : alpha) + T) / (base2 * base2);
      const dLarger = dZ1 * dZdm1 - a / base1 - q * (dZ2 * dZdm2 - a / base2); // ∂ ln A0 / ∂m (times 1−q)
      const dSmaller = -dZ1 / base1 + (q * dZ2) / base2; // ∂ ln A0 / ∂ the smaller rate (times 1−q)
      const wp = w * p;
      if (alphaLarger) {
        dr += wp * (-1 / a) + scale * (dA - dLogBase);
        ds += wp * (1 / s - 1 / a) + scale * (dA + dB - dLogBase);
        dAlpha += scale * dLarger;
        dBeta += scale * dSmaller;
      } else {
        dr += wp * (-1 / a) + scale * (dA + dB - dLogBase);
        ds += wp * (1 / s - 1 / a) + scale * (dA - dLogBase);
        dBeta += scale * dLarger;
        dAlpha += scale * dSmaller;
      }
    }
    return { value, gradient: [dr, dAlpha, ds, dBeta] };
  };
}

export function fitParetoNbd(data: CustomerSummary): FitResult<(typeof PARETO_NBD_PARAMS)[number]> {
  requireRepeatPurchases(data);
  const { meanT, meanX } = customerMeans(data);
  // Start with the mean purchase rate r/α at the observed rate, and dropout rates on the scale of T.
  return fitMaximumLikelihood(PARETO_NBD_PARAMS, paretoNbdLogLikelihood(data), [0.5, (0.5 * meanT) / Math.max(meanX, 0.01), 0.5, meanT / 2], {
    totalWeight: data.customers,
  });
}

export function requireParetoNbdParams(params: readonly number[]): ParetoNbdParams {
  return positiveParams(params, PARETO_NBD_PARAMS, "the result of LTV.PNBD_FIT");
}

/** [1 − (b/(b+t))^u] / u, continuous through u = 0 (where it is ln(1 + t/b)). */
function powerDifference(u: number, b: number, t: number): number {
  const logRatio = Math.log(b) - Math.log(b + t); // ≤ 0
  const v = u * logRatio;
  if (Math.abs(v) < 1e-8) return -logRatio * (1 + v / 2);
  return -Math.expm1(v) / u;
}

/** Expected purchases of a new customer in (0, t] (Fader & Hardie 2005 note, eq. 17): rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]. */
export function paretoNbdExpectedPurchases({ r, alpha, s, beta }: ParetoNbdParams, t: number): number {
  if (t === 0) return 0;
  return ((r * beta) / alpha) * powerDifference(s - 1, beta, t);
}

/** P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A0) (Fader & Hardie 2005 note, eq. 18). */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, frequency: number, recency: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const x = frequency;
  const a = r + s + x;
  const alphaLarger = alpha >= beta;
  const m = alphaLarger ? alpha : beta;
  const b = alphaLarger ? s + 1 : r + x;
  const scratch = new Float64Array(3);
  const l1 = logHyp2f1AOnePlusA(a, b, Math.abs(alpha - beta) / (m + recency), scratch) - a * Math.log(m + recency);
  const l2 = logHyp2f1AOnePlusA(a, b, Math.abs(alpha - beta) / (m + T), scratch) - a * Math.log(m + T);
  if (!(l2 < l1)) return 1; // t_x = T: no time to have died unseen
  const logA0 = l1 + Math.log(-Math.expm1(l2 - l1));
  const logOdds = Math.log(s) - Math.log(a) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logA0;
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in the next t of a customer with history (x, t_x, T) (Fader & Hardie
 * 2005 note, eq. 19): (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive).
 */
export function paretoNbdConditionalExpectedPurchases(params: ParetoNbdParams, t: number, frequency: number, recency: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, s, beta } = params;
  const x = frequency;
  return (((r + x) * (beta + T)) / (alpha + T)) * powerDifference(s - 1, beta + T, t) * paretoNbdProbabilityAlive(params, x, recency, T);
}
