import { chartFromCells, type ChartData } from "../../models/charts";
import { cellAddress, parseAddress, renameSheetReferences, shiftFormula, writeFormulas, writeRange, type ChartPlan, type HeatMapPlan, type ValidationPlan, type WorkbookPlan } from "../../models/plan";
import { MARKER_KEY, marker, MAX_SETTINGS_TEXT, newInstance, OccupiedCellsError, type ApplyOptions, type ApplyResult, type WrittenModel } from "../../models/written";
import { CellSet, parseRange, planFootprint } from "../cells";
import { leftCopy, markedCopies, quoteSheet, sheetGone, uniqueSheetName } from "../sheets";
import { cellEntry, lastSheets, MAX_READ_CELLS, REQUIRED_SETS, settingsTooLong, singleCell, tooManyCells, type RangeRead, type WorkbookHost } from "../workbookHost";
import { displayText } from "./display";
import { heatColor, heatScale } from "./heatMap";
import { CellError, FormulaEngine, type RawCellContent } from "./engine/engine";

/**
 * The preview workbook: sheets computed by the project's own formula engine (./engine), for
 * trying the task pane in a browser without Excel. It keeps what the engine does not
 * (number formats, the selection, the sheets' markers) beside it, keyed by sheet id so a
 * rename or a rebuild keeps them, and applies plans by the rules of the Office.js applier:
 * a new sheet with a unique name; a rebuild in place on the sheet that carries the model's
 * marker, touching only the model's own cells, asking before it writes over a user's; a
 * failed write undone.
 */
export class PreviewWorkbook {
  readonly engine = new FormulaEngine();
  /** Number formats by "sheetId!row:column". */
  readonly formats = new Map<string, string>();
  /** Cell styles a plan sets (bold, italic, fill), keyed as the formats. */
  readonly styles = new Map<string, { bold?: boolean; italic?: boolean; fill?: string }>();
  /** Column widths in characters, by sheet id and column letter. */
  readonly columnWidths = new Map<number, Record<string, number>>();
  /** The charts of each sheet, as the plans set them: sheet id → charts over its ranges. */
  readonly charts = new Map<number, ChartPlan[]>();
  /** Data validation of each sheet's cells, as the plans set it: sheet id → validations. */
  readonly validations = new Map<number, ValidationPlan[]>();
  /** Heat maps (colour scales) of each sheet, as the plans set them: sheet id → heat maps. */
  readonly heatMaps = new Map<number, HeatMapPlan[]>();
  /** Worksheet custom properties, as Excel keeps them: sheet id → key → value. */
  readonly customProperties = new Map<number, Map<string, string>>();
  selection = { sheet: "", range: "A1" };
  /** For tests of failure handling: the write (1-based) at which the next plan fails. */
  failAtWrite?: number;
  private listeners: (() => void)[] = [];

