import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { fitBgNbd, bgnbdConditionalExpectedPurchases, bgnbdExpectedPurchases, bgnbdProbabilityAlive } from "../../src/core/purchase/bgnbd";
import { summarizeCustomers } from "../../src/core/purchase/customers";
import { discountedCustomerValue } from "../../src/core/purchase/customerValue";
import { fitGammaGamma, gammaGammaExpectedSpend } from "../../src/core/purchase/gammaGamma";
import { fitParetoNbd, paretoNbdProbabilityAlive } from "../../src/core/purchase/paretoNbd";
import {
  fitShiftedBetaGeometric,
  sbgDiscountedExpectedLifetime,
  sbgDiscountedExpectedResidualLifetime,
  sbgRetention,
  sbgSurvival,
} from "../../src/core/retention/shiftedBetaGeometric";
import { call, CustomFunctionError, loadBuiltFunctions, type Registered } from "../support/customFunctions";
import { readCsvColumns } from "../support/fixtures";

/** The fitted-model functions through the built bundle, with ranges shaped as Excel passes them. */
let fns: Registered;
before(() => {
  fns = loadBuiltFunctions();
});

const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
const asColumn = (values: ArrayLike<unknown>) => Array.from(values, (v) => [v]);
function expectError(result: unknown, code: string, pattern?: RegExp) {
  assert.ok(result instanceof CustomFunctionError, `expected ${code}, got ${JSON.stringify(result)?.slice(0, 200)}`);
  assert.equal(result.code, code);
  if (pattern) assert.match(result.message, pattern);
}

const cdnow = readCsvColumns("cdnow_customers_summary.csv");
const spend = readCsvColumns("cdnow_customers_summary_with_transactions.csv");

describe("LTV.SBG_*", () => {
  // The Regular cohort and a younger cohort, blanks as Excel passes them ("" or null) after the last observed period.
  const survivors = [
    [1000, 631, 468, 382, 326, 289, 262, 241],
    [800, 505, 374, 306, 261, "", null, ""],
  ];
  const core = fitShiftedBetaGeometric([
    { size: 1000, survivors: [631, 468, 382, 326, 289, 262, 241] },
    { size: 800, survivors: [505, 374, 306, 261] },
  ]);

  it("SBG_FIT returns [alpha, beta] as the core fits them, censoring each cohort at its last observed period", () => {
    assert.deepEqual(plain(call(fns, "SBG_FIT", survivors)), [[core.params.alpha, core.params.beta]]);
    const detailed = plain(call(fns, "SBG_FIT", survivors, true)) as unknown[][];
    assert.equal(detailed.length, 3);
    assert.deepEqual(detailed[1], [core.standardErrors!.alpha, core.standardErrors!.beta]);
    assert.deepEqual(detailed[2], [core.logLikelihood, core.iterations]);
  });

  it("treats 0 as everyone gone and blank as not yet observed", () => {
    // Blank: not yet observed, the cohorts fit as the core fits them.
    const blank = plain(call(fns, "SBG_FIT", [[100, 50, 30, ""], [100, 60, "", ""]])) as number[][];
    const core = fitShiftedBetaGeometric([{ size: 100, survivors: [50, 30] }, { size: 100, survivors: [60] }]);
    assert.equal(core.degenerate, undefined);
    assert.deepEqual(blank, [[core.params.alpha, core.params.beta]]);
    // 0: everyone gone at once, which no mix of churn rates explains: the core finds no interior maximum, nor does the function.
    const core2 = fitShiftedBetaGeometric([{ size: 100, survivors: [50, 30, 0] }, { size: 100, survivors: [60] }]);
    assert.match(core2.degenerate!, /ran to infinity/);
    expectError(call(fns, "SBG_FIT", [[100, 50, 30, 0], [100, 60, "", ""]]), "#NUM!", /ran to infinity/);
  });

  it("answers #NUM! for a fit with no interior maximum, saying why and what would fix it", () => {
    // Retention the same in every period and cohort: the sBG runs to its limit of no heterogeneity (α, β → ∞).
    const flat = call(fns, "SBG_FIT", [[100, 50, 25, 12.5], [100, 50, "", ""]]);
    expectError(flat, "#NUM!", /the data do not determine the model: (alpha|beta) ran to infinity .*fit on more cohorts|flat/);
    expectError(call(fns, "SBG_FIT", [[1, 1, 0]]), "#NUM!", /do not determine the model/);
  });

  it("SBG_SURVIVAL and SBG_RETENTION spill in the shape of t", () => {
    const params = [[0.704, 1.182]];
    const p = { alpha: 0.704, beta: 1.182 };
    assert.deepEqual(plain(call(fns, "SBG_SURVIVAL", params, [[0, 1, 2, 3]])), [[1, sbgSurvival(p, 1), sbgSurvival(p, 2), sbgSurvival(p, 3)]]);
    assert.deepEqual(plain(call(fns, "SBG_RETENTION", params, [[1], [5], [""]])), [[sbgRetention(p, 1)], [sbgRetention(p, 5)], [""]]);
    assert.deepEqual(plain(call(fns, "SBG_SURVIVAL", params, 4)), [[sbgSurvival(p, 4)]]);
  });

  it("SBG_DERL and SBG_DEL equal the core", () => {
    const p = { alpha: 0.704, beta: 1.182 };
    assert.equal(call(fns, "SBG_DERL", [[0.704, 1.182]], 0.1, 4), sbgDiscountedExpectedResidualLifetime(p, 0.1, 4));
    assert.equal(call(fns, "SBG_DERL", [[0.704, 1.182]], 0.1, null), sbgDiscountedExpectedResidualLifetime(p, 0.1, 0));
    assert.equal(call(fns, "SBG_DEL", [[0.704, 1.182]], 0.1), sbgDiscountedExpectedLifetime(p, 0.1));
  });

  it("answers bad survivors with #VALUE! naming the row", () => {
    expectError(call(fns, "SBG_FIT", [[1000, 631, 700]]), "#VALUE!", /cohort 1, period 2: survivors rise from 631 to 700/);
    expectError(call(fns, "SBG_FIT", [[1000, "", 400]]), "#VALUE!", /row 1: period 1 is blank but period 2 is not/);
    expectError(call(fns, "SBG_FIT", [[1000, "lots"]]), "#VALUE!", /survivors \(column 2\) must be a number; got text "lots"/);
    expectError(call(fns, "SBG_FIT", [[100, 100, 100]]), "#VALUE!", /100% retention/);
    expectError(call(fns, "SBG_SURVIVAL", [[0.7]], 3), "#VALUE!", /params must be one row of 2 numbers \(alpha, beta\)/);
    expectError(call(fns, "SBG_RETENTION", [[0.7, 1.2]], [[1], [0]]), "#VALUE!", /row 2: t must be a number of periods, 1 or more; got 0/);
  });
});

