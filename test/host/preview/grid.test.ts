import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { heatColor, heatScale } from "../../../src/host/preview/heatMap";
import { PreviewWorkbook } from "../../../src/host/preview/previewHost";
import { buildCohortPlan, cohortInputSchema, PERIODS_PER_YEAR, type CohortFit, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { cohortGrid, defaultGrid, type GridEconomics, type GridSettings } from "../../../src/models/cohort/grid";
import { cellAddress, HEAT_MAP, parseAddress, type WorkbookPlan } from "../../../src/models/plan";
import { PreviewGrid } from "../../../src/preview/PreviewGrid";
import { ECONOMICS, triangle } from "../../support/cohorts";

/**
 * The two-way grid in the preview workbook (the project's own formula engine): the same
 * values as the core, live when the grid's inputs change, its input cells validated, and its
 * heat map kept beside the cells and coloured as Excel colours a three-colour scale.
 */
const fit: CohortFit = { alpha: 0.7, beta: 1.2, logLikelihood: -1234.5, fittedOn: "2026-12-01" };
const SHEET = "Cohort model";
const base = cohortInputSchema.parse({ ...ECONOMICS, horizon: 24, cohorts: triangle(4, 1000, 0.7, 1.2, 6) });
const alphaBeta = cohortInputSchema.parse({ ...base, timing: "end", grid: { rows: { input: "Alpha", values: [0.1, 0.7, 200] }, columns: { input: "Beta", values: [0.4, 1.2, 5000] } } });
const economics = (s: CohortModelSettings): GridEconomics => ({ revenue: s.revenue, margin: s.margin, cac: s.cac, annualDiscount: s.annualDiscount, periodsPerYear: PERIODS_PER_YEAR[s.period], horizon: s.horizon, builtHorizon: s.horizon, timing: s.timing, alpha: fit.alpha, beta: fit.beta, tRow: 27 });
const ref = (plan: WorkbookPlan, name: string) => plan.sheets[0]!.names.find((n) => n.name === name)!.ref.replace(/\$/g, "");
function cells(range: string): string[][] {
  const [from, to] = range.split(":") as [string, string];
  const a = parseAddress(from);
  const b = parseAddress(to);
  return Array.from({ length: b.row - a.row + 1 }, (_, i) => Array.from({ length: b.column - a.column + 1 }, (_, j) => cellAddress(a.row + i, a.column + j)));
}
const close = (got: unknown, want: number) => typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));

function build(settings: CohortModelSettings) {
  const workbook = new PreviewWorkbook();
  const built = buildCohortPlan(settings, fit);
  const result = workbook.applyPlan(built.plan);
  return { workbook, plan: built.plan, result };
}

function gridDiffers(workbook: PreviewWorkbook, plan: WorkbookPlan, want: number[][]): string[] {
  const wrong: string[] = [];
  cells(ref(plan, "Grid_Values")).forEach((row, i) =>
    row.forEach((a, j) => {
      const got = workbook.values(SHEET, a)[0]![0];
      if (!close(got, want[i]![j]!)) wrong.push(`${a}: expected ${want[i]![j]}, the engine computed ${String(got)}`);
    }),
  );
  return wrong;
}

