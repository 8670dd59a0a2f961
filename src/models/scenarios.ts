import { z } from "zod";
import { cellAddress, columnLetter, quoteSheet, type ChartPlan, type DefinedName, type RangeWrite, type SheetPlan, type ValidationPlan } from "./plan";
import { INPUT_FILL, type Accepts } from "./inputs";

/*
 * Named scenarios, shared by every model. A model's settings carry a list of scenarios: the
 * first is the base and holds the model's own inputs; each later one overrides some of
 * them. On the model's sheet a cell named ActiveScenario picks the scenario that drives
 * every figure: the inputs in use (column B, the names every formula reads) take the active
 * scenario's value, or the base's where the scenario leaves a cell blank. For the comparison,
 * each scenario also has a sheet of its own with the model's formulas over that scenario's
 * inputs (read live from the model sheet's scenario table), so a comparison sheet shows every
 * scenario side by side whatever scenario is active.
 */

/** At most this many scenarios: each has a sheet of its own, and a model writes at most 20 sheets. */
export const MAX_SCENARIOS = 8;
export const BASE_SCENARIO = "Base";
/** The model sheet's scenario table: the base's column, then one per scenario (G, H, …). */
export const SCENARIO_COLUMN = 7;

/**
 * A scenario's name: a choice in ActiveScenario's list and a column header, so no commas or
 * quotes; and text wherever a spreadsheet reads it, so nothing it would take for a number, a
 * date or a formula (a list's choice is entered as if typed).
 */
export const scenarioNameSchema = z
  .string()
  .trim()
  .min(1, "a scenario needs a name")
  .max(24, "a scenario's name is at most 24 characters")
  .regex(/^[^,"'!]+$/, "a scenario's name cannot hold a comma, a quote or an exclamation mark")
  .regex(/^[^=+\-@]/, "a scenario's name cannot start with =, +, - or @ (a spreadsheet would read a formula)")
  .refine((name) => !/^[\d\s.,:/%$€£()]+$/.test(name), "a scenario's name needs a letter: a spreadsheet would read a number or a date");

export interface Scenario<O> {
  name: string;
  overrides: Partial<O>;
}

/** The scenarios of a model whose overridable inputs `overrides` describes (each optional). */
export function scenariosSchema<S extends z.ZodRawShape>(overrides: z.ZodObject<S>) {
  return z
    .array(z.object({ name: scenarioNameSchema, overrides: overrides.partial().strict() }))
    .min(1, "a model has at least its base scenario")
    .max(MAX_SCENARIOS, `at most ${MAX_SCENARIOS} scenarios`)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((s, i) => {
        const key = s.name.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `two scenarios are named ${s.name}; scenario names must differ` });
        seen.add(key);
      });
      if (list[0] && Object.keys(list[0].overrides as object).length > 0) ctx.addIssue({ code: "custom", path: [0, "overrides"], message: "the base scenario holds the model's own inputs: it overrides nothing" });
    });
}

/** A model's settings' scenario fields: its scenarios (the base first) and the one active. */
export const scenarioFields = <S extends z.ZodRawShape>(overrides: z.ZodObject<S>) => ({
  /** Named scenarios: the first is the base (the model's own inputs), each later one overrides some inputs. */
  scenarios: scenariosSchema(overrides).optional(),
  /** The scenario that drives the model sheet (ActiveScenario); the base when absent. */
  activeScenario: scenarioNameSchema.optional(),
});

/** Refuses an active scenario that is not one of the settings' scenarios. */
export function checkActiveScenario<O>(input: { scenarios?: Scenario<O>[]; activeScenario?: string }, ctx: z.RefinementCtx): void {
  const scenarios = scenariosOf(input);
  if (input.activeScenario !== undefined && !scenarios.some((s) => s.name.toLowerCase() === input.activeScenario!.toLowerCase())) {
    ctx.addIssue({ code: "custom", path: ["activeScenario"], message: `the active scenario ${input.activeScenario} is not one of the scenarios (${scenarios.map((s) => s.name).join(", ")})` });
  }
}

