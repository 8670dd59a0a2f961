import { describeNumber, invalidValue, notANumber, notAvailable } from "./errors";
import { checkSeries, finiteResult, forEachPeriod, geometricWeightSum, resolveHorizon, series, TIMINGS, type PerPeriod, type Timing } from "./clv";
import { requireFinite, requireNonNegative, requireProbability, requireRate, requireWholeNumber } from "./validate";

/**
 * What a referral partner is paid for one customer it refers, and what that costs in
 * expectation: the customer pays only while active, so each period's commission is weighted
 * by the discounted survival weight of the retention model (clv.ts):
 * - "end":   period k's revenue arrives at its end, weight W_k = S(k)(1+d)^−k;
 * - "start": at its start, W_k = S(k−1)(1+d)^−(k−1), the first at acquisition.
 *
 * Terms:
 * - a percentage `rate` of the revenue of each of the customer's first N active periods
 *   (N = `commissionPeriods`; 0 or omitted: every period of the horizon, "lifetime"
 *   terms). A customer active in period k was active in every period before it, so what
 *   has been paid before period k is known, and a `cap` on the total per customer makes
 *   period k pay min(rate × R_k, cap − paid so far): expected cost Σ W_k pay_k;
 * - a `bounty` per converted customer, paid at the end of period h (`holdPeriods`) only if
 *   the customer is still active then (clawed back otherwise): bounty × S(h)(1+d)^−h; h = 0
 *   pays it at conversion, certainly and undiscounted.
 */
export interface CommissionTerms {
  /** Share of each commissioned period's revenue paid to the partner, a fraction (20% is 0.2). */
  rate: number;
  /** Commissioned periods from acquisition; 0 or omitted: every period of the horizon. */
  commissionPeriods?: number;
  /** One-time amount per converted customer, in currency. Default 0. */
  bounty?: number;
  /** Periods the bounty is held before it is paid, clawed back if the customer leaves. Default 0. */
  holdPeriods?: number;
  /** Most the percentage commissions for one customer may add up to, in currency; omitted: no cap. */
  cap?: number;
}

export interface CommissionInput extends CommissionTerms {
  /** Revenue per active customer per period (currency). */
  revenue: PerPeriod;
  /** Retention per period, a probability (80% is 0.8). */
  retention: PerPeriod;
  /** Discount rate per period, as a fraction. */
  discountRate: number;
  /** Horizon in whole periods; omitted: the longest series, or infinite when revenue and retention are constant. */
  periods?: number;
  /** When each period's revenue arrives. Default "end". */
  timing?: Timing;
}

export interface CommissionCost {
  /** Expected discounted percentage commissions. */
  percentage: number;
  /** Expected discounted bounty. */
  bounty: number;
  /** Their sum: the expected discounted commission for one referred customer. */
  total: number;
}

interface Validated {
  horizon: number;
  commissioned: number;
  discountRate: number;
  timing: Timing;
  bounty: number;
  holdPeriods: number;
  cap: number | undefined;
}

function validate(input: Omit<CommissionInput, "rate">): Validated {
  checkSeries("revenue", input.revenue, requireNonNegative);
  checkSeries("retention", input.retention, requireProbability);
  const discountRate = requireRate("discount_rate", input.discountRate);
  const timing = input.timing ?? "end";
  if (!TIMINGS.includes(timing)) throw invalidValue(`timing must be "end" or "start"; got ${String(timing)}`);
  const horizon = resolveHorizon({ revenue: input.revenue, retention: input.retention }, input.periods);
  const periods = input.commissionPeriods === undefined ? 0 : requireWholeNumber("commission_periods", input.commissionPeriods, 0);
  const bounty = requireNonNegative("bounty", input.bounty ?? 0);
  const holdPeriods = requireWholeNumber("hold_periods", input.holdPeriods ?? 0, 0);
  if (holdPeriods > horizon) {
    throw invalidValue(`hold_periods (${describeNumber(holdPeriods)}) is beyond the horizon of ${describeNumber(horizon)} periods: the bounty would never be paid`);
  }
  const cap = input.cap === undefined ? undefined : requireNonNegative("cap", input.cap);
  return { horizon, commissioned: periods === 0 ? horizon : Math.min(periods, horizon), discountRate, timing, bounty, holdPeriods, cap };
}

