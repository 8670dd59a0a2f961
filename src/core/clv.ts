import { describeNumber, divisionByZero, invalidValue, LifetimeError, notANumber, notAvailable } from "./errors";
import { requireFinite, requireNonNegative, requireProbability, requireRate, requireWholeNumber } from "./validate";

/**
 * Customer lifetime value of a newly acquired customer, retention-based (the "simple
 * retention model" of Gupta & Lehmann 2003; Berger & Nasr 1998, case 1).
 *
 * Notation, used throughout:
 * - m_t   margin in period t (contribution per active customer: revenue × gross margin);
 * - r_t   retention in period t: probability that a customer active in period t−1 is still
 *         active in period t;
 * - S(t)  survival, S(0) = 1 and S(t) = r_1 × … × r_t;
 * - d     discount rate per period, so a cash flow at the end of period t is worth (1+d)^−t.
 *
 * Timing (as in Excel's PMT):
 * - "end":   each period's margin arrives at its end:
 *            CLV = Σ_{t=1..T} m_t S(t) (1+d)^−t − acquisition cost;
 * - "start": margins arrive at the start of each period, the first at acquisition:
 *            CLV = Σ_{t=0..T−1} m_{t+1} S(t) (1+d)^−t − acquisition cost.
 */
export type Timing = "end" | "start";

/** A per-period quantity: one value for every period, or a series, period 1 first. */
export type PerPeriod = number | readonly number[];

export interface ClvInput {
  /** Margin per active customer per period (currency). */
  margin: PerPeriod;
  /** Retention per period, a probability (80% is 0.8). */
  retention: PerPeriod;
  /** Discount rate per period, as a fraction (10% is 0.1). */
  discountRate: number;
  /** Horizon in whole periods; omitted: the longest series, or an infinite horizon when both are constant. */
  periods?: number;
  /** Cost to acquire the customer, paid at acquisition (currency). Default 0. */
  acquisitionCost?: number;
  /** When each period's margin arrives. Default "end". */
  timing?: Timing;
}

/** A validated per-period quantity: constant, or a series long enough for the horizon. */
export interface Series {
  readonly at: (t: number) => number;
  readonly constant: number | undefined;
}

const isSeries = (value: PerPeriod): value is readonly number[] => typeof value !== "number";

/** How a message names one value of a series: "margin (value 3 of 12)". */
export const seriesValueName = (name: string, index: number, length: number): string => `${name} (value ${index + 1} of ${length})`;

export function checkSeries(name: string, value: PerPeriod, check: (name: string, v: number) => number): void {
  if (!isSeries(value)) {
    check(name, value);
    return;
  }
  if (value.length === 0) throw invalidValue(`${name} has no values`);
  for (let i = 0; i < value.length; i++) {
    const v = value[i] as number;
    try {
      check(name, v);
    } catch {
      check(seriesValueName(name, i, value.length), v); // the same error, naming the value
    }
  }
}

/**
 * The horizon a calculation runs over. An explicit `periods` must be covered by every
 * series; otherwise the horizon is the longest series, or infinite when every input is
 * constant. A shorter series is refused rather than extended: guessing the periods a user
 * did not give would be a wrong number presented as a right one.
 */
export function resolveHorizon(inputs: Record<string, PerPeriod>, periods: number | undefined): number {
  const lengths = Object.entries(inputs).filter(([, v]) => isSeries(v)) as [string, readonly number[]][];
  const horizon =
    periods !== undefined
      ? requireWholeNumber("periods", periods, 1)
      : lengths.reduce((longest, [, v]) => Math.max(longest, v.length), 0) || Number.POSITIVE_INFINITY;
  for (const [name, v] of lengths) {
    if (v.length < horizon) {
      throw invalidValue(
        `${name} has ${v.length} value${v.length === 1 ? "" : "s"} but the horizon is ${horizon} periods; ` +
          `give one value per period, a single value for every period, or a shorter periods`,
      );
    }
  }
  return horizon;
}

