/**
 * The first fit in a fresh process: what a user waits for when a workbook opens and Excel
 * calls LTV.BGNBD_FIT, LTV.PNBD_FIT or LTV.GG_FIT for the first time. Plain JavaScript run
 * by node alone, so the process holds what Excel's custom-functions runtime would (the
 * bundle and its arguments) and no TypeScript loader compiling beside it. Loads the built
 * bundle with a stand-in CustomFunctions, reads CDNOW into columns as Excel passes them,
 * and times the first call only. Run once per model, each in a process of its own
 * (bench/fits.ts spawns it). Prints one JSON line.
 */
const { readFileSync } = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const id = process.argv[2] || "BGNBD_FIT";
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
/** A fixture CSV as columns of one-cell rows, keyed by header: a range as Excel hands it over. */
function columns(file) {
  const [header, ...lines] = readFileSync(path.join(__dirname, "..", "test", "fixtures", file), "utf8").trim().split(/\r?\n/);
  const names = header.split(",");
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) line.split(",").forEach((v, i) => out[names[i]].push([Number(v)]));
  return out;
}
const cdnow = columns("cdnow_customers_summary.csv");
const spend = columns("cdnow_customers_summary_with_transactions.csv");
const args = id === "GG_FIT" ? [spend.x, spend.zbar, null, null] : [cdnow.frequency, cdnow.recency, cdnow.T, null, null];
const loadStart = performance.now();
vm.runInThisContext(readFileSync(path.join(__dirname, "..", "dist", "functions.js"), "utf8"), { filename: "functions.js" });
const loadMs = performance.now() - loadStart;
const start = performance.now();
const result = registered.get(id)(...args);
const ms = performance.now() - start;
console.log(JSON.stringify({ id, ms, loadMs, ok: Array.isArray(result) && result[0].every(Number.isFinite) }));
