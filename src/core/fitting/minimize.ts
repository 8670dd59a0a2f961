/**
 * Unconstrained minimisation by BFGS (Nocedal & Wright 2006, Algorithm 6.1) with a line
 * search that enforces the strong Wolfe conditions (Algorithms 3.5 and 3.6, bisection
 * zoom). Model fits call it in log-parameter space, so every parameter stays positive.
 * Every loop is bounded; the result says whether the gradient test was met.
 */

export interface Objective {
  /** The value and its gradient at x. A non-finite value marks x as outside the domain. */
  (x: readonly number[]): { value: number; gradient: number[] };
}

/** An objective that also gives its Hessian (the matrix of second derivatives). */
export interface CurvedObjective {
  (x: readonly number[]): { value: number; gradient: number[]; hessian: number[][] };
}

export interface MinimizeOptions {
  /** Iteration limit. Default 200. */
  maxIterations?: number;
  /** Converged when max |gradient_i| ≤ gradientTolerance × max(1, |value|). Default 1e-10. */
  gradientTolerance?: number;
  /** Initial inverse Hessian; default the identity scaled after the first step. */
  inverseHessian?: number[][];
  /**
   * Newton's method only: once converged, go on while full Newton steps still shrink the
   * gradient, down to this tolerance (same scale as gradientTolerance). A fit whose path
   * depends on its start then ends at the same point, to the last digits the objective
   * allows, whichever way it came; whether it converged is still decided by gradientTolerance.
   */
  polishTolerance?: number;
}

export interface MinimizeResult {
  x: number[];
  value: number;
  gradient: number[];
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Why it stopped, in words. */
  reason: string;
}

// Plain loops rather than reduce and map in what Newton's method runs: on the first fit after
// a workbook opens every small function is compiled on its first call, which costs more than the loop.
function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(a: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** The options' limits, with their defaults, and the gradient test both methods stop on. */
function limits(options: MinimizeOptions) {
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.gradientTolerance ?? 1e-10;
  const done = (value: number, gradient: number[]) => maxAbs(gradient) <= tolerance * Math.max(1, Math.abs(value));
  return { maxIterations, tolerance, done };
}

/** x + t d. */
function stepAlong(x: readonly number[], t: number, d: readonly number[]): number[] {
  const out = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) + t * (d[i] as number);
  return out;
}

/** Whether every value and every entry of the gradient and the Hessian is finite. */
function finitePoint(r: { value: number; gradient: number[]; hessian: number[][] }): boolean {
  if (!Number.isFinite(r.value)) return false;
  for (const g of r.gradient) if (!Number.isFinite(g)) return false;
  for (const row of r.hessian) for (const v of row) if (!Number.isFinite(v)) return false;
  return true;
}

export function minimizeBfgs(objective: Objective, start: readonly number[], options: MinimizeOptions = {}): MinimizeResult {
  const n = start.length;
  const { maxIterations, tolerance, done } = limits(options);
  let evaluations = 0;
  const evaluate = (x: readonly number[]) => {
    evaluations++;
    const r = objective(x);
    const finite = Number.isFinite(r.value) && r.gradient.every(Number.isFinite);
    return finite ? r : { value: Number.POSITIVE_INFINITY, gradient: r.gradient.map(() => Number.NaN) };
  };

  let x = [...start];
  let current = evaluate(x);
  if (!Number.isFinite(current.value)) {
    return { x, value: current.value, gradient: current.gradient, converged: false, iterations: 0, evaluations, reason: "the starting point is outside the domain" };
  }
  let H = options.inverseHessian?.map((row) => [...row]) ?? identity(n);
  let scaled = options.inverseHessian !== undefined;

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (done(current.value, current.gradient)) {
      return { x, value: current.value, gradient: current.gradient, converged: true, iterations: iteration, evaluations, reason: "gradient below tolerance" };
    }
    let direction = H.map((row) => -dot(row, current.gradient));
    let slope = dot(direction, current.gradient);
    if (!(slope < 0)) {
      // Not a descent direction (H lost positive definiteness to rounding): restart.
      H = identity(n);
      scaled = false;
      direction = current.gradient.map((g) => -g);
      slope = dot(direction, current.gradient);
    }
    // Keep the first trial step modest in log-parameter space: e^3 ≈ 20× at most.
    const longest = maxAbs(direction);
    const firstStep = scaled ? Math.min(1, 3 / longest) : Math.min(1, 0.5 / longest);
    const step = wolfeLineSearch(evaluate, x, current, direction, slope, firstStep);
    if (!step) {
      const converged = maxAbs(current.gradient) <= 1e3 * tolerance * Math.max(1, Math.abs(current.value));
      return {
        x,
        value: current.value,
        gradient: current.gradient,
        converged,
        iterations: iteration,
        evaluations,
        reason: converged ? "no further decrease possible at the precision of the objective" : "the line search found no decrease",
      };
    }
    const s = step.x.map((v, i) => v - (x[i] as number));
    const y = step.gradient.map((g, i) => g - (current.gradient[i] as number));
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        // Nocedal & Wright (6.20): scale the identity before the first update.
        const gamma = sy / dot(y, y);
        H = identity(n).map((row) => row.map((v) => v * gamma));
        scaled = true;
      }
      H = bfgsUpdate(H, s, y, sy);
    }
    x = step.x;
    current = step;
  }
  const converged = done(current.value, current.gradient);
  return { x, value: current.value, gradient: current.gradient, converged, iterations: maxIterations, evaluations, reason: converged ? "gradient below tolerance" : "iteration limit reached" };
}

