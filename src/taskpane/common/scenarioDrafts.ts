import type { z } from "zod";
import type { WorkbookHost } from "../../host/workbookHost";
import type { ChartData } from "../../models/charts";
import { quoteSheet } from "../../models/plan";
import { activeScenarioIndex, BASE_SCENARIO, MAX_SCENARIOS, scenariosSchema, type Scenario } from "../../models/scenarios";
import type { WrittenModel } from "../../models/written";

/*
 * The pane's scenarios, shared by the model forms: what the user typed (text, as in the
 * form's own fields), checked with the model's own schemas, and the model's settings for them.
 * The first scenario is the base: its values are the form's own fields and it overrides nothing.
 */

/** A scenario as typed: its name and, per overridable input, the text of its override ("": as the base). */
export interface ScenarioDraft {
  /** Keeps a column's identity while scenarios are added and removed; not saved. */
  key: string;
  name: string;
  overrides: Record<string, string>;
}

/** An overridable input as the editor shows it: a row of the grid. */
export interface ScenarioRow {
  /** The settings key it overrides ("revenue"). */
  key: string;
  /** As the form labels it. */
  label: string;
  /** The base's value as the form shows it (read-only in the grid: it is the form's own field). */
  base: string;
  /** The model's schema for one value of it. */
  schema: z.ZodTypeAny;
  /** A choice (timing): its values and their words; otherwise a number. */
  options?: { value: string; label: string }[];
}

let keys = 0;
const newKey = () => `scenario-${++keys}`;

/** The base alone, as a new model has it. */
export const baseDrafts = (): ScenarioDraft[] => [{ key: newKey(), name: BASE_SCENARIO, overrides: {} }];

/** The name a new scenario takes: "Optimistic", "Pessimistic", then "Scenario N" (N its place, or the next free). */
export function nextScenarioName(drafts: readonly ScenarioDraft[]): string {
  const taken = new Set(drafts.map((d) => d.name.trim().toLowerCase()));
  for (const name of ["Optimistic", "Pessimistic"]) if (!taken.has(name.toLowerCase())) return name;
  for (let n = drafts.length + 1; ; n++) if (!taken.has(`scenario ${n}`)) return `Scenario ${n}`;
}

export const canAddScenario = (drafts: readonly ScenarioDraft[]) => drafts.length < MAX_SCENARIOS;

/** A new scenario at the end, overriding nothing yet. */
export function addScenario(drafts: readonly ScenarioDraft[]): ScenarioDraft[] {
  if (!canAddScenario(drafts)) return [...drafts];
  return [...drafts, { key: newKey(), name: nextScenarioName(drafts), overrides: {} }];
}

/** A copy of scenario j, after it, named apart from every other ("Optimistic (copy)", "Optimistic (copy 2)"), within 24 characters. */
export function duplicateScenario(drafts: readonly ScenarioDraft[], j: number): ScenarioDraft[] {
  const source = drafts[j];
  if (!source || !canAddScenario(drafts)) return [...drafts];
  const taken = new Set(drafts.map((d) => d.name.trim().toLowerCase()));
  const base = source.name.trim() || `Scenario ${j + 1}`;
  const named = (suffix: string) => `${base.slice(0, 24 - suffix.length).trim()}${suffix}`;
  let name = named(" (copy)");
  for (let k = 2; taken.has(name.toLowerCase()); k++) name = named(` (copy ${k})`);
  // A copy of the base is a scenario that overrides nothing, to edit from there.
  const copy: ScenarioDraft = { key: newKey(), name, overrides: { ...source.overrides } };
  return [...drafts.slice(0, j + 1), copy, ...drafts.slice(j + 1)];
}

/** Without scenario j (never the base), and the active scenario's index after it: the base when j was active. */
export function deleteScenario(drafts: readonly ScenarioDraft[], active: number, j: number): { drafts: ScenarioDraft[]; active: number } {
  if (j <= 0 || j >= drafts.length) return { drafts: [...drafts], active };
  return { drafts: drafts.filter((_, i) => i !== j), active: active === j ? 0 : active > j ? active - 1 : active };
}

export function renameScenario(drafts: readonly ScenarioDraft[], j: number, name: string): ScenarioDraft[] {
  return drafts.map((d, i) => (i === j ? { ...d, name } : d));
}

