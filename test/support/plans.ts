import { parseAddress, type CellContent, type WorkbookPlan } from "../../src/models/plan";

/**
 * The plan with one cell's value replaced on its first sheet, as a user typing over it (or
 * pasting over its validation): text in a block of numbers becomes a write of its own, so
 * the rest stay numbers.
 */
export function withCell(plan: WorkbookPlan, address: string, value: CellContent): WorkbookPlan {
  const copy: WorkbookPlan = structuredClone(plan);
  const { row, column } = parseAddress(address);
  for (const w of copy.sheets[0]!.writes) {
    const at = parseAddress(w.at);
    const i = row - at.row;
    const j = column - at.column;
    if (!w.values || i < 0 || j < 0 || i >= w.values.length || j >= w.values[i]!.length) continue;
    if (typeof value === "string" && w.values.length * w.values[0]!.length > 1) {
      w.values[i]![j] = null;
      copy.sheets[0]!.writes.push({ at: address, values: [[value]], text: true });
    } else {
      w.values[i]![j] = value;
      w.text = typeof value === "string";
    }
    return copy;
  }
  throw new Error(`no value written at ${address}`);
}
