import { describeNumber, invalidValue } from "../errors";
import { commissionCost, tierRate, type TierMethod } from "../commission";
import type { Timing } from "../clv";
import { sbgRetention } from "../retention/shiftedBetaGeometric";

/**
 * A referral-partner program, computed directly: what each partner's referred customers are
 * worth after commission, and what the program adds up to. The partner model's workbook
 * carries the same numbers as formulas; the tests check every one against this.
 *
 * Conventions (README, "Referral-partner models"):
 * - d is the discount rate per period: (1 + annual)^(1/p) − 1, p = 12, 4 or 1;
 * - a referred customer's values run over H periods from its own acquisition, discounted to
 *   it; with timing "start" it pays period k's revenue at the start of period k (weight
 *   S(k−1)/(1+d)^(k−1)), with "end" at its end (S(k)/(1+d)^k);
 * - a partner's customers churn k times as fast: r′_t = 1 − k(1 − r_t);
 * - each partner refers its customers at the start of each of the next A periods, and the
 *   cohort referred in period j = 0…A−1 is discounted to today by (1+d)^−j;
 * - a customer bought through paid channels is worth the CLV before acquisition cost under
 *   the base retention, less the paid acquisition cost.
 */
export type RetentionCurve = { kind: "constant"; retention: number } | { kind: "sbg"; alpha: number; beta: number };

export interface Tiers {
  starts: number[];
  rates: number[];
  method: TierMethod;
}

export interface PartnerTerms {
  name: string;
  /** New customers referred per period. */
  customersPerPeriod: number;
  /** A flat commission rate, or a tier table on customersPerPeriod. */
  rate?: number;
  tiers?: Tiers;
  /** 0: every period of the horizon. */
  commissionPeriods: number;
  bounty: number;
  holdPeriods: number;
  cap?: number;
  churnMultiplier: number;
}

export interface ProgramEconomics {
  revenue: number;
  /** Gross margin, a fraction. */
  margin: number;
  curve: RetentionCurve;
  /** Discount rate per period. */
  discountRate: number;
  horizon: number;
  acquisitionPeriods: number;
  paidCac: number;
  timing: Timing;
}

export interface PartnerResult {
  name: string;
  /** The commission rate applied: the flat rate, or the tier table's for customersPerPeriod. */
  rate: number;
  /** Per referred customer, discounted to its acquisition. */
  revenue: number;
  margin: number;
  commission: number;
  netValue: number;
  /** commission / revenue. */
  effectiveShare: number | undefined;
  /** netValue / commission. */
  roi: number | undefined;
  /** The first period at which cumulative margin net of percentage commissions covers the expected bounty; undefined if not within H. */
  paybackPeriod: number | undefined;
  /** The rate (no cap) at which netValue equals a paid customer's value (below 0: none does); undefined without commissioned revenue. */
  breakevenRate: number | undefined;
  /** Over the program. */
  customersReferred: number;
  totalCommission: number;
  totalNetValue: number;
  /** totalNetValue less what the same customers bought through paid channels would be worth. */
  valueOverPaid: number;
  /** 1 = the highest total net value. */
  rank: number;
}

export interface ProgramResult {
  partners: PartnerResult[];
  /** A paid customer's value: CLV before acquisition cost under the base retention, less the paid CAC. */
  paidCustomerValue: number;
  /** Σ_{j<A} (1+d)^−j: what one customer a period over the program is worth in customers today. */
  programFactor: number;
  customersReferred: number;
  commission: number;
  netValue: number;
  roi: number | undefined;
  valueOverPaid: number;
}

/** The base retention r_t for t = 1..H. */
export function baseRetention(curve: RetentionCurve, horizon: number): number[] {
  return Array.from({ length: horizon }, (_, i) => (curve.kind === "constant" ? curve.retention : sbgRetention({ alpha: curve.alpha, beta: curve.beta }, i + 1)));
}

/** A partner's retention r′_t = 1 − k(1 − r_t), refused where it would fall below 0. */
export function partnerRetention(base: readonly number[], multiplier: number, partner: string): number[] {
  return base.map((r, i) => {
    const adjusted = 1 - multiplier * (1 - r);
    if (adjusted < 0) {
      throw invalidValue(
        `${partner}: a churn multiplier of ${describeNumber(multiplier)} makes retention negative in period ${i + 1} (${describeNumber(r)} becomes ${describeNumber(adjusted)}); at most ${describeNumber(1 / (1 - r))} here`,
      );
    }
    return adjusted;
  });
}

