import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sbgSurvival } from "../../src/core/retention/shiftedBetaGeometric";
import { chartFromCells, MAX_DRAWN_SERIES } from "../../src/models/charts";
import { cohortCharts } from "../../src/models/cohort/charts";
import { buildCohortPlan, type CohortModelSettings } from "../../src/models/cohort/cohortPlan";

describe("chartFromCells: a plan's chart with the values of its cells", () => {
  it("pairs each value with its category, leaving out cells that hold no number", () => {
    const cells: Record<string, unknown[]> = { "C1:F1": [0, 1, 2, 3], "C2:F2": [1, 0.8, { error: "#N/A" }, 0.5], "C3:F3": [1, "", 0.7, null] };
    const chart = chartFromCells({ kind: "line", title: "T", categories: "C1:F1", series: [{ name: "a", values: "C2:F2" }, { name: "b", values: "C3:F3" }], from: "A1", to: "B2" }, (r) => cells[r]!);
    assert.deepEqual(chart.series, [
      { name: "a", points: [{ x: 0, y: 1 }, { x: 1, y: 0.8 }, { x: 3, y: 0.5 }] },
      { name: "b", points: [{ x: 0, y: 1 }, { x: 2, y: 0.7 }] },
    ]);
    assert.equal(chart.note, undefined);
  });

  it("reads a column chart's categories as labels, each point at its label's index", () => {
    const cells: Record<string, unknown[]> = { "A1:A3": ["North", "=x", 7], "F1:F3": [120.5, { error: "#N/A" }, -3] };
    const chart = chartFromCells({ kind: "column", title: "Net value", categories: "A1:A3", series: [{ name: "Net value", values: "F1:F3" }], from: "A1", to: "B2" }, (r) => cells[r]!);
    assert.deepEqual(chart.categories, ["North", "=x", "7"]);
    assert.deepEqual(chart.series, [{ name: "Net value", points: [{ x: 0, y: 120.5 }, { x: 2, y: -3 }] }]);
  });

  it(`draws the latest ${MAX_DRAWN_SERIES} series of a larger chart, and says so`, () => {
    const series = Array.from({ length: 30 }, (_, i) => ({ name: `c${i}`, values: "C2:D2" }));
    const chart = chartFromCells({ kind: "areaStacked", title: "T", categories: "C1:D1", series, from: "A1", to: "B2" }, () => [1, 2]);
    assert.deepEqual(chart.series.map((s) => s.name), series.slice(-MAX_DRAWN_SERIES).map((s) => s.name));
    assert.equal(chart.note, `The latest ${MAX_DRAWN_SERIES} of 30 series are drawn.`);
  });
});

describe("cohortCharts: the pane's charts of a cohort model", () => {
  const settings: CohortModelSettings = {
    revenue: 50, margin: 0.6, cac: 150, annualDiscount: 0.1, period: "month", horizon: 6, timing: "end",
    cohorts: [
      { label: "a", customers: 100, survivors: [80, 60] },
      { label: "b", customers: 200, survivors: [150] },
    ],
  };
  const fit = { alpha: 1.1, beta: 2.3, logLikelihood: -10, fittedOn: "2026-11-30" };
  const { model } = buildCohortPlan(settings, fit);
  const [survival, margin] = cohortCharts(settings, model);

  it("observed survival pools the cohorts observed at each age: (80 + 150) / 300, then 60 / 100", () => {
    assert.deepEqual(survival!.series[0]!.points, [{ x: 0, y: 1 }, { x: 1, y: 230 / 300 }, { x: 2, y: 0.6 }]);
  });

  it("the fitted curve is the sBG survival of the fit, to the horizon past the oldest cohort", () => {
    const fitted = survival!.series[1]!.points;
    assert.equal(fitted.length, 2 + 6 + 1);
    for (const { x, y } of fitted) assert.ok(Math.abs(y - sbgSurvival(fit, x)) <= 1e-12, `t = ${x}`);
  });

  it("the margin by period ahead adds up to the customer equity", () => {
    const total = margin!.series[0]!.points.reduce((s, p) => s + p.y, 0);
    assert.ok(Math.abs(total - model.customerEquity) <= 1e-9 * model.customerEquity, `${total} against ${model.customerEquity}`);
    assert.deepEqual(margin!.series[0]!.points.map((p) => p.x), [1, 2, 3, 4, 5, 6]);
  });
});