  onChange(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  changed(): void {
    this.listeners.forEach((l) => l());
  }

  sheetId(name: string): number {
    const id = this.engine.getSheetId(name);
    if (id === undefined) throw new Error(`no sheet named ${name}`);
    return id;
  }

  formatAt(sheet: number, row: number, column: number): string | undefined {
    return this.formats.get(`${sheet}!${row}:${column}`);
  }

  /** A sheet's charts with the values its cells hold now, for drawing beside the grid. */
  chartsOf(sheet: string): ChartData[] {
    const read = (range: string) => this.values(sheet, range).flat();
    return (this.charts.get(this.sheetId(sheet)) ?? []).map((chart) => chartFromCells(chart, read));
  }

  /**
   * A sheet's heat maps over the values its cells hold now: each range (1-based rows and
   * columns) and the colour of a value in it. Computed once per call: the grid asks once per change.
   */
  heatMapsOf(sheet: string): { top: number; left: number; bottom: number; right: number; color: (value: unknown) => string | undefined }[] {
    return (this.heatMaps.get(this.sheetId(sheet)) ?? []).flatMap((h) => {
      const range = h.range.replace(/\$/g, "");
      const scale = heatScale(this.values(sheet, range).flat());
      return scale ? [{ ...parseRange(range), color: (value: unknown) => heatColor(value, scale) }] : [];
    });
  }

  /** The error a cell holds (1-based row and column) and its message, as Excel shows it on the error's tooltip. */
  errorAt(sheet: number, row: number, column: number): { code: string; message: string } | undefined {
    const value = this.engine.getCellValue({ sheet, row: row - 1, col: column - 1 });
    if (!(value instanceof CellError)) return undefined;
    return { code: value.value, message: value.message };
  }

  /** The validation that covers a cell (1-based row and column), if any. */
  validationAt(sheet: number, row: number, column: number): ValidationPlan | undefined {
    return this.validations.get(sheet)?.find((v) => {
      const r = parseRange(v.range.replace(/\$/g, ""));
      return row >= r.top && row <= r.bottom && column >= r.left && column <= r.right;
    });
  }

  /**
   * Enters one cell as a user typing would, and as Excel does with a stop alert: an entry
   * the cell's validation refuses is not written (so it leaves nothing to undo), and its
   * error is returned. Clearing a cell is never refused (Excel validates entries, not deletions).
   */
  enter(sheet: string, at: string, content: RawCellContent): { title: string; message: string } | undefined {
    const id = this.sheetId(sheet);
    const { row, column } = parseAddress(at);
    const validation = this.validationAt(id, row, column);
    if (validation && content !== null && content !== "" && !this.accepts(validation, id, row, column, content)) return validation.error;
    this.engine.setCellContents({ sheet: id, row: row - 1, col: column - 1 }, [[content]]);
    return undefined;
  }

  /** Undoes the last edit made in the grid; a plan's write is not the user's edit and is not undone. */
  undo(): boolean {
    if (!this.engine.isThereSomethingToUndo()) return false;
    this.engine.undo();
    return true;
  }

  redo(): boolean {
    if (!this.engine.isThereSomethingToRedo()) return false;
    this.engine.redo();
    return true;
  }

  /** Whether a validation accepts an entry, judged before it is written. */
  private accepts(v: ValidationPlan, sheet: number, row: number, column: number, content: RawCellContent): boolean {
    // Typed text is judged as the cell would read it: "50%" is 0.5, "=…" its result.
    const value = typeof content === "string" ? this.engine.calculateFormula(content, sheet) : content;
    const rule = v.rule;
    switch (rule.kind) {
      case "decimal":
        return typeof value === "number" && (rule.min === undefined || value >= rule.min) && (rule.max === undefined || value <= rule.max);
      case "whole":
        return typeof value === "number" && Number.isInteger(value) && value >= rule.min && value <= rule.max;
      case "list":
        return typeof value === "string" && rule.values.some((x) => x.toLowerCase() === value.toLowerCase());
      case "custom": {
        if (typeof value !== "number" && typeof value !== "string" && typeof value !== "boolean") return false;
        // The condition is written for the range's top-left cell, references moving with the cell; the entry stands in for the cell.
        const origin = parseRange(v.range.replace(/\$/g, ""));
        const self = cellAddress(row, column);
        const letters = self.replace(/\d+$/, "");
        const literal = typeof value === "string" ? `"${value.replace(/"/g, '""')}"` : String(value).toUpperCase();
        const condition = shiftFormula(rule.formula, row - origin.top, column - origin.left).replace(new RegExp(`(?<![A-Z0-9$])\\$?${letters}\\$?${row}(?![0-9])`, "g"), literal);
        return this.engine.calculateFormula(`=${condition}`, sheet) === true;
      }
    }
  }

  /** Writes rows of values (and "=…" formulas) at a cell. */
  setCells(sheet: string, at: string, rows: unknown[][]): void {
    const { row, column } = parseAddress(at);
    this.engine.setCellContents({ sheet: this.sheetId(sheet), row: row - 1, col: column - 1 }, rows as RawCellContent[][]);
  }

  /** Computed values of a range. */
  values(sheet: string, range: string): unknown[][] {
    const r = parseRange(range);
    const id = this.sheetId(sheet);
    return this.engine.getRangeValues({ start: { sheet: id, row: r.top - 1, col: r.left - 1 }, end: { sheet: id, row: r.bottom - 1, col: r.right - 1 } }) as unknown[][];
  }

  /** A range as the grid shows it: each value through its number format, dates as dates. */
  text(sheet: string, range: string): string[][] {
    const r = parseRange(range);
    const id = this.sheetId(sheet);
    return this.values(sheet, range).map((row, i) =>
      row.map((value, j) => {
        const at = { sheet: id, row: r.top - 1 + i, col: r.left - 1 + j };
        const date = this.engine.isCellDate(at);
        return displayText(value, this.formatAt(id, at.row + 1, at.col + 1) ?? (date ? "mm/dd/yyyy" : undefined));
      }),
    );
  }

  /** What is in a cell as typed: its formula, or its value; "" when empty. */
  content(sheet: number, row: number, column: number): string {
    const at = { sheet, row: row - 1, col: column - 1 };
    const formula = this.engine.getCellFormula(at);
    if (formula !== undefined) return formula;
    const value = this.engine.getCellSerialized(at);
    return value === null || value === undefined ? "" : String(value);
  }

  applyPlan(plan: WorkbookPlan, options: ApplyOptions = {}): ApplyResult {
    const previous = options.previous?.modelId === plan.modelId ? options.previous : undefined;
    const instance = previous?.instance ?? newInstance();
    const notes: string[] = [];
    const undo: (() => void)[] = [];
    const written: WrittenModel = { modelId: plan.modelId, instance, sheets: [] };
    let replaced = false;
    let writes = 0;
    try {
      // The plan's sheets refer to one another by their planned names: written under others, their formulas follow.
      const renames = new Map<string, string>();
      for (const planned of plan.sheets) {
        let sheet = planned;
        const record = previous?.sheets.find((s) => s.key === sheet.name);
        const tag = marker(plan.modelId, instance, sheet.name);
        const found = record ? [...this.customProperties].filter(([id, props]) => this.engine.getSheetName(id) !== undefined && props.get(MARKER_KEY) === tag).map(([id]) => id) : [];
        if (found.length > 1) throw new Error(markedCopies(found.map((id) => this.engine.getSheetName(id) as string)));
        if (record && found.length === 0) notes.push(sheetGone(record.name));
        const footprint = planFootprint(sheet);
        let id = found[0];
        let clear = new CellSet();
        if (id !== undefined) {
          const oldCells = CellSet.of(record?.footprint ?? []);
          const theirs = CellSet.of(footprint).minus(oldCells);
          const occupied: { address: string; content: string }[] = [];
          for (const r of theirs.rects())
            for (let row = r.top; row <= r.bottom; row++)
              for (let column = r.left; column <= r.right; column++) {
                const content = this.content(id, row, column);
                if (content !== "") occupied.push({ address: cellAddress(row, column), content });
              }
          const name = this.engine.getSheetName(id) as string;
          if (occupied.length > 0 && !options.overwrite) throw new OccupiedCellsError(name, occupied.slice(0, 20), occupied.length);
          clear = oldCells;
          for (const c of occupied) clear.addRect(parseRange(c.address));
          undo.push(this.snapshot(id));
          replaced = true;
        } else {
          const name = uniqueSheetName(sheet.name, this.engine.getSheetNames());
          this.engine.addSheet(name);
          const newId = this.sheetId(name);
          id = newId;
          undo.push(() => {
            this.engine.removeSheet(newId);
            this.customProperties.delete(newId);
            this.validations.delete(newId);
            this.heatMaps.delete(newId);
            this.charts.delete(newId);
            this.clearFormats(newId);
          });
          this.customProperties.set(id, new Map([[MARKER_KEY, tag]]));
        }
        const sheetId = id;
        const name = this.engine.getSheetName(sheetId) as string;
        renames.set(planned.name, name);
        sheet = renameSheetReferences(planned, renames);
        this.engine.batch(() => {
          for (const r of clear.rects()) {
            this.engine.setCellContents({ sheet: sheetId, row: r.top - 1, col: r.left - 1 }, Array.from({ length: r.bottom - r.top + 1 }, () => new Array<null>(r.right - r.left + 1).fill(null)));
            for (let row = r.top; row <= r.bottom; row++) {
              for (let column = r.left; column <= r.right; column++) {
                this.formats.delete(`${sheetId}!${row}:${column}`);
                this.styles.delete(`${sheetId}!${row}:${column}`);
              }
            }
          }
          for (const write of sheet.writes) {
            if (++writes === this.failAtWrite) throw new Error("GeneralException: the write failed");
            const { row, column } = parseAddress(write.at);
            const grid: unknown[][] = writeFormulas(write) ?? (write.values ?? []).map((r) =>
              // The engine reads a leading apostrophe as "this is text", as Excel does: user text never becomes a formula.
              r.map((v) => (write.text && typeof v === "string" ? `'${v}` : v)),
            );
            this.engine.setCellContents({ sheet: sheetId, row: row - 1, col: column - 1 }, grid as RawCellContent[][]);
            if (write.numberFormat || write.style) {
              const r = parseRange(writeRange(write));
              for (let i = r.top; i <= r.bottom; i++) {
                for (let j = r.left; j <= r.right; j++) {
                  if (write.numberFormat) this.formats.set(`${sheetId}!${i}:${j}`, write.numberFormat);
                  if (write.style) this.styles.set(`${sheetId}!${i}:${j}`, { bold: write.style.bold, italic: write.style.italic, fill: write.style.fill });
                }
              }
            }
          }
          this.validations.set(sheetId, sheet.validations ?? []);
          this.heatMaps.set(sheetId, sheet.heatMaps ?? []);
          if (sheet.columnWidths) this.columnWidths.set(sheetId, { ...this.columnWidths.get(sheetId), ...sheet.columnWidths });
          this.charts.set(sheetId, sheet.charts);
          const quoted = quoteSheet(name);
          const wanted = new Set(sheet.names.map((n) => n.name));
          for (const old of record?.names ?? []) if (!wanted.has(old) && this.engine.getNamedExpression(old, sheetId)) this.engine.removeNamedExpression(old, sheetId);
          for (const n of sheet.names) {
            const expression = `=${quoted}!${n.ref}`;
            if (this.engine.getNamedExpression(n.name, sheetId)) this.engine.changeNamedExpression(n.name, expression, sheetId);
            else this.engine.addNamedExpression(n.name, expression, sheetId);
          }
        });
        written.sheets.push({ key: sheet.name, name, footprint, names: sheet.names.map((n) => n.name), tables: (sheet.tables ?? []).map((t) => t.name), charts: [], validations: sheet.validations ?? [], heatMaps: sheet.heatMaps ?? [] });
      }
    } catch (error) {
      this.failAtWrite = undefined;
      undo.reverse().forEach((u) => u());
      // Neither the failed write nor its repair is the user's edit to undo.
      this.engine.clearUndoStack();
      this.engine.clearRedoStack();
      this.changed();
      if (error instanceof OccupiedCellsError) throw error;
      throw new Error(`The model could not be written (${error instanceof Error ? error.message : String(error)}). ${replaced ? "The model sheet was put back as it was." : "The partial sheet was removed; the workbook is as it was."}`, { cause: error });
    }
    // The model's sheets of an earlier build that the plan no longer has (a scenario deleted).
    for (const r of previous?.sheets ?? []) {
      if (plan.sheets.some((s) => s.name === r.key)) continue;
      const tag = marker(plan.modelId, instance, r.key);
      for (const [id, props] of [...this.customProperties]) {
        const sheetName = this.engine.getSheetName(id);
        if (props.get(MARKER_KEY) !== tag || sheetName === undefined) continue;
        // Only the sheet of the recorded name: a copy keeps the marker, and a copy is the user's.
        if (sheetName !== r.name) {
          notes.push(leftCopy(sheetName));
          continue;
        }
        this.engine.removeSheet(id);
        this.customProperties.delete(id);
        this.validations.delete(id);
        this.heatMaps.delete(id);
        this.charts.delete(id);
        this.clearFormats(id);
      }
    }
    const sheetNames = written.sheets.map((s) => s.name);
    // Undo in the grid is for the user's own edits: a model's write is not one (its formats and validation live beside the engine).
    this.engine.clearUndoStack();
    this.engine.clearRedoStack();
    this.selection = { sheet: sheetNames[0] as string, range: "A1" };
    this.changed();
    return { sheetNames, replaced, written, notes };
  }

  /** The sheet's cells, formats and names as they are now, and a function that puts them back. */
  private snapshot(id: number): () => void {
    const content = this.engine.getSheetSerialized(id);
    const formats = [...this.formats].filter(([k]) => k.startsWith(`${id}!`));
    const styles = [...this.styles].filter(([k]) => k.startsWith(`${id}!`));
    const names = this.engine.getAllNamedExpressionsSerialized().filter((n) => n.scope === id);
    const validations = this.validations.get(id);
    const heatMaps = this.heatMaps.get(id);
    const charts = this.charts.get(id);
    return () => {
      this.engine.setSheetContent(id, content);
      if (validations) this.validations.set(id, validations);
      else this.validations.delete(id);
      if (heatMaps) this.heatMaps.set(id, heatMaps);
      else this.heatMaps.delete(id);
      if (charts) this.charts.set(id, charts);
      else this.charts.delete(id);
      this.clearFormats(id);
      for (const [k, v] of formats) this.formats.set(k, v);
      for (const [k, v] of styles) this.styles.set(k, v);
      for (const n of this.engine.listNamedExpressions(id)) if (!names.some((s) => s.name === n)) this.engine.removeNamedExpression(n, id);
      for (const n of names) {
        if (this.engine.getNamedExpression(n.name, id)) this.engine.changeNamedExpression(n.name, n.expression, id);
        else this.engine.addNamedExpression(n.name, n.expression, id);
      }
    };
  }

  /** Deletes the sheets that carry a model's marker, and what the preview keeps beside them; their names. */
  removeModelSheets(written: WrittenModel): string[] {
    const tags = new Set(written.sheets.map((s) => marker(written.modelId, written.instance, s.key)));
    const doomed = [...this.customProperties].filter(([id, props]) => this.engine.getSheetName(id) !== undefined && tags.has(props.get(MARKER_KEY) ?? "")).map(([id]) => id);
    const names = doomed.map((id) => this.engine.getSheetName(id) as string);
    if (doomed.length === 0) return [];
    if (this.engine.getSheetNames().length <= doomed.length) throw new Error(lastSheets(names));
    for (const id of doomed) {
      this.engine.removeSheet(id);
      this.customProperties.delete(id);
      this.validations.delete(id);
      this.heatMaps.delete(id);
      this.charts.delete(id);
      this.columnWidths.delete(id);
      this.clearFormats(id);
    }
    // Neither is the user's edit to undo.
    this.engine.clearUndoStack();
    this.engine.clearRedoStack();
    if (names.includes(this.selection.sheet)) this.selection = { sheet: this.engine.getSheetNames()[0] as string, range: "A1" };
    this.changed();
    return names;
  }

  private clearFormats(id: number): void {
    for (const k of [...this.formats.keys()]) if (k.startsWith(`${id}!`)) this.formats.delete(k);
    for (const k of [...this.styles.keys()]) if (k.startsWith(`${id}!`)) this.styles.delete(k);
  }
}

/** Model settings of the preview workbook live in the browser's storage, under one key per workbook. */
export interface SettingsStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  /** Without it, a removed key is kept empty (read as no settings). */
  removeItem?(key: string): void;
}

