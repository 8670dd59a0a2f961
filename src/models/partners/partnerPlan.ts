import { z } from "zod";
import { formatCount } from "../../core/errors";
import { baseRetention, partnerRetention, programResults, type PartnerTerms, type ProgramResult, type RetentionCurve } from "../../core/partners/program";
import { amount, annualRate, checkFormula, FORMAT, fraction, horizon, INPUT_FILL, numberWhere, positive, timing, whole, type Accepts } from "../inputs";
import { PERIODS_PER_YEAR } from "../cohort/cohortPlan";
import { DEFAULT_TORNADO_STEP, tornadoStepSchema } from "../tornadoTable";
import { partnerTornadoBlock } from "./tornado";
import { partnerGridBlock } from "./grid";
import { defaultPartnerGrid, partnerGridSchema } from "./gridSettings";
import { activeScenarioIndex, comparisonSheet, scenarioSheetName, scenariosOf, checkActiveScenario, scenarioFields, scenarioTable, SCENARIO_COLUMN, withScenario, type Scenario, type ScenarioInput, scenarioInputCell } from "../scenarios";
import { addBlock, cellAddress, columnLetter, parseAddress, qualifyReferences, quoteSheet, type CellContent, type ChartPlan, type DefinedName, type RangeWrite, type SheetPlan, type ValidationPlan, type WorkbookPlan } from "../plan";

/**
 * The referral-partner model as a workbook: the economics of a referred customer, a table
 * of partners and their terms, and every result as a live formula over them, so the
 * workbook recalculates without the add-in. Formulas keep to functions that Excel 2016+,
 * Excel on the web and LibreOffice all compute (no LET, LAMBDA or dynamic arrays). Every
 * result answers #N/A while an input is out of its domain; the cell named InputCheck says
 * which input and what to fix. The conventions are those of core/partners/program.ts.
 */

/** The most tiers a partner's table may have. */
export const MAX_TIERS = 20;
/** The most cells one partner-by-period block may hold: 500 partners × 600 periods. */
export const MAX_PARTNER_CELLS = 300_000;
/** The most cells one block may hold across the model's sheet and its scenarios' sheets. */
export const MAX_SCENARIO_CELLS = 1_200_000;

const tiersSchema = z
  .object({
    starts: z.array(z.number()).min(1, "a tier table needs at least one tier").max(MAX_TIERS, `at most ${MAX_TIERS} tiers`),
    rates: z.array(z.number().nonnegative("a tier's rate must be 0 or more").max(1, "its rate is a fraction of revenue, at most 1 (20% is 0.2)")).min(1).max(MAX_TIERS),
    method: z.enum(["all", "progressive"]),
  })
  .superRefine((t, ctx) => {
    if (t.starts.length !== t.rates.length) ctx.addIssue({ code: "custom", path: ["rates"], message: `a tier table needs as many rates as starts; got ${t.starts.length} starts and ${t.rates.length} rates` });
    if (t.starts[0] !== 0) ctx.addIssue({ code: "custom", path: ["starts", 0], message: "the first tier must start at 0" });
    t.starts.forEach((s, i) => {
      if (i > 0 && !(s > (t.starts[i - 1] as number))) ctx.addIssue({ code: "custom", path: ["starts", i], message: `tier ${i + 1} starts at ${s}, not above tier ${i} (${t.starts[i - 1]}): tiers must ascend without overlaps` });
    });
  });

export const partnerSchema = z.object({
  name: z.string().trim().min(1, "a partner needs a name").max(255, "a partner's name is at most 255 characters"),
  customersPerPeriod: z.number().nonnegative("customers per period must be 0 or more"),
  rate: z.number().nonnegative("the commission rate must be 0 or more").max(1, "the commission rate is a fraction of revenue, at most 1 (20% is 0.2)").optional(),
  tiers: tiersSchema.optional(),
  commissionPeriods: z.number().int("commission periods must be a whole number").nonnegative("commission periods must be 0 (lifetime) or more"),
  bounty: z.number().nonnegative("the bounty must be 0 or more"),
  holdPeriods: z.number().int("the hold period must be a whole number").nonnegative("the hold period must be 0 or more"),
  cap: z.number().nonnegative("the cap must be 0 or more").optional(),
  churnMultiplier: z.number().nonnegative("the churn multiplier must be 0 or more"),
});

const curveSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("constant"), retention: z.number().min(0, "retention must be between 0 and 1").max(1, "retention must be between 0 and 1 (85% is 0.85)") }),
  z.object({ kind: z.literal("sbg"), alpha: z.number().positive("alpha must be above 0"), beta: z.number().positive("beta must be above 0") }),
  /** α and β referenced live from a cohort model's sheet; the values are those at build time. */
  z.object({ kind: z.literal("linked"), sheet: z.string().min(1).max(31), alphaCell: z.string().regex(/^\$?[A-Z]{1,3}\$?\d+$/), betaCell: z.string().regex(/^\$?[A-Z]{1,3}\$?\d+$/), alpha: z.number().positive(), beta: z.number().positive() }),
]);

const economicsShape = {
    partners: z.array(partnerSchema).min(1, "there are no partners").max(500, "at most 500 partners"),
    revenue: z.number().nonnegative("revenue must be 0 or more"),
    margin: z.number().min(0, "margin must be between 0 and 1").max(1, "margin must be between 0 and 1 (70% is 0.7)"),
    curve: curveSchema,
    annualDiscount: z.number().gt(-1, "discount must be above -1").max(1, "discount must be an annual rate as a fraction, at most 1 (10% is 0.1)"),
    period: z.enum(["month", "quarter", "year"]),
    horizon: z.number().int("horizon must be a whole number of periods").min(1, "horizon must be at least 1 period").max(600, "horizon must be at most 600 periods"),
    acquisitionPeriods: z.number().int("acquisition periods must be a whole number").min(1, "acquisition periods must be at least 1").max(600, "acquisition periods must be at most 600"),
    paidCac: z.number().nonnegative("the paid acquisition cost must be 0 or more"),
    timing: z.enum(["start", "end"]),
    /** The share each input moves in the sensitivity table (TornadoStep); default 0.1. */
    tornadoStep: tornadoStepSchema,
    /** The two-way grid: one partner's flat commission rate × churn multiplier; a default when absent. */
    grid: partnerGridSchema.optional(),
};

