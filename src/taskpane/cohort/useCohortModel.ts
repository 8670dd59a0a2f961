import { useCallback, useEffect, useState } from "react";
import type { CohortModel } from "../../core/retention/cohortModel";
import type { SbgFitSummary } from "../../core/retention/uncertainty";
import { LifetimeError } from "../../core/errors";
import { fitShiftedBetaGeometric } from "../../core/retention/shiftedBetaGeometric";
import type { WorkbookHost } from "../../host/workbookHost";
import { originOf, readCohortTable } from "../../models/cohort/cohortCsv";
import { assumedCohorts, assumedParams, assumptionsSchema, type Assumptions } from "../../models/cohort/assumptions";
import { buildCohortPlan, COHORT_SHEET, cohortFitBand, cohortInputSchema, cohortOverridesSchema, type CohortFit, type CohortModelSettings, type CohortOverrides } from "../../models/cohort/cohortPlan";
import { COHORT_SETTINGS_KEY, COHORT_SETTINGS_VERSION, readCohortSettings, type CohortSettings } from "../../models/cohort/settings";
import { OccupiedCellsError, type WrittenModel } from "../../models/written";
import { checkModelKey, registerModel } from "../common/modelIndex";
import type { ChartData } from "../../models/charts";
import { cohortCharts } from "../../models/cohort/charts";
import { activeScenarioIndex, scenariosOf, withScenario } from "../../models/scenarios";
import { baseDrafts, checkScenarios, draftsFromSettings, scenarioFields, scenarioIndexByName, writeActiveScenario, type ScenarioCheck, type ScenarioDraft, type ScenarioRow } from "../common/scenarioDrafts";

/** A schema's complaint, as zod reports it. */
interface Issue {
  path: (string | number)[];
  message: string;
  code?: string;
}

const FIELD_LABELS: Record<string, string> = {
  revenue: "Revenue per customer",
  margin: "Gross margin",
  cac: "Acquisition cost (CAC)",
  annualDiscount: "Annual discount rate",
  horizon: "Horizon",
  tornadoStep: "Sensitivity step",
  period: "Period",
  timing: "Timing",
};

/**
 * Schema messages for people: each names the field or the cohort it is about ("Cohort
 * 2025-03, period 4: …"), and zod's own wording ("Number must be greater than or equal to
 * 0") is replaced by the rule in words.
 */
export function describeIssues(issues: Issue[], labels: string[] = []): string {
  const words = (issue: Issue) =>
    issue.message
      .replace(/^Number must be greater than or equal to (\S+)$/, "must be $1 or more")
      .replace(/^Number must be greater than (\S+)$/, "must be more than $1")
      .replace(/^Number must be less than or equal to (\S+)$/, "must be at most $1")
      .replace(/^Expected number, received (\w+)$/, "must be a number")
      .replace(/^Array must contain at most (\d+) element\(s\)$/, "at most $1");
  return issues
    .slice(0, 3)
    .map((issue) => {
      const [first, index, inner, t] = issue.path;
      let where = "";
      if (first === "cohorts" && typeof index === "number") {
        const name = labels[index] ?? `${index + 1}`;
        where = `Cohort ${name}${inner === "survivors" && typeof t === "number" ? `, period ${t + 1}` : inner === "customers" ? ", customers" : ""}`;
      } else if (typeof first === "string" && FIELD_LABELS[first]) where = FIELD_LABELS[first] as string;
      const message = words(issue);
      // A message written for people starts with the field's own short name ("cac must be …"): put the label in its place.
      const named = /^(revenue|margin|cac|discount|horizon)\b/i.exec(message);
      if (named && typeof first === "string" && FIELD_LABELS[first]) return `${FIELD_LABELS[first]}${message.slice(named[0].length)}`;
      if (/^cohort\b/i.test(message)) return `C${message.slice(1)}`;
      return where ? `${where}: ${message}` : message.charAt(0).toUpperCase() + message.slice(1);
    })
    .join("; ")
    .concat(issues.length > 3 ? ` (and ${issues.length - 3} more)` : "");
}

