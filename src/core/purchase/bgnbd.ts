import { formatCount, describeNumber, invalidValue, notANumber } from "../errors";
import { positiveParams } from "../validate";
import { checkDistinctRows, fitMaximumLikelihood, type FitLimits, type FitResult } from "../fitting/maximumLikelihood";
import { workspace } from "../kernels";
import { hyp2f1 } from "../special/hypergeometric";
import { ChebyshevPanels } from "../special/chebyshev";
import { distinctValues, type CustomerSummary } from "./customers";

/**
 * The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "'Counting Your Customers'
 * the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2)).
 * While active, a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase the
 * customer drops out with probability p ~ Beta(a, b).
 *
 * Data: frequency x (repeat purchases), recency t_x, age T (see customers.ts).
 */
export type BgNbdParams = { r: number; alpha: number; a: number; b: number };
export const BGNBD_PARAMS = ["r", "alpha", "a", "b"] as const;

/**
 * The log-likelihood of the data and its gradient in (r, α, a, b), paper eq. (6):
 * L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
 *   + [x > 0] B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
 * written, as in the paper's eq. (7), as A1 + A2 + ln(e^A3 + [x > 0] e^A4)
 * = A1 + A2 + A3 + ln(1 + e^Δ), Δ = A4 − A3 = ln a − ln(b+x−1) − (r+x) D, D = ln(α+t_x) − ln(α+T).
 * With `withHessian`, the second derivatives too: those of A1 and A2 from trigamma
 * differences per distinct x; that of ln(e^A3 + e^A4), with p the share of e^A4, is
 * (1−p)∇²A3 + p∇²A4 + p(1−p)(∇A4 − ∇A3)(∇A4 − ∇A3)ᵀ.
 *
 * Terms that depend on x alone are computed once per distinct x, ln(α+T) once per distinct
 * T and ln(α+t_x) once per distinct t_x. The terms r ln α − (r+x) ln(α+T), which every
 * customer has, come from sums over the distinct T of the weights w and of w·x, made once:
 * customers without repeat purchases (most of them, as a rule) cost nothing more per
 * evaluation. The repeat buyers are grouped by x, and a row only adds its share of a few
 * sums (of w ln(1 + e^Δ), w p, w p D, …) that the group then multiplies by its own r+x: a
 * row costs one exp, one log1p and a few additions. Those sums, and ln(α+·) and 1/(α+·) of
 * the distinct T and t_x, are the kernels' (src/core/kernels): WebAssembly where the runtime
 * has it, which matters most on the first fit after a workbook opens, when the script still
 * runs unoptimised.
 */
export function bgnbdLogLikelihood(data: CustomerSummary): (params: readonly number[], withHessian?: boolean) => { value: number; gradient: number[]; hessian?: number[][] } {
  return bgnbdModel(data).logLikelihood;
}

