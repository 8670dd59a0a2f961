import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { commissionCost } from "../../src/core/commission";
import { call, CustomFunctionError, DIST, loadBuiltFunctions, type Registered } from "../support/customFunctions";
import { relativeError } from "../support/fixtures";

/**
 * The commission functions as they ship: the built dist/functions.js, called with arguments
 * shaped as Excel passes them (null for an omitted argument, ranges as rows of cells).
 */
let fns: Registered;
before(() => {
  fns = loadBuiltFunctions();
});

const column = (...values: unknown[]) => values.map((v) => [v]);
const row = (...values: unknown[]) => [values];

function expectError(result: unknown, code: string, pattern?: RegExp) {
  assert.ok(result instanceof CustomFunctionError, `expected ${code}, got ${String(result)}`);
  assert.equal(result.code, code);
  if (pattern) assert.match(result.message, pattern);
}

describe("the commission functions (dist/functions.js)", () => {
  it("keep the argument orders the issue fixes", () => {
    const metadata = JSON.parse(readFileSync(path.join(DIST, "functions.json"), "utf8")) as { functions: { id: string; parameters: { name: string; optional?: boolean }[] }[] };
    const signature = (id: string) =>
      metadata.functions
        .find((f) => f.id === id)!
        .parameters.map((p) => (p.optional ? `[${p.name}]` : p.name))
        .join(", ");
    assert.equal(signature("COMMISSION_COST"), "revenue, retention, discount_rate, commission_rate, [commission_periods], [bounty], [hold_periods], [cap], [periods], [timing]");
    assert.equal(signature("BREAKEVEN_COMMISSION"), "revenue, retention, discount_rate, max_cost, [commission_periods], [bounty], [hold_periods], [periods], [timing]");
    assert.equal(signature("TIER_RATE"), "volume, tier_starts, tier_rates, [method]");
  });

  it("give the issue's examples: 85.1323 and 0.4116", () => {
    assert.equal((call(fns, "COMMISSION_COST", [[50]], [[0.9]], 0.01, 0.2, 12, 30, 2, null, null, null) as number).toFixed(4), "85.1323");
    assert.equal((call(fns, "BREAKEVEN_COMMISSION", [[50]], [[0.9]], 0.01, 150, 12, 30, 2, null, null) as number).toFixed(4), "0.4116");
  });

  it("read empty commission periods as lifetime terms and an empty cap as none, and take ranges per period", () => {
    const lifetime = call(fns, "COMMISSION_COST", [[50]], [[0.9]], 0.01, 0.2, "", null, null, "", null, null) as number;
    assert.ok(relativeError(lifetime, (0.2 * 50 * 0.9) / (1.01 - 0.9)) < 1e-14);
    const revenue = column(40, 45, 50, 55);
    const retention = row(0.6, 0.75, 0.8, 0.85);
    const expected = commissionCost({ revenue: [40, 45, 50, 55], retention: [0.6, 0.75, 0.8, 0.85], discountRate: 0.02, rate: 0.25, cap: 30, bounty: 10, holdPeriods: 1, timing: "start" }).total;
    assert.equal(call(fns, "COMMISSION_COST", revenue, retention, 0.02, 0.25, null, 10, 1, 30, null, 1), expected);
  });

  it("give tier rates all-units and progressive", () => {
    assert.equal(call(fns, "TIER_RATE", 11, row(0, 10, 50), row(0.2, 0.25, 0.3), null), 0.25);
    assert.ok(relativeError(call(fns, "TIER_RATE", 30, column(0, 10, 50), column(0.2, 0.25, 0.3), 1) as number, 7 / 30) < 1e-15);
  });

  it("answer bad input with an error that says what is wrong", () => {
    expectError(call(fns, "COMMISSION_COST", [[50]], [[0.9]], 0.01, -0.2), "#VALUE!", /commission_rate must be zero or more; got -0.2/);
    expectError(call(fns, "COMMISSION_COST", [[50]], [[0.9]], 0.01, 0.2, null, 30, 13, null, 12), "#VALUE!", /hold_periods \(13\) is beyond the horizon of 12 periods/);
    expectError(call(fns, "COMMISSION_COST", [[50]], [[90]], 0.01, 0.2), "#VALUE!", /retention must be between 0 and 1 \(90% is 0.9\); got 90/);
    expectError(call(fns, "COMMISSION_COST", [[50]], [[1]], 0, 0.2), "#NUM!", /diverge/);
    expectError(call(fns, "BREAKEVEN_COMMISSION", [[50]], [[0.9]], 0.01, 20, 12, 30, 2), "#N/A", /bounty alone/);
    expectError(call(fns, "TIER_RATE", 5, row(0, 10, 10), row(0.1, 0.2, 0.3)), "#VALUE!", /tier_starts must ascend/);
    expectError(call(fns, "TIER_RATE", 5, row(1, 10), row(0.1, 0.2)), "#VALUE!", /tier_starts must start at 0/);
    expectError(call(fns, "TIER_RATE", 5, row(0, 10), row(0.1, 0.2), 2), "#VALUE!", /method must be 0 or 1; got 2/);
  });
});
