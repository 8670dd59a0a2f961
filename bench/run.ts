/**
 * npm run bench: speed of what ships. Loads the built dist/functions.js as Excel does and
 * measures calls per second for each function with single values and with 120-period
 * ranges, then prints the size of the bundle, then the fit times of the retention models
 * (bench/fits.ts). Results are printed; record them in
 * bench/RESULTS.md when they change.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DIST, loadBuiltFunctionsForTiming } from "../test/support/customFunctions";
import { benchFits } from "./fits";
import { benchPlans } from "./plans";

const fns = loadBuiltFunctionsForTiming();
const column = (values: number[]) => values.map((v) => [v]);
const months = 120;
const margins = column(Array.from({ length: months }, (_, i) => 40 + (i % 12)));
const retentions = column(Array.from({ length: months }, (_, i) => 0.85 + 0.1 * (i / months)));

const cases: [string, string, unknown[]][] = [
  ["CLV", "single values", [[[100]], [[0.8]], 0.01, null, null, null]],
  ["CLV", "single values, 120 periods", [[[100]], [[0.8]], 0.01, 120, 300, 1]],
  ["CLV", "120-period ranges", [margins, retentions, 0.01, null, 300, 1]],
  ["CLV_SCHEDULE", "single values, 120 periods", [[[100]], [[0.8]], 0.01, 120, 300, null]],
  ["CLV_SCHEDULE", "120-period ranges", [margins, retentions, 0.01, null, 300, null]],
  ["RETENTION_ROI", "single values", [1000, [[0.8]], [[0.85]], [[100]], 50000, 0.01, null, null]],
  ["RETENTION_ROI", "120-period ranges", [1000, retentions, column(Array(months).fill(0.97)), margins, 50000, 0.01, null, null]],
  ["ACQ_VS_RETAIN", "single values", [500, 1000, 50, 1000, null]],
  ["PERIODIC_RATE", "single values", [0.1, 12]],
  ["CAC_PAYBACK", "single values", [[[40]], [[0.9]], 0.01, 100, null]],
  ["CAC_PAYBACK", "120-period ranges", [margins, retentions, 0.01, 150, null]],
];

function callsPerSecond(fn: (...args: unknown[]) => unknown, args: unknown[]): number {
  // Warm up, then time batches for about 300 ms and keep the best batch rate.
  for (let i = 0; i < 2000; i++) fn(...args);
  let best = 0;
  const deadline = performance.now() + 300;
  while (performance.now() < deadline) {
    const n = 2000;
    const start = performance.now();
    for (let i = 0; i < n; i++) fn(...args);
    best = Math.max(best, n / ((performance.now() - start) / 1000));
  }
  return best;
}

console.log(`LTV custom functions, dist/functions.js, Node ${process.version}`);
console.log("function        inputs                          calls/s");
for (const [id, inputs, args] of cases) {
  const fn = fns.get(id)!;
  try {
    fn(...args);
  } catch (error) {
    console.error(`${id} (${inputs}) failed: ${(error as Error).message}`);
    process.exit(1);
  }
  const rate = callsPerSecond(fn, args);
  console.log(`${id.padEnd(15)} ${inputs.padEnd(30)} ${Math.round(rate).toLocaleString("en-US").padStart(12)}`);
}
const file = path.join(DIST, "functions.js");
const source = readFileSync(file, "utf8");
const hasUi = /react|fluentui/i.test(source);
console.log(`dist/functions.js: ${(statSync(file).size / 1024).toFixed(1)} KiB; React or Fluent UI inside: ${hasUi ? "YES" : "no"}`);
console.log(`dist/taskpane.js:  ${(statSync(path.join(DIST, "taskpane.js")).size / 1024).toFixed(1)} KiB`);
if (hasUi) process.exit(1);
benchFits();
void benchPlans();
