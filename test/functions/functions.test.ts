import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { acquisitionVersusRetention, cacPayback, clvSchedule, customerLifetimeValue, periodicRate, retentionRoi } from "../../src/core/clv";
import { call, CustomFunctionError, DIST, loadBuiltFunctions, type Registered } from "../support/customFunctions";

/**
 * Tests of what ships: the built dist/functions.js, loaded as Excel loads it, called through
 * the ids it registers, with arguments shaped as Excel passes them (ranges as rows of
 * cells, null for an omitted argument, "" for an empty cell).
 */
let fns: Registered;
before(() => {
  fns = loadBuiltFunctions();
});

const column = (...values: unknown[]) => values.map((v) => [v]);
const row = (...values: unknown[]) => [values];
const scalar = (v: unknown) => [[v]];

function expectError(result: unknown, code: string, pattern?: RegExp) {
  assert.ok(result instanceof CustomFunctionError, `expected ${code}, got ${String(result)}`);
  assert.equal(result.code, code);
  if (pattern) assert.match(result.message, pattern);
}

describe("dist/functions.js", () => {
  it("registers every function of functions.json, and only those", () => {
    const metadata = JSON.parse(readFileSync(path.join(DIST, "functions.json"), "utf8")) as { functions: { id: string }[] };
    assert.deepEqual([...fns.keys()].sort(), metadata.functions.map((f) => f.id).sort());
    for (const id of ["CLV", "RETENTION_ROI", "ACQ_VS_RETAIN", "PERIODIC_RATE", "CAC_PAYBACK", "CLV_SCHEDULE"]) assert.ok(fns.has(id), id);
  });

  it("LTV.CLV gives the issue's examples, with omitted arguments as Excel passes them", () => {
    assert.equal((call(fns, "CLV", scalar(100), scalar(0.8), 0.1, null, null, null) as number).toFixed(4), "266.6667");
    assert.equal((call(fns, "CLV", scalar(100), scalar(0.8), 0.1, null, null, 1) as number).toFixed(4), "366.6667");
    assert.equal((call(fns, "CLV", scalar(100), scalar(0.8), 0.1, 3) as number).toFixed(4), "164.0872");
    assert.equal(call(fns, "CLV", scalar(5000), scalar(1), 0, 5), 25000);
    assert.equal(call(fns, "CLV", scalar(200), scalar(1), 0, 3), 600);
    // An empty cell for an optional argument means "omitted".
    assert.equal(call(fns, "CLV", scalar(100), scalar(0.8), 0.1, "", "", ""), call(fns, "CLV", scalar(100), scalar(0.8), 0.1));
  });

  it("LTV.CLV over ranges equals the core, whether the range is a row or a column", () => {
    const margins = Array.from({ length: 120 }, (_, i) => 50 + i);
    const retentions = Array.from({ length: 120 }, (_, i) => 0.8 + 0.15 * (i / 120));
    const expected = customerLifetimeValue({ margin: margins, retention: retentions, discountRate: 0.01, acquisitionCost: 300, timing: "start" });
    assert.equal(call(fns, "CLV", column(...margins), row(...retentions), 0.01, null, 300, 1), expected);
    assert.equal(call(fns, "CLV", row(...margins), column(...retentions), 0.01, null, 300, 1), expected);
    // Empty cells after the data are ignored: a range may be selected longer than the data.
    assert.equal(call(fns, "CLV", column(...margins, "", ""), row(...retentions, null), 0.01, null, 300, 1), expected);
  });

  it("the companions equal the core", () => {
    assert.equal(
      call(fns, "RETENTION_ROI", 1000, scalar(0.8), scalar(0.85), scalar(100), 50000, 0.1),
      retentionRoi({ customers: 1000, retentionBefore: 0.8, retentionAfter: 0.85, margin: 100, programCost: 50000, discountRate: 0.1 }),
    );
    assert.equal((call(fns, "RETENTION_ROI", 1000, scalar(0.8), scalar(0.85), scalar(100), 50000, 0.1) as number).toFixed(4), "0.4667");
    assert.equal(call(fns, "ACQ_VS_RETAIN", 500, 1000, 50, 1000), 10);
    assert.equal(call(fns, "ACQ_VS_RETAIN", 500, 1000, 50, 1000, 1), 500);
    assert.equal(
      call(fns, "ACQ_VS_RETAIN", 500, 1000, 50, 900, 2),
      acquisitionVersusRetention({ acquisitionCost: 500, newCustomerClv: 1000, retentionCost: 50, retainedCustomerClv: 900, result: 2 }),
    );
    assert.equal(call(fns, "PERIODIC_RATE", 0.1, 12), periodicRate(0.1, 12));
    assert.equal(call(fns, "CAC_PAYBACK", scalar(40), scalar(0.9), 0.01, 100), cacPayback({ margin: 40, retention: 0.9, discountRate: 0.01, acquisitionCost: 100 }));
    // The bundle runs in its own realm: compare the spilled rows as plain data.
    assert.deepEqual(
      JSON.parse(JSON.stringify(call(fns, "CLV_SCHEDULE", scalar(100), scalar(0.8), 0.1, 12, 50))),
      clvSchedule({ margin: 100, retention: 0.8, discountRate: 0.1, periods: 12, acquisitionCost: 50 }),
    );
  });

  it("gives the README's other worked examples", () => {
    assert.equal(call(fns, "CAC_PAYBACK", scalar(40), scalar(0.9), 0, 100), 4);
    const schedule = JSON.parse(JSON.stringify(call(fns, "CLV_SCHEDULE", scalar(100), scalar(0.8), 0.1, 3))) as number[][];
    assert.deepEqual(schedule.map((r) => r.map((v) => Number(v.toFixed(2)))), [
      [1, 0.8, 0.91, 72.73, 72.73],
      [2, 0.64, 0.83, 52.89, 125.62],
      [3, 0.51, 0.75, 38.47, 164.09],
    ]);
    assert.equal((call(fns, "PERIODIC_RATE", 0.1, 12) as number).toFixed(6), "0.007974");
  });

  it("answers bad input with an Excel error that names the argument and the rule", () => {
    expectError(call(fns, "CLV", scalar(100), scalar(80), 0.1), "#VALUE!", /retention must be between 0 and 1 \(80% is 0\.8\); got 80/);
    expectError(call(fns, "CLV", scalar("abc"), scalar(0.8), 0.1), "#VALUE!", /margin must be a number; got text "abc"/);
    expectError(call(fns, "CLV", scalar(true), scalar(0.8), 0.1), "#VALUE!", /margin must be a number; got TRUE/);
    expectError(call(fns, "CLV", scalar(100), scalar(0.8), ""), "#VALUE!", /discount_rate is empty/);
    expectError(call(fns, "CLV", [[1, 2], [3, 4]], scalar(0.8), 0.1), "#VALUE!", /margin must be a single number, one row or one column; got a range of 2 rows × 2 columns/);
    expectError(call(fns, "CLV", column(1, "", 3), scalar(0.8), 0.1), "#VALUE!", /margin \(value 2 of 3\) is empty/);
    expectError(call(fns, "CLV", scalar(100), scalar(0.8), 0.1, null, null, 2), "#VALUE!", /timing must be 0 or 1; got 2/);
    expectError(call(fns, "CLV", scalar(100), scalar(1), 0), "#NUM!");
    expectError(call(fns, "RETENTION_ROI", 1000, scalar(0.8), scalar(0.85), scalar(100), 0), "#DIV/0!");
    expectError(call(fns, "ACQ_VS_RETAIN", 500, 1000, 0, 1000), "#DIV/0!");
    expectError(call(fns, "CAC_PAYBACK", scalar(100), scalar(0.5), 0.1, 1000), "#N/A");
    expectError(call(fns, "ACQ_VS_RETAIN", 500, 1000, 50, 1000, 3), "#VALUE!", /result must be 0, 1 or 2; got 3/);
  });
});