/** The inputs a scenario may override: the economics and the retention curve's parameters, not the partners. */
export const partnerOverridesSchema = z.object({
  revenue: economicsShape.revenue,
  margin: economicsShape.margin,
  annualDiscount: economicsShape.annualDiscount,
  horizon: economicsShape.horizon,
  acquisitionPeriods: economicsShape.acquisitionPeriods,
  paidCac: economicsShape.paidCac,
  timing: economicsShape.timing,
  /** With a constant curve. */
  retention: z.number().min(0, "retention must be between 0 and 1").max(1, "retention must be between 0 and 1 (85% is 0.85)"),
  /** With an sBG curve, fitted or linked. */
  alpha: z.number().positive("alpha must be above 0"),
  beta: z.number().positive("beta must be above 0"),
});
export type PartnerOverrides = z.infer<typeof partnerOverridesSchema>;

export const partnerInputSchema = z
  .object({
    ...economicsShape,
    ...scenarioFields(partnerOverridesSchema),
  })
  .superRefine((input, ctx) => {
    const scenarios = scenariosOf(input);
    checkActiveScenario(input, ctx);
    if (input.grid?.partner !== undefined && !input.partners.some((p) => p.name === input.grid!.partner)) {
      ctx.addIssue({ code: "custom", path: ["grid", "partner"], message: `the grid's partner ${input.grid.partner} is not one of the partners` });
    }
    scenarios.forEach((s, j) => {
      const o = s.overrides;
      if (o.retention !== undefined && input.curve.kind !== "constant") ctx.addIssue({ code: "custom", path: ["scenarios", j, "overrides", "retention"], message: `scenario ${s.name}: a constant retention overrides a constant curve; this model's curve is the sBG: override alpha and beta` });
      if ((o.alpha !== undefined || o.beta !== undefined) && input.curve.kind === "constant") ctx.addIssue({ code: "custom", path: ["scenarios", j, "overrides", o.alpha !== undefined ? "alpha" : "beta"], message: `scenario ${s.name}: alpha and beta override an sBG curve; this model's retention is constant: override retention` });
      if (j > 0 && (o.horizon !== undefined || o.retention !== undefined || o.alpha !== undefined || o.beta !== undefined)) {
        // Each scenario's partners must keep their retention at 0 or more and their bounty's hold within the horizon.
        const own = scenarioSettings(input, s);
        own.partners.forEach((p) => {
          if (p.holdPeriods > own.horizon) ctx.addIssue({ code: "custom", path: ["scenarios", j, "overrides", "horizon"], message: `scenario ${s.name}: ${p.name}'s bounty is held ${p.holdPeriods} periods, beyond the scenario's horizon of ${own.horizon}` });
          try {
            partnerRetention(baseRetention(curveOf(own.curve), own.horizon), p.churnMultiplier, p.name);
          } catch (error) {
            ctx.addIssue({ code: "custom", path: ["scenarios", j, "overrides"], message: `scenario ${s.name}: ${(error as Error).message}` });
          }
        });
      }
    });
    const built = Math.max(input.horizon, ...scenarios.map((s) => s.overrides.horizon ?? 0));
    if (scenarios.length > 1 && input.partners.length * (built + 1) * (scenarios.length + 1) > MAX_SCENARIO_CELLS) {
      ctx.addIssue({ code: "custom", path: ["scenarios"], message: `${scenarios.length} scenarios, each on a sheet of its own, over ${input.partners.length} partners × ${built} periods make more than ${formatCount(MAX_SCENARIO_CELLS)} cells a block across the sheets: use fewer scenarios, fewer partners or a shorter horizon` });
    }
    if (input.partners.length * (built + 1) > MAX_PARTNER_CELLS) {
      ctx.addIssue({ code: "custom", path: ["partners"], message: `${input.partners.length} partners × ${built} periods${built > input.horizon ? " (the longest horizon a scenario asks for)" : ""} is more than the model holds (${formatCount(MAX_PARTNER_CELLS)} cells a block): use fewer partners or a shorter horizon` });
    }
    const seen = new Map<string, number>();
    const base = baseRetention(curveOf(input.curve), input.horizon);
    input.partners.forEach((p, i) => {
      const key = p.name.trim().toLowerCase();
      const earlier = seen.get(key);
      if (earlier !== undefined) ctx.addIssue({ code: "custom", path: ["partners", i, "name"], message: `${p.name}: another partner is named ${input.partners[earlier]!.name}; partner names must differ` });
      seen.set(key, i);
      if (p.rate !== undefined && p.tiers) ctx.addIssue({ code: "custom", path: ["partners", i, "rate"], message: `${p.name} has both a commission rate and tiers: give one or the other` });
      if (p.rate === undefined && !p.tiers) ctx.addIssue({ code: "custom", path: ["partners", i, "rate"], message: `${p.name} needs a commission rate or tiers` });
      if (p.holdPeriods > input.horizon) ctx.addIssue({ code: "custom", path: ["partners", i, "holdPeriods"], message: `${p.name}: the bounty is held ${p.holdPeriods} periods, beyond the horizon of ${input.horizon}` });
      try {
        partnerRetention(base, p.churnMultiplier, p.name);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["partners", i, "churnMultiplier"], message: (error as Error).message });
      }
    });
  });

export type PartnerModelSettings = z.infer<typeof partnerInputSchema>;
export type PartnerInput = z.infer<typeof partnerSchema>;

/** The curve of a scenario: its overrides of retention, or of alpha and beta, over the model's curve. */
export function scenarioCurve(curve: PartnerModelSettings["curve"], o: Partial<PartnerOverrides>): PartnerModelSettings["curve"] {
  if (curve.kind === "constant") return o.retention === undefined ? curve : { ...curve, retention: o.retention };
  if (o.alpha === undefined && o.beta === undefined) return curve;
  return { ...curve, alpha: o.alpha ?? curve.alpha, beta: o.beta ?? curve.beta };
}

/** The retention curve the core computes with: a linked curve is the sBG of its values at build time. */
export function curveOf(curve: PartnerModelSettings["curve"]): RetentionCurve {
  return curve.kind === "constant" ? curve : { kind: "sbg", alpha: curve.alpha, beta: curve.beta };
}

/** The core's results for the settings: what every result cell of the sheet must show. */
export function partnerProgram(settings: PartnerModelSettings): ProgramResult {
  const periodsPerYear = PERIODS_PER_YEAR[settings.period];
  return programResults(
    {
      revenue: settings.revenue,
      margin: settings.margin,
      curve: curveOf(settings.curve),
      discountRate: Math.expm1(Math.log1p(settings.annualDiscount) / periodsPerYear),
      horizon: settings.horizon,
      acquisitionPeriods: settings.acquisitionPeriods,
      paidCac: settings.paidCac,
      timing: settings.timing,
    },
    settings.partners.map((p): PartnerTerms => ({ ...p })),
  );
}

export interface PartnerPlanResult {
  plan: WorkbookPlan;
  /** For every result cell of the model sheet, the value the core computes for it (with `withExpected`). */
  expected: Map<string, number | string>;
  /** Every sheet's cells, by the sheet's name in the plan. */
  expectedBySheet: Map<string, Map<string, number | string>>;
  /** The active scenario's program, as the model sheet shows it. */
  program: ProgramResult;
  /** Each scenario's program, in the scenarios' order. */
  scenarioPrograms: ProgramResult[];
}

