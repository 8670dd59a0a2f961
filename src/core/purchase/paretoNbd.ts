import { positiveParams } from "../validate";
import { formatCount } from "../errors";
import { checkDistinctRows, fitMaximumLikelihood, type FitLimits, type FitResult } from "../fitting/maximumLikelihood";
import { GammaRatios } from "../special/gammaRatios";
import { workspace } from "../kernels";
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

/** Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on the Legendre polynomial P_n. */
function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * derivative * derivative);
  }
  return { nodes, weights };
}

const RULE = gaussLegendre(12);
const SERIES_D1 = new Float64Array(3);
const SERIES_D2 = new Float64Array(3);
/** Work arrays of P(alive), reused: it runs once per customer of a column that may hold a million. */
const ALIVE_SCRATCH = new Float64Array(4);
const ALIVE_GRADIENT = new Float64Array(5);
/** Fall of ln f allowed across one panel, and the fall after which the rest is negligible (e^−45 ≈ 3e−20). */
const PANEL_FALL = 3;
const NEGLIGIBLE_FALL = 45;
/** A bound on the panels, never reached by parameters a fit or a user can produce (a few dozen are the most seen). */
const MAX_PANELS = 400;

/**
 * The death integral of the Pareto/NBD likelihood and its logarithmic derivatives:
 * J = ∫_{t_x}^{T} (α+τ)^−k (β+τ)^−S dτ, k = r + x, S = s + 1: the chance, up to the factor
 * Γ(r+x)α^r s β^s/Γ(r), that the customer bought x times by t_x and died unseen at some τ in
 * (t_x, T]. Fader & Hardie's closed form writes it as a difference of two Gauss
 * hypergeometric functions whose series needs about (β+t)/(α+t) terms, 100,000 and more
 * when β ≫ α; here it is integrated directly. The integrand is smooth and falls
 * monotonically; panels of 12-point Gauss–Legendre each span at most a fall of 3 in ln f and
 * at most the distance to the integrand's branch points at −α and −β, which bounds the
 * error of each panel near 1e−16, and the sum stops once the integrand has fallen by e^−45.
 * So the cost is at most a few dozen panels whatever α, β, r, s and x are (the panels grow
 * geometrically with α + τ and β + τ).
 *
 * Returns ln J (−∞ when t_x = T) and, in `out`, ∂ln J/∂k, ∂ln J/∂α, ∂ln J/∂S, ∂ln J/∂β.
 */
export function logDeathIntegral(k: number, S: number, alpha: number, beta: number, tx: number, T: number, out: Float64Array): number {
  out.fill(0);
  if (!(T > tx)) return Number.NEGATIVE_INFINITY;
  const g = (tau: number) => k * Math.log(alpha + tau) + S * Math.log(beta + tau);
  const g0 = g(tx);
  let sum = 0;
  let sk = 0;
  let sAlpha = 0;
  let sS = 0;
  let sBeta = 0;
  let start = tx;
  // No panel narrower than 2^−40 of the interval: panels then at least double until they reach
  // the integrand's scale, so even α or β of 1e−300 (where 1/α overflows) costs a bounded number.
  const narrowest = (T - tx) * 2 ** -40;
  for (let panels = 0; start < T && panels < MAX_PANELS; panels++) {
    const slope = k / (alpha + start) + S / (beta + start);
    const h = Math.min(Math.max(Math.min(PANEL_FALL / slope, alpha + start, beta + start), narrowest), T - start);
    const half = h / 2;
    for (let i = 0; i < RULE.nodes.length; i++) {
      const tau = start + half * (1 + (RULE.nodes[i] as number));
      const la = Math.log(alpha + tau);
      const lb = Math.log(beta + tau);
      const f = (RULE.weights[i] as number) * half * Math.exp(g0 - k * la - S * lb);
      sum += f;
      sk -= f * la;
      sAlpha -= (f * k) / (alpha + tau);
      sS -= f * lb;
      sBeta -= (f * S) / (beta + tau);
    }
    const last = h === T - start;
    start += h;
    if (last || g(start) - g0 > NEGLIGIBLE_FALL) break;
  }
  if (!(sum > 0 && Number.isFinite(sum))) return Number.NEGATIVE_INFINITY; // the integrand underflowed everywhere: J is 0 to the last digit
  out[0] = sk / sum;
  out[1] = sAlpha / sum;
  out[2] = sS / sum;
  out[3] = sBeta / sum;
  return Math.log(sum) - g0;
}

