import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { call, CustomFunctionError, loadBuiltFunctionsForTiming, type Registered } from "../support/customFunctions";
import { readCsvColumns } from "../support/fixtures";

/**
 * The fitted models' functions on the shapes that once kept Excel busy for seconds to
 * minutes: β/α up to 1e8, heavy buyers, million-row columns, bad rows late in a column,
 * options checked only after the work. Seeded; every call must end within its budget with
 * finite numbers or a typed Excel error with a message. The bundle is loaded as Excel's
 * runtime loads it (plain globals), so the times are Excel's, not a sandbox's.
 */
let fns: Registered;
before(() => {
  fns = loadBuiltFunctionsForTiming();
});

const CODES = new Set(["#VALUE!", "#NUM!", "#DIV/0!", "#N/A"]);
/** Budgets, with room for a busy test machine: predictions stop themselves at 1.5 s, fits at 2 s. */
const BUDGET_MS = { call: 1000, prediction: 3000, fit: 4000 };

function timed(id: string, args: unknown[], budget: number): unknown {
  const start = performance.now();
  const answer = call(fns, id, ...args);
  const ms = performance.now() - start;
  const shown = () => JSON.stringify(args, (_, v: unknown) => (Array.isArray(v) && v.length > 6 ? `[${v.length} rows]` : v)).slice(0, 300);
  assert.ok(ms < budget, `${id} took ${ms.toFixed(0)} ms (budget ${budget}) for ${shown()}`);
  if (answer instanceof CustomFunctionError) {
    assert.ok(CODES.has(answer.code) && answer.message.length > 10, `${id}: ${answer.code} "${answer.message}" for ${shown()}`);
  } else {
    assert.ok(Array.isArray(answer) && answer.every((r: unknown) => Array.isArray(r) && r.every((v) => v === "" || (typeof v === "number" && Number.isFinite(v)))), `${id} gave ${JSON.stringify(answer).slice(0, 200)} for ${shown()}`);
  }
  return answer;
}

/** A small deterministic generator (mulberry32), so every run sees the same cases. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const col = (values: number[]) => values.map((v) => [v]);
const logUniform = (u: number, lo: number, hi: number) => Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));

/** Customers with 0–5 repeat purchases over 50–103 periods, and now and then a heavy buyer or one acquired at the end. */
function customers(rnd: () => number, n: number) {
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  for (let i = 0; i < n; i++) {
    const kind = rnd();
    const age = kind < 0.05 ? 0 : 50 + 53 * rnd();
    const repeats = age === 0 ? 0 : kind > 0.97 ? 100 + Math.floor(400 * rnd()) : Math.floor(6 * rnd());
    x.push(repeats);
    T.push(age);
    tx.push(repeats === 0 ? 0 : age * rnd());
  }
  return { x, tx, T };
}

describe("the fitted models' functions on adversarial data", { timeout: 600_000 }, () => {
  it("predict for thousands of random parameter sets, β/α up to 1e8 either way, within budget", () => {
    const rnd = random(20261130);
    for (let i = 0; i < 2000; i++) {
      const r = logUniform(rnd(), 0.01, 50);
      const alpha = logUniform(rnd(), 1e-3, 1e4);
      const ratio = logUniform(rnd(), 1e-8, 1e8);
      const s = logUniform(rnd(), 0.01, 50);
      const pnbd = [[r, alpha, s, alpha * ratio]];
      const bgnbd = [[r, alpha, logUniform(rnd(), 0.01, 50), logUniform(rnd(), 0.01, 50)]];
      const c = customers(rnd, 1 + Math.floor(20 * rnd()));
      const t = logUniform(rnd(), 0.01, 1e4);
      timed("PNBD_P_ALIVE", [pnbd, col(c.x), col(c.tx), col(c.T)], BUDGET_MS.call);
      timed("PNBD_EXPECTED", [pnbd, t, col(c.x), col(c.tx), col(c.T)], BUDGET_MS.call);
      timed("BGNBD_P_ALIVE", [bgnbd, col(c.x), col(c.tx), col(c.T)], BUDGET_MS.call);
      timed("BGNBD_EXPECTED", [bgnbd, t, col(c.x), col(c.tx), col(c.T)], BUDGET_MS.call);
      if (i % 10 === 0) {
        timed("PNBD_CLV", [pnbd, 20, col(c.x), col(c.tx), col(c.T), 1000, 4.345, 0.01], BUDGET_MS.call);
        timed("BGNBD_CLV", [bgnbd, 20, col(c.x), col(c.tx), col(c.T), 120, 4.345, 0.01], BUDGET_MS.call);
      }
    }
  });

  it("fit ordinary customers with a heavy buyer, and random small data sets, within budget", () => {
    const rnd = random(7);
    for (let i = 0; i < 60; i++) {
      const c = customers(rnd, i === 0 ? 1000 : 5 + Math.floor(300 * rnd()));
      if (i === 0) {
        c.x.push(221);
        c.tx.push(100);
        c.T.push(103);
      }
      for (const id of ["BGNBD_FIT", "PNBD_FIT"]) timed(id, [col(c.x), col(c.tx), col(c.T)], BUDGET_MS.fit);
    }
  });

  it("value the 2,357 CDNOW customers over 1,000 steps in well under a second, and name a bad row 2,001 at once", () => {
    const cdnow = readCsvColumns("cdnow_customers_summary.csv");
    const [f, r, T] = [col(Array.from(cdnow.frequency!)), col(Array.from(cdnow.recency!)), col(Array.from(cdnow.T!))];
    for (const [id, params] of [["BGNBD_CLV", [[0.243, 4.414, 0.793, 2.426]]], ["PNBD_CLV", [[0.553, 10.578, 0.606, 11.669]]]] as const) {
      timed(id, [params, 20, f, r, T, 1000, 1, 0.001], BUDGET_MS.prediction);
      const bad = r.map((row) => [...row]);
      bad[2000] = [-1];
      const answer = timed(id, [params, 20, f, bad, T, 1000, 1, 0.001], BUDGET_MS.call) as CustomFunctionError;
      assert.match(answer.message, /row 2001: recency must be 0 or more/);
    }
  });

  it("take million-row columns: a prediction, or a fit, answers within budget or says the data are too large", () => {
    const rnd = random(99);
    const c = customers(rnd, 1_000_000);
    const [x, tx, T] = [col(c.x), col(c.tx), col(c.T)];
    timed("PNBD_P_ALIVE", [[[0.553, 10.578, 0.606, 11.669]], x, tx, T], BUDGET_MS.prediction);
    timed("BGNBD_P_ALIVE", [[[0.243, 4.414, 0.793, 2.426]], x, tx, T], BUDGET_MS.prediction);
    for (const id of ["BGNBD_FIT", "PNBD_FIT"]) timed(id, [x, tx, T], BUDGET_MS.fit);
    timed("GG_FIT", [x, col(c.x.map(() => 10 + 40 * rnd()))], BUDGET_MS.fit);
    // An option is checked before any work: details = 2 on a million rows answers at once.
    const answer = timed("PNBD_FIT", [x, tx, T, null, 2], BUDGET_MS.call) as CustomFunctionError;
    assert.equal(answer.code, "#VALUE!");
  });
});
