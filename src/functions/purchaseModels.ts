/*
 * Custom functions for the repeat-buyer models: BG/NBD, Pareto/NBD and Gamma-Gamma spend.
 * Ids and argument orders are a public contract.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Excel hands over untyped cell values; arguments.ts checks them. */
import { describeNumber, invalidValue } from "../core/errors";
import {
  BGNBD_PARAMS,
  bgnbdAliveCurves,
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdProbabilityAlive,
  fitBgNbd,
  requireBgNbdParams,
} from "../core/purchase/bgnbd";
import { checkHistory, CollapseTable, summarizeCustomers, type CustomerSummary } from "../core/purchase/customers";
import { checkSpend, checkValueHorizon, discountedPurchases } from "../core/purchase/customerValue";
import { fitGammaGamma, fitSpendData, GAMMA_GAMMA_PARAMS, gammaGammaExpectedSpend, requireGammaGammaParams, type SpendData } from "../core/purchase/gammaGamma";
import {
  fitParetoNbd,
  PARETO_NBD_PARAMS,
  paretoNbdAliveCurve,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdProbabilityAlive,
  requireParetoNbdParams,
} from "../core/purchase/paretoNbd";
import { evaluateTable, optionalFlag, optionalNumber, paramsRow, requiredNumber, type CellValue } from "./arguments";
import { fitLimits, fitTable } from "./fitTable";
import { customerColumns, elementwise } from "./tables";

// The parameter names, in order, are the core's.
const BGNBD_NAMES = BGNBD_PARAMS;
const PNBD_NAMES = PARETO_NBD_PARAMS;
const GG_NAMES = GAMMA_GAMMA_PARAMS;

function customers(frequency: CellValue, recency: CellValue, T: CellValue, weights: CellValue): CustomerSummary {
  const read = readCustomerCells(frequency, recency, T, weights);
  if (read) return read;
  const { values, rowNumbers } = customerColumns({ frequency, recency, T, weights }, ["weights"]);
  return summarizeCustomers({ frequency: values.frequency, recency: values.recency, T: values.T, weights: values.weights, rowNumbers });
}

const omitted = (value: CellValue) => value === null || value === undefined || value === "";

/** A row of a range as the fast readers look at it: an array of cells, or anything else (which they leave to the general path). */
type Row = readonly unknown[] | null | undefined | number | string | boolean;

/** A cell that customerColumns reads as empty in row `row` of a column: blank, or, in the first row, a header of text. */
const emptyCell = (cell: unknown, row: number) =>
  cell === null || cell === undefined || cell === "" || (row === 0 && typeof cell === "string" && cell.trim() !== "");

/** An optional column as customerColumns leaves it out: omitted, or a single empty cell. */
const omittedColumn = (value: CellValue) => omitted(value) || (Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) && value[0].length === 1 && (value[0][0] === null || value[0][0] === ""));

/**
 * Ranges that may be read cell by cell in one pass: arrays of the same length, at least
 * two rows (each row is checked to be one cell as it is read).
 */
function tallColumns(columns: readonly CellValue[]): unknown[][] | undefined {
  const first = columns[0];
  if (!Array.isArray(first) || first.length < 2) return undefined;
  for (const c of columns) if (!Array.isArray(c) || c.length !== first.length) return undefined;
  return columns as unknown[][];
}

/**
 * The customers of a fit read straight from the cells, in one pass and without
 * intermediate columns, for the common case: tall one-column ranges of numbers (a header
 * row and empty rows skipped, as customerColumns skips them) in which every row is a
 * history summarizeCustomers takes as it is. The rows go into the table summarizeCustomers
 * fills, in the same order, so the summary is the same. Anything else (text, a row with
 * some cells empty, a row summarizeCustomers refuses or corrects, single values, a range
 * of several columns) gives undefined, and the general path reads the columns again and
 * names the problem. On the first call after a workbook opens, when the code still runs
 * unoptimised, this takes about half as long as the general way (3 ms for CDNOW's 2,357
 * rows against 5–6), and allocates far less.
 */