/** The scenarios as the settings give them, or the base alone. */
export function scenariosOf<O>(settings: { scenarios?: Scenario<O>[] }): Scenario<O>[] {
  return settings.scenarios && settings.scenarios.length > 0 ? settings.scenarios : [{ name: BASE_SCENARIO, overrides: {} }];
}

/** The index of the active scenario (case-insensitive by name); the base when none or unknown. */
export function activeScenarioIndex<O>(scenarios: Scenario<O>[], active: string | undefined): number {
  if (active === undefined) return 0;
  const i = scenarios.findIndex((s) => s.name.toLowerCase() === active.trim().toLowerCase());
  return i < 0 ? 0 : i;
}

/** The settings with a scenario's overrides applied (a blank override keeps the base's value). */
export function withScenario<T extends object, O>(settings: T, scenario: Scenario<O> | undefined): T {
  if (!scenario) return settings;
  const defined = Object.fromEntries(Object.entries(scenario.overrides as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null));
  return { ...settings, ...defined };
}

/** An input of a model sheet that scenarios may override: its name on the sheet, its settings key, its row. */
export interface ScenarioInput {
  name: string;
  key: string;
  row: number;
  base: string | number;
  format?: string;
  accepts?: Accepts;
  text?: boolean;
}

/** The name of scenario j's own sheet (a stable key for rebuilds: scenarios are numbered). */
export const scenarioSheetName = (prefix: string, j: number) => `${prefix} scenario ${j + 1}`;

const lastColumn = (count: number) => columnLetter(SCENARIO_COLUMN + count - 1);

/** On the model sheet: ActiveScenario (B3), its index (C3), and the scenario table over the overridable inputs' rows. */
export function scenarioTable(scenarios: Scenario<Record<string, unknown>>[], active: number, inputs: ScenarioInput[]) {
  const writes: RangeWrite[] = [];
  const validations: ValidationPlan[] = [];
  const names: DefinedName[] = [];
  const first = columnLetter(SCENARIO_COLUMN);
  const last = lastColumn(scenarios.length);
  const headers = `$${first}$4:$${last}$4`;
  writes.push({ at: "A3", values: [["Active scenario: which scenario's inputs drive the model"]], style: { bold: true } });
  writes.push({ at: "B3", values: [[scenarios[active]!.name]], text: true, style: { fill: INPUT_FILL } });
  // Matched by equality (case-insensitive, as Excel compares text), not MATCH, which reads * ? ~ as wildcards.
  writes.push({ at: "C3", formulas: [[exactIndex("ActiveScenario", headers, `$${first}$4`, "COLUMN")]], numberFormat: '"scenario "0' });
  names.push({ name: "ActiveScenario", ref: "$B$3" }, { name: "ScenarioIndex", ref: "$C$3" });
  validations.push({
    range: "B3",
    rule: { kind: "list", values: scenarios.map((s) => s.name) },
    prompt: { title: "ActiveScenario", message: `The scenario whose inputs drive every figure: ${scenarios.map((s) => s.name).join(", ")}. Edit the scenarios in the table from ${first}4.`.slice(0, 255) },
    error: { title: "ActiveScenario: not accepted", message: "Pick one of the scenarios named in the table's header." },
  });
  writes.push({ at: `${columnLetter(SCENARIO_COLUMN - 1)}4`, values: [["Scenarios (blank: as the base)"]], style: { bold: true } });
  writes.push({ at: `${first}4`, values: [scenarios.map((s) => s.name)], text: true, style: { bold: true } });
  for (const input of inputs) {
    const row = input.row;
    const values = scenarios.map((s, j) => (j === 0 ? input.base : ((s.overrides as Record<string, unknown>)[input.key] as string | number | undefined) ?? null));
    if (typeof input.base === "string" && input.base.startsWith("=") && !input.text) {
      // A base read live from elsewhere (a linked curve): a formula, the scenarios' overrides values.
      writes.push({ at: `${first}${row}`, formulas: [[input.base]], numberFormat: input.format });
      if (scenarios.length > 1) writes.push({ at: `${columnLetter(SCENARIO_COLUMN + 1)}${row}`, values: [values.slice(1)], numberFormat: input.format, style: { fill: INPUT_FILL } });
    } else {
      writes.push({ at: `${first}${row}`, values: [values], numberFormat: input.format, text: input.text, style: { fill: INPUT_FILL } });
    }
    if (input.accepts) {
      const a = input.accepts;
      validations.push({ range: `${first}${row}`, rule: a.rule(`${first}${row}`), prompt: a.prompt, error: a.error });
      if (scenarios.length > 1) {
        const from = columnLetter(SCENARIO_COLUMN + 1);
        validations.push({ range: `${from}${row}:${last}${row}`, rule: a.rule(`${from}${row}`), prompt: { title: a.prompt.title, message: `${a.prompt.message} Blank: as the base.`.slice(0, 255) }, error: a.error, allowBlank: true });
      }
    }
  }
  return { writes, validations, names, check: ["ISNUMBER(ScenarioIndex)", `ActiveScenario must be one of the scenario names in ${first}4:${last}4 (B3)`] as [string, string] };
}

