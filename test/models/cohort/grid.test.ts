import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import JSZip from "jszip";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { buildCohortPlan, cohortInputSchema, PERIODS_PER_YEAR, type CohortFit, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { cohortGrid, type GridEconomics, type GridSettings } from "../../../src/models/cohort/grid";
import { cellAddress, HEAT_MAP, parseAddress, type CellContent, type WorkbookPlan } from "../../../src/models/plan";
import { ECONOMICS, triangle } from "../../support/cohorts";
import { convertWithLibreOffice, readValues, recalculateWithLibreOffice, type ReadCell } from "../../support/libreoffice";
import { withCell } from "../../support/plans";

/**
 * The two-way grid of the cohort model in a real spreadsheet engine: plans written to .xlsx,
 * recalculated by LibreOffice Calc, every grid cell against the core (customerLifetimeValue
 * over the sBG retention, 1e-9 relative); the inputs changed in the file (GridRowInput,
 * GridColumnInput, a value) and recalculated; the heat map in the file and kept by LibreOffice.
 */
const fit: CohortFit = { alpha: 0.7, beta: 1.2, logLikelihood: -1234.5, fittedOn: "2026-12-01" };
const base = { ...ECONOMICS, horizon: 24, cohorts: triangle(3, 1000, 0.7, 1.2, 6) };

const cases: [string, CohortModelSettings][] = [
  ["the default: margin × annual discount rate", cohortInputSchema.parse(base)],
  [
    "alpha × beta, large ones too, margins at the end of each quarter",
    cohortInputSchema.parse({ ...base, timing: "end", period: "quarter", horizon: 16, grid: { rows: { input: "Alpha", values: [0.05, 0.7, 3, 250] }, columns: { input: "Beta", values: [0.3, 1.2, 9, 4000] } } }),
  ],
  ["CAC × revenue", cohortInputSchema.parse({ ...base, grid: { rows: { input: "CAC", values: [0, 100, 250] }, columns: { input: "Revenue", values: [10, 50, 120, 0] } } })],
  ["horizon × margin, yearly", cohortInputSchema.parse({ ...base, period: "year", horizon: 12, grid: { rows: { input: "Horizon", values: [1, 2, 7, 12] }, columns: { input: "Margin", values: [0.2, 1] } } })],
];

const economics = (s: CohortModelSettings): GridEconomics => ({ revenue: s.revenue, margin: s.margin, cac: s.cac, annualDiscount: s.annualDiscount, periodsPerYear: PERIODS_PER_YEAR[s.period], horizon: s.horizon, builtHorizon: s.horizon, timing: s.timing, alpha: fit.alpha, beta: fit.beta, tRow: 27 });
const built = cases.map(([, settings]) => buildCohortPlan(settings, fit, { withExpected: true }));
const sheetOf = (plan: WorkbookPlan) => plan.sheets[0]!;
const ref = (plan: WorkbookPlan, name: string) => sheetOf(plan).names.find((n) => n.name === name)!.ref.replace(/\$/g, "");
/** The cells of an A1 range, row by row. */
function cells(range: string): string[][] {
  const [from, to] = range.split(":") as [string, string];
  const a = parseAddress(from);
  const b = parseAddress(to);
  return Array.from({ length: b.row - a.row + 1 }, (_, i) => Array.from({ length: b.column - a.column + 1 }, (_, j) => cellAddress(a.row + i, a.column + j)));
}
const close = (got: ReadCell | undefined, want: number) => typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));

/** The default case with cells typed over, and what the grid must then show (or the check say). */
const plan0 = built[0]!.plan;
const withCells = (changes: [string, CellContent][]) => changes.reduce((p, [at, v]) => withCell(p, at, v), plan0);
const rowInput = ref(plan0, "GridRowInput");
const columnInput = ref(plan0, "GridColumnInput");
const firstRowValue = cells(ref(plan0, "Grid_RowValues"))[0]![0]!;
const firstColumnValue = cells(ref(plan0, "Grid_ColumnValues"))[0]![0]!;
const grid0 = cases[0]![1].grid ?? { rows: { input: "Margin" as const, values: [0.48, 0.54, 0.6, 0.66, 0.72] }, columns: { input: "AnnualDiscount" as const, values: [0.05, 0.08, 0.1, 0.12, 0.15] } };
const live: [string, [string, CellContent][], GridSettings][] = [
  ["GridRowInput to Alpha and GridColumnInput to Margin", [[rowInput, "Alpha"], [columnInput, "Margin"]], { rows: { ...grid0.rows, input: "Alpha" }, columns: { ...grid0.columns, input: "Margin" } }],
  ["a row value and a column value typed over", [[firstRowValue, 0.25], [firstColumnValue, -0.02]], { rows: { ...grid0.rows, values: [0.25, ...grid0.rows.values.slice(1)] }, columns: { ...grid0.columns, values: [-0.02, ...grid0.columns.values.slice(1)] } }],
];
const refused: [string, [string, CellContent][], RegExp][] = [
  ["GridRowInput not an input", [[rowInput, "Churn"]], /GridRowInput must be one of Revenue, Margin, CAC, AnnualDiscount, Alpha, Beta, Horizon \(B\d+\)/],
  ["both inputs the same", [[rowInput, "AnnualDiscount"]], /GridRowInput and GridColumnInput must be two different inputs/],
  ["a margin of 60 (meaning 60%) down the rows", [[firstRowValue, 60]], /a grid row value is outside the range of GridRowInput/],
  ["a row value as text", [[firstRowValue, "high"]], /every grid row value must be a number/],
  ["a horizon of 2.5 across the columns", [[columnInput, "Horizon"], [firstColumnValue, 2.5]], /a grid column value is outside the range of GridColumnInput/],
];

