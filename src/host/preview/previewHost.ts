import { HyperFormula } from "hyperformula";
import { parseAddress, writeFormulas, writeRange, type WorkbookPlan } from "../../models/plan";
import { uniqueSheetName } from "../excel/applyPlan";
import type { WorkbookHost } from "../workbookHost";

/**
 * The preview workbook: sheets computed by HyperFormula, a real formula engine, for trying
 * the task pane in a browser without Excel. It keeps what HyperFormula does not (number
 * formats, the selection) beside the engine, and applies plans by the rules the Office.js
 * applier keeps: a new sheet with a unique name, the model's own sheet replaced only when
 * asked, a failed write removed.
 */
export class PreviewWorkbook {
  readonly hf: HyperFormula;
  readonly formats = new Map<string, string>(); // "sheet!A1" → number format
  readonly modelSheets = new Map<string, string>(); // modelId → sheet name
  selection = { sheet: "", range: "A1" };
  private listeners: (() => void)[] = [];

  constructor() {
    // Array arithmetic on, as in Excel: SUMPRODUCT((range>=x)*range) compares a range cell by cell.
    // No smart rounding: HyperFormula would otherwise round results to 10 digits.
    this.hf = HyperFormula.buildEmpty({ licenseKey: "gpl-v3", useColumnIndex: true, useArrayArithmetic: true, smartRounding: false });
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    this.listeners.forEach((l) => l());
  }

  sheetId(name: string): number {
    const id = this.hf.getSheetId(name);
    if (id === undefined) throw new Error(`no sheet named ${name}`);
    return id;
  }

  /** Writes rows of values (and "=…" formulas) at a cell. */
  setCells(sheet: string, at: string, rows: unknown[][]): void {
    const { row, column } = parseAddress(at);
    this.hf.setCellContents({ sheet: this.sheetId(sheet), row: row - 1, col: column - 1 }, rows as never);
  }

  /** Computed values of a range. */
  values(sheet: string, range: string): unknown[][] {
    const [start, end = start] = range.split(":") as [string, string?];
    const a = parseAddress(start);
    const b = parseAddress(end!);
    return this.hf.getRangeValues({ start: { sheet: this.sheetId(sheet), row: a.row - 1, col: a.column - 1 }, end: { sheet: this.sheetId(sheet), row: b.row - 1, col: b.column - 1 } }) as unknown[][];
  }

  applyPlan(plan: WorkbookPlan, replace = false): { sheetNames: string[]; replaced: boolean } {
    const previous = replace ? this.modelSheets.get(plan.modelId) : undefined;
    const existing = new Set(this.hf.getSheetNames());
    const sheetNames: string[] = [];
    for (const sheet of plan.sheets) {
      const target = previous && existing.has(previous) ? previous : uniqueSheetName(sheet.name, existing);
      const writing = target === previous ? uniqueSheetName(`${sheet.name} (new)`, existing) : target;
      existing.add(writing);
      this.hf.addSheet(writing);
      const id = this.sheetId(writing);
      try {
        this.hf.batch(() => {
          for (const write of sheet.writes) {
            const { row, column } = parseAddress(write.at);
            const formulas = writeFormulas(write);
            const grid: unknown[][] = formulas ?? (write.values ?? []).map((r) =>
              // HyperFormula reads a leading apostrophe as "this is text": user text never becomes a formula.
              r.map((v) => (write.text && typeof v === "string" ? `'${v}` : v)),
            );
            this.hf.setCellContents({ sheet: id, row: row - 1, col: column - 1 }, grid as never);
            if (write.numberFormat) {
              const [from, to] = writeRange(write).split(":") as [string, string];
              const a = parseAddress(from);
              const b = parseAddress(to);
              for (let r = a.row; r <= b.row; r++) for (let c = a.column; c <= b.column; c++) this.formats.set(`${writing}!${r}:${c}`, write.numberFormat);
            }
          }
          const quoted = `'${writing.replace(/'/g, "''")}'`;
          for (const name of sheet.names) this.hf.addNamedExpression(name.name, `=${quoted}!${name.ref}`, id);
        });
      } catch (error) {
        this.hf.removeSheet(id);
        throw new Error(`The model could not be written (${error instanceof Error ? error.message : String(error)}). The partial sheet was removed; the workbook is as it was.`, { cause: error });
      }
      if (target !== writing) {
        this.hf.removeSheet(this.sheetId(target));
        this.hf.renameSheet(id, target);
      }
      sheetNames.push(target);
    }
    this.modelSheets.set(plan.modelId, sheetNames[0] as string);
    this.selection = { sheet: sheetNames[0] as string, range: "A1" };
    this.changed();
    return { sheetNames, replaced: previous !== undefined };
  }
}

/** Model settings of the preview workbook live in the browser's storage, under one key per workbook. */
export interface SettingsStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function previewHost(workbook: PreviewWorkbook, store: SettingsStore): WorkbookHost {
  return {
    kind: "preview",
    async readSelection() {
      const { sheet, range } = workbook.selection;
      return { address: `${sheet}!${range}`, values: workbook.values(sheet, range) };
    },
    async listRangeNames() {
      return workbook.hf.listNamedExpressions();
    },
    async readRange(source) {
      // A workbook-level name reads as the range it refers to.
      const expression = workbook.hf.listNamedExpressions().includes(source) ? workbook.hf.getNamedExpressionFormula(source) : undefined;
      const reference = expression ? expression.replace(/^=/, "").replace(/\$/g, "") : source;
      const [sheet, range] = reference.includes("!") ? (reference.split("!") as [string, string]) : [workbook.selection.sheet, reference];
      const sheetName = sheet.replace(/^'|'$/g, "").replace(/''/g, "'");
      return { address: `${sheetName}!${range}`, values: workbook.values(sheetName, range.replace(/\$/g, "")) };
    },
    async applyPlan(plan, options) {
      return workbook.applyPlan(plan, options?.replace);
    },
    async activateSheet(name) {
      workbook.selection = { sheet: name, range: "A1" };
      workbook.changed();
    },
    async insertFormula(formula) {
      const { sheet, range } = workbook.selection;
      workbook.setCells(sheet, range.split(":")[0] as string, [[formula]]);
      workbook.changed();
    },
    async loadSettings(key) {
      const text = store.getItem(`lifetime:${key}`);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text; // not JSON: the caller's validation reports it
      }
    },
    async saveSettings(key, value) {
      store.setItem(`lifetime:${key}`, JSON.stringify(value));
    },
  };
}
