/*
 * The LTV custom functions. Each is a short adapter: read Excel's arguments, call the core,
 * map errors. The JSDoc is the help Excel shows (custom-functions-metadata builds
 * functions.json from it): the first sentence describes the function, each @param gives
 * the unit and the allowed range. Ids and argument orders are a public contract: users'
 * workbooks call them. Add optional arguments at the end; never rename or reorder.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Excel hands over untyped cell values; arguments.ts checks them. */
import {
  acquisitionVersusRetention,
  AcquisitionVersusRetention,
  cacPayback,
  clvGrid,
  clvSchedule,
  customerLifetimeValue,
  periodicRate,
  retentionRoi,
  type ClvInput,
  type Timing,
} from "../core/clv";
import { evaluate, evaluateTable, numberList, optionalChoice, optionalNumber, perPeriod, requiredNumber } from "./arguments";

const TIMING: readonly Timing[] = ["end", "start"];
const RESULT: readonly AcquisitionVersusRetention[] = [
  AcquisitionVersusRetention.ValueRatio,
  AcquisitionVersusRetention.BreakEvenRetentionCost,
  AcquisitionVersusRetention.ReturnDifference,
];

/** The arguments of LTV.CLV and LTV.CLV_SCHEDULE, read from Excel's values. */
function clvInput(margin: any[][], retention: any[][], discount_rate: any, periods: any, acquisition_cost: any, timing: any): ClvInput {
  return {
    margin: perPeriod("margin", margin),
    retention: perPeriod("retention", retention),
    discountRate: requiredNumber("discount_rate", discount_rate),
    periods: optionalNumber("periods", periods),
    acquisitionCost: optionalNumber("acquisition_cost", acquisition_cost),
    timing: optionalChoice("timing", timing, TIMING, "end"),
  };
}

/**
 * Expected discounted value of one newly acquired customer: the margin it brings each period while retained, discounted, less its acquisition cost.
 * @customfunction CLV
 * @param margin Margin per active customer per period (revenue × gross margin), in currency: one number, or a row or column with one value per period, period 1 first.
 * @param retention Share of customers active in one period who are still active in the next, as a fraction between 0 and 1 (80% is 0.8): one number, or a row or column per period.
 * @param discount_rate Discount rate per period, as a fraction (10% is 0.1). Use LTV.PERIODIC_RATE to turn an annual rate into a monthly one.
 * @param [periods] Horizon in whole periods. Empty: the length of the longest range, or an infinite horizon when margin and retention are single numbers.
 * @param [acquisition_cost] Cost to acquire the customer, in currency, subtracted from the value. Empty: 0.
 * @param [timing] 0 (default): each period's margin arrives at its end. 1: at its start, the first at acquisition.
 * @returns Customer lifetime value, in the currency of margin.
 */
export function ltvClv(margin: any[][], retention: any[][], discount_rate: any, periods?: any, acquisition_cost?: any, timing?: any): number {
  return evaluate(() => customerLifetimeValue(clvInput(margin, retention, discount_rate, periods, acquisition_cost, timing)));
}

/**
 * Period-by-period build-up of LTV.CLV, spilled as one row per period: period, share of customers paying, discount factor, discounted margin, cumulative value.
 * @customfunction CLV_SCHEDULE
 * @param margin Margin per active customer per period, in currency: one number, or a row or column with one value per period.
 * @param retention Retention per period, as a fraction between 0 and 1 (80% is 0.8): one number, or a row or column per period.
 * @param discount_rate Discount rate per period, as a fraction (10% is 0.1).
 * @param [periods] Horizon in whole periods. Empty: the length of the longest range; needed when margin and retention are single numbers.
 * @param [acquisition_cost] Cost to acquire the customer, in currency; the cumulative value starts at minus this cost. Empty: 0.
 * @param [timing] 0 (default): margins arrive at the end of each period. 1: at the start.
 * @returns One row per period: period, share paying, discount factor, discounted margin, cumulative value (the last is LTV.CLV).
 */
export function ltvClvSchedule(margin: any[][], retention: any[][], discount_rate: any, periods?: any, acquisition_cost?: any, timing?: any): number[][] {
  return evaluate(() => clvSchedule(clvInput(margin, retention, discount_rate, periods, acquisition_cost, timing)));
}

/**
 * LTV.CLV over a grid, spilled: one row per retention value, one column per discount rate, for a sensitivity table.
 * @customfunction CLV_GRID
 * @param margin Margin per active customer per period (revenue × gross margin), in currency: one number, or a row or column with one value per period.
 * @param retention_values Retention values for the rows, each a fraction between 0 and 1 (80% is 0.8): a column (or a row) of numbers.
 * @param discount_rates Discount rates per period for the columns, as fractions (10% is 0.1): a row (or a column) of numbers.
 * @param [periods] Horizon in whole periods. Empty: the length of margin when it is a range, else an infinite horizon.
 * @param [acquisition_cost] Cost to acquire the customer, in currency, subtracted from every value. Empty: 0.
 * @param [timing] 0 (default): each period's margin arrives at its end. 1: at its start.
 * @returns A grid of customer lifetime values: rows by retention, columns by discount rate.
 */