let values: Map<string, ReadCell>[] = [];
let liveValues: Map<string, ReadCell>[] = [];
let refusedValues: Map<string, ReadCell>[] = [];
let written = "";
let savedByLibreOffice = "";
let ods = "";

before(async () => {
  const plans = [...built.map((b) => b.plan), ...live.map(([, changes]) => withCells(changes)), ...refused.map(([, changes]) => withCells(changes))];
  const files = await Promise.all(plans.map(writeXlsx));
  written = await (await JSZip.loadAsync(files[0]!)).file("xl/worksheets/sheet1.xml")!.async("string");
  const recalculated = recalculateWithLibreOffice(files);
  const read = await Promise.all(recalculated.map((f) => readValues(f, "Cohort model")));
  values = read.slice(0, built.length);
  liveValues = read.slice(built.length, built.length + live.length);
  refusedValues = read.slice(built.length + live.length);
  savedByLibreOffice = await (await JSZip.loadAsync(readFileSync(recalculated[0]!))).file("xl/worksheets/sheet1.xml")!.async("string");
  const [odsFile] = convertWithLibreOffice([files[0]!], "ods");
  ods = await (await JSZip.loadAsync(readFileSync(odsFile!))).file("content.xml")!.async("string");
});

describe("the cohort model's two-way grid recalculated by LibreOffice Calc", { timeout: 600_000 }, () => {
  cases.forEach(([name, settings], k) => {
    it(`${name}: every grid cell equals the core, and the rest of the sheet too`, () => {
      const { plan, expected } = built[k]!;
      const grid = settings.grid ?? grid0;
      const want = cohortGrid(economics(settings), grid);
      const addresses = cells(ref(plan, "Grid_Values"));
      assert.equal(addresses.length, grid.rows.values.length);
      assert.equal(addresses[0]!.length, grid.columns.values.length);
      const wrong: string[] = [];
      addresses.forEach((row, i) => row.forEach((a, j) => {
        const got = values[k]!.get(a);
        if (!close(got, want[i]![j]!)) wrong.push(`${a}: expected ${want[i]![j]}, LibreOffice computed ${JSON.stringify(got)}`);
      }));
      // The plan's own expectations (the tornado, the headline results, …) hold as well.
      for (const [a, v] of expected) if (typeof v === "number" ? !close(values[k]!.get(a), v) : values[k]!.get(a) !== v) wrong.push(`${a}: expected ${v}, got ${JSON.stringify(values[k]!.get(a))}`);
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} cells differ`);
      assert.equal(values[k]!.get("B18"), "OK");
    });
  });

  it("a grid over the horizon at the built horizon equals the sheet's own CLV of a new customer", () => {
    const k = 3;
    const last = cells(ref(built[k]!.plan, "Grid_Values")).at(-1)!;
    // Horizon 12 (the last row) at margin 0.2 and 1: the model's CLV with that margin.
    const clv = values[k]!.get("B20") as number;
    const margin = cases[k]![1].margin;
    const revenue = cases[k]![1].revenue;
    const cac = cases[k]![1].cac;
    const perUnit = (clv + cac) / (revenue * margin);
    assert.ok(close(values[k]!.get(last[0]!), revenue * 0.2 * perUnit - cac), String(values[k]!.get(last[0]!)));
    assert.ok(close(values[k]!.get(last[1]!), revenue * 1 * perUnit - cac), String(values[k]!.get(last[1]!)));
  });

  it("labels the grid with the inputs chosen, and follows them when they change", () => {
    const header = parseAddress(firstColumnValue).row;
    assert.equal(values[0]!.get(`A${header}`), "CLV: Margin down, AnnualDiscount across");
    assert.equal(liveValues[0]!.get(`A${header}`), "CLV: Alpha down, Margin across");
  });

  live.forEach(([what, , grid], k) => {
    it(`${what}: the grid recalculates to the core's values`, () => {
      const want = cohortGrid(economics(cases[0]![1]), grid);
      const got = liveValues[k]!;
      assert.equal(got.get("B18"), "OK");
      const wrong: string[] = [];
      cells(ref(plan0, "Grid_Values")).forEach((row, i) => row.forEach((a, j) => !close(got.get(a), want[i]![j]!) && wrong.push(`${a}: expected ${want[i]![j]}, got ${JSON.stringify(got.get(a))}`)));
      assert.deepEqual(wrong, []);
      // And the grid did change: it is not the default's.
      assert.notDeepEqual(cells(ref(plan0, "Grid_Values")).flat().map((a) => got.get(a)), cells(ref(plan0, "Grid_Values")).flat().map((a) => values[0]!.get(a)));
    });
  });

  refused.forEach(([what, , message], k) => {
    it(`${what}: the check says what to fix and every result is an error`, () => {
      const got = refusedValues[k]!;
      assert.match(String(got.get("B18")), message);
      const results = [...cells(ref(plan0, "Grid_Values")).flat(), "B20", "B21"];
      const numbers = results.filter((a) => { const v = got.get(a); return !(v && typeof v === "object" && "error" in v); });
      assert.deepEqual(numbers, []);
    });
  });
});

