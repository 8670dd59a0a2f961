import type { Timing } from "../clv";
import type { Cohort, SbgParams } from "./shiftedBetaGeometric";

/**
 * The cohort model that the workbook carries as formulas, computed here directly so the
 * tests can check every cell of the workbook against it.
 *
 * Conventions (README, "Cohort models"): survival S(t) = B(α, β+t)/B(α, β), built as the
 * running product of the fitted retention r_t = (β+t−1)/(α+β+t−1); d is the discount rate
 * per period and m = revenue × margin the margin per active customer per period. With
 * timing "start" a customer active at the start of a period pays that period's margin
 * (payments at t = 0, 1, …, weighted by S(t)); with "end" at its end (t = 1, 2, …).
 * A cohort observed for a periods with n_a customers still active is projected, for its
 * own customers, by S(a+k)/S(a).
 */
export interface CohortModelInput {
  cohorts: readonly Cohort[];
  params: SbgParams;
  /** Margin per active customer per period, m. */
  margin: number;
  acquisitionCost: number;
  /** Discount rate per period. */
  discountRate: number;
  /** Projection horizon H, in periods. */
  horizon: number;
  timing: Timing;
}

export interface CohortResult {
  /** Periods observed, a. */
  age: number;
  /** Customers active today, n_a. */
  active: number;
  /** Projected active customers in projection columns j = 1..H (see {@link projectionOffset}). */
  projected: number[];
  /** Their margin, discounted to today: projected × m / (1+d)^k. */
  discountedMargin: number[];
  /** Σ discountedMargin: the value of the cohort's active customers. */
  value: number;
  /** Cumulative discounted margin per acquired customer by age p = 1..(maxAge + H), flat after a + H. */
  cumulative: number[];
  /** Margin per acquired customer, discounted to acquisition, over the observed periods and the horizon, less CAC. */
  clvPerCustomer: number;
  /** (clvPerCustomer + CAC) / CAC; undefined without a CAC. */
  ltvToCac: number | undefined;
  /** Periods from acquisition until the cumulative margin reaches CAC (0 without a CAC); undefined if not within the horizon. */
  paybackPeriods: number | undefined;
}

export interface CohortModel {
  /** t = 0..maxAge+H. */
  survival: number[];
  /** t = 1..maxAge+H (index 0 unused). */
  retention: number[];
  /** 1/(1+d)^t, t = 0..maxAge+H. */
  discountFactor: number[];
  cohorts: CohortResult[];
  clvNewCustomer: number;
  customerEquity: number;
  activeToday: number;
  ltvToCacNewCustomer: number | undefined;
  /** Periods until a new customer's cumulative discounted margin reaches the CAC (0 without CAC); undefined beyond the horizon. */
  paybackNewCustomer: number | undefined;
}

/** k of projection column j: the number of periods from today at which its margin is paid. */
export const projectionOffset = (j: number, timing: Timing): number => (timing === "start" ? j - 1 : j);

export function cohortModel(input: CohortModelInput): CohortModel {
  const { alpha, beta } = input.params;
  const { margin: m, acquisitionCost: cac, discountRate: d, horizon: H, timing } = input;
  const maxAge = input.cohorts.reduce((max, c) => Math.max(max, c.survivors.length), 0);
  const last = maxAge + H;
  const retention = [Number.NaN];
  const survival = [1];
  const discountFactor = [1];
  for (let t = 1; t <= last; t++) {
    retention.push((beta + t - 1) / (alpha + beta + t - 1));
    survival.push((survival[t - 1] as number) * (retention[t] as number));
    discountFactor.push(1 / Math.pow(1 + d, t));
  }
  const S = (t: number) => survival[t] as number;
  const disc = (t: number) => 1 / Math.pow(1 + d, t);

  const cohorts = input.cohorts.map((cohort): CohortResult => {
    const a = cohort.survivors.length;
    const active = a === 0 ? cohort.size : (cohort.survivors[a - 1] as number);
    const projected: number[] = [];
    const discountedMargin: number[] = [];
    for (let j = 1; j <= H; j++) {
      const k = projectionOffset(j, timing);
      const n = (active * S(a + k)) / S(a);
      projected.push(n);
      discountedMargin.push(n * m * disc(k));
    }
    const share = (t: number) => (t <= a ? (t === 0 ? 1 : (cohort.survivors[t - 1] as number) / cohort.size) : ((active / cohort.size) * S(t)) / S(a));
    const cumulative: number[] = [];
    let running = 0;
    for (let p = 1; p <= last; p++) {
      if (p <= a + H) {
        const t = timing === "start" ? p - 1 : p;
        running += m * share(t) * disc(t);
      }
      cumulative.push(running);
    }
    const total = cumulative[cumulative.length - 1] ?? 0;
    const payback = cumulative.findIndex((v) => v >= cac);
    return {
      age: a,
      active,
      projected,
      discountedMargin,
      value: discountedMargin.reduce((s, v) => s + v, 0),
      cumulative,
      clvPerCustomer: total - cac,
      ltvToCac: cac > 0 ? total / cac : undefined,
      paybackPeriods: cac <= 0 ? 0 : total < cac ? undefined : payback + 1,
    };
  });

  let newCustomer = 0;
  let paybackNewCustomer: number | undefined = cac <= 0 ? 0 : undefined;
  for (let j = 1; j <= H; j++) {
    const t = projectionOffset(j, timing);
    newCustomer += S(t) * disc(t);
    if (paybackNewCustomer === undefined && m * newCustomer >= cac) paybackNewCustomer = j;
  }
  const clvNewCustomer = m * newCustomer - cac;
  return {
    survival,
    retention,
    discountFactor,
    cohorts,
    clvNewCustomer,
    customerEquity: cohorts.reduce((s, c) => s + c.value, 0),
    activeToday: cohorts.reduce((s, c) => s + c.active, 0),
    ltvToCacNewCustomer: cac > 0 ? (clvNewCustomer + cac) / cac : undefined,
    paybackNewCustomer,
  };
}