/** Compares requirement-set versions as Office does: "1.9" is below "1.12". */
export function versionAtLeast(have: string, need: string): boolean {
  const a = have.split(".").map(Number);
  const b = need.split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * The preview's host. `excelApi` plays an older Excel (the ExcelApi version it supports),
 * so the pane's answer to one can be tried and tested; by default every set is there.
 */
export function previewHost(workbook: PreviewWorkbook, store: SettingsStore, { excelApi }: { excelApi?: string } = {}): WorkbookHost {
  const read = (sheet: string, range: string): RangeRead => {
    const r = parseRange(range);
    const rows = r.bottom - r.top + 1;
    const columns = r.right - r.left + 1;
    if (rows * columns > MAX_READ_CELLS) throw tooManyCells(`${sheet}!${range}`, rows, columns);
    return { address: `${sheet}!${range}`, values: workbook.values(sheet, range), text: workbook.text(sheet, range) };
  };
  return {
    kind: "preview",
    missingRequirements: () => REQUIRED_SETS.filter((s) => s.name === "ExcelApi" && excelApi !== undefined && !versionAtLeast(excelApi, s.version)).map((s) => `${s.name} ${s.version} (${s.why})`),
    async readSelection() {
      const { sheet, range } = workbook.selection;
      return read(sheet, range);
    },
    async listRangeNames() {
      // Names of ranges only (Excel's named ranges), not of values or formulas.
      return workbook.engine.listNamedExpressions().filter((name) => /!\$?[A-Z]+\$?\d+/.test(workbook.engine.getNamedExpressionFormula(name) ?? ""));
    },
    async readRange(source) {
      const split = (reference: string): [string, string] => {
        const bang = reference.lastIndexOf("!");
        return bang >= 0 ? [reference.slice(0, bang).replace(/^'|'$/g, "").replace(/''/g, "'"), reference.slice(bang + 1)] : [workbook.selection.sheet, reference];
      };
      const referred = (expression: string) => split(expression.replace(/^=/, "").replace(/\$/g, ""));
      // A workbook-level name reads as the range it refers to.
      const expression = workbook.engine.listNamedExpressions().includes(source) ? workbook.engine.getNamedExpressionFormula(source) : undefined;
      let [sheet, range] = expression ? referred(expression) : split(source);
      // A name after a sheet ("'Cohort model'!Alpha"), as Excel's Worksheet.getRange takes one: the sheet's own name, else the workbook's.
      const scope = workbook.engine.getSheetId(sheet);
      const named = (scope === undefined ? undefined : workbook.engine.getNamedExpressionFormula(range, scope)) ?? workbook.engine.getNamedExpressionFormula(range);
      if (!expression && named) [sheet, range] = referred(named);
      return read(sheet, range.replace(/\$/g, ""));
    },
    async applyPlan(plan, options) {
      return workbook.applyPlan(plan, options);
    },
    async activateSheet(name) {
      workbook.selection = { sheet: name, range: "A1" };
      workbook.changed();
    },
    async insertFormula(formula, options) {
      const { sheet, range } = workbook.selection;
      const active = range.split(":")[0] as string;
      const { row, column } = parseAddress(active);
      const content = workbook.content(workbook.sheetId(sheet), row, column);
      const address = `${sheet}!${active}`;
      if (content !== "" && !options?.overwrite) return { inserted: false, address, content };
      workbook.setCells(sheet, active, [[formula]]);
      workbook.changed();
      return { inserted: true, address };
    },
    async setCellValue(sheet, address, value) {
      const cell = singleCell(address);
      const entry = cellEntry(value);
      // The engine reads the apostrophe as Excel does: what follows is text.
      workbook.setCells(sheet, cell, [[entry]]);
      workbook.changed();
    },
    async removeModelSheets(written) {
      return workbook.removeModelSheets(written);
    },
    async removeSettings(key) {
      if (store.removeItem) store.removeItem(`lifetime:${key}`);
      else store.setItem(`lifetime:${key}`, "");
    },
    async loadSettings(key) {
      const text = store.getItem(`lifetime:${key}`);
      return text === null ? undefined : text;
    },
    async saveSettings(key, value) {
      const text = JSON.stringify(value);
      if (text.length > MAX_SETTINGS_TEXT) throw settingsTooLong(text);
      store.setItem(`lifetime:${key}`, text);
    },
    async portableCopy() {
      // The preview saved as Excel would save it (its values cached beside its formulas), then the same copy as in Excel.
      // exceljs and jszip load with their own chunks, when a copy is first asked for.
      const [{ previewToXlsx }, { copyTimestamp, portableCopy }] = await Promise.all([
        import(/* webpackChunkName: "xlsx" */ "./toXlsx"),
        import(/* webpackChunkName: "portable" */ "../xlsx/portable"),
      ]);
      const copy = await portableCopy(await previewToXlsx(workbook), { now: copyTimestamp(new Date()) });
      return { fileName: `Preview-portable.${copy.extension}`, bytes: copy.bytes, frozen: copy.frozen, missing: copy.missing.length };
    },
  };
}
