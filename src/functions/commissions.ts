/*
 * The referral-commission functions: what a partner's term sheet costs for one referred
 * customer, the commission rate that breaks even, and the rate of a tiered plan. Short
 * adapters over core/commission.ts; the JSDoc is the help Excel shows.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Excel hands over untyped cell values; arguments.ts checks them. */
import { breakevenCommission, commissionCost, tierRate, type TierMethod } from "../core/commission";
import type { Timing } from "../core/clv";
import { evaluate, numberList, optionalChoice, optionalNumber, perPeriod, requiredNumber } from "./arguments";

const TIMING: readonly Timing[] = ["end", "start"];
const METHOD: readonly TierMethod[] = ["all", "progressive"];

/** The customer and terms that LTV.COMMISSION_COST and LTV.BREAKEVEN_COMMISSION share, read from Excel's values. */
function customerAndTerms(revenue: any, retention: any, discount_rate: any, commission_periods: any, bounty: any, hold_periods: any, periods: any, timing: any) {
  return {
    revenue: perPeriod("revenue", revenue),
    retention: perPeriod("retention", retention),
    discountRate: requiredNumber("discount_rate", discount_rate),
    commissionPeriods: optionalNumber("commission_periods", commission_periods),
    bounty: optionalNumber("bounty", bounty),
    holdPeriods: optionalNumber("hold_periods", hold_periods),
    periods: optionalNumber("periods", periods),
    timing: optionalChoice("timing", timing, TIMING, "end"),
  };
}

/**
 * Expected discounted commission paid to a partner for one referred customer: a share of the revenue of its first periods while it stays, capped, plus a bounty held against early churn.
 * @customfunction COMMISSION_COST
 * @param revenue Revenue per active customer per period, in currency: one number, or a row or column with one value per period.
 * @param retention Share of customers active in one period who are still active in the next, as a fraction (90% is 0.9): one number, or a row or column per period.
 * @param discount_rate Discount rate per period, as a fraction (1% a month is 0.01).
 * @param commission_rate Share of each commissioned period's revenue paid to the partner, as a fraction (20% is 0.2).
 * @param [commission_periods] Periods commissioned from the customer's acquisition. Empty or 0: every period of the horizon (lifetime terms).
 * @param [bounty] One-time amount paid per converted customer, in currency. Empty: 0.
 * @param [hold_periods] Periods the bounty is held: it is paid at the end of this period only if the customer is still active (clawed back otherwise). Empty or 0: paid at conversion.
 * @param [cap] Most the percentage commissions for one customer may add up to, in currency. Empty: no cap.
 * @param [periods] Horizon in whole periods. Empty: the longest range, or an infinite horizon when revenue and retention are single numbers.
 * @param [timing] 0 (default): each period's revenue arrives at its end. 1: at its start, the first at acquisition.
 * @returns Expected discounted commission per referred customer, in the currency of revenue.
 */
export function ltvCommissionCost(
  revenue: any,
  retention: any,
  discount_rate: any,
  commission_rate: any,
  commission_periods?: any,
  bounty?: any,
  hold_periods?: any,
  cap?: any,
  periods?: any,
  timing?: any,
): number {
  return evaluate(() => {
    const terms = customerAndTerms(revenue, retention, discount_rate, commission_periods, bounty, hold_periods, periods, timing);
    return commissionCost({ ...terms, rate: requiredNumber("commission_rate", commission_rate), cap: optionalNumber("cap", cap) }).total;
  });
}

/**
 * Commission rate (no cap) at which a referred customer's expected commission equals a given cost, such as the acquisition cost through paid channels.
 * @customfunction BREAKEVEN_COMMISSION
 * @param revenue Revenue per active customer per period, in currency: one number, or a row or column per period.
 * @param retention Retention per period, as a fraction (90% is 0.9): one number, or a row or column per period.
 * @param discount_rate Discount rate per period, as a fraction (1% a month is 0.01).
 * @param max_cost The most one referred customer may cost in commissions, in currency: for example the paid-channel acquisition cost.
 * @param [commission_periods] Periods commissioned from acquisition. Empty or 0: every period of the horizon.
 * @param [bounty] One-time amount per converted customer, in currency. Empty: 0.
 * @param [hold_periods] Periods the bounty is held before it is paid, clawed back if the customer leaves. Empty or 0: paid at conversion.
 * @param [periods] Horizon in whole periods. Empty: the longest range, or an infinite horizon for single numbers.
 * @param [timing] 0 (default): revenue arrives at the end of each period. 1: at its start.
 * @returns Commission rate as a fraction (0.41 is 41%); #N/A when the bounty alone costs more than max_cost.
 */
export function ltvBreakevenCommission(revenue: any, retention: any, discount_rate: any, max_cost: any, commission_periods?: any, bounty?: any, hold_periods?: any, periods?: any, timing?: any): number {
  return evaluate(() =>
    breakevenCommission(customerAndTerms(revenue, retention, discount_rate, commission_periods, bounty, hold_periods, periods, timing), requiredNumber("max_cost", max_cost)),
  );
}

/**
 * Commission rate a tiered plan pays for a volume of customers or revenue in a period.
 * @customfunction TIER_RATE
 * @param volume Customers referred, or revenue, in the period: 0 or more.
 * @param tier_starts Where each tier starts, ascending from 0: a row or column ("first 10 at 20%, 11 to 50 at 25%, above 50 at 30%" is 0, 10, 50).
 * @param tier_rates The rate of each tier, as a fraction (20% is 0.2): a row or column as long as tier_starts.
 * @param [method] 0 (default): all units at the rate of the highest tier reached. 1: progressive, each band at its own rate, returned as the effective rate.
 * @returns Commission rate as a fraction.
 */
export function ltvTierRate(volume: any, tier_starts: any, tier_rates: any, method?: any): number {
  return evaluate(() => {
    return tierRate(requiredNumber("volume", volume), numberList("tier_starts", tier_starts), numberList("tier_rates", tier_rates), optionalChoice("method", method, METHOD, "all"));
  });
}