/** Scenario j's override of an input, as typed ("" takes the base's value). The base overrides nothing. */
export function setOverride(drafts: readonly ScenarioDraft[], j: number, key: string, text: string): ScenarioDraft[] {
  if (j === 0) return [...drafts];
  return drafts.map((d, i) => {
    if (i !== j) return d;
    const overrides = { ...d.overrides };
    if (text === "") delete overrides[key];
    else overrides[key] = text;
    return { ...d, overrides };
  });
}

/** The drafts for saved settings' scenarios, and the active one's index. */
export function draftsFromSettings(scenarios: Scenario<Record<string, unknown>>[] | undefined, active: string | undefined): { drafts: ScenarioDraft[]; active: number } {
  if (!scenarios || scenarios.length === 0) return { drafts: baseDrafts(), active: 0 };
  const drafts = scenarios.map((s) => ({
    key: newKey(),
    name: s.name,
    overrides: Object.fromEntries(Object.entries(s.overrides).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)])),
  }));
  return { drafts, active: activeScenarioIndex(scenarios, active) };
}

/** What the schema says of the scenarios, where: per cell, per name, and about the whole. */
export interface ScenarioCheck {
  /** Per scenario, per input key: the message of a cell the model refuses. */
  cells: Record<string, string>[];
  /** Per scenario: the message about its name. */
  names: (string | undefined)[];
  /** About the scenarios as a whole (too many, a scenario that makes the model impossible). */
  general: string[];
  /** Every message, each naming its scenario, in the grid's order. */
  all: string[];
  /** The scenarios as the model's settings hold them, when nothing is wrong. */
  scenarios?: Scenario<Record<string, unknown>>[];
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** A scenario as messages name it: its name, or its place while it has none. */
export const scenarioLabel = (drafts: readonly ScenarioDraft[], j: number) => drafts[j]?.name.trim() || `Scenario ${j + 1}`;

/**
 * Checks each override with the model's own schema for its input (`describe` words a message
 * for people, the input's label in place of the schema's short name), then the list with the
 * model's scenarios schema (names: given, at most 24 characters, no comma, quote or !, unique).
 * Only the rows given count: an override of an input not in play (retention, once the curve
 * is the sBG) is left out.
 */
export function checkScenarios(drafts: readonly ScenarioDraft[], rows: readonly ScenarioRow[], overridesSchema: z.AnyZodObject, describe: (row: ScenarioRow, message: string) => string): ScenarioCheck {
  const cells: Record<string, string>[] = drafts.map(() => ({}));
  const names: (string | undefined)[] = drafts.map(() => undefined);
  const general: string[] = [];
  const list = drafts.map((d, j) => {
    const overrides: Record<string, unknown> = {};
    if (j > 0) {
      for (const row of rows) {
        const text = (d.overrides[row.key] ?? "").trim();
        if (text === "") continue;
        let value: unknown = text;
        if (!row.options) {
          value = Number(text);
          if (!Number.isFinite(value)) {
            (cells[j] as Record<string, string>)[row.key] = `${row.label} must be a number, not “${text.slice(0, 40)}”`;
            continue;
          }
        } else if (!row.options.some((o) => o.value === text)) {
          (cells[j] as Record<string, string>)[row.key] = `${row.label}: choose ${row.options.map((o) => o.label).join(" or ")}`;
          continue;
        }
        const parsed = row.schema.safeParse(value);
        if (parsed.success) overrides[row.key] = parsed.data;
        else (cells[j] as Record<string, string>)[row.key] = describe(row, parsed.error.issues[0]?.message ?? "not accepted");
      }
    }
    return { name: d.name, overrides };
  });
  const parsed = scenariosSchema(overridesSchema).safeParse(list);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [j, field, key] = issue.path;
      if (typeof j === "number" && field === "name") names[j] ??= capitalized(issue.message);
      else if (typeof j === "number" && field === "overrides" && typeof key === "string" && rows.some((r) => r.key === key)) {
        const row = rows.find((r) => r.key === key) as ScenarioRow;
        (cells[j] as Record<string, string>)[key] ??= describe(row, issue.message);
      } else general.push(capitalized(issue.message));
    }
  }
  const all = drafts.flatMap((_, j) => {
    const label = scenarioLabel(drafts, j);
    return [names[j] && `${label}: ${names[j]}`, ...rows.map((r) => cells[j]?.[r.key] && `${label}: ${cells[j]?.[r.key]}`)].filter((m): m is string => !!m);
  });
  all.push(...general);
  return { cells, names, general, all, scenarios: all.length === 0 && parsed.success ? (parsed.data as Scenario<Record<string, unknown>>[]) : undefined };
}