describe("the two-way grid in the preview workbook", () => {
  for (const [what, settings] of [["margin × annual discount rate (the default)", base], ["alpha × beta, large ones too", alphaBeta]] as const) {
    it(`${what}: every grid cell equals the core`, () => {
      const { workbook, plan } = build(settings);
      assert.equal(workbook.values(SHEET, "B18")[0]![0], "OK");
      assert.deepEqual(gridDiffers(workbook, plan, cohortGrid(economics(settings), settings.grid ?? defaultGrid(settings))), []);
    });
  }

  it("follows GridRowInput and GridColumnInput as they are changed, and refuses what their validation refuses", () => {
    const { workbook, plan } = build(base);
    const grid = defaultGrid(base);
    const rowInput = ref(plan, "GridRowInput");
    const columnInput = ref(plan, "GridColumnInput");
    assert.equal(workbook.enter(SHEET, rowInput, "Beta"), undefined);
    assert.equal(workbook.enter(SHEET, columnInput, "Revenue"), undefined);
    const changed: GridSettings = { rows: { input: "Beta", values: grid.rows.values }, columns: { input: "Revenue", values: grid.columns.values } };
    assert.deepEqual(gridDiffers(workbook, plan, cohortGrid(economics(base), changed)), []);
    // Refused: not an input; a value outside the chosen input's range (Beta must be above 0, Revenue 0 or more).
    assert.match(workbook.enter(SHEET, rowInput, "Churn")?.message ?? "", /GridRowInput must be one of Revenue, Margin/);
    const firstRow = cells(ref(plan, "Grid_RowValues"))[0]![0]!;
    const firstColumn = cells(ref(plan, "Grid_ColumnValues"))[0]![0]!;
    assert.match(workbook.enter(SHEET, firstRow, 0)?.message ?? "", /A value of Grid_RowValues must be in its range/);
    assert.match(workbook.enter(SHEET, firstColumn, -5)?.message ?? "", /A value of Grid_ColumnValues must be in its range/);
    assert.equal(workbook.enter(SHEET, firstColumn, 0), undefined, "a revenue of 0 is in range");
    assert.equal(workbook.enter(SHEET, columnInput, "Horizon"), undefined);
    // The column values (0 and discount rates) are no horizons: the check says so, and the grid answers #N/A.
    assert.match(String(workbook.values(SHEET, "B18")[0]![0]), /a grid column value is outside the range of GridColumnInput/);
    assert.match(workbook.enter(SHEET, firstColumn, 2.5)?.message ?? "", /A value of Grid_ColumnValues must be in its range/);
    assert.equal(workbook.enter(SHEET, firstColumn, 12), undefined, "a whole horizon up to the one built is in range");
  });

  it("keeps the heat map beside the cells: colours by the grid's own values, recorded, put back with a failed rebuild", () => {
    const { workbook, plan, result } = build(base);
    const range = ref(plan, "Grid_Values");
    assert.deepEqual(result.written.sheets[0]!.heatMaps, [{ range }]);
    const [heat, ...others] = workbook.heatMapsOf(SHEET);
    assert.equal(others.length, 0);
    const grid = cells(range);
    assert.deepEqual([heat!.top, heat!.left, heat!.bottom, heat!.right], [parseAddress(grid[0]![0]!).row, parseAddress(grid[0]![0]!).column, parseAddress(grid.at(-1)!.at(-1)!).row, parseAddress(grid.at(-1)!.at(-1)!).column]);
    const values = grid.flat().map((a) => workbook.values(SHEET, a)[0]![0] as number);
    const sorted = [...values].sort((a, b) => a - b);
    const at = (v: number) => heat!.color(v);
    assert.equal(at(sorted[0]!), HEAT_MAP.low);
    assert.equal(at(sorted.at(-1)!), HEAT_MAP.high);
    assert.equal(at(sorted[Math.floor(sorted.length / 2)]!), HEAT_MAP.mid, "25 values: the 13th is the median");
    assert.equal(heat!.color("text"), undefined);
    // The colours follow the values: after an edit the lowest value is another cell's.
    workbook.enter(SHEET, ref(plan, "GridRowInput"), "Beta");
    const after = workbook.heatMapsOf(SHEET)[0]!;
    const now = grid.flat().map((a) => workbook.values(SHEET, a)[0]![0] as number);
    assert.equal(after.color(Math.min(...now)), HEAT_MAP.low);
    assert.notEqual(after.color(Math.min(...values)), HEAT_MAP.low);

    // A rebuild with a smaller grid moves the heat map; a failed one puts the old back.
    const smaller = buildCohortPlan(cohortInputSchema.parse({ ...base, grid: { rows: { input: "CAC", values: [0, 200] }, columns: { input: "Revenue", values: [10, 20, 30] } } }), fit).plan;
    workbook.failAtWrite = 3;
    assert.throws(() => workbook.applyPlan(smaller, { previous: result.written }), /could not be written/);
    assert.deepEqual(workbook.heatMaps.get(workbook.sheetId(SHEET)), [{ range }]);
    const rebuilt = workbook.applyPlan(smaller, { previous: result.written });
    assert.deepEqual(workbook.heatMaps.get(workbook.sheetId(SHEET)), [{ range: ref(smaller, "Grid_Values") }]);
    assert.deepEqual(rebuilt.written.sheets[0]!.heatMaps, [{ range: ref(smaller, "Grid_Values") }]);
    assert.notEqual(ref(smaller, "Grid_Values"), range);
  });
});

describe("the preview's grid of cells", () => {
  it("fills the heat map's cells with their colours: the lowest red, the highest green; an input's fill stays its own", () => {
    const { workbook, plan } = build(cohortInputSchema.parse({ ...base, horizon: 6 }));
    const html = renderToString(createElement(PreviewGrid, { workbook }));
    const fill = (address: string) => new RegExp(`data-cell="${address}"[^>]*style="[^"]*background-color:([^;"]+)`).exec(html)?.[1];
    const grid = cells(ref(plan, "Grid_Values")).flat();
    const values = grid.map((a) => workbook.values(SHEET, a)[0]![0] as number);
    assert.equal(fill(grid[values.indexOf(Math.min(...values))]!), HEAT_MAP.low);
    assert.equal(fill(grid[values.indexOf(Math.max(...values))]!), HEAT_MAP.high);
    assert.equal(new Set(grid.map(fill)).size, grid.length, "every grid cell has a colour, each its own");
    assert.equal(fill(cells(ref(plan, "Grid_RowValues"))[0]![0]!)?.toUpperCase(), "#FFF2CC", "the header's input fill");
    assert.equal(fill("B20"), undefined, "no colour outside the heat map");
  });
});

describe("a heat map's colours (the preview's colour scale)", () => {
  it("takes the 50th percentile as Excel's PERCENTILE does, and skips what is not a number", () => {
    assert.deepEqual(heatScale([3, 1, "x", null, 2, 10]), { min: 1, mid: 2.5, max: 10 });
    assert.deepEqual(heatScale([5]), { min: 5, mid: 5, max: 5 });
    assert.equal(heatScale(["a", null]), undefined);
  });

  it("blends linearly: red at the lowest, yellow at the median, green at the highest", () => {
    const scale = { min: 0, mid: 10, max: 20 };
    assert.equal(heatColor(0, scale), HEAT_MAP.low);
    assert.equal(heatColor(10, scale), HEAT_MAP.mid);
    assert.equal(heatColor(20, scale), HEAT_MAP.high);
    assert.equal(heatColor(-5, scale), HEAT_MAP.low);
    // Halfway between #F8696B and #FFEB84: each channel's mean, rounded.
    assert.equal(heatColor(5, scale), "#FCAA78");
    assert.equal(heatColor(15, scale), "#B1D580");
    assert.equal(heatColor(Number.NaN, scale), undefined);
    assert.equal(heatColor(3, { min: 3, mid: 3, max: 3 }), HEAT_MAP.mid, "one value throughout: the middle colour");
  });
});