export function ltvClvGrid(margin: any[][], retention_values: any[][], discount_rates: any[][], periods?: any, acquisition_cost?: any, timing?: any): number[][] {
  return evaluateTable(() => {
    return clvGrid({
      margin: perPeriod("margin", margin),
      retentions: numberList("retention_values", retention_values),
      discountRates: numberList("discount_rates", discount_rates),
      periods: optionalNumber("periods", periods),
      acquisitionCost: optionalNumber("acquisition_cost", acquisition_cost),
      timing: optionalChoice("timing", timing, TIMING, "end"),
    });
  });
}

/**
 * Return on a retention program: the lifetime value it keeps per dollar spent, (customers × (CLV after − CLV before) − cost) / cost.
 * @customfunction RETENTION_ROI
 * @param customers Number of customers the program reaches.
 * @param retention_before Retention per period without the program, as a fraction (80% is 0.8): a number, or a row or column per period.
 * @param retention_after Retention per period with the program, as a fraction: a number, or a row or column per period.
 * @param margin Margin per active customer per period, in currency: a number, or a row or column per period.
 * @param program_cost Total cost of the program, in currency.
 * @param [discount_rate] Discount rate per period, as a fraction (10% is 0.1). Empty: 0.
 * @param [periods] Horizon in whole periods. Empty: the longest range, or an infinite horizon for single numbers.
 * @param [timing] 0 (default): margins arrive at the end of each period. 1: at the start.
 * @returns Return on the program as a fraction: 0.5 means each dollar keeps $1.50 of lifetime value.
 */
export function ltvRetentionRoi(
  customers: any,
  retention_before: any[][],
  retention_after: any[][],
  margin: any[][],
  program_cost: any,
  discount_rate?: any,
  periods?: any,
  timing?: any,
): number {
  return evaluate(() =>
    retentionRoi({
      customers: requiredNumber("customers", customers),
      retentionBefore: perPeriod("retention_before", retention_before),
      retentionAfter: perPeriod("retention_after", retention_after),
      margin: perPeriod("margin", margin),
      programCost: requiredNumber("program_cost", program_cost),
      discountRate: optionalNumber("discount_rate", discount_rate),
      periods: optionalNumber("periods", periods),
      timing: optionalChoice("timing", timing, TIMING, "end"),
    }),
  );
}

/**
 * Is the next dollar better spent winning a new customer or keeping one? Compares lifetime value per dollar of acquisition and of retention.
 * @customfunction ACQ_VS_RETAIN
 * @param acquisition_cost Cost to win one new customer, in currency.
 * @param new_customer_clv Lifetime value of a new customer, in currency.
 * @param retention_cost Cost to keep one customer who would otherwise leave, in currency.
 * @param retained_customer_clv Lifetime value of a retained customer, in currency.
 * @param [result] 0 (default): value per retention dollar ÷ value per acquisition dollar (above 1 favours retention). 1: break-even retention cost. 2: return per retention dollar minus return per acquisition dollar.
 * @returns The comparison chosen by result.
 */
export function ltvAcqVsRetain(acquisition_cost: any, new_customer_clv: any, retention_cost: any, retained_customer_clv: any, result?: any): number {
  return evaluate(() =>
    acquisitionVersusRetention({
      acquisitionCost: requiredNumber("acquisition_cost", acquisition_cost),
      newCustomerClv: requiredNumber("new_customer_clv", new_customer_clv),
      retentionCost: requiredNumber("retention_cost", retention_cost),
      retainedCustomerClv: requiredNumber("retained_customer_clv", retained_customer_clv),
      result: optionalChoice("result", result, RESULT, AcquisitionVersusRetention.ValueRatio),
    }),
  );
}

/**
 * Rate per period equivalent to an annual rate, compounded: (1 + annual_rate)^(1/periods_per_year) − 1. 10% a year is 0.797% a month.
 * @customfunction PERIODIC_RATE
 * @param annual_rate Annual rate, as a fraction (10% is 0.1).
 * @param periods_per_year Periods in a year: 12 for months, 4 for quarters, 52 for weeks.
 * @returns Rate per period, as a fraction.
 */
export function ltvPeriodicRate(annual_rate: any, periods_per_year: any): number {
  return evaluate(() => periodicRate(requiredNumber("annual_rate", annual_rate), requiredNumber("periods_per_year", periods_per_year)));
}

/**
 * CAC payback: whole periods until the cumulative retained, discounted margin of a new customer repays its acquisition cost; #N/A when it never does.
 * @customfunction CAC_PAYBACK
 * @param margin Margin per active customer per period, in currency: a number, or a row or column per period.
 * @param retention Retention per period, as a fraction between 0 and 1 (80% is 0.8): a number, or a row or column per period.
 * @param discount_rate Discount rate per period, as a fraction (10% is 0.1); 0 for an undiscounted payback.
 * @param acquisition_cost Cost to acquire one customer, in currency.
 * @param [timing] 0 (default): margins arrive at the end of each period. 1: at the start, the first at acquisition.
 * @returns Number of periods to repay the acquisition cost (0 when there is nothing to repay).
 */
export function ltvCacPayback(margin: any[][], retention: any[][], discount_rate: any, acquisition_cost: any, timing?: any): number {
  return evaluate(() =>
    cacPayback({
      margin: perPeriod("margin", margin),
      retention: perPeriod("retention", retention),
      discountRate: requiredNumber("discount_rate", discount_rate),
      acquisitionCost: requiredNumber("acquisition_cost", acquisition_cost),
      timing: optionalChoice("timing", timing, TIMING, "end"),
    }),
  );
}
