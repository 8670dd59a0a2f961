/**
 * One-way sensitivity (a tornado): a model's headline output with each input moved down and
 * up by a share of its value, the others held, sorted by how far the output swings.
 */
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
 * its value. Sorted by swing, largest first; equal swings keep the inputs' order.
 */
export function tornado<Name extends string>(base: Record<Name, number>, inputs: readonly Name[], output: (values: Record<Name, number>) => number, step = 0.1): TornadoRow<Name>[] {
  const rows = inputs.map((input) => {
    const low = output({ ...base, [input]: base[input] * (1 - step) });
    const high = output({ ...base, [input]: base[input] * (1 + step) });
    return { input, low, high, swing: Math.abs(high - low) };
  });
  return rows.map((row, i) => ({ row, i })).sort((a, b) => b.row.swing - a.row.swing || a.i - b.i).map(({ row }) => row);
}