/** The likelihood of {@link bgnbdLogLikelihood}, and the customers' mean T and x (for a starting point) from the same pass over the rows. */
function bgnbdModel(data: CustomerSummary) {
  // Every customer's r ln α − (r+x) ln(α+T) comes from sums over the distinct T (of the weights w and of w·x).
  const ts = distinctValues(data.T);
  const nT = ts.values.length;
  const total = data.customers;
  // The repeat buyers (x > 0), grouped by x: each group's Beta and Gamma ratios, and per row the term ln(1 + e^Δ).
  const xs = distinctValues(data.frequency);
  const txs = distinctValues(data.recency);
  const nx = xs.values.length;
  const nTx = txs.values.length;
  // ln Γ(s+x) − ln Γ(s) and its derivatives by recurrence to the largest x, or directly where that is far larger than the number of distinct x.
  let largest = 0;
  for (let k = 0; k < nx; k++) largest = Math.max(largest, xs.values[k] as number);
  const direct = largest > 64 && largest > 8 * nx;
  const tableSize = direct ? 0 : 9 * (largest + 1);
  // The arrays the kernels read and write: the rows as given and in group order, the distinct T, t_x and x, ln(α+·) and 1/(α+·) of each.
  const ws = workspace(4 * data.rows + 5 * nT + 3 * nTx + 2 * nx + tableSize + 32 + 15 + 2, 5 * data.rows + nx + 1);
  const weight = ws.f64(data.rows);
  const jT = ws.i32(data.rows);
  const jTx = ws.i32(data.rows);
  const tValues = ws.readF64(ts.values);
  const txValues = ws.readF64(txs.values);
  const xValues = ws.readF64(xs.values);
  const starts = ws.i32(nx + 1);
  const weightT = ws.f64(nT);
  const weightXT = ws.f64(nT);
  const groupWeight = ws.f64(nx);
  const totals = ws.f64(2);
  ws.bgnbdPrepare(
    ws.readF64(data.weight),
    ws.readF64(data.frequency),
    ws.readF64(data.T),
    ws.readI32(xs.index),
    ws.readI32(ts.index),
    ws.readI32(txs.index),
    data.rows,
    nx,
    starts,
    weight,
    jT,
    jTx,
    weightT,
    weightXT,
    groupWeight,
    totals,
  );
  const logT = ws.f64(nT);
  const invT = ws.f64(nT);
  const logTx = ws.f64(nTx);
  const invTx = ws.f64(nTx);
  const tables = ws.f64(tableSize);
  const scratch = ws.f64(32);
  const out = ws.f64(15);

  const logLikelihood = (params: readonly number[], withHessian?: boolean): { value: number; gradient: number[]; hessian?: number[][] } => {
    const [r, alpha, a, b] = params as [number, number, number, number];
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return { value: Number.NaN, gradient: [Number.NaN, Number.NaN, Number.NaN, Number.NaN] };
    ws.bgnbdTerms(r, alpha, a, b, total, nT, tValues, weightT, weightXT, logT, invT, nTx, txValues, logTx, invTx, nx, xValues, groupWeight, starts, weight, jT, jTx, largest, direct ? 1 : 0, tables, scratch, out);
    const gradient = [out[1] as number, out[2] as number, out[3] as number, out[4] as number];
    if (!withHessian) return { value: out[0] as number, gradient };
    // out[5…14]: rr, rα, αα, ra, rb, αa, αb, aa, ab, bb
    const h = (i: number) => out[5 + i] as number;
    return {
      value: out[0] as number,
      gradient,
      hessian: [
        [h(0), h(1), h(3), h(4)],
        [h(1), h(2), h(5), h(6)],
        [h(3), h(5), h(7), h(8)],
        [h(4), h(6), h(8), h(9)],
      ],
    };
  };
  return { logLikelihood, meanT: (totals[0] as number) / total, meanX: (totals[1] as number) / total, release: () => ws.release() };
}

/** Fits BG/NBD by maximum likelihood. */
export function fitBgNbd(data: CustomerSummary, limits: FitLimits = {}): FitResult<(typeof BGNBD_PARAMS)[number]> {
  requireRepeatPurchases(data);
  checkDistinctRows(data.rows, data.customers, limits);
  const { logLikelihood, meanT, meanX, release } = bgnbdModel(data);
  try {
    // Start with the mean purchase rate r/α at the observed rate and dropout odds near 1.
    return fitMaximumLikelihood(BGNBD_PARAMS, logLikelihood, [0.5, (0.5 * meanT) / Math.max(meanX, 0.01), 1, 1], {
      ...limits,
      analyticHessian: true,
      describe: () => `${formatCount(data.customers)} customers (${formatCount(data.rows)} distinct)`,
      totalWeight: data.customers,
    });
  } finally {
    release();
  }
}

/** Refuses data from which no purchase model can be learned, with the reason. */
export function requireRepeatPurchases(data: CustomerSummary): void {
  let repeaters = 0;
  for (let i = 0; i < data.rows; i++) if ((data.frequency[i] as number) > 0) repeaters += data.weight[i] as number;
  if (repeaters === 0) {
    throw invalidValue("no customer made a repeat purchase (every frequency is 0): the purchase rate cannot be estimated");
  }
  if (data.customers < 2) {
    throw invalidValue(`a model needs at least two customers; the data hold ${describeNumber(data.customers)} (each row counts as its weight, 1 without weights)`);
  }
  if (data.rows === 1) {
    throw notANumber("every customer has the same frequency, recency and T, so nothing tells the models' rates apart: fit on customers whose histories differ");
  }
}

export function requireBgNbdParams(params: readonly number[]): BgNbdParams {
  return positiveParams(params, BGNBD_PARAMS, "the result of LTV.BGNBD_FIT");
}