export function readCustomerCells(frequency: CellValue, recency: CellValue, T: CellValue, weights: CellValue): CustomerSummary | undefined {
  const weighted = !omittedColumn(weights);
  const columns = tallColumns(weighted ? [frequency, recency, T, weights] : [frequency, recency, T]);
  if (!columns) return undefined;
  const fs = columns[0] as unknown[];
  const rs = columns[1] as unknown[];
  const ts = columns[2] as unknown[];
  const ws = weighted ? (columns[3] as unknown[]) : undefined;
  const n = fs.length;
  const table = new CollapseTable(n);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    // The cells of one-cell rows, read in line (a call per cell costs more than the reading);
    // see readSpendCells for why rows are tested so.
    const fr = fs[i] as Row;
    const rr = rs[i] as Row;
    const tr = ts[i] as Row;
    if (!(typeof fr === "object" && fr !== null && fr.length === 1 && typeof rr === "object" && rr !== null && rr.length === 1 && typeof tr === "object" && tr !== null && tr.length === 1)) return undefined;
    const x: unknown = fr[0];
    const tx: unknown = rr[0];
    const t: unknown = tr[0];
    let w: unknown = 1;
    if (ws) {
      const wr = ws[i] as Row;
      if (!(typeof wr === "object" && wr !== null && wr.length === 1)) return undefined;
      w = wr[0];
    }
    if (typeof x === "number" && typeof tx === "number" && typeof t === "number" && typeof w === "number") {
      if (!(x % 1 === 0 && x >= 0 && t >= 0 && t < Number.POSITIVE_INFINITY && tx >= 0 && tx <= t && (x > 0 || tx === 0) && w >= 0 && w < Number.POSITIVE_INFINITY)) return undefined;
      if (w !== 0) {
        table.add(x, tx === t ? Math.min(tx, t) : tx, t, w); // as summarizeCustomers adds it (of 0 and −0, −0)
        rows++;
      }
    } else if (!(emptyCell(x, i) && emptyCell(tx, i) && emptyCell(t, i) && (!ws || emptyCell(w, i)))) {
      return undefined;
    }
  }
  return rows > 0 ? table.result() : undefined;
}

/**
 * Spend data read straight from the cells, as {@link readCustomerCells} reads customers:
 * the repeat customers in row order, as spendData keeps them, or undefined for anything
 * the general path should read and name.
 */
export function readSpendCells(frequency: CellValue, monetaryValue: CellValue, weights: CellValue): SpendData | undefined {
  const weighted = !omittedColumn(weights);
  const columns = tallColumns(weighted ? [frequency, monetaryValue, weights] : [frequency, monetaryValue]);
  if (!columns) return undefined;
  const fs = columns[0] as unknown[];
  const ms = columns[1] as unknown[];
  const ws = weighted ? (columns[2] as unknown[]) : undefined;
  const n = fs.length;
  const xs = new Float64Array(n);
  const means = new Float64Array(n);
  const counts = new Float64Array(n);
  let kept = 0;
  let customers = 0;
  for (let i = 0; i < n; i++) {
    // Rows of one cell. Excel's rows are arrays: anything else (no cell, several, not an array)
    // goes to the general path, which names it. Tested with typeof and length, not
    // Array.isArray: on the first call after a workbook opens, still interpreted, those calls
    // cost as much as the rest of the row (0.2 ms of 0.65 for CDNOW's 2,357 rows), as did
    // Number.isInteger against x % 1 === 0 (the same test for a finite x).
    const fr = fs[i] as Row;
    const mr = ms[i] as Row;
    if (!(typeof fr === "object" && fr !== null && fr.length === 1 && typeof mr === "object" && mr !== null && mr.length === 1)) return undefined;
    const x: unknown = fr[0];
    const m: unknown = mr[0];
    let w: unknown = 1;
    if (ws) {
      const wr = ws[i] as Row;
      if (!(typeof wr === "object" && wr !== null && wr.length === 1)) return undefined;
      w = wr[0];
    }
    if (typeof x === "number" && typeof m === "number" && typeof w === "number") {
      // Every monetary value must be a finite number, even where the frequency is 0.
      if (!(x % 1 === 0 && x >= 0 && m - m === 0 && w >= 0 && w < Number.POSITIVE_INFINITY)) return undefined;
      if (x === 0 || w === 0) continue;
      if (!(m > 0)) return undefined;
      xs[kept] = x;
      means[kept] = m;
      counts[kept] = w;
      kept++;
      customers += w;
    } else if (!(emptyCell(x, i) && emptyCell(m, i) && (!ws || emptyCell(w, i)))) {
      return undefined;
    }
  }
  return kept > 0 ? { x: xs.slice(0, kept), m: means.slice(0, kept), weight: counts.slice(0, kept), customers } : undefined;
}

