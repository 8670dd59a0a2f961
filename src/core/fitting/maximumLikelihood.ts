import { formatCount, notANumber } from "../errors";
import { minimizeBfgs, minimizeNewton, invertPositiveDefinite, type MinimizeOptions } from "./minimize";

/**
 * Maximum-likelihood fitting shared by every model: the search runs over φ = ln θ, so
 * each parameter stays positive, with the analytic gradient ∂LL/∂φ = θ ∂LL/∂θ; the
 * objective is the log-likelihood per customer, so one tolerance suits any data size.
 */

/**
 * The log-likelihood of a model on fixed data, and its gradient in the model's parameters;
 * asked for it (`withHessian`), a model that can also gives the matrix of second derivatives.
 */
export interface LikelihoodFunction {
  (params: readonly number[], withHessian?: boolean): { value: number; gradient: number[]; hessian?: number[][] };
}

/** A fitted model, as a plain value. Predictions are pure functions of `params`. */
export interface FitResult<Name extends string> {
  params: Record<Name, number>;
  /** Log-likelihood at `params`, summed over the (weighted) data. */
  logLikelihood: number;
  /** Whether the gradient test was met; a fit that did not converge is no answer. */
  converged: boolean;
  iterations: number;
  /** Asymptotic standard errors from the inverse of the observed information; undefined at a boundary. */
  standardErrors: Record<Name, number> | undefined;
  /** Why the search stopped, in words. */
  reason: string;
  /**
   * Why the maximum is not an answer, when it is not: a parameter ran to the edge of what
   * the model can represent, or the likelihood is flat along some direction (no standard
   * errors, or ones a hundred times the estimate). Undefined for an interior maximum.
   */
  degenerate?: string;
}

/** ln θ outside ±LOG_BOUND (θ beyond 1e±13) is treated as outside the domain: such a fit is degenerate. */
const LOG_BOUND = 30;

/** What a caller may bound: a custom function must answer within about a second or two. */
export interface FitLimits {
  /** Stop with a #NUM! error once the clock (Date.now()) passes this time, in ms. */
  deadline?: number;
  /** The budget the caller promises, in seconds, for the message. */
  budgetSeconds?: number;
  /**
   * The most distinct rows a purchase-model fit takes on: beyond, #NUM! at once, as the
   * reading of the rows alone would spend the budget (a million distinct customers take
   * about 1.5 s to read and collapse before the first evaluation).
   */
  maxDistinctRows?: number;
}

/** Refuses, before any evaluation, data with more distinct rows than the caller's budget allows. */
export function checkDistinctRows(rows: number, customers: number, limits: FitLimits): void {
  if (limits.maxDistinctRows === undefined || rows <= limits.maxDistinctRows) return;
  throw notANumber(
    `fitting ${formatCount(customers)} customers (${formatCount(rows)} distinct) takes more than ${limits.budgetSeconds ?? 2} s: at most ${formatCount(limits.maxDistinctRows)} distinct (frequency, recency, T) rows are fitted at once: fit a sample of the rows, or round recency and T (to days or weeks) so that more rows are alike`,
  );
}

/** A fit has converged when no entry of the gradient of the log-likelihood per customer in ln θ exceeds this. */
export const GRADIENT_TOLERANCE = 1e-8;

export interface FitOptions extends MinimizeOptions, FitLimits {
  /**
   * The likelihood gives its Hessian: the search is then Newton's method, a handful of
   * evaluations from a reasonable start (what a user waits for on the first call, while
   * the code still runs unoptimised), and the standard errors come from the Hessian.
   */
  analyticHessian?: boolean;
  /** Total weight of the data, to scale the objective per customer. */
  totalWeight: number;
  /**
   * What is being fitted, for the message when the time runs out ("2,357 customers"); a
   * function, so that the message's words (formatCount, a regular expression) are only
   * built when it is given.
   */
  describe?: () => string;
}

