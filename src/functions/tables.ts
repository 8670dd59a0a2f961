import { formatCount, invalidValue, LifetimeError, notANumber } from "../core/errors";
import { column, flatNumbers, type CellValue } from "./arguments";

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
    for (let k = 0; k < parsed.length; k++) if (Number.isNaN((parsed[k] as Float64Array)[i] as number)) blanks++;
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

/** How long a prediction may compute before it answers #NUM! instead: Excel waits for a custom function. */
export const PREDICTION_TIME_LIMIT_MS = 1500;

/**
 * Applies a function cell by cell over ranges of one shape, single values broadcast to
 * that shape (t = 39 against a column of customers, or a row of t for one customer). A
 * cell where an input is empty (or a header row of text) gives an empty result cell.
 * `check`, when given, runs on every cell before any is computed.
 */
export function elementwise(
  inputs: { name: string; value: CellValue }[],
  compute: (values: number[]) => number,
  check?: (values: number[]) => void,
): (number | string)[][] {
  const grids = inputs.map(({ name, value }) => ({ name, ...flatNumbers(name, value, true) }));
  const shaped = grids.filter((g) => g.rows > 1 || g.columns > 1);
  const rows = shaped[0]?.rows ?? 1;
  const columns = shaped[0]?.columns ?? 1;
  for (const g of shaped) {
    if (g.rows !== rows || g.columns !== columns) {
      throw invalidValue(`${shaped[0]!.name} and ${g.name} must have the same shape (or be single values); got ${rows}×${columns} and ${g.rows}×${g.columns}`);
    }
  }
  // Each input as one flat array (NaN where a cell is empty), a single value as itself: no per-cell objects.
  const cellsCount = rows * columns;
  const flat = grids.map((g) => (g.rows === 1 && g.columns === 1 ? (g.data[0] as number) : g.data));
  const where = (i: number) => {
    const r = Math.floor(i / columns);
    const c = i % columns;
    return rows > 1 && columns > 1 ? `row ${r + 1}, column ${c + 1}` : rows > 1 ? `row ${r + 1}` : columns > 1 ? `column ${c + 1}` : "";
  };
  const values = new Array<number>(flat.length);
  /** Fills `values` for cell i; false when a cell of it is empty. */
  const read = (i: number) => {
    for (let k = 0; k < flat.length; k++) {
      const f = flat[k] as number | Float64Array;
      const v = typeof f === "number" ? f : (f[i] as number);
      if (Number.isNaN(v)) return false;
      values[k] = v;
    }
    return true;
  };
  const named = (i: number, error: unknown) => {
    const at = where(i);
    return at && error instanceof LifetimeError ? new LifetimeError(error.code, `${at}: ${error.message}`) : error;
  };
  // Every cell is checked before any is computed, so a bad row late in a long column is named at once.
  if (check) {
    for (let i = 0; i < cellsCount; i++) {
      if (!read(i)) continue;
      try {
        check(values);
      } catch (error) {
        throw named(i, error);
      }
    }
  }
  const started = Date.now();
  const out: (number | string)[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: (number | string)[] = new Array(columns);
    for (let c = 0; c < columns; c++) {
      const i = r * columns + c;
      if ((i & 1023) === 1023 && Date.now() - started > PREDICTION_TIME_LIMIT_MS) {
        throw notANumber(`computing ${formatCount(cellsCount)} results takes longer than ${PREDICTION_TIME_LIMIT_MS / 1000} s: compute fewer rows at a time, or fewer steps`);
      }
      if (!read(i)) {
        row[c] = "";
        continue;
      }
      try {
        row[c] = compute(values);
      } catch (error) {
        throw named(i, error);
      }
    }
    out.push(row);
  }
  return out;
}