describe("LTV.BGNBD_* and LTV.PNBD_* on CDNOW", () => {
  const core = fitBgNbd(summarizeCustomers({ frequency: cdnow.frequency!, recency: cdnow.recency!, T: cdnow.T! }));
  const params = [[core.params.r, core.params.alpha, core.params.a, core.params.b]];

  it("BGNBD_FIT takes whole columns: a header row and empty rows below are skipped", () => {
    const column = (name: string, values: number[]) => [[name], ...asColumn(values), [""], [null]];
    const result = call(fns, "BGNBD_FIT", column("frequency", cdnow.frequency!), column("recency", cdnow.recency!), column("T", cdnow.T!));
    assert.deepEqual(plain(result), params);
  });

  it("BGNBD_FIT on a summary grouped by (frequency, recency, T) with weights gives the same fit", () => {
    const s = summarizeCustomers({ frequency: cdnow.frequency!, recency: cdnow.recency!, T: cdnow.T! });
    const result = plain(call(fns, "BGNBD_FIT", asColumn(s.frequency), asColumn(s.recency), asColumn(s.T), asColumn(s.weight))) as number[][];
    result[0]!.forEach((v, i) => assert.ok(Math.abs(v - params[0]![i]!) < 1e-9 * Math.abs(v)));
  });

  it("BGNBD_EXPECTED, unconditional for a row of t, conditional for columns of customers", () => {
    const p = core.params;
    assert.deepEqual(plain(call(fns, "BGNBD_EXPECTED", params, [[13, 26, 52]])), [[13, 26, 52].map((t) => bgnbdExpectedPurchases(p, t))]);
    const history = [
      [2, 30.43, 38.86],
      [0, 0, 39],
      [7, 35, 38],
    ];
    assert.deepEqual(
      plain(call(fns, "BGNBD_EXPECTED", params, 39, asColumn(history.map((h) => h[0])), asColumn(history.map((h) => h[1])), asColumn(history.map((h) => h[2])))),
      history.map(([x, tx, T]) => [bgnbdConditionalExpectedPurchases(p, 39, x!, tx!, T!)]),
    );
    assert.deepEqual(plain(call(fns, "BGNBD_P_ALIVE", params, [[2], [7]], [[30.43], [35]], [[38.86], [38]])), [
      [bgnbdProbabilityAlive(p, 2, 30.43, 38.86)],
      [bgnbdProbabilityAlive(p, 7, 35, 38)],
    ]);
  });

  it("PNBD_FIT and PNBD_P_ALIVE equal the core", () => {
    const pn = fitParetoNbd(summarizeCustomers({ frequency: cdnow.frequency!, recency: cdnow.recency!, T: cdnow.T! }));
    const pParams = [[pn.params.r, pn.params.alpha, pn.params.s, pn.params.beta]];
    assert.deepEqual(plain(call(fns, "PNBD_FIT", asColumn(cdnow.frequency!), asColumn(cdnow.recency!), asColumn(cdnow.T!))), pParams);
    assert.deepEqual(plain(call(fns, "PNBD_P_ALIVE", pParams, 2, 30.43, 38.86)), [[paretoNbdProbabilityAlive(pn.params, 2, 30.43, 38.86)]]);
  });

  it("answers bad rows with #VALUE! naming the row", () => {
    expectError(call(fns, "BGNBD_FIT", [[1], [2], [3]], [[1], [50], [2]], [[10], [39], [10]]), "#VALUE!", /row 2: recency \(50\) is above T \(39\)/);
    expectError(call(fns, "BGNBD_FIT", [[1], [-2]], [[1], [1]], [[10], [10]]), "#VALUE!", /row 2: frequency must be a whole number/);
    expectError(call(fns, "BGNBD_FIT", [[1], [2]], [[1], [""]], [[10], [10]]), "#VALUE!", /row 2: recency is empty while frequency is not/);
    expectError(call(fns, "BGNBD_FIT", [[0], [0]], [[0], [0]], [[10], [12]]), "#VALUE!", /no customer made a repeat purchase/);
    expectError(call(fns, "BGNBD_P_ALIVE", params, [[1], [2]], [[1], [9]], [[5], [5]]), "#VALUE!", /row 2: recency \(9\) is above T \(5\)/);
    expectError(call(fns, "BGNBD_EXPECTED", params, 10, 2, null, 30), "#VALUE!", /give frequency, recency and T together/);
  });
});

