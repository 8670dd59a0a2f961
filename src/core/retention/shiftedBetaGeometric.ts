import { describeNumber, invalidValue, notANumber } from "../errors";
import { positiveParams } from "../validate";
import { fitMaximumLikelihood, type FitLimits, type FitResult } from "../fitting/maximumLikelihood";
import { logBeta } from "../special/gamma";
import { hyp2f1 } from "../special/hypergeometric";

/**
 * The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007,
 * "How to Project Customer Retention", Journal of Interactive Marketing 21(1)). Each
 * customer renews each period with a constant probability 1−θ, θ ~ Beta(α, β) across
 * customers; the mix makes retention rise with tenure as the likely churners leave.
 *
 * - survival      S(t) = B(α, β+t) / B(α, β)                    (paper eq. 4)
 * - churn in t    P(T = t) = B(α+1, β+t−1) / B(α, β)             (paper eq. 3)
 * - retention     r_t = S(t)/S(t−1) = (β+t−1)/(α+β+t−1)          (paper eq. 6)
 */
export type SbgParams = { alpha: number; beta: number };
export const SBG_PARAMS = ["alpha", "beta"] as const;

/** One cohort: its size at acquisition, then the customers still active after each observed period. */
export interface Cohort {
  size: number;
  survivors: readonly number[];
}

/** Customers lost in each period and customers still active at the end of observation, over all cohorts. */
export interface PooledCohorts {
  lost: Float64Array; // lost[t−1]: customers who churned in period t
  censored: Float64Array; // censored[t]: still active after period t, and observed no longer (t = 0..periods)
  periods: number;
  customers: number;
}

/**
 * Checks cohorts (each row names its number, from 1) and pools them: the likelihood of
 * all cohorts together depends only on the customers lost in each period and the
 * customers last seen active after each period (right censoring at a cohort's last
 * observed period).
 */
export function poolCohorts(cohorts: readonly Cohort[]): PooledCohorts {
  if (cohorts.length === 0) throw invalidValue("there are no cohorts");
  const periods = cohorts.reduce((m, c) => Math.max(m, c.survivors.length), 0);
  const lost = new Float64Array(Math.max(periods, 1));
  const censored = new Float64Array(periods + 1);
  let customers = 0;
  cohorts.forEach((cohort, index) => {
    const where = `cohort ${index + 1}`;
    if (!(Number.isFinite(cohort.size) && cohort.size > 0)) {
      throw invalidValue(`${where}: the size at acquisition must be a positive count; got ${describeNumber(cohort.size)}`);
    }
    let previous = cohort.size;
    cohort.survivors.forEach((n, i) => {
      if (!(Number.isFinite(n) && n >= 0)) throw invalidValue(`${where}, period ${i + 1}: survivors must be a count, 0 or more; got ${describeNumber(n)}`);
      if (n > previous) {
        throw invalidValue(`${where}, period ${i + 1}: survivors rise from ${describeNumber(previous)} to ${describeNumber(n)}; a cohort can only shrink`);
      }
      lost[i] = (lost[i] as number) + (previous - n);
      previous = n;
    });
    censored[cohort.survivors.length] = (censored[cohort.survivors.length] as number) + previous;
    customers += cohort.size;
  });
  return { lost, censored, periods, customers };
}

/** Log-likelihood of pooled cohorts and its gradient in (α, β), paper eq. (7) generalised to many cohorts. */
export function sbgLogLikelihood(pooled: PooledCohorts) {
  return (params: readonly number[]) => {
    const [alpha, beta] = params as [number, number];
    let value = 0;
    let dAlpha = 0;
    let dBeta = 0;
    // Running ln S(t−1) and its derivatives, built from r_t = (β+t−1)/(α+β+t−1).
    let logS = 0;
    let dLogSAlpha = 0;
    let dLogSBeta = 0;
    value += (pooled.censored[0] as number) * logS;
    for (let t = 1; t <= pooled.periods; t++) {
      const total = alpha + beta + t - 1;
      const lost = pooled.lost[t - 1] as number;
      if (lost > 0) {
        // ln P(T = t) = ln S(t−1) + ln α − ln(α+β+t−1)
        value += lost * (logS + Math.log(alpha) - Math.log(total));
        dAlpha += lost * (dLogSAlpha + 1 / alpha - 1 / total);
        dBeta += lost * (dLogSBeta - 1 / total);
      }
      logS += Math.log(beta + t - 1) - Math.log(total);
      dLogSAlpha -= 1 / total;
      dLogSBeta += 1 / (beta + t - 1) - 1 / total;
      const censored = pooled.censored[t] as number;
      if (censored > 0) {
        value += censored * logS;
        dAlpha += censored * dLogSAlpha;
        dBeta += censored * dLogSBeta;
      }
    }
    return { value, gradient: [dAlpha, dBeta] };
  };
}

/**
 * Fits the sBG to one or many cohorts by maximum likelihood. Data from which α and β
 * cannot both be learned is refused with the reason: no customer ever lost (retention
 * 100%, β → ∞), every customer lost in the first period, or one period of observation only
 * (which fixes α/(α+β) and nothing else).
 */
