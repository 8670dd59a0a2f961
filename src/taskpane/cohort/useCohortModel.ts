import { useCallback, useEffect, useState } from "react";
import { LifetimeError } from "../../core/errors";
import { fitShiftedBetaGeometric } from "../../core/retention/shiftedBetaGeometric";
import type { WorkbookHost } from "../../host/workbookHost";
import { originOf, readCohortTable } from "../../models/cohort/cohortCsv";
import { assumedCohorts, assumedParams, assumptionsSchema, type Assumptions } from "../../models/cohort/assumptions";
import { buildCohortPlan, cohortFitBand, cohortInputSchema, type CohortFit } from "../../models/cohort/cohortPlan";
import { COHORT_SETTINGS_KEY, COHORT_SETTINGS_VERSION, readCohortSettings, type CohortSettings } from "../../models/cohort/settings";
import { OccupiedCellsError, type WrittenModel } from "../../models/written";
import type { ChartData } from "../../models/charts";
import { cohortCharts } from "../../models/cohort/charts";

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
}

export const DEFAULT_FORM: CohortForm = { sourceKind: "range", source: "", cohorts: "12", customersPerCohort: "1000", curve: "constant", retention: "0.85", alpha: "0.7", beta: "1.2", revenue: "30", margin: "0.7", cac: "120", annualDiscount: "0.1", period: "month", horizon: "36", timing: "start", tornadoStep: "0.1" };

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

function assumptionsFrom(form: CohortForm): Assumptions {
  return assumptionsSchema.parse({
    kind: "assumptions",
    cohorts: Number(form.cohorts),
    customersPerCohort: Number(form.customersPerCohort),
    curve: form.curve === "constant" ? { kind: "constant", retention: Number(form.retention) } : { kind: "sbg", alpha: Number(form.alpha), beta: Number(form.beta) },
  });
}

function formFromSettings(s: CohortSettings): CohortForm {
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
  return { ...DEFAULT_FORM, ...assumed, revenue: String(e.revenue), margin: String(e.margin), cac: String(e.cac), annualDiscount: String(e.annualDiscount), period: e.period, horizon: String(e.horizon), timing: e.timing, tornadoStep: String(e.tornadoStep ?? 0.1) };
}

/** Form state, settings saved in the workbook, and Build/Rebuild: the pane's cohort model. */
export function useCohortModel(host: WorkbookHost) {
  const [form, setForm] = useState<CohortForm>(DEFAULT_FORM);
  const [status, setStatus] = useState<"idle" | "building" | "done">("idle");
  const [result, setResult] = useState<CohortResult>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [savedSheet, setSavedSheet] = useState<string>();
  const [written, setWritten] = useState<WrittenModel>();
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
    host.loadSettings(COHORT_SETTINGS_KEY).then(
      (stored) => {
        if (!live) return;
        const { settings, problem, newer } = readCohortSettings(stored);
        if (newer) setBlocked(problem);
        else if (problem) setNotice(problem);
        if (settings) {
          setForm(formFromSettings(settings));
          setSavedSheet(settings.sheetName);
          setWritten(settings.written);
        }
      },
      (e: unknown) => live && setError(`The saved settings could not be read: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      live = false;
    };
  }, [host]);

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
  const valid = (form.sourceKind === "assumptions" || form.source.trim() !== "") && fields.every((f) => messages[f] === undefined);

  const build = useCallback(
    async (replace: boolean, overwrite = false) => {
      if (blocked) return;
      setConfirm(undefined);
      setError(undefined);
      let labels: string[] = [];
      setStatus("building");
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
        });
        const today = new Date().toISOString().slice(0, 10);
        let fit: CohortFit;
        if (assumptions) fit = { ...assumedParams(assumptions.curve), logLikelihood: undefined, fittedOn: `assumptions, ${today}` };
        else {
          const fitted = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
          if (!fitted.converged) throw new Error(`The sBG fit did not converge (${fitted.reason}).`);
          if (fitted.degenerate) throw new Error(`The cohorts do not determine the sBG curve: ${fitted.degenerate}. Use more cohorts or more periods of each, or build from assumptions.`);
          fit = { alpha: fitted.params.alpha, beta: fitted.params.beta, logLikelihood: fitted.logLikelihood, fittedOn: today, band: cohortFitBand(settings, fitted) };
        }
        const { plan, model } = buildCohortPlan(settings, fit);
        const applied = await host.applyPlan(plan, { previous: replace ? written : undefined, overwrite });
        const sheetName = applied.sheetNames[0] as string;
        const { cohorts: _cohorts, ...economics } = settings;
        void _cohorts;
        // Keep the source as chosen: a name or a table stays a name, so a rebuild reads it as it has grown.
        const source: CohortSettings["source"] = assumptions ?? { kind: "range", address: form.source.trim() };
        await host.saveSettings(COHORT_SETTINGS_KEY, { version: COHORT_SETTINGS_VERSION, source, economics, sheetName, written: applied.written } satisfies CohortSettings);
        setSavedSheet(sheetName);
        setWritten(applied.written);
        setNotice(applied.notes.length > 0 ? applied.notes.join(" ") : undefined);
        setResult({ constantRetention: assumptions?.curve.kind === "constant" ? assumptions.curve.retention : undefined, alpha: fit.alpha, beta: fit.beta, logLikelihood: fit.logLikelihood, clvNewCustomer: model.clvNewCustomer, customerEquity: model.customerEquity, activeToday: model.activeToday, band: fit.band, sheetName, charts: cohortCharts(settings, model) });
        setStatus("done");
      } catch (e) {
        setStatus("idle");
        if (e instanceof OccupiedCellsError) setConfirm({ message: `${e.message} Replace ${e.count === 1 ? "it" : "them"} with the model, or cancel and move your content first.`, replace });
        else if (e instanceof LifetimeError) setError(`The cohort table: ${e.message}`);
        else if (e && typeof e === "object" && "issues" in e) setError(describeIssues((e as { issues: Issue[] }).issues, labels));
        else setError(e instanceof Error ? e.message : String(e));
      }
    },
    [host, form, written, blocked],
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
    confirm,
    cancelConfirm: () => setConfirm(undefined),
    dismissError: () => setError(undefined),
  };
}
