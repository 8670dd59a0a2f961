import type { WorkbookHost } from "../workbookHost";
import { applyPlan } from "./applyPlan";

/**
 * The task pane's workbook in Excel, through Office.js. Settings are document settings,
 * saved with the workbook.
 */
export function officeHost(): WorkbookHost {
  return {
    kind: "excel",
    async readSelection() {
      return Excel.run(async (context) => {
        const range = context.workbook.getSelectedRange();
        range.load("address,values");
        await context.sync();
        return { address: range.address, values: range.values };
      });
    },
    async readRange(reference) {
      return Excel.run(async (context) => {
        const workbook = context.workbook;
        const [sheet, address] = reference.includes("!") ? (reference.split("!") as [string, string]) : [undefined, reference];
        let range: Excel.Range;
        if (sheet) range = workbook.worksheets.getItem(sheet.replace(/^'|'$/g, "").replace(/''/g, "'")).getRange(address);
        else {
          // A name, then a table, by that name.
          const named = workbook.names.getItemOrNullObject(reference);
          const table = workbook.tables.getItemOrNullObject(reference);
          await context.sync();
          if (!named.isNullObject) range = named.getRange();
          else if (!table.isNullObject) range = table.getRange();
          else range = workbook.worksheets.getActiveWorksheet().getRange(reference);
        }
        range.load("address,values");
        await context.sync();
        return { address: range.address, values: range.values };
      });
    },
    async listRangeNames() {
      return Excel.run(async (context) => {
        const names = context.workbook.names;
        const tables = context.workbook.tables;
        names.load("items/name,items/type,items/visible");
        tables.load("items/name");
        await context.sync();
        const ranges = names.items.filter((n) => n.type === Excel.NamedItemType.range && n.visible && !n.name.startsWith("Lifetime_")).map((n) => n.name);
        return [...ranges, ...tables.items.map((t) => t.name)];
      });
    },
    applyPlan,
    async activateSheet(name) {
      await Excel.run(async (context) => {
        context.workbook.worksheets.getItem(name).activate();
        await context.sync();
      });
    },
    async insertFormula(formula) {
      await Excel.run(async (context) => {
        const cell = context.workbook.getActiveCell();
        cell.formulas = [[formula]];
        await context.sync();
      });
    },
    async loadSettings(key) {
      const text = Office.context.document.settings.get(`lifetime.${key}`) as unknown;
      if (typeof text !== "string") return text ?? undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    },
    async saveSettings(key, value) {
      Office.context.document.settings.set(`lifetime.${key}`, JSON.stringify(value));
      await new Promise<void>((resolve, reject) =>
        Office.context.document.settings.saveAsync((result) =>
          result.status === Office.AsyncResultStatus.Succeeded ? resolve() : reject(new Error(result.error.message)),
        ),
      );
    },
  };
}
