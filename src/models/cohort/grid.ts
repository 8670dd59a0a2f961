import { z } from "zod";
import { customerLifetimeValue } from "../../core/clv";
import { formatCount, LifetimeError } from "../../core/errors";
import { sbgRetention } from "../../core/retention/shiftedBetaGeometric";
import { twoWay } from "../../core/sensitivity";
import { FORMAT, INPUT_FILL } from "../inputs";
import { columnLetter, type DefinedName, type RangeWrite, type ValidationPlan } from "../plan";
import type { TornadoEconomics } from "./tornado";

/**
 * The cohort model's two-way sensitivity grid: the CLV of a new customer (CLV_NewCustomer)
 * over two inputs at once, as live formulas. The inputs are chosen in two cells
 * (GridRowInput, GridColumnInput), the values to try are typed down a header column and
 * along a header row, and each cell writes the whole CLV again with every input replaced
 * by IF(GridRowInput="…", its row's value, IF(GridColumnInput="…", its column's value, the
 * input)). The horizon moves through the PeriodT masks; α and β move the survival curve,
 * so each grid cell has a helper row of survival over t = 0…H, the running product of
 * (β+t−1)/(α+β+t−1) with that cell's α and β (as the tornado's and the sheet's own curve:
 * a GAMMALN closed form loses digits when α and β are large). A colour scale (a heat map)
 * colours the results.
 */
export const GRID_INPUTS = ["Revenue", "Margin", "CAC", "AnnualDiscount", "Alpha", "Beta", "Horizon"] as const;
export type GridInput = (typeof GRID_INPUTS)[number];

/** Values an axis takes, at least and at most. */
export const MIN_GRID_VALUES = 2;
export const MAX_GRID_VALUES = 25;
/** Survival helper cells the grid may write: one row of H+1 periods per grid cell. */
export const MAX_GRID_HELPER_CELLS = 100_000;

/** What a value of each input must be: in words, for one value, as a cell's condition and as a range's. */
interface Domain {
  holds: (v: number) => boolean;
  must: string;
  /** Conditions (joined by commas, for AND) on one cell's value `x`. */
  cell: (x: string) => string;
  /** A condition that every number of range `r` is in the domain. */
  range: (r: string) => string;
}

function domains(horizon: number): Record<GridInput, Domain> {
  const amount: Domain = { holds: (v) => v >= 0, must: "an amount, 0 or more", cell: (x) => `${x}>=0`, range: (r) => `COUNTIF(${r},"<0")=0` };
  const positive: Domain = { holds: (v) => v > 0, must: "a number above 0", cell: (x) => `${x}>0`, range: (r) => `COUNTIF(${r},"<=0")=0` };
  return {
    Revenue: amount,
    Margin: { holds: (v) => v >= 0 && v <= 1, must: "a fraction from 0 to 1 (60% is 0.6)", cell: (x) => `${x}>=0,${x}<=1`, range: (r) => `COUNTIF(${r},"<0")+COUNTIF(${r},">1")=0` },
    CAC: amount,
    AnnualDiscount: { holds: (v) => v > -1 && v <= 1, must: "a yearly rate above -1 and at most 1 (10% is 0.1)", cell: (x) => `${x}>-1,${x}<=1`, range: (r) => `COUNTIF(${r},"<=-1")+COUNTIF(${r},">1")=0` },
    Alpha: positive,
    Beta: positive,
    Horizon: {
      holds: (v) => Number.isInteger(v) && v >= 1 && v <= horizon,
      must: `a whole number of periods from 1 to ${horizon}`,
      cell: (x) => `${x}=INT(${x}),${x}>=1,${x}<=${horizon}`,
      range: (r) => `SUMPRODUCT((${r}<>INT(${r}))*1)+COUNTIF(${r},"<1")+COUNTIF(${r},">${horizon}")=0`,
    },
  };
}

/** The longest horizon a model takes: the schema checks a horizon value against it, the model's settings against their own. */
const MAX_HORIZON = 600;

const axisSchema = z.object({
  input: z.enum(GRID_INPUTS, { errorMap: () => ({ message: `the input must be one of ${GRID_INPUTS.join(", ")}` }) }),
  values: z
    .array(z.number({ invalid_type_error: "each value must be a number" }).finite("each value must be a finite number"))
    .min(MIN_GRID_VALUES, `give at least ${MIN_GRID_VALUES} values`)
    .max(MAX_GRID_VALUES, `give at most ${MAX_GRID_VALUES} values`),
});

