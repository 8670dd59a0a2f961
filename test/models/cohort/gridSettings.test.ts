import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { twoWay } from "../../../src/core/sensitivity";
import { buildCohortPlan, cohortInputSchema, type CohortFit } from "../../../src/models/cohort/cohortPlan";
import { cohortGrid, defaultGrid, GRID_INPUTS } from "../../../src/models/cohort/grid";
import { readCohortSettings } from "../../../src/models/cohort/settings";
import { writtenValidationSchema } from "../../../src/models/written";
import { ECONOMICS, triangle } from "../../support/cohorts";

/** The grid's settings: what the schema refuses and says, the default, the core's grid. */
const base = { ...ECONOMICS, horizon: 24, cohorts: triangle(2, 500, 0.7, 1.2, 4) };
const fit: CohortFit = { alpha: 0.7, beta: 1.2, logLikelihood: -1, fittedOn: "2026-12-01" };
const problems = (grid: unknown, extra: object = {}) => {
  const parsed = cohortInputSchema.safeParse({ ...base, ...extra, grid });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("the grid's settings", () => {
  it("accept two distinct inputs with 2 to 25 values each, in their ranges", () => {
    assert.deepEqual(problems({ rows: { input: "Alpha", values: [0.1, 5] }, columns: { input: "Horizon", values: [1, 24] } }), []);
    assert.deepEqual(problems(undefined), []);
  });

  it("refuse, saying what to fix", () => {
    const cases: [unknown, RegExp, object?][] = [
      [{ rows: { input: "Margin", values: [0.5, 0.6] }, columns: { input: "Margin", values: [0.1, 0.2] } }, /^grid\.columns\.input: the rows and the columns both vary Margin: pick two different inputs$/],
      [{ rows: { input: "Margin", values: [0.5, 60] }, columns: { input: "CAC", values: [1, 2] } }, /^grid\.rows\.values\.1: grid rows, value 2: Margin must be a fraction from 0 to 1 \(60% is 0\.6\); got 60$/],
      [{ rows: { input: "Churn", values: [1, 2] }, columns: { input: "CAC", values: [1, 2] } }, /^grid\.rows\.input: the input must be one of Revenue, Margin, CAC, AnnualDiscount, Alpha, Beta, Horizon$/],
      [{ rows: { input: "CAC", values: [1] }, columns: { input: "Revenue", values: [1, 2] } }, /^grid\.rows\.values: give at least 2 values$/],
      [{ rows: { input: "CAC", values: Array.from({ length: 26 }, (_, i) => i) }, columns: { input: "Revenue", values: [1, 2] } }, /^grid\.rows\.values: give at most 25 values$/],
      [{ rows: { input: "CAC", values: [1, -3] }, columns: { input: "Revenue", values: [1, 2] } }, /CAC must be an amount, 0 or more; got -3/],
      [{ rows: { input: "CAC", values: [1, 2] }, columns: { input: "AnnualDiscount", values: [0.1, 10] } }, /^grid\.columns\.values\.1: grid columns, value 2: AnnualDiscount must be a yearly rate above -1 and at most 1 \(10% is 0\.1\); got 10$/],
      [{ rows: { input: "Alpha", values: [0, 1] }, columns: { input: "Beta", values: [1, 2] } }, /Alpha must be a number above 0; got 0/],
      [{ rows: { input: "Horizon", values: [6, 2.5] }, columns: { input: "Beta", values: [1, 2] } }, /Horizon must be a whole number of periods from 1 to 600; got 2\.5/],
      [{ rows: { input: "Horizon", values: [6, 36] }, columns: { input: "Beta", values: [1, 2] } }, /^grid\.rows\.values\.1: grid rows, value 2: Horizon must be a whole number of periods from 1 to 24; got 36$/],
      [{ rows: { input: "CAC", values: [1, Number.POSITIVE_INFINITY] }, columns: { input: "Revenue", values: [1, 2] } }, /each value must be a finite number/],
      [
        { rows: { input: "CAC", values: Array.from({ length: 25 }, (_, i) => i) }, columns: { input: "Revenue", values: Array.from({ length: 25 }, (_, i) => i) } },
        /^grid\.rows\.values: the grid's 25 × 25 values over a 600-period horizon need 375,625 cells of survival \(one row per grid cell\); at most 100,000: give fewer values or use a shorter horizon$/,
        { horizon: 600, cohorts: triangle(1, 500, 0.7, 1.2, 2) },
      ],
    ];
    for (const [grid, message, extra] of cases) {
      const found = problems(grid, extra);
      assert.ok(found.some((p) => message.test(p)), `${JSON.stringify(grid).slice(0, 80)}: ${JSON.stringify(found)}`);
    }
  });

  it("say a horizon value's problem once", () => {
    const found = problems({ rows: { input: "Horizon", values: [6, 2.5] }, columns: { input: "Beta", values: [1, 2] } });
    assert.equal(found.filter((p) => p.startsWith("grid.rows.values.1")).length, 1, JSON.stringify(found));
  });

  it("are saved with the model's settings and read back", () => {
    const grid = { rows: { input: "Beta", values: [0.5, 2] }, columns: { input: "CAC", values: [0, 50] } };
    const blob = { version: 2, source: { kind: "range", address: "Data!A1:I8" }, economics: { ...ECONOMICS, horizon: 24, grid } };
    assert.deepEqual(readCohortSettings(JSON.stringify(blob)).settings?.economics.grid, grid);
    assert.match(readCohortSettings(JSON.stringify({ ...blob, economics: { ...blob.economics, grid: { ...grid, columns: grid.rows } } })).problem!, /economics\.grid\.columns\.input: the rows and the columns both vary Beta/);
  });

  it("default to margin around the model's (at most 1) × annual discount rates of 5% to 15% and the model's", () => {
    assert.deepEqual(defaultGrid({ margin: 0.6, annualDiscount: 0.1 }), { rows: { input: "Margin", values: [0.48, 0.54, 0.6, 0.66, 0.72] }, columns: { input: "AnnualDiscount", values: [0.05, 0.08, 0.1, 0.12, 0.15] } });
    assert.deepEqual(defaultGrid({ margin: 0.9, annualDiscount: 0.2 }).rows.values, [0.72, 0.81, 0.9, 0.99, 1]);
    assert.deepEqual(defaultGrid({ margin: 1, annualDiscount: 0.2 }).rows.values, [0.8, 0.9, 1]);
    assert.deepEqual(defaultGrid({ margin: 0, annualDiscount: 0 }).rows.values, [0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(defaultGrid({ margin: 0.5, annualDiscount: 0.2 }).columns.values, [0.05, 0.08, 0.1, 0.12, 0.15, 0.2]);
    assert.deepEqual(defaultGrid({ margin: 0.5, annualDiscount: -0.02 }).columns.values, [-0.02, 0.05, 0.08, 0.1, 0.12, 0.15]);
    for (const margin of [0, 0.3, 1]) for (const annualDiscount of [-0.5, 0, 0.1, 1]) assert.deepEqual(problems(defaultGrid({ margin, annualDiscount })), [], `${margin}, ${annualDiscount}`);
  });

  it("validated list of the grid's inputs and its values' conditions fit the saved record of what was written", () => {
    const { plan } = buildCohortPlan(cohortInputSchema.parse(base), fit);
    const grid = plan.sheets[0]!.validations!.filter((v) => /^Grid/.test(v.prompt.title));
    assert.equal(grid.length, 4);
    for (const v of grid) assert.ok(writtenValidationSchema.safeParse(v).success, v.prompt.title);
    assert.deepEqual(grid[0]!.rule, { kind: "list", values: [...GRID_INPUTS] });
  });
});

describe("the core's grid", () => {
  it("two-way: each row value with each column value, the other inputs at base", () => {
    const out = twoWay<"a" | "b" | "c">({ a: 1, b: 2, c: 3 }, { input: "a", values: [10, 20] }, { input: "c", values: [100, 200, 300] }, (v) => v.a + v.b + v.c);
    assert.deepEqual(out, [[112, 212, 312], [122, 222, 322]]);
    assert.throws(() => twoWay({ a: 1 }, { input: "a", values: [1] }, { input: "a", values: [2] }, (v) => v.a), /two different inputs/);
  });

  it("at the model's own values, the model's CLV of a new customer; the horizon moves it as the model's own horizon does", () => {
    for (const timing of ["start", "end"] as const) {
      const settings = cohortInputSchema.parse({ ...base, timing });
      const e = { revenue: settings.revenue, margin: settings.margin, cac: settings.cac, annualDiscount: settings.annualDiscount, periodsPerYear: 12, horizon: settings.horizon, builtHorizon: settings.horizon, timing, alpha: fit.alpha, beta: fit.beta, tRow: 27 };
      const grid = cohortGrid(e, { rows: { input: "Margin", values: [settings.margin] }, columns: { input: "Horizon", values: [settings.horizon, 6] } });
      const clv = (horizon: number) => buildCohortPlan(cohortInputSchema.parse({ ...settings, horizon }), fit).model.clvNewCustomer;
      assert.ok(Math.abs(grid[0]![0]! - clv(24)) < 1e-9, `${grid[0]![0]} against ${clv(24)}`);
      assert.ok(Math.abs(grid[0]![1]! - clv(6)) < 1e-9, `${grid[0]![1]} against ${clv(6)}`);
    }
  });
});