describe("dist/functions.json", () => {
  const metadata = () =>
    JSON.parse(readFileSync(path.join(DIST, "functions.json"), "utf8")) as {
      functions: { id: string; name: string; description?: string; parameters: { name: string; description?: string; optional?: boolean }[] }[];
    };

  it("describes every function and every parameter", () => {
    for (const fn of metadata().functions) {
      assert.ok(fn.description && fn.description.length > 20, `${fn.id} has no description`);
      assert.equal(fn.name, fn.id);
      for (const p of fn.parameters) assert.ok(p.description && p.description.length > 10, `${fn.id}(${p.name}) has no description`);
    }
  });

  it("keeps the public argument orders", () => {
    const signature = (id: string) =>
      metadata()
        .functions.find((f) => f.id === id)!
        .parameters.map((p) => (p.optional ? `[${p.name}]` : p.name))
        .join(", ");
    assert.equal(signature("CLV"), "margin, retention, discount_rate, [periods], [acquisition_cost], [timing]");
    assert.equal(
      signature("RETENTION_ROI"),
      "customers, retention_before, retention_after, margin, program_cost, [discount_rate], [periods], [timing]",
    );
    assert.equal(signature("ACQ_VS_RETAIN"), "acquisition_cost, new_customer_clv, retention_cost, retained_customer_clv, [result]");
    assert.equal(signature("PERIODIC_RATE"), "annual_rate, periods_per_year");
    assert.equal(signature("CAC_PAYBACK"), "margin, retention, discount_rate, acquisition_cost, [timing]");
    assert.equal(signature("CLV_SCHEDULE"), "margin, retention, discount_rate, [periods], [acquisition_cost], [timing]");
  });
});

describe("the functions bundle", () => {
  it("carries no React and no Fluent UI, and stays small", () => {
    const file = path.join(DIST, "functions.js");
    const source = readFileSync(file, "utf8");
    assert.doesNotMatch(source, /react|fluentui|__SECRET_INTERNALS/i);
    // 160 KiB: about 110 KiB of script and the likelihoods' WebAssembly kernels, 11.5 KB written as an
    // array literal of 34 KB (a literal costs the first fit nothing; decoding denser text, 0.3–0.5 ms).
    // React alone would add several times as much.
    assert.ok(statSync(file).size < 160 * 1024, `functions.js is ${statSync(file).size} bytes`);
  });
});