/** The form's fields, as typed (strings), before validation. */
export interface CohortForm {
  sourceKind: "range" | "assumptions";
  source: string;
  cohorts: string;
  customersPerCohort: string;
  curve: "constant" | "sbg";
  retention: string;
  alpha: string;
  beta: string;
  revenue: string;
  margin: string;
  cac: string;
  annualDiscount: string;
  period: "month" | "quarter" | "year";
  horizon: string;
  timing: "start" | "end";
  /** The share each input moves in the sheet's sensitivity table. */
  tornadoStep: string;
  /** The scenarios as typed: the base first (the fields above), then each with its overrides. */
  scenarios: ScenarioDraft[];
  /** The index of the scenario that drives the model sheet. */
  activeScenario: number;
}

export const DEFAULT_FORM: CohortForm = { sourceKind: "range", source: "", cohorts: "12", customersPerCohort: "1000", curve: "constant", retention: "0.85", alpha: "0.7", beta: "1.2", revenue: "30", margin: "0.7", cac: "120", annualDiscount: "0.1", period: "month", horizon: "36", timing: "start", tornadoStep: "0.1", scenarios: baseDrafts(), activeScenario: 0 };

export interface CohortResult {
  /** The assumed constant retention per period, when the curve is one (its α and β are then only the sBG's limit). */
  constantRetention?: number;
  alpha: number;
  beta: number;
  logLikelihood: number | undefined;
  clvNewCustomer: number;
  customerEquity: number;
  activeToday: number;
  /** The fit's 90% band; none for assumed parameters. */
  band?: CohortFit["band"];
  sheetName: string;
  /** The key results as charts, from the core's numbers. */
  charts: ChartData[];
  /** The scenario these results are of (the active one), by index. */
  active: number;
  /** Every scenario built, with its key results, for the comparison. */
  scenarios: { name: string; clvNewCustomer: number; customerEquity: number }[];
}

/** What a build computed, kept so the pane can show another scenario's results without refitting. */
export interface BuiltCohort {
  settings: CohortModelSettings;
  fit: CohortFit;
  /** The fit, for a scenario's 90% band; none for assumed parameters. */
  fitted?: SbgFitSummary;
  constantRetention?: number;
  /** The core's model of each scenario, in order. */
  models: CohortModel[];
  sheetName: string;
}

/** The results of scenario j of a build, as the result card shows them; its band computed for its own inputs. */
export function cohortResult(built: BuiltCohort, j: number): CohortResult {
  const scenarios = scenariosOf<CohortOverrides>(built.settings);
  const k = j >= 0 && j < scenarios.length ? j : 0;
  const settings = withScenario(built.settings, scenarios[k]);
  const model = built.models[k] as CohortModel;
  const band = k === activeScenarioIndex(scenarios, built.settings.activeScenario) ? built.fit.band : built.fitted ? cohortFitBand(settings, built.fitted) : undefined;
  return {
    constantRetention: built.constantRetention,
    alpha: built.fit.alpha,
    beta: built.fit.beta,
    logLikelihood: built.fit.logLikelihood,
    clvNewCustomer: model.clvNewCustomer,
    customerEquity: model.customerEquity,
    activeToday: model.activeToday,
    band,
    sheetName: built.sheetName,
    charts: cohortCharts(settings, model),
    active: k,
    scenarios: scenarios.map((s, i) => ({ name: s.name, clvNewCustomer: built.models[i]!.clvNewCustomer, customerEquity: built.models[i]!.customerEquity })),
  };
}

