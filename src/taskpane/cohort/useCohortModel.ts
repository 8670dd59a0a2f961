import { useCallback, useEffect, useState } from "react";
import { LifetimeError } from "../../core/errors";
import { fitShiftedBetaGeometric } from "../../core/retention/shiftedBetaGeometric";
import type { WorkbookHost } from "../../host/workbookHost";
import { readCohortTable } from "../../models/cohort/cohortCsv";
import { buildCohortPlan, cohortInputSchema } from "../../models/cohort/cohortPlan";
import { COHORT_SETTINGS_KEY, readCohortSettings, type CohortSettings } from "../../models/cohort/settings";

/** The form's fields, as typed (strings), before validation. */
export interface CohortForm {
  source: string;
  revenue: string;
  margin: string;
  cac: string;
  annualDiscount: string;
  period: "month" | "quarter" | "year";
  horizon: string;
  timing: "start" | "end";
}

export const DEFAULT_FORM: CohortForm = { source: "", revenue: "30", margin: "0.7", cac: "120", annualDiscount: "0.1", period: "month", horizon: "36", timing: "start" };

export interface CohortResult {
  alpha: number;
  beta: number;
  logLikelihood: number;
  clvNewCustomer: number;
  customerEquity: number;
  activeToday: number;
  sheetName: string;
}

const economicsShape = cohortInputSchema.innerType().shape;
type NumberField = "revenue" | "margin" | "cac" | "annualDiscount" | "horizon";
const NUMBER_FIELDS: NumberField[] = ["revenue", "margin", "cac", "annualDiscount", "horizon"];

/** The message for one field as the user types, from the model's own schema. */
export function fieldMessage(field: NumberField, text: string): string | undefined {
  if (text.trim() === "") return "Enter a number";
  const value = Number(text);
  if (!Number.isFinite(value)) return `"${text}" is not a number`;
  const parsed = economicsShape[field].safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

function formFromSettings(s: CohortSettings): CohortForm {
  const e = s.economics;
  return { source: s.source.address, revenue: String(e.revenue), margin: String(e.margin), cac: String(e.cac), annualDiscount: String(e.annualDiscount), period: e.period, horizon: String(e.horizon), timing: e.timing };
}

/** Form state, settings saved in the workbook, and Build/Rebuild: the pane's cohort model. */
export function useCohortModel(host: WorkbookHost) {
  const [form, setForm] = useState<CohortForm>(DEFAULT_FORM);
  const [status, setStatus] = useState<"idle" | "building" | "done">("idle");
  const [result, setResult] = useState<CohortResult>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [savedSheet, setSavedSheet] = useState<string>();

  useEffect(() => {
    let live = true;
    host.loadSettings(COHORT_SETTINGS_KEY).then(
      (stored) => {
        if (!live) return;
        const { settings, problem } = readCohortSettings(stored);
        if (problem) setNotice(problem);
        if (settings) {
          setForm(formFromSettings(settings));
          setSavedSheet(settings.sheetName);
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

  const messages = Object.fromEntries(NUMBER_FIELDS.map((f) => [f, fieldMessage(f, form[f])])) as Record<NumberField, string | undefined>;
  const valid = form.source.trim() !== "" && NUMBER_FIELDS.every((f) => messages[f] === undefined);

  const build = useCallback(
    async (replace: boolean) => {
      setError(undefined);
      setStatus("building");
      try {
        const { address, values } = await host.readRange(form.source.trim());
        const cohorts = readCohortTable(values);
        const settings = cohortInputSchema.parse({
          cohorts,
          revenue: Number(form.revenue),
          margin: Number(form.margin),
          cac: Number(form.cac),
          annualDiscount: Number(form.annualDiscount),
          period: form.period,
          horizon: Number(form.horizon),
          timing: form.timing,
        });
        const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
        if (!fit.converged) throw new Error(`The sBG fit did not converge (${fit.reason}).`);
        const { plan, model } = buildCohortPlan(settings, {
          alpha: fit.params.alpha,
          beta: fit.params.beta,
          logLikelihood: fit.logLikelihood,
          fittedOn: new Date().toISOString().slice(0, 10),
        });
        const written = await host.applyPlan(plan, { replace });
        const sheetName = written.sheetNames[0] as string;
        const { cohorts: _cohorts, ...economics } = settings;
        void _cohorts;
        await host.saveSettings(COHORT_SETTINGS_KEY, { version: 1, source: { kind: "range", address }, economics, sheetName } satisfies CohortSettings);
        setSavedSheet(sheetName);
        setResult({ alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, clvNewCustomer: model.clvNewCustomer, customerEquity: model.customerEquity, activeToday: model.activeToday, sheetName });
        setStatus("done");
      } catch (e) {
        setStatus("idle");
        if (e instanceof LifetimeError) setError(`The cohort table: ${e.message}`);
        else if (e && typeof e === "object" && "issues" in e) setError((e as { issues: { message: string }[] }).issues.map((i) => i.message).join("; "));
        else setError(e instanceof Error ? e.message : String(e));
      }
    },
    [host, form],
  );

  return { form, setForm, messages, valid, status, result, error, notice, savedSheet, useSelection, build, dismissError: () => setError(undefined) };
}
