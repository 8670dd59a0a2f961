import { z } from "zod";
import { formatCount } from "../../core/errors";
import { MAX_SETTINGS_TEXT, writtenModelSchema } from "../written";
import { assumptionsSchema } from "./assumptions";
import { cohortInputSchema } from "./cohortPlan";

/**
 * The cohort model's settings as the workbook keeps them, so reopening the workbook and
 * the pane restores them and "Rebuild" refreshes the model in place. Versioned: this
 * version reads every earlier one and upgrades it; a blob from a later version is left
 * alone, and the pane builds nothing over it.
 */
export const COHORT_SETTINGS_KEY = "cohortModel";
export const COHORT_SETTINGS_VERSION = 2;
export { MAX_SETTINGS_TEXT } from "../written";

const economics = cohortInputSchema.innerType().omit({ cohorts: true });
/** Where the cohorts come from: a range (an address such as Data!A1:I8, a name or a table), or assumptions. */
const source = z.discriminatedUnion("kind", [z.object({ kind: z.literal("range"), address: z.string().min(1).max(300, "the cohort table's address is longer than 300 characters") }), assumptionsSchema]);
const sheetName = z.string().max(31).optional();

const version1 = z.object({ version: z.literal(1), source, economics, sheetName });

export const cohortSettingsSchema = z.object({
  version: z.literal(2),
  source,
  economics,
  /** The sheet the model was written to, for the link. */
  sheetName,
  /** What the add-in wrote, so Rebuild finds the model's sheet by its marker and rewrites only its cells. */
  written: writtenModelSchema.optional(),
  /** When it was last built (ISO 8601), for the list of models; absent in settings saved before. */
  builtAt: z.string().max(40).optional(),
});

export type CohortSettings = z.infer<typeof cohortSettingsSchema>;

export interface SettingsRead {
  settings?: CohortSettings;
  /** Why the blob cannot be used, or what its upgrade means; the blob itself is left as it is. */
  problem?: string;
  /** A later version of Lifetime wrote it: the pane must not write over it. */
  newer?: boolean;
}

const left = "They were left unchanged.";

/** Reads a stored blob (text, as the host keeps it): the settings, or why they cannot be used. */
export function readCohortSettings(stored: string | undefined): SettingsRead {
  if (stored === undefined || stored === "") return {};
  if (stored.length > MAX_SETTINGS_TEXT) return { problem: `The saved cohort-model settings in this workbook are ${formatCount(stored.length)} characters long, more than Lifetime reads (${formatCount(MAX_SETTINGS_TEXT)}). ${left}` };
  let blob: unknown;
  try {
    blob = JSON.parse(stored);
  } catch {
    return { problem: `The saved cohort-model settings in this workbook could not be read (not JSON). ${left}` };
  }
  const version = blob && typeof blob === "object" && "version" in blob ? (blob as { version: unknown }).version : undefined;
  if (typeof version === "number" && version > COHORT_SETTINGS_VERSION) {
    return {
      newer: true,
      problem: `This workbook's cohort model was made with a newer version of Lifetime (settings version ${version}; this one reads up to ${COHORT_SETTINGS_VERSION}). Update Lifetime to rebuild it; nothing will be written over it from here.`,
    };
  }
  if (version === 1) {
    const parsed = version1.safeParse(blob);
    if (!parsed.success) return { problem: problemOf(parsed.error) };
    const { sheetName: name, ...rest } = parsed.data;
    return {
      settings: { ...rest, version: 2, sheetName: name },
      problem: name ? `The model on “${name}” was written by an earlier Lifetime, which did not mark its sheet: Build writes the model to a new sheet, and “${name}” stays as it is until you delete it.` : undefined,
    };
  }
  const parsed = cohortSettingsSchema.safeParse(blob);
  return parsed.success ? { settings: parsed.data } : { problem: problemOf(parsed.error) };
}

function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return `The saved cohort-model settings in this workbook could not be read (${issue ? `${issue.path.join(".") || "settings"}: ${issue.message}` : "invalid"}). ${left}`;
}