/** Newton's method gives up after this many iterations, or a failed line search, and hands over to BFGS. */
export const NEWTON_ITERATIONS = 25;

/**
 * Minimisation by Newton's method with the analytic Hessian (Nocedal & Wright 2006, §3.4):
 * each step solves H d = −g, with H shifted by a multiple of the identity until it is
 * positive definite (Levenberg), capped at 3 in any coordinate (log-parameter space:
 * e^3 ≈ 20×) and backtracked until the value decreases enough (Armijo, c1 = 1e-4). From
 * a reasonable start a likelihood converges in a handful of evaluations, where BFGS takes
 * twenty. Where Newton stalls (a flat direction, a failed line search, 25 iterations), the
 * search goes on by BFGS from the best point, with the inverse Hessian there as its start.
 */
export function minimizeNewton(objective: CurvedObjective, start: readonly number[], options: MinimizeOptions = {}): MinimizeResult {
  const { maxIterations, done } = limits(options);
  let evaluations = 0;
  const evaluate = (x: readonly number[]) => {
    evaluations++;
    const r = objective(x);
    return finitePoint(r) ? r : undefined;
  };
  let x = [...start];
  let current = evaluate(x);
  if (!current) {
    return { x, value: Number.POSITIVE_INFINITY, gradient: start.map(() => Number.NaN), converged: false, iterations: 0, evaluations, reason: "the starting point is outside the domain" };
  }
  const polish = options.polishTolerance;
  let iteration = 0;
  for (; iteration < Math.min(NEWTON_ITERATIONS, maxIterations); iteration++) {
    const converged = done(current.value, current.gradient);
    if (converged && (polish === undefined || maxAbs(current.gradient) <= polish * Math.max(1, Math.abs(current.value)))) {
      return { ...current, x, converged: true, iterations: iteration, evaluations, reason: "gradient below tolerance" };
    }
    const direction = newtonDirection(current.hessian, current.gradient);
    const slope = dot(direction, current.gradient);
    if (!(slope < 0)) break;
    const longest = maxAbs(direction);
    let t = longest > 3 ? 3 / longest : 1;
    // Within a step of the minimum the decrease a Newton step promises is below the rounding
    // of the value (a sum of thousands of terms): there a step is taken if the value is no
    // worse than that rounding and the gradient shrinks, as the Armijo test alone could
    // refuse every step to the minimum for a difference in the last digits.
    const rounding = 1e-12 * Math.max(1, Math.abs(current.value));
    const steepest = maxAbs(current.gradient);
    let accepted: (typeof current & { x: number[] }) | undefined;
    // Polishing a converged point takes the full step or none.
    for (let trial = 0; trial < (converged ? 1 : 30) && !accepted; trial++, t *= 0.5) {
      const at = stepAlong(x, t, direction);
      const r = evaluate(at);
      if (r && (r.value <= current.value + 1e-4 * t * slope || (-t * slope <= rounding && r.value <= current.value + rounding && maxAbs(r.gradient) < steepest))) accepted = { ...r, x: at };
    }
    if (converged && !(accepted && maxAbs(accepted.gradient) < steepest)) break;
    if (!accepted) break;
    x = accepted.x;
    current = accepted;
  }
  if (done(current.value, current.gradient)) {
    return { ...current, x, converged: true, iterations: iteration, evaluations, reason: "gradient below tolerance" };
  }
  const rest = minimizeBfgs(objective, x, { ...options, maxIterations: maxIterations - iteration, inverseHessian: invertPositiveDefinite(current.hessian) ?? options.inverseHessian });
  return { ...rest, iterations: iteration + rest.iterations, evaluations: evaluations + rest.evaluations };
}

