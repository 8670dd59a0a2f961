/**
 * One-way sensitivity (a tornado): a model's headline output with each input moved down and
 * up by a share of its value, the others held, sorted by how far the output swings.
 */
/** Swings are compared rounded to this many decimals (a millionth of a currency unit), as ROUND does in the sheet. */
export const SWING_DECIMALS = 6;

export interface TornadoRow<Name extends string> {
  input: Name;
  /** The output with the input at (1 − step) × its value. */
  low: number;
  /** The output with the input at (1 + step) × its value. */
  high: number;
  /** |high − low|. */
  swing: number;
}

/**
 * The tornado of `output` around `base`: each input in `inputs` moved by −step and +step of
 * its value. Sorted by swing, largest first, the swings compared rounded to SWING_DECIMALS
 * decimals, so that swings equal but for rounding (revenue and margin, which the output
 * multiplies alike) are equal, and equal swings keep the inputs' order. The rank is the one
 * a sheet computes: 1 + the rounded swings larger + the equal ones before.
 */
export function tornado<Name extends string>(base: Record<Name, number>, inputs: readonly Name[], output: (values: Record<Name, number>) => number, step = 0.1): TornadoRow<Name>[] {
  const rows = inputs.map((input) => {
    const low = output({ ...base, [input]: base[input] * (1 - step) });
    const high = output({ ...base, [input]: base[input] * (1 + step) });
    return { input, low, high, swing: Math.abs(high - low) };
  });
  const scale = 10 ** SWING_DECIMALS;
  // An output beyond the model's domain (NaN) ranks last, as the sheet's swing of -1 does.
  const keys = rows.map((r) => (Number.isFinite(r.swing) ? Math.round(r.swing * scale) / scale : -1));
  const rank = (i: number) => {
    let r = 1;
    keys.forEach((key, j) => {
      if (key > (keys[i] as number) || (j < i && key === keys[i])) r++;
    });
    return r;
  };
  return rows.map((row, i) => ({ row, rank: rank(i), i })).sort((a, b) => a.rank - b.rank || a.i - b.i).map(({ row }) => row);
}

/** One axis of a two-way table: the input it moves and the values it takes, in order. */
export interface TwoWayAxis<Name extends string> {
  input: Name;
  values: readonly number[];
}

/**
 * Two-way sensitivity: `output` with the rows' input at each of its values and the columns'
 * at each of theirs, the other inputs at `base`; one row per row value, one column per
 * column value. The two inputs must differ.
 */
export function twoWay<Name extends string>(base: Record<Name, number>, rows: TwoWayAxis<Name>, columns: TwoWayAxis<Name>, output: (values: Record<Name, number>) => number): number[][] {
  if (rows.input === columns.input) throw new Error(`a two-way table moves two different inputs; got ${rows.input} twice`);
  return rows.values.map((r) => columns.values.map((c) => output({ ...base, [rows.input]: r, [columns.input]: c })));
}