/** An input's cells in the scenario table, for messages: "G6", or "G6:I6" with three scenarios. */
export const scenarioCells = (row: number, count: number) => (count === 1 ? `${columnLetter(SCENARIO_COLUMN)}${row}` : `${columnLetter(SCENARIO_COLUMN)}${row}:${lastColumn(count)}${row}`);

/**
 * The position of `value` in a row or column `range` whose first cell is `first`, matched by
 * equality (text, case-insensitive, with no wildcards: MATCH would read * ? ~ as such); #N/A
 * unless exactly one cell holds it. `axis` is COLUMN for a row, ROW for a column.
 */
export const exactIndex = (value: string, range: string, first: string, axis: "COLUMN" | "ROW") =>
  `=IF(SUMPRODUCT((${range}=${value}&"")*1)=1,SUMPRODUCT((${range}=${value}&"")*(${axis}(${range})-${axis}(${first})+1)),NA())`;

/** Column B's formula for an overridable input: the active scenario's value, or the base's where it is blank. */
export function inUseFormula(row: number, count: number): string {
  const range = `$${columnLetter(SCENARIO_COLUMN)}${row}:$${lastColumn(count)}${row}`;
  const base = `$${columnLetter(SCENARIO_COLUMN)}${row}`;
  // A blank base stays blank-like (""), so the input's check fails rather than reading 0.
  return `=IF(INDEX(${range},1,ScenarioIndex)="",IF(ISBLANK(${base}),"",${base}),INDEX(${range},1,ScenarioIndex))`;
}

/** On scenario j's sheet, an overridable input: scenario j's value on the model sheet, or the base's where it is blank. */
export function scenarioValueFormula(mainSheet: string, row: number, j: number): string {
  const base = `${quoteSheet(mainSheet)}!$${columnLetter(SCENARIO_COLUMN)}$${row}`;
  const baseValue = `IF(ISBLANK(${base}),"",${base})`;
  if (j === 0) return `=${baseValue}`;
  const own = `${quoteSheet(mainSheet)}!$${columnLetter(SCENARIO_COLUMN + j)}$${row}`;
  return `=IF(ISBLANK(${own}),${baseValue},${own})`;
}

/**
 * Column B's formula for an input of a model with scenarios, and the conditions that check
 * it (their messages naming where to edit it): an input a scenario overrides takes the
 * active scenario's value (the model sheet) or its scenario's (a scenario's sheet); on a
 * scenario's sheet, every other value input reads the model sheet's. Undefined for the
 * model sheet's own inputs and for formulas, which a sheet writes as they are.
 */
