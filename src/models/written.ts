import { z } from "zod";
import { formatCount } from "../core/errors";

/**
 * What the add-in wrote for a model, kept in the model's saved settings so a rebuild knows
 * which sheet is the model's and which of its cells, names, charts and tables are the
 * model's own (everything else on the sheet is the user's and is left alone).
 *
 * A model's sheet is recognised by a worksheet custom property (ExcelApi 1.12) holding
 * `marker(modelId, instance, key)`: a user cannot move it by editing cells, and a rebuild
 * replaces only a sheet whose marker matches the saved `instance`.
 */
const shortText = z.string().max(255);
const a1 = z.string().regex(/^\$?[A-Z]{1,3}\$?\d{1,7}(:\$?[A-Z]{1,3}\$?\d{1,7})?$/, "an A1 range");

export const writtenChartSchema = z.object({
  name: shortText,
  kind: z.enum(["line", "areaStacked", "column"]),
  title: shortText,
  categories: a1,
  series: z.array(z.object({ name: shortText, values: a1 })).max(255),
  from: a1,
  to: a1,
});

/** A validation the model set, so a rebuild can take it off and a failed one put it back. */
export const writtenValidationSchema = z.object({
  range: a1,
  rule: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("decimal"), min: z.number().optional(), max: z.number().optional() }),
    z.object({ kind: z.literal("whole"), min: z.number(), max: z.number() }),
    z.object({ kind: z.literal("list"), values: z.array(z.string().regex(/^[^,"]{1,64}$/)).min(1).max(50) }),
    // Only the conditions plans write: cell references, numbers, short words in quotes, comparisons, AND, OR, ISNUMBER, INT.
    z.object({ kind: z.literal("custom"), formula: z.string().max(500).regex(/^(?:AND|OR|ISNUMBER|INT|\$?[A-Z]{1,3}\$?\d{1,7}|"[A-Za-z]{1,32}"|[-+*/(),.<>=0-9 ])+$/) }),
  ]),
  prompt: z.object({ title: z.string().max(32), message: z.string().max(255) }),
  error: z.object({ title: z.string().max(32), message: z.string().max(255) }),
  allowBlank: z.boolean().optional(),
});

/** Cells of an A1 range, for the plausibility check below. */
function cellsIn(range: string): number {
  const [from, to = from] = range.replace(/\$/g, "").split(":") as [string, string?];
  const at = (a: string) => {
    const m = /^([A-Z]+)(\d+)$/.exec(a) as RegExpExecArray;
    let column = 0;
    for (const ch of m[1] as string) column = column * 26 + ch.charCodeAt(0) - 64;
    return { row: Number(m[2]), column };
  };
  const a = at(from);
  const b = at(to as string);
  return (Math.abs(b.row - a.row) + 1) * (Math.abs(b.column - a.column) + 1);
}

/** No model writes more: a record claiming more cells is not one the add-in wrote. */
export const MAX_FOOTPRINT_CELLS = 3_000_000;

export const writtenSheetSchema = z.object({
  /** The plan sheet it holds (plans name their sheets; the name is the key). */
  key: shortText,
  /** Its name when written (the user may rename it; the marker still finds it). */
  name: z.string().max(31),
  /** The cells the model wrote, as A1 ranges. */
  footprint: z
    .array(a1)
    .max(200_000)
    .refine((ranges) => ranges.reduce((n, r) => n + cellsIn(r), 0) <= MAX_FOOTPRINT_CELLS, `the model's cells number more than ${formatCount(MAX_FOOTPRINT_CELLS)}`),
  names: z.array(shortText).max(2_000),
  tables: z.array(shortText).max(50),
  charts: z.array(writtenChartSchema).max(50),
  /** Absent in records written before models validated their inputs. */
  validations: z.array(writtenValidationSchema).max(500).optional(),
  /** The model's heat maps (colour scales), so a rebuild takes them off; absent in records written before models had them. */
  heatMaps: z.array(z.object({ range: a1 })).max(50).optional(),
});

export const writtenModelSchema = z.object({
  modelId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** Random, made at the first build: tells this model's sheets from copies and from other models'. */
  instance: z.string().regex(/^[A-Za-z0-9]{8,32}$/),
  sheets: z.array(writtenSheetSchema).max(20),
});

export type WrittenChart = z.infer<typeof writtenChartSchema>;
export type WrittenValidation = z.infer<typeof writtenValidationSchema>;
export type WrittenSheet = z.infer<typeof writtenSheetSchema>;
export type WrittenModel = z.infer<typeof writtenModelSchema>;

/** The longest settings text a model saves in, or reads from, a workbook: far above what one writes (a 120 × 600 cohort model's record of what it wrote is about 9 KB). */
export const MAX_SETTINGS_TEXT = 2_000_000;

/** The worksheet custom property that marks a model's sheet. */
export const MARKER_KEY = "Lifetime.model";

export const marker = (modelId: string, instance: string, key: string) => `${modelId}|${instance}|${key}`.slice(0, 255);

/** A new random instance id. */
export function newInstance(random: () => number = Math.random): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 16 }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
}

/**
 * Raised when a rebuild would write over cells a user filled outside the model's own
 * cells; nothing has been written. The pane asks, then rebuilds with `overwrite`.
 */
export class OccupiedCellsError extends Error {
  constructor(
    readonly sheet: string,
    readonly cells: { address: string; content: string }[],
    readonly count: number,
  ) {
    const shown = cells
      .slice(0, 5)
      .map((c) => `${c.address} (${c.content.length > 40 ? `${c.content.slice(0, 40)}…` : c.content})`)
      .join(", ");
    super(`The model now needs ${count === 1 ? "a cell" : `${count} cells`} on “${sheet}” that ${count === 1 ? "holds" : "hold"} your own content: ${shown}${count > 5 ? ", …" : ""}.`);
    this.name = "OccupiedCellsError";
  }
}

/** What a host's applyPlan is asked and answers. */
export interface ApplyOptions {
  /** The model as last written: its sheets are rebuilt in place. Without it, new sheets are added. */
  previous?: WrittenModel;
  /** Write over cells a user filled where the rebuilt model now needs them (after asking). */
  overwrite?: boolean;
}

export interface ApplyResult {
  sheetNames: string[];
  /** True when an existing model sheet was rebuilt in place. */
  replaced: boolean;
  written: WrittenModel;
  /** Said to the user, for example that the model's sheet was gone and a new one written. */
  notes: string[];
}
