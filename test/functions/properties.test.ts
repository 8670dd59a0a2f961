import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { CustomFunctionError, loadBuiltFunctions, type Registered } from "../support/customFunctions";

/**
 * Whatever a cell holds, every function answers with a finite number (or a spilled array of
 * them) or with a CustomFunctions.Error carrying an Excel code and a message: never NaN,
 * never ±Infinity, never an untyped exception, never a hang. Run against the built bundle.
 */
let fns: Registered;
before(() => {
  fns = loadBuiltFunctions();
});

const RUNS = 4000;
const CODES = new Set(["#VALUE!", "#NUM!", "#DIV/0!", "#N/A"]);

const adversarialNumber = fc.oneof(
  fc.double(), // includes NaN, ±Infinity, −0, subnormals and the extremes
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.integer({ min: -5, max: 500 }),
  fc.constantFrom(0, 1, -1, 0.5, 0.999999999, 1.0000001, 1e-300, 1e300, -1e300, Number.MAX_VALUE, Number.MIN_VALUE, 1e6, 1e6 + 1),
);
const cell = fc.oneof(
  { weight: 6, arbitrary: adversarialNumber },
  fc.constantFrom("", null, undefined, true, false, "abc", "0.5", "=1+1", "#N/A", "  "),
  fc.string({ maxLength: 5 }),
  fc.constant({}),
);
const line = (min: number, max: number) => fc.array(cell, { minLength: min, maxLength: max });
/** A range as Excel passes it (rows of cells), plus shapes Excel never sends. */
const range = fc.oneof(
  { weight: 4, arbitrary: cell.map((c) => [[c]]) },
  { weight: 3, arbitrary: line(1, 130).map((cells) => cells.map((c) => [c])) },
  { weight: 3, arbitrary: line(1, 130).map((cells) => [cells]) },
  fc.array(line(1, 4), { minLength: 1, maxLength: 4 }),
  fc.constantFrom<unknown>([], [[]], null, "", 5, "text"),
);
const value = fc.oneof({ weight: 5, arbitrary: cell }, range);

function checkAnswer(id: string, args: unknown[], answer: unknown, elapsedMs: number): boolean {
  assert.ok(elapsedMs < 2000, `${id} took ${elapsedMs} ms for ${JSON.stringify(args).slice(0, 200)}`);
  if (typeof answer === "number") {
    assert.ok(Number.isFinite(answer), `${id} returned ${answer} for ${JSON.stringify(args).slice(0, 200)}`);
    return true;
  }
  if (Array.isArray(answer)) {
    const ok = answer.length > 0 && answer.every((r) => Array.isArray(r) && r.length > 0 && r.every((v) => v === "" || (typeof v === "number" && Number.isFinite(v))));
    assert.ok(ok, `${id} spilled a non-finite value: ${JSON.stringify(answer).slice(0, 200)} for ${JSON.stringify(args).slice(0, 200)}`);
    return true;
  }
  assert.ok(answer instanceof CustomFunctionError, `${id} threw ${String(answer)} for ${JSON.stringify(args).slice(0, 200)}`);
  assert.ok(CODES.has(answer.code), `${id} gave code ${answer.code}`);
  assert.ok(answer.message.length > 5, `${id} gave ${answer.code} without a message`);
  return true;
}

function property(id: string, args: fc.Arbitrary<unknown[]>) {
  return fc.property(args, (a) => {
    const fn = fns.get(id)!;
    const start = performance.now();
    let answer: unknown;
    try {
      answer = fn(...a);
    } catch (error) {
      answer = error;
    }
    return checkAnswer(id, a, answer, performance.now() - start);
  });
}

const optional = (arb: fc.Arbitrary<unknown>) => fc.oneof(fc.constant(null), fc.constant(""), arb);

