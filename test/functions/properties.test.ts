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
    assert.ok(answer.length > 0 && answer.every((r) => Array.isArray(r) && r.every((v) => typeof v === "number" && Number.isFinite(v))), `${id} spilled a non-finite value`);
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
  it("valid inputs mostly give numbers: the generator is not all errors", () => {
    // Guards the property above against passing only because every tuple is rejected.
    const numbers = fc.sample(
      fc.tuple(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true })),
      500,
    );
    for (const [m, r, d] of numbers) assert.equal(typeof fns.get("CLV")!([[m]], [[r]], d, null, null, null), "number");
  });
});