export function series(value: PerPeriod): Series {
  if (isSeries(value)) {
    const values = value;
    return { at: (t) => values[t - 1] as number, constant: undefined };
  }
  return { at: () => value, constant: value };
}

export const TIMINGS: readonly Timing[] = ["end", "start"];

function validateClvInput(input: ClvInput): { horizon: number; discountRate: number; acquisitionCost: number; timing: Timing } {
  checkSeries("margin", input.margin, requireFinite);
  checkSeries("retention", input.retention, requireProbability);
  const discountRate = requireRate("discount_rate", input.discountRate);
  const acquisitionCost = requireFinite("acquisition_cost", input.acquisitionCost ?? 0);
  const timing = input.timing ?? "end";
  if (!TIMINGS.includes(timing)) throw invalidValue(`timing must be "end" or "start"; got ${String(timing)}`);
  const horizon = resolveHorizon({ margin: input.margin, retention: input.retention }, input.periods);
  return { horizon, discountRate, acquisitionCost, timing };
}

/**
 * Σ of the discounted survival weights w_t = S(t)(1+d)^−t (timing "end", t = 1..T) or
 * S(t−1)(1+d)^−(t−1) (timing "start"), for constant retention r: a geometric series in
 * q = r/(1+d). Written with expm1 and (1−r)+d so that it stays exact to a few ulps when
 * q is close to 1, where the textbook q(1−q^T)/(1−q) loses most of its digits.
 * T may be infinite; the caller has ruled out a divergent infinite sum.
 */
export function geometricWeightSum(retention: number, discountRate: number, periods: number, timing: Timing): number {
  if (periods === 0) return 0; // no period, no weight (a cap reached before the first full payment)
  const gap = 1 - retention + discountRate; // (1+d)(1−q)
  const numerator = timing === "end" ? retention : 1 + discountRate;
  if (gap === 0) return periods; // q = 1: every term is 1
  if (retention === 0) return timing === "end" ? 0 : 1; // only S(0) = 1 is non-zero
  const logQ = Math.log(retention) - Math.log1p(discountRate);
  return (numerator * -Math.expm1(periods * logQ)) / gap;
}

export function finiteResult(value: number, what: string): number {
  if (!Number.isFinite(value)) {
    throw notANumber(`${what} is too large to compute in double precision; check the size of the inputs`);
  }
  return value === 0 ? 0 : value; // no −0 in a cell
}

/**
 * Expected discounted margin of one newly acquired customer, less its acquisition cost.
 * O(1) when margin and retention are constant (closed form), O(T) for series.
 *
 * @example customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1 }) // 266.67
 */
export function customerLifetimeValue(input: ClvInput): number {
  const { horizon, discountRate, acquisitionCost, timing } = validateClvInput(input);
  const margin = series(input.margin);
  const retention = series(input.retention);

  if (margin.constant !== undefined && retention.constant !== undefined) {
    const m = margin.constant;
    const r = retention.constant;
    if (horizon === Number.POSITIVE_INFINITY && m !== 0 && r >= 1 + discountRate) {
      throw notANumber(
        `the value diverges: with retention ${describeNumber(r)} and discount_rate ${describeNumber(discountRate)} ` +
          `an infinite horizon has no finite value; give periods, or a discount rate above ${describeNumber(r - 1)}`,
      );
    }
    const weights = m === 0 ? 0 : geometricWeightSum(r, discountRate, horizon, timing);
    return finiteResult(m * weights - acquisitionCost, "the lifetime value");
  }
  return finiteResult(sumSeries(margin, retention, discountRate, horizon, timing) - acquisitionCost, "the lifetime value");
}

/**
 * Σ m_t w_t over a finite horizon, w_t the discounted survival weight. The weight is
 * carried as one running product, so survival and discounting never meet as 0 × ∞.
 */
