import { z } from "zod";
import { formatCount } from "../../core/errors";
import { cohortModel, projectionOffset, type CohortModel, type CohortModelInput } from "../../core/retention/cohortModel";
import type { Cohort } from "../../core/retention/shiftedBetaGeometric";
import { cohortBand, type CohortBand, type SbgFitSummary } from "../../core/retention/uncertainty";
import { amount, annualRate, checkFormula, FORMAT, fraction, horizon, INPUT_FILL, positive, timing, whole, type Accepts } from "../inputs";
import { DEFAULT_TORNADO_STEP, tornadoBlock } from "./tornado";
import { tornadoStepSchema } from "../tornadoTable";
import { defaultGrid, gridBlock, gridIssues, gridSettingsSchema } from "./grid";
import { SCENARIO_COLUMN, activeScenarioIndex, comparisonSheet, linkedCell, scenarioSheetName, scenariosOf, checkActiveScenario, scenarioFields, scenarioTable, withScenario, type Scenario, type ScenarioInput, scenarioInputCell } from "../scenarios";
import { addBlock, cellAddress, columnLetter, parseAddress, type CellContent, type ChartPlan, type DefinedName, type RangeWrite, type SheetPlan, type ValidationPlan, type WorkbookPlan, quoteSheet } from "../plan";

/**
 * The cohort retention model as a workbook: inputs, the sBG fit (as values), and every
 * result as a live formula over named inputs, so the workbook recalculates without the
 * add-in. Formulas keep to functions that Excel 2016+, Excel on the web and LibreOffice 7.4
 * all compute (INDEX, SUM, SUMPRODUCT, COUNT, COUNTA, COUNTIF, IF, AND, OR, ISNUMBER, INT, NA): no LET,
 * LAMBDA or dynamic arrays. Every result answers #N/A while an input is out of its domain, and
 * the cell named InputCheck says which input and what to fix.
 */
export const PERIODS_PER_YEAR = { month: 12, quarter: 4, year: 1 } as const;

/** Series in one chart: Excel's limit is 255. */
export const MAX_CHART_SERIES = 250;

/** The most cells one cohort-by-period block of the model may hold: 120 cohorts × (120 observed + 600 ahead) fit, with room. */
export const MAX_MODEL_CELLS = 150_000;
/** The most cells one block may hold across the model's sheet and its scenarios' sheets. */
export const MAX_SCENARIO_CELLS = 600_000;

const economicsShape = {
    cohorts: z
      .array(
        z.object({
          label: z.string().max(255),
          customers: z.number().positive(),
          survivors: z.array(z.number().nonnegative()).max(600, "a cohort has at most 600 observed periods"),
        }),
      )
      .min(1, "there are no cohorts")
      .max(600, "at most 600 cohorts"),
    revenue: z.number().nonnegative("revenue must be 0 or more"),
    margin: z.number().min(0, "margin must be between 0 and 1").max(1, "margin must be between 0 and 1 (40% is 0.4)"),
    cac: z.number().nonnegative("cac must be 0 or more"),
    annualDiscount: z.number().gt(-1, "discount must be above -1").max(1, "discount must be an annual rate as a fraction, at most 1 (10% is 0.1)"),
    period: z.enum(["month", "quarter", "year"]),
    horizon: z.number().int("horizon must be a whole number of periods").min(1, "horizon must be at least 1 period").max(600, "horizon must be at most 600 periods"),
    timing: z.enum(["start", "end"]),
    /** The share each input moves in the sensitivity table (TornadoStep); default 0.1. */
    tornadoStep: tornadoStepSchema,
    /** The two-way sensitivity grid's inputs and values (./grid.ts); default: margin × annual discount rate around the model's. */
    grid: gridSettingsSchema.optional(),
};

/** The inputs a scenario may override: the economics, not the cohorts or the period. */
export const cohortOverridesSchema = z.object({
  revenue: economicsShape.revenue,
  margin: economicsShape.margin,
  cac: economicsShape.cac,
  annualDiscount: economicsShape.annualDiscount,
  horizon: economicsShape.horizon,
  timing: economicsShape.timing,
});
export type CohortOverrides = z.infer<typeof cohortOverridesSchema>;

export const cohortInputSchema = z
  .object({
    ...economicsShape,
    ...scenarioFields(cohortOverridesSchema),
  })
  .superRefine((input, ctx) => {
    const scenarios = scenariosOf(input);
    checkActiveScenario(input, ctx);
    const built = Math.max(input.horizon, ...scenarios.map((s) => s.overrides.horizon ?? 0));
    for (const issue of gridIssues(input.grid, built)) ctx.addIssue({ code: "custom", ...issue, path: ["grid", ...issue.path] });
    const periods = input.cohorts.reduce((m, c) => Math.max(m, c.survivors.length), 0) + built;
    if (input.cohorts.length * periods > MAX_MODEL_CELLS) {
      ctx.addIssue({
        code: "custom",
        path: ["cohorts"],
        message: `${input.cohorts.length} cohorts × ${periods} periods (observed and ahead) make ${formatCount(input.cohorts.length * periods)} cells per block of the model; at most ${formatCount(MAX_MODEL_CELLS)} (for example 120 cohorts over 600 periods ahead): use fewer cohorts or a shorter horizon`,
      });
    } else if (scenarios.length > 1 && input.cohorts.length * periods * (scenarios.length + 1) > MAX_SCENARIO_CELLS) {
      ctx.addIssue({
        code: "custom",
        path: ["scenarios"],
        message: `${scenarios.length} scenarios, each on a sheet of its own, over ${input.cohorts.length} cohorts × ${periods} periods make more than ${formatCount(MAX_SCENARIO_CELLS)} cells per block across the sheets: use fewer scenarios, fewer cohorts or a shorter horizon`,
      });
    }
    input.cohorts.forEach((c, i) => {
      let previous = c.customers;
      c.survivors.forEach((n, t) => {
        if (n > previous) ctx.addIssue({ code: "custom", path: ["cohorts", i, "survivors", t], message: `cohort ${c.label}: period ${t + 1} has ${n} customers, more than ${previous} before; counts never rise` });
        previous = n;
      });
    });
  });