export function fitMaximumLikelihood<Name extends string>(
  names: readonly Name[],
  logLikelihood: LikelihoodFunction,
  start: readonly number[],
  options: FitOptions,
): FitResult<Name> {
  const scale = 1 / options.totalWeight;
  let evaluations = 0;
  let lastMs = 0;
  // Every evaluation, of the objective or of the standard errors' curvature, checks the clock first:
  // none starts after the deadline, nor one that would end past it at the pace of the one before.
  const timed: LikelihoodFunction = (params, withHessian) => {
    evaluations++;
    const now = Date.now();
    if (options.deadline !== undefined && (now > options.deadline || (evaluations > 1 && now + lastMs > options.deadline))) {
      throw notANumber(
        `fitting ${options.describe ? options.describe() : "the data"} takes more than ${options.budgetSeconds ?? 2} s (${evaluations} evaluations of the likelihood so far): fit a sample of the rows, or group identical rows and give their counts as weights`,
      );
    }
    const result = logLikelihood(params, withHessian);
    lastMs = Date.now() - now;
    return result;
  };
  // Plain loops rather than map and some, here and below: on the first fit after a workbook
  // opens every small function is compiled on its first call, which costs more than the loop.
  const objective = (phi: readonly number[]) => {
    if (outsideDomain(phi)) return { value: Number.POSITIVE_INFINITY, gradient: filled(phi.length, 0) };
    const theta = exponentials(phi);
    const r = timed(theta);
    const gradient = new Array<number>(phi.length);
    for (let i = 0; i < phi.length; i++) gradient[i] = -(r.gradient[i] as number) * (theta[i] as number) * scale;
    return { value: -r.value * scale, gradient };
  };
  const phi0 = new Array<number>(start.length);
  for (let i = 0; i < start.length; i++) phi0[i] = Math.log(start[i] as number);
  let result: ReturnType<typeof minimizeBfgs>;
  /** The Hessian in θ at the last point evaluated, for the standard errors. */
  let last: { theta: number[]; hessian: number[][] } | undefined;
  if (options.analyticHessian) {
    // In φ = ln θ: ∂²f/∂φi∂φj = θi θj ∂²f/∂θi∂θj + [i = j] θi ∂f/∂θi.
    const curved = (phi: readonly number[]) => {
      const n = phi.length;
      if (outsideDomain(phi)) {
        const zeros: number[][] = [];
        for (let i = 0; i < n; i++) zeros.push(filled(n, 0));
        return { value: Number.POSITIVE_INFINITY, gradient: filled(n, 0), hessian: zeros };
      }
      const theta = exponentials(phi);
      const r = timed(theta, true);
      const h = r.hessian as number[][];
      last = { theta, hessian: h };
      const gradient = new Array<number>(n);
      const hessian: number[][] = [];
      for (let i = 0; i < n; i++) {
        const ti = theta[i] as number;
        const gi = r.gradient[i] as number;
        gradient[i] = -gi * ti * scale;
        const row = h[i] as number[];
        const out = new Array<number>(n);
        for (let j = 0; j < n; j++) out[j] = -scale * (ti * (theta[j] as number) * (row[j] as number) + (i === j ? ti * gi : 0));
        hessian.push(out);
      }
      return { value: -r.value * scale, gradient, hessian };
    };
    result = minimizeNewton(curved, phi0, { maxIterations: options.maxIterations ?? 300, gradientTolerance: options.gradientTolerance ?? GRADIENT_TOLERANCE, polishTolerance: options.polishTolerance });
  } else {
    // A curvature estimate at the start (n gradient evaluations) lets BFGS take Newton-sized
    // steps from the first iteration: on the CDNOW fits it halves the evaluations.
    const inverseHessian =
      options.inverseHessian ?? invertPositiveDefinite(forwardDifferenceHessian(objective, phi0, phi0.map((v) => 1e-6 * Math.max(1, Math.abs(v)))));
    result = minimizeBfgs(objective, phi0, {
      maxIterations: options.maxIterations ?? 300,
      gradientTolerance: options.gradientTolerance ?? GRADIENT_TOLERANCE,
      inverseHessian,
    });
  }
  const theta = exponentials(result.x);
  let standardErrors: number[] | undefined;
  if (result.converged && options.analyticHessian) {
    let same = last !== undefined;
    for (let i = 0; same && i < theta.length; i++) same = last!.theta[i] === theta[i];
    standardErrors = errorsFromHessian(same ? last!.hessian : (timed(theta, true).hessian as number[][]));
  } else if (result.converged) standardErrors = observedStandardErrors(timed, theta);
  return reportFit(names, theta, -result.value / scale, result.converged, result.iterations, result.reason, standardErrors);
}