/** Predictions for new customers (history omitted) or for customers with a history (all three given). */
function predict(
  t: CellValue,
  history: { frequency: CellValue; recency: CellValue; T: CellValue },
  unconditional: (t: number) => number,
  conditional: (t: number, x: number, tx: number, T: number) => number,
): (number | string)[][] {
  const given = [history.frequency, history.recency, history.T].filter((v) => !omitted(v)).length;
  const checkT = (value: number) => {
    if (!(Number.isFinite(value) && value >= 0)) throw invalidValue(`t must be a length of time, 0 or more; got ${describeNumber(value)}`);
    return value;
  };
  if (given === 0) return elementwise([{ name: "t", value: t }], ([time]) => unconditional(time as number), ([time]) => checkT(time as number));
  if (given < 3) throw invalidValue("give frequency, recency and T together for a customer's history, or none of them for a new customer");
  return elementwise(
    [
      { name: "t", value: t },
      { name: "frequency", value: history.frequency },
      { name: "recency", value: history.recency },
      { name: "T", value: history.T },
    ],
    ([time, x, tx, age]) => conditional(time as number, x as number, Math.min(tx as number, age as number), age as number),
    ([time, x, tx, age]) => {
      checkT(time as number);
      checkHistory(x as number, tx as number, age as number, "");
    },
  );
}

function probabilityAlive(frequency: CellValue, recency: CellValue, T: CellValue, compute: (x: number, tx: number, T: number) => number) {
  return elementwise(
    [
      { name: "frequency", value: frequency },
      { name: "recency", value: recency },
      { name: "T", value: T },
    ],
    ([x, tx, age]) => compute(x as number, Math.min(tx as number, age as number), age as number),
    ([x, tx, age]) => checkHistory(x as number, tx as number, age as number, ""),
  );
}

/**
 * Fits the BG/NBD model of repeat buying to customers' frequency, recency and age; returns [r, alpha, a, b].
 * @customfunction BGNBD_FIT
 * @param frequency Repeat purchases of each customer (purchases after the first), a column of whole numbers.
 * @param recency Time from each customer's first purchase to the last (t_x in Fader, Hardie & Lee 2005), in the time unit of T; 0 without repeat purchases.
 * @param T Time from each customer's first purchase to the end of observation, in weeks, days or any one unit.
 * @param [weights] Number of customers each row stands for, for a summary grouped by frequency, recency and T. Empty: 1 each.
 * @param [details] TRUE adds a row of standard errors and a row with the log-likelihood and the number of iterations.
 * @returns [r, alpha, a, b]: purchase-rate shape and scale, dropout-probability shapes.
 */
export function ltvBgnbdFit(frequency: any[][], recency: any[][], T: any[][], weights?: any[][], details?: any): any[][] {
  return evaluateTable(() => {
    const limits = fitLimits();
    const withDetails = optionalFlag("details", details); // every argument is checked before the fit starts
    return fitTable(fitBgNbd(customers(frequency, recency, T, weights), limits), BGNBD_NAMES, withDetails);
  });
}

/**
 * Expected repeat purchases in a period of length t under a fitted BG/NBD: of a new customer, or, given a history, of that customer in the next t.
 * @customfunction BGNBD_EXPECTED
 * @param params [r, alpha, a, b], the result of LTV.BGNBD_FIT.
 * @param t Length of the period, in the time unit of the fit (0 or more): a number or a range.
 * @param [frequency] The customer's repeat purchases; with recency and T, for a customer with a history. A column gives a column of results.
 * @param [recency] Time from the customer's first purchase to the last.
 * @param [T] Time from the customer's first purchase to the end of observation.
 * @returns Expected number of purchases.
 */