describe("every function answers every input with a finite number or an Excel error", { timeout: 300_000 }, () => {
  it("LTV.CLV", () => {
    fc.assert(property("CLV", fc.tuple(range, range, value, optional(value), optional(value), optional(value))), { numRuns: RUNS });
  });
  it("LTV.CLV_SCHEDULE", () => {
    fc.assert(property("CLV_SCHEDULE", fc.tuple(range, range, value, optional(value), optional(value), optional(value))), { numRuns: RUNS });
  });
  it("LTV.RETENTION_ROI", () => {
    fc.assert(
      property("RETENTION_ROI", fc.tuple(value, range, range, range, value, optional(value), optional(value), optional(value))),
      { numRuns: RUNS },
    );
  });
  it("LTV.ACQ_VS_RETAIN", () => {
    fc.assert(property("ACQ_VS_RETAIN", fc.tuple(value, value, value, value, optional(value))), { numRuns: RUNS });
  });
  it("LTV.PERIODIC_RATE", () => {
    fc.assert(property("PERIODIC_RATE", fc.tuple(value, value)), { numRuns: RUNS });
  });
  it("LTV.CAC_PAYBACK", () => {
    fc.assert(property("CAC_PAYBACK", fc.tuple(range, range, value, value, optional(value))), { numRuns: RUNS });
  });
  it("LTV.CLV_GRID", () => {
    fc.assert(property("CLV_GRID", fc.tuple(range, range, range, optional(value), optional(value), optional(value))), { numRuns: RUNS });
  });
  it("LTV.COMMISSION_COST", () => {
    fc.assert(property("COMMISSION_COST", fc.tuple(range, range, value, value, optional(value), optional(value), optional(value), optional(value), optional(value), optional(value))), { numRuns: RUNS });
  });
  it("LTV.BREAKEVEN_COMMISSION", () => {
    fc.assert(property("BREAKEVEN_COMMISSION", fc.tuple(range, range, value, value, optional(value), optional(value), optional(value), optional(value), optional(value))), { numRuns: RUNS });
  });
  it("LTV.TIER_RATE", () => {
    fc.assert(property("TIER_RATE", fc.tuple(value, range, range, optional(value))), { numRuns: RUNS });
  });
  // Fitted-model functions: columns of adversarial cells, and plausible small data sets.
  const smallColumn = fc.array(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) }, cell), { minLength: 1, maxLength: 12 }).map((c) => c.map((v) => [v]));
  const params = (n: number) => fc.oneof(fc.array(fc.oneof(fc.double({ min: 0.01, max: 20, noNaN: true }), cell), { minLength: n, maxLength: n }).map((r) => [r]), range);
  const FIT_RUNS = 400;
  for (const id of ["BGNBD_FIT", "PNBD_FIT"]) {
    it(`LTV.${id}`, () => {
      fc.assert(property(id, fc.tuple(smallColumn, smallColumn, smallColumn, optional(smallColumn), optional(value))), { numRuns: FIT_RUNS });
      // Plausible histories (recency ≤ T), so that many tuples reach the optimiser itself.
      const customer = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 40, noNaN: true }));
      const history = fc.array(customer, { minLength: 1, maxLength: 30 }).map((rows) => [
        rows.map(([x]) => [x]),
        rows.map(([x, f, T]) => [x === 0 ? 0 : f * T]),
        rows.map(([, , T]) => [T]),
      ]);
      fc.assert(property(id, history), { numRuns: FIT_RUNS });
    });
  }
  it("LTV.GG_FIT", () => {
    fc.assert(property("GG_FIT", fc.tuple(smallColumn, smallColumn, optional(smallColumn), optional(value))), { numRuns: FIT_RUNS });
  });
  it("LTV.SBG_FIT", () => {
    const survivors = fc.array(fc.array(fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 1000 }) }, cell), { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 4 });
    const shrinking = fc
      .array(fc.array(fc.double({ min: 0.3, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 })
      .map((cohorts) => {
        const width = Math.max(...cohorts.map((c) => c.length)) + 1;
        return cohorts.map((rates) => {
          const row: unknown[] = [1000];
          for (const r of rates) row.push(Math.round((row[row.length - 1] as number) * r));
          while (row.length < width) row.push("");
          return row;
        });
      });
    fc.assert(property("SBG_FIT", fc.tuple(fc.oneof(survivors, shrinking, range), optional(value))), { numRuns: FIT_RUNS });
  });
  for (const [id, n] of [["SBG_SURVIVAL", 2], ["SBG_RETENTION", 2]] as const) {
    it(`LTV.${id}`, () => {
      fc.assert(property(id, fc.tuple(params(n), range)), { numRuns: RUNS });
    });
  }
  it("LTV.SBG_DERL and LTV.SBG_DEL", () => {
    fc.assert(property("SBG_DERL", fc.tuple(params(2), value, optional(value))), { numRuns: RUNS });
    fc.assert(property("SBG_DEL", fc.tuple(params(2), value)), { numRuns: RUNS });
  });
  for (const [id, n] of [["BGNBD_EXPECTED", 4], ["PNBD_EXPECTED", 4]] as const) {
    it(`LTV.${id}`, () => {
      fc.assert(property(id, fc.tuple(params(n), range, optional(range), optional(range), optional(range))), { numRuns: RUNS });
    });
  }
  for (const [id, n] of [["BGNBD_P_ALIVE", 4], ["PNBD_P_ALIVE", 4]] as const) {
    it(`LTV.${id}`, () => {
      fc.assert(property(id, fc.tuple(params(n), range, range, range)), { numRuns: RUNS });
    });
  }
  for (const id of ["BGNBD_CLV", "PNBD_CLV"]) {
    it(`LTV.${id}`, () => {
      fc.assert(property(id, fc.tuple(params(4), range, range, range, range, value, optional(value), optional(value))), { numRuns: RUNS / 4 });
    });
  }
  it("LTV.GG_SPEND", () => {
    fc.assert(property("GG_SPEND", fc.tuple(params(3), range, range)), { numRuns: RUNS });
  });

  it("valid inputs mostly give numbers: the generator is not all errors", () => {
    // Guards the property above against passing only because every tuple is rejected.
    const numbers = fc.sample(
      fc.tuple(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true })),
      500,
    );
    for (const [m, r, d] of numbers) assert.equal(typeof fns.get("CLV")!([[m]], [[r]], d, null, null, null), "number");
  });
});