export function fitShiftedBetaGeometric(cohorts: readonly Cohort[], limits: FitLimits = {}): FitResult<(typeof SBG_PARAMS)[number]> {
  const pooled = poolCohorts(cohorts);
  const totalLost = pooled.lost.reduce((s, v) => s + v, 0);
  if (pooled.periods === 0) throw invalidValue("no period has been observed yet: enter survivors after at least two periods");
  if (totalLost === 0) throw invalidValue("no customer has left any cohort: with 100% retention the sBG cannot be fitted");
  const stillActive = pooled.customers - totalLost;
  if (stillActive === 0 && totalLost === pooled.lost[0]) {
    throw invalidValue("every customer left in the first period: with 0% retention the sBG cannot be fitted");
  }
  let informative = 0; // periods that carry a survival observation beyond the first
  for (let t = 2; t <= pooled.periods; t++) if ((pooled.lost[t - 1] as number) > 0 || (pooled.censored[t] as number) > 0) informative++;
  if (informative === 0) {
    throw invalidValue("only the first period is observed: the sBG needs survivors after at least two periods to separate alpha from beta");
  }
  // Start from the first period's churn rate, α/(α+β), with α + β = 2.
  const churn1 = Math.min(0.9, Math.max(0.1, (pooled.lost[0] as number) / pooled.customers));
  return fitMaximumLikelihood(SBG_PARAMS, sbgLogLikelihood(pooled), [2 * churn1, 2 * (1 - churn1)], { ...limits, totalWeight: pooled.customers });
}

export function requireSbgParams(params: readonly number[]): SbgParams {
  return positiveParams(params, SBG_PARAMS, "the result of LTV.SBG_FIT");
}

function requirePeriod(t: number, minimum: number): number {
  if (!(Number.isFinite(t) && t >= minimum)) throw invalidValue(`t must be a number of periods, ${minimum} or more; got ${describeNumber(t)}`);
  return t;
}

/** Survival S(t) = B(α, β+t)/B(α, β): the share of a cohort still active after t periods (t ≥ 0, may be fractional). */
export function sbgSurvival({ alpha, beta }: SbgParams, t: number): number {
  requirePeriod(t, 0);
  if (t === 0) return 1;
  return Math.exp(logBeta(alpha, beta + t) - logBeta(alpha, beta));
}

/** Retention in period t ≥ 1: r_t = (β+t−1)/(α+β+t−1), the share of those active after t−1 who renew. */
export function sbgRetention({ alpha, beta }: SbgParams, t: number): number {
  requirePeriod(t, 1);
  return (beta + t - 1) / (alpha + beta + t - 1);
}

function requireDiscountRate(discountRate: number): number {
  if (!(Number.isFinite(discountRate) && discountRate >= 0 && discountRate <= 1)) {
    throw invalidValue(`discount_rate must be a fraction per period between 0 and 1 (10% is 0.1); got ${describeNumber(discountRate)}`);
  }
  return discountRate;
}

/**
 * Discounted expected lifetime of a just-acquired customer, in payments, counting the
 * acquisition payment undiscounted (Fader & Hardie 2010, "Customer-Base Valuation in a
 * Contractual Setting", eq. 4): DEL = Σ_{t≥0} S(t)/(1+d)^t = 2F1(1, β; α+β; 1/(1+d)).
 * Multiply by the margin per period for a value. With d = 0 it is the expected lifetime,
 * (α+β−1)/(α−1), finite only for α > 1.
 */
export function sbgDiscountedExpectedLifetime(params: SbgParams, discountRate: number): number {
  const d = requireDiscountRate(discountRate);
  return finiteLifetime(hyp2f1(1, params.beta, params.alpha + params.beta, 1 / (1 + d)), params, d);
}

/**
 * Discounted expected residual lifetime of a customer who has made n renewals, in payments,
 * the next renewal undiscounted and later ones discounted by (1+d)^−k (Fader & Hardie 2010,
 * eq. 6): DERL = (β+n)/(α+β+n) · 2F1(1, β+n+1; α+β+n+1; 1/(1+d)).
 */
export function sbgDiscountedExpectedResidualLifetime(params: SbgParams, discountRate: number, renewals: number): number {
  const d = requireDiscountRate(discountRate);
  if (!(Number.isInteger(renewals) && renewals >= 0)) throw invalidValue(`renewals must be a whole number, 0 or more; got ${describeNumber(renewals)}`);
  const { alpha, beta } = params;
  const n = renewals;
  return finiteLifetime(((beta + n) / (alpha + beta + n)) * hyp2f1(1, beta + n + 1, alpha + beta + n + 1, 1 / (1 + d)), params, d);
}

function finiteLifetime(value: number, { alpha }: SbgParams, d: number): number {
  if (!Number.isFinite(value)) {
    throw notANumber(
      d === 0 && alpha <= 1
        ? `the undiscounted lifetime is infinite when alpha (${describeNumber(alpha)}) is 1 or less; use a discount rate above 0`
        : "the discounted lifetime could not be computed in double precision",
    );
  }
  return value;
}
