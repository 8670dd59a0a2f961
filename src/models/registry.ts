import { z } from "zod";
import { formatCount } from "../core/errors";
import { COHORT_SETTINGS_KEY } from "./cohort/settings";
import { PARTNER_SETTINGS_KEY } from "./partners/settings";
import { MAX_SETTINGS_TEXT } from "./written";

/**
 * The index of the models a workbook holds, kept in its settings under "models": each
 * model's kind and the settings key its own settings are saved under. The first model of a
 * kind keeps the key every earlier Lifetime used ("cohortModel", "partnerModel"), so a
 * workbook written before there was an index needs nothing rewritten: without an index the
 * models are the legacy keys that hold settings. The index is written only when the pane
 * saves a model (never on merely opening a workbook). An index that cannot be read, or that a
 * newer Lifetime wrote, is reported and left as it is: the legacy keys are listed, and no
 * model beyond the first of each kind is added until the user resolves it.
 *
 * Pure: reading and deciding here; the host calls are in src/taskpane/home/models.ts.
 */
export const REGISTRY_KEY = "models";
export const REGISTRY_VERSION = 1;

export type ModelKind = "cohort" | "partners";
export const MODEL_KINDS: readonly ModelKind[] = ["cohort", "partners"];

/** The key of the first model of each kind: the one every earlier Lifetime saved under. */
export const FIRST_KEYS: Readonly<Record<ModelKind, string>> = { cohort: COHORT_SETTINGS_KEY, partners: PARTNER_SETTINGS_KEY };

/** At most this many models in a workbook. */
export const MAX_MODELS = 50;

/** A settings key: the kind's first key, or it followed by ":" and a number from 2 ("cohortModel:2"). */
const settingsKey = z.string().regex(/^(cohortModel|partnerModel)(:[1-9]\d{0,3})?$/, "not a settings key Lifetime writes");

export const registryEntrySchema = z.object({ key: settingsKey, kind: z.enum(["cohort", "partners"]) }).refine((e) => e.key.startsWith(FIRST_KEYS[e.kind]), "the key is not one of its kind's");

export const registrySchema = z.object({
  version: z.literal(REGISTRY_VERSION),
  models: z
    .array(registryEntrySchema)
    .max(MAX_MODELS, `more than ${MAX_MODELS} models`)
    .refine((models) => new Set(models.map((m) => m.key)).size === models.length, "a settings key is listed twice"),
});

export type RegistryEntry = z.infer<typeof registryEntrySchema>;
export type Registry = z.infer<typeof registrySchema>;

export interface RegistryRead {
  registry?: Registry;
  /** Why the stored index cannot be used; it is left as it is. */
  problem?: string;
  /** A later version of Lifetime wrote it: nothing is written over it. */
  newer?: boolean;
}

const left = "It was left unchanged";

/** Reads the stored index (text, as the host keeps it): the index, nothing (none stored), or why it cannot be used. */
export function readRegistry(stored: string | undefined): RegistryRead {
  if (stored === undefined || stored === "") return {};
  if (stored.length > MAX_SETTINGS_TEXT) return { problem: `The workbook's list of models is ${formatCount(stored.length)} characters long, more than Lifetime reads (${formatCount(MAX_SETTINGS_TEXT)}). ${left}.` };
  let blob: unknown;
  try {
    blob = JSON.parse(stored);
  } catch {
    return { problem: `The workbook's list of models could not be read (not JSON). ${left}.` };
  }
  const version = blob && typeof blob === "object" && "version" in blob ? (blob as { version: unknown }).version : undefined;
  if (typeof version === "number" && version > REGISTRY_VERSION) {
    return {
      newer: true,
      problem: `This workbook's list of models was written by a newer version of Lifetime (version ${version}; this one reads up to ${REGISTRY_VERSION}). ${left}: update Lifetime to see and add every model.`,
    };
  }
  const parsed = registrySchema.safeParse(blob);
  if (parsed.success) return { registry: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `The workbook's list of models could not be read (${issue ? `${issue.path.join(".") || "list"}: ${issue.message}` : "invalid"}). ${left}.` };
}