export type CohortModelSettings = z.infer<typeof cohortInputSchema>;

export interface CohortFit {
  alpha: number;
  beta: number;
  /** Undefined when α and β are assumptions rather than a fit. */
  logLikelihood: number | undefined;
  /** When the fit was made, ISO 8601. */
  fittedOn: string;
  /**
   * The fit's 90% band ({@link cohortFitBand}), written as values beside α, β, the CLV of a
   * new customer and the customer equity; none for assumed parameters.
   */
  band?: Pick<CohortBand, "alpha" | "beta" | "clvNewCustomer" | "customerEquity">;
}

/** The core's model input for the settings (the discount rate per period from the annual one), without α and β. */
function modelInput(settings: CohortModelSettings): Omit<CohortModelInput, "params"> {
  const discountRate = Math.expm1(Math.log1p(settings.annualDiscount) / PERIODS_PER_YEAR[settings.period]);
  return {
    cohorts: settings.cohorts.map((c): Cohort => ({ size: c.customers, survivors: c.survivors })),
    margin: settings.revenue * settings.margin,
    acquisitionCost: settings.cac,
    discountRate,
    horizon: settings.horizon,
    timing: settings.timing,
  };
}

/**
 * The 90% band of the model built from a fit of the settings' cohorts (a FitResult of
 * fitShiftedBetaGeometric): pass it as `band` in {@link CohortFit}. Undefined when the fit
 * has none (degenerate, no standard errors, not converged).
 */
export function cohortFitBand(settings: CohortModelSettings, fitted: SbgFitSummary): CohortBand | undefined {
  return cohortBand(fitted, modelInput(settings));
}

/** The plan, the core's model, and (on request) for each formula cell the value the core computes for it. */
export interface CohortPlanResult {
  plan: WorkbookPlan;
  /** The model sheet's cells (the active scenario). */
  expected: Map<string, number | string>;
  /** Every sheet's cells, by the sheet's name in the plan. */
  expectedBySheet: Map<string, Map<string, number | string>>;
  /** The core's model of the active scenario, as the model sheet shows it. */
  model: CohortModel;
  /** The core's model of each scenario, in the scenarios' order. */
  scenarioModels: CohortModel[];
}

export const COHORT_SHEET = "Cohort model";
export const COHORT_COMPARISON_SHEET = "Cohort scenarios";
const SCENARIO_PREFIX = "Cohort";

/** Which sheet of the model a builder writes: the model sheet, or scenario j's own. */
interface SheetRole {
  scenarios: Scenario<CohortOverrides>[];
  active: number;
  /** The longest horizon any scenario asks for: every sheet is laid out to it. */
  builtHorizon: number;
  /** Scenario j's own sheet; undefined for the model sheet. */
  scenario?: number;
}

/**
 * Builds the plan: the model sheet (driven by the active scenario) and, with two scenarios or
 * more, a sheet per scenario and the comparison sheet. `withExpected` also returns, for every
 * formula cell, the value the core computes for it, which the tests compare with a
 * spreadsheet engine's results.
 */
export function buildCohortPlan(settings: CohortModelSettings, fit: CohortFit, { withExpected = false } = {}): CohortPlanResult {
  const scenarios = scenariosOf<CohortOverrides>(settings);
  const active = activeScenarioIndex(scenarios, settings.activeScenario);
  const builtHorizon = Math.max(...scenarios.map((s) => withScenario(settings, s).horizon));
  const main = cohortSheet(settings, fit, { scenarios, active, builtHorizon }, withExpected);
  if (scenarios.length === 1) {
    return { plan: { modelId: "cohort", sheets: [main.sheet] }, expected: main.expected, expectedBySheet: new Map([[COHORT_SHEET, main.expected]]), model: main.model, scenarioModels: [main.model] };
  }
  const own = scenarios.map((_, j) => cohortSheet(settings, fit, { scenarios, active, builtHorizon, scenario: j }, withExpected));
  const models = own.map((o) => o.model);
  const unit = settings.period;
  const clv = "CLV of a newly acquired customer (net of CAC)";
  const equity = "Customer equity: value of the customers active today";
  const comparison = comparisonSheet(
    COHORT_COMPARISON_SHEET,
    "Cohort model: the scenarios side by side",
    SCENARIO_PREFIX,
    scenarios,
    [
      { label: "Input check", cell: "$B$18", expected: () => "OK" },
      { label: clv, cell: "$B$20", format: FORMAT.money, name: "Scenario_CLV", expected: (j) => models[j]!.clvNewCustomer },
      { label: "LTV:CAC of a newly acquired customer", cell: "$B$23", format: "0.00", name: "Scenario_LTV_CAC", expected: (j) => models[j]!.ltvToCacNewCustomer ?? "no CAC" },
      { label: `Payback of a newly acquired customer (${unit}s)`, cell: "$B$24", format: FORMAT.whole, name: "Scenario_Payback", expected: (j) => models[j]!.paybackNewCustomer ?? "beyond horizon" },
      { label: equity, cell: "$B$21", format: FORMAT.money, name: "Scenario_CustomerEquity", expected: (j) => models[j]!.customerEquity },
      ...SCENARIO_INPUT_ROWS.map(([key, row, label, format]) => ({ label, cell: `$B$${row}`, format, expected: (j: number) => withScenario(settings, scenarios[j])[key] })),
    ],
    [
      { title: "CLV of a newly acquired customer, by scenario", rows: [clv] },
      { title: "Customer equity, by scenario", rows: [equity] },
    ],
  );
  const sheets = [main.sheet, ...own.map((o) => o.sheet), comparison.sheet];
  const expectedBySheet = new Map<string, Map<string, number | string>>([[COHORT_SHEET, main.expected], ...own.map((o): [string, Map<string, number | string>] => [o.sheet.name, o.expected]), [COHORT_COMPARISON_SHEET, comparison.expected]]);
  return { plan: { modelId: "cohort", sheets }, expected: main.expected, expectedBySheet, model: main.model, scenarioModels: models };
}

