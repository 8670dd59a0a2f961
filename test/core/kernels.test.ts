import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import digammaStdlib from "@stdlib/math-base-special-digamma";
import gammalnStdlib from "@stdlib/math-base-special-gammaln";
import { hashSlots, LARGEST_WASM_WORKSPACE, setKernelMode, workspace, type Workspace } from "../../src/core/kernels";
import * as script from "../../src/core/kernels/scriptKernels";
import { KERNEL_WASM } from "../../src/core/kernels/wasmBytes";
import { fitBgNbd } from "../../src/core/purchase/bgnbd";
import { summarizeCustomers } from "../../src/core/purchase/customers";
import { fitGammaGamma, type SpendInput } from "../../src/core/purchase/gammaGamma";
import { paretoNbdLogLikelihood } from "../../src/core/purchase/paretoNbd";
import { mulberry32 } from "../../src/core/random";
import { trigamma } from "../../src/core/special/gamma";
import { readCsvColumns } from "../support/fixtures";
// @ts-expect-error a plain script module, without types
import { assembleKernels, bytesModule } from "../../scripts/assembleKernels.mjs";

const random = mulberry32(20261130);

/** Asserts two arrays equal to `tolerance` of max(1, |value|) (NaN where the other is NaN); returns the worst difference. */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      assert.ok(Object.is(a, b), `${what}[${i}]: ${a}, expected ${b}`);
      continue;
    }
    const difference = Math.abs(a - b) / Math.max(1, Math.abs(b));
    assert.ok(difference <= tolerance, `${what}[${i}]: ${a}, expected ${b}`);
    worst = Math.max(worst, difference);
  }
  return worst;
}

/** The distance in units in the last place between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.POSITIVE_INFINITY;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Math.abs(Number(view.getBigInt64(0) - view.getBigInt64(8)));
}

/** Two workspaces of the same size, one running WebAssembly and one the script twins. */
function pair(doubles: number, ints: number): [Workspace, Workspace] {
  setKernelMode("auto");
  const wasm = workspace(doubles, ints);
  setKernelMode("script");
  const plain = workspace(doubles, ints);
  setKernelMode("auto");
  return [wasm, plain];
}

