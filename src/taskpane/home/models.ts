import type { WorkbookHost } from "../../host/workbookHost";
import { COHORT_SHEET } from "../../models/cohort/cohortPlan";
import { readCohortSettings, type CohortSettings } from "../../models/cohort/settings";
import { PARTNER_SHEET } from "../../models/partners/partnerPlan";
import { readPartnerSettings, type PartnerSettings } from "../../models/partners/settings";
import type { ModelIndex, ModelKind } from "../../models/registry";
import type { WrittenModel } from "../../models/written";
import { loadModelIndex, unregisterModel } from "../common/modelIndex";
import { buildCohortModel, formFromSettings as cohortForm } from "../cohort/useCohortModel";
import { buildPartnerModel, forgetPartnerDraft, listCohortModels, formFromSettings as partnerForm } from "../partners/usePartnerModel";

/*
 * The models built in this workbook, as their saved settings record them: every model the
 * workbook's index lists (src/models/registry.ts), each under its own settings key, and the
 * keys "cohortModel" and "partnerModel" of every earlier version (the first of each kind).
 * Listed with what can be done to each: open its form, rebuild it from its settings, or
 * remove its sheets and its settings. A blob that cannot be read, or that a newer Lifetime
 * wrote, is listed with its problem and never written over, rebuilt or removed from here.
 */

export type { ModelKind } from "../../models/registry";

export interface WorkbookModel {
  kind: ModelKind;
  /** The settings key it is saved under. */
  key: string;
  title: string;
  /** The title and the model sheet, to tell models of a kind apart: "cohort retention model on “Cohort model (2)”". */
  label: string;
  /** Its model sheet's name as last written. */
  sheet?: string;
  /** Every sheet it wrote (the model sheet, a sheet per scenario, the comparison). */
  sheets: string[];
  /** When it was last built (ISO 8601); unknown for settings saved before builds were dated. */
  builtAt?: string;
  /** How many scenarios it has (1: the base alone). */
  scenarios: number;
  /** Why its settings cannot be used; they are left as they are. */
  problem?: string;
  /** Settings from a newer Lifetime: nothing is written over them. */
  newer?: boolean;
  /** Its record of what it wrote: only a model with one can be rebuilt in place or removed. */
  written?: WrittenModel;
  settings?: CohortSettings | PartnerSettings;
}

const TITLES: Record<ModelKind, string> = { cohort: "Cohort retention model", partners: "Referral-partner model" };

/** The models of the workbook in its index's order (without an index: cohort, then partners); a key with no settings is not listed. */
export async function listModels(host: WorkbookHost): Promise<WorkbookModel[]> {
  return (await workbookModels(host)).models;
}

/** The models of the workbook, and its index (with why it cannot be used, if it cannot). */
export async function workbookModels(host: WorkbookHost): Promise<{ models: WorkbookModel[]; index: ModelIndex }> {
  const index = await loadModelIndex(host);
  const texts = await Promise.all(index.entries.map((e) => host.loadSettings(e.key)));
  const models: WorkbookModel[] = [];
  const add = (kind: ModelKind, key: string, mainSheet: string, stored: string | undefined, read: { settings?: CohortSettings | PartnerSettings; problem?: string; newer?: boolean }) => {
    if (stored === undefined || stored === "") return;
    const s = read.settings;
    const usable = s && !read.newer;
    const sheet = s?.written?.sheets.find((w) => w.key === mainSheet)?.name ?? s?.sheetName;
    models.push({
      kind,
      key,
      title: TITLES[kind],
      label: `${TITLES[kind].toLowerCase()}${sheet ? ` on “${sheet}”` : ""}`,
      sheet,
      sheets: s?.written?.sheets.map((w) => w.name) ?? [],
      builtAt: s?.builtAt,
      scenarios: s?.economics.scenarios?.length ?? 1,
      // An upgraded blob's note (an unmarked sheet of an earlier Lifetime) is said, not a problem.
      problem: usable ? undefined : read.problem,
      newer: read.newer,
      written: usable ? s.written : undefined,
      settings: usable ? s : undefined,
    });
  };
  index.entries.forEach((e, i) => {
    const text = texts[i];
    if (e.kind === "cohort") add("cohort", e.key, COHORT_SHEET, text, readCohortSettings(text));
    else add("partners", e.key, PARTNER_SHEET, text, readPartnerSettings(text));
  });
  return { models, index };
}

/** Whether the model can be rebuilt or removed from the list: readable settings, built. */
export const canChange = (model: WorkbookModel) => !model.problem && !model.newer && model.written !== undefined && model.settings !== undefined;

/**
 * Rebuilds a model in place from its saved settings, as its form's Rebuild does (a cohort
 * table read again and refitted; a partner model's linked curve read again). Fails with an
 * OccupiedCellsError, nothing written, when the model now needs a user's cells: rebuild with
 * `overwrite` once the user agrees.
 */
export async function rebuildModel(host: WorkbookHost, model: WorkbookModel, overwrite = false): Promise<{ notes: string[] }> {
  if (!canChange(model)) throw new Error(model.problem ?? `The ${model.title.toLowerCase()} has not been built, so there is nothing to rebuild.`);
  if (model.kind === "cohort") {
    const settings = model.settings as CohortSettings;
    const built = await buildCohortModel(host, cohortForm(settings), { previous: settings.written, overwrite, key: model.key });
    return { notes: built.notes };
  }
  const settings = model.settings as PartnerSettings;
  const form = partnerForm(settings);
  // A linked curve reads the cohort model on the sheet it was built from (else the first).
  const curve = settings.economics.curve;
  if (curve.kind === "linked") form.cohortKey = (await listCohortModels(host)).find((c) => c.sheet === curve.sheet)?.key;
  const built = await buildPartnerModel(host, form, { previous: settings.written, overwrite, key: model.key });
  return { notes: built.notes };
}

/** Removes a model: the sheets that carry its marker, then its settings, then its entry in the workbook's index. Their names. */
export async function removeModel(host: WorkbookHost, model: WorkbookModel): Promise<string[]> {
  if (!canChange(model)) throw new Error(model.problem ?? `The ${model.title.toLowerCase()} has not been built.`);
  const removed = await host.removeModelSheets(model.written as WrittenModel);
  await host.removeSettings(model.key);
  await unregisterModel(host, model.key);
  if (model.kind === "partners") forgetPartnerDraft(host, model.key);
  return removed;
}

/** "24 Nov 2026, 14:05" in the user's time zone, or "" for a date that is not one. */
export function builtWhen(iso: string | undefined, locale = "en-GB"): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(locale, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}