/**
 * A fit a kernel ran by Newton's method itself (Gamma-Gamma's spendFit, src/core/kernels), as
 * {@link fitMaximumLikelihood} reports one that converged: from ln θ at the maximum, the
 * objective there (the negated log-likelihood per customer), the iterations, and the standard
 * errors (none where the information is not positive definite).
 */
export function convergedNewtonFit<Name extends string>(
  names: readonly Name[],
  phi: ArrayLike<number>,
  objective: number,
  iterations: number,
  standardErrors: number[] | undefined,
  totalWeight: number,
): FitResult<Name> {
  const scale = 1 / totalWeight; // as fitMaximumLikelihood scales, so that the log-likelihood rounds alike
  return reportFit(names, exponentials(phi), -objective / scale, true, iterations, "gradient below tolerance", standardErrors);
}

/** Standard errors from the log-likelihood's Hessian in θ: of the information, its negation. */
function errorsFromHessian(hessian: readonly (readonly number[])[]): number[] | undefined {
  const information: number[][] = [];
  for (const row of hessian) {
    const negated = new Array<number>(row.length);
    for (let j = 0; j < row.length; j++) negated[j] = -(row[j] as number);
    information.push(negated);
  }
  return standardErrorsFromInformation(information);
}

/** The result of a search that ended at θ, named, with why it is no answer where it is not. */
function reportFit<Name extends string>(
  names: readonly Name[],
  theta: readonly number[],
  logLikelihood: number,
  converged: boolean,
  iterations: number,
  reason: string,
  standardErrors: number[] | undefined,
): FitResult<Name> {
  const named = (values: readonly number[]) => {
    const out = {} as Record<Name, number>;
    for (let i = 0; i < names.length; i++) out[names[i] as Name] = values[i] as number;
    return out;
  };
  // A search that stopped short with a parameter at an edge stopped because the likelihood
  // rises that way without end (or too little to tell from rounding): that, not the stop, is the news.
  const degenerate = converged ? degeneracy(names, theta, standardErrors) : atEdge(names, theta);
  return { degenerate, params: named(theta), logLikelihood, converged, iterations, standardErrors: standardErrors && named(standardErrors), reason };
}

/** Symmetrised forward-difference Hessian of a function with an analytic gradient. */
/** |ln θ| beyond which a parameter has run to an edge: θ above 8.9 million or below 1.1e−7. */
export const EDGE_LOG = 16;
/** A standard error this many times its estimate means the likelihood is flat that way. */
const FLAT_RATIO = 100;

function degeneracy(names: readonly string[], theta: readonly number[], errors: readonly number[] | undefined): string | undefined {
  const edge = atEdge(names, theta);
  if (edge) return edge;
  if (!errors) return "the likelihood is flat along some direction (its curvature matrix is singular)";
  for (let flat = 0; flat < errors.length; flat++) {
    if ((errors[flat] as number) > FLAT_RATIO * (theta[flat] as number)) {
      return `the likelihood is flat in ${names[flat]} (standard error ${errors[flat]!.toPrecision(3)} for an estimate of ${theta[flat]!.toPrecision(3)})`;
    }
  }
  return undefined;
}