export function ltvBgnbdExpected(params: any[][], t: any[][], frequency?: any[][], recency?: any[][], T?: any[][]): any[][] {
  return evaluateTable(() => {
    const p = requireBgNbdParams(paramsRow(params, BGNBD_NAMES, "LTV.BGNBD_FIT"));
    return predict(
      t,
      { frequency, recency, T },
      (time) => bgnbdExpectedPurchases(p, time),
      (time, x, tx, age) => bgnbdConditionalExpectedPurchases(p, time, x, tx, age),
    );
  });
}

/**
 * Probability that a customer with the given history is still active, under a fitted BG/NBD.
 * @customfunction BGNBD_P_ALIVE
 * @param params [r, alpha, a, b], the result of LTV.BGNBD_FIT.
 * @param frequency The customer's repeat purchases: a number or a column.
 * @param recency Time from the customer's first purchase to the last.
 * @param T Time from the customer's first purchase to the end of observation.
 * @returns Probability, between 0 and 1.
 */
export function ltvBgnbdPAlive(params: any[][], frequency: any[][], recency: any[][], T: any[][]): any[][] {
  return evaluateTable(() => {
    const p = requireBgNbdParams(paramsRow(params, BGNBD_NAMES, "LTV.BGNBD_FIT"));
    return probabilityAlive(frequency, recency, T, (x, tx, age) => bgnbdProbabilityAlive(p, x, tx, age));
  });
}

/**
 * Fits the Pareto/NBD model of repeat buying to customers' frequency, recency and age; returns [r, alpha, s, beta].
 * @customfunction PNBD_FIT
 * @param frequency Repeat purchases of each customer (purchases after the first), a column of whole numbers.
 * @param recency Time from each customer's first purchase to the last, in the time unit of T; 0 without repeat purchases.
 * @param T Time from each customer's first purchase to the end of observation, in weeks, days or any one unit.
 * @param [weights] Number of customers each row stands for, for a summary grouped by frequency, recency and T. Empty: 1 each.
 * @param [details] TRUE adds a row of standard errors and a row with the log-likelihood and the number of iterations.
 * @returns [r, alpha, s, beta]: purchase-rate shape and scale, dropout-rate shape and scale.
 */
export function ltvPnbdFit(frequency: any[][], recency: any[][], T: any[][], weights?: any[][], details?: any): any[][] {
  return evaluateTable(() => {
    const limits = fitLimits();
    const withDetails = optionalFlag("details", details); // every argument is checked before the fit starts
    return fitTable(fitParetoNbd(customers(frequency, recency, T, weights), limits), PNBD_NAMES, withDetails);
  });
}

/**
 * Expected repeat purchases in a period of length t under a fitted Pareto/NBD: of a new customer, or, given a history, of that customer in the next t.
 * @customfunction PNBD_EXPECTED
 * @param params [r, alpha, s, beta], the result of LTV.PNBD_FIT.
 * @param t Length of the period, in the time unit of the fit (0 or more): a number or a range.
 * @param [frequency] The customer's repeat purchases; with recency and T, for a customer with a history. A column gives a column of results.
 * @param [recency] Time from the customer's first purchase to the last.
 * @param [T] Time from the customer's first purchase to the end of observation.
 * @returns Expected number of purchases.
 */
export function ltvPnbdExpected(params: any[][], t: any[][], frequency?: any[][], recency?: any[][], T?: any[][]): any[][] {
  return evaluateTable(() => {
    const p = requireParetoNbdParams(paramsRow(params, PNBD_NAMES, "LTV.PNBD_FIT"));
    return predict(
      t,
      { frequency, recency, T },
      (time) => paretoNbdExpectedPurchases(p, time),
      (time, x, tx, age) => paretoNbdConditionalExpectedPurchases(p, time, x, tx, age),
    );
  });
}