/** Σ W_k for the given retention and timing: expected discounted active periods over the horizon. */
function weights(retention: readonly number[], discountRate: number, timing: Timing): number[] {
  const out: number[] = [];
  let survival = 1;
  let discount = 1;
  for (let k = 1; k <= retention.length; k++) {
    if (timing === "end") {
      survival *= retention[k - 1] as number;
      discount /= 1 + discountRate;
    }
    out.push(survival * discount);
    if (timing === "start") {
      survival *= retention[k - 1] as number;
      discount /= 1 + discountRate;
    }
  }
  return out;
}

export function programResults(economics: ProgramEconomics, partners: readonly PartnerTerms[]): ProgramResult {
  const { revenue: R, margin: m, discountRate: d, horizon: H, timing } = economics;
  const base = baseRetention(economics.curve, H);
  const paidRevenue = weights(base, d, timing).reduce((s, w) => s + w * R, 0);
  const paidCustomerValue = m * paidRevenue - economics.paidCac;
  let programFactor = 0;
  for (let j = 0; j < economics.acquisitionPeriods; j++) programFactor += (1 + d) ** -j;

  const results = partners.map((p): PartnerResult => {
    const retention = partnerRetention(base, p.churnMultiplier, p.name);
    const rate = p.tiers ? tierRate(p.customersPerPeriod, p.tiers.starts, p.tiers.rates, p.tiers.method) : (p.rate as number);
    const w = weights(retention, d, timing);
    const revenue = w.reduce((s, wk) => s + wk * R, 0);
    const terms = { revenue: R, retention, discountRate: d, periods: H, timing, commissionPeriods: p.commissionPeriods, bounty: p.bounty, holdPeriods: p.holdPeriods };
    const cost = commissionCost({ ...terms, rate, cap: p.cap });
    const margin = m * revenue;
    const netValue = margin - cost.total;
    // Payback: cumulative discounted margin net of the percentage commissions reaches the expected bounty.
    const commissioned = p.commissionPeriods === 0 ? H : Math.min(p.commissionPeriods, H);
    let paid = 0;
    let cumulative = 0;
    let paybackPeriod: number | undefined;
    for (let k = 1; k <= H; k++) {
      const pay = k <= commissioned ? Math.min(rate * R, (p.cap ?? Number.POSITIVE_INFINITY) - paid) : 0;
      paid += pay;
      cumulative += (w[k - 1] as number) * (m * R - pay);
      if (paybackPeriod === undefined && cumulative >= cost.bounty) paybackPeriod = k;
    }
    // Break-even: margin − (rate × commissioned revenue + bounty) = the paid customer's value; below 0 when
    // even a commission of nothing leaves the referred customer worth less than a paid one.
    const commissionedRevenue = commissionCost({ ...terms, rate: 1, bounty: 0 }).total;
    const breakevenRate = commissionedRevenue > 0 ? (margin - cost.bounty - paidCustomerValue) / commissionedRevenue : undefined;
    return {
      name: p.name,
      rate,
      revenue,
      margin,
      commission: cost.total,
      netValue,
      effectiveShare: revenue > 0 ? cost.total / revenue : undefined,
      roi: cost.total > 0 ? netValue / cost.total : undefined,
      paybackPeriod,
      breakevenRate,
      customersReferred: p.customersPerPeriod * economics.acquisitionPeriods,
      totalCommission: p.customersPerPeriod * programFactor * cost.total,
      totalNetValue: p.customersPerPeriod * programFactor * netValue,
      valueOverPaid: p.customersPerPeriod * programFactor * (netValue - paidCustomerValue),
      rank: 0,
    };
  });
  const order = results.map((r, i) => i).sort((a, b) => (results[b] as PartnerResult).totalNetValue - (results[a] as PartnerResult).totalNetValue || a - b);
  order.forEach((i, position) => ((results[i] as PartnerResult).rank = position + 1));
  const commission = results.reduce((s, r) => s + r.totalCommission, 0);
  const netValue = results.reduce((s, r) => s + r.totalNetValue, 0);
  return {
    partners: results,
    paidCustomerValue,
    programFactor,
    customersReferred: results.reduce((s, r) => s + r.customersReferred, 0),
    commission,
    netValue,
    roi: commission > 0 ? netValue / commission : undefined,
    valueOverPaid: results.reduce((s, r) => s + r.valueOverPaid, 0),
  };
}

