import { invalidValue, LifetimeError } from "../core/errors";
import { column, numberGrid, type Cell, type CellValue } from "./arguments";

/**
 * Columns of customers as the fitting functions take them: equal lengths, a header row
 * and empty rows skipped (so whole columns such as A:A can be passed), and a row with some
 * cells empty refused, naming the row and the column.
 */
export function customerColumns<Name extends string>(
  columns: Record<Name, CellValue>,
  optional: readonly NoInfer<Name>[] = [],
): { values: Record<Name, Float64Array>; rowNumbers: Int32Array | undefined } {
  const names = Object.keys(columns) as Name[];
  const given = names.filter((n) => !(optional.includes(n) && isOmitted(columns[n])));
  const parsed = given.map((n) => column(n, columns[n]));
  const length = parsed[0]!.length;
  parsed.forEach((p, k) => {
    if (p.length !== length) {
      throw invalidValue(`${given.join(", ")} must have the same number of rows; ${given[0]} has ${length}, ${given[k]} has ${p.length}`);
    }
  });
  // Keep the rows with numbers; a row with some cells empty is refused.
  const keep = new Int32Array(length);
  let kept = 0;
  for (let i = 0; i < length; i++) {
    let blanks = 0;
    for (const p of parsed) if (Number.isNaN(p[i] as number)) blanks++;
    if (blanks === parsed.length) continue;
    if (blanks > 0) {
      const missing = given.find((_, k) => Number.isNaN(parsed[k]![i] as number));
      const present = given.find((_, k) => !Number.isNaN(parsed[k]![i] as number));
      throw invalidValue(`row ${i + 1}: ${missing} is empty while ${present} is not`);
    }
    keep[kept++] = i;
  }
  if (kept === 0) throw invalidValue(`${given.join(", ")} hold no rows of numbers`);
  if (kept === length) {
    // No header or empty row: the parsed columns are the values, row i is row i + 1.
    return { values: Object.fromEntries(given.map((n, k) => [n, parsed[k]])) as Record<Name, Float64Array>, rowNumbers: undefined };
  }
  const values = {} as Record<Name, Float64Array>;
  given.forEach((n, k) => {
    const source = parsed[k]!;
    const target = new Float64Array(kept);
    for (let j = 0; j < kept; j++) target[j] = source[keep[j] as number] as number;
    values[n] = target;
  });
  const rowNumbers = new Int32Array(kept);
  for (let j = 0; j < kept; j++) rowNumbers[j] = (keep[j] as number) + 1;
  return { values, rowNumbers };
}

const isOmitted = (value: CellValue) =>
  value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) && value[0].length === 1 && (value[0][0] === null || value[0][0] === ""));

/**
 * Applies a function cell by cell over ranges of one shape, single values broadcast to
 * that shape (t = 39 against a column of customers, or a row of t for one customer). A
 * cell where an input is empty (or a header row of text) gives an empty result cell.
 */
export function elementwise(inputs: { name: string; value: CellValue }[], compute: (values: number[], where: string) => number): (number | string)[][] {
  const grids = inputs.map(({ name, value }) => ({ name, grid: numberGridAllowingHeader(name, value) }));
  const shaped = grids.filter((g) => g.grid.length > 1 || (g.grid[0] as Cell[]).length > 1);
  const rows = shaped[0]?.grid.length ?? 1;
  const columns = shaped[0]?.grid[0]?.length ?? 1;
  for (const g of shaped) {
    if (g.grid.length !== rows || (g.grid[0] as Cell[]).length !== columns) {
      throw invalidValue(
        `${shaped[0]!.name} and ${g.name} must have the same shape (or be single values); got ${rows}×${columns} and ${g.grid.length}×${(g.grid[0] as Cell[]).length}`,
      );
    }
  }
  const out: (number | string)[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: (number | string)[] = [];
    for (let c = 0; c < columns; c++) {
      const values: number[] = [];
      let blank = false;
      for (const g of grids) {
        const cell = g.grid.length === 1 && (g.grid[0] as Cell[]).length === 1 ? (g.grid[0]![0] as Cell) : (g.grid[r]![c] as Cell);
        if (cell === null) blank = true;
        else values.push(cell);
      }
      if (blank) {
        row.push("");
        continue;
      }
      const where = rows > 1 && columns > 1 ? `row ${r + 1}, column ${c + 1}` : rows > 1 ? `row ${r + 1}` : columns > 1 ? `column ${c + 1}` : "";
      row.push(compute(values, where));
    }
    out.push(row);
  }
  return out;
}

function hasHeader(value: CellValue): boolean {
  if (!Array.isArray(value) || value.length < 2) return false;
  const first = (value as unknown[][])[0];
  return Array.isArray(first) && first.length === 1 && typeof first[0] === "string" && first[0].trim() !== "";
}

/** As numberGrid, reading a text header atop a longer column as empty. */
function numberGridAllowingHeader(name: string, value: CellValue): Cell[][] {
  if (!hasHeader(value)) return numberGrid(name, value);
  const rows = value as unknown[][];
  return [[null], ...numberGrid(name, rows.slice(1))];
}

/** Runs a per-cell computation, naming the cell in its error message. */
export function at(where: string, compute: () => number): number {
  try {
    return compute();
  } catch (error) {
    if (where && error instanceof LifetimeError) throw new LifetimeError(error.code, `${where}: ${error.message}`);
    throw error;
  }
}
