/**
 * The first fit in a fresh process: what a user waits for when a workbook opens and Excel
 * calls LTV.BGNBD_FIT, LTV.PNBD_FIT or LTV.GG_FIT for the first time. Plain JavaScript run
 * by node alone, so the process holds what Excel's custom-functions runtime would (the
 * bundle and its arguments) and no TypeScript loader compiling beside it. Loads the built
 * bundle with a stand-in CustomFunctions, reads CDNOW into columns as Excel passes them,
 * and times the first call only. Run once per model, each in a process of its own
 * (bench/fits.ts spawns it). Prints one JSON line: `ms` the call, `loadMs` the loading of
 * the bundle, `gcMs` and `scavenges` the garbage collections during the call (most of it
 * is copying the freshly made argument arrays, which are still young, as Excel's are).
 *
 * `--arguments-only` keeps alive only the columns the call takes (by default both CDNOW
 * files, every column, stay alive, as they always have here): the young objects a
 * collection must copy are then the arguments alone, as in Excel's runtime.
 *
 * `--after-start` makes the call 20 ms after the bundle has loaded instead of at once. Excel
 * sends a call in a message once its runtime has started, so the bundle has had a moment to
 * itself by then: it compiles its WebAssembly in it (src/core/kernels' prepareKernels), and the
 * engine finishes the collection work the load left. How long that moment is in Excel was not
 * measured here; without the variant the first call comes straight after the load, the worst
 * case, and the one the verdict against lifetimes' first fit is given on.
 *
 * `--without-webassembly` takes WebAssembly away before the bundle loads, as in a runtime
 * without it: the likelihoods' kernels then run as script (src/core/kernels).
 */
const { readFileSync } = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { PerformanceObserver } = require("node:perf_hooks");

const id = process.argv[2] || "BGNBD_FIT";
const argumentsOnly = process.argv.includes("--arguments-only");
const afterStart = process.argv.includes("--after-start");
if (process.argv.includes("--without-webassembly")) delete globalThis.WebAssembly;
const collections = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push([entry.startTime, entry.duration]);
}).observe({ entryTypes: ["gc"] });
const registered = new Map();
class CustomFunctionError extends Error {
  constructor(code, message) {
    super(message || "");
    this.code = code;
  }
}
globalThis.CustomFunctions = {
  associate: (name, fn) => registered.set(name, fn),
  Error: CustomFunctionError,
  ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", divisionByZero: "#DIV/0!", invalidNumber: "#NUM!" },
};
/** A fixture CSV as columns of one-cell rows, keyed by header: ranges as Excel hands them over. */
function columns(file) {
  const [header, ...lines] = readFileSync(path.join(__dirname, "..", "test", "fixtures", file), "utf8").trim().split(/\r?\n/);
  const names = header.split(",");
  const out = Object.fromEntries(names.map((n) => [n, []]));
  // Column by column, as Excel's runtime makes a call's arguments, one after another: each
  // argument's rows lie together in memory. (Made row by row across every column of the file, as
  // before, they did not, and that alone slowed the reading of a column by up to 0.7 ms.)
  const cells = lines.map((line) => line.split(","));
  names.forEach((name, i) => {
    for (const row of cells) out[name].push([Number(row[i])]);
  });
  return out;
}
/** The call's arguments; with --arguments-only nothing else read from the files stays reachable. */
function callArguments() {
  if (argumentsOnly) {
    if (id === "GG_FIT") {
      const spend = columns("cdnow_customers_summary_with_transactions.csv");
      return [spend.x, spend.zbar, null, null];
    }
    const cdnow = columns("cdnow_customers_summary.csv");
    return [cdnow.frequency, cdnow.recency, cdnow.T, null, null];
  }
  const cdnow = columns("cdnow_customers_summary.csv");
  const spend = columns("cdnow_customers_summary_with_transactions.csv");
  globalThis.fixtures = { cdnow, spend }; // both files stay alive, as before this option existed
  return id === "GG_FIT" ? [spend.x, spend.zbar, null, null] : [cdnow.frequency, cdnow.recency, cdnow.T, null, null];
}
const args = callArguments();
const loadStart = performance.now();
vm.runInThisContext(readFileSync(path.join(__dirname, "..", "dist", "functions.js"), "utf8"), { filename: "functions.js" });
const loadMs = performance.now() - loadStart;
/** The first call, timed; then, once the collections are reported (asynchronously), the line. */
function firstCall() {
  const start = performance.now();
  const result = registered.get(id)(...args);
  const ms = performance.now() - start;
  const ok = Array.isArray(result) && result[0].every(Number.isFinite);
  setTimeout(() => {
    const during = collections.filter(([at]) => at >= start && at <= start + ms);
    const gcMs = during.reduce((sum, [, duration]) => sum + duration, 0);
    console.log(JSON.stringify({ id, ms, loadMs, gcMs, scavenges: during.length, ok }));
  }, 20);
}
if (afterStart) setTimeout(firstCall, 20);
else firstCall();
