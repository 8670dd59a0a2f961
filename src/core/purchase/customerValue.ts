import { describeNumber, invalidValue } from "../errors";

/**
 * Discounted value of a customer's future purchases, from a purchase model and an expected
 * spend per purchase, as lifetimes' `customer_lifetime_value` computes it (Fader, Hardie &
 * Lee 2005b, "RFM and CLV", eq. 2, in discrete steps): the horizon is cut into `steps`
 * steps of `stepLength` time units of the data (4.345 weeks for a month of weekly data);
 * each step's expected purchases, E[Y(k·L)] − E[Y((k−1)·L)], are valued at `spend` and
 * discounted by (1 + d)^k, d the discount rate per step:
 *
 *   value = Σ_{k=1..steps} spend · (E[Y(kL)] − E[Y((k−1)L)]) / (1 + d)^k.
 */
export interface CustomerValueInput {
  /** Expected purchases in the next t time units for this customer: E[Y(t) | history]. */
  expectedPurchases: (t: number) => number;
  /** Expected spend per purchase (for example from the Gamma-Gamma model), currency. */
  spend: number;
  /** Number of steps in the horizon, a whole number ≥ 1 (12 for a year of months). */
  steps: number;
  /** Length of a step in the data's time unit (4.345 for months of weekly data). */
  stepLength: number;
  /** Discount rate per step, as a fraction (1% a month is 0.01). */
  discountRate: number;
}

/** Checks the horizon of a customer value: steps, their length and the discount rate per step. */
export function checkValueHorizon(steps: number, stepLength: number, discountRate: number): void {
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= 10_000)) throw invalidValue(`steps must be a whole number from 1 to 10,000; got ${describeNumber(steps)}`);
  if (!(Number.isFinite(stepLength) && stepLength > 0)) throw invalidValue(`step_length must be a positive length of time; got ${describeNumber(stepLength)}`);
  if (!(Number.isFinite(discountRate) && discountRate > -1 && discountRate <= 1)) {
    throw invalidValue(`discount_rate must be a fraction per step greater than -1 and at most 1 (1% is 0.01); got ${describeNumber(discountRate)}`);
  }
}

export function checkSpend(spend: number): void {
  if (!(Number.isFinite(spend) && spend >= 0)) throw invalidValue(`spend must be an amount, 0 or more; got ${describeNumber(spend)}`);
}

/**
 * Σ_{k=1..steps} (E(kL) − E((k−1)L)) / (1 + d)^k for a curve E of expected purchases: the
 * customer value per unit of spend. Shared by customers whose curves are the same (in both
 * models the curve depends on frequency and T only, up to the factor P(alive)).
 */
export function discountedPurchases(expectedPurchases: (t: number) => number, steps: number, stepLength: number, discountRate: number): number {
  let value = 0;
  let previous = 0; // E(0) = 0
  let discount = 1;
  for (let k = 1; k <= steps; k++) {
    const cumulative = expectedPurchases(k * stepLength);
    discount /= 1 + discountRate;
    value += (cumulative - previous) * discount;
    previous = cumulative;
  }
  return value;
}

export function discountedCustomerValue({ expectedPurchases, spend, steps, stepLength, discountRate }: CustomerValueInput): number {
  checkSpend(spend);
  checkValueHorizon(steps, stepLength, discountRate);
  return spend * discountedPurchases(expectedPurchases, steps, stepLength, discountRate);
}