const economicsShape = cohortInputSchema.innerType().shape;
const curveShapes = { constant: assumptionsSchema.shape.curve.options[0].shape, sbg: assumptionsSchema.shape.curve.options[1].shape };
/** Each numeric field of the form and the schema that checks it: the model's own. */
const FIELD_SCHEMAS = {
  revenue: economicsShape.revenue,
  margin: economicsShape.margin,
  cac: economicsShape.cac,
  annualDiscount: economicsShape.annualDiscount,
  horizon: economicsShape.horizon,
  tornadoStep: economicsShape.tornadoStep,
  cohorts: assumptionsSchema.shape.cohorts,
  customersPerCohort: assumptionsSchema.shape.customersPerCohort,
  retention: curveShapes.constant.retention,
  alpha: curveShapes.sbg.alpha,
  beta: curveShapes.sbg.beta,
};
export type NumberField = keyof typeof FIELD_SCHEMAS;

/** The fields in play for the form's current choices. */
function activeFields(form: CohortForm): NumberField[] {
  const fields: NumberField[] = ["revenue", "margin", "cac", "annualDiscount", "horizon", "tornadoStep"];
  if (form.sourceKind === "assumptions") fields.push("cohorts", "customersPerCohort", ...(form.curve === "constant" ? (["retention"] as const) : (["alpha", "beta"] as const)));
  return fields;
}