/**
 * Probability that a customer with the given history is still active, under a fitted Pareto/NBD.
 * @customfunction PNBD_P_ALIVE
 * @param params [r, alpha, s, beta], the result of LTV.PNBD_FIT.
 * @param frequency The customer's repeat purchases: a number or a column.
 * @param recency Time from the customer's first purchase to the last.
 * @param T Time from the customer's first purchase to the end of observation.
 * @returns Probability, between 0 and 1.
 */
export function ltvPnbdPAlive(params: any[][], frequency: any[][], recency: any[][], T: any[][]): any[][] {
  return evaluateTable(() => {
    const p = requireParetoNbdParams(paramsRow(params, PNBD_NAMES, "LTV.PNBD_FIT"));
    return probabilityAlive(frequency, recency, T, (x, tx, age) => paretoNbdProbabilityAlive(p, x, tx, age));
  });
}

/**
 * Fits the Gamma-Gamma model of spend per transaction to repeat customers' frequency and mean spend; returns [p, q, gamma].
 * @customfunction GG_FIT
 * @param frequency Repeat purchases of each customer; customers with 0 are left out, as the model describes repeat transactions.
 * @param monetary_value Each customer's mean value of repeat transactions, in currency.
 * @param [weights] Number of customers each row stands for. Empty: 1 each.
 * @param [details] TRUE adds a row of standard errors and a row with the log-likelihood and the number of iterations.
 * @returns [p, q, gamma]: transaction-value shape, and the shape and scale of its rate across customers.
 */
export function ltvGgFit(frequency: any[][], monetary_value: any[][], weights?: any[][], details?: any): any[][] {
  return evaluateTable(() => {
    const limits = fitLimits();
    const withDetails = optionalFlag("details", details); // every argument is checked before the fit starts
    const read = readSpendCells(frequency, monetary_value, weights);
    if (read) return fitTable(fitSpendData(read, limits), GG_NAMES, withDetails);
    const { values, rowNumbers } = customerColumns({ frequency, monetary_value, weights }, ["weights"]);
    const fit = fitGammaGamma({ frequency: values.frequency, monetaryValue: values.monetary_value, weights: values.weights, rowNumbers }, limits);
    return fitTable(fit, GG_NAMES, withDetails);
  });
}

/**
 * Expected mean spend per transaction of a customer, from a fitted Gamma-Gamma model: a blend of the customer's own mean and the population's.
 * @customfunction GG_SPEND
 * @param params [p, q, gamma], the result of LTV.GG_FIT.
 * @param frequency The customer's repeat purchases: a number or a column.
 * @param monetary_value The customer's mean value of repeat transactions, in currency (ignored when frequency is 0).
 * @returns Expected spend per transaction, in currency.
 */
export function ltvGgSpend(params: any[][], frequency: any[][], monetary_value: any[][]): any[][] {
  return evaluateTable(() => {
    const p = requireGammaGammaParams(paramsRow(params, GG_NAMES, "LTV.GG_FIT"));
    return elementwise(
      [
        { name: "frequency", value: frequency },
        { name: "monetary_value", value: monetary_value },
      ],
      ([x, m]) => gammaGammaExpectedSpend(p, x as number, m as number),
    );
  });
}

/**
 * Discounted value of customers' future purchases under a purchase model, cell by cell:
 * spend × P(alive) × the discounted purchases of a customer alive at T, which depends on
 * frequency and T only and is computed once for each pair the column holds.
 */