/** What the pane goes by: the models' keys in order, and whether models may be added. */
export interface ModelIndex {
  entries: RegistryEntry[];
  /** The index as stored and readable; undefined when there is none (an earlier Lifetime's workbook) or it cannot be used. */
  registry?: Registry;
  /** Why the stored index cannot be used: only the first model of each kind is listed, and none added beyond it. */
  problem?: string;
  newer?: boolean;
}

/**
 * The models of a workbook from its stored index and which legacy keys hold settings: the
 * index's entries, then any legacy key it lacks (an earlier Lifetime may have saved one since
 * the index was written). Without a usable index, the legacy keys alone, cohort first.
 */
export function modelIndex(read: RegistryRead, legacyPresent: Readonly<Record<ModelKind, boolean>>): ModelIndex {
  const entries = [...(read.registry?.models ?? [])];
  for (const kind of MODEL_KINDS) {
    const key = FIRST_KEYS[kind];
    if (legacyPresent[kind] && !entries.some((e) => e.key === key)) entries.push({ key, kind });
  }
  return { entries, registry: read.registry, problem: read.problem, newer: read.newer };
}

/** The kind a settings key belongs to. */
export function kindOfKey(key: string): ModelKind | undefined {
  return MODEL_KINDS.find((kind) => key === FIRST_KEYS[kind] || key.startsWith(`${FIRST_KEYS[kind]}:`));
}

/**
 * The key for a new model of a kind: the kind's first key when no model holds it, else the
 * first "key:n" (n from 2) that the index does not list and no settings hold (`taken`).
 * Fails, saying how to go on, when the index cannot be used and the first key is taken.
 */
export function newModelKey(index: ModelIndex, kind: ModelKind, taken: (key: string) => boolean): string {
  const first = FIRST_KEYS[kind];
  const used = (key: string) => index.entries.some((e) => e.key === key) || taken(key);
  if (!used(first)) return first;
  if (index.problem) throw new Error(addRefusal(index));
  if (index.entries.length >= MAX_MODELS) throw new Error(`This workbook holds ${MAX_MODELS} models, as many as Lifetime keeps: remove one first.`);
  for (let n = 2; n < 10_000; n++) if (!used(`${first}:${n}`)) return `${first}:${n}`;
  throw new Error("No settings key is free for a new model.");
}

/** Why no model may be added while the index cannot be used, and what to do. */
export function addRefusal(index: ModelIndex): string {
  return index.newer
    ? `${index.problem} Until then this Lifetime adds no model beyond the first of each kind.`
    : `${index.problem} Until it is resolved Lifetime lists only the first model of each kind and adds no other: use “Forget the list” on Home (models other than the first of each kind are then no longer listed; their sheets stay), or open the workbook with the Lifetime that wrote it.`;
}

/**
 * The index to write once the model under `key` is saved: the current entries with it
 * added; undefined when nothing needs writing (the index already lists it) or nothing may be
 * (the stored index cannot be used: then only a first key may have been saved, and the
 * legacy keys still list it).
 */
export function withModel(index: ModelIndex, key: string, kind: ModelKind): Registry | undefined {
  if (index.problem) return undefined;
  if (index.registry && index.registry.models.some((e) => e.key === key)) return undefined;
  const models = index.entries.some((e) => e.key === key) ? index.entries : [...index.entries, { key, kind }];
  return { version: REGISTRY_VERSION, models };
}

/** The index to write once the model under `key` is removed; undefined when there is no usable index to change. */
export function withoutModel(index: ModelIndex, key: string): Registry | undefined {
  if (index.problem || !index.registry) return undefined;
  return { version: REGISTRY_VERSION, models: index.registry.models.filter((e) => e.key !== key) };
}
