/**
 * The first fit in a fresh process: what a user waits for when a workbook opens and Excel
 * calls LTV.BGNBD_FIT, LTV.PNBD_FIT or LTV.GG_FIT for the first time. Loads the built bundle
 * as Excel does, reads CDNOW, and times the first call only. Run once per model, each in a
 * process of its own (bench/fits.ts spawns it). Prints one JSON line.
 */
import { loadBuiltFunctionsForTiming } from "../test/support/customFunctions";
import { readCsvColumns } from "../test/support/fixtures";

const id = process.argv[2] ?? "BGNBD_FIT";
const column = (values: ArrayLike<number>) => Array.from(values, (v) => [v]);
const cdnow = readCsvColumns("cdnow_customers_summary.csv");
const spend = readCsvColumns("cdnow_customers_summary_with_transactions.csv");
const args = id === "GG_FIT" ? [column(spend.x!), column(spend.zbar!), null, null] : [column(cdnow.frequency!), column(cdnow.recency!), column(cdnow.T!), null, null];
const loadStart = performance.now();
const fns = loadBuiltFunctionsForTiming();
const loadMs = performance.now() - loadStart;
const start = performance.now();
const result = fns.get(id)!(...args) as number[][];
const ms = performance.now() - start;
console.log(JSON.stringify({ id, ms, loadMs, ok: Array.isArray(result) && result[0]!.every(Number.isFinite) }));
