import { parseCsv } from "../models/cohort/cohortCsv";
import { MAX_SCENARIOS } from "../models/scenarios";

/**
 * The command line's scenarios file: a header `scenario,` and any of the command's option
 * names as spelled without their leading dashes (revenue, margin, paid-cac, …), one row per
 * scenario. A blank cell keeps the value of the command's option; the first row is the base
 * and the active scenario. Every refusal names the row and the column.
 */
export interface ScenarioRow {
  /** The row's line in the file (the header is row 1). */
  row: number;
  name: string;
  /** The option values the row gives, by option name; blank cells are left out. */
  values: Record<string, string>;
}

export class ScenarioFileError extends Error {}

export function readScenarioCsv(text: string, file: string, options: readonly string[], command: string): ScenarioRow[] {
  const rows = parseCsv(text).filter((r) => r.some((cell) => cell.trim() !== ""));
  const [header, ...body] = rows;
  if (!header) throw new ScenarioFileError(`${file} is empty; it needs a header "scenario,…" and a row per scenario`);
  const columns = header.map((h) => h.trim());
  if (columns[0]?.toLowerCase() !== "scenario") throw new ScenarioFileError(`${file}: the first column must be "scenario" (the scenario's name); got "${columns[0] ?? ""}"`);
  const seen = new Set<string>();
  columns.slice(1).forEach((c, i) => {
    const where = `${file}, column ${i + 2} ("${c}")`;
    if (c === "period") throw new ScenarioFileError(`${where}: the period is the model's, the same in every scenario; give it with --period`);
    if (c === "output" || !options.includes(c)) throw new ScenarioFileError(`${where} is not an option of lifetime ${command}; the columns are scenario and any of ${options.filter((o) => o !== "output" && o !== "period").join(", ")} (as the options are spelled, without the dashes)`);
    if (seen.has(c)) throw new ScenarioFileError(`${where}: the column appears twice`);
    seen.add(c);
  });
  if (body.length === 0) throw new ScenarioFileError(`${file} has no scenarios under its header`);
  if (body.length > MAX_SCENARIOS) throw new ScenarioFileError(`${file} has ${body.length} scenarios; a model takes at most ${MAX_SCENARIOS}`);
  return body.map((cells, i) => {
    const row = i + 2;
    if (cells.length > columns.length) throw new ScenarioFileError(`${file}, row ${row}: ${cells.length} cells, more than the ${columns.length} columns of the header`);
    const name = (cells[0] ?? "").trim();
    if (name === "") throw new ScenarioFileError(`${file}, row ${row}, column scenario: a scenario needs a name`);
    const values: Record<string, string> = {};
    columns.slice(1).forEach((c, j) => {
      const v = (cells[j + 1] ?? "").trim();
      if (v !== "") values[c] = v;
    });
    return { row, name, values };
  });
}
