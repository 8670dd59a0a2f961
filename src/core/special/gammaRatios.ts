import { digamma, logGamma, trigamma } from "./gamma";

/**
 * ln Γ(s+x) − ln Γ(s), ψ(s+x) − ψ(s) and, on request, ψ′(s+x) − ψ′(s) for a fixed set
 * of whole numbers x and a few shapes s that change at every likelihood evaluation. For
 * small x they come from the recurrences Γ(s+1) = s Γ(s), ψ(s+1) = ψ(s) + 1/s and
 * ψ′(s+1) = ψ′(s) − 1/s², summed up to the largest x (a log and a division per step,
 * against a log-gamma and a digamma per x); past that, directly. All are exact to a few ulps.
 */
export class GammaRatios {
  private readonly xs: Float64Array;
  private readonly largest: number;
  private readonly direct: boolean;
  private readonly logs: Float64Array[];
  private readonly psis: Float64Array[];
  private readonly tris: Float64Array[];
  private shapes: number[] = [];

  /** @param xs whole numbers ≥ 0; @param shapes how many shapes each update brings */
  constructor(xs: ArrayLike<number>, shapes: number) {
    this.xs = Float64Array.from(xs);
    this.largest = this.xs.reduce((m, v) => Math.max(m, v), 0);
    // The recurrence costs O(largest x); the direct form O(number of distinct x).
    this.direct = this.largest > 64 && this.largest > 8 * this.xs.length;
    const size = this.direct ? 0 : this.largest + 1;
    this.logs = Array.from({ length: shapes }, () => new Float64Array(size));
    this.psis = Array.from({ length: shapes }, () => new Float64Array(size));
    this.tris = Array.from({ length: shapes }, () => new Float64Array(size));
  }

  update(...shapes: number[]): this {
    this.shapes = shapes;
    if (this.direct) return this;
    shapes.forEach((s, k) => {
      const logs = this.logs[k] as Float64Array;
      const psis = this.psis[k] as Float64Array;
      let log = 0;
      let psi = 0;
      for (let x = 1; x <= this.largest; x++) {
        const term = s + x - 1;
        log += Math.log(term);
        psi += 1 / term;
        logs[x] = log;
        psis[x] = psi;
      }
    });
    return this;
  }

  /** Makes `tri` ready for the shapes of the last update. */
  curvature(): this {
    if (this.direct) return this;
    this.shapes.forEach((s, k) => {
      const tris = this.tris[k] as Float64Array;
      let tri = 0;
      for (let x = 1; x <= this.largest; x++) {
        const term = s + x - 1;
        tri -= 1 / (term * term);
        tris[x] = tri;
      }
    });
    return this;
  }

  /** ψ′(s+x) − ψ′(s) for shape number k, after `curvature()`. */
  tri(k: number, x: number): number {
    if (!this.direct) return (this.tris[k] as Float64Array)[x] as number;
    const s = this.shapes[k] as number;
    return trigamma(s + x) - trigamma(s);
  }

  /** ln Γ(s+x) − ln Γ(s) for shape number k. */
  log(k: number, x: number): number {
    if (!this.direct) return (this.logs[k] as Float64Array)[x] as number;
    const s = this.shapes[k] as number;
    return logGamma(s + x) - logGamma(s);
  }

  /** ψ(s+x) − ψ(s) for shape number k. */
  psi(k: number, x: number): number {
    if (!this.direct) return (this.psis[k] as Float64Array)[x] as number;
    const s = this.shapes[k] as number;
    return digamma(s + x) - digamma(s);
  }
}