/** The grid's settings: which input varies down the rows and across the columns, and the values each takes. */
export const gridSettingsSchema = z
  .object({ rows: axisSchema, columns: axisSchema })
  .superRefine((grid, ctx) => {
    if (grid.rows.input === grid.columns.input) ctx.addIssue({ code: "custom", path: ["columns", "input"], message: `the rows and the columns both vary ${grid.rows.input}: pick two different inputs` });
    for (const issue of valueIssues(grid, MAX_HORIZON)) ctx.addIssue({ code: "custom", ...issue });
  });

export type GridSettings = z.infer<typeof gridSettingsSchema>;
type Issue = { path: (string | number)[]; message: string };

function valueIssues(grid: GridSettings, horizon: number): Issue[] {
  const domain = domains(horizon);
  return (["rows", "columns"] as const).flatMap((axis) =>
    grid[axis].values.flatMap((v, i): Issue[] => (domain[grid[axis].input].holds(v) ? [] : [{ path: [axis, "values", i], message: `grid ${axis}, value ${i + 1}: ${grid[axis].input} must be ${domain[grid[axis].input].must}; got ${v}` }])),
  );
}

/**
 * What the grid's settings must satisfy given the model's: horizon values up to the model's
 * horizon, and the survival helper rows within MAX_GRID_HELPER_CELLS. For the model's
 * schema; paths are relative to the grid.
 */
export function gridIssues(grid: GridSettings | undefined, horizon: number): Issue[] {
  if (!grid) return [];
  // Horizon values the schema let through (at most the longest horizon) but above the model's.
  const issues = valueIssues(grid, horizon).filter(({ path: [axis, , i] }) => grid[axis as "rows" | "columns"].input === "Horizon" && domains(MAX_HORIZON).Horizon.holds(grid[axis as "rows" | "columns"].values[i as number]!));
  const cells = grid.rows.values.length * grid.columns.values.length * (horizon + 1);
  if (cells > MAX_GRID_HELPER_CELLS) {
    issues.push({
      path: ["rows", "values"],
      message: `the grid's ${grid.rows.values.length} × ${grid.columns.values.length} values over a ${horizon}-period horizon need ${formatCount(cells)} cells of survival (one row per grid cell); at most ${formatCount(MAX_GRID_HELPER_CELLS)}: give fewer values or use a shorter horizon`,
    });
  }
  return issues;
}

/**
 * The grid when the settings give none: margin at 80%, 90%, 100%, 110% and 120% of the
 * model's (at most 1) down the rows, annual discount rates of 5% to 15% and the model's
 * own across the columns.
 */
export function defaultGrid({ margin, annualDiscount }: { margin: number; annualDiscount: number }): GridSettings {
  const round = (x: number) => Math.round(x * 1e10) / 1e10;
  const margins = [...new Set([0.8, 0.9, 1, 1.1, 1.2].map((k) => (k === 1 ? margin : round(Math.min(1, margin * k)))))].sort((a, b) => a - b);
  const discounts = [...new Set([0.05, 0.08, 0.1, 0.12, 0.15, annualDiscount])].sort((a, b) => a - b);
  return { rows: { input: "Margin", values: margins.length >= MIN_GRID_VALUES ? margins : [0.2, 0.4, 0.6, 0.8, 1] }, columns: { input: "AnnualDiscount", values: discounts } };
}

/** The model's economics, as the tornado's, and the horizon the sheet was built for (the longest it computes). */
export type GridEconomics = Omit<TornadoEconomics, "step" | "lastT"> & { builtHorizon: number };

/**
 * The core's grid: the CLV of a new customer at each pair of values (customerLifetimeValue
 * over the sBG retention), what the sheet's formulas must show. A value the core refuses, or
 * an output beyond double precision, is NaN, as the sheet's cell is an error then.
 */
export function cohortGrid(e: GridEconomics, grid: GridSettings): number[][] {
  const base: Record<GridInput, number> = { Revenue: e.revenue, Margin: e.margin, CAC: e.cac, AnnualDiscount: e.annualDiscount, Alpha: e.alpha, Beta: e.beta, Horizon: e.horizon };
  return twoWay(base, grid.rows, grid.columns, (v) => {
    try {
      return customerLifetimeValue({
        margin: v.Revenue * v.Margin,
        retention: Array.from({ length: v.Horizon }, (_, t) => sbgRetention({ alpha: v.Alpha, beta: v.Beta }, t + 1)),
        discountRate: Math.expm1(Math.log1p(v.AnnualDiscount) / e.periodsPerYear),
        periods: v.Horizon,
        acquisitionCost: v.CAC,
        timing: e.timing,
      });
    } catch (error) {
      if (error instanceof LifetimeError) return Number.NaN;
      throw error;
    }
  });
}