describe("likelihood kernels: WebAssembly and script", () => {
  after(() => setKernelMode("auto"));

  it("carry the bytes kernels.wat assembles to", async () => {
    const file = readFileSync(path.resolve(__dirname, "../../src/core/kernels/wasmBytes.ts"), "utf8");
    assert.equal(file, bytesModule(await assembleKernels()), "wasmBytes.ts is stale: run npm run kernels");
  });

  it("run as WebAssembly where the engine has it", () => {
    const [wasm, plain] = pair(10, 2);
    assert.equal(wasm.engine, "wasm");
    assert.equal(plain.engine, "script");
  });

  it("agree to 1e-14 in both: Gamma-Gamma's sums, weighted and not", () => {
    const groups = 7;
    const n = 500;
    const [a, b] = pair(2 * n + 3 * groups, groups + 1);
    for (const ws of [a, b]) {
      const seed = mulberry32(11);
      const mx = ws.f64(n);
      const weight = ws.f64(n);
      const start = ws.i32(groups + 1);
      for (let i = 0; i < n; i++) {
        mx[i] = 10 ** (4 * seed() - 1);
        weight[i] = 1 + Math.floor(5 * seed());
      }
      [0, 3, 3, 90, 200, 201, 420, n].forEach((v, k) => (start[k] = v)); // an empty group too
      const out = ws.f64(3 * groups);
      const results: number[] = [];
      for (const gamma of [1e-3, 0.7, 15.4, 3e5]) {
        ws.spendSums(mx, weight, start, groups, gamma, out);
        results.push(...out);
        ws.spendSums(mx, undefined, start, groups, gamma, out);
        results.push(...out);
      }
      (ws as Workspace & { results?: number[] }).results = results;
    }
    assertClose((a as Workspace & { results: number[] }).results, (b as Workspace & { results: number[] }).results, 1e-14, "sums");
  });

  it("find a column's distinct values in both, in order of first appearance, as a Map does, whatever the column holds", () => {
    const seed = mulberry32(11);
    const columns: number[][] = [
      [],
      [5],
      Array.from({ length: 3000 }, () => 1 + Math.floor(40 * seed() ** 3)), // frequencies: few, uneven
      Array.from({ length: 3000 }, () => Math.round(1e4 * seed()) / 100), // amounts: most distinct
      Array.from({ length: 500 }, (_, i) => [0, -0, 1e-300, -1e300, 2 ** 52, 0.1 + 0.2, 0.3][i % 7]!),
      Array.from({ length: 4096 }, (_, i) => i * 2 ** 20), // low words all zero: the high word must spread them
    ];
    for (const column of columns) {
      const n = column.length;
      const size = hashSlots(n);
      // Expected: a Map keyed by value, 0 and −0 apart (their bits differ; a group of each is harmless).
      const first = new Map<string, number>();
      const key = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
      const index = column.map((v) => (first.has(key(v)) ? first.get(key(v))! : (first.set(key(v), first.size), first.size - 1)));
      for (const ws of pair(2 * n + 1, n + size)) {
        const values = ws.f64(n);
        const rows = ws.i32(n);
        const count = ws.distinct(ws.readF64(Float64Array.from(column)), n, values, rows, ws.i32(size), size);
        assert.equal(count, first.size, `${ws.engine}: ${n} values`);
        assert.deepEqual(Array.from(values.subarray(0, count), key), [...first.keys()], ws.engine);
        assert.deepEqual(Array.from(rows), index, ws.engine);
      }
    }
  });

  it("group Gamma-Gamma's rows in both as a plain sort and sums do", () => {
    const n = 700;
    const groups = 9;
    const seed = mulberry32(3);
    const m = Array.from({ length: n }, () => 10 ** (3 * seed()));
    const weight = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 2.5 : 1));
    const group = Array.from({ length: n }, () => Math.floor(groups * seed() ** 2)); // uneven groups
    const xs = Array.from({ length: groups }, (_, k) => k + 1);
    // Expected: rows sorted by group (stable), and the sums per group.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => group[a]! - group[b]! || a - b);
    const expectedStart = Array.from({ length: groups + 1 }, (_, k) => group.filter((g) => g < k).length);
    const expectedSums = Array.from({ length: groups }, (_, k) => {
      const rows = order.filter((i) => group[i] === k);
      return [rows.reduce((t, i) => t + weight[i]!, 0), rows.reduce((t, i) => t + weight[i]! * Math.log(m[i]!), 0), rows.reduce((t, i) => t + weight[i]! * Math.log(m[i]!) ** 2, 0), rows.reduce((t, i) => t + weight[i]! * m[i]!, 0)];
    }).flat();
    for (const ws of pair(6 * n + 5 * groups, n + groups + 1)) {
      const [mIn, wIn, xIn] = [ws.f64(n), ws.f64(n), ws.f64(groups)];
      const gIn = ws.i32(n);
      mIn.set(m);
      wIn.set(weight);
      gIn.set(group);
      xIn.set(xs);
      const [start, mx, w, sums] = [ws.i32(groups + 1), ws.f64(n), ws.f64(n), ws.f64(4 * groups)];
      assert.equal(ws.spendPrepare(mIn, wIn, gIn, n, groups, xIn, start, mx, w, sums), 0, ws.engine);
      assert.deepEqual(Array.from(start), expectedStart, ws.engine);
      assert.deepEqual(Array.from(w), order.map((i) => weight[i]), ws.engine);
      assertClose(mx, order.map((i) => m[i]! * xs[group[i]!]!), 0, `${ws.engine} m·x`);
      assertClose(sums, expectedSums, 1e-13, `${ws.engine} sums`);
    }
  });

  it("agree to 1e-13 in both: Gamma-Gamma's totals and moment start, and fall back alike where the moments give nothing", () => {
    const seed = mulberry32(7);
    const cases: { xs: number[]; sums: number[] }[] = [];
    for (let k = 0; k < 40; k++) {
      const groups = 1 + Math.floor(seed() * (k < 5 ? 2 : 30)); // a few with one or two groups: the fallback
      const xs = Array.from({ length: groups }, (_, g) => g + 1 + Math.floor(seed() * 3));
      const sums = xs.flatMap((x) => {
        const w = k % 7 === 0 ? 1 : 1 + Math.floor(seed() * 50); // every seventh: one customer a group, no variance
        const meanLog = 3 + seed();
        const spread = 0.2 + seed() / x;
        return [w, w * meanLog, w * (meanLog * meanLog + spread), w * Math.exp(meanLog)];
      });
      cases.push({ xs, sums });
    }
    let fallbacks = 0;
    for (const { xs, sums } of cases) {
      const groups = xs.length;
      const total = sums.filter((_, i) => i % 4 === 0).reduce((a, b) => a + b, 0);
      const results = pair(6 * groups + 5, 0).map((ws) => {
        const [x, s, weight, out] = [ws.readF64(Float64Array.from(xs)), ws.readF64(Float64Array.from(sums)), ws.f64(groups), ws.f64(5)];
        ws.spendMoments(x, s, groups, total, weight, out);
        assert.deepEqual(Array.from(weight), sums.filter((_, i) => i % 4 === 0), ws.engine);
        return Array.from(out);
      });
      assertClose(results[0]!, results[1]!, 1e-13, "moments");
      if (results[1]![2] === 1 && results[1]![3] === 2) fallbacks++;
    }
    assert.ok(fallbacks >= 5 && fallbacks < 30, `${fallbacks} of ${cases.length} fell back to p = 1, q = 2`);
  });

  it("agree to 1e-13 in both: Gamma-Gamma's whole likelihood, weighted and not", () => {
    const n = 500;
    const groups = 6;
    const results = pair(6 * n + 20 * groups + 20, n + groups + 1).map((ws) => {
      const seed = mulberry32(9);
      const m = ws.f64(n);
      const weight = ws.f64(n);
      const group = ws.i32(n);
      const xs = ws.f64(groups);
      for (let i = 0; i < n; i++) {
        m[i] = 5 + 200 * seed() ** 3;
        weight[i] = i % 4 === 0 ? 3 : 1;
        group[i] = Math.floor(groups * seed());
      }
      xs.set([1, 2, 3, 5, 8, 30]);
      const [start, mx, w, groupSums] = [ws.i32(groups + 1), ws.f64(n), ws.f64(n), ws.f64(4 * groups)];
      ws.spendPrepare(m, weight, group, n, groups, xs, start, mx, w, groupSums);
      const groupWeight = ws.f64(groups);
      let constant = 0;
      let slopeP = 0;
      for (let k = 0; k < groups; k++) {
        groupWeight[k] = groupSums[4 * k]!;
        constant += groupSums[4 * k + 1]!;
        slopeP += xs[k]! * (groupSums[4 * k + 1]! + groupSums[4 * k]! * Math.log(xs[k]!));
      }
      const [args, family, sums, out] = [ws.f64(2 * groups + 1), ws.f64(3 * (2 * groups + 1)), ws.f64(3 * groups), ws.f64(10)];
      const all: number[] = [];
      for (const [p, q, gamma] of [[6.25, 3.74, 15.4], [0.3, 40, 2000], [50, 0.2, 0.5]] as const) {
        for (const weights of [w, undefined]) {
          ws.spendTerms(p, q, gamma, n, slopeP, constant, groups, xs, groupWeight, start, mx, weights, args, family, sums, out);
          all.push(...out);
        }
      }
      return all;
    });
    assertClose(results[0]!, results[1]!, 1e-13, "Gamma-Gamma terms");
  });

  it("agree to 1e-14 of max(1, |value|) in both: ln Γ, ψ and ψ′, from 1e-300 to 1e300, and NaN off the domain", () => {
    const args = [1e-300, 1e-9, 0.5, 1, 1.4616321449683622, 2, 9.999999999999998, 10, 33.3, 1e8, 1e300, 0, -1, Number.NaN, Number.POSITIVE_INFINITY];
    for (let i = 0; i < 400; i++) args.push(10 ** (16 * random() - 8));
    const n = args.length;
    const [a, b] = pair(4 * n, 0);
    const outs = [a, b].map((ws) => {
      const x = ws.f64(n);
      x.set(args);
      const out = ws.f64(3 * n);
      ws.gammaFamily(x, n, out);
      return Array.from(out);
    });
    assertClose(outs[0]!, outs[1]!, 1e-14, "ln Γ, ψ, ψ′");
    const out = new Float64Array(3 * n);
    script.gammaFamily(Float64Array.from(args), n, out);
    for (const at of [11, 12, 13]) assert.ok(Number.isNaN(out[3 * at]!) && Number.isNaN(out[3 * at + 1]!) && Number.isNaN(out[3 * at + 2]!), `argument ${args[at]}`);
  });

  it("agree to 1e-14 in both: BG/NBD's shifted logs and repeat buyers' sums", () => {
    const rows = 800;
    const nT = 40;
    const nTx = 300;
    const [a, b] = pair(rows + 3 * nT + 3 * nTx + 11, 2 * rows);
    const outs = [a, b].map((ws) => {
      const seed = mulberry32(7);
      const weight = ws.f64(rows);
      const jT = ws.i32(rows);
      const jTx = ws.i32(rows);
      const tValues = ws.f64(nT);
      const txValues = ws.f64(nTx);
      for (let i = 0; i < rows; i++) {
        weight[i] = 1 + Math.floor(3 * seed());
        jT[i] = Math.floor(nT * seed());
        jTx[i] = Math.floor(nTx * seed());
      }
      for (let j = 0; j < nT; j++) tValues[j] = 20 + 20 * seed();
      for (let j = 0; j < nTx; j++) txValues[j] = 20 * seed();
      const logT = ws.f64(nT);
      const invT = ws.f64(nT);
      const logTx = ws.f64(nTx);
      const invTx = ws.f64(nTx);
      const out = ws.f64(11);
      const results: number[] = [];
      for (const [alpha, rx, logA4] of [[4.4, 1.2, -0.3], [0.01, 30, 2], [300, 0.5, -40], [4.4, 1.2, 40]] as const) {
        ws.shiftedLogs(tValues, nT, alpha, logT, invT);
        ws.shiftedLogs(txValues, nTx, alpha, logTx, invTx);
        results.push(...logT, ...invT, ...logTx, ...invTx);
        ws.repeatBuyerSums(weight, jT, jTx, logT, invT, logTx, invTx, 13, 700, rx, logA4, out);
        results.push(...out);
      }
      return results;
    });
    assertClose(outs[0]!, outs[1]!, 1e-14, "BG/NBD sums");
  });

  it("agree to 1e-13 in both: BG/NBD's whole likelihood, its ratios by recurrence and directly alike", () => {
    const rows = 600;
    const nT = 30;
    const nTx = 200;
    const xs = [0, 1, 2, 3, 7, 40, 120];
    const groups = xs.length;
    const largest = 120;
    const results = [0, 1].flatMap((direct) =>
      pair(rows + 5 * nT + 3 * nTx + 2 * groups + 9 * (largest + 1) + 47, 2 * rows + groups + 1).map((ws) => {
        const seed = mulberry32(5);
        const weight = ws.f64(rows);
        const jT = ws.i32(rows);
        const jTx = ws.i32(rows);
        const tValues = ws.f64(nT);
        const txValues = ws.f64(nTx);
        const xValues = ws.f64(groups);
        const start = ws.i32(groups + 1);
        const weightT = ws.f64(nT);
        const weightXT = ws.f64(nT);
        const groupWeight = ws.f64(groups);
        xValues.set(xs);
        for (let k = 0; k <= groups; k++) start[k] = Math.round((k * rows) / groups);
        for (let k = 0; k < groups; k++) {
          for (let at = start[k]!; at < start[k + 1]!; at++) {
            const w = 1 + Math.floor(3 * seed());
            const j = Math.floor(nT * seed());
            weight[at] = w;
            jT[at] = j;
            jTx[at] = Math.floor(nTx * seed());
            weightT[j] = weightT[j]! + w;
            weightXT[j] = weightXT[j]! + w * xs[k]!;
            groupWeight[k] = groupWeight[k]! + w;
          }
        }
        for (let j = 0; j < nT; j++) tValues[j] = 30 + 10 * seed();
        for (let j = 0; j < nTx; j++) txValues[j] = 30 * seed();
        const [logT, invT, logTx, invTx] = [ws.f64(nT), ws.f64(nT), ws.f64(nTx), ws.f64(nTx)];
        const tables = ws.f64(9 * (largest + 1));
        const scratch = ws.f64(32);
        const out = ws.f64(15);
        const all: number[] = [];
        for (const [r, alpha, a, b] of [[0.24, 4.4, 0.79, 2.43], [3, 0.2, 20, 0.05], [0.01, 300, 0.5, 80]] as const) {
          ws.bgnbdTerms(r, alpha, a, b, rows * 2, nT, tValues, weightT, weightXT, logT, invT, nTx, txValues, logTx, invTx, groups, xValues, groupWeight, start, weight, jT, jTx, largest, direct, tables, scratch, out);
          all.push(...out);
        }
        return all;
      }),
    );
    assertClose(results[0]!, results[1]!, 1e-13, "by recurrence, WebAssembly and script");
    assertClose(results[2]!, results[3]!, 1e-13, "directly, WebAssembly and script");
    assertClose(results[0]!, results[2]!, 1e-11, "by recurrence and directly");
  });

  it("agree to 1e-12 in both: Pareto/NBD's log-likelihood and gradient, by the series and by the death integral, α ≥ β and α < β, β/α to 1e6, heavy buyers, t_x = T", () => {
    const seed = mulberry32(13);
    const frequency: number[] = [];
    const recency: number[] = [];
    const T: number[] = [];
    for (let i = 0; i < 400; i++) {
      const age = 1 + 100 * seed();
      const x = i % 50 === 0 ? 200 + Math.floor(100 * seed()) : Math.floor(-Math.log(1 - seed()) * 2);
      frequency.push(x);
      T.push(age);
      recency.push(x === 0 ? 0 : i % 7 === 0 ? age : age * seed());
    }
    const data = summarizeCustomers({ frequency, recency, T });
    const points = [
      [0.55, 10.6, 0.61, 11.7],
      [0.55, 10.6, 0.61, 3],
      [2, 0.5, 1.5, 5e5],
      [0.3, 4e4, 0.2, 0.01],
      [5, 1, 0.05, 1],
      [0.01, 0.02, 30, 200],
    ];
    const values = (["auto", "script"] as const).map((mode) => {
      setKernelMode(mode);
      const ll = paretoNbdLogLikelihood(data);
      return points.flatMap((p) => {
        const { value, gradient } = ll(p);
        return [value, ...gradient];
      });
    });
    setKernelMode("auto");
    assert.ok(values[0]!.every(Number.isFinite));
    const relative = values[0]!.map((v, i) => (v - values[1]![i]!) / Math.max(1, Math.abs(values[1]![i]!)));
    assertClose(relative, relative.map(() => 0), 1e-12, "Pareto/NBD");
  });

  it("compute ln x, e^x, ln(1 + x) and e^x − 1 within 1, 1, 2 and 3 ulps of Math.log, Math.exp, Math.log1p and Math.expm1, and their edge cases as they do", () => {
    const kernels = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(KERNEL_WASM))).exports as unknown as Record<"log" | "exp" | "log1p" | "expm1", (x: number) => number>;
    const cases: [string, (x: number) => number, (x: number) => number, () => number, number][] = [
      ["ln, 1e-308 to 1e308", kernels.log, Math.log, () => 10 ** (616 * random() - 308), 1],
      ["ln near 1", kernels.log, Math.log, () => 1 + 0.8 * (random() - 0.5), 1],
      ["ln of subnormals", kernels.log, Math.log, () => 1e-310 * random(), 1],
      ["exp, −745 to 745", kernels.exp, Math.exp, () => 1490 * random() - 745, 1],
      ["exp near 0", kernels.exp, Math.exp, () => 2 * random() - 1, 1],
      ["ln(1 + x), 0 to 1", kernels.log1p, Math.log1p, () => random(), 2],
      ["ln(1 + x), 1e-20 to 1", kernels.log1p, Math.log1p, () => 10 ** (-20 * random()), 2],
      ["ln(1 − z), z from 0 to 0.8 (the hypergeometric series' prefactor)", kernels.log1p, Math.log1p, () => -0.8 * random(), 2],
      ["e^x − 1, x from −40 to −0.01 (Pareto/NBD's difference of two terms)", kernels.expm1, Math.expm1, () => -0.01 - 40 * random() ** 3, 3],
    ];
    for (const [what, ours, theirs, draw, bound] of cases) {
      let worst = 0;
      for (let i = 0; i < 200_000; i++) {
        const x = draw();
        worst = Math.max(worst, ulps(ours(x), theirs(x)));
      }
      assert.ok(worst <= bound, `${what}: ${worst} ulps`);
    }
    for (const x of [0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, Number.MAX_VALUE, 1, 2, 0.5]) {
      assert.ok(Object.is(kernels.log(x), Math.log(x)), `ln ${x}`);
    }
    for (const x of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 709.79, 709.782712893384, -745.13, -745.2, -720, 1e-300]) {
      assert.ok(ulps(kernels.exp(x), Math.exp(x)) <= 1, `exp ${x}: ${kernels.exp(x)}, Math.exp ${Math.exp(x)}`);
    }
    assert.ok(Object.is(kernels.log1p(0), 0) && kernels.log1p(1e-300) === 1e-300 && kernels.log1p(Number.POSITIVE_INFINITY) === Number.POSITIVE_INFINITY);
  });

  it("compute ln Γ and ψ as stdlib (Boost) does, to 1e-14 of max(1, |value|), and ψ′ as trigamma does, from 1e-8 to 1e8", () => {
    const args: number[] = [];
    for (let e = -8; e <= 8; e += 0.005) args.push(10 ** e);
    const n = args.length;
    const out = new Float64Array(3 * n);
    script.gammaFamily(Float64Array.from(args), n, out);
    let worstLog = 0;
    let worstPsi = 0;
    args.forEach((x, i) => {
      const lg = gammalnStdlib(x);
      const psi = digammaStdlib(x);
      worstLog = Math.max(worstLog, Math.abs(out[3 * i]! - lg) / Math.max(1, Math.abs(lg)));
      worstPsi = Math.max(worstPsi, Math.abs(out[3 * i + 1]! - psi) / Math.max(1, Math.abs(psi)));
      assert.equal(out[3 * i + 2], trigamma(x), `ψ′(${x})`);
    });
    assert.ok(worstLog < 1e-14, `ln Γ: worst ${worstLog}`);
    assert.ok(worstPsi < 1e-14, `ψ: worst ${worstPsi}`);
    // Closed forms: ln Γ(1/2) = ln √π, ψ(1) = −γ (Euler), ψ(1/2) = −γ − 2 ln 2.
    const closed = new Float64Array(6);
    script.gammaFamily(Float64Array.from([0.5, 1]), 2, closed);
    const euler = 0.5772156649015329;
    assert.ok(Math.abs(closed[0]! - 0.5 * Math.log(Math.PI)) < 2e-15);
    assert.ok(Math.abs(closed[1]! - (-euler - 2 * Math.LN2)) < 2e-15);
    assert.ok(Math.abs(closed[4]! + euler) < 2e-15);
  });

  it("fit CDNOW alike with either, to 1e-12 in the log-likelihood and 1e-9 in the parameters", () => {
    const cdnow = readCsvColumns("cdnow_customers_summary.csv");
    const spend = readCsvColumns("cdnow_customers_summary_with_transactions.csv");
    const fits = (["auto", "script"] as const).map((mode) => {
      setKernelMode(mode);
      const bg = fitBgNbd(summarizeCustomers({ frequency: cdnow.frequency!, recency: cdnow.recency!, T: cdnow.T! }));
      const gg = fitGammaGamma({ frequency: spend.x!, monetaryValue: spend.zbar! });
      return [Object.values(bg.params), [bg.logLikelihood], Object.values(gg.params), [gg.logLikelihood]].map((v) => Array.from(v, Number));
    });
    setKernelMode("auto");
    for (const [k, tolerance] of [[0, 1e-9], [1, 1e-12], [2, 1e-9], [3, 1e-12]] as const) {
      const relative = fits[0]![k]!.map((v, i) => v / Math.abs(fits[1]![k]![i]!));
      assertClose(relative, fits[1]![k]!.map((v) => v / Math.abs(v)), tolerance, "fit");
    }
  });

  it("fit Gamma-Gamma whole in WebAssembly step for step as the script's Newton search on the same kernels: to the last bit with the same e^x, and as shipped the same verdict, iterations and parameters (to 1e-10, or 1e-8 of a standard error)", () => {
    const spend = readCsvColumns("cdnow_customers_summary_with_transactions.csv");
    const sets: SpendInput[] = [{ frequency: spend.x!, monetaryValue: spend.zbar! }];
    for (let k = 0; k < 300; k++) {
      const n = 2 + Math.floor(random() * (k % 3 === 0 ? 8 : 400));
      const frequencies = 1 + Math.floor(random() * 40);
      const shape = 0.5 + 10 * random();
      const frequency: number[] = [];
      const monetaryValue: number[] = [];
      const weights: number[] = [];
      for (let i = 0; i < n; i++) {
        const x = 1 + Math.floor(random() * frequencies);
        frequency.push(x);
        // Spend about 30 a transaction, spread by the shape; every tenth set has identical customers.
        monetaryValue.push(k % 10 === 9 ? 25 : Math.round(100 * 30 * Math.exp((random() - 0.5) * (4 / shape + 2 / x))) / 100);
        weights.push(1 + Math.floor(random() * 5));
      }
      sets.push(k % 2 === 0 ? { frequency, monetaryValue } : { frequency, monetaryValue, weights });
    }
    const kernelExp = (new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(KERNEL_WASM))).exports as unknown as { exp: (x: number) => number }).exp;
    const attempt = (mode: "auto" | "terms", input: SpendInput, limits = {}) => {
      setKernelMode(mode);
      try {
        return fitGammaGamma(input, limits);
      } catch (error) {
        return error as Error;
      } finally {
        setKernelMode("auto");
      }
    };
    let kernel = 0;
    let compared = 0;
    let sameIterations = 0;
    let worst = 0;
    for (const [i, input] of sets.entries()) {
      // Step for step: with the module's e^x in the script too (the one other difference), the same to the last bit.
      // The kernel looks at no clock, so a deadline already past lets only a fit it ran whole answer.
      const exp = Math.exp;
      Math.exp = kernelExp;
      try {
        const whole = attempt("auto", input, { deadline: 0 });
        if (!(whole instanceof Error)) {
          kernel++;
          assert.deepEqual(attempt("terms", input), whole, `set ${i}`);
        }
      } finally {
        Math.exp = exp;
      }
      // As shipped (the script with Math.exp): the same verdict, and the same fit to rounding.
      const shipped = attempt("auto", input);
      const stepwise = attempt("terms", input);
      if (shipped instanceof Error || stepwise instanceof Error) {
        assert.equal(String(shipped), String(stepwise), `set ${i}`);
        continue;
      }
      // Degenerate either way (each may stop at another point on the way to the edge, and say so in its own words).
      assert.equal(shipped.degenerate === undefined, stepwise.degenerate === undefined, `set ${i}: ${shipped.degenerate} / ${stepwise.degenerate}`);
      if (shipped.degenerate) continue;
      assert.equal(shipped.converged, stepwise.converged, `set ${i}`);
      if (!shipped.converged) continue;
      compared++;
      // On a nearly flat likelihood the last bits can decide whether one more polishing step pays.
      assert.ok(Math.abs(shipped.iterations - stepwise.iterations) <= 1, `set ${i}: ${shipped.iterations} and ${stepwise.iterations} iterations`);
      if (shipped.iterations === stepwise.iterations) sameIterations++;
      const a = Object.values(shipped.params);
      const b = Object.values(stepwise.params);
      const ea = Object.values(shipped.standardErrors!);
      const eb = Object.values(stepwise.standardErrors!);
      // Where the likelihood is nearly flat (q = 110 ± 284) a difference in its last bits moves the
      // maximum further: there the two agree to 1e-8 of the standard error.
      a.forEach((v, j) => {
        const difference = Math.abs(v - b[j]!);
        assert.ok(difference <= Math.max(1e-10 * b[j]!, 1e-8 * eb[j]!), `set ${i}: ${v} and ${b[j]} ± ${eb[j]}`);
        worst = Math.max(worst, difference / b[j]!);
      });
      // (On six customers ln Γ terms of about 6,000 cancel to a log-likelihood of −37: 1e-10 absolute.)
      assert.ok(Math.abs(shipped.logLikelihood - stepwise.logLikelihood) <= 1e-12 * Math.abs(stepwise.logLikelihood) + 1e-10, `set ${i}: log-likelihood`);
      assertClose(ea.map((v, j) => v / eb[j]!), ea.map(() => 1), 1e-5, `set ${i}: standard errors`);
    }
    assert.ok(kernel > 150, `the kernel fitted ${kernel} of ${sets.length} sets whole`);
    assert.ok(compared > 150 && sameIterations >= 0.95 * compared, `${compared} fits compared, ${sameIterations} in as many iterations`);
    assert.ok(worst > 0, "as shipped, the two searches differ by e^x's last bits");
  });

  it("size a Gamma-Gamma fit's workspace by its groups, not its rows: fits of 10,000 customers reuse one instance", () => {
    const seed = mulberry32(5);
    const frequency = Array.from({ length: 10_000 }, () => 1 + Math.floor(30 * seed()));
    const monetaryValue = frequency.map(() => Math.round(1000 + 4000 * seed()) / 100);
    setKernelMode("auto");
    fitGammaGamma({ frequency, monetaryValue }); // leaves its instance to the next, if small enough to keep
    const Made = WebAssembly.Instance;
    let made = 0;
    WebAssembly.Instance = function (module: WebAssembly.Module, imports?: WebAssembly.Imports) {
      made++;
      return new Made(module, imports);
    } as unknown as typeof WebAssembly.Instance;
    try {
      fitGammaGamma({ frequency, monetaryValue });
      fitGammaGamma({ frequency, monetaryValue });
    } finally {
      WebAssembly.Instance = Made;
    }
    assert.equal(made, 0, "sized for 10,000 groups (1.8 MB) the memory was too large to keep, and each fit made an instance");
  });

  it("reuse a released workspace's instance, zeroed, and never one still in use", () => {
    setKernelMode("auto");
    const first = workspace(100, 10);
    const a = first.f64(100);
    a.fill(7);
    first.i32(10).fill(-1);
    first.release();
    const second = workspace(200, 20); // larger: the reused memory grows
    const b = second.f64(200);
    const c = second.i32(20);
    assert.ok(b.every((v) => v === 0) && c.every((v) => v === 0));
    const third = workspace(100, 10); // the spare is taken: a new instance
    const d = third.f64(100);
    d.fill(3);
    assert.ok(b.every((v) => v === 0), "a workspace in use is not handed out again");
    second.release();
    second.release(); // twice is once
    assert.notEqual(workspace(10, 0).f64(10).buffer, workspace(10, 0).f64(10).buffer);
  });

  it("keep to the arrays a workspace was made for, and run in script for large data", () => {
    const [wasm] = pair(4, 2);
    wasm.f64(3);
    assert.throws(() => wasm.f64(2), RangeError);
    wasm.i32(2);
    assert.throws(() => wasm.i32(1), RangeError);
    assert.equal(workspace(LARGEST_WASM_WORKSPACE, 0).engine, "wasm");
    assert.equal(workspace(LARGEST_WASM_WORKSPACE + 1, 0).engine, "script"); // large data: the script's loops are as fast, and no large memory is made
  });
});