function sumSeries(margin: Series, retention: Series, discountRate: number, horizon: number, timing: Timing): number {
  let total = 0;
  forEachPeriod(margin, retention, discountRate, horizon, timing, (_t, _active, _discount, discountedMargin) => {
    total += discountedMargin;
  });
  return total;
}

/**
 * Walks the periods 1..T, handing each its share of customers paying (S(t), or S(t−1)
 * with timing "start"), the discount factor applied and the expected discounted margin.
 */
export function forEachPeriod(
  margin: Series,
  retention: Series,
  discountRate: number,
  horizon: number,
  timing: Timing,
  visit: (period: number, active: number, discountFactor: number, discountedMargin: number) => void,
): void {
  const factor = 1 / (1 + discountRate);
  const end = timing === "end";
  let survival = 1; // S(t−1) at the top of the loop
  let discount = 1; // (1+d)^−(t−1)
  for (let t = 1; t <= horizon; t++) {
    if (end) {
      survival *= retention.at(t);
      discount *= factor;
    }
    visit(t, survival, discount, margin.at(t) * survival * discount);
    if (!end) {
      survival *= retention.at(t);
      discount *= factor;
    }
  }
}

export interface ClvGridInput {
  /** Margin per active customer per period: one value, or a series (as LTV.CLV). */
  margin: PerPeriod;
  /** The rows: constant retention values. */
  retentions: readonly number[];
  /** The columns: discount rates per period. */
  discountRates: readonly number[];
  periods?: number;
  acquisitionCost?: number;
  timing?: Timing;
}

/** The most CLV terms one grid sums: cells × periods of the margin series (a constant margin costs one). */
export const MAX_GRID_WORK = 20_000_000;

/**
 * {@link customerLifetimeValue} over a grid: one row per retention value, one column per
 * discount rate (LTV.CLV_GRID), for a sensitivity table in a cell. A combination with no
 * finite value is refused naming its row and column.
 */
export function clvGrid(input: ClvGridInput): number[][] {
  if (input.retentions.length === 0) throw invalidValue("retention_values has no values");
  if (input.discountRates.length === 0) throw invalidValue("discount_rates has no values");
  input.retentions.forEach((r, i) => requireProbability(seriesValueName("retention_values", i, input.retentions.length), r));
  input.discountRates.forEach((d, j) => requireRate(seriesValueName("discount_rates", j, input.discountRates.length), d));
  const cost = typeof input.margin === "number" ? 1 : input.margin.length;
  const cells = input.retentions.length * input.discountRates.length;
  if (cells * cost > MAX_GRID_WORK) {
    throw notANumber(`a grid of ${cells} cells over ${cost} periods of margin is more than one call computes in time (${MAX_GRID_WORK / 1_000_000} million terms): use fewer values or a constant margin`);
  }
  return input.retentions.map((retention, i) =>
    input.discountRates.map((discountRate, j) => {
      try {
        return customerLifetimeValue({ margin: input.margin, retention, discountRate, periods: input.periods, acquisitionCost: input.acquisitionCost, timing: input.timing });
      } catch (error) {
        if (error instanceof LifetimeError) throw new LifetimeError(error.code, `row ${i + 1} (retention ${describeNumber(retention)}), column ${j + 1} (discount rate ${describeNumber(discountRate)}): ${error.message}`);
        throw error;
      }
    }),
  );
}

/** Column headers of {@link clvSchedule}, in order. */
export const SCHEDULE_COLUMNS = ["period", "active", "discount factor", "discounted margin", "cumulative value"] as const;

/**
 * The period-by-period build-up of {@link customerLifetimeValue}: for each period t,
 * [t, share of customers paying (S(t), or S(t−1) with timing "start"), discount factor
 * applied, expected discounted margin, cumulative value net of acquisition cost]. The last
 * row's cumulative value is the CLV over the horizon. Needs a finite horizon.
 */