/** The message for one field as the user types, from the model's own schema. */
export function fieldMessage(field: NumberField, text: string): string | undefined {
  if (text.trim() === "") return "Enter a number";
  const value = Number(text);
  if (!Number.isFinite(value)) return `"${text}" is not a number`;
  const parsed = FIELD_SCHEMAS[field].safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

const TIMING_OPTIONS = [
  { value: "start", label: "Start" },
  { value: "end", label: "End" },
];

/** The inputs a cohort scenario may override, labelled as the form labels them, with the base's values as typed. */
export function cohortScenarioRows(form: CohortForm): ScenarioRow[] {
  const shape = cohortOverridesSchema.shape;
  return [
    { key: "revenue", label: "Revenue per customer per period", base: form.revenue, schema: shape.revenue },
    { key: "margin", label: "Gross margin", base: form.margin, schema: shape.margin },
    { key: "cac", label: "Acquisition cost (CAC)", base: form.cac, schema: shape.cac },
    { key: "annualDiscount", label: "Annual discount rate", base: form.annualDiscount, schema: shape.annualDiscount },
    { key: "horizon", label: "Horizon", base: form.horizon, schema: shape.horizon },
    { key: "timing", label: "Margin is paid at the", base: form.timing === "start" ? "Start" : "End", schema: shape.timing, options: TIMING_OPTIONS },
  ];
}

/** A schema's message about an input, its label in place of the schema's short name ("margin must be …" → "Gross margin must be …"). */
function describeCohortField(row: ScenarioRow, message: string): string {
  const words = message.replace(/^Number must be greater than or equal to (\S+)$/, "must be $1 or more").replace(/^Number must be less than or equal to (\S+)$/, "must be at most $1");
  const named = /^(revenue|margin|cac|discount|horizon)\b/i.exec(words);
  return named ? `${row.label}${words.slice(named[0].length)}` : `${row.label}: ${words}`;
}

/** The form's scenarios checked with the model's schema, cell by cell. */
export function checkCohortScenarios(form: CohortForm): ScenarioCheck {
  return checkScenarios(form.scenarios, cohortScenarioRows(form), cohortOverridesSchema, describeCohortField);
}

function assumptionsFrom(form: CohortForm): Assumptions {
  return assumptionsSchema.parse({
    kind: "assumptions",
    cohorts: Number(form.cohorts),
    customersPerCohort: Number(form.customersPerCohort),
    curve: form.curve === "constant" ? { kind: "constant", retention: Number(form.retention) } : { kind: "sbg", alpha: Number(form.alpha), beta: Number(form.beta) },
  });
}

export function formFromSettings(s: CohortSettings): CohortForm {
  const e = s.economics;
  const source = s.source;
  const assumed =
    source.kind === "assumptions"
      ? {
          sourceKind: "assumptions" as const,
          cohorts: String(source.cohorts),
          customersPerCohort: String(source.customersPerCohort),
          curve: source.curve.kind,
          ...(source.curve.kind === "constant" ? { retention: String(source.curve.retention) } : { alpha: String(source.curve.alpha), beta: String(source.curve.beta) }),
        }
      : { sourceKind: "range" as const, source: source.address };
  const { drafts, active } = draftsFromSettings(e.scenarios, e.activeScenario);
  return { ...DEFAULT_FORM, ...assumed, revenue: String(e.revenue), margin: String(e.margin), cac: String(e.cac), annualDiscount: String(e.annualDiscount), period: e.period, horizon: String(e.horizon), timing: e.timing, tornadoStep: String(e.tornadoStep ?? 0.1), scenarios: drafts, activeScenario: active };
}

/**
 * Builds the model the form stands for and saves its settings: a new sheet (with scenarios,
 * a sheet each and a comparison sheet), or with `previous` the model's sheets rebuilt in
 * place (`overwrite` once the user agreed to replace their cells). The cohorts are read from
 * the workbook and fitted now. Fails with an OccupiedCellsError (nothing written) for the pane
 * to ask, or an error worded for people (the cohort table's or the schema's complaint).
 */
export async function buildCohortModel(
  host: WorkbookHost,
  form: CohortForm,
  options: { previous?: WrittenModel; overwrite?: boolean; now?: Date; key?: string } = {},
): Promise<{ built: BuiltCohort; result: CohortResult; saved: CohortSettings; notes: string[] }> {
  let labels: string[] = [];
  try {
    const assumptions = form.sourceKind === "assumptions" ? assumptionsFrom(form) : undefined;
    const read = assumptions ? undefined : await host.readRange(form.source.trim());
    const cohorts = assumptions ? assumedCohorts(assumptions) : readCohortTable(read!.values, read!.text, originOf(read!.address));
    labels = cohorts.map((c) => c.label);
    const settings = cohortInputSchema.parse({
      cohorts,
      revenue: Number(form.revenue),
      margin: Number(form.margin),
      cac: Number(form.cac),
      annualDiscount: Number(form.annualDiscount),
      period: form.period,
      horizon: Number(form.horizon),
      timing: form.timing,
      tornadoStep: Number(form.tornadoStep),
      ...scenarioFields(checkCohortScenarios(form), form.activeScenario),
    });
    const now = options.now ?? new Date();
    const today = now.toISOString().slice(0, 10);
    let fit: CohortFit;
    let fittedSummary: SbgFitSummary | undefined;
    if (assumptions) fit = { ...assumedParams(assumptions.curve), logLikelihood: undefined, fittedOn: `assumptions, ${today}` };
    else {
      const fitted = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
      if (fitted.degenerate) throw new Error(`The cohorts do not determine the sBG curve: ${fitted.degenerate}. Use more cohorts or more periods of each, or build from assumptions.`);
      if (!fitted.converged) throw new Error(`The sBG fit did not converge (${fitted.reason}).`);
      // The band beside the results is the active scenario's, as the model sheet shows it.
      const scenarios = scenariosOf<CohortOverrides>(settings);
      fit = { alpha: fitted.params.alpha, beta: fitted.params.beta, logLikelihood: fitted.logLikelihood, fittedOn: today, band: cohortFitBand(withScenario(settings, scenarios[activeScenarioIndex(scenarios, settings.activeScenario)]), fitted) };
      fittedSummary = fitted;
    }
    const { plan, scenarioModels } = buildCohortPlan(settings, fit);
    const key = options.key ?? COHORT_SETTINGS_KEY;
    // A model of its own key: refused, nothing written, when it would be a new one the workbook's index cannot take.
    const index = await checkModelKey(host, key, "cohort");
    const applied = await host.applyPlan(plan, { previous: options.previous, overwrite: options.overwrite });
    const sheetName = applied.sheetNames[0] as string;
    const { cohorts: _cohorts, ...economics } = settings;
    void _cohorts;
    // Keep the source as chosen: a name or a table stays a name, so a rebuild reads it as it has grown.
    const source: CohortSettings["source"] = assumptions ?? { kind: "range", address: form.source.trim() };
    const saved = { version: COHORT_SETTINGS_VERSION, source, economics, sheetName, written: applied.written, builtAt: now.toISOString() } satisfies CohortSettings;
    await host.saveSettings(key, saved);
    await registerModel(host, index, key, "cohort");
    const built: BuiltCohort = { settings, fit, fitted: fittedSummary, constantRetention: assumptions?.curve.kind === "constant" ? assumptions.curve.retention : undefined, models: scenarioModels, sheetName };
    return { built, result: cohortResult(built, activeScenarioIndex(scenariosOf(settings), settings.activeScenario)), saved, notes: applied.notes };
  } catch (e) {
    if (e instanceof OccupiedCellsError) throw e;
    if (e instanceof LifetimeError) throw new Error(`The cohort table: ${e.message}`, { cause: e });
    if (e && typeof e === "object" && "issues" in e) throw new Error(describeIssues((e as { issues: Issue[] }).issues, labels), { cause: e });
    throw e;
  }
}

/**
 * Form state, settings saved in the workbook, and Build/Rebuild: the pane's cohort model, the
 * one saved under `settingsKey` (the first cohort model's by default; a new key for a new model).
 */
export function useCohortModel(host: WorkbookHost, settingsKey: string = COHORT_SETTINGS_KEY) {
  const [form, setForm] = useState<CohortForm>(DEFAULT_FORM);
  const [status, setStatus] = useState<"idle" | "building" | "done">("idle");
  const [result, setResult] = useState<CohortResult>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [savedSheet, setSavedSheet] = useState<string>();
  const [written, setWritten] = useState<WrittenModel>();
  /** The settings as saved in the workbook (the scenarios on its sheets, the one active there). */
  const [saved, setSaved] = useState<CohortSettings>();
  /** The last build of this session, for another scenario's results. */
  const [built, setBuilt] = useState<BuiltCohort>();
  /** While the workbook switches to another scenario. */
  const [switching, setSwitching] = useState(false);
  /** A rebuild asked for by a change of the active scenario the sheet cannot take by itself. */
  const [rebuildSoon, setRebuildSoon] = useState(false);
  const [rangeNames, setRangeNames] = useState<string[]>([]);
  /** Why nothing may be built here: an Excel without the requirement sets, or settings from a newer Lifetime. */
  const [blocked, setBlocked] = useState<string | undefined>(() => {
    const missing = host.missingRequirements();
    return missing.length > 0 ? `This version of Excel lacks what the model builder needs: ${missing.join("; ")}. Use Excel for Microsoft 365, Excel 2021 or later, or Excel on the web.` : undefined;
  });
  /** A rebuild waiting for the user to agree to write over their cells. */
  const [confirm, setConfirm] = useState<{ message: string; replace: boolean }>();

  useEffect(() => {
    host.listRangeNames().then(setRangeNames, () => setRangeNames([]));
  }, [host]);

  useEffect(() => {
    let live = true;
    host.loadSettings(settingsKey).then(
      (stored) => {
        if (!live) return;
        const { settings, problem, newer } = readCohortSettings(stored);
        if (newer) setBlocked(problem);
        else if (problem) setNotice(problem);
        if (settings) {
          setForm(formFromSettings(settings));
          setSavedSheet(settings.sheetName);
          setWritten(settings.written);
          setSaved(settings);
        }
      },
      (e: unknown) => live && setError(`The saved settings could not be read: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      live = false;
    };
  }, [host, settingsKey]);

  const useSelection = useCallback(async () => {
    try {
      const { address } = await host.readSelection();
      setForm((f) => ({ ...f, source: address }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [host]);

  const fields = activeFields(form);
  const messages = Object.fromEntries(fields.map((f) => [f, fieldMessage(f, form[f])])) as Partial<Record<NumberField, string>>;
  const scenarioCheck = checkCohortScenarios(form);
  const valid = (form.sourceKind === "assumptions" || form.source.trim() !== "") && fields.every((f) => messages[f] === undefined) && scenarioCheck.all.length === 0;

  const build = useCallback(
    async (replace: boolean, overwrite = false) => {
      if (blocked) return;
      setConfirm(undefined);
      setError(undefined);
      setStatus("building");
      try {
        const done = await buildCohortModel(host, form, { previous: replace ? written : undefined, overwrite, key: settingsKey });
        setSaved(done.saved);
        setSavedSheet(done.built.sheetName);
        setWritten(done.saved.written);
        setNotice(done.notes.length > 0 ? done.notes.join(" ") : undefined);
        setBuilt(done.built);
        setResult(done.result);
        setStatus("done");
      } catch (e) {
        setStatus("idle");
        if (e instanceof OccupiedCellsError) setConfirm({ message: `${e.message} Replace ${e.count === 1 ? "it" : "them"} with the model, or cancel and move your content first.`, replace });
        else setError(e instanceof Error ? e.message : String(e));
      }
    },
    [host, form, written, blocked, settingsKey],
  );

  useEffect(() => {
    if (!rebuildSoon) return;
    setRebuildSoon(false);
    void build(true);
  }, [rebuildSoon, build]);

  /**
   * Another scenario chosen to drive the model. A model in the workbook that has it on its
   * sheet switches there (its ActiveScenario cell written, the workbook recalculates) and the
   * setting is saved; a model that has not (a scenario added since, its sheet gone or renamed)
   * is rebuilt with the form; with no model built yet the choice waits for Build.
   */
  const activate = useCallback(
    async (j: number) => {
      const next = { ...form, activeScenario: j };
      setForm(next);
      if (blocked || !saved?.written) return;
      setError(undefined);
      const name = (checkCohortScenarios(next).scenarios?.[j]?.name ?? next.scenarios[j]?.name ?? "").trim();
      const onSheet = scenarioIndexByName(saved.economics.scenarios, name);
      setSwitching(true);
      try {
        if (onSheet >= 0 && (await writeActiveScenario(host, saved.written, COHORT_SHEET, name))) {
          const scenarios = scenariosOf(saved.economics);
          const blob: CohortSettings = { ...saved, economics: { ...saved.economics, ...(saved.economics.scenarios ? { activeScenario: scenarios[onSheet]!.name } : {}) } };
          await host.saveSettings(settingsKey, blob);
          setSaved(blob);
          if (built && scenarioIndexByName(built.settings.scenarios, name) === onSheet) {
            const settings = { ...built.settings, activeScenario: blob.economics.activeScenario };
            setBuilt({ ...built, settings });
            setResult(cohortResult({ ...built, settings }, onSheet));
          }
        } else if (valid && !blocked) setRebuildSoon(true);
        else setNotice(`“${name}” is not on the model's sheet yet: fix the form and rebuild to make it the active scenario there.`);
      } catch (e) {
        setError(`The workbook could not switch to “${name}”: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        setSwitching(false);
      }
    },
    [host, form, saved, built, blocked, valid, settingsKey],
  );

  return {
    form,
    setForm,
    messages,
    valid: valid && !blocked,
    status,
    result,
    error,
    notice,
    blocked,
    savedSheet,
    canRebuild: written !== undefined,
    rangeNames,
    useSelection,
    build,
    scenarioRows: cohortScenarioRows(form),
    scenarioCheck,
    /** The last build's plan, for Export: the model as a workbook of its own. */
    exportPlan: () => (built ? buildCohortPlan(built.settings, built.fit).plan : undefined),
    setScenarios: (scenarios: ScenarioDraft[], activeScenario: number) => setForm((f) => ({ ...f, scenarios, activeScenario })),
    activate,
    switching,
    confirm,
    cancelConfirm: () => setConfirm(undefined),
    dismissError: () => setError(undefined),
  };
}
