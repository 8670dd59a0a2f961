/**
 * One-way sensitivity (a tornado): a model's headline output with each input moved down and
 * up by a share of its value, the others held, sorted by how far the output swings.
 */
/** Swings within this share of each other are equal. */
export const SWING_TOLERANCE = 1e-9;

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
 * its value. Sorted by swing, largest first; swings equal to 1e-9 relative (revenue and
 * margin, which the output multiplies alike, differ only by rounding) keep the inputs'
 * order. The rank is the one a sheet computes: 1 + the swings larger by more than the
 * tolerance + the equal ones before.
 */
export function tornado<Name extends string>(base: Record<Name, number>, inputs: readonly Name[], output: (values: Record<Name, number>) => number, step = 0.1): TornadoRow<Name>[] {
  const rows = inputs.map((input) => {
    const low = output({ ...base, [input]: base[input] * (1 - step) });
    const high = output({ ...base, [input]: base[input] * (1 + step) });
    return { input, low, high, swing: Math.abs(high - low) };
  });
  const rank = (i: number) => {
    const swing = rows[i]!.swing;
    const tolerance = SWING_TOLERANCE * Math.abs(swing);
    let r = 1;
    rows.forEach((other, j) => {
      if (other.swing - swing > tolerance || (j < i && Math.abs(other.swing - swing) <= tolerance)) r++;
    });
    return r;
  };
  return rows.map((row, i) => ({ row, rank: rank(i), i })).sort((a, b) => a.rank - b.rank || a.i - b.i).map(({ row }) => row);
}