export function clvSchedule(input: ClvInput): number[][] {
  const { horizon, discountRate, acquisitionCost, timing } = validateClvInput(input);
  if (horizon === Number.POSITIVE_INFINITY) {
    throw invalidValue("periods is needed for a schedule when margin and retention are single values");
  }
  const rows: number[][] = [];
  let cumulative = -acquisitionCost;
  forEachPeriod(series(input.margin), series(input.retention), discountRate, horizon, timing, (period, active, discountFactor, discountedMargin) => {
    cumulative += discountedMargin;
    rows.push([period, active, discountFactor, discountedMargin, finiteResult(cumulative, "the cumulative value")]);
  });
  return rows;
}

export interface PaybackInput {
  margin: PerPeriod;
  retention: PerPeriod;
  discountRate: number;
  acquisitionCost: number;
  timing?: Timing;
}

/** Rounding in a long sum must not move a payback that is exact on paper (300 = 3 × 100). */
const PAYBACK_TOLERANCE = 1e-12;

/**
 * CAC payback: the number of whole periods until the cumulative retained, discounted
 * margin of one new customer repays its acquisition cost, i.e. the least T ≥ 1 with
 * CLV over T periods ≥ 0. Zero when there is nothing to repay. Throws `#N/A` when it is
 * never repaid: within the series given, or ever, for constant inputs.
 */
export function cacPayback(input: PaybackInput): number {
  const cost = requireNonNegative("acquisition_cost", input.acquisitionCost);
  const clvInput: ClvInput = { ...input, acquisitionCost: 0 };
  const { horizon, discountRate, timing } = validateClvInput(clvInput);
  if (cost === 0) return 0;
  const target = cost * (1 - PAYBACK_TOLERANCE);
  const never = (why: string) => notAvailable(`the acquisition cost is never repaid ${why}`);

  if (horizon !== Number.POSITIVE_INFINITY) {
    const rows = clvSchedule({ ...clvInput, periods: horizon });
    const row = rows.find((r) => (r[4] as number) >= target);
    if (!row) throw never(`within the ${horizon} periods given`);
    return row[0] as number;
  }

  const m = input.margin as number;
  const r = input.retention as number;
  const valueOver = (periods: number) => m * geometricWeightSum(r, discountRate, periods, timing);
  if (m <= 0) throw never("when the margin is not positive");
  if (r < 1 + discountRate && valueOver(Number.POSITIVE_INFINITY) < target) {
    throw never(`: the whole lifetime value before acquisition cost is ${describeNumber(valueOver(Number.POSITIVE_INFINITY))}`);
  }
  // The cumulative value rises with T: double to bracket the payback, then bisect.
  const limit = 2 ** 52;
  let high = 1;
  while (valueOver(high) < target) {
    high *= 2;
    if (high > limit) throw never("within any horizon that can be computed");
  }
  let low = high / 2; // valueOver(low) < target unless high = 1
  if (high === 1) return 1;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (valueOver(mid) >= target) high = mid;
    else low = mid;
  }
  return high;
}

export interface RetentionRoiInput {
  customers: number;
  retentionBefore: PerPeriod;
  retentionAfter: PerPeriod;
  margin: PerPeriod;
  programCost: number;
  discountRate?: number;
  periods?: number;
  timing?: Timing;
}

/**
 * Return on a retention program: (customers × (CLV after − CLV before) − cost) / cost, both
 * CLVs over the same horizon with no acquisition cost. 0.5 means each dollar spent keeps
 * $1.50 of lifetime value.
 */
export function retentionRoi(input: RetentionRoiInput): number {
  const customers = requireNonNegative("customers", input.customers);
  const cost = requireNonNegative("program_cost", input.programCost);
  // Both CLVs run over one horizon, resolved over all three series.
  const horizon = resolveHorizon(
    { margin: input.margin, retention_before: input.retentionBefore, retention_after: input.retentionAfter },
    input.periods,
  );
  const periods = horizon === Number.POSITIVE_INFINITY ? undefined : horizon;
  const clvAt = (name: string, retention: PerPeriod) => {
    checkSeries(name, retention, requireProbability);
    return customerLifetimeValue({
      margin: input.margin,
      retention,
      discountRate: input.discountRate ?? 0,
      periods,
      acquisitionCost: 0,
      timing: input.timing,
    });
  };
  const before = clvAt("retention_before", input.retentionBefore);
  const after = clvAt("retention_after", input.retentionAfter);
  if (cost === 0) throw divisionByZero("program_cost is 0: a return per dollar needs a cost");
  return finiteResult((customers * (after - before) - cost) / cost, "the return");
}

