import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { customerLifetimeValue } from "../../src/core/clv";
import { call, CustomFunctionError, DIST, loadBuiltFunctions, type Registered } from "../support/customFunctions";

/** LTV.CLV_GRID as it ships: the built bundle, called with arguments shaped as Excel passes them. */
let fns: Registered;
before(() => {
  fns = loadBuiltFunctions();
});

describe("LTV.CLV_GRID (dist/functions.js)", () => {
  it("keeps the argument order the issue fixes", () => {
    const metadata = JSON.parse(readFileSync(path.join(DIST, "functions.json"), "utf8")) as { functions: { id: string; parameters: { name: string; optional?: boolean }[] }[] };
    const f = metadata.functions.find((x) => x.id === "CLV_GRID")!;
    assert.equal(f.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", "), "margin, retention_values, discount_rates, [periods], [acquisition_cost], [timing]");
  });

  it("spills LTV.CLV with a row per retention value and a column per discount rate", () => {
    const grid = call(fns, "CLV_GRID", [[100]], [[0.7], [0.8], [0.9]], [[0.05, 0.1]], 36, 50, 1) as number[][];
    assert.equal(grid.length, 3);
    [0.7, 0.8, 0.9].forEach((retention, i) =>
      [0.05, 0.1].forEach((discountRate, j) => assert.equal(grid[i]![j], customerLifetimeValue({ margin: 100, retention, discountRate, periods: 36, acquisitionCost: 50, timing: "start" }))),
    );
  });

  it("answers a combination with no finite value with #NUM! naming it", () => {
    const result = call(fns, "CLV_GRID", [[100]], [[0.8], [1]], [[0.1, 0]]);
    assert.ok(result instanceof CustomFunctionError);
    assert.equal(result.code, "#NUM!");
    assert.match(result.message, /^row 2 \(retention 1\), column 2 \(discount rate 0\)/);
  });
});