/** S(h)(1+d)^−h: the chance the customer is still active at the end of period h, discounted to acquisition. */
function heldWeight(retention: PerPeriod, discountRate: number, holdPeriods: number): number {
  if (holdPeriods === 0) return 1;
  const r = series(retention);
  if (r.constant !== undefined) return r.constant === 0 ? 0 : Math.exp(holdPeriods * (Math.log(r.constant) - Math.log1p(discountRate)));
  let weight = 1;
  for (let k = 1; k <= holdPeriods; k++) weight *= r.at(k) / (1 + discountRate);
  return weight;
}

/** W_k for constant retention r: q^k ("end") or q^(k−1) ("start"), q = r/(1+d). */
function constantWeight(retention: number, discountRate: number, k: number, timing: Timing): number {
  const power = timing === "end" ? k : k - 1;
  if (power === 0) return 1;
  return retention === 0 ? 0 : Math.exp(power * (Math.log(retention) - Math.log1p(discountRate)));
}

/** Σ_{k ≤ N} W_k R_k: the expected discounted revenue of the commissioned periods (what a rate of 1 would cost, no cap). */
function commissionedRevenue(input: Omit<CommissionInput, "rate">, v: Validated): number {
  const revenue = series(input.revenue);
  const retention = series(input.retention);
  if (revenue.constant !== undefined && retention.constant !== undefined) {
    const R = revenue.constant;
    const r = retention.constant;
    if (R === 0) return 0;
    if (v.commissioned === Number.POSITIVE_INFINITY && r >= 1 + v.discountRate) {
      throw notANumber(
        `lifetime commissions diverge: with retention ${describeNumber(r)} and discount_rate ${describeNumber(v.discountRate)} ` +
          `an infinite horizon has no finite cost; give commission_periods, a cap or periods, or a discount rate above ${describeNumber(r - 1)}`,
      );
    }
    return R * geometricWeightSum(r, v.discountRate, v.commissioned, v.timing);
  }
  let total = 0;
  forEachPeriod(revenue, retention, v.discountRate, v.commissioned, v.timing, (_k, _active, _discount, discounted) => {
    total += discounted;
  });
  return total;
}

/** Expected discounted percentage commissions under a cap: each period pays min(rate × R_k, what remains of the cap). */
function cappedCommissions(input: CommissionInput, v: Validated, cap: number): number {
  const revenue = series(input.revenue);
  const retention = series(input.retention);
  if (revenue.constant !== undefined && retention.constant !== undefined) {
    // Full payments of rate × R for K periods, what remains of the cap in period K+1, then nothing.
    const pay = input.rate * revenue.constant;
    if (pay === 0 || cap === 0) return 0;
    const full = Math.floor(cap / pay);
    const r = retention.constant;
    if (full >= v.commissioned) return pay * geometricWeightSum(r, v.discountRate, v.commissioned, v.timing);
    const rest = cap - full * pay;
    return pay * geometricWeightSum(r, v.discountRate, full, v.timing) + rest * constantWeight(r, v.discountRate, full + 1, v.timing);
  }
  let paid = 0;
  let total = 0;
  forEachPeriod(revenue, retention, v.discountRate, v.commissioned, v.timing, (k, active, discount) => {
    const pay = Math.min(input.rate * revenue.at(k), cap - paid);
    paid += pay;
    total += pay * active * discount;
  });
  return total;
}

/**
 * The expected discounted commission paid for one referred customer (LTV.COMMISSION_COST).
 *
 * @example commissionCost({ revenue: 50, retention: 0.9, discountRate: 0.01, rate: 0.2, commissionPeriods: 12, bounty: 30, holdPeriods: 2 })
 * // { percentage: 61.3111, bounty: 23.8212, total: 85.1323 }
 */
