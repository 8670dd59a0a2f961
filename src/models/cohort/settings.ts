import { z } from "zod";
import { assumptionsSchema } from "./assumptions";
import { cohortInputSchema } from "./cohortPlan";

/**
 * The cohort model's settings as the workbook keeps them, so reopening the workbook and
 * the pane restores them and "Rebuild" refreshes the model in place. Versioned: a later
 * version reads this one and migrates it.
 */
export const COHORT_SETTINGS_KEY = "cohortModel";

const economics = cohortInputSchema.innerType().omit({ cohorts: true });

export const cohortSettingsSchema = z.object({
  version: z.literal(1),
  /** Where the cohorts come from: a range (an address such as Data!A1:I8, a name or a table), or assumptions. */
  source: z.discriminatedUnion("kind", [z.object({ kind: z.literal("range"), address: z.string().min(1) }), assumptionsSchema]),
  economics,
  /** The sheet the model was written to, for the link and for Rebuild. */
  sheetName: z.string().optional(),
});

export type CohortSettings = z.infer<typeof cohortSettingsSchema>;

/** Reads a stored blob: the settings, or why they cannot be used (the blob is left as it is). */
export function readCohortSettings(stored: unknown): { settings?: CohortSettings; problem?: string } {
  if (stored === undefined || stored === null) return {};
  const parsed = cohortSettingsSchema.safeParse(stored);
  if (parsed.success) return { settings: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `The saved cohort-model settings in this workbook could not be read (${issue ? `${issue.path.join(".") || "settings"}: ${issue.message}` : "invalid"}). They were left unchanged.` };
}