/** The three answers of {@link acquisitionVersusRetention}. */
export enum AcquisitionVersusRetention {
  /** (retained CLV / retention cost) ÷ (new CLV / acquisition cost); above 1 favours retention. */
  ValueRatio = 0,
  /** retained CLV × acquisition cost / new CLV: the most worth spending to keep one customer. */
  BreakEvenRetentionCost = 1,
  /** Return per retention dollar less return per acquisition dollar. */
  ReturnDifference = 2,
}

export interface AcquisitionVersusRetentionInput {
  acquisitionCost: number;
  newCustomerClv: number;
  retentionCost: number;
  retainedCustomerClv: number;
  result?: AcquisitionVersusRetention;
}

/** Is the next dollar better spent winning a new customer or keeping one? */
export function acquisitionVersusRetention(input: AcquisitionVersusRetentionInput): number {
  const result = input.result ?? AcquisitionVersusRetention.ValueRatio;
  const acquisitionCost = requireNonNegative("acquisition_cost", input.acquisitionCost);
  const retentionCost = requireNonNegative("retention_cost", input.retentionCost);
  const newClv = requireFinite("new_customer_clv", input.newCustomerClv);
  const retainedClv = requireFinite("retained_customer_clv", input.retainedCustomerClv);
  if (result !== AcquisitionVersusRetention.ReturnDifference) {
    // A ratio of values only means something for customers worth having.
    requireNonNegative("new_customer_clv", newClv);
    requireNonNegative("retained_customer_clv", retainedClv);
  }
  const zero = (name: string) => divisionByZero(`${name} is 0`);
  switch (result) {
    case AcquisitionVersusRetention.ValueRatio:
      if (retentionCost === 0) throw zero("retention_cost");
      if (acquisitionCost === 0) throw zero("acquisition_cost");
      if (newClv === 0) throw zero("new_customer_clv");
      return finiteResult(retainedClv / retentionCost / (newClv / acquisitionCost), "the ratio");
    case AcquisitionVersusRetention.BreakEvenRetentionCost:
      if (newClv === 0) throw zero("new_customer_clv");
      return finiteResult((retainedClv * acquisitionCost) / newClv, "the break-even cost");
    case AcquisitionVersusRetention.ReturnDifference:
      if (retentionCost === 0) throw zero("retention_cost");
      if (acquisitionCost === 0) throw zero("acquisition_cost");
      return finiteResult((retainedClv - retentionCost) / retentionCost - (newClv - acquisitionCost) / acquisitionCost, "the difference");
    default:
      throw invalidValue(`result must be 0 (value ratio), 1 (break-even retention cost) or 2 (return difference); got ${String(result)}`);
  }
}

/**
 * The rate per period equivalent to an annual rate: (1 + annual)^(1/p) − 1, computed as
 * expm1(log1p(annual)/p) so small rates keep their digits. 10% a year is 0.797% a month.
 */
export function periodicRate(annualRate: number, periodsPerYear: number): number {
  const annual = requireRate("annual_rate", annualRate);
  const p = requireFinite("periods_per_year", periodsPerYear);
  if (p <= 0 || p > 1_000_000) {
    throw invalidValue(`periods_per_year must be above 0 and at most 1,000,000 (12 for months, 4 for quarters); got ${describeNumber(p)}`);
  }
  return finiteResult(Math.expm1(Math.log1p(annual) / p), "the rate");
}