export interface GridBlock {
  writes: RangeWrite[];
  names: DefinedName[];
  validations: ValidationPlan[];
  /** Conditions for the sheet's InputCheck. */
  checks: [string, string][];
  /** The colour scale over the results. */
  heatMaps: { range: string }[];
  /** The core's values of the result cells, by address. */
  expected: Map<string, number | string>;
  /** The row after the block. */
  end: number;
}

/**
 * The grid from row `top` down: the two input cells, the header row and column of values,
 * the results, then the survival helper rows (one per grid cell, in row-major order: alpha
 * in column A, beta in B, S(t) for t = 0…H, H the horizon the sheet was built for, in the
 * sheet's period columns, which `column(t)` gives, over the periods row `economics.tRow`).
 */
export function gridBlock(top: number, economics: GridEconomics, grid: GridSettings, column: (t: number) => string): GridBlock {
  const { builtHorizon: H, tRow } = economics;
  const R = grid.rows.values.length;
  const C = grid.columns.values.length;
  const rowInputAt = `B${top + 1}`;
  const columnInputAt = `B${top + 2}`;
  const header = top + 4;
  const row = (i: number) => header + 1 + i;
  const gridColumn = (j: number) => columnLetter(3 + j); // C, D, …
  const helperHeader = row(R) + 1;
  const helper = (i: number, j: number) => helperHeader + 1 + i * C + j;
  const writes: RangeWrite[] = [];
  const guard = (expression: string) => `=IF(InputCheck="OK",${expression},NA())`;
  const domain = domains(H);

  writes.push({ at: `A${top}`, values: [["Two-way sensitivity: the CLV of a new customer with two inputs at the values below, the others as above"]], style: { bold: true } });
  writes.push({ at: `A${top + 1}`, values: [["GridRowInput: the input that varies down the rows"]] });
  writes.push({ at: rowInputAt, values: [[grid.rows.input]], text: true, style: { fill: INPUT_FILL } });
  writes.push({ at: `A${top + 2}`, values: [["GridColumnInput: the input that varies across the columns"]] });
  writes.push({ at: columnInputAt, values: [[grid.columns.input]], text: true, style: { fill: INPUT_FILL } });
  writes.push({ at: `A${top + 3}`, values: [[`Inputs: ${GRID_INPUTS.join(", ")}. Type the values to try down column B and along row ${header}.`]], style: { italic: true } });
  writes.push({ at: `A${header}`, formulas: [['="CLV: "&GridRowInput&" down, "&GridColumnInput&" across"']], style: { bold: true } });
  writes.push({ at: `${gridColumn(0)}${header}`, values: [grid.columns.values.slice()], style: { fill: INPUT_FILL, bold: true } });
  writes.push({ at: `B${row(0)}`, values: grid.rows.values.map((v) => [v]), style: { fill: INPUT_FILL, bold: true } });

  // An input's value in cell (i, j): the row's value, the column's, or the input itself.
  const value = (name: GridInput, i: number, j: number) => `IF(GridRowInput="${name}",$B${row(i)},IF(GridColumnInput="${name}",${gridColumn(j)}$${header},${name}))`;
  const periods = `$${column(0)}$${tRow}:$${column(H)}$${tRow}`;
  const first = 'IF(Timing="start",0,1)';
  const core = cohortGrid(economics, grid);
  const expected = new Map<string, number | string>();
  const formulas = Array.from({ length: R }, (_, i) =>
    Array.from({ length: C }, (_, j) => {
      const h = helper(i, j);
      const survival = `$${column(0)}$${h}:$${column(H)}$${h}`;
      const v = core[i]![j]!;
      if (Number.isFinite(v)) expected.set(`${gridColumn(j)}${row(i)}`, v);
      return guard(`${value("Revenue", i, j)}*${value("Margin", i, j)}*SUMPRODUCT((${periods}>=${first})*(${periods}<${first}+${value("Horizon", i, j)})*${survival}/(1+${value("AnnualDiscount", i, j)})^(${periods}/PeriodsPerYear))-${value("CAC", i, j)}`);
    }),
  );
  writes.push({ at: `${gridColumn(0)}${row(0)}`, formulas, numberFormat: FORMAT.money });

  // Survival for each grid cell: its alpha and beta, then the running product over t = 0…H.
  writes.push({ at: `A${helperHeader}`, values: [["Alpha", "Beta", "S(t) for t = 0, 1, …: one row per grid cell above (row 1: columns 1, 2, …; then row 2; …), for the cell's alpha and beta"]], style: { italic: true } });
  writes.push({
    at: `A${helper(0, 0)}`,
    formulas: Array.from({ length: R * C }, (_, k) => {
      const i = Math.floor(k / C);
      const j = k % C;
      return [`=${value("Alpha", i, j)}`, `=${value("Beta", i, j)}`];
    }),
    numberFormat: FORMAT.number,
  });
  writes.push({ at: `${column(0)}${helper(0, 0)}`, fill: { formula: "=1", rows: R * C, columns: 1 }, numberFormat: FORMAT.share });
  const h0 = helper(0, 0);
  writes.push({ at: `${column(1)}${h0}`, fill: { formula: `=${column(0)}${h0}*($B${h0}+${column(1)}$${tRow}-1)/($A${h0}+$B${h0}+${column(1)}$${tRow}-1)`, rows: R * C, columns: H }, numberFormat: FORMAT.share });

  const rowValues = `$B$${row(0)}:$B$${row(R - 1)}`;
  const columnValues = `$${gridColumn(0)}$${header}:$${gridColumn(C - 1)}$${header}`;
  const values = `$${gridColumn(0)}$${row(0)}:$${gridColumn(C - 1)}$${row(R - 1)}`;
  const shown = (range: string) => range.replace(/\$/g, "");
  const list = GRID_INPUTS.join(", ");
  // The values' domain follows the input chosen: one condition per input, in the validation and in the check.
  const cellRule = (inputAt: string, x: string) => `AND(ISNUMBER(${x}),OR(${GRID_INPUTS.map((name) => `AND(${inputAt}="${name}",${domain[name].cell(x)})`).join(",")}))`;
  // Every value a number first (a later condition takes INT of the values), then within the chosen input's range.
  const rangeCondition = (inputName: string, range: string) => `OR(${GRID_INPUTS.map((name) => `AND(${inputName}="${name}",${domain[name].range(range)})`).join(",")})`;
  const ranges = `Revenue, CAC 0 or more; Margin 0 to 1; AnnualDiscount above -1, at most 1; Alpha, Beta above 0; Horizon whole, 1 to ${H}`;
  const absolute = (at: string) => at.replace(/^([A-Z]+)(\d+)$/, "$$$1$$$2");
  const valuesValidation = (range: string, inputAt: string, name: string, where: string): ValidationPlan => ({
    range: shown(range),
    rule: { kind: "custom", formula: cellRule(absolute(inputAt), shown(range).split(":")[0]!) },
    prompt: { title: name, message: `The values of ${name} to try ${where}, in its range: ${ranges}.` },
    error: { title: `${name}: not accepted`, message: `A value of ${name} must be in its range: ${ranges}.` },
  });
  const inputValidation = (at: string, name: string, where: string): ValidationPlan => ({
    range: at,
    rule: { kind: "list", values: [...GRID_INPUTS] },
    prompt: { title: name, message: `The input that varies ${where} in the two-way grid: one of ${list}.` },
    error: { title: `${name}: not accepted`, message: `${name} must be one of ${list}.` },
  });
  return {
    writes,
    names: [
      { name: "GridRowInput", ref: absolute(rowInputAt) },
      { name: "GridColumnInput", ref: absolute(columnInputAt) },
      { name: "Grid_RowValues", ref: rowValues },
      { name: "Grid_ColumnValues", ref: columnValues },
      { name: "Grid_Values", ref: values },
    ],
    validations: [
      inputValidation(rowInputAt, "GridRowInput", "down the rows"),
      inputValidation(columnInputAt, "GridColumnInput", "across the columns"),
      valuesValidation(rowValues, rowInputAt, "Grid_RowValues", "down the rows (GridRowInput)"),
      valuesValidation(columnValues, columnInputAt, "Grid_ColumnValues", "across the columns (GridColumnInput)"),
    ],
    checks: [
      [`OR(${GRID_INPUTS.map((name) => `GridRowInput="${name}"`).join(",")})`, `GridRowInput must be one of ${list} (${rowInputAt})`],
      [`OR(${GRID_INPUTS.map((name) => `GridColumnInput="${name}"`).join(",")})`, `GridColumnInput must be one of ${list} (${columnInputAt})`],
      ["GridRowInput<>GridColumnInput", `GridRowInput and GridColumnInput must be two different inputs (${rowInputAt}:${columnInputAt})`],
      [`COUNT(Grid_RowValues)=${R}`, `every grid row value must be a number (${shown(rowValues)})`],
      [rangeCondition("GridRowInput", "Grid_RowValues"), `a grid row value is outside the range of GridRowInput: ${ranges} (${shown(rowValues)})`],
      [`COUNT(Grid_ColumnValues)=${C}`, `every grid column value must be a number (${shown(columnValues)})`],
      [rangeCondition("GridColumnInput", "Grid_ColumnValues"), `a grid column value is outside the range of GridColumnInput: ${ranges} (${shown(columnValues)})`],
    ],
    heatMaps: [{ range: shown(values) }],
    expected,
    end: helper(R - 1, C - 1) + 1,
  };
}
