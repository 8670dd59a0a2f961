import type { WorkbookPlan } from "../models/plan";
import { formatCount } from "../core/errors";
import { MAX_SETTINGS_TEXT, type ApplyOptions, type ApplyResult, type WrittenModel } from "../models/written";

/** A range as read: where it is, its values, and its text as Excel displays it (dates as dates). */
export interface RangeRead {
  address: string;
  values: unknown[][];
  text: string[][];
}

/** What Insert did: wrote the formula, or found the active cell holding something and left it. */
export type InsertResult = { inserted: true; address: string } | { inserted: false; address: string; content: string };

/** The most cells the pane reads from a range: a cohort table of 600 cohorts × 600 periods, and then some. */
export const MAX_READ_CELLS = 400_000;
/** Settings text that is too long to keep: says how long, and the limit. */
export function settingsTooLong(text: string): Error {
  return new Error(`The model's settings are ${formatCount(text.length)} characters, more than a workbook keeps for them (${formatCount(MAX_SETTINGS_TEXT)}).`);
}

/**
 * What the task pane needs from a workbook, whoever hosts it: Excel through Office.js, or
 * the preview workbook in a browser. The pane cannot tell the two apart.
 */
export interface WorkbookHost {
  readonly kind: "excel" | "preview";
  /** Requirement sets the pane needs and this Excel lacks, such as "ExcelApi 1.12"; empty when all are there. */
  missingRequirements(): string[];
  /** The selected range. */
  readSelection(): Promise<RangeRead>;
  /** A range by address ("Data!A1:I8"), a named range or an Excel table by name, or a sheet's own name after its sheet ("'Cohort model'!Alpha"); at most MAX_READ_CELLS cells. */
  readRange(reference: string): Promise<RangeRead>;
  /** Named ranges and Excel tables the user can pick as a source, by name. */
  listRangeNames(): Promise<string[]>;
  /** Writes a plan (see src/host/excel/applyPlan.ts for the rules both hosts keep). */
  applyPlan(plan: WorkbookPlan, options?: ApplyOptions): Promise<ApplyResult>;
  /** Shows a sheet, for the link to a model the pane has written. */
  activateSheet(name: string): Promise<void>;
  /** Writes a formula into the active cell, if it is empty or `overwrite` says the user agreed. */
  insertFormula(formula: string, options?: { overwrite?: boolean }): Promise<InsertResult>;
  /**
   * Writes one value into one cell of a sheet ("B3"), as the model's ActiveScenario: text is
   * written as text (after Excel's text prefix, an apostrophe), never read as a formula, a
   * number or a date. Fails if the sheet is not there.
   */
  setCellValue(sheet: string, address: string, value: string | number | boolean): Promise<void>;
  /**
   * Deletes the sheets that carry the model's marker (found by the marker, never by a name, so
   * a user's sheet is never taken) and returns their names. Deletes nothing, and says why, when
   * they are every visible sheet of the workbook (Excel keeps one).
   */
  removeModelSheets(written: WrittenModel): Promise<string[]>;
  /** Forgets the model settings saved under `key`. */
  removeSettings(key: string): Promise<void>;
  /** The model settings saved in the workbook, as stored text, or undefined. */
  loadSettings(key: string): Promise<string | undefined>;
  saveSettings(key: string, value: unknown): Promise<void>;
  /**
   * A copy of the workbook for people without the add-in (src/host/xlsx/portable.ts): every
   * cell that calls an LTV function holds its value, with a note sheet saying so. The
   * workbook itself is not changed. `frozen` counts the cells saved as values, `missing`
   * those of them that had no value to keep (they hold #N/A).
   */
  portableCopy(): Promise<PortableCopyFile>;
}

/** A portable copy, ready to download. */
export interface PortableCopyFile {
  fileName: string;
  bytes: Uint8Array;
  frozen: number;
  missing: number;
}

/** One cell's address ("B3", "$B$3" taken as B3), or an error saying what was given instead. */
export function singleCell(address: string): string {
  const cell = address.replace(/\$/g, "").toUpperCase();
  if (!/^[A-Z]{1,3}[1-9]\d{0,6}$/.test(cell)) throw new Error(`${address} is not the address of one cell`);
  return cell;
}

/** A value as setCellValue writes it: text after Excel's text prefix, so it stays text. */
export const cellEntry = (value: string | number | boolean): string | number | boolean => {
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`${value} is not a number a cell holds`);
  return typeof value === "string" ? `'${value}` : value;
};

/** The sheets a model's removal would leave none visible of: the message that says so. */
export const lastSheets = (names: string[]) =>
  `The model's sheets (${names.map((n) => `“${n}”`).join(", ")}) are the workbook's only visible sheets, and a workbook keeps one: add a sheet first, then remove the model.`;

/** The requirement sets the pane's model builders use (see README: requirement sets). */
export const REQUIRED_SETS: readonly { name: string; version: string; why: string }[] = [
  { name: "ExcelApi", version: "1.12", why: "worksheet custom properties mark a model's sheets" },
];

/** Too large to read: says how large, and the limit. */
export function tooManyCells(address: string, rows: number, columns: number): Error {
  return new Error(`${address} has ${formatCount(rows)} rows × ${formatCount(columns)} columns; select the table itself (at most ${formatCount(MAX_READ_CELLS)} cells).`);
}