export const PARTNER_SHEET = "Partner model";
export const PARTNER_COMPARISON_SHEET = "Partner scenarios";
const SCENARIO_PREFIX = "Partner";

/** The settings of scenario `scenario`: its overrides applied, the curve's among them. */
export function scenarioSettings(settings: PartnerModelSettings, scenario: Scenario<PartnerOverrides> | undefined): PartnerModelSettings {
  if (!scenario) return settings;
  const economics = Object.fromEntries(Object.entries(scenario.overrides).filter(([key]) => key !== "retention" && key !== "alpha" && key !== "beta"));
  return { ...withScenario(settings, { name: scenario.name, overrides: economics }), curve: scenarioCurve(settings.curve, scenario.overrides) };
}

interface SheetRole {
  scenarios: Scenario<PartnerOverrides>[];
  active: number;
  builtHorizon: number;
  /** Scenario j's own sheet; undefined for the model sheet. */
  scenario?: number;
}

/**
 * Builds the plan: the model sheet (driven by the active scenario) and, with two scenarios or
 * more, a sheet per scenario and the comparison sheet. `withExpected` also returns, for the
 * result cells, the values the core computes, which the tests compare with a spreadsheet
 * engine's results.
 */
export function buildPartnerPlan(settings: PartnerModelSettings, { withExpected = false } = {}): PartnerPlanResult {
  const scenarios = scenariosOf<PartnerOverrides>(settings);
  const active = activeScenarioIndex(scenarios, settings.activeScenario);
  const builtHorizon = Math.max(...scenarios.map((s) => scenarioSettings(settings, s).horizon));
  const main = partnerSheet(settings, { scenarios, active, builtHorizon }, withExpected);
  if (scenarios.length === 1) {
    return { plan: { modelId: "partners", sheets: [main.sheet] }, expected: main.expected, expectedBySheet: new Map([[PARTNER_SHEET, main.expected]]), program: main.program, scenarioPrograms: [main.program] };
  }
  const own = scenarios.map((_, j) => partnerSheet(settings, { scenarios, active, builtHorizon, scenario: j }, withExpected));
  const programs = own.map((o) => o.program);
  const net = "Program net value (margin less commission), discounted to today";
  const commission = "Program commission, discounted to today";
  const comparison = comparisonSheet(
    PARTNER_COMPARISON_SHEET,
    "Referral-partner model: the scenarios side by side",
    SCENARIO_PREFIX,
    scenarios,
    [
      { label: "Input check", cell: own[0]!.cells.check, expected: () => "OK" },
      { label: commission, cell: own[0]!.cells.commission, format: FORMAT.money, name: "Scenario_ProgramCommission", expected: (j) => programs[j]!.commission },
      { label: net, cell: own[0]!.cells.netValue, format: FORMAT.money, name: "Scenario_ProgramNetValue", expected: (j) => programs[j]!.netValue },
      { label: "Program ROI: net value per commission dollar", cell: own[0]!.cells.roi, format: "0.00", name: "Scenario_ProgramROI", expected: (j) => programs[j]!.roi ?? "no commission" },
      { label: "Value over paid acquisition", cell: own[0]!.cells.valueOverPaid, format: FORMAT.money, expected: (j) => programs[j]!.valueOverPaid },
      ...settings.partners.map((p, i) => ({ label: `Net value per referred customer: ${p.name}`, cell: own[0]!.cells.partnerNet(i), format: FORMAT.money, expected: (j: number) => programs[j]!.partners[i]!.netValue })),
    ],
    [
      { title: "Program net value, by scenario", rows: [net] },
      { title: "Program commission, by scenario", rows: [commission] },
    ],
  );
  const sheets = [main.sheet, ...own.map((o) => o.sheet), comparison.sheet];
  const expectedBySheet = new Map<string, Map<string, number | string>>([[PARTNER_SHEET, main.expected], ...own.map((o): [string, Map<string, number | string>] => [o.sheet.name, o.expected]), [PARTNER_COMPARISON_SHEET, comparison.expected]]);
  return { plan: { modelId: "partners", sheets }, expected: main.expected, expectedBySheet, program: main.program, scenarioPrograms: programs };
}

/** The overridable inputs by their name on the sheet. */
const OVERRIDABLE: Record<string, keyof PartnerOverrides> = {
  Revenue: "revenue",
  Margin: "margin",
  AnnualDiscount: "annualDiscount",
  Horizon: "horizon",
  AcquisitionPeriods: "acquisitionPeriods",
  PaidCAC: "paidCac",
  Timing: "timing",
  Retention: "retention",
  Alpha: "alpha",
  Beta: "beta",
};