/** The series is used up to this z, where it needs at most about 170 terms; beyond, the death integral is integrated. */
const SERIES_MAX_Z = 0.8;
const MAX_TERMS = 400;

/**
 * ln of 2F1(a, b; a+1; z) for 0 ≤ z < 1 and its derivatives in a, b and z. By Euler's
 * transformation (DLMF 15.8.1), 2F1(a, b; a+1; z) = (1−z)^(1−b) · 2F1(1, a+1−b; a+1; z),
 * and the second series Σ_k (a+1−b)_k/(a+1)_k z^k has positive terms whose ratio stays
 * below z when b > 0, so it neither overflows for large b nor loses digits to cancellation.
 * The parameter derivatives are summed term by term alongside the series. Requires
 * a + 1 − b > 0, as in both branches of the likelihood (a + 1 − b is s + 1 or r + x), and
 * z ≤ SERIES_MAX_Z, so the number of terms is bounded.
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
 * ln of the bracket by Fader & Hardie's closed form, for the common case where it is cheap
 * and exact: A0 = F(z1)/(m+t_x)^a − F(z2)/(m+T)^a with F(z) = 2F1(a, b; a+1; z), a = r+s+x,
 * m = max(α, β); for α ≥ β, b = s+1 and z = (α−β)/(α+·); for α < β, b = r+x and
 * z = (β−α)/(β+·). Returns NaN where it is not: z above SERIES_MAX_Z (a slow series,
 * β ≫ α or α ≫ β) or the two terms of A0 within 1% of each other (t_x close to T, where their
 * difference loses digits); the death integral takes those. Writes the gradient and
 * ln P(alive) as {@link logBracket} does.
 */
function seriesBracket(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
  logBase1: number,
  logBase2: number,
  logAT: number,
  logBT: number,
  logS: number,
  logA: number,
  d1: Float64Array,
  d2: Float64Array,
  out: Float64Array,
): number {
  const alphaLarger = alpha >= beta;
  const m = alphaLarger ? alpha : beta;
  const diff = Math.abs(alpha - beta);
  const base1 = m + tx;
  const base2 = m + T;
  if (diff / base1 > SERIES_MAX_Z || !(T > tx)) return Number.NaN;
  const rx = r + x;
  const a = r + s + x;
  const b = alphaLarger ? s + 1 : rx;
  const l1 = logHyp2f1AOnePlusA(a, b, diff / base1, d1) - a * logBase1;
  const l2 = logHyp2f1AOnePlusA(a, b, diff / base2, d2) - a * logBase2;
  if (!(l1 - l2 > 0.01)) return Number.NaN;
  const b1 = -rx * logAT - s * logBT; // ln E
  const q = Math.exp(l2 - l1);
  const b2 = logS - logA + l1 + Math.log(-Math.expm1(l2 - l1)); // ln(s/(r+s+x) · A0)
  const top = Math.max(b1, b2);
  const e = Math.exp(-Math.abs(b1 - b2));
  const value = top + Math.log1p(e);
  const p = b2 >= b1 ? 1 / (1 + e) : e / (1 + e); // share of the A0 term in the bracket
  // Gradient of ln(e^B1 + e^B2) = (1−p) ∇B1 + p ∇B2, with ∇ ln A0 = (∇L1 − q ∇L2)/(1 − q).
  let dr = -(1 - p) * logAT;
  let dAlpha = (-(1 - p) * rx) / (alpha + T);
  let ds = -(1 - p) * logBT;
  let dBeta = (-(1 - p) * s) / (beta + T);
  const scale = p / (1 - q);
  const dA = (d1[0] as number) - q * (d2[0] as number);
  const dB = (d1[1] as number) - q * (d2[1] as number);
  const dLogBase = logBase1 - q * logBase2;
  const dZ1 = d1[2] as number;
  const dZ2 = d2[2] as number;
  const dZdm1 = ((alphaLarger ? beta : alpha) + tx) / (base1 * base1); // ∂z/∂m at t_x
  const dZdm2 = ((alphaLarger ? beta : alpha) + T) / (base2 * base2);
  const dLarger = dZ1 * dZdm1 - a / base1 - q * (dZ2 * dZdm2 - a / base2); // ∂ ln A0 / ∂m (times 1−q)
  const dSmaller = -dZ1 / base1 + (q * dZ2) / base2; // ∂ ln A0 / ∂ the smaller rate (times 1−q)
  if (alphaLarger) {
    dr += p * (-1 / a) + scale * (dA - dLogBase);
    ds += p * (1 / s - 1 / a) + scale * (dA + dB - dLogBase);
    dAlpha += scale * dLarger;
    dBeta += scale * dSmaller;
  } else {
    dr += p * (-1 / a) + scale * (dA + dB - dLogBase);
    ds += p * (1 / s - 1 / a) + scale * (dA - dLogBase);
    dBeta += scale * dLarger;
    dAlpha += scale * dSmaller;
  }
  out[0] = dr;
  out[1] = dAlpha;
  out[2] = ds;
  out[3] = dBeta;
  out[4] = b1 - value;
  return value;
}