describe("LTV.BGNBD_CLV and LTV.PNBD_CLV", () => {
  it("value a column of customers as the core does", () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const expected = [
      [2, 30.43, 38.86, 35],
      [0, 0, 39, 20],
    ].map(([x, tx, T, m]) => [
      discountedCustomerValue({ expectedPurchases: (t) => bgnbdConditionalExpectedPurchases(params, t, x!, tx!, T!), spend: m!, steps: 12, stepLength: 4.345, discountRate: 0.01 }),
    ]);
    const got = plain(call(fns, "BGNBD_CLV", [[0.243, 4.414, 0.793, 2.426]], [[35], [20]], [[2], [0]], [[30.43], [0]], [[38.86], [39]], 12, 4.345, 0.01)) as number[][];
    // The function interpolates the curves it shares between customers; the core's direct
    // curve evaluates 2F1 at every step: two methods, agreeing far below what a value is read to.
    got.forEach((row, i) => assert.ok(Math.abs(row[0]! - expected[i]![0]!) <= 1e-11 * expected[i]![0]!, `${row[0]} vs ${expected[i]![0]}`));
    const pnbd = plain(call(fns, "PNBD_CLV", [[0.553, 10.578, 0.606, 11.669]], 35, 2, 30.43, 38.86, 12, 4.345, 0.01)) as number[][];
    assert.ok(pnbd[0]![0]! > 0);
    expectError(call(fns, "BGNBD_CLV", [[0.243, 4.414, 0.793, 2.426]], 35, 2, 30.43, 38.86, 0), "#VALUE!", /steps must be a whole number/);
  });
});

describe("LTV.GG_*", () => {
  it("GG_FIT leaves out customers without repeat purchases and equals the core; GG_SPEND spills a column", () => {
    const core = fitGammaGamma({ frequency: spend.x!, monetaryValue: spend.zbar! });
    const params = [[core.params.p, core.params.q, core.params.gamma]];
    assert.deepEqual(plain(call(fns, "GG_FIT", asColumn(spend.x!), asColumn(spend.zbar!))), params);
    assert.deepEqual(plain(call(fns, "GG_SPEND", params, [[1], [0]], [[35], [0]])), [
      [gammaGammaExpectedSpend(core.params, 1, 35)],
      [gammaGammaExpectedSpend(core.params, 0, 0)],
    ]);
  });
});