function customerValues(
  spend: CellValue,
  history: { frequency: CellValue; recency: CellValue; T: CellValue },
  horizon: { steps: CellValue; stepLength: CellValue; discountRate: CellValue },
  model: { aliveCurve: (x: number, T: number) => (t: number) => number; probabilityAlive: (x: number, tx: number, T: number) => number },
) {
  const steps = requiredNumber("steps", horizon.steps);
  const stepLength = optionalNumber("step_length", horizon.stepLength) ?? 1;
  const discountRate = optionalNumber("discount_rate", horizon.discountRate) ?? 0;
  checkValueHorizon(steps, stepLength, discountRate);
  const shared = new Map<string, number>();
  return elementwise(
    [
      { name: "spend", value: spend },
      { name: "frequency", value: history.frequency },
      { name: "recency", value: history.recency },
      { name: "T", value: history.T },
    ],
    ([m, x, tx, age]) => {
      const key = `${x}|${age}`;
      let perSpend = shared.get(key);
      if (perSpend === undefined) {
        perSpend = discountedPurchases(model.aliveCurve(x as number, age as number), steps, stepLength, discountRate);
        shared.set(key, perSpend);
      }
      return (m as number) * perSpend * model.probabilityAlive(x as number, Math.min(tx as number, age as number), age as number);
    },
    ([m, x, tx, age]) => {
      checkSpend(m as number);
      checkHistory(x as number, tx as number, age as number, "");
    },
  );
}

/**
 * Discounted value of a customer's future purchases under a fitted BG/NBD, as lifetimes' customer_lifetime_value computes it: expected purchases in each step, times spend, discounted per step.
 * @customfunction BGNBD_CLV
 * @param params [r, alpha, a, b], the result of LTV.BGNBD_FIT.
 * @param spend Expected spend per purchase, in currency (for example from LTV.GG_SPEND): a number or a column.
 * @param frequency The customer's repeat purchases: a number or a column.
 * @param recency Time from the customer's first purchase to the last.
 * @param T Time from the customer's first purchase to the end of observation.
 * @param steps Number of steps in the horizon (12 for a year of months).
 * @param [step_length] Length of a step in the data's time unit (4.345 for months of weekly data). Empty: 1.
 * @param [discount_rate] Discount rate per step, as a fraction (1% a month is 0.01). Empty: 0.
 * @returns Discounted value of future purchases, in the currency of spend.
 */
export function ltvBgnbdClv(
  params: any[][],
  spend: any[][],
  frequency: any[][],
  recency: any[][],
  T: any[][],
  steps: any,
  step_length?: any,
  discount_rate?: any,
): any[][] {
  return evaluateTable(() => {
    const p = requireBgNbdParams(paramsRow(params, BGNBD_NAMES, "LTV.BGNBD_FIT"));
    return customerValues(spend, { frequency, recency, T }, { steps, stepLength: step_length, discountRate: discount_rate }, {
      aliveCurve: bgnbdAliveCurves(p),
      probabilityAlive: (x, tx, age) => bgnbdProbabilityAlive(p, x, tx, age),
    });
  });
}

/**
 * Discounted value of a customer's future purchases under a fitted Pareto/NBD, as lifetimes' customer_lifetime_value computes it: expected purchases in each step, times spend, discounted per step.
 * @customfunction PNBD_CLV
 * @param params [r, alpha, s, beta], the result of LTV.PNBD_FIT.
 * @param spend Expected spend per purchase, in currency (for example from LTV.GG_SPEND): a number or a column.
 * @param frequency The customer's repeat purchases: a number or a column.
 * @param recency Time from the customer's first purchase to the last.
 * @param T Time from the customer's first purchase to the end of observation.
 * @param steps Number of steps in the horizon (12 for a year of months).
 * @param [step_length] Length of a step in the data's time unit (4.345 for months of weekly data). Empty: 1.
 * @param [discount_rate] Discount rate per step, as a fraction (1% a month is 0.01). Empty: 0.
 * @returns Discounted value of future purchases, in the currency of spend.
 */
export function ltvPnbdClv(
  params: any[][],
  spend: any[][],
  frequency: any[][],
  recency: any[][],
  T: any[][],
  steps: any,
  step_length?: any,
  discount_rate?: any,
): any[][] {
  return evaluateTable(() => {
    const p = requireParetoNbdParams(paramsRow(params, PNBD_NAMES, "LTV.PNBD_FIT"));
    return customerValues(spend, { frequency, recency, T }, { steps, stepLength: step_length, discountRate: discount_rate }, {
      aliveCurve: (x, age) => paretoNbdAliveCurve(p, x, age),
      probabilityAlive: (x, tx, age) => paretoNbdProbabilityAlive(p, x, tx, age),
    });
  });
}
