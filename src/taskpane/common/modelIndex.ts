import type { WorkbookHost } from "../../host/workbookHost";
import { addRefusal, FIRST_KEYS, kindOfKey, modelIndex, newModelKey, readRegistry, REGISTRY_KEY, withModel, withoutModel, type ModelIndex, type ModelKind } from "../../models/registry";

/*
 * The workbook's index of models (src/models/registry.ts) through the host: read, a key for a
 * new model, and the index kept up to date when a model is saved or removed. Reading never
 * writes; an index that cannot be used is never written over.
 */

/** The workbook's models as its index and its legacy keys have them. */
export async function loadModelIndex(host: WorkbookHost): Promise<ModelIndex> {
  const [stored, cohort, partners] = await Promise.all([host.loadSettings(REGISTRY_KEY), host.loadSettings(FIRST_KEYS.cohort), host.loadSettings(FIRST_KEYS.partners)]);
  const present = (text: string | undefined) => text !== undefined && text !== "";
  return modelIndex(readRegistry(stored), { cohort: present(cohort), partners: present(partners) });
}

/** A settings key for a new model of a kind (nothing saved under it yet); fails, saying why, when none may be added. */
export async function allocateModelKey(host: WorkbookHost, kind: ModelKind): Promise<string> {
  const index = await loadModelIndex(host);
  // Settings saved under a key the index does not list (a removal cut short) are never written over.
  const candidates = [FIRST_KEYS[kind], ...Array.from({ length: index.entries.length + 1 }, (_, i) => `${FIRST_KEYS[kind]}:${i + 2}`)];
  const stored = await Promise.all(candidates.map((k) => host.loadSettings(k)));
  const held = new Set(candidates.filter((_, i) => stored[i] !== undefined && stored[i] !== ""));
  return newModelKey(index, kind, (key) => held.has(key) || !candidates.includes(key));
}

/**
 * Before a model's settings are saved under `key` for the first time: fails, nothing written,
 * when the key is not the first of its kind and the index cannot be used. Returns the index.
 */
export async function checkModelKey(host: WorkbookHost, key: string, kind: ModelKind): Promise<ModelIndex> {
  if (kindOfKey(key) !== kind) throw new Error(`“${key}” is not the settings key of a ${kind === "cohort" ? "cohort" : "referral-partner"} model.`);
  const index = await loadModelIndex(host);
  if (index.problem && key !== FIRST_KEYS[kind] && !index.entries.some((e) => e.key === key)) throw new Error(addRefusal(index));
  return index;
}

/** After a model's settings are saved under `key`: the index written with it, when it lacks it (and can be written). */
export async function registerModel(host: WorkbookHost, index: ModelIndex, key: string, kind: ModelKind): Promise<void> {
  const next = withModel(index, key, kind);
  if (next) await host.saveSettings(REGISTRY_KEY, next);
}

/** After a model's settings are removed: the index written without it, when there is one that can be. */
export async function unregisterModel(host: WorkbookHost, key: string): Promise<void> {
  const next = withoutModel(await loadModelIndex(host), key);
  if (next) await host.saveSettings(REGISTRY_KEY, next);
}

/** Forgets an index that cannot be read, when the user asks to: the models are then the legacy keys again. Never one a newer Lifetime wrote. */
export async function forgetModelIndex(host: WorkbookHost): Promise<void> {
  const index = await loadModelIndex(host);
  if (!index.problem) return;
  if (index.newer) throw new Error(index.problem);
  await host.removeSettings(REGISTRY_KEY);
}