export function commissionCost(input: CommissionInput): CommissionCost {
  const rate = requireNonNegative("commission_rate", requireFinite("commission_rate", input.rate));
  const v = validate(input);
  const percentage = rate === 0 ? 0 : v.cap === undefined ? rate * commissionedRevenue(input, v) : cappedCommissions({ ...input, rate }, v, v.cap);
  const bounty = v.bounty === 0 ? 0 : v.bounty * heldWeight(input.retention, v.discountRate, v.holdPeriods);
  return {
    percentage: finiteResult(percentage, "the commission cost"),
    bounty: finiteResult(bounty, "the expected bounty"),
    total: finiteResult(percentage + bounty, "the commission cost"),
  };
}

/**
 * The commission rate (no cap) at which a referred customer's expected commission equals
 * `maxCost` (LTV.BREAKEVEN_COMMISSION): (maxCost − expected bounty) / Σ_{k ≤ N} W_k R_k.
 * #N/A when the bounty alone costs more, or when there is no revenue to take a share of.
 */
export function breakevenCommission(input: Omit<CommissionInput, "rate" | "cap">, maxCost: number): number {
  requireNonNegative("max_cost", maxCost);
  const v = validate(input);
  const bounty = v.bounty === 0 ? 0 : v.bounty * heldWeight(input.retention, v.discountRate, v.holdPeriods);
  if (bounty > maxCost) {
    throw notAvailable(`the expected bounty alone (${describeNumber(bounty)}) costs more than max_cost (${describeNumber(maxCost)}): no commission rate breaks even`);
  }
  const revenue = commissionedRevenue(input, v);
  if (revenue === 0) throw notAvailable("the commissioned periods bring no expected revenue: any commission rate costs nothing but the bounty");
  return finiteResult((maxCost - bounty) / revenue, "the break-even commission rate");
}

/** How a tiered plan applies its rates: all units at the reached tier's rate, or each band at its own. */
export type TierMethod = "all" | "progressive";

/**
 * The commission rate a tiered plan pays for a volume (LTV.TIER_RATE). Tier i covers the
 * volume above starts[i] up to starts[i+1]; starts ascend from 0. "all": the rate of the
 * highest tier whose start is below the volume, for all of it; "progressive": each band at
 * its own rate, returned as the effective rate (total commission / volume). Volume 0: the
 * first tier's rate.
 *
 * @example tierRate(30, [0, 10, 50], [0.2, 0.25, 0.3], "progressive") // (10×0.2 + 20×0.25)/30 = 0.2333…
 */
export function tierRate(volume: number, starts: readonly number[], rates: readonly number[], method: TierMethod = "all"): number {
  requireNonNegative("volume", volume);
  checkTiers(starts, rates);
  if (volume === 0) return rates[0] as number;
  let tier = 0;
  while (tier + 1 < starts.length && (starts[tier + 1] as number) < volume) tier++;
  if (method === "all") return rates[tier] as number;
  let total = 0;
  for (let i = 0; i <= tier; i++) {
    const top = i + 1 < starts.length ? Math.min(volume, starts[i + 1] as number) : volume;
    total += (rates[i] as number) * (top - (starts[i] as number));
  }
  return finiteResult(total / volume, "the effective rate");
}

/** A tier table: as many rates as starts, starts ascending from 0, rates 0 or more. */
export function checkTiers(starts: readonly number[], rates: readonly number[]): void {
  if (starts.length === 0) throw invalidValue("tier_starts has no values");
  if (starts.length !== rates.length) {
    throw invalidValue(`tier_starts and tier_rates must have the same number of values; got ${starts.length} and ${rates.length}`);
  }
  starts.forEach((s, i) => requireFinite(`tier_starts (value ${i + 1})`, s));
  if (starts[0] !== 0) throw invalidValue(`tier_starts must start at 0 (the first tier covers the volume from 0); got ${describeNumber(starts[0] as number)}`);
  for (let i = 1; i < starts.length; i++) {
    if (!((starts[i] as number) > (starts[i - 1] as number))) {
      throw invalidValue(`tier_starts must ascend: value ${i + 1} (${describeNumber(starts[i] as number)}) is not above value ${i} (${describeNumber(starts[i - 1] as number)})`);
    }
  }
  rates.forEach((r, i) => requireNonNegative(`tier_rates (value ${i + 1})`, r));
}
