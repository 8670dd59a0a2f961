/**
 * Sheet and table names as Excel takes them, and what the hosts say about a model's
 * sheets: shared by the Office.js applier, the preview and the .xlsx writer.
 */
/** Excel's limits on sheet names: at most 31 characters, none of : \ / ? * [ ], no apostrophe at either end. */
export function safeSheetName(name: string): string {
  const cleaned = name.replace(/[:\\/?*[\]]/g, " ").replace(/^'+|'+$/g, "").trim() || "Model";
  const short = cleaned.slice(0, 31).replace(/'+$/, "").trim();
  return short.toLowerCase() === "history" ? "History model" : short || "Model";
}

/** `base`, or `base (2)`, `base (3)`, …: the first not already taken (case-insensitively, as Excel compares). */
export function uniqueSheetName(base: string, taken: Iterable<string>): string {
  const used = new Set(Array.from(taken, (n) => n.toLowerCase()));
  const safe = safeSheetName(base);
  if (!used.has(safe.toLowerCase())) return safe;
  for (let i = 2; ; i++) {
    const suffix = ` (${i})`;
    const candidate = safe.slice(0, 31 - suffix.length) + suffix;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** `base`, `base2`, `base3`, …: a table name not taken by a table or a name (Excel keeps them in one namespace). */
export function uniqueTableName(base: string, taken: Iterable<string>): string {
  const used = new Set(Array.from(taken, (n) => n.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`.toLowerCase())) return `${base}${i}`;
}

export { quoteSheet } from "../models/plan";

/** Two or more sheets carry one model's marker (a copied sheet keeps it): a rebuild cannot tell which is the model's. */
export const markedCopies = (sheets: string[]) =>
  `The sheets ${sheets.map((name) => `“${name}”`).join(" and ")} both carry this model's marker: one is a copy. Delete or rename the copy you do not want rebuilt (copies keep the marker), then rebuild.`;

/** A copy of a sheet the model no longer needs (a deleted scenario's): the copy is the user's, and stays. */
export const leftCopy = (sheet: string) => `The sheet “${sheet}” is a copy of a sheet this model no longer writes (a scenario removed): it was left as it is; delete it if you do not need it.`;

/** The model's marked sheet was deleted: it is written anew. */
export const sheetGone = (sheet: string) => `The model's sheet “${sheet}” is no longer in the workbook, so the model was written to a new sheet.`;
