/**
 * A smooth function of w ≥ 0 replaced by Chebyshev interpolants on panels of w, each built
 * the first time a value in it is asked for (Trefethen, "Approximation Theory and
 * Approximation Practice", ch. 2–3 and 8). A function analytic in the strip |Im w| < h
 * converges on a panel of half-width W/2 like ρ^(−n), ρ = b + √(b² + 1), b = 2h/W, times
 * the function's size on that ellipse: with h = π (the BG/NBD curve in w = ln(1 + t/(α+T))),
 * W = 2 and n = 22 points, ρ ≈ 6.4.
 *
 * Each panel checks itself: if its last coefficients are not below 1e−13 of the largest
 * (the function varies faster than the panel resolves), it is split in two, down to
 * MAX_DEPTH halvings; if a value at a node is not finite, or the splits do not converge,
 * the panel's values are computed by `f` itself. Values beyond `maxArgument` (or not
 * finite) are computed by `f` too. So the interpolant is never less exact than `f` to
 * about 1e−13 of the function's size (the last coefficients also carry the rounding of
 * f's values, about 1e−15), and the work stays bounded whatever is asked.
 */
type Panel = { kind: "interpolant"; coefficients: Float64Array } | { kind: "split"; left: Panel; right: Panel } | { kind: "direct" };

const MAX_DEPTH = 6;
const TAIL = 1e-13;

/**
 * The n Chebyshev points cos(π (j + ½)/n) and the discrete cosine transform from values to
 * coefficients, cos(π k (j + ½)/n): the same for every interpolant of n points, made once.
 */
const grids = new Map<number, { nodes: Float64Array; transform: Float64Array }>();
function chebyshevGrid(n: number): { nodes: Float64Array; transform: Float64Array } {
  let grid = grids.get(n);
  if (!grid) {
    const nodes = new Float64Array(n);
    const transform = new Float64Array(n * n);
    for (let j = 0; j < n; j++) nodes[j] = Math.cos((Math.PI * (j + 0.5)) / n);
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) transform[k * n + j] = Math.cos((Math.PI * k * (j + 0.5)) / n);
    grid = { nodes, transform };
    grids.set(n, grid);
  }
  return grid;
}

export class ChebyshevPanels {
  private readonly panels: (Panel | undefined)[] = [];
  private readonly nodes: Float64Array;
  private readonly transform: Float64Array;

  constructor(
    private readonly f: (w: number) => number,
    private readonly width = 2,
    private readonly points = 22,
    private readonly maxArgument = 720,
  ) {
    ({ nodes: this.nodes, transform: this.transform } = chebyshevGrid(points));
  }

  /** How the panels built so far ended up: interpolants (split ones counted by their parts), and direct ones. */
  get built(): { interpolants: number; direct: number } {
    const count = { interpolants: 0, direct: 0 };
    const visit = (p: Panel | undefined) => {
      if (!p) return;
      if (p.kind === "interpolant") count.interpolants++;
      else if (p.kind === "direct") count.direct++;
      else {
        visit(p.left);
        visit(p.right);
      }
    };
    this.panels.forEach(visit);
    return count;
  }

  value(w: number): number {
    if (!(w >= 0 && w <= this.maxArgument)) return this.f(w);
    const index = Math.min(Math.floor(w / this.width), Math.floor(this.maxArgument / this.width));
    let panel = this.panels[index] ?? (this.panels[index] = this.build(index * this.width, this.width, 0));
    let low = index * this.width;
    let size = this.width;
    while (panel.kind === "split") {
      size /= 2;
      if (w < low + size) panel = panel.left;
      else {
        low += size;
        panel = panel.right;
      }
    }
    if (panel.kind === "direct") return this.f(w);
    // Clenshaw's recurrence for Σ c_k T_k(y), y the position of w in the panel scaled to [−1, 1].
    const c = panel.coefficients;
    const y = (2 * (w - low)) / size - 1;
    const y2 = 2 * y;
    let b1 = 0;
    let b2 = 0;
    for (let k = this.points - 1; k >= 1; k--) {
      const b0 = (c[k] as number) + y2 * b1 - b2;
      b2 = b1;
      b1 = b0;
    }
    return (c[0] as number) + y * b1 - b2;
  }

  private build(low: number, size: number, depth: number): Panel {
    const n = this.points;
    const middle = low + 0.5 * size;
    const half = 0.5 * size;
    const values = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const v = this.f(middle + half * (this.nodes[j] as number));
      if (!Number.isFinite(v)) return { kind: "direct" };
      values[j] = v;
    }
    const coefficients = new Float64Array(n);
    let largest = 0;
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += (values[j] as number) * (this.transform[k * n + j] as number);
      coefficients[k] = ((k === 0 ? 1 : 2) / n) * sum;
      largest = Math.max(largest, Math.abs(coefficients[k] as number));
    }
    const tail = Math.max(Math.abs(coefficients[n - 1] as number), Math.abs(coefficients[n - 2] as number));
    if (tail <= TAIL * Math.max(largest, Number.MIN_VALUE)) return { kind: "interpolant", coefficients };
    if (depth >= MAX_DEPTH) return { kind: "direct" };
    return { kind: "split", left: this.build(low, half, depth + 1), right: this.build(middle, half, depth + 1) };
  }
}