/** Which parameter, if any, has run to an edge (|ln θ| beyond EDGE_LOG), said as the messages say it. */
function atEdge(names: readonly string[], theta: readonly number[]): string | undefined {
  for (let edge = 0; edge < theta.length; edge++) {
    if (Math.abs(Math.log(theta[edge] as number)) > EDGE_LOG) return `${names[edge]} ran to ${theta[edge]! > 1 ? "infinity" : "zero"} (${theta[edge]!.toPrecision(3)})`;
  }
  return undefined;
}

/** Whether some |ln θ| is beyond LOG_BOUND: outside the domain. */
function outsideDomain(phi: readonly number[]): boolean {
  for (let i = 0; i < phi.length; i++) if (Math.abs(phi[i] as number) > LOG_BOUND) return true;
  return false;
}

/** e^φ, element by element. */
function exponentials(phi: ArrayLike<number>): number[] {
  const out = new Array<number>(phi.length);
  for (let i = 0; i < phi.length; i++) out[i] = Math.exp(phi[i] as number);
  return out;
}

/** An array of n copies of a value. */
function filled(n: number, value: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = value;
  return out;
}

function forwardDifferenceHessian(
  f: (x: readonly number[]) => { value: number; gradient: number[] },
  x: readonly number[],
  steps: readonly number[],
): number[][] {
  const n = x.length;
  const base = f(x).gradient;
  const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const h = steps[j] as number;
    const g = f(x.map((v, i) => (i === j ? v + h : v))).gradient;
    for (let k = 0; k < n; k++) H[k]![j] = ((g[k] as number) - (base[k] as number)) / h;
  }
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      const mean = 0.5 * (H[j]![k]! + H[k]![j]!);
      H[j]![k] = mean;
      H[k]![j] = mean;
    }
  }
  return H.every((row) => row.every(Number.isFinite)) ? H : H.map((row) => row.map(() => Number.NaN));
}

/**
 * Standard errors from the observed information −∂²LL/∂θ², differentiated numerically
 * (forward differences of the analytic gradient, relative step 1e-6: the truncation error,
 * about 1e-6 relative, is far below what a standard error is read to), then inverted.
 */
export function observedStandardErrors(logLikelihood: LikelihoodFunction, theta: readonly number[]): number[] | undefined {
  return standardErrorsFromInformation(observedInformation(logLikelihood, theta));
}

/** The observed information −∂²LL/∂θ² at θ, by forward differences of the analytic gradient (relative step 1e-6). */
function observedInformation(logLikelihood: LikelihoodFunction, theta: readonly number[]): number[][] {
  const negative = (t: readonly number[]) => {
    const r = logLikelihood(t);
    return { value: -r.value, gradient: r.gradient.map((g) => -g) };
  };
  return forwardDifferenceHessian(negative, theta, theta.map((v) => 1e-6 * v));
}

/**
 * The full asymptotic covariance of the estimates in θ, the inverse of the observed
 * information at a maximum θ (differenced as for {@link observedStandardErrors}); undefined
 * where the information is not finite or not positive definite (a flat or degenerate fit).
 * Of φ = ln θ it is Cov(θ)ij / (θi θj): at a maximum (gradient 0) the information in φ is
 * diag(θ) I(θ) diag(θ).
 */
export function observedCovariance(logLikelihood: LikelihoodFunction, theta: readonly number[]): number[][] | undefined {
  const information = observedInformation(logLikelihood, theta);
  if (!information.every((row) => row.every(Number.isFinite))) return undefined;
  const covariance = invertPositiveDefinite(information);
  return covariance && covariance.every((row) => row.every(Number.isFinite)) ? covariance : undefined;
}

/** Standard errors: the square roots of the diagonal of the inverse of the observed information. */
function standardErrorsFromInformation(information: number[][]): number[] | undefined {
  for (const row of information) for (const v of row) if (!Number.isFinite(v)) return undefined;
  const covariance = invertPositiveDefinite(information);
  if (!covariance) return undefined;
  const errors = new Array<number>(covariance.length);
  for (let i = 0; i < covariance.length; i++) {
    errors[i] = Math.sqrt(covariance[i]![i] as number);
    if (!Number.isFinite(errors[i])) return undefined;
  }
  return errors;
}