export function scenarioInputCell(sheet: { main: string; scenarios: number; own?: number }, row: number, input: { overridable: boolean; formula: boolean; accepts?: Accepts }): { formula: string; checks: [string, string][] } | undefined {
  const { main, scenarios, own } = sheet;
  let formula: string;
  let where: string;
  if (input.overridable) {
    formula = own === undefined ? inUseFormula(row, scenarios) : scenarioValueFormula(main, row, own);
    // On a scenario's sheet: its own cell, or the base's where it leaves its own blank.
    where = own === undefined ? scenarioCells(row, scenarios) : own === 0 ? `${main}!${columnLetter(SCENARIO_COLUMN)}${row}` : `${main}!${columnLetter(SCENARIO_COLUMN + own)}${row}, or ${columnLetter(SCENARIO_COLUMN)}${row} where that is blank`;
  } else if (own !== undefined && !input.formula) {
    formula = `=${quoteSheet(main)}!$B$${row}`;
    where = `${main}!B${row}`;
  } else return undefined;
  return { formula, checks: (input.accepts?.checks ?? []).map(([condition, message]): [string, string] => [condition, `${message} (${where})`]) };
}

/** A cell of the model sheet as scenario sheets read it: a blank stays blank-like (""), not 0. */
export const linkedCell = (mainSheet: string, address: string) => `=IF(ISBLANK(${quoteSheet(mainSheet)}!${address}),"",${quoteSheet(mainSheet)}!${address})`;

export interface ComparisonRow {
  label: string;
  /** The cell on each scenario's sheet that holds it ("$B$20"). */
  cell: string;
  format?: string;
  /** A sheet-scoped name for the row across the scenarios. */
  name?: string;
  /** The core's value for scenario j. */
  expected?: (j: number) => number | string | undefined;
}

/**
 * The comparison sheet: one column per scenario (from B), each row an output read from that
 * scenario's own sheet, so it does not move with ActiveScenario; and a column chart of the
 * rows `charted` names.
 */
export function comparisonSheet(
  name: string,
  title: string,
  prefix: string,
  scenarios: Scenario<unknown>[],
  rows: ComparisonRow[],
  charts: { title: string; rows: string[] }[],
): { sheet: SheetPlan; expected: Map<string, number | string> } {
  const writes: RangeWrite[] = [];
  const names: DefinedName[] = [];
  const expected = new Map<string, number | string>();
  const S = scenarios.length;
  const last = columnLetter(1 + S);
  writes.push({ at: "A1", values: [[title]], style: { bold: true } });
  writes.push({ at: "A2", values: [["Each column is computed on its scenario's own sheet from the inputs in the model's scenario table: it does not depend on the active scenario."]] });
  writes.push({ at: "A4", values: [["Scenario"]], style: { bold: true } });
  writes.push({ at: "B4", values: [scenarios.map((s) => s.name)], text: true, style: { bold: true } });
  names.push({ name: "Scenario_Names", ref: `$B$4:$${last}$4` });
  const rowOf = new Map<string, number>();
  rows.forEach((r, i) => {
    const row = 5 + i;
    rowOf.set(r.label, row);
    writes.push({ at: `A${row}`, values: [[r.label]] });
    writes.push({ at: `B${row}`, formulas: [scenarios.map((_, j) => `=${quoteSheet(scenarioSheetName(prefix, j))}!${r.cell}`)], numberFormat: r.format });
    if (r.name) names.push({ name: r.name, ref: `$B$${row}:$${last}$${row}` });
    if (r.expected) scenarios.forEach((_, j) => {
      const v = r.expected!(j);
      if (v !== undefined) expected.set(cellAddress(row, 2 + j), v);
    });
  });
  const chartTop = 5 + rows.length + 2;
  const chartPlans: ChartPlan[] = charts.map((c, k) => ({
    kind: "column",
    title: c.title,
    categories: `B4:${last}4`,
    series: c.rows.map((label) => ({ name: label, values: `B${rowOf.get(label)}:${last}${rowOf.get(label)}` })),
    from: `A${chartTop + k * 18}`,
    to: `F${chartTop + k * 18 + 16}`,
  }));
  return { sheet: { name, writes, names, charts: chartPlans, columnWidths: { A: 52, ...Object.fromEntries(scenarios.map((_, j) => [columnLetter(2 + j), 16])) } }, expected };
}