/**
 * Puts a whole model's complaints about its scenarios (path "scenarios", j, …) into a check:
 * by the cell or the name they are about, else about the whole.
 */
export function addScenarioIssues(check: ScenarioCheck, drafts: readonly ScenarioDraft[], rows: readonly ScenarioRow[], issues: { path: (string | number)[]; message: string }[], describe: (row: ScenarioRow, message: string) => string): ScenarioCheck {
  const cells = check.cells.map((c) => ({ ...c }));
  const names = [...check.names];
  const general = [...check.general];
  const all = [...check.all];
  for (const issue of issues) {
    const [first, j, field, key] = issue.path;
    if (first !== "scenarios") continue;
    const row = rows.find((r) => r.key === key);
    let message: string;
    if (typeof j === "number" && field === "overrides" && row && cells[j]) {
      cells[j][row.key] ??= describe(row, issue.message);
      message = `${scenarioLabel(drafts, j)}: ${cells[j][row.key]}`;
    } else if (typeof j === "number" && field === "name" && j < names.length) {
      names[j] ??= capitalized(issue.message);
      message = `${scenarioLabel(drafts, j)}: ${names[j]}`;
    } else {
      message = capitalized(issue.message);
      general.push(message);
    }
    if (!all.includes(message)) all.push(message);
  }
  return { cells, names, general, all, scenarios: all.length === 0 ? check.scenarios : undefined };
}

/**
 * The settings' scenario fields for the checked scenarios: none while there is only the base,
 * named Base and active (the settings as before scenarios); else the list and the active
 * scenario's name.
 */
export function scenarioFields(check: ScenarioCheck, active: number): { scenarios?: Scenario<Record<string, unknown>>[]; activeScenario?: string } {
  const scenarios = check.scenarios;
  if (!scenarios) return {};
  const index = active >= 0 && active < scenarios.length ? active : 0;
  if (scenarios.length === 1 && scenarios[0]!.name === BASE_SCENARIO) return {};
  return { scenarios, activeScenario: scenarios[index]!.name };
}

/** "'My sheet'!$B$3" → ["My sheet", "B3"]. */
export function splitAddress(address: string): [string, string] {
  const bang = address.lastIndexOf("!");
  const sheet = address.slice(0, bang);
  return [sheet.startsWith("'") ? sheet.slice(1, -1).replace(/''/g, "'") : sheet, address.slice(bang + 1).replace(/\$/g, "")];
}

/**
 * Points the model sheet's ActiveScenario cell at a scenario, so the workbook recalculates
 * the model for it without a rebuild. The model sheet is the one the saved record has for
 * `sheetKey`, its cell the sheet's own name ActiveScenario. False, with nothing written, when
 * the sheet or its name is not there (deleted, renamed, built before scenarios): rebuild then.
 */
export async function writeActiveScenario(host: WorkbookHost, written: WrittenModel | undefined, sheetKey: string, name: string): Promise<boolean> {
  const record = written?.sheets.find((s) => s.key === sheetKey);
  if (!record || !record.names.includes("ActiveScenario")) return false;
  let address: string;
  try {
    address = (await host.readRange(`${quoteSheet(record.name)}!ActiveScenario`)).address;
  } catch {
    return false;
  }
  const [sheet, cell] = splitAddress(address);
  if (sheet !== record.name || !/^[A-Z]{1,3}\d+$/.test(cell)) return false;
  await host.setCellValue(sheet, cell, name);
  return true;
}

/** The index of a scenario by name (case-insensitive, trimmed) in a list, or -1. */
export function scenarioIndexByName(scenarios: readonly { name: string }[] | undefined, name: string): number {
  const key = name.trim().toLowerCase();
  return (scenarios ?? [{ name: BASE_SCENARIO }]).findIndex((s) => s.name.trim().toLowerCase() === key);
}

/** A column chart of one result by scenario, for the pane's comparison. */
export function scenarioChart(title: string, names: string[], values: number[]): ChartData {
  return { title, kind: "column", xLabel: "scenario", categories: names, series: [{ name: title, points: values.flatMap((y, x) => (Number.isFinite(y) ? [{ x, y }] : [])) }] };
}