describe("the README's worked examples for the fitted models", () => {
  it("give the numbers the README shows", () => {
    const sbg = plain(call(fns, "SBG_FIT", [[1000, 631, 468, 382, 326, 289, 262, 241]])) as number[][];
    assert.deepEqual(sbg[0]!.map((v) => v.toFixed(3)), ["0.704", "1.182"]);
    assert.equal((plain(call(fns, "SBG_RETENTION", sbg, 8)) as number[][])[0]![0]!.toFixed(3), "0.921");
    assert.equal((call(fns, "SBG_DERL", sbg, 0.1) as number).toFixed(3), "2.964");
    assert.equal((100 * (call(fns, "SBG_DEL", sbg, 0.1) as number)).toFixed(2), "369.49");
    const bg = plain(call(fns, "BGNBD_FIT", asColumn(cdnow.frequency!), asColumn(cdnow.recency!), asColumn(cdnow.T!))) as number[][];
    assert.deepEqual(bg[0]!.map((v) => v.toFixed(3)), ["0.243", "4.414", "0.793", "2.426"]);
    assert.equal((plain(call(fns, "BGNBD_EXPECTED", bg, 39, 2, 30.43, 38.86)) as number[][])[0]![0]!.toFixed(3), "1.226");
    assert.equal((plain(call(fns, "BGNBD_P_ALIVE", bg, 2, 30.43, 38.86)) as number[][])[0]![0]!.toFixed(3), "0.727");
    const gg = plain(call(fns, "GG_FIT", asColumn(spend.x!), asColumn(spend.zbar!))) as number[][];
    assert.deepEqual(gg[0]!.map((v) => v.toFixed(2)), ["6.25", "3.74", "15.45"]);
    assert.equal((plain(call(fns, "GG_SPEND", gg, 1, 35)) as number[][])[0]![0]!.toFixed(2), "35.05");
  });
});

describe("edge customers and degenerate data", () => {
  const columns = (rows: number[][]) => [0, 1, 2].map((j) => rows.map((r) => [r[j]]));
  const cdnowRows = () => Array.from(cdnow.frequency!, (x, i) => [x, cdnow.recency![i]!, cdnow.T![i]!]);

  it("accept a customer acquired at the end of observation (T = 0, no repeat purchase): it adds nothing to a fit, and is surely alive", () => {
    for (const [fit, alive, expected] of [
      ["BGNBD_FIT", "BGNBD_P_ALIVE", "BGNBD_EXPECTED"],
      ["PNBD_FIT", "PNBD_P_ALIVE", "PNBD_EXPECTED"],
    ] as const) {
      const without = plain(call(fns, fit, ...columns(cdnowRows()))) as number[][];
      const withNew = plain(call(fns, fit, ...columns([...cdnowRows(), [0, 0, 0], [0, 0, 0]]))) as number[][];
      withNew[0]!.forEach((p, i) => assert.ok(Math.abs(p - without[0]![i]!) <= 1e-6 * without[0]![i]!, `${fit}: ${withNew[0]} vs ${without[0]}`));
      assert.deepEqual(plain(call(fns, alive, without, 0, 0, 0)), [[1]]);
      const e = plain(call(fns, expected, without, 10, 0, 0, 0)) as number[][];
      assert.ok(e[0]![0]! > 0 && Number.isFinite(e[0]![0]!));
    }
  });

  it("refuse frequency 0 with a recency above 0, naming the row, in fits and predictions alike", () => {
    const rows = cdnowRows();
    rows[2000] = [0, 12.5, 30];
    for (const fit of ["BGNBD_FIT", "PNBD_FIT"]) expectError(call(fns, fit, ...columns(rows)), "#VALUE!", /row 2001: recency must be 0 for a customer without repeat purchases \(frequency 0\); got 12\.5/);
    expectError(call(fns, "PNBD_P_ALIVE", [[0.553, 10.578, 0.606, 11.669]], ...columns(rows)), "#VALUE!", /row 2001: recency must be 0/);
    expectError(call(fns, "BGNBD_CLV", [[0.243, 4.414, 0.793, 2.426]], 20, ...columns(rows), 1000, 1, 0.01), "#VALUE!", /row 2001: recency must be 0/);
  });

  it("answer #NUM! for identical customers and for one customer, saying what would help", () => {
    const same = Array.from({ length: 500 }, () => [3, 20, 40]);
    for (const fit of ["BGNBD_FIT", "PNBD_FIT"]) expectError(call(fns, fit, ...columns(same)), "#NUM!", /every customer has the same frequency, recency and T/);
    expectError(call(fns, "BGNBD_FIT", [[3]], [[20]], [[40]]), "#VALUE!", /at least two customers; the data hold 1/);
    expectError(call(fns, "BGNBD_FIT", ...columns(cdnowRows()), Array.from(cdnow.frequency!, () => [1e-300])), "#VALUE!", /at least two customers; the data hold 2\.357e-297/);
  });
});
