import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, CustomFunctionError, loadBuiltFunctions } from "../support/customFunctions";
import { readCsvColumns } from "../support/fixtures";

/**
 * The built bundle runs the likelihoods' inner loops as WebAssembly where the runtime has it,
 * and as script where it has not (an older runtime, or a policy against compiling it): the
 * fits must be the same either way.
 */
const cdnow = readCsvColumns("cdnow_customers_summary.csv");
const spend = readCsvColumns("cdnow_customers_summary_with_transactions.csv");
const asColumn = (values: ArrayLike<unknown>) => Array.from(values, (v) => [v]);
const fits: [string, unknown[]][] = [
  ["GG_FIT", [asColumn(spend.x!), asColumn(spend.zbar!), null, true]],
  ["BGNBD_FIT", [asColumn(cdnow.frequency!), asColumn(cdnow.recency!), asColumn(cdnow.T!), null, true]],
  ["PNBD_FIT", [asColumn(cdnow.frequency!), asColumn(cdnow.recency!), asColumn(cdnow.T!), null, true]],
];

/** A prelude that counts the instances WebAssembly.instantiate makes and the calls into their exports. */
const INSTANTIATED =
  "globalThis.instances ??= 0; globalThis.calls = {}; const instantiate = WebAssembly.instantiate;" +
  "WebAssembly.instantiate = (...a) => instantiate(...a).then(({ module, instance }) => { globalThis.instances++;" +
  " return { module, instance: { exports: new Proxy(instance.exports, { get(target, key) { globalThis.calls[key] = (globalThis.calls[key] || 0) + 1; return target[key]; } }) } }; });";

describe("the functions bundle with and without WebAssembly", () => {
  it("fits Gamma-Gamma, BG/NBD and Pareto/NBD with the WebAssembly kernels where the runtime has WebAssembly, one instance serving fit after fit", () => {
    let sandbox: Record<string, unknown> = {};
    const watch =
      "const Made = WebAssembly.Instance; globalThis.instances = 0; globalThis.calls = {};" +
      "WebAssembly.Instance = function (m, i) { globalThis.instances++; const made = new Made(m, i);" +
      " return { exports: new Proxy(made.exports, { get(target, key) { globalThis.calls[key] = (globalThis.calls[key] || 0) + 1; return target[key]; } }) }; };";
    const fns = loadBuiltFunctions(watch, (s) => (sandbox = s));
    for (const [id, args] of fits) assert.ok(Array.isArray(call(fns, id, ...args)), id);
    assert.ok(Array.isArray(call(fns, "GG_FIT", ...fits[0]![1])));
    const calls = sandbox.calls as Record<string, number>;
    // Gamma-Gamma's fit runs whole in the kernel: one call per fit, no evaluation from script.
    assert.ok(calls.spendPrepare === 2 && calls.spendFit === 2 && calls.spendTerms === undefined, JSON.stringify(calls));
    assert.ok(calls.bgnbdPrepare === 1 && calls.bgnbdTerms! >= 5, JSON.stringify(calls));
    assert.ok(calls.pnbdBrackets! >= 10, JSON.stringify(calls));
    assert.equal(sandbox.instances, 1);
  });

  it("where the runtime refuses to compile the module at once (Chromium before 114 on the main thread), fits in script, then in WebAssembly once it compiled apart", async () => {
    let sandbox: Record<string, unknown> = {};
    const refuse =
      "const Made = WebAssembly.Instance; globalThis.instances = 0; WebAssembly.Instance = function (m, i) { globalThis.instances++; return new Made(m, i); };" +
      "WebAssembly.Module = function () { throw new RangeError('WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB'); };" +
      INSTANTIATED;
    const fns = loadBuiltFunctions(refuse, (s) => (sandbox = s));
    const [id, args] = fits[0]!;
    const first = call(fns, id, ...args) as number[][];
    assert.equal(sandbox.instances, 0);
    assert.equal(Object.keys(sandbox.calls as object).length, 0, "the first fit ran in script");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = call(fns, id, ...args) as number[][];
    assert.equal((sandbox.calls as Record<string, number>).spendFit, 1, "the second fit ran in WebAssembly");
    assert.equal(sandbox.instances, 1);
    first[0]!.forEach((v, i) => assert.ok(Math.abs(v - second[0]![i]!) <= 1e-9 * Math.abs(v)));
  });

  it("compiles and instantiates its WebAssembly off the main thread as it loads, so a first fit that comes a moment later makes none", async () => {
    let sandbox: Record<string, unknown> = {};
    const fns = loadBuiltFunctions("const Made = WebAssembly.Module; globalThis.compiled = 0; WebAssembly.Module = function (b) { globalThis.compiled++; return new Made(b); };" + INSTANTIATED, (s) => (sandbox = s));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sandbox.instances, 1, "instantiated as the bundle loaded");
    const [id, args] = fits[0]!;
    assert.ok(Array.isArray(call(fns, id, ...args)));
    assert.equal(sandbox.compiled, 0, "no compiling on the first fit");
    assert.equal(sandbox.instances, 1);
    assert.equal((sandbox.calls as Record<string, number>).spendFit, 1, "the fit ran on the instance made as the bundle loaded");
  });

  it("fits CDNOW without WebAssembly to 1e-9 of the fits with it, standard errors and log-likelihood too", () => {
    const withKernels = loadBuiltFunctions();
    const without = loadBuiltFunctions("delete globalThis.WebAssembly;");
    for (const [id, args] of fits) {
      const a = call(withKernels, id, ...args) as (number | string)[][];
      const b = call(without, id, ...args) as (number | string)[][];
      assert.equal(a.length, 3, id);
      a.flat().forEach((v, i) => {
        const w = b.flat()[i];
        if (typeof v === "number") assert.ok(Math.abs(v - (w as number)) <= 1e-9 * Math.abs(v), `${id}[${i}]: ${v} and ${w}`);
        else assert.equal(w, v, `${id}[${i}]`);
      });
    }
  });

  it("answers bad rows and degenerate data with the same errors without WebAssembly", () => {
    const withKernels = loadBuiltFunctions();
    const without = loadBuiltFunctions("delete globalThis.WebAssembly;");
    const cases: [string, unknown[]][] = [
      ["GG_FIT", [[[1], [1], [1]], [[5], [5], [5]]]],
      ["BGNBD_FIT", [[[1], [1], [1]], [[5], [5], [5]], [[10], [10], [10]]]],
      ["BGNBD_FIT", [[[1], [2], [3]], [[1], [50], [2]], [[10], [39], [10]]]],
    ];
    for (const [id, args] of cases) {
      const a = call(withKernels, id, ...args);
      const b = call(without, id, ...args);
      assert.ok(a instanceof CustomFunctionError && b instanceof CustomFunctionError, `${id}: ${JSON.stringify(a)}`);
      assert.equal(b.code, a.code);
      assert.equal(b.message, a.message);
    }
  });
});
