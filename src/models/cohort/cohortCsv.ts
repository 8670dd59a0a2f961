import { invalidValue } from "../../core/errors";
import { cellAddress, parseAddress } from "../plan";

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

/** Observed periods a cohort model takes (its schema's limit too). */
const MAX_PERIODS = 600;

/** Where a table sits in a workbook: its sheet and top-left cell, so messages name cells as Excel does (Data!D13). */
export interface TableOrigin {
  sheet: string;
  row: number;
  column: number;
}

/** "Data!A12:I19" or "'My sheet'!B2" → its sheet and top-left cell. */
export function originOf(address: string): TableOrigin | undefined {
  const bang = address.lastIndexOf("!");
  if (bang < 0) return undefined;
  const sheet = address.slice(0, bang).replace(/^'|'$/g, "").replace(/''/g, "'");
  const match = /^\$?([A-Z]+)\$?(\d+)/.exec(address.slice(bang + 1));
  if (!match) return undefined;
  const { row, column } = parseAddress(`${match[1]}${match[2]}`);
  return { sheet, row, column };
}

export function readCohortCsv(text: string): CohortRow[] {
  return readCohortTable(parseCsv(text));
}

/**
 * Reads a cohort table from rows of cells: CSV fields, or a range's values (numbers, text,
 * and "" or null for empty cells) with, optionally, its displayed text for the labels and
 * where it sits in the workbook, so a message names the cell (Data!D13) rather than its
 * place in the table. Empty rows are ignored.
 */
export function readCohortTable(cells: readonly (readonly unknown[])[], text?: readonly (readonly string[])[], origin?: TableOrigin): CohortRow[] {
  const what = origin ? "range" : "file";
  const quote = (sheet: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`);
  // Rows and columns count from 1 within the table; with an origin, messages name the workbook's cell.
  const cell = (row: number, column: number, header?: string) => {
    const at = origin ? `${quote(origin.sheet)}!${cellAddress(origin.row + row - 1, origin.column + column - 1)}` : `row ${row}, column ${column}`;
    return header ? `${at} (${header})` : at;
  };
  const rowName = (row: number) => (origin ? `row ${origin.row + row - 1} of ${quote(origin.sheet)}` : `row ${row}`);
  const asText = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  // Labels as the sheet displays them (text), so a date stays "01/01/2025", not its serial number 45658.
  const rows = cells
    .map((r, i) => ({ number: i + 1, fields: r.map((v, j) => (j === 0 && text?.[i]?.[0] !== undefined ? (text[i]![0] as string) : asText(v))) }))
    .filter((r) => r.fields.some((f) => f.trim() !== ""));
  if (rows.length === 0) throw invalidValue(`the ${what} is empty: expected a header row \`cohort, customers, 1, 2, …\` and one row per cohort`);
  const first = rows[0]!;
  const header = first.fields.map((h) => h.trim());
  if (header[0]?.toLowerCase() !== "cohort") throw invalidValue(`${cell(first.number, 1)}: the first column must be "cohort"; got "${header[0] ?? ""}"`);
  while (header.length > 2 && header[header.length - 1] === "") header.pop(); // a selection wider than the table
  if (header[1]?.toLowerCase() !== "customers") throw invalidValue(`${cell(first.number, 2)}: the second column must be "customers"; got "${header[1] ?? ""}"`);
  if (header.length - 2 > MAX_PERIODS) throw invalidValue(`the table has ${header.length - 2} period columns; a cohort model takes at most ${MAX_PERIODS}`);
  header.slice(2).forEach((h, i) => {
    if (h !== String(i + 1)) throw invalidValue(`${cell(first.number, i + 3)}: period columns must be numbered 1, 2, 3, …; expected "${i + 1}", got "${h}"`);
  });
  if (rows.length === 1) throw invalidValue(`the ${what} has a header but no cohorts`);
  return rows.slice(1).map(({ number: rowNumber, fields: original }) => {
    const fields = [...original];
    while (fields.length > header.length && (fields[fields.length - 1] ?? "").trim() === "") fields.pop();
    if (fields.length > header.length) throw invalidValue(`${rowName(rowNumber)}: ${fields.length} fields, more than the ${header.length} columns of the header`);
    const label = (fields[0] ?? "").trim();
    if (label === "") throw invalidValue(`${cell(rowNumber, 1, "cohort")}: the cohort label is empty`);
    if (label.length > 255) throw invalidValue(`${cell(rowNumber, 1, "cohort")}: the cohort label has ${label.length} characters; at most 255`);
    const number = (column: number, text: string) => {
      const value = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(value)) throw invalidValue(`${cell(rowNumber, column, header[column - 1])}: "${text.trim()}" is not a number`);
      if (value < 0) throw invalidValue(`${cell(rowNumber, column, header[column - 1])}: a count cannot be negative; got ${value}`);
      return value;
    };
    const customers = number(2, fields[1] ?? "");
    if (customers === 0) throw invalidValue(`${cell(rowNumber, 2, "customers")}: a cohort needs at least one customer`);
    const survivors: number[] = [];
    let previous = customers;
    let ended = false;
    for (let column = 3; column <= fields.length; column++) {
      const text = (fields[column - 1] ?? "").trim();
      if (text === "") {
        ended = true;
        continue;
      }
      if (ended) throw invalidValue(`${cell(rowNumber, column, header[column - 1])}: a count after a blank period; blanks may only follow a cohort's last observed period`);
      const n = number(column, text);
      if (n > previous) throw invalidValue(`${cell(rowNumber, column, header[column - 1])}: ${n} customers, more than the ${previous} before; counts never rise`);
      survivors.push(n);
      previous = n;
    }
    return { label, customers, survivors };
  });
}