/**
 * Expected number of repeat purchases of a new customer in (0, t], paper eq. (9):
 * E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))].
 */
export function bgnbdExpectedPurchases({ r, alpha, a, b }: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  const hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t));
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp);
}

/**
 * Expected repeat purchases in the next t of a customer with history (x, t_x, T), paper
 * eq. (10):
 * E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *                      / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 */
export function bgnbdConditionalExpectedPurchases(params: BgNbdParams, t: number, frequency: number, recency: number, T: number): number {
  return bgnbdAliveCurve(params, frequency, T)(t) * bgnbdProbabilityAlive(params, frequency, recency, T);
}

/**
 * E[Y(t) | x, t_x, T] / P(alive): the expected purchases in the next t of a customer alive
 * at T, (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))].
 * It depends on x and T only, so customers who share them share it.
 */
export function bgnbdAliveCurve(params: BgNbdParams, frequency: number, T: number): (t: number) => number {
  const g = aliveShortfall(params, frequency);
  const scale = (params.a + params.b + frequency - 1) / (params.a - 1);
  const age = params.alpha + T;
  return (t) => (t === 0 ? 0 : scale * (1 - g(Math.log1p(t / age), t / (age + t))));
}

/**
 * G = ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z), z = t/(α+T+t), as a function of
 * w = ln(1 + t/(α+T)) = −ln(1 − z). Of its two forms, the one whose 2F1 stays bounded as z
 * nears 1 (c − a − b ≥ 0 there) is used: as written when a − 1 ≥ r + x, else Euler's
 * (Abramowitz & Stegun 15.3.3), G = e^((1−a)w) · 2F1(a+b−1−r, a−1; a+b+x−1; z). Either
 * form alone overflows somewhere: the first for heavy buyers (2F1 beyond 1e308 at x = 300,
 * t = 50 weeks), Euler's when a is far above r + x.
 */
function aliveShortfall({ r, a, b }: BgNbdParams, x: number): (w: number, z: number) => number {
  if (a - 1 >= r + x) return (w, z) => Math.exp(-(r + x) * w) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  return (w, z) => Math.exp((1 - a) * w) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
}

/**
 * The alive curves of many customers, for values over many steps (LTV.BGNBD_CLV over a
 * column): the same numbers as bgnbdAliveCurve at a small fraction of the work. The curve
 * is scale · (1 − G) = −scale · expm1(w · q(w)), with G of x and w = ln(1 + t/(α+T)) alone
 * (see aliveShortfall): customers with the same frequency share it whatever their T.
 * q = ln G / w is interpolated on Chebyshev panels in w: G > 0 for every t, ln G is close
 * to linear where G falls steeply, dividing by w keeps the relative digits of ln G near
 * t = 0, and expm1 those of a small 1 − G. A panel whose interpolant does not converge is
 * split, and one that cannot be interpolated is computed directly, so the curve is never
 * less exact than the direct one's 2F1.
 */
export function bgnbdAliveCurves(params: BgNbdParams): (frequency: number, T: number) => (t: number) => number {
  const byFrequency = new Map<number, ChebyshevPanels>();
  return (x, T) => {
    let panels = byFrequency.get(x);
    if (!panels) {
      const g = aliveShortfall(params, x);
      panels = new ChebyshevPanels((w) => Math.log(g(w, -Math.expm1(-w))) / w);
      byFrequency.set(x, panels);
    }
    const slope = panels;
    const scale = (params.a + params.b + x - 1) / (params.a - 1);
    const age = params.alpha + T;
    return (t) => {
      if (t === 0) return 0;
      const w = Math.log1p(t / age);
      return -scale * Math.expm1(w * slope.value(w));
    };
  };
}

/**
 * Probability that a customer with history (x, t_x, T) is still active, paper eq. (11)
 * (Fader, Hardie & Lee 2005, "A Note on Deriving the BG/NBD"): 1 for x = 0, else
 * 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 */
export function bgnbdProbabilityAlive({ r, alpha, a, b }: BgNbdParams, frequency: number, recency: number, T: number): number {
  if (frequency === 0) return 1;
  const logOdds = Math.log(a) - Math.log(b + frequency - 1) + (r + frequency) * (Math.log(alpha + T) - Math.log(alpha + recency));
  return 1 / (1 + Math.exp(logOdds));
}