/**
 * ln of the likelihood's bracket, E + s·J with E = (α+T)^−(r+x) (β+T)^−s (alive at T) and J
 * the death integral, and its gradient in (r, α, s, β) in out[0…3]; in out[4], ln P(alive) =
 * ln E − ln(E + sJ). By Fader & Hardie's closed form where its series is short and its
 * difference exact (see seriesBracket), else by integrating J: either way in a bounded number
 * of steps. The logarithms it needs that other customers share come from the caller, which
 * makes them once per distinct T, t_x or x: of m + t_x and m + T (m = max(α, β)), α + T,
 * β + T, s and r + s + x. They come as arguments: an object or an array to carry them would
 * cost a boxed number per read while the code still runs unoptimised.
 */
function logBracket(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
  logBase1: number,
  logBase2: number,
  logAT: number,
  logBT: number,
  logS: number,
  logA: number,
  scratch: Float64Array,
  out: Float64Array,
): number {
  const viaSeries = seriesBracket(r, alpha, s, beta, x, tx, T, logBase1, logBase2, logAT, logBT, logS, logA, SERIES_D1, SERIES_D2, out);
  if (viaSeries === viaSeries) return viaSeries; // not NaN: the closed form applied
  const k = r + x;
  const logE = -k * logAT - s * logBT;
  const logJ = logDeathIntegral(k, s + 1, alpha, beta, tx, T, scratch);
  const logSJ = logS + logJ;
  const top = Math.max(logE, logSJ);
  const value = logSJ === Number.NEGATIVE_INFINITY ? logE : top + Math.log(Math.exp(logE - top) + Math.exp(logSJ - top));
  const pE = Math.exp(logE - value); // share of E in the bracket: P(alive)
  const pJ = 1 - pE;
  out[0] = -pE * logAT + pJ * (scratch[0] as number);
  out[1] = (-pE * k) / (alpha + T) + pJ * (scratch[1] as number);
  out[2] = -pE * logBT + pJ * (1 / s + (scratch[2] as number));
  out[3] = (-pE * s) / (beta + T) + pJ * (scratch[3] as number);
  out[4] = logE - value;
  return value;
}

/** One customer's bracket (predictions), its logarithms computed here; ln P(alive) in out[4]. */
function customerBracket(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number, scratch: Float64Array, out: Float64Array): number {
  const m = alpha >= beta ? alpha : beta;
  return logBracket(r, alpha, s, beta, x, tx, T, Math.log(m + tx), Math.log(m + T), Math.log(alpha + T), Math.log(beta + T), Math.log(s), Math.log(r + s + x), scratch, out);
}

/**
 * Log-likelihood of the data and its gradient in (r, α, s, β) (Fader & Hardie 2005 note,
 * eqs. 16–18, with the A0 term as the death integral above):
 * L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ].
 * Everything is carried in logarithms: (α+T)^(r+x) overflows for customers with hundreds
 * of purchases. The logarithms customers share (of α + T, β + T, m + T per distinct T, of
 * m + t_x per distinct t_x, of r + s + x per distinct x) are made once per evaluation, not
 * once per customer: on the first fit after a workbook opens, while the code still runs
 * unoptimised, a customer's work is then mostly its two short series.
 */
export function paretoNbdLogLikelihood(data: CustomerSummary) {
  return paretoNbdModel(data).logLikelihood;
}