describe("the grid's heat map", { timeout: 600_000 }, () => {
  const range = ref(plan0, "Grid_Values");
  const colors = [HEAT_MAP.low, HEAT_MAP.mid, HEAT_MAP.high].map((c) => `FF${c.slice(1)}`);

  it("is in the plan over Grid_Values", () => assert.deepEqual(sheetOf(plan0).heatMaps, [{ range }]));

  it("is written into the .xlsx as a three-colour scale: lowest, 50th percentile, highest", () => {
    const rule = new RegExp(`<conditionalFormatting sqref="${range}"><cfRule type="colorScale" priority="1"><colorScale><cfvo type="min"/><cfvo type="percentile" val="50"/><cfvo type="max"/><color rgb="${colors[0]}"/><color rgb="${colors[1]}"/><color rgb="${colors[2]}"/></colorScale></cfRule></conditionalFormatting>`);
    assert.ok(rule.test(written), /<conditionalFormatting[\s\S]*?<\/conditionalFormatting>/.exec(written)?.[0] ?? "no conditional formatting");
    // Before the data validation, as the schema orders a worksheet's parts.
    assert.ok(written.indexOf("<conditionalFormatting") < written.indexOf("<dataValidations"), "conditionalFormatting comes before dataValidations");
  });

  it("is kept by LibreOffice: in the .xlsx it saves and in an .ods", () => {
    // LibreOffice writes empty elements open and closed: <cfvo type="min" val="0"></cfvo>.
    const end = (tag: string) => `(?:/>|></${tag}>)`;
    const saved = new RegExp(
      `<conditionalFormatting sqref="${range}">\\s*<cfRule type="colorScale"[^>]*>\\s*<colorScale>\\s*<cfvo type="min"[^>]*${end("cfvo")}\\s*<cfvo type="percentile" val="50"${end("cfvo")}\\s*<cfvo type="max"[^>]*${end("cfvo")}` +
        colors.map((c) => `\\s*<color rgb="${c}"${end("color")}`).join(""),
      "i",
    );
    assert.ok(saved.test(savedByLibreOffice), `no colour scale over ${range} in LibreOffice's .xlsx: ${/<conditionalFormatting[\s\S]*?<\/conditionalFormatting>/.exec(savedByLibreOffice)?.[0] ?? "no conditional formatting"}`);
    const [from, to] = range.split(":");
    const entries = /<calcext:conditional-format calcext:target-range-address="([^"]+)">\s*<calcext:color-scale>([\s\S]*?)<\/calcext:color-scale>/.exec(ods);
    assert.ok(entries, `a colour scale in the .ods: ${/<calcext:conditional-formats>[\s\S]*?<\/calcext:conditional-formats>/.exec(ods)?.[0] ?? "none"}`);
    assert.match(entries[1]!, new RegExp(`${from}:.*${to}`));
    const points = [...entries[2]!.matchAll(/<calcext:color-scale-entry ([^>]*)\/>/g)].map((m) => m[1]!);
    assert.equal(points.length, 3);
    assert.match(points[0]!, /calcext:type="minimum"/);
    assert.match(points[0]!, new RegExp(`calcext:color="#${HEAT_MAP.low.slice(1)}"`, "i"));
    assert.match(points[1]!, /calcext:type="percentile"/);
    assert.match(points[1]!, /calcext:value="50"/);
    assert.match(points[1]!, new RegExp(`calcext:color="#${HEAT_MAP.mid.slice(1)}"`, "i"));
    assert.match(points[2]!, /calcext:type="maximum"/);
    assert.match(points[2]!, new RegExp(`calcext:color="#${HEAT_MAP.high.slice(1)}"`, "i"));
  });
});
