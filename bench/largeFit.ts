/**
 * One BG/NBD fit on 1,000,000 synthetic customers, in a process of its own so that the
 * peak resident memory it reports (max RSS) belongs to this fit. Prints one JSON line.
 * `core`: summarise and fit typed arrays; `function`: LTV.BGNBD_FIT from the built bundle
 * on three 1,000,000-row ranges shaped as Excel passes them.
 */
import { fitBgNbd } from "../src/core/purchase/bgnbd";
import { summarizeCustomers } from "../src/core/purchase/customers";
import { loadBuiltFunctionsForTiming } from "../test/support/customFunctions";
import { simulateBgNbd } from "./synthetic";

const mode = process.argv[2] ?? "core";
const data = simulateBgNbd(1_000_000, { r: 0.25, alpha: 4, a: 0.8, b: 2.5 });
let ms: number;
let rows: number;
let converged: boolean;
if (mode === "core") {
  const start = performance.now();
  const summary = summarizeCustomers({ frequency: data.frequency, recency: data.recency, T: data.T });
  const fit = fitBgNbd(summary);
  ms = performance.now() - start;
  rows = summary.rows;
  converged = fit.converged;
} else {
  const fns = loadBuiltFunctionsForTiming();
  const column = (values: Float64Array) => Array.from(values, (v) => [v]);
  const [f, r, T] = [column(data.frequency), column(data.recency), column(data.T)];
  const start = performance.now();
  const result = fns.get("BGNBD_FIT")!(f, r, T, null, null) as number[][];
  ms = performance.now() - start;
  converged = Array.isArray(result) && result[0]!.every(Number.isFinite);
  rows = summarizeCustomers({ frequency: data.frequency, recency: data.recency, T: data.T }).rows;
}
console.log(JSON.stringify({ ms, peakMB: process.resourceUsage().maxRSS / 1024, rows, converged }));