/** The likelihood of {@link paretoNbdLogLikelihood}, and the hand-back of its kernels' workspace once the fit is done. */
function paretoNbdModel(data: CustomerSummary) {
  const xs = distinctValues(data.frequency);
  const ts = distinctValues(data.T);
  const txs = distinctValues(data.recency);
  const ratios = new GammaRatios(xs.values, 1);
  const [nT, nTx, nx, rows] = [ts.values.length, txs.values.length, xs.values.length, data.rows];
  // The arrays the brackets' kernel reads: the rows, the shared logarithms, the quadrature rule.
  const ws = workspace(4 * rows + 3 * nT + nTx + nx + 2 * RULE.nodes.length + 16 + 5, 3 * rows);
  const scratch = ws.f64(16);
  const d = ws.f64(5);
  const logAlphaT = ws.f64(nT);
  const logBetaT = ws.f64(nT);
  const logBase2 = ws.f64(nT);
  const logBase1 = ws.f64(nTx);
  const logA = ws.f64(nx);
  const kernel = ws.pnbdBrackets;
  const rowData = kernel && {
    weight: ws.readF64(data.weight),
    frequency: ws.readF64(data.frequency),
    recency: ws.readF64(data.recency),
    T: ws.readF64(data.T),
    x: ws.readI32(xs.index),
    t: ws.readI32(ts.index),
    tx: ws.readI32(txs.index),
    nodes: ws.readF64(RULE.nodes),
    weights: ws.readF64(RULE.weights),
  };
  // The customers (weights) of each distinct x: the terms of a customer that depend on x and the parameters alone are summed per x.
  const weightX = new Float64Array(xs.values.length);
  for (let i = 0; i < data.rows; i++) {
    const k = xs.index[i] as number;
    weightX[k] = (weightX[k] as number) + (data.weight[i] as number);
  }
  const total = data.customers;
  const indices: DistinctIndices = { x: xs.index, T: ts.index, tx: txs.index };
  const logs: SharedLogs = { alphaT: logAlphaT, betaT: logBetaT, base1: logBase1, base2: logBase2, a: logA };

  const logLikelihood = (params: readonly number[]) => {
    const [r, alpha, s, beta] = params as [number, number, number, number];
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return { value: Number.NaN, gradient: [Number.NaN, Number.NaN, Number.NaN, Number.NaN] };
    ratios.update(r);
    const logAlpha = Math.log(alpha);
    const logBetaParam = Math.log(beta);
    const m = alpha >= beta ? alpha : beta;
    for (let j = 0; j < ts.values.length; j++) {
      const T = ts.values[j] as number;
      logAlphaT[j] = Math.log(alpha + T);
      logBetaT[j] = Math.log(beta + T);
      logBase2[j] = Math.log(m + T);
    }
    for (let j = 0; j < txs.values.length; j++) logBase1[j] = Math.log(m + (txs.values[j] as number));
    // ln Γ(r+x) − ln Γ(r) + r ln α + s ln β and its derivatives, which depend on the customer only through x.
    let value = total * (r * logAlpha + s * logBetaParam);
    let dr = total * logAlpha;
    let dAlpha = (total * r) / alpha;
    let ds = total * logBetaParam;
    let dBeta = (total * s) / beta;
    for (let j = 0; j < xs.values.length; j++) {
      const x = xs.values[j] as number;
      logA[j] = Math.log(r + s + x);
      value += (weightX[j] as number) * ratios.log(0, x);
      dr += (weightX[j] as number) * ratios.psi(0, x);
    }
    // Each customer's bracket.
    if (kernel && rowData) {
      const k = rowData;
      kernel(r, alpha, s, beta, Math.log(s), rows, k.weight, k.frequency, k.recency, k.T, k.x, k.t, k.tx, logAlphaT, logBetaT, logBase1, logBase2, logA, k.nodes, k.weights, scratch, d);
    } else {
      bracketSums(data, indices, logs, r, alpha, s, beta, Math.log(s), scratch, d);
    }
    value += d[4] as number;
    dr += d[0] as number;
    dAlpha += d[1] as number;
    ds += d[2] as number;
    dBeta += d[3] as number;
    return { value, gradient: [dr, dAlpha, ds, dBeta] };
  };
  return { logLikelihood, release: () => ws.release() };
}