/** The overridable inputs: settings key, row on every sheet of the model, label on the comparison, format. */
const SCENARIO_INPUT_ROWS: [keyof CohortOverrides, number, string, string | undefined][] = [
  ["revenue", 5, "Revenue per active customer per period", FORMAT.money],
  ["margin", 6, "Gross margin", FORMAT.share],
  ["cac", 8, "Acquisition cost per customer (CAC)", FORMAT.money],
  ["annualDiscount", 9, "Annual discount rate", FORMAT.share],
  ["horizon", 12, "Projection horizon (periods)", FORMAT.whole],
  ["timing", 13, "Timing of the margin", undefined],
];

/** One sheet of the model: the model sheet, or a scenario's own (role.scenario). */
function cohortSheet(base: CohortModelSettings, fit: CohortFit, role: SheetRole, withExpected: boolean): { sheet: SheetPlan; expected: Map<string, number | string>; model: CohortModel } {
  const own = role.scenario;
  const isMain = own === undefined;
  const settings = withScenario(base, role.scenarios[own ?? role.active]);
  const S = role.scenarios.length;
  const periodsPerYear = PERIODS_PER_YEAR[settings.period];
  const input = modelInput(settings);
  const { cohorts, discountRate } = input;
  const H = role.builtHorizon;
  const model = cohortModel({ ...input, params: { alpha: fit.alpha, beta: fit.beta } });
  const N = cohorts.length;
  const maxAge = cohorts.reduce((m, c) => Math.max(m, c.survivors.length), 0);
  const T = maxAge + H;

  const writes: RangeWrite[] = [];
  const names: DefinedName[] = [];
  const expected = new Map<string, number | string>();
  const label = (at: string, text: string, bold = false) => writes.push({ at, values: [[text]], style: bold ? { bold: true } : undefined });
  const formulas = (at: string, grid: (string | null)[][], numberFormat?: string, values?: (number | string | undefined)[][]) => {
    writes.push({ at, formulas: grid, numberFormat });
    if (!values || !withExpected) return;
    const { row, column } = parseAddress(at);
    values.forEach((r, i) => r.forEach((v, j) => v !== undefined && grid[i]?.[j] && expected.set(cellAddress(row + i, column + j), v)));
  };
  const fillFormula = (at: string, rows: number, columns: number, formula: string, numberFormat?: string, values?: (number | string | undefined)[][]) => {
    writes.push({ at, fill: { formula, rows, columns }, numberFormat });
    if (!values || !withExpected) return;
    const { row, column } = parseAddress(at);
    values.forEach((r, i) => r.forEach((v, j) => v !== undefined && expected.set(cellAddress(row + i, column + j), v)));
  };
  /** A result formula that answers #N/A while an input is out of its domain (InputCheck says which). */
  const guard = (expression: string) => `=IF(InputCheck="OK",${expression},NA())`;
  const letters: string[] = [];
  const col = (c: number) => (letters[c] ??= columnLetter(c)); // memoised: formulas ask for the same columns thousands of times

  // Title and inputs (B5:B17), each a sheet-scoped name.
  if (isMain) {
    label("A1", "Cohort retention model (shifted-beta-geometric)", true);
    label("A2", `Every figure below is a formula over the inputs in use (column B), which the active scenario (B3) takes from the scenario table (from ${columnLetter(SCENARIO_COLUMN)}4): change an input there and the model recalculates.`);
  } else {
    label("A1", `Scenario “${role.scenarios[own]!.name}” of the cohort model on ${COHORT_SHEET}`, true);
    label("A2", `The model's formulas over this scenario's inputs, read from ${COHORT_SHEET}: they feed the comparison on ${COHORT_COMPARISON_SHEET}. Edit the inputs there, not here.`);
  }
  label("A4", "Inputs", true);
  label("B4", isMain ? "In use" : "Value", true);
  // Each input: its name, label, value, format, and (for the cells a user edits) what it
  // accepts, as a validation and as a condition with the words that say what to fix.
  const unit = settings.period;
  type Input = { name: string; text: string; value: CellContent; format?: string; accepts?: Accepts };
  const inputs: Input[] = [
    { name: "Revenue", text: `Revenue per active customer per ${unit}`, value: settings.revenue, format: FORMAT.money, accepts: amount("Revenue", `Revenue per active customer per ${unit}, in currency`) },
    { name: "Margin", text: "Gross margin (fraction of revenue)", value: settings.margin, format: FORMAT.share, accepts: fraction("Margin", "Gross margin as a fraction of revenue, from 0 to 1 (60% is 0.6)") },
    { name: "MarginPerPeriod", text: `Margin per active customer per ${unit}`, value: '=IF(InputCheck="OK",Revenue*Margin,NA())', format: FORMAT.money },
    { name: "CAC", text: "Acquisition cost per customer (CAC)", value: settings.cac, format: FORMAT.money, accepts: amount("CAC", "Acquisition cost per new customer, in currency") },
    { name: "AnnualDiscount", text: "Annual discount rate", value: settings.annualDiscount, format: FORMAT.share, accepts: annualRate() },
    { name: "PeriodsPerYear", text: `Periods per year (${unit}s)`, value: periodsPerYear, format: FORMAT.whole, accepts: whole("PeriodsPerYear", 1, 365, `Periods in a year: 12 for months, 4 for quarters, 1 for years`) },
    { name: "DiscountRate", text: `Discount rate per ${unit}: (1 + annual)^(1/periods) − 1`, value: '=IF(InputCheck="OK",(1+AnnualDiscount)^(1/PeriodsPerYear)-1,NA())', format: FORMAT.rate },
    { name: "Horizon", text: `Projection horizon (${unit}s; up to ${H} as built)`, value: H, format: FORMAT.whole, accepts: horizon(H, unit) },
    { name: "Timing", text: 'Margin paid at the "start" or "end" of each period', value: settings.timing, accepts: timing("margin") },
    { name: "Alpha", text: fit.logLikelihood === undefined ? "Alpha (sBG, assumed)" : "Fitted alpha (sBG, maximum likelihood)", value: fit.alpha, format: FORMAT.number, accepts: positive("Alpha", "Alpha of the shifted-beta-geometric curve, above 0") },
    { name: "Beta", text: fit.logLikelihood === undefined ? "Beta (sBG, assumed)" : "Fitted beta (sBG, maximum likelihood)", value: fit.beta, format: FORMAT.number, accepts: positive("Beta", "Beta of the shifted-beta-geometric curve, above 0") },
    { name: "LogLikelihood", text: "Log-likelihood of the fit", value: fit.logLikelihood ?? "assumed, not fitted", format: FORMAT.number },
    { name: "FittedOn", text: "Fitted on", value: fit.fittedOn },
  ];
  const validations: ValidationPlan[] = [];
  const checks: [string, string][] = [];
  const overridable = new Map(SCENARIO_INPUT_ROWS.map(([key, row]) => [row, key]));
  const scenarioInputs: ScenarioInput[] = [];
  const mainCell = (address: string) => `${quoteSheet(COHORT_SHEET)}!${address}`;
  inputs.forEach(({ name, text, value, format, accepts }, i) => {
    const row = 5 + i;
    label(`A${row}`, text);
    const at = `B${row}`;
    const key = overridable.get(row);
    const isFormula = typeof value === "string" && value.startsWith("=");
    const linked = scenarioInputCell({ main: COHORT_SHEET, scenarios: S, own }, row, { overridable: key !== undefined, formula: isFormula, accepts });
    if (linked) {
      writes.push({ at, formulas: [[linked.formula]], numberFormat: format });
      checks.push(...linked.checks);
      names.push({ name, ref: `$B$${row}` });
      if (key === undefined) return;
      if (withExpected) expected.set(at, settings[key]);
      if (isMain) scenarioInputs.push({ name, key, row, base: base[key], format, accepts, text: key === "timing" });
      return;
    }
    if (isFormula) {
      writes.push({ at, formulas: [[value]], numberFormat: format });
      if (name === "MarginPerPeriod" && withExpected) expected.set(at, settings.revenue * settings.margin);
      if (name === "DiscountRate" && withExpected) expected.set(at, discountRate);
    } else {
      writes.push({ at, values: [[value]], numberFormat: format, text: typeof value === "string", style: accepts ? { fill: INPUT_FILL } : { italic: true } });
    }
    names.push({ name, ref: `$B$${row}` });
    if (accepts) {
      validations.push({ range: at, rule: accepts.rule(at), prompt: accepts.prompt, error: accepts.error });
      checks.push(...accepts.checks.map(([condition, message]): [string, string] => [condition, `${message} (${at})`]));
    }
  });
  if (isMain) {
    // ActiveScenario and the scenario table; the scenario's check comes first, as every input in use reads it.
    const table = scenarioTable(role.scenarios as Scenario<Record<string, unknown>>[], role.active, scenarioInputs);
    writes.push(...table.writes);
    validations.push(...table.validations);
    names.push(...table.names);
    checks.unshift(table.check);
    if (withExpected) expected.set("C3", role.active + 1);
  }

  // Fitted curve: t = 0..T in C27.., retention, survival and discount factors below.
  const firstPeriodColumn = 3; // C
  const lastPeriodColumn = firstPeriodColumn + T;
  const periodRange = (row: number) => `$${col(firstPeriodColumn)}$${row}:$${col(lastPeriodColumn)}$${row}`;
  label("A26", "Fitted curve", true);
  label("A27", "Period t");
  writes.push({ at: "C27", values: [Array.from({ length: T + 1 }, (_, t) => t)], style: { bold: true } });
  label("A28", "Fitted retention r(t) = (β+t−1)/(α+β+t−1)");
  fillFormula("D28", 1, T, guard("(Beta+D27-1)/(Alpha+Beta+D27-1)"), FORMAT.share, [model.retention.slice(1)]);
  label("A29", "Fitted survival S(t) = B(α, β+t)/B(α, β)");
  formulas("C29", [[guard("1")]], FORMAT.share, [[1]]);
  fillFormula("D29", 1, T, "=C29*D28", FORMAT.share, [model.survival.slice(1)]);
  label("A30", "Discount factor 1/(1+d)^t");
  fillFormula("C30", 1, T + 1, "=1/(1+DiscountRate)^C27", FORMAT.number, [model.discountFactor]);
  names.push({ name: "PeriodT", ref: periodRange(27) }, { name: "Survival", ref: periodRange(29) }, { name: "DiscountFactor", ref: periodRange(30) });
  // A new customer's margin to date, discounted to acquisition, by age p (for the payback).
  label("A31", "Cumulative margin of a new customer by age, discounted");
  {
    const cumulative = [0];
    for (let p = 1; p <= T; p++) {
      const t = settings.timing === "start" ? p - 1 : p;
      cumulative.push((cumulative[p - 1] as number) + (p <= settings.horizon ? input.margin * (model.survival[t] as number) * (model.discountFactor[t] as number) : 0));
    }
    formulas("C31", [[guard("0")]], FORMAT.money, [[0]]);
    fillFormula("D31", 1, T, '=C31+IF(D27>Horizon,0,MarginPerPeriod*IF(Timing="start",C29*C30,D29*D30))', FORMAT.money, [cumulative.slice(1)]);
    names.push({ name: "NewCustomerCumulative", ref: periodRange(31) });
  }

  // Observed cohorts (values) from row 33.
  const dataHeader = 33;
  const dataRow = (i: number) => dataHeader + 1 + i;
  label(`A${dataHeader - 1}`, "Observed cohorts: customers still active after each period", true);
  writes.push({ at: `A${dataHeader}`, values: [["Cohort", "Customers", ...Array.from({ length: maxAge }, (_, t) => `Period ${t + 1}`)]], style: { bold: true } });
  if (isMain) {
    writes.push({ at: `A${dataRow(0)}`, values: settings.cohorts.map((c) => [c.label]), text: true });
    writes.push({
      at: `B${dataRow(0)}`,
      values: settings.cohorts.map((c) => [c.customers, ...Array.from({ length: maxAge }, (_, t) => c.survivors[t] ?? null)]),
      numberFormat: "#,##0",
    });
  } else {
    // The model sheet's cohorts, read live (a blank stays blank-like, so the checks read them alike).
    writes.push({ at: `A${dataRow(0)}`, fill: { formula: `=${mainCell(`A${dataRow(0)}`)}`, rows: N, columns: 1 } });
    writes.push({ at: `B${dataRow(0)}`, fill: { formula: linkedCell(COHORT_SHEET, `B${dataRow(0)}`), rows: N, columns: 1 + maxAge }, numberFormat: "#,##0" });
  }
  const countsRange = (i: number) => `$C$${dataRow(i)}:$${col(2 + Math.max(maxAge, 1))}$${dataRow(i)}`;
  {
    // The observed counts are inputs too: numbers, 0 or more, each cohort's size above 0, never rising.
    const last = col(2 + Math.max(maxAge, 1));
    const block = `$B$${dataRow(0)}:$${last}$${dataRow(N - 1)}`;
    // On a scenario's sheet, the counts a message names are the model sheet's.
    const on = (cells: string) => (isMain ? cells : `${COHORT_SHEET}!${cells}`);
    const shown = on(block.replace(/\$/g, ""));
    validations.push({
      range: block,
      rule: { kind: "decimal", min: 0 },
      prompt: { title: "Observed customers", message: "Customers of each cohort at acquisition (column B) and still active after each period: counts, 0 or more, never rising." },
      error: { title: "Count: not accepted", message: "A count of customers must be a number, 0 or more." },
      allowBlank: true,
    });
    checks.push(
      [`SUMPRODUCT((${block}<>"")*(1-ISNUMBER(${block})))=0`, `every count of customers must be a number (${shown})`],
      [`COUNTIF(${block},"<0")=0`, `a count of customers is below 0 (${shown})`],
      [`COUNTIF($B$${dataRow(0)}:$B$${dataRow(N - 1)},">0")=${N}`, `every cohort needs its number of customers, above 0 (${on(`B${dataRow(0)}:B${dataRow(N - 1)}`)})`],
    );
    if (maxAge > 0) {
      const later = `$C$${dataRow(0)}:$${last}$${dataRow(N - 1)}`;
      const earlier = `$B$${dataRow(0)}:$${col(1 + maxAge)}$${dataRow(N - 1)}`;
      // A cohort's counts run without a gap from its first period: an empty cell ends them.
      checks.push([`SUMPRODUCT((${later}<>"")*(${earlier}=""))=0`, `a count of customers is missing before a later one; a cohort's counts run without a gap (${shown})`]);
      checks.push([`SUMPRODUCT(ISNUMBER(${later})*(${later}>${earlier}))=0`, `a cohort has more customers in a period than in the one before; counts never rise (${shown})`]);
    }
  }

  // Observed survival triangle, and the fitted one beside it.
  const triangleHeader = dataRow(N) + 1;
  const triangleRow = (i: number) => triangleHeader + 1 + i;
  const fittedStart = firstPeriodColumn + maxAge + 2;
  label(`A${triangleHeader}`, "Observed survival (share of the cohort still active)", true);
  writes.push({ at: `C${triangleHeader}`, values: [Array.from({ length: maxAge + 1 }, (_, t) => t)], style: { bold: true } });
  writes.push({ at: `${col(fittedStart)}${triangleHeader - 1}`, values: [["Fitted survival S(t)"]], style: { bold: true } });
  writes.push({ at: `${col(fittedStart)}${triangleHeader}`, values: [Array.from({ length: maxAge + 1 }, (_, t) => t)], style: { bold: true } });
  cohorts.forEach((c, i) => {
    const r = triangleRow(i);
    formulas(`A${r}`, [[`=A${dataRow(i)}`]], undefined, [[settings.cohorts[i]!.label]]);
    formulas(`C${r}`, [[guard(`B${dataRow(i)}/B${dataRow(i)}`)]], FORMAT.share, [[1]]);
    if (c.survivors.length > 0) fillFormula(`D${r}`, 1, c.survivors.length, guard(`C${dataRow(i)}/$B${dataRow(i)}`), FORMAT.share, [c.survivors.map((n) => n / c.size)]);
    fillFormula(`${col(fittedStart)}${r}`, 1, c.survivors.length + 1, `=INDEX(Survival,1,${col(fittedStart)}$${triangleHeader}+1)`, FORMAT.share, [model.survival.slice(0, c.survivors.length + 1)]);
  });

  // Projection: active customers per cohort per future period j = 1..H, conditioned on each cohort's own survivors.
  const projHeader = triangleRow(N) + 2;
  const projRow = (i: number) => projHeader + 2 + i;
  const firstJ = 4; // D
  const lastJ = firstJ + H - 1;
  label(`A${projHeader - 1}`, "Projected active customers (each cohort from its own survivors: n_a × S(a+k)/S(a))", true);
  writes.push({ at: `A${projHeader}`, values: [["Cohort", "Age a (periods observed)", "Active today n_a", ...Array.from({ length: H }, (_, j) => j + 1)]], style: { bold: true } });
  label(`C${projHeader + 1}`, "k: periods from today");
  formulas(
    `D${projHeader + 1}`,
    [Array.from({ length: H }, (_, j) => guard(`${col(firstJ + j)}${projHeader}-IF(Timing="start",1,0)`))],
    FORMAT.whole,
    [Array.from({ length: H }, (_, j) => projectionOffset(j + 1, settings.timing))],
  );
  cohorts.forEach((c, i) => {
    const r = projRow(i);
    const result = model.cohorts[i]!;
    formulas(`A${r}`, [[`=A${dataRow(i)}`]], undefined, [[settings.cohorts[i]!.label]]);
    formulas(`B${r}`, [[guard(`COUNT(${countsRange(i)})`)]], FORMAT.whole, [[result.age]]);
    formulas(`C${r}`, [[guard(`IF(B${r}=0,B${dataRow(i)},INDEX(${countsRange(i)},1,B${r}))`)]], FORMAT.count, [[result.active]]);
  });

  fillFormula(
    `D${projRow(0)}`,
    N,
    H,
    // 0 times the cohort's active count beyond the horizon: an error still flows through when an input is out of its domain.
    `=IF(D$${projHeader}>Horizon,0*$C${projRow(0)},$C${projRow(0)}*INDEX(Survival,1,$B${projRow(0)}+D$${projHeader + 1}+1)/INDEX(Survival,1,$B${projRow(0)}+1))`,
    FORMAT.count,
    model.cohorts.map((c) => c.projected),
  );

  // Layer cake: margin per cohort per period, discounted to today.
  const cakeHeader = projRow(N) + 2;
  const cakeRow = (i: number) => cakeHeader + 1 + i;
  label(`A${cakeHeader - 1}`, "Margin by cohort, discounted to today (the layer cake)", true);
  writes.push({ at: `A${cakeHeader}`, values: [["Cohort"]], style: { bold: true } });
  writes.push({ at: `D${cakeHeader}`, values: [Array.from({ length: H }, (_, j) => j + 1)], style: { bold: true } });
  cohorts.forEach((_, i) => {
    const r = cakeRow(i);
    formulas(`A${r}`, [[`=A${dataRow(i)}`]], undefined, [[settings.cohorts[i]!.label]]);
  });
  fillFormula(`D${cakeRow(0)}`, N, H, `=D${projRow(0)}*MarginPerPeriod/(1+DiscountRate)^D$${projHeader + 1}`, FORMAT.money, model.cohorts.map((c) => c.discountedMargin));
  const cakeTotal = cakeRow(N);
  label(`A${cakeTotal}`, "Total", true);
  formulas(
    `D${cakeTotal}`,
    [Array.from({ length: H }, (_, j) => `=SUM(${col(firstJ + j)}${cakeRow(0)}:${col(firstJ + j)}${cakeRow(N - 1)})`)],
    FORMAT.money,
    [Array.from({ length: H }, (_, j) => model.cohorts.reduce((s, c) => s + (c.discountedMargin[j] ?? 0), 0))],
  );

  // Cumulative margin per acquired customer by age p = 1..T, for CLV and payback per cohort.
  const cumHeader = cakeTotal + 3;
  const cumRow = (i: number) => cumHeader + 2 + i;
  const lastCum = firstPeriodColumn + T - 1;
  label(`A${cumHeader - 1}`, "Cumulative margin per acquired customer, discounted to acquisition, by age (observed, then projected)", true);
  writes.push({ at: `A${cumHeader}`, values: [["Cohort", "Age p"]], style: { bold: true } });
  writes.push({ at: `C${cumHeader}`, values: [Array.from({ length: T }, (_, p) => p + 1)], style: { bold: true } });
  label(`B${cumHeader + 1}`, "t: payment time");
  formulas(
    `C${cumHeader + 1}`,
    [Array.from({ length: T }, (_, p) => guard(`${col(firstPeriodColumn + p)}${cumHeader}-IF(Timing="start",1,0)`))],
    FORMAT.whole,
    [Array.from({ length: T }, (_, p) => (settings.timing === "start" ? p : p + 1))],
  );
  cohorts.forEach((_, i) => formulas(`A${cumRow(i)}`, [[`=A${dataRow(i)}`]], undefined, [[settings.cohorts[i]!.label]]));
  {
    // Column B of these rows is empty (0), the cumulative value before age 1.
    const pr = projRow(0);
    const dr = dataRow(0);
    const t = `C$${cumHeader + 1}`;
    const counts = `$C${dr}:$${col(2 + Math.max(maxAge, 1))}${dr}`;
    const share = `IF(${t}<=$B${pr},IF(${t}=0,1,INDEX(${counts},1,${t})/$B${dr}),$C${pr}/$B${dr}*INDEX(Survival,1,${t}+1)/INDEX(Survival,1,$B${pr}+1))`;
    fillFormula(
      `C${cumRow(0)}`,
      N,
      T,
      `=B${cumRow(0)}+IF(C$${cumHeader}>$B${pr}+Horizon,0,MarginPerPeriod*${share}/(1+DiscountRate)^${t})`,
      FORMAT.money,
      model.cohorts.map((c) => c.cumulative),
    );
  }

  // Per-cohort results.
  const resHeader = cumRow(N) + 2;
  const resRow = (i: number) => resHeader + 1 + i;
  label(`A${resHeader - 1}`, "Results by cohort", true);
  writes.push({
    at: `A${resHeader}`,
    values: [["Cohort", "Value of active customers", "CLV per acquired customer", "LTV:CAC", `Payback (${settings.period}s)`]],
    style: { bold: true },
  });
  cohorts.forEach((_, i) => {
    const r = resRow(i);
    const result = model.cohorts[i]!;
    const cum = `$C$${cumRow(i)}:$${col(lastCum)}$${cumRow(i)}`;
    const total = `$${col(lastCum)}$${cumRow(i)}`;
    formulas(`A${r}`, [[`=A${dataRow(i)}`]], undefined, [[settings.cohorts[i]!.label]]);
    formulas(`B${r}`, [[guard(`SUM($D$${cakeRow(i)}:$${col(lastJ)}$${cakeRow(i)})`), guard(`${total}-CAC`)]], FORMAT.money, [[result.value, result.clvPerCustomer]]);
    formulas(`D${r}`, [[guard(`IF(CAC>0,${total}/CAC,"no CAC")`)]], "0.00", [[result.ltvToCac ?? "no CAC"]]);
    formulas(`E${r}`, [[guard(`IF(CAC<=0,0,IF(${total}<CAC,"beyond horizon",COUNTIF(${cum},"<"&CAC)+1))`)]], FORMAT.whole, [[result.paybackPeriods ?? "beyond horizon"]]);
  });

  // Headline results, named.
  label("A19", "Results", true);
  const cakeBlock = `$D$${cakeRow(0)}:$${col(lastJ)}$${cakeRow(N - 1)}`;
  const headline: [string, string, string, number | string, string][] = [
    ["CLV_NewCustomer", "CLV of a newly acquired customer", guard(`MarginPerPeriod*SUMPRODUCT((PeriodT>=IF(Timing="start",0,1))*(PeriodT<IF(Timing="start",0,1)+Horizon)*Survival*DiscountFactor)-CAC`), model.clvNewCustomer, FORMAT.money],
    ["CustomerEquity", "Customer equity: value of the customers active today", guard(`SUM(${cakeBlock})`), model.customerEquity, FORMAT.money],
    ["ActiveToday", "Customers active today", guard(`SUM($C$${projRow(0)}:$C$${projRow(N - 1)})`), model.activeToday, "#,##0"],
    ["LTV_CAC", "LTV:CAC of a newly acquired customer", guard(`IF(CAC>0,(CLV_NewCustomer+CAC)/CAC,"no CAC")`), model.ltvToCacNewCustomer ?? "no CAC", "0.00"],
    ["Payback_NewCustomer", `Payback of a newly acquired customer (${unit}s)`, guard(`IF(CAC<=0,0,IF(MAX(NewCustomerCumulative)<CAC,"beyond horizon",COUNTIF(NewCustomerCumulative,"<"&CAC)))`), model.paybackNewCustomer ?? "beyond horizon", FORMAT.whole],
  ];
  headline.forEach(([name, text, formula, value, format], i) => {
    const row = 20 + i;
    label(`A${row}`, text);
    formulas(`B${row}`, [[formula]], format, [[value]]);
    names.push({ name, ref: `$B$${row}` });
  });

  // The fit's 90% band, beside α and β (rows 14–15) and the CLV and equity (rows 20–21), in
  // columns C and D, free above the curve (row 27 on): values, dated by the fit, as α and β are.
  if (isMain && fit.band && fit.logLikelihood !== undefined) {
    const band = fit.band;
    const note = `90% interval (from the fit, ${fit.fittedOn}): values, they do not follow the inputs`;
    for (const row of [4, 19]) writes.push({ at: `C${row}`, values: [["Low (90%)", "High (90%)"]], style: { bold: true } });
    // The note beside the results' band, and below α and β's (row 4 on the right holds the scenario table).
    writes.push({ at: "E19", values: [[note]], text: true, style: { italic: true } });
    writes.push({ at: "C16", values: [[`↑ ${note}`]], text: true, style: { italic: true } });
    const interval = (row: number, { low, high }: { low: number; high: number }, format: string) => writes.push({ at: `C${row}`, values: [[low, high]], numberFormat: format, style: { italic: true } });
    interval(14, band.alpha, FORMAT.number);
    interval(15, band.beta, FORMAT.number);
    interval(20, band.clvNewCustomer, FORMAT.money);
    interval(21, band.customerEquity, FORMAT.money);
    names.push({ name: "Band_CLV_Low", ref: "$C$20" }, { name: "Band_CLV_High", ref: "$D$20" }, { name: "Band_Equity_Low", ref: "$C$21" }, { name: "Band_Equity_High", ref: "$D$21" });
  }

  // Charts right of the fitted triangle and of the scenario table.
  const chartColumn = Math.max(fittedStart + maxAge + 3, SCENARIO_COLUMN + S + 1);
  // Sensitivity of the CLV of a new customer, below the results by cohort.
  const sensitivity = tornadoBlock(
    resRow(N) + 2,
    { revenue: settings.revenue, margin: settings.margin, cac: settings.cac, annualDiscount: settings.annualDiscount, periodsPerYear, horizon: settings.horizon, timing: settings.timing, alpha: fit.alpha, beta: fit.beta, tRow: 27, lastT: T, step: settings.tornadoStep ?? DEFAULT_TORNADO_STEP },
    { first: col(firstPeriodColumn), second: col(firstPeriodColumn + 1), last: col(lastPeriodColumn) },
    { from: `${col(chartColumn)}42`, to: `${col(chartColumn + 8)}60` },
  );
  if (isMain) addBlock({ writes, names, validations, checks }, sensitivity, withExpected ? expected : undefined);
  // The two-way grid of the CLV of a new customer, below the tornado, with its heat map.
  const grid = !isMain
    ? undefined
    : gridBlock(
        sensitivity.end + 1,
        { revenue: settings.revenue, margin: settings.margin, cac: settings.cac, annualDiscount: settings.annualDiscount, periodsPerYear, horizon: settings.horizon, builtHorizon: H, timing: settings.timing, alpha: fit.alpha, beta: fit.beta, tRow: 27 },
        settings.grid ?? defaultGrid(settings),
        (t) => col(firstPeriodColumn + t),
      );
  if (grid) addBlock({ writes, names, validations, checks }, grid, withExpected ? expected : undefined);

  // The check cell, once every condition is known: the first that fails says what to fix.
  label("A18", "Input check: OK, or what to fix", true);
  formulas("B18", [[checkFormula(checks)]], undefined, [["OK"]]);
  names.push({ name: "InputCheck", ref: "$B$18" });

  const charts: ChartPlan[] = !isMain ? [] : [
    {
      kind: "line",
      title: "Survival: observed by cohort and fitted",
      categories: `C${triangleHeader}:${col(firstPeriodColumn + maxAge)}${triangleHeader}`,
      series: [
        { name: "Fitted S(t)", values: `C29:${col(firstPeriodColumn + maxAge)}29` },
        ...cohorts.slice(-12).map((c, k) => {
          const i = N - Math.min(12, N) + k;
          return { name: settings.cohorts[i]!.label, values: `C${triangleRow(i)}:${col(firstPeriodColumn + c.survivors.length)}${triangleRow(i)}` };
        }),
      ],
      from: `${col(chartColumn)}3`,
      to: `${col(chartColumn + 8)}20`,
    },
    {
      kind: "areaStacked",
      // Excel draws at most 255 series in a chart: beyond that, the latest cohorts.
      title: N > MAX_CHART_SERIES ? `Margin by cohort, discounted, stacked over time (the latest ${MAX_CHART_SERIES} cohorts)` : "Margin by cohort, discounted, stacked over time",
      categories: `D${cakeHeader}:${col(lastJ)}${cakeHeader}`,
      series: cohorts.slice(-MAX_CHART_SERIES).map((_, k) => {
        const i = Math.max(0, N - MAX_CHART_SERIES) + k;
        return { name: settings.cohorts[i]!.label, values: `D${cakeRow(i)}:${col(lastJ)}${cakeRow(i)}` };
      }),
      from: `${col(chartColumn)}22`,
      to: `${col(chartColumn + 8)}40`,
    },
    sensitivity.chart,
  ];

  const sheet: SheetPlan = isMain
    ? { name: COHORT_SHEET, writes, names, charts, tables: [{ name: "LifetimeCohorts", range: `A${dataHeader}:${col(2 + Math.max(maxAge, 1))}${dataRow(N - 1)}`, style: "TableStyleLight9" }], freeze: { rows: 0, columns: 1 }, columnWidths: { A: 48, B: 16, C: 14 }, validations, heatMaps: grid?.heatMaps }
    : { name: scenarioSheetName(SCENARIO_PREFIX, own), writes, names, charts, freeze: { rows: 0, columns: 1 }, columnWidths: { A: 48, B: 16, C: 14 } };
  return { sheet, expected, model };
}
