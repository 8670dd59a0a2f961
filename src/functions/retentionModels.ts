/*
 * Custom functions for the shifted-beta-geometric retention model of subscription cohorts.
 * Ids and argument orders are a public contract.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Excel hands over untyped cell values; arguments.ts checks them. */
import { invalidValue } from "../core/errors";
import {
  fitShiftedBetaGeometric,
  requireSbgParams,
  sbgDiscountedExpectedLifetime,
  sbgDiscountedExpectedResidualLifetime,
  sbgRetention,
  SBG_PARAMS,
  sbgSurvival,
  type Cohort,
} from "../core/retention/shiftedBetaGeometric";
import { evaluate, evaluateTable, numberGrid, optionalFlag, optionalNumber, paramsRow, requiredNumber } from "./arguments";
import { fitLimits, fitTable, SBG_REMEDY } from "./fitTable";
import { elementwise } from "./tables";

const SBG_NAMES = SBG_PARAMS; // the core's parameter names, in order

/**
 * Fits the shifted-beta-geometric retention model to cohorts' survivor counts; returns [alpha, beta].
 * @customfunction SBG_FIT
 * @param survivors One row per cohort: its size at acquisition, then the customers still active after each period. Leave cells blank after a cohort's last observed period; 0 means everyone has left.
 * @param [details] TRUE adds a row of standard errors and a row with the log-likelihood and the number of iterations.
 * @returns [alpha, beta], the shape parameters of the distribution of churn probabilities.
 */
export function ltvSbgFit(survivors: any[][], details?: any): any[][] {
  return evaluateTable(() => {
    const limits = fitLimits();
    const withDetails = optionalFlag("details", details); // every argument is checked before the fit starts
    const fit = fitShiftedBetaGeometric(cohortsFrom(survivors), limits);
    return fitTable(fit, SBG_NAMES, withDetails, SBG_REMEDY);
  });
}

/** Rows of survivors: a blank (or an empty string) is "not yet observed" and ends the cohort's data. */
function cohortsFrom(survivors: any[][]): Cohort[] {
  const grid = numberGrid("survivors", survivors);
  const cohorts: Cohort[] = [];
  grid.forEach((row, r) => {
    if (row.every((c) => c === null)) return; // an empty row between cohorts
    const size = row[0];
    if (size === null || size === undefined) throw invalidValue(`survivors, row ${r + 1}: the first cell must be the cohort's size at acquisition`);
    const observed: number[] = [];
    for (let c = 1; c < row.length; c++) {
      const cell = row[c] as number | null;
      if (cell === null) {
        const later = row.slice(c + 1).findIndex((v) => v !== null);
        if (later >= 0) {
          throw invalidValue(`survivors, row ${r + 1}: period ${c} is blank but period ${c + 1 + later} is not; blanks may only follow a cohort's last observed period`);
        }
        break;
      }
      observed.push(cell);
    }
    cohorts.push({ size, survivors: observed });
  });
  if (cohorts.length === 0) throw invalidValue("survivors holds no cohort");
  return cohorts;
}

/**
 * Share of a cohort still active after t periods under a fitted sBG: S(t) = B(alpha, beta+t) / B(alpha, beta).
 * @customfunction SBG_SURVIVAL
 * @param params [alpha, beta], the result of LTV.SBG_FIT.
 * @param t Periods since acquisition (0 or more): a number or a range; the result has its shape.
 * @returns Survival, a fraction between 0 and 1.
 */
export function ltvSbgSurvival(params: any[][], t: any[][]): any[][] {
  return evaluateTable(() => {
    const p = requireSbgParams(paramsRow(params, SBG_NAMES, "LTV.SBG_FIT"));
    return elementwise([{ name: "t", value: t }], ([period]) => sbgSurvival(p, period as number));
  });
}

/**
 * Retention in period t under a fitted sBG: the share of customers active after period t−1 who renew, (beta+t−1)/(alpha+beta+t−1).
 * @customfunction SBG_RETENTION
 * @param params [alpha, beta], the result of LTV.SBG_FIT.
 * @param t Period, 1 or more: a number or a range; the result has its shape.
 * @returns Retention rate, a fraction between 0 and 1.
 */
export function ltvSbgRetention(params: any[][], t: any[][]): any[][] {
  return evaluateTable(() => {
    const p = requireSbgParams(paramsRow(params, SBG_NAMES, "LTV.SBG_FIT"));
    return elementwise([{ name: "t", value: t }], ([period]) => sbgRetention(p, period as number));
  });
}

/**
 * Discounted expected residual lifetime, in payments, of a customer who has made a number of renewals: the next payment undiscounted, later ones discounted. Multiply by the margin per period for a value.
 * @customfunction SBG_DERL
 * @param params [alpha, beta], the result of LTV.SBG_FIT.
 * @param discount_rate Discount rate per period, as a fraction (10% is 0.1).
 * @param [renewals] Renewals the customer has made so far (0 or more). Empty: 0.
 * @returns Expected number of discounted future payments.
 */
export function ltvSbgDerl(params: any[][], discount_rate: any, renewals?: any): number {
  return evaluate(() =>
    sbgDiscountedExpectedResidualLifetime(
      requireSbgParams(paramsRow(params, SBG_NAMES, "LTV.SBG_FIT")),
      requiredNumber("discount_rate", discount_rate),
      optionalNumber("renewals", renewals) ?? 0,
    ),
  );
}

/**
 * Discounted expected lifetime, in payments, of a just-acquired customer, counting the acquisition payment. Multiply by the margin per period for a lifetime value.
 * @customfunction SBG_DEL
 * @param params [alpha, beta], the result of LTV.SBG_FIT.
 * @param discount_rate Discount rate per period, as a fraction (10% is 0.1).
 * @returns Expected number of discounted payments, the first at acquisition.
 */
export function ltvSbgDel(params: any[][], discount_rate: any): number {
  return evaluate(() =>
    sbgDiscountedExpectedLifetime(requireSbgParams(paramsRow(params, SBG_NAMES, "LTV.SBG_FIT")), requiredNumber("discount_rate", discount_rate)),
  );
}