/** One sheet of the model: the model sheet, or a scenario's own (role.scenario), which reads the partners table of the model sheet. */
function partnerSheet(baseSettings: PartnerModelSettings, role: SheetRole, withExpected: boolean) {
  const own = role.scenario;
  const isMain = own === undefined;
  const S = role.scenarios.length;
  const settings = scenarioSettings(baseSettings, role.scenarios[own ?? role.active]);
  const program = partnerProgram(settings);
  const H = role.builtHorizon;
  const N = settings.partners.length;
  const M = Math.max(1, ...settings.partners.map((p) => p.tiers?.starts.length ?? 0));
  const unit = settings.period;
  const periodsPerYear = PERIODS_PER_YEAR[settings.period];
  const discountRate = Math.expm1(Math.log1p(settings.annualDiscount) / periodsPerYear);

  const writes: RangeWrite[] = [];
  const names: DefinedName[] = [];
  const validations: ValidationPlan[] = [];
  const checks: [string, string][] = [];
  const expected = new Map<string, number | string>();
  const letters: string[] = [];
  const col = (c: number) => (letters[c] ??= columnLetter(c));
  const label = (at: string, text: string, bold = false) => writes.push({ at, values: [[text]], style: bold ? { bold: true } : undefined });
  const expect = (at: string, values: (number | string | undefined)[][]) => {
    if (!withExpected) return;
    const { row, column } = parseAddress(at);
    values.forEach((r, i) => r.forEach((v, j) => v !== undefined && expected.set(cellAddress(row + i, column + j), v)));
  };
  const formulas = (at: string, grid: string[][], numberFormat?: string, values?: (number | string | undefined)[][]) => {
    writes.push({ at, formulas: grid, numberFormat });
    if (values) expect(at, values);
  };
  const fill = (at: string, rows: number, columns: number, formula: string, numberFormat?: string) => writes.push({ at, fill: { formula, rows, columns }, numberFormat });
  const guard = (expression: string) => `=IF(InputCheck="OK",${expression},NA())`;
  const input = (accepts: Accepts, at: string) => {
    validations.push({ range: at, rule: accepts.rule(at), prompt: accepts.prompt, error: accepts.error });
    checks.push(...accepts.checks.map(([condition, message]): [string, string] => [condition, `${message} (${at.replace(/\$/g, "")})`]));
  };

  label("A1", "Referral-partner model: each partner's terms priced against customer lifetime value", true);
  label("A2", "Every figure is a formula over the inputs in column B and the partners table: change an input and the model recalculates.");
  label("A4", "Inputs", true);

  // Inputs from row 5, each a sheet-scoped name.
  type Input = { name: string; text: string; value: CellContent; format?: string; accepts?: Accepts };
  const curve = settings.curve;
  const curveInputs: Input[] =
    curve.kind === "constant"
      ? [{ name: "Retention", text: `Retention per ${unit} of a customer`, value: curve.retention, format: FORMAT.share, accepts: fraction("Retention", `Share of customers active in one ${unit} still active in the next, from 0 to 1 (85% is 0.85)`) }]
      : curve.kind === "sbg"
        ? [
            { name: "Alpha", text: "Alpha of the retention curve (sBG)", value: curve.alpha, format: FORMAT.number, accepts: positive("Alpha", "Alpha of the shifted-beta-geometric retention curve, above 0") },
            { name: "Beta", text: "Beta of the retention curve (sBG)", value: curve.beta, format: FORMAT.number, accepts: positive("Beta", "Beta of the shifted-beta-geometric retention curve, above 0") },
          ]
        : [
            { name: "Alpha", text: `Alpha, from the cohort model on ${curve.sheet}`, value: `=${quoteSheet(curve.sheet)}!${curve.alphaCell}`, format: FORMAT.number },
            { name: "Beta", text: `Beta, from the cohort model on ${curve.sheet}`, value: `=${quoteSheet(curve.sheet)}!${curve.betaCell}`, format: FORMAT.number },
          ];
  const inputs: Input[] = [
    { name: "Revenue", text: `Revenue per active customer per ${unit}`, value: settings.revenue, format: FORMAT.money, accepts: amount("Revenue", `Revenue per active customer per ${unit}, in currency`) },
    { name: "Margin", text: "Gross margin (fraction of revenue)", value: settings.margin, format: FORMAT.share, accepts: fraction("Margin", "Gross margin as a fraction of revenue, from 0 to 1 (70% is 0.7)") },
    { name: "AnnualDiscount", text: "Annual discount rate", value: settings.annualDiscount, format: FORMAT.share, accepts: annualRate() },
    { name: "PeriodsPerYear", text: `Periods per year (${unit}s)`, value: periodsPerYear, format: FORMAT.whole, accepts: whole("PeriodsPerYear", 1, 365, "Periods in a year: 12 for months, 4 for quarters, 1 for years") },
    { name: "DiscountRate", text: `Discount rate per ${unit}: (1 + annual)^(1/periods) − 1`, value: guard("(1+AnnualDiscount)^(1/PeriodsPerYear)-1"), format: FORMAT.rate },
    { name: "Horizon", text: `Horizon of a referred customer (${unit}s; up to ${H} as built)`, value: settings.horizon, format: FORMAT.whole, accepts: horizon(H, unit) },
    { name: "AcquisitionPeriods", text: `${unit[0]!.toUpperCase()}${unit.slice(1)}s over which partners keep referring`, value: settings.acquisitionPeriods, format: FORMAT.whole, accepts: whole("AcquisitionPeriods", 1, 600, `How many ${unit}s partners keep referring customers, from 1 to 600`) },
    { name: "PaidCAC", text: "Acquisition cost through paid channels", value: settings.paidCac, format: FORMAT.money, accepts: amount("PaidCAC", "What a customer costs to acquire through paid channels, in currency") },
    { name: "Timing", text: 'Revenue paid at the "start" or "end" of each period', value: settings.timing, accepts: timing("revenue") },
    ...curveInputs,
  ];
  const scenarioInputs: ScenarioInput[] = [];
  const baseCurve = baseSettings.curve;
  const baseValue = (key: keyof PartnerOverrides, value: CellContent): string | number => {
    if (key === "retention") return baseCurve.kind === "constant" ? baseCurve.retention : Number.NaN;
    if (key === "alpha" || key === "beta") return baseCurve.kind === "linked" ? String(value) : baseCurve.kind === "sbg" ? baseCurve[key] : Number.NaN;
    return baseSettings[key];
  };
  inputs.forEach(({ name, text, value, format, accepts }, i) => {
    const row = 5 + i;
    label(`A${row}`, text);
    const at = `B${row}`;
    const key = OVERRIDABLE[name];
    const isFormula = typeof value === "string" && value.startsWith("=");
    const linked = scenarioInputCell({ main: PARTNER_SHEET, scenarios: S, own }, row, { overridable: key !== undefined, formula: isFormula, accepts });
    if (linked) {
      writes.push({ at, formulas: [[linked.formula]], numberFormat: format });
      checks.push(...linked.checks);
      names.push({ name, ref: `$B$${row}` });
      if (key === undefined) return;
      if (withExpected && !isFormula) expected.set(at, value as number | string);
      if (isMain) scenarioInputs.push({ name, key, row, base: baseValue(key, value), format, accepts, text: key === "timing" });
      return;
    }
    if (isFormula) writes.push({ at, formulas: [[value as string]], numberFormat: format });
    else writes.push({ at, values: [[value]], numberFormat: format, text: typeof value === "string", style: accepts ? { fill: INPUT_FILL } : { italic: true } });
    names.push({ name, ref: `$B$${row}` });
    if (accepts) input(accepts, at);
  });
  expect(`B${5 + 4}`, [[discountRate]]);
  if (isMain) {
    // ActiveScenario and the scenario table; the scenario's check comes first, as every input in use reads it.
    const table = scenarioTable(role.scenarios as Scenario<Record<string, unknown>>[], role.active, scenarioInputs);
    writes.push(...table.writes);
    validations.push(...table.validations);
    names.push(...table.names);
    checks.unshift(table.check);
    expect("C3", [[role.active + 1]]);
  }
  if (curve.kind === "linked") {
    const row = 5 + inputs.length - 2;
    // A sheet's name may hold a double quote, which a message inside a formula cannot: shown as a typographic one.
    const sheet = curve.sheet.replace(/"/g, "”");
    checks.push([numberWhere("Alpha", "Alpha>0"), `Alpha on ${sheet} must be a number above 0 (B${row})`], [numberWhere("Beta", "Beta>0"), `Beta on ${sheet} must be a number above 0 (B${row + 1})`]);
  }
  const checkRow = 5 + inputs.length + 1;

  // Program results, named.
  const programRow = checkRow + 3;
  // The partners table, its results and the per-period blocks, below.
  const tableHeader = programRow + 10;
  const tableRow = (i: number) => tableHeader + 1 + i;
  const firstTableRow = tableRow(0);
  const lastTableRow = tableRow(N - 1);
  const TIER_START = 10; // J: tier starts, then tier rates
  const tierRateColumn = TIER_START + M;
  const lastTableColumn = tierRateColumn + M - 1;
  // The partners table: on the model sheet only; a scenario's sheet reads it there (its formulas qualified below).
  if (isMain) {
    label(`A${tableHeader - 1}`, "Partners and their terms (edit them here; a partner has a commission rate or tiers, not both)", true);
    writes.push({
      at: `A${tableHeader}`,
      values: [
        [
          "Partner",
          "Customers per period",
          "Commission rate",
          "Tier method",
          "Commission periods (0: lifetime)",
          "Bounty",
          "Bounty hold periods",
          "Cap per customer",
          "Churn multiplier",
          ...Array.from({ length: M }, (_, k) => `Tier ${k + 1} starts above`),
          ...Array.from({ length: M }, (_, k) => `Tier ${k + 1} rate`),
        ],
      ],
      style: { bold: true },
    });
    writes.push({ at: `A${firstTableRow}`, values: settings.partners.map((p) => [p.name]), text: true });
    writes.push({
      at: `B${firstTableRow}`,
      values: settings.partners.map((p) => [p.customersPerPeriod, p.rate ?? null, p.tiers?.method ?? null, p.commissionPeriods, p.bounty, p.holdPeriods, p.cap ?? null, p.churnMultiplier]),
      style: { fill: INPUT_FILL },
    });
    writes.push({
      at: `${col(TIER_START)}${firstTableRow}`,
      values: settings.partners.map((p) => [...Array.from({ length: M }, (_, k) => p.tiers?.starts[k] ?? null), ...Array.from({ length: M }, (_, k) => p.tiers?.rates[k] ?? null)]),
      style: { fill: INPUT_FILL },
    });
  } else {
    label(`A${tableHeader - 1}`, `Partners and their terms: read from the table on ${PARTNER_SHEET}`, true);
  }
  const column = (c: string) => `$${c}$${firstTableRow}:$${c}$${lastTableRow}`;
  // On a scenario's sheet, the cells a message names are the model sheet's table.
  const tableCheck = (condition: string, message: string) => checks.push([condition, isMain ? message : message.replace(/\(([A-Z]+\d+(?::[A-Z]+\d+)*)\)$/, `(${PARTNER_SHEET}!$1)`)]);
  {
    const shown = (c: string) => `${c}${firstTableRow}:${c}${lastTableRow}`;
    const starts = `$${col(TIER_START)}$${firstTableRow}:$${col(tierRateColumn - 1)}$${lastTableRow}`;
    const rates = `$${col(tierRateColumn)}$${firstTableRow}:$${col(lastTableColumn)}$${lastTableRow}`;
    const rule = (range: string, rule: ValidationPlan["rule"], title: string, message: string, error: string, allowBlank = false) =>
      validations.push({ range, rule, prompt: { title, message }, error: { title: `${title}: not accepted`, message: error }, allowBlank });
    rule(column("B"), { kind: "decimal", min: 0 }, "Customers referred", "New customers the partner refers each period, 0 or more.", "Customers per period must be a number, 0 or more.");
    rule(column("C"), { kind: "decimal", min: 0, max: 1 }, "Commission rate", "Share of revenue paid to the partner, from 0 to 1 (20% is 0.2). Leave empty for a partner paid by tiers.", "A commission rate is a fraction from 0 to 1 (20% is 0.2).", true);
    rule(column("D"), { kind: "list", values: ["all", "progressive"] }, "Tier method", '"all": all units at the rate of the tier reached; "progressive": each band at its own rate. Empty without tiers.', 'The tier method is "all" or "progressive".', true);
    rule(column("E"), { kind: "whole", min: 0, max: 100000 }, "Commission periods", "Periods commissioned from the customer's acquisition; 0 for every period (lifetime).", "Commission periods must be a whole number, 0 or more.");
    rule(column("F"), { kind: "decimal", min: 0 }, "Bounty", "One-time amount per converted customer, in currency, 0 or more.", "A bounty must be an amount, 0 or more.");
    rule(column("G"), { kind: "whole", min: 0, max: H }, "Hold periods", `Periods the bounty is held, clawed back if the customer leaves first: 0 to ${H}.`, `A hold period is a whole number from 0 to ${H}.`);
    rule(column("H"), { kind: "decimal", min: 0 }, "Cap per customer", "Most the percentage commissions for one customer add up to, in currency. Empty: no cap.", "A cap must be an amount, 0 or more.", true);
    rule(column("I"), { kind: "decimal", min: 0 }, "Churn multiplier", "How many times as fast this partner's customers churn: 1 the same as others.", "A churn multiplier must be a number, 0 or more.");
    rule(starts, { kind: "decimal", min: 0 }, "Tier start", "The volume above which the tier applies; the first tier starts at 0, the next above it.", "A tier start must be a number, 0 or more.", true);
    rule(rates, { kind: "decimal", min: 0, max: 1 }, "Tier rate", "The tier's commission rate, from 0 to 1 (20% is 0.2).", "A tier rate is a fraction from 0 to 1.", true);
    const numbers = (c: string, what: string) => tableCheck(`COUNT(${column(c)})=${N}`, `every partner needs ${what}, a number (${shown(c)})`);
    numbers("B", "its customers per period");
    tableCheck(`COUNTIF(${column("B")},"<0")=0`, `customers per period must be 0 or more (${shown("B")})`);
    tableCheck(`COUNTIF(${column("C")},"<0")+COUNTIF(${column("C")},">1")=0`, `a commission rate is a fraction from 0 to 1 (${shown("C")})`);
    tableCheck(`SUMPRODUCT(ISNUMBER(${column("C")})*(${column("D")}<>""))=0`, `a partner has both a commission rate and a tier method: give one or the other (${shown("C")}:${shown("D")})`);
    tableCheck(`SUMPRODUCT((1-ISNUMBER(${column("C")}))*(${column("D")}=""))=0`, `a partner needs a commission rate or a tier method (${shown("C")}:${shown("D")})`);
    tableCheck(`SUMPRODUCT((${column("D")}<>"")*(${column("D")}<>"all")*(${column("D")}<>"progressive"))=0`, `a tier method is “all” or “progressive” (${shown("D")})`);
    numbers("E", "its commission periods");
    tableCheck(`SUMPRODUCT((${column("E")}<0)+(${column("E")}<>INT(${column("E")})))=0`, `commission periods are whole numbers, 0 (lifetime) or more (${shown("E")})`);
    numbers("F", "a bounty (0 for none)");
    tableCheck(`COUNTIF(${column("F")},"<0")=0`, `a bounty must be 0 or more (${shown("F")})`);
    numbers("G", "a bounty hold period (0 for none)");
    tableCheck(`SUMPRODUCT((${column("G")}<0)+(${column("G")}<>INT(${column("G")}))+(${column("G")}>Horizon))=0`, `a hold period is a whole number from 0 to the horizon (${shown("G")})`);
    tableCheck(`COUNTIF(${column("H")},"<0")=0`, `a cap must be 0 or more, or empty for none (${shown("H")})`);
    numbers("I", "a churn multiplier (1 for none)");
    tableCheck(`COUNTIF(${column("I")},"<0")=0`, `a churn multiplier must be 0 or more (${shown("I")})`);
    // Tier tables: for a partner with a method, starts from 0, ascending, without gaps, each with its rate.
    const startCol = (k: number) => `$${col(TIER_START + k)}$${firstTableRow}:$${col(TIER_START + k)}$${lastTableRow}`;
    const tierCells = `${col(TIER_START)}${firstTableRow}:${col(lastTableColumn)}${lastTableRow}`;
    tableCheck(`SUMPRODUCT((${column("D")}<>"")*(((1-ISNUMBER(${startCol(0)}))+(${startCol(0)}<>0))>0))=0`, `a partner's first tier must start at 0 (${tierCells})`);
    if (M > 1) {
      const later = `$${col(TIER_START + 1)}$${firstTableRow}:$${col(tierRateColumn - 1)}$${lastTableRow}`;
      const earlier = `$${col(TIER_START)}$${firstTableRow}:$${col(tierRateColumn - 2)}$${lastTableRow}`;
      tableCheck(`SUMPRODUCT(ISNUMBER(${later})*((1-ISNUMBER(${earlier}))+(${later}<=${earlier})>0))=0`, `a partner's tiers must ascend without gaps or overlaps (${tierCells})`);
    }
    tableCheck(
      `SUMPRODUCT((${column("D")}<>"")*(ISNUMBER(${starts})<>ISNUMBER(${rates})))=0`,
      `every tier needs a start and a rate (${tierCells})`,
    );
    tableCheck(`COUNTIF(${rates},"<0")+COUNTIF(${rates},">1")=0`, `a tier rate is a fraction from 0 to 1 (${tierCells})`);
  }

  // The base curve and its weights: t = 0..H in C.., from the row after the table.
  const curveHeader = lastTableRow + 3;
  const tRow = curveHeader + 1;
  const retentionRow = tRow + 1;
  const survivalRow = tRow + 2;
  const discountRow = tRow + 3;
  const weightRow = tRow + 4;
  const firstT = 3; // C: t = 0
  const lastT = firstT + H;
  const tCells = (row: number) => `$D$${row}:$${col(lastT)}$${row}`;
  label(`A${curveHeader}`, "Retention and weights of a customer bought through paid channels (t = 0 … horizon)", true);
  label(`A${tRow}`, "Period t");
  writes.push({ at: `C${tRow}`, values: [Array.from({ length: H + 1 }, (_, t) => t)], style: { bold: true } });
  label(`A${retentionRow}`, curve.kind === "constant" ? "Retention r(t)" : "Retention r(t) = (β+t−1)/(α+β+t−1)");
  fill(`D${retentionRow}`, 1, H, curve.kind === "constant" ? guard("Retention") : guard(`(Beta+D$${tRow}-1)/(Alpha+Beta+D$${tRow}-1)`), FORMAT.share);
  const base = baseRetention(curveOf(curve), H);
  expect(`D${retentionRow}`, [base]);
  label(`A${survivalRow}`, "Survival S(t)");
  formulas(`C${survivalRow}`, [[guard("1")]], FORMAT.share, [[1]]);
  fill(`D${survivalRow}`, 1, H, `=C${survivalRow}*D${retentionRow}`, FORMAT.share);
  label(`A${discountRow}`, "Discount factor at each period's payment");
  fill(`D${discountRow}`, 1, H, guard(`1/(1+DiscountRate)^(D$${tRow}-IF(Timing="start",1,0))`), FORMAT.number);
  label(`A${weightRow}`, "Weight: share paying × discount, within the horizon");
  fill(`D${weightRow}`, 1, H, `=IF(D$${tRow}>Horizon,0,IF(Timing="start",C${survivalRow},D${survivalRow})*D${discountRow})`, FORMAT.number);
  names.push({ name: "PeriodT", ref: tCells(tRow) });

  // Per-partner blocks, N rows each, over t = 0..H.
  type Block = { title: string; first: number };
  let nextBlock = weightRow + 3;
  const block = (title: string): Block => {
    const b = { title, first: nextBlock + 1 };
    label(`A${nextBlock}`, title, true);
    writes.push({ at: `A${b.first}`, formulas: settings.partners.map((_, i) => [`=A${tableRow(i)}`]) });
    nextBlock = b.first + N + 1;
    return b;
  };
  const retentionBlock = block("Retention of each partner's customers: 1 − k × (1 − r(t))");
  fill(`D${retentionBlock.first}`, N, H, `=1-$I${firstTableRow}*(1-D$${retentionRow})`, FORMAT.share);
  const survivalBlock = block("Survival of each partner's customers");
  fill(`C${survivalBlock.first}`, N, 1, guard("1"), FORMAT.share);
  fill(`D${survivalBlock.first}`, N, H, `=C${survivalBlock.first}*D${retentionBlock.first}`, FORMAT.share);
  const weightBlock = block("Weight of each period: share paying × discount, within the horizon");
  fill(`D${weightBlock.first}`, N, H, `=IF(D$${tRow}>Horizon,0,IF(Timing="start",C${survivalBlock.first},D${survivalBlock.first})*D$${discountRow})`, FORMAT.number);
  // The results table sits above the blocks' formulas' reach; its applied rate is column B.
  const resultsHeader = nextBlock + 3 * (N + 2) + 2;
  const resultRow = (i: number) => resultsHeader + 1 + i;
  const paidBlock = block("Percentage commissions paid to date per customer still active (capped)");
  fill(`C${paidBlock.first}`, N, 1, guard("0"), FORMAT.money);
  {
    const pay = `IF(OR($E${firstTableRow}=0,D$${tRow}<=$E${firstTableRow}),$B${resultRow(0)}*Revenue,0)`;
    fill(`D${paidBlock.first}`, N, H, `=IF(ISNUMBER($H${firstTableRow}),MIN($H${firstTableRow},C${paidBlock.first}+${pay}),C${paidBlock.first}+${pay})`, FORMAT.money);
  }
  const netBlock = block("Cumulative margin net of percentage commissions, per referred customer");
  fill(`C${netBlock.first}`, N, 1, guard("0"), FORMAT.money);
  fill(`D${netBlock.first}`, N, H, `=C${netBlock.first}+D${weightBlock.first}*(Margin*Revenue-(D${paidBlock.first}-C${paidBlock.first}))`, FORMAT.money);
  const maxBlock = block("Highest cumulative net margin so far (for the payback period)");
  fill(`C${maxBlock.first}`, N, 1, `=D${netBlock.first}`, FORMAT.money);
  fill(`D${maxBlock.first}`, N, H, `=MAX(C${maxBlock.first},D${netBlock.first})`, FORMAT.money);
  const rowRange = (b: Block, i: number, from = "D") => `$${from}$${b.first + i}:$${col(lastT)}$${b.first + i}`;

  // Per-partner results.
  label(`A${resultsHeader - 1}`, "Results by partner (per referred customer, discounted to its acquisition; totals over the program, discounted to today)", true);
  const resultColumns = ["Partner", "Commission rate applied", "Revenue", "Margin (CLV before commission)", "Commission", "Net value", "Commission share of revenue", "Partner ROI", `Payback (${unit})`, "Break-even commission rate", "Customers referred", "Total commission", "Total net value", "Value over paid acquisition", "Rank", "Expected bounty", "Commissioned revenue"];
  writes.push({ at: `A${resultsHeader}`, values: [resultColumns], style: { bold: true } });
  const rc = (i: number, c: string) => `$${c}$${resultRow(i)}`;
  const resultFormulas: string[][] = [];
  const resultValues: (number | string | undefined)[][] = [];
  settings.partners.forEach((p, i) => {
    const t = tableRow(i);
    const r = resultRow(i);
    const result = program.partners[i]!;
    const starts = `$${col(TIER_START)}$${t}:$${col(tierRateColumn - 1)}$${t}`;
    const rates = `$${col(tierRateColumn)}$${t}:$${col(lastTableColumn)}$${t}`;
    // Progressive bands: Σ rate_i × max(0, min(v, next start) − start_i), each min and max written with ABS so SUMPRODUCT takes them cell by cell.
    const next = M > 1 ? `$${col(TIER_START + 1)}$${t}:$${col(TIER_START + M - 1)}$${t}` : undefined;
    const v = `$B$${t}`;
    const band = (startRange: string, top: string) => `((${top}+${v}-ABS(${top}-${v}))/2-${startRange})`;
    const positivePart = (x: string) => `((${x})+ABS(${x}))/2`;
    const progressive =
      M > 1
        ? `(SUMPRODUCT(ISNUMBER(${next})*$${col(tierRateColumn)}$${t}:$${col(lastTableColumn - 1)}$${t}*${positivePart(band(`$${col(TIER_START)}$${t}:$${col(tierRateColumn - 2)}$${t}`, next!))})` +
          `+SUMPRODUCT((1-ISNUMBER(${next}))*ISNUMBER($${col(TIER_START)}$${t}:$${col(tierRateColumn - 2)}$${t})*$${col(tierRateColumn)}$${t}:$${col(lastTableColumn - 1)}$${t}*${positivePart(`${v}-$${col(TIER_START)}$${t}:$${col(tierRateColumn - 2)}$${t}`)})` +
          `+IF(ISNUMBER($${col(tierRateColumn - 1)}$${t}),$${col(lastTableColumn)}$${t}*${positivePart(`${v}-$${col(tierRateColumn - 1)}$${t}`)},0))/${v}`
        : `$${col(tierRateColumn)}$${t}`;
    const allUnits = `INDEX(${rates},1,MAX(1,SUMPRODUCT((${starts}<${v})*ISNUMBER(${starts}))))`;
    const applied = `IF(ISNUMBER($C${t}),$C${t},IF(${v}=0,$${col(tierRateColumn)}$${t},IF($D${t}="progressive",${progressive},${allUnits})))`;
    const w = rowRange(weightBlock, i);
    const paidNow = rowRange(paidBlock, i);
    const paidBefore = `$C$${paidBlock.first + i}:$${col(lastT - 1)}$${paidBlock.first + i}`;
    const survival = `$C$${survivalBlock.first + i}:$${col(lastT)}$${survivalBlock.first + i}`;
    const commissioned = `SUMPRODUCT(${w}*((($E${t}=0)+(${tCells(tRow)}<=$E${t}))>0))`;
    const payback = `IF(MAX(${rowRange(maxBlock, i)})>=${rc(i, "P")},SUMPRODUCT((${rowRange(maxBlock, i)}<${rc(i, "P")})*1)+1,"beyond horizon")`;
    const rankTies = i === 0 ? "" : `+SUMPRODUCT(($M$${resultRow(0)}:$M$${r - 1}=$M${r})*1)`;
    resultFormulas.push([
          `=A${t}`,
          guard(applied),
          guard(`Revenue*SUM(${w})`),
          guard(`Margin*C${r}`),
          guard(`SUMPRODUCT(${w}*(${paidNow}-${paidBefore}))+P${r}`),
          guard(`D${r}-E${r}`),
          guard(`IF(C${r}>0,E${r}/C${r},"no revenue")`),
          guard(`IF(E${r}>0,F${r}/E${r},"no commission")`),
          guard(payback),
          guard(`IF(Q${r}>0,(D${r}-P${r}-PaidCustomerValue)/Q${r},"no commissioned revenue")`),
          guard(`$B${t}*AcquisitionPeriods`),
          guard(`$B${t}*ProgramFactor*E${r}`),
          guard(`$B${t}*ProgramFactor*F${r}`),
          guard(`$B${t}*ProgramFactor*(F${r}-PaidCustomerValue)`),
          guard(`1+SUMPRODUCT(($M$${resultRow(0)}:$M$${resultRow(N - 1)}>$M${r})*1)${rankTies}`),
          guard(`$F${t}*INDEX(${survival},1,$G${t}+1)/(1+DiscountRate)^$G${t}`),
          guard(`Revenue*${commissioned}`),
    ]);
    resultValues.push([
          p.name,
          result.rate,
          result.revenue,
          result.margin,
          result.commission,
          result.netValue,
          result.effectiveShare ?? "no revenue",
          result.roi ?? "no commission",
          result.paybackPeriod ?? "beyond horizon",
          result.breakevenRate ?? "no commissioned revenue",
          result.customersReferred,
          result.totalCommission,
          result.totalNetValue,
          result.valueOverPaid,
          result.rank,
          undefined,
          undefined,
    ]);
  });
  // One write per column, each with its number format.
  const resultFormats = [undefined, FORMAT.share, FORMAT.money, FORMAT.money, FORMAT.money, FORMAT.money, FORMAT.share, "0.00", FORMAT.whole, FORMAT.share, "#,##0", FORMAT.money, FORMAT.money, FORMAT.money, FORMAT.whole, FORMAT.money, FORMAT.money];
  resultFormats.forEach((format, c) => {
    formulas(`${col(c + 1)}${resultRow(0)}`, resultFormulas.map((row) => [row[c] as string]), format, resultValues.map((row) => [row[c]]));
  });
  const resultColumn = (c: string) => `$${c}$${resultRow(0)}:$${c}$${resultRow(N - 1)}`;
  names.push(
    { name: "Partner_Names", ref: resultColumn("A") },
    { name: "Partner_Commission", ref: resultColumn("E") },
    { name: "Partner_NetValue", ref: resultColumn("F") },
    { name: "Partner_BreakevenRate", ref: resultColumn("J") },
  );

  // The checks, once every range they name is laid out; then the program's results.
  // Retention is lowest in the first period (sBG retention rises with t), so k × (1 − r(1)) ≤ 1 keeps every period's at 0 or more.
  // Read from the inputs, not from the blocks: those are guarded by this very check.
  const firstRetention = curve.kind === "constant" ? "Retention" : "Beta/(Alpha+Beta)";
  tableCheck(`SUMPRODUCT((${column("I")}*(1-${firstRetention})>1)*1)=0`, `a churn multiplier makes a partner's retention negative: lower it (I${firstTableRow}:I${lastTableRow})`);
  // Sensitivity of the program's net value, below the results by partner.
  const sensitivity = !isMain
    ? undefined
    : partnerTornadoBlock(resultRow(N - 1) + 3, settings, {
        partners: N,
        tableRow: firstTableRow,
        survivalRow: survivalBlock.first,
        resultRow: resultRow(0),
        tRow,
        lastT,
        step: settings.tornadoStep ?? DEFAULT_TORNADO_STEP,
        chart: { from: `${col(SCENARIO_COLUMN + S + 1)}22`, to: `${col(SCENARIO_COLUMN + S + 8)}40` },
      }, withExpected);
  if (sensitivity) addBlock({ writes, names, validations, checks }, sensitivity, withExpected ? expected : undefined);
  // The two-way grid, below the tornado's rows.
  const grid = !sensitivity
    ? undefined
    : partnerGridBlock(sensitivity.end + 2, settings, settings.grid ?? defaultPartnerGrid(settings), { partners: N, tableRow: firstTableRow, retentionRow, resultRow: resultRow(0), tRow, lastT }, withExpected);
  if (grid) addBlock({ writes, names, validations, checks }, grid, withExpected ? expected : undefined);

  label(`A${checkRow}`, "Input check: OK, or what to fix", true);
  formulas(`B${checkRow}`, [[checkFormula(checks)]], undefined, [["OK"]]);
  names.push({ name: "InputCheck", ref: `$B$${checkRow}` });

  label(`A${programRow - 1}`, "Program results", true);
  const headline: [string, string, string, number | string, string][] = [
    ["PaidCustomerValue", "Value of a customer bought through paid channels (CLV less paid CAC)", guard(`Margin*Revenue*SUM(${tCells(weightRow)})-PaidCAC`), program.paidCustomerValue, FORMAT.money],
    ["ProgramFactor", "Customers today per customer a period over the program", guard("IF(DiscountRate=0,AcquisitionPeriods,(1-(1+DiscountRate)^-AcquisitionPeriods)/(1-1/(1+DiscountRate)))"), program.programFactor, FORMAT.number],
    ["ProgramCustomers", "Customers referred over the program", guard(`SUM(${resultColumn("K")})`), program.customersReferred, "#,##0"],
    ["ProgramCommission", "Total commission, discounted to today", guard(`SUM(${resultColumn("L")})`), program.commission, FORMAT.money],
    ["ProgramNetValue", "Total net value (margin less commission), discounted to today", guard(`SUM(${resultColumn("M")})`), program.netValue, FORMAT.money],
    ["ProgramROI", "Program ROI: net value per commission dollar", guard(`IF(ProgramCommission>0,ProgramNetValue/ProgramCommission,"no commission")`), program.roi ?? "no commission", "0.00"],
    ["ProgramValueOverPaid", "Value over acquiring the same customers through paid channels", guard(`SUM(${resultColumn("N")})`), program.valueOverPaid, FORMAT.money],
  ];
  headline.forEach(([name, text, formula, value, format], i) => {
    const row = programRow + i;
    label(`A${row}`, text);
    formulas(`B${row}`, [[formula]], format, [[value]]);
    names.push({ name, ref: `$B$${row}` });
  });

  const charts: ChartPlan[] = !isMain ? [] : [
    {
      kind: "column",
      title: "Net value per referred customer, by partner",
      categories: `A${resultRow(0)}:A${resultRow(N - 1)}`,
      series: [{ name: "Net value", values: `F${resultRow(0)}:F${resultRow(N - 1)}` }],
      from: `${col(SCENARIO_COLUMN + S + 1)}3`,
      to: `${col(SCENARIO_COLUMN + S + 8)}20`,
    },
    ...(sensitivity ? [sensitivity.chart] : []),
  ];

  if (!isMain) {
    const inTable = (row: number, column: number) => row >= firstTableRow && row <= lastTableRow && column <= lastTableColumn;
    const qualify = (f: string | null) => (f === null ? f : qualifyReferences(f, PARTNER_SHEET, inTable));
    for (const w of writes) {
      if (w.formulas) w.formulas = w.formulas.map((row) => row.map(qualify));
      if (w.fill) w.fill = { ...w.fill, formula: qualify(w.fill.formula) as string };
    }
  }
  const sheet: SheetPlan = isMain
    ? { name: PARTNER_SHEET, writes, names, charts, tables: [{ name: "LifetimePartners", range: `A${tableHeader}:${col(lastTableColumn)}${lastTableRow}`, style: "TableStyleLight9" }], freeze: { rows: 0, columns: 1 }, columnWidths: { A: 52, B: 16, C: 16 }, validations, heatMaps: grid?.heatMaps }
    : { name: scenarioSheetName(SCENARIO_PREFIX, own), writes, names, charts, freeze: { rows: 0, columns: 1 }, columnWidths: { A: 52, B: 16, C: 16 } };
  const cells = {
    check: `$B$${checkRow}`,
    commission: `$B$${programRow + 3}`,
    netValue: `$B$${programRow + 4}`,
    roi: `$B$${programRow + 5}`,
    valueOverPaid: `$B$${programRow + 6}`,
    partnerNet: (i: number) => `$F$${resultRow(i)}`,
  };
  return { sheet, expected, program, cells };
}
