import { invalidValue } from "../../core/errors";

/**
 * Reads a cohort table from CSV: a header row `cohort, customers, 1, 2, …`, then one row
 * per cohort with its label, the customers acquired, and the customers still active after
 * each period; blank where not yet observed. Every error names the row and column as a
 * spreadsheet shows them (row 1 is the header, column 1 is "cohort").
 */
export interface CohortRow {
  label: string;
  customers: number;
  survivors: number[];
}

/** Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

const where = (row: number, column: number, header?: string) => `row ${row}, column ${column}${header ? ` (${header})` : ""}`;

export function readCohortCsv(text: string): CohortRow[] {
  return readCohortTable(parseCsv(text));
}

/**
 * Reads a cohort table from rows of cells: CSV fields, or a range's values (numbers, text,
 * and "" or null for empty cells) with, optionally, its displayed text for the labels.
 * Empty rows at the end of a selected range are ignored.
 */
export function readCohortTable(cells: readonly (readonly unknown[])[], text?: readonly (readonly string[])[]): CohortRow[] {
  const asText = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  // Labels as the sheet displays them (text), so a date stays "01/01/2025", not its serial number 45658.
  const rows = cells.map((r, i) => r.map((v, j) => (j === 0 && text?.[i]?.[0] !== undefined ? (text[i]![0] as string) : asText(v)))).filter((r) => r.some((f) => f.trim() !== ""));
  if (rows.length === 0) throw invalidValue("the file is empty: expected a header row `cohort,customers,1,2,…` and one row per cohort");
  const header = rows[0]!.map((h) => h.trim());
  if (header[0]?.toLowerCase() !== "cohort") throw invalidValue(`row 1, column 1: the first column must be "cohort"; got "${header[0] ?? ""}"`);
  while (header.length > 2 && header[header.length - 1] === "") header.pop(); // a selection wider than the table
  if (header[1]?.toLowerCase() !== "customers") throw invalidValue(`row 1, column 2: the second column must be "customers"; got "${header[1] ?? ""}"`);
  header.slice(2).forEach((h, i) => {
    if (h !== String(i + 1)) throw invalidValue(`row 1, column ${i + 3}: period columns must be numbered 1, 2, 3, …; expected "${i + 1}", got "${h}"`);
  });
  if (rows.length === 1) throw invalidValue("the file has a header but no cohorts");
  return rows.slice(1).map((fields, index) => {
    fields = [...fields];
    const rowNumber = index + 2;
    while (fields.length > header.length && (fields[fields.length - 1] ?? "").trim() === "") fields.pop();
    if (fields.length > header.length) throw invalidValue(`row ${rowNumber}: ${fields.length} fields, more than the ${header.length} columns of the header`);
    const label = (fields[0] ?? "").trim();
    if (label === "") throw invalidValue(`${where(rowNumber, 1, "cohort")}: the cohort label is empty`);
    const number = (column: number, text: string) => {
      const value = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(value)) throw invalidValue(`${where(rowNumber, column, header[column - 1])}: "${text.trim()}" is not a number`);
      if (value < 0) throw invalidValue(`${where(rowNumber, column, header[column - 1])}: a count cannot be negative; got ${value}`);
      return value;
    };
    const customers = number(2, fields[1] ?? "");
    if (customers === 0) throw invalidValue(`${where(rowNumber, 2, "customers")}: a cohort needs at least one customer`);
    const survivors: number[] = [];
    let previous = customers;
    let ended = false;
    for (let column = 3; column <= fields.length; column++) {
      const text = (fields[column - 1] ?? "").trim();
      if (text === "") {
        ended = true;
        continue;
      }
      if (ended) throw invalidValue(`${where(rowNumber, column, header[column - 1])}: a count after a blank period; blanks may only follow a cohort's last observed period`);
      const n = number(column, text);
      if (n > previous) throw invalidValue(`${where(rowNumber, column, header[column - 1])}: ${n} customers, more than the ${previous} before; counts never rise`);
      survivors.push(n);
      previous = n;
    }
    return { label, customers, survivors };
  });
}
