import { z } from "zod";
import { formatCount } from "../../core/errors";
import { MAX_SETTINGS_TEXT, writtenModelSchema } from "../written";
import { partnerInputSchema } from "./partnerPlan";

/**
 * The referral-partner model's settings as the workbook keeps them, so reopening the
 * workbook and the pane restores the partners and the economics, and "Rebuild" refreshes
 * the model in place. Versioned as the cohort model's (../cohort/settings.ts): a blob from
 * a later version is left alone, and the pane builds nothing over it.
 */
export const PARTNER_SETTINGS_KEY = "partnerModel";
export const PARTNER_SETTINGS_VERSION = 1;
export { MAX_SETTINGS_TEXT } from "../written";

const shape = partnerInputSchema.innerType();
/** Everything but the partners: revenue, margin, the retention curve, discounting, horizon, acquisition, paid CAC, timing. */
const economics = shape.omit({ partners: true });

export const partnerSettingsSchema = z.object({
  version: z.literal(1),
  economics,
  partners: shape.shape.partners,
  /** The sheet the model was written to, for the link. */
  sheetName: z.string().max(31).optional(),
  /** What the add-in wrote, so Rebuild finds the model's sheet by its marker and rewrites only its cells. */
  written: writtenModelSchema.optional(),
  /** When it was last built (ISO 8601), for the list of models; absent in settings saved before. */
  builtAt: z.string().max(40).optional(),
});

export type PartnerSettings = z.infer<typeof partnerSettingsSchema>;

export interface PartnerSettingsRead {
  settings?: PartnerSettings;
  /** Why the blob cannot be used; the blob itself is left as it is. */
  problem?: string;
  /** A later version of Lifetime wrote it: the pane must not write over it. */
  newer?: boolean;
}

const left = "They were left unchanged.";

/** Reads a stored blob (text, as the host keeps it): the settings, or why they cannot be used. */
export function readPartnerSettings(stored: string | undefined): PartnerSettingsRead {
  if (stored === undefined || stored === "") return {};
  if (stored.length > MAX_SETTINGS_TEXT) return { problem: `The saved partner-model settings in this workbook are ${formatCount(stored.length)} characters long, more than Lifetime reads (${formatCount(MAX_SETTINGS_TEXT)}). ${left}` };
  let blob: unknown;
  try {
    blob = JSON.parse(stored);
  } catch {
    return { problem: `The saved partner-model settings in this workbook could not be read (not JSON). ${left}` };
  }
  const version = blob && typeof blob === "object" && "version" in blob ? (blob as { version: unknown }).version : undefined;
  if (typeof version === "number" && version > PARTNER_SETTINGS_VERSION) {
    return {
      newer: true,
      problem: `This workbook's partner model was made with a newer version of Lifetime (settings version ${version}; this one reads up to ${PARTNER_SETTINGS_VERSION}). Update Lifetime to rebuild it; nothing will be written over it from here.`,
    };
  }
  const parsed = partnerSettingsSchema.safeParse(blob);
  if (parsed.success) return { settings: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `The saved partner-model settings in this workbook could not be read (${issue ? `${issue.path.join(".") || "settings"}: ${issue.message}` : "invalid"}). ${left}` };
}