/** The Newton direction −H⁻¹g, H shifted by μI (μ growing tenfold) until positive definite. */
function newtonDirection(hessian: readonly (readonly number[])[], gradient: readonly number[]): number[] {
  const n = gradient.length;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(hessian[i]![i] as number));
  scale = scale || 1;
  for (let mu = 0; mu < 1e12 * scale; mu = mu === 0 ? 1e-8 * scale : mu * 10) {
    const shifted: number[][] = [];
    for (let i = 0; i < n; i++) {
      const row = new Array<number>(n);
      for (let j = 0; j < n; j++) row[j] = i === j ? (hessian[i]![j] as number) + mu : (hessian[i]![j] as number);
      shifted.push(row);
    }
    const inverse = invertPositiveDefinite(shifted);
    if (inverse) {
      const direction = new Array<number>(n);
      for (let i = 0; i < n; i++) direction[i] = -dot(inverse[i] as number[], gradient);
      return direction;
    }
  }
  const steepest = new Array<number>(n);
  for (let i = 0; i < n; i++) steepest[i] = -(gradient[i] as number);
  return steepest;
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs) (Nocedal & Wright 6.17). */
function bfgsUpdate(H: number[][], s: number[], y: number[], sy: number): number[][] {
  const n = s.length;
  const rho = 1 / sy;
  const Hy = H.map((row) => dot(row, y));
  const yHy = dot(y, Hy);
  const next: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      row.push(
        (H[i]![j] as number) -
          rho * ((Hy[i] as number) * (s[j] as number) + (s[i] as number) * (Hy[j] as number)) +
          (rho * rho * yHy + rho) * (s[i] as number) * (s[j] as number),
      );
    }
    next.push(row);
  }
  return next;
}

interface Point {
  x: number[];
  value: number;
  gradient: number[];
}

/** Strong Wolfe line search, c1 = 1e-4, c2 = 0.9; at most 40 evaluations. */
function wolfeLineSearch(
  evaluate: (x: readonly number[]) => { value: number; gradient: number[] },
  x: readonly number[],
  at: { value: number; gradient: number[] },
  direction: readonly number[],
  slope: number,
  firstStep: number,
): Point | undefined {
  const c1 = 1e-4;
  const c2 = 0.9;
  const pointAt = (alpha: number): Point & { slope: number } => {
    const trial = x.map((v, i) => v + alpha * (direction[i] as number));
    const r = evaluate(trial);
    return { x: trial, value: r.value, gradient: r.gradient, slope: Number.isFinite(r.value) ? dot(r.gradient, direction) : Number.NaN };
  };
  let budget = 40;
  let previousAlpha = 0;
  let previous = { value: at.value, slope };
  let alpha = firstStep;

  const zoom = (lowAlpha: number, low: { value: number; slope: number }, highAlpha: number): Point | undefined => {
    let best: (Point & { slope: number }) | undefined;
    while (budget-- > 0) {
      const mid = 0.5 * (lowAlpha + highAlpha);
      const p = pointAt(mid);
      if (!Number.isFinite(p.value) || p.value > at.value + c1 * mid * slope || p.value >= low.value) {
        highAlpha = mid;
      } else {
        best = p;
        if (Math.abs(p.slope) <= -c2 * slope) return p;
        if (p.slope * (highAlpha - lowAlpha) >= 0) highAlpha = lowAlpha;
        lowAlpha = mid;
        low = p;
      }
      if (Math.abs(highAlpha - lowAlpha) < 1e-16 * Math.max(1, Math.abs(lowAlpha))) break;
    }
    return best && best.value < at.value ? best : undefined;
  };

  while (budget-- > 0) {
    const p = pointAt(alpha);
    if (!Number.isFinite(p.value)) {
      // Outside the domain: step back towards the last good point.
      alpha = previousAlpha + 0.25 * (alpha - previousAlpha);
      continue;
    }
    if (p.value > at.value + c1 * alpha * slope || (previousAlpha > 0 && p.value >= previous.value)) {
      return zoom(previousAlpha, previous, alpha);
    }
    if (Math.abs(p.slope) <= -c2 * slope) return p;
    if (p.slope >= 0) return zoom(alpha, p, previousAlpha);
    previousAlpha = alpha;
    previous = p;
    alpha *= 2;
  }
  return undefined;
}

/**
 * Inverse of a small symmetric positive-definite matrix by Cholesky decomposition, or
 * undefined when it is not positive definite (a fit at a boundary, a flat likelihood).
 */
export function invertPositiveDefinite(matrix: readonly (readonly number[])[]): number[][] | undefined {
  const n = matrix.length;
  const L = zeroMatrix(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i]![j] as number;
      for (let k = 0; k < j; k++) sum -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(sum > 0)) return undefined;
        L[i]![i] = Math.sqrt(sum);
      } else L[i]![j] = sum / L[j]![j]!;
    }
  }
  // Solve L Lᵀ X = I column by column.
  const inverse = zeroMatrix(n);
  const y = new Array<number>(n);
  for (let col = 0; col < n; col++) {
    for (let i = 0; i < n; i++) {
      let sum = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= L[i]![k]! * y[k]!;
      y[i] = sum / L[i]![i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = y[i]!;
      for (let k = i + 1; k < n; k++) sum -= L[k]![i]! * inverse[k]![col]!;
      inverse[i]![col] = sum / L[i]![i]!;
    }
  }
  return inverse;
}

/** An n × n matrix of zeros. */
function zeroMatrix(n: number): number[][] {
  const m: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) row[j] = 0;
    m.push(row);
  }
  return m;
}