/** For each customer (row), the index of its x, T and t_x among the distinct ones. */
interface DistinctIndices {
  x: Int32Array;
  T: Int32Array;
  tx: Int32Array;
}

/** The logarithms customers share at the parameters being evaluated (see {@link logBracket}), by distinct T, t_x or x. */
interface SharedLogs {
  alphaT: Float64Array;
  betaT: Float64Array;
  base1: Float64Array;
  base2: Float64Array;
  a: Float64Array;
}

/**
 * Σ w ln(bracket) over the customers, and its gradient, into out[4] and out[0…3]. A
 * function of its own, small and called with the same types every time, so that the engine
 * compiles it to machine code early in the first fit; the per-customer work it calls
 * (logBracket) is compiled apart.
 */
function bracketSums(data: CustomerSummary, indices: DistinctIndices, logs: SharedLogs, r: number, alpha: number, s: number, beta: number, logS: number, scratch: Float64Array, out: Float64Array): void {
  const { weight, frequency, recency, T } = data;
  const { alphaT, betaT, base1, base2, a } = logs;
  let value = 0;
  let dr = 0;
  let dAlpha = 0;
  let ds = 0;
  let dBeta = 0;
  for (let i = 0; i < data.rows; i++) {
    const w = weight[i] as number;
    const t = indices.T[i] as number;
    const bracket = logBracket(
      r,
      alpha,
      s,
      beta,
      frequency[i] as number,
      recency[i] as number,
      T[i] as number,
      base1[indices.tx[i] as number] as number,
      base2[t] as number,
      alphaT[t] as number,
      betaT[t] as number,
      logS,
      a[indices.x[i] as number] as number,
      scratch,
      out,
    );
    value += w * bracket;
    dr += w * (out[0] as number);
    dAlpha += w * (out[1] as number);
    ds += w * (out[2] as number);
    dBeta += w * (out[3] as number);
  }
  out[0] = dr;
  out[1] = dAlpha;
  out[2] = ds;
  out[3] = dBeta;
  out[4] = value;
}

export function fitParetoNbd(data: CustomerSummary, limits: FitLimits = {}): FitResult<(typeof PARETO_NBD_PARAMS)[number]> {
  requireRepeatPurchases(data);
  checkDistinctRows(data.rows, data.customers, limits);
  const { meanT, meanX } = customerMeans(data);
  const { logLikelihood, release } = paretoNbdModel(data);
  try {
    // Start with the mean purchase rate r/α at the observed rate, and dropout rates on the scale of T.
    return fitMaximumLikelihood(PARETO_NBD_PARAMS, logLikelihood, [0.5, (0.5 * meanT) / Math.max(meanX, 0.01), 0.5, meanT / 2], {
      ...limits,
      describe: () => `${formatCount(data.customers)} customers (${formatCount(data.rows)} distinct)`,
      totalWeight: data.customers,
    });
  } finally {
    release();
  }
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

/** P(alive | x, t_x, T) = E / (E + s·J) (Fader & Hardie 2005 note, eq. 18, with the death integral J). */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, frequency: number, recency: number, T: number): number {
  const { r, alpha, s, beta } = params;
  customerBracket(r, alpha, s, beta, frequency, recency, T, ALIVE_SCRATCH, ALIVE_GRADIENT);
  return Math.exp(ALIVE_GRADIENT[4] as number);
}

/**
 * Expected purchases in the next t of a customer with history (x, t_x, T) (Fader & Hardie
 * 2005 note, eq. 19): (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive).
 */
export function paretoNbdConditionalExpectedPurchases(params: ParetoNbdParams, t: number, frequency: number, recency: number, T: number): number {
  return paretoNbdAliveCurve(params, frequency, T)(t) * paretoNbdProbabilityAlive(params, frequency, recency, T);
}

/**
 * E[Y(t) | x, t_x, T] / P(alive) = (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)]: it
 * depends on x and T only, so customers who share them share it.
 */
export function paretoNbdAliveCurve({ r, alpha, s, beta }: ParetoNbdParams, frequency: number, T: number): (t: number) => number {
  const scale = ((r + frequency) * (beta + T)) / (alpha + T);
  return (t) => (t === 0 ? 0 : scale * powerDifference(s - 1, beta + T, t));
}
