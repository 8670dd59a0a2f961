import gamma from "@stdlib/math-base-special-gamma";

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real a, b, c and real z ≤ 1,
 * accurate to a few units in the last place of a double over the arguments the
 * customer-base models produce (parameters in about [−5, 400], z in [0, 1], sometimes
 * z < 0). Checked against mpmath at 50 digits in test/core/special/hypergeometric.test.ts.
 *
 * References: A&S = Abramowitz & Stegun, Handbook of Mathematical Functions (1964),
 * chapters 15 and 6; DLMF = NIST Digital Library of Mathematical Functions, chapters 15, 5.
 *
 * How a value is obtained:
 * - z = 1: Gauss's theorem (DLMF 15.4.20, A&S 15.1.20) when c − a − b > 0, the
 *   Chu–Vandermonde sum (DLMF 15.4.24) for a terminating series, ±Infinity otherwise
 *   (the function diverges as z → 1⁻, DLMF 15.4.21 and 15.4.23).
 * - z < 0: Pfaff's transformation to x = z/(z − 1) ∈ (0, 1) (DLMF 15.8.1, A&S 15.3.4) and
 *   the evaluation below. When c lies below both a and b the transformed series have terms
 *   of both signs that cancel; then the recurrence in c (DLMF 15.5.18, `recurrenceInC`) and,
 *   where that is unstable too, the differential equation integrated out from z = 0
 *   (`continueFromZero`) take over.
 * - 0 < z < 1: the cheapest of these, by an estimate of its number of terms, whose own
 *   rounding-error estimate is small (otherwise the next cheapest, and in the end the one
 *   with the smallest error estimate):
 *   1. the power series (DLMF 15.2.1, A&S 15.1.1);
 *   2. Euler's transformation (1 − z)^{c−a−b} 2F1(c − a, c − b; c; z) (DLMF 15.8.1,
 *      A&S 15.3.3) and the power series of the transformed function;
 *   3. for z > ½, the 1 − z connection formula (A&S 15.3.6, DLMF 15.8.4), rearranged so
 *      that it stays exact when c − a − b is an integer or close to one (`nearOne`); at an
 *      integer it is the limiting form A&S 15.3.10–15.3.11 (DLMF 15.8.10);
 *   4. for 1 − z < 0.05, the differential equation integrated from z = 0.9 toward 1
 *      (`continueToOne`), for large a b (1 − z) where 3 cancels and 1, 2 are long;
 *   and, when all of these cancel (a small negative parameter against large ones), the
 *   differential equation integrated from z = 0 (`continueFromZero`).
 * Gamma-function ratios go through `gammaRatio`, which works in logarithms with Stirling's
 * series, so parameters past 171 (where Γ overflows) are fine; c − a − b is formed exactly.
 *
 * Every loop is bounded. NaN is returned only for invalid input: a non-finite argument,
 * z > 1, or c a non-positive integer.
 *
 * Known limits (outside the models' use): for z < 0 with c well below both a and b and
 * a, b large, the function oscillates and is often ill-conditioned; the error there stays
 * within a few tens of times (condition number × 1.1e−16), and such a call can take a few
 * hundred microseconds. Typical calls take 1–4 µs.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || !Number.isFinite(z)) return NaN;
  if (z > 1 || isNonPositiveInteger(c)) return NaN;
  if (z === 0 || a === 0 || b === 0) return 1;

  // c − a − b exactly, as an unevaluated sum dh + dl: it is the exponent of (1 − z) in
  // Euler's transformation and decides how close the parameters are to the integer case,
  // so the rounding of the two subtractions must not leak into either.
  const [dh, dl] = sum3(c, -a, -b);
  const cma = c - a;
  const cmb = c - b;

  if (z === 1) return atOne(a, b, c, cma, cmb, dh, dl);

  // 2F1(a, b; a; z) = (1 − z)^{−b} (DLMF 15.4.6, A&S 15.1.8).
  if (a === c) return Math.pow(1 - z, -b);
  if (b === c) return Math.pow(1 - z, -a);

  if (z < 0) {
    // Pfaff (DLMF 15.8.1, A&S 15.3.4): 2F1(a, b; c; z) = (1 − z)^{−a} 2F1(a, c − b; c; z/(z − 1)).
    // The other form, (1 − z)^{−b} 2F1(c − a, b; c; z/(z − 1)) (A&S 15.3.5), is this one after
    // Euler's transformation, which `inUnitInterval` considers by itself; b goes first when
    // it is the one that makes the series terminate.
    const oneMinusZ = 1 - z;
    const x = -z / oneMinusZ; // z/(z − 1), in (0, 1)
    const oneMinusX = 1 / oneMinusZ; // 1 − z/(z − 1), computed without cancellation
    const swap = !isNonPositiveInteger(a) && (isNonPositiveInteger(b) || (!isNonPositiveInteger(cmb) && isNonPositiveInteger(cma)));
    const p = swap ? b : a; // the parameter that keeps its place
    const q = swap ? cma : cmb; // c − (the other one)
    // In the transformed function: c − p = c − p, c − q = the other parameter, and
    // c − p − q = (other parameter) − p, exactly.
    const other = swap ? a : b;
    const [eh, el] = sum3(other, -p, 0);
    let r = inUnitInterval(p, q, c, swap ? cmb : cma, other, eh, el, x, oneMinusX);
    // 1 − x = 1/(1 − z), so an Euler factor (1 − x)^e from the inner evaluation joins the
    // Pfaff factor as (1 − z)^{−p−e}: one exponent times one logarithm, rather than two large
    // logarithms that cancel.
    r = { value: r.value, log: r.log + (-(r.wExp ?? 0) - p) * Math.log(oneMinusZ), err: r.err };
    if (r.err > FALLBACK && Math.min(a, b) > c) {
      // Both Pfaff series cancel (c below a and b): try the recurrence in c, and where that
      // is unstable too, the differential equation from z = 0.
      const alt = recurrenceInC(a, b, c, z, oneMinusZ, x, oneMinusX);
      if (alt.err < r.err) r = alt;
      if (r.err > FALLBACK) {
        const ode = continueFromZero(a, b, c, z);
        if (ode.err < r.err) r = ode;
      }
    }
    return finish(r.log, r.value);
  }

  const w = 1 - z;
  const r = inUnitInterval(a, b, c, cma, cmb, dh, dl, z, w);
  return finish(r.log + (r.wExp ?? 0) * Math.log(w), r.value);
}

// ---------------------------------------------------------------------------------------
// Internals

/** A value held as value × e^log (so huge prefactors do not overflow), with an estimate of its relative error. */
interface Scaled {
  value: number;
  log: number;
  /** A further factor (1 − z)^wExp, kept apart so that callers can merge it with their own powers of 1 − z. */
  wExp?: number;
  /** Estimated relative error; Infinity when the sum did not converge within its cap. */
  err: number;
}

const EPS = 2.220446049250313e-16;
/** A sum stops when the remaining tail is below this fraction of it. */
const TAIL = 1e-17;
/** Hard cap on the terms of any one series. */
const MAX_TERMS = 30000;
/** Accept an evaluation whose error estimate is below this, without trying another. */
const GOOD = 64 * EPS;
/** Past this error estimate, the slower fallbacks (recurrence, differential equation) are tried. */
const FALLBACK = 512 * EPS;
const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)

function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Math.floor(x) === x;
}

/** x + y + z as an unevaluated sum hi + lo (error-free transformations, Knuth's TwoSum). */
function sum3(x: number, y: number, z: number): [number, number] {
  const s1 = x + y;
  const v1 = s1 - x;
  const e1 = x - (s1 - v1) + (y - v1);
  const s2 = s1 + z;
  const v2 = s2 - s1;
  const e2 = s1 - (s2 - v2) + (z - v2);
  const lo = e1 + e2;
  const hi = s2 + lo;
  return [hi, lo - (hi - s2)];
}

/** value × e^log as a plain number, without spurious overflow or underflow. */
function finish(log: number, value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  if (Math.abs(log) < 600) {
    const r = Math.exp(log) * value;
    if (Number.isFinite(r) && Math.abs(r) > 1e-290) return r;
  }
  return Math.sign(value) * Math.exp(log + Math.log(Math.abs(value)));
}

/** sin(πx), with the argument reduced exactly (so it is accurate near the integers). */
function sinpi(x: number): number {
  let r = x - 2 * Math.round(x / 2); // exact, in [−1, 1]
  if (r > 0.5) r = 1 - r;
  else if (r < -0.5) r = -1 - r;
  return Math.sin(Math.PI * r);
}

/** cos(πx), with the argument reduced exactly. */
function cospi(x: number): number {
  const r = Math.abs(x - 2 * Math.round(x / 2)); // exact, in [0, 1]
  if (r <= 0.25) return Math.cos(Math.PI * r);
  if (r < 0.75) return Math.sin(Math.PI * (0.5 - r));
  return -Math.cos(Math.PI * (1 - r));
}

/** Sign of Γ(x) for x not a non-positive integer (DLMF 5.2.1 and 5.5.1). */
function gammaSign(x: number): number {
  if (x > 0) return 1;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/**
 * Stirling's series S(x) = ln Γ(x) − [(x − ½) ln x − x + ln √(2π)] (DLMF 5.11.1,
 * A&S 6.1.40), the terms B_{2k} / (2k (2k − 1) x^{2k−1}), k = 1..8; for x ≥ 10 the first
 * omitted term is below 2e−18.
 */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];
const LARGE = 10;

function stirlingSeries(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  let s = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) s = s * r2 + (STIRLING[k] as number);
  return s * r;
}

/**
 * Π Γ(num) / Π Γ(den) as value × e^log. A numerator at a pole gives value ±Infinity, a
 * denominator at a pole value 0.
 *
 * Arguments in (−10, 10) go through @stdlib's Γ (a few ulp); arguments ≤ −10 are reflected,
 * Γ(x) = π / (sin(πx) Γ(1 − x)) (DLMF 5.5.3, A&S 6.1.17); the large ones are combined in one
 * Stirling expression (DLMF 5.11.1) around the largest of them, X:
 *   Σ ±[(x − ½) ln x − x] = Σ ±(x − ½) ln(x/X) + (Σ ±x) (ln X − 1) − ½ (Σ ±1) ln X,
 * with Σ ±x summed exactly. In the ratios that occur here (Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) and
 * the like) Σ ±x is zero or small, so the large ln X terms cancel exactly instead of in
 * rounded arithmetic, and the error is a few ulp of Σ |x − ½| |ln(x/X)| rather than of
 * Σ x ln x.
 */
function gammaRatio(num: readonly number[], den: readonly number[]): { value: number; log: number } {
  let value = 1;
  const large: number[] = [];
  const signs: number[] = [];
  for (const x of num) {
    if (isNonPositiveInteger(x)) return { value: Infinity * gammaSignNear(x), log: 0 };
    if (x >= LARGE) {
      large.push(x);
      signs.push(1);
    } else if (x > -LARGE) {
      value *= gamma(x);
    } else {
      value *= Math.PI / sinpi(x);
      large.push(1 - x);
      signs.push(-1);
    }
  }
  for (const x of den) {
    if (isNonPositiveInteger(x)) return { value: 0, log: 0 };
    if (x >= LARGE) {
      large.push(x);
      signs.push(-1);
    } else if (x > -LARGE) {
      value /= gamma(x);
    } else {
      value *= sinpi(x) / Math.PI;
      large.push(1 - x);
      signs.push(1);
    }
  }
  if (large.length === 0) return { value, log: 0 };
  let xMax = 0;
  for (const x of large) xMax = Math.max(xMax, x);
  const lnMax = Math.log(xMax);
  let log = 0;
  let count = 0;
  let sumHi = 0;
  let sumLo = 0;
  for (let i = 0; i < large.length; i++) {
    const x = large[i] as number;
    const s = signs[i] as number;
    const lnRatio = x > 0.5 * xMax ? Math.log1p((x - xMax) / xMax) : Math.log(x / xMax);
    log += s * ((x - 0.5) * lnRatio + stirlingSeries(x));
    count += s;
    const [h, l] = sum3(sumHi, s * x, sumLo);
    sumHi = h;
    sumLo = l;
  }
  log += sumHi * (lnMax - 1) + sumLo * (lnMax - 1) + count * (LN_SQRT_2PI - 0.5 * lnMax);
  return { value, log };
}

/** The sign of Γ just above a pole, for the rare Γ(0)-type numerators. */
function gammaSignNear(x: number): number {
  return x === 0 || Math.abs(x) % 2 === 0 ? 1 : -1;
}

/** log1p(u)/u, 1 at u = 0. */
function log1pOverX(u: number): number {
  return u === 0 ? 1 : Math.log1p(u) / u;
}

/** expm1(x)/x, 1 at x = 0. */
function exprel(x: number): number {
  return x === 0 ? 1 : Math.expm1(x) / x;
}

/**
 * The divided difference (ln|Γ(x + e)| − ln|Γ(x)|) / e, equal to ψ(x) at e = 0, accurate
 * for every |e| ≤ ½ (no cancellation as e → 0), and whether Γ(x + e) and Γ(x) differ in
 * sign. x must not be a non-positive integer, nor x + e.
 */
function psiDiff(x: number, e: number): { v: number; flip: boolean } {
  if (x < 0) {
    // Reflection, Γ(x)Γ(1 − x) = π / sin(πx) (DLMF 5.5.3):
    //   Γ(x + e)/Γ(x) = [sin(πx)/sin(π(x + e))] · Γ(1 − x)/Γ(1 − x − e),
    //   sin(π(x + e))/sin(πx) = cos(πe) + cot(πx) sin(πe) = 1 + u,
    // so the difference is −ln|1 + u|/e plus the one at 1 − x with step −e
    // (at e = 0: ψ(x) = ψ(1 − x) − π cot(πx), DLMF 5.5.4).
    const cot = cospi(x) / sinpi(x);
    let head: number;
    let flip = false;
    if (e === 0) {
      head = -Math.PI * cot;
    } else {
      const half = sinpi(e / 2);
      const u = -2 * half * half + cot * sinpi(e);
      if (u > -1) head = -Math.log1p(u) / e;
      else {
        head = -Math.log(-(1 + u)) / e;
        flip = true;
      }
    }
    const rest = psiDiff(1 - x, -e);
    return { v: head + rest.v, flip: flip !== rest.flip };
  }
  // Up to x ≥ 10 by Γ(x + 1) = x Γ(x) (DLMF 5.5.1): each step adds ln|1 + e/x| / e
  // (1/x at e = 0, ψ(x + 1) = ψ(x) + 1/x, DLMF 5.5.2). At most 10 steps, as x ≥ 0.
  let acc = 0;
  let flip = false;
  let xs = x;
  while (xs < LARGE) {
    if (e === 0) acc -= 1 / xs;
    else {
      const u = e / xs;
      if (u > -1) acc -= Math.log1p(u) / e;
      else {
        acc -= Math.log(-(1 + u)) / e;
        flip = !flip;
      }
    }
    xs += 1;
  }
  // Stirling (DLMF 5.11.1) at xs and y = xs + e:
  //   [(y − ½) ln y − (xs − ½) ln xs − e] / e = (xs − ½)/xs · log1p(e/xs)/(e/xs) + ln y − 1,
  // and the divided difference of S, term by term with
  //   (y^{−n} − xs^{−n}) / (y − xs) = −Σ_{i=0}^{n−1} xs^{−(n−i)} y^{−(i+1)}
  // (at e = 0 this is ln x − 1/(2x) + S'(x), the asymptotic series of ψ, DLMF 5.15.8).
  const y = xs + e;
  const p = 1 / xs;
  const q = 1 / y;
  let h = 1; // complete homogeneous polynomial h_k(p, q) = Σ_{i=0}^{k} p^{k−i} q^i
  let qk = 1;
  let ds = (STIRLING[0] as number) * h;
  for (let k = 1; k < 2 * STIRLING.length - 1; k++) {
    qk *= q;
    h = p * h + qk;
    if (k % 2 === 0) ds += (STIRLING[k / 2] as number) * h;
  }
  ds *= -p * q;
  return { v: acc + ((xs - 0.5) / xs) * log1pOverX(e / xs) + Math.log(y) - 1 + ds, flip };
}

/**
 * The power series Σ (a)_k (b)_k / ((c)_k k!) z^k (DLMF 15.2.1, A&S 15.1.1), summed until
 * the remaining tail, bounded by the current term times ρ/(1 − ρ) with ρ the larger of
 * the next term ratio and z, is below TAIL of the sum; at most `cap` terms. Terminates by
 * itself when a or b is a non-positive integer.
 */
function powerSeries(a: number, b: number, c: number, z: number, cap: number): Scaled {
  let term = 1;
  let sum = 1;
  let abs = 1;
  // Past this index all of a + k, b + k, c + k are positive: the term ratio has settled.
  const settled = Math.max(0, -a, -b, -c);
  for (let k = 0; k < cap; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    const t = Math.abs(term);
    abs += t;
    if (term === 0) return { value: sum, log: 0, err: seriesError(abs, sum, k) };
    if (!Number.isFinite(sum)) return { value: sum, log: 0, err: 0 };
    if (t <= TAIL * Math.abs(sum) && k >= settled) {
      const next = Math.abs((((a + k + 1) * (b + k + 1)) / ((c + k + 1) * (k + 2))) * z);
      const rho = Math.max(next, Math.abs(z));
      if (rho < 1 && t * rho <= TAIL * Math.abs(sum) * (1 - rho)) return { value: sum, log: 0, err: seriesError(abs, sum, k) };
    }
  }
  return { value: sum, log: 0, err: Infinity };
}

/** Error estimate of a sum: cancellation (Σ|t| / |Σt|) times the rounding of one term, which drifts with the number of terms. */
function seriesError(abs: number, sum: number, terms: number): number {
  return (EPS * (abs / Math.abs(sum)) * (4 + Math.sqrt(terms))) / 4;
}

/**
 * A rough count of the terms the power series of 2F1(p, q; c; z) needs: past the hump
 * (the largest k where the term ratio (p + k)(q + k) z / ((c + k)(k + 1)) is still ≥ 1,
 * a quadratic in k), then a tail that falls like z^k k^{−(c−p−q)−1} by 1e−17.
 */
function seriesCost(p: number, q: number, c: number, z: number, w: number, d: number): number {
  const qa = w;
  const qb = c + 1 - (p + q) * z;
  const qc = c - p * q * z;
  const disc = qb * qb - 4 * qa * qc;
  const hump = disc > 0 ? Math.max(0, (-qb + Math.sqrt(disc)) / (2 * qa)) : 0;
  const start = hump + Math.max(0, -p, -q, -c);
  const lnz = z < 0.5 ? -Math.log(z) : -Math.log1p(-w);
  const geometric = 40 / lnz;
  const scale = start + 1 + Math.max(Math.abs(p), Math.abs(q), Math.abs(c));
  const algebraic = d + 1 > 0 ? scale * Math.expm1(Math.min(40 / (d + 1), 50)) : Infinity;
  return start + Math.min(geometric, algebraic) + 1;
}

/**
 * Evaluates 2F1(a, b; c; z) for 0 < z < 1 (possibly z rounded to 1 with w = 1 − z tiny),
 * given c − a, c − b and c − a − b = dh + dl exactly or as well as known, and w = 1 − z
 * computed without cancellation.
 */
function inUnitInterval(a: number, b: number, c: number, cma: number, cmb: number, dh: number, dl: number, z: number, w: number): Scaled {
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) return polynomial(a, b, c, cma, cmb, z, w);
  if (isNonPositiveInteger(cma) || isNonPositiveInteger(cmb)) {
    // Euler (DLMF 15.8.1, A&S 15.3.3) turns it into a polynomial times (1 − z)^{c−a−b}.
    const r = polynomial(cma, cmb, c, a, b, z, w);
    return { value: r.value, log: r.log, wExp: dh + dl, err: r.err };
  }

  const d = dh + dl;
  type Method = { cost: number; run: (cap: number) => Scaled };
  const methods: Method[] = [
    { cost: z < 1 ? seriesCost(a, b, c, z, w, d) : Infinity, run: (cap) => powerSeries(a, b, c, z, cap) },
    {
      cost: z < 1 ? seriesCost(cma, cmb, c, z, w, -d) : Infinity,
      run: (cap) => {
        // Euler (DLMF 15.8.1, A&S 15.3.3): 2F1(a, b; c; z) = (1 − z)^{c−a−b} 2F1(c − a, c − b; c; z).
        const r = powerSeries(cma, cmb, c, z, cap);
        return { value: r.value, log: 0, wExp: d, err: r.err };
      },
    },
  ];
  if (z > 0.5) methods.push({ cost: nearOneCost(a, b, cma, cmb, dh, z, w), run: (cap) => nearOneAnyD(a, b, c, cma, cmb, dh, dl, w, cap) });
  if (w < 0.5 * ODE_START) methods.push({ cost: odeCost(a, b, c, cma, cmb, d, w), run: () => continueToOne(a, b, c, cma, cmb, dh, dl, w) });
  methods.sort((x, y) => (x.cost < y.cost ? -1 : x.cost > y.cost ? 1 : 0));

  let best: Scaled | undefined;
  for (const method of methods) {
    if (best !== undefined && method.cost > MAX_TERMS) break;
    const r = method.run(MAX_TERMS);
    if (!Number.isFinite(r.value)) return r; // overflow: the true value is out of range too
    if (r.err <= GOOD) return r;
    if (best === undefined || r.err < best.err) best = r;
  }
  if (best !== undefined && best.err > FALLBACK && z <= 0.9) {
    // Every series cancels (typically a small negative a against large b and c: a
    // Jacobi-type function, oscillating in z): the differential equation from z = 0.
    const ode = continueFromZero(a, b, c, z);
    if (ode.err < best.err) best = ode;
  }
  if (best !== undefined && best.err < Infinity) return best;
  // Nothing converged within the usual cap (far outside the models' ranges): one last,
  // longer but still bounded, attempt with the cheapest evaluation.
  return (methods[0] as Method).run(50 * MAX_TERMS);
}

/** Where `continueToOne` starts: z1 = 1 − ODE_START. */
const ODE_START = 0.1;

/** Terms-equivalent cost of `continueToOne`: the series at z1, then about one Taylor step of ~60 terms per halving of 1 − z. */
function odeCost(a: number, b: number, c: number, cma: number, cmb: number, d: number, w: number): number {
  const z1 = 1 - ODE_START;
  const start = Math.min(seriesCost(a, b, c, z1, ODE_START, d), seriesCost(cma, cmb, c, z1, ODE_START, -d));
  return 2 * start + 200 * (Math.log2(ODE_START / w) + 1);
}

/**
 * Σ t_k and Σ k t_k of the power series of 2F1(a, b; c; z) (DLMF 15.2.1), i.e. F and z F'.
 * Same stopping rule and cap as `powerSeries`.
 */
function seriesWithDerivative(a: number, b: number, c: number, z: number, cap: number): { f: number; zdf: number; err: number } {
  let term = 1;
  let sum = 1;
  let dsum = 0;
  let abs = 1;
  let dabs = 0;
  const settled = Math.max(0, -a, -b, -c);
  for (let k = 0; k < cap; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    dsum += (k + 1) * term;
    const t = Math.abs(term);
    abs += t;
    dabs += (k + 1) * t;
    if (term === 0 || !Number.isFinite(sum)) break;
    if ((k + 1) * t <= TAIL * Math.min(Math.abs(sum), Math.abs(dsum)) && k >= settled) {
      const next = Math.abs((((a + k + 1) * (b + k + 1)) / ((c + k + 1) * (k + 2))) * z);
      const rho = Math.max(next, Math.abs(z)) * (1 + 1 / (k + 1));
      if (rho < 1 && (k + 1) * t * rho <= TAIL * Math.min(Math.abs(sum), Math.abs(dsum)) * (1 - rho)) {
        return { f: sum, zdf: dsum, err: Math.max(seriesError(abs, sum, k), seriesError(dabs, dsum, k)) };
      }
    }
    if (k === cap - 1) return { f: sum, zdf: dsum, err: Infinity };
  }
  return { f: sum, zdf: dsum, err: Math.max(seriesError(abs, sum, cap), seriesError(dabs, dsum, cap)) };
}

/**
 * Analytic continuation toward z = 1 along the real axis, for z close to 1 when both the
 * power series (about 40/(1 − z) terms) and the 1 − z formula (which cancels when
 * a b (1 − z) ≫ 1: the logarithmic or power behaviour at z = 1 has not set in yet) are
 * poor. F and F′ are summed at z1 = 0.9 (DLMF 15.2.1, or after Euler's transformation,
 * DLMF 15.8.1), then carried to z by Taylor steps of the hypergeometric equation
 *   z(1 − z) F″ + [c − (a + b + 1) z] F′ − a b F = 0        (DLMF 15.10.1, A&S 15.5.1),
 * whose Taylor coefficients at z0 (w0 = 1 − z0) satisfy, from the equation term by term,
 *   z0 w0 (n+1)(n+2) f_{n+2} = (n+a)(n+b) f_n − (n+1) [(1 − 2 z0) n + c − (a+b+1) z0] f_{n+1}.
 * Each step is half the distance to the singularity at z = 1 (so the Taylor series
 * converges like 2^{−n}). Toward z = 1 the solution 2F1 is (or shares the growth of) the
 * dominant one, (1 − z)^{c−a−b}, ln(1 − z) or 1, so errors introduced along the way do
 * not grow relative to it.
 */
function continueToOne(a: number, b: number, c: number, cma: number, cmb: number, dh: number, dl: number, w: number): Scaled {
  const d = dh + dl;
  const w1 = ODE_START;
  const z1 = 1 - w1;
  let f: number;
  let df: number;
  let log = 0;
  let err: number;
  if (seriesCost(a, b, c, z1, w1, d) <= seriesCost(cma, cmb, c, z1, w1, -d)) {
    const s = seriesWithDerivative(a, b, c, z1, MAX_TERMS);
    f = s.f;
    df = s.zdf / z1;
    err = s.err;
  } else {
    // Euler (DLMF 15.8.1): F = w^d E with E = 2F1(c − a, c − b; c; z), so F′ = w^d (E′ − d E / w).
    const s = seriesWithDerivative(cma, cmb, c, z1, MAX_TERMS);
    f = s.f;
    df = s.zdf / z1 - (d * s.f) / w1;
    log = eulerLog(dh, dl, w1);
    err = s.err + (EPS * (Math.abs(s.zdf / z1) + Math.abs((d * s.f) / w1))) / Math.abs(df);
  }
  if (!(err < Infinity)) return { value: f, log, err: Infinity };
  const ab1 = a + b + 1;
  let wj = w1;
  for (let step = 0; step < 200 && wj > w; step++) {
    const last = wj <= 2 * w;
    const h = last ? wj - w : 0.5 * wj; // step in z; w decreases by h
    const z0 = 1 - wj; // exact: wj ≤ ½
    // c − (a + b + 1) z0 = (c − a − b − 1) + (a + b + 1) w0, with c − a − b exact.
    const step1 = taylorStep(a, b, z0 * wj, 2 * wj - 1, dh - 1 + dl + ab1 * wj, f, df, h);
    f = step1.f;
    df = step1.df;
    err += step1.err;
    wj = last ? w : wj - h;
    const size = Math.abs(f);
    if (size > 1e200 || (size < 1e-200 && size > 0)) {
      log += Math.log(size);
      df /= size;
      f /= size;
    }
    if (!Number.isFinite(f) || !Number.isFinite(df)) return { value: f, log, err: Infinity };
  }
  return { value: f, log, err };
}

/**
 * One Taylor step of the hypergeometric equation z(1 − z) F″ + [c − (a+b+1) z] F′ − ab F = 0
 * (DLMF 15.10.1) from z0 to z0 + h, given F and F′ at z0. With the coefficients f_n of
 * F(z0 + t) = Σ f_n t^n, the equation gives, term by term in t,
 *   z0(1 − z0)(n+1)(n+2) f_{n+2} = (n+a)(n+b) f_n − (n+1)[(1 − 2z0) n + c − (a+b+1) z0] f_{n+1},
 * summed here as u_n = f_n h^n. `zw` = z0(1 − z0), `q1` = 1 − 2 z0, `p0` = c − (a+b+1) z0.
 */
function taylorStep(a: number, b: number, zw: number, q1: number, p0: number, f: number, df: number, h: number): { f: number; df: number; err: number } {
  let u0 = f;
  let u1 = df * h;
  let sumF = u0 + u1;
  let sumD = u1;
  let absF = Math.abs(u0) + Math.abs(u1);
  let absD = Math.abs(u1);
  let small = 0;
  for (let n = 0; n < 1000; n++) {
    const u2 = ((n + a) * (n + b) * h * h * u0 - (n + 1) * h * (q1 * n + p0) * u1) / (zw * (n + 1) * (n + 2));
    sumF += u2;
    sumD += (n + 2) * u2;
    const t = Math.abs(u2);
    absF += t;
    absD += (n + 2) * t;
    u0 = u1;
    u1 = u2;
    if ((n + 2) * t <= TAIL * Math.max(Math.abs(sumF), Math.abs(sumD))) {
      if (++small >= 2) break;
    } else small = 0;
  }
  return { f: sumF, df: sumD / h, err: (EPS * (absF + absD)) / (Math.abs(sumF) + Math.abs(sumD)) };
}

/**
 * For z < 0 where every series cancels (c below a and b, both large: the function
 * oscillates in z, the Jacobi-function regime): F and F′ from the power series at a small
 * z_s < 0 where it converges with term ratio ≤ ½ (DLMF 15.2.1), then Taylor steps of the
 * hypergeometric equation (`taylorStep`) out to z. Each step is at most half the distance
 * to the singularity at 0 and at most 2 / (local rate), the rate being the larger of
 * √|ab / (z(1 − z))| (the oscillation) and |c − (a+b+1)z| / (2|z(1 − z)|) (the drift), so
 * every Taylor series converges quickly. Starting from the regular solution at 0, where
 * the other solution z^{1−c}(…) is the one that fades, and with both solutions of equal
 * size where they oscillate, the errors do not grow faster than the function's own
 * condition number.
 */
function continueFromZero(a: number, b: number, c: number, z: number): Scaled {
  let ratio = Math.abs((a * b) / c);
  for (let k = 1; k <= Math.max(1, Math.ceil(-c) + 1) && k < 10; k++) ratio = Math.max(ratio, Math.abs(((a + k) * (b + k)) / ((c + k) * (k + 1))));
  const sign = z < 0 ? -1 : 1;
  const zs = sign * Math.min(Math.abs(z), 0.5 / Math.max(ratio, 1));
  const start = seriesWithDerivative(a, b, c, zs, MAX_TERMS);
  let f = start.f;
  let df = start.zdf / zs;
  let err = start.err;
  let log = 0;
  let z0 = zs;
  const ab = a * b;
  const ab1 = a + b + 1;
  for (let step = 0; step < 20000 && z0 !== z; step++) {
    const zw = z0 * (1 - z0);
    const p0 = c - ab1 * z0;
    const rate = Math.max(Math.sqrt(Math.abs(ab / zw)), Math.abs(p0 / zw) / 2);
    // At most half the distance to the nearer singular point (0, and 1 when z > 0).
    let h = sign * Math.min(0.5 * Math.abs(z0), sign > 0 ? 0.5 * (1 - z0) : Infinity, 2 / rate);
    const last = sign * (z0 + h - z) >= 0;
    if (last) h = z - z0;
    const next = taylorStep(a, b, zw, 1 - 2 * z0, p0, f, df, h);
    f = next.f;
    df = next.df;
    err += next.err;
    z0 = last ? z : z0 + h;
    const size = Math.abs(f);
    if (size > 1e200 || (size < 1e-200 && size > 0)) {
      log += Math.log(size);
      df /= size;
      f /= size;
    }
    if (!Number.isFinite(f) || !Number.isFinite(df) || f === 0) return { value: f, log, err: Infinity };
  }
  return { value: f, log, err: z0 === z ? err : Infinity };
}

/** ln of Euler's factor (1 − z)^{c−a−b}, with c − a − b = dh + dl. */
function eulerLog(dh: number, dl: number, w: number): number {
  const lnw = Math.log(w);
  return dh * lnw + dl * lnw;
}

/**
 * A terminating series: a (or b) = −n. Either the finite sum itself (DLMF 15.2.1) or, for
 * z > ½ when it cancels less, DLMF 15.8.7:
 *   2F1(−n, b; c; z) = (c − b)_n / (c)_n · 2F1(−n, b; b − c − n + 1; 1 − z).
 * `cma`/`cmb` are c − a and c − b.
 */
function polynomial(a: number, b: number, c: number, _cma: number, cmb: number, z: number, w: number): Scaled {
  if (!isNonPositiveInteger(a) || (isNonPositiveInteger(b) && b > a)) return polynomial(b, a, c, cmb, _cma, z, w);
  const direct = powerSeries(a, b, c, z, MAX_TERMS);
  if (z <= 0.5 || direct.err <= GOOD) return direct;
  const n = -a;
  const c2 = b - c - n + 1;
  if (isNonPositiveInteger(c2) && -c2 < n) return direct; // 15.8.7 would divide by zero
  let ratio = 1;
  for (let k = 0; k < n; k++) ratio *= (cmb + k) / (c + k);
  const flipped = powerSeries(a, b, c2, w, MAX_TERMS);
  const alt = { value: ratio * flipped.value, log: 0, err: flipped.err + 2 * n * EPS };
  return alt.err < direct.err ? alt : direct;
}

/** Terms-equivalent cost of `nearOneAnyD`: a fixed set-up (gamma and digamma-type functions) plus its two sums. */
function nearOneCost(a: number, b: number, cma: number, cmb: number, dh: number, z: number, w: number): number {
  if (dh < -0.5) return nearOneCost(cma, cmb, a, b, -dh, z, w);
  const m = Math.round(dh);
  if (m > 2000) return Infinity;
  return 60 + m + 1.5 * seriesCost(a + m, b + m, m + 1, w, z, 1 - a - b - m);
}

/** `nearOne`, after Euler's transformation (DLMF 15.8.1, A&S 15.3.3) when c − a − b < −½. */
function nearOneAnyD(a: number, b: number, c: number, cma: number, cmb: number, dh: number, dl: number, w: number, cap: number): Scaled {
  if (dh >= -0.5) return nearOne(a, b, c, cma, cmb, dh, dl, w, cap);
  // 2F1(a, b; c; z) = (1 − z)^{c−a−b} 2F1(c − a, c − b; c; z), and in the new function
  // c − a' = a, c − b' = b and c − a' − b' = −(c − a − b), all exact.
  const r = nearOne(cma, cmb, c, a, b, -dh, -dl, w, cap);
  return { value: r.value, log: r.log, wExp: dh + dl, err: r.err };
}

/**
 * 2F1(a, b; c; z) near z = 1 by the 1 − z connection formula, for c − a − b = m + ε with m
 * a non-negative integer and |ε| ≤ ½ (a, b, c − a, c − b not non-positive integers).
 *
 * A&S 15.3.6 (DLMF 15.8.4), w = 1 − z:
 *   F = Γ(c)Γ(m+ε)/(Γ(c−a)Γ(c−b)) · 2F1(a, b; 1−m−ε; w)
 *     + Γ(c)Γ(−m−ε)/(Γ(a)Γ(b)) · w^{m+ε} 2F1(c−a, c−b; 1+m+ε; w).
 * Both terms have poles at ε = 0 that cancel, so the formula is rearranged. Write
 * u_n = (a)_n (b)_n w^n / n!. The terms n < m of the first series are regular; those
 * n = m + k, together with the whole second series, combine (using Γ(ε)Γ(1−ε) = π/sin πε,
 * DLMF 5.5.3, and (1−m−ε)_m = (−1)^m Γ(m+ε)/Γ(ε)) into
 *   F = Γ(c)/(Γ(c−a)Γ(c−b)) · [ Γ(m+ε) Σ_{n<m} u_n/(1−m−ε)_n
 *                              − (−1)^m Γ(1+ε) u_m Σ_k w^k ĝ_k E_k ],
 *   ĝ_k = (a+m)_k (b+m)_k / ((m+1)_k (1−ε)_k),
 *   E_k = (g_k(ε)/g_k(0) − 1)/ε,  g_k(t) = Γ(a+m+k+t) Γ(b+m+k+t) w^t / (Γ(m+k+1+t) Γ(k+1+t−ε)),
 * which is exact for every ε (no limit is taken) and has no 1/ε anywhere. E_k is a divided
 * difference of log-gamma functions (`psiDiff`); at ε = 0 it is
 *   E_k = ψ(a+m+k) + ψ(b+m+k) − ψ(m+k+1) − ψ(k+1) + ln w,
 * and the formula is exactly A&S 15.3.10 (m = 0) and 15.3.11 (m ≥ 1), DLMF 15.8.10.
 * E_k follows from E_0 by the exact recurrence
 *   E_{k+1} = E_k q_k + (q_k − 1)/ε,  q_k = (A+ε)(B+ε) M (K−ε) / (A B (M+ε) K),
 * A = a+m+k, B = b+m+k, M = m+k+1, K = k+1, where (q_k − 1)/ε is expanded as a polynomial
 * in ε so that it too has no cancellation; the sum carries H_k = ĝ_k E_k w^k directly.
 * For m = 0 the first sum is empty and Γ(m+ε) is not needed.
 */
function nearOne(a: number, b: number, c: number, cma: number, cmb: number, dh: number, dl: number, w: number, cap: number): Scaled {
  const m = Math.max(0, Math.round(dh));
  const eps = dh - m + dl; // dh − m is exact
  const lnw = Math.log(w);

  // Finite part: S1 = Σ_{n<m} u_n/(1−m−ε)_n; on leaving, v = (−1)^m u_m / Π_{j=1}^{m−1} (j+ε),
  // the factor that carries the infinite part once Γ(m+ε) is taken out (for m = 0, v = 1).
  let v = 1;
  let s1 = 0;
  let s1abs = 0;
  for (let n = 0; n < m; n++) {
    s1 += v;
    s1abs += Math.abs(v);
    v *= ((a + n) * (b + n) * w) / ((n + 1) * (n === m - 1 ? -1 : n + 1 - m - eps));
  }

  // E_0 = (s·e^{D} − 1)/ε with D = ln|g_0(ε)/g_0(0)| and s the sign of g_0(ε)/g_0(0).
  const pa = psiDiff(a + m, eps);
  const pb = psiDiff(b + m, eps);
  const dOverEps = pa.v + pb.v - psiDiff(m + 1, eps).v - psiDiff(1, -eps).v + lnw;
  const e0 = pa.flip === pb.flip ? dOverEps * exprel(eps * dOverEps) : (-Math.exp(eps * dOverEps) - 1) / eps;

  // Infinite part S2 = Σ_k H_k with g = ĝ_k w^k, H = g E_k.
  let g = 1;
  let h = e0;
  let s2 = h;
  const psiScale = 1 + Math.abs(lnw) + Math.abs(pa.v) + Math.abs(pb.v);
  let s2abs = Math.abs(h) + psiScale;
  let converged = false;
  for (let k = 0; k < cap; k++) {
    const A = a + m + k;
    const B = b + m + k;
    const M = m + k + 1;
    const K = k + 1;
    const n = (A + B) * M * K - A * B * (M + K) + eps * (M * K - (A + B) * M) - eps * eps * M;
    const hNext = (h * ((A + eps) * (B + eps)) * w) / ((M + eps) * K) + (g * n * w) / (M * (M + eps) * K * (K - eps));
    const ratio = ((A * B) / (M * (K - eps))) * w;
    g *= ratio;
    h = hNext;
    s2 += h;
    const size = Math.abs(h) + Math.abs(g) * psiScale;
    s2abs += size;
    if (!Number.isFinite(s2)) break;
    if (size <= TAIL * Math.abs(s2) && k + 1 >= Math.max(0, -a - m, -b - m)) {
      const rho = Math.max(Math.abs(ratio), w);
      if (rho < 1 && size * rho <= TAIL * Math.abs(s2) * (1 - rho)) {
        converged = true;
        break;
      }
    }
  }

  const bracket = m === 0 ? -s2 : s1 - v * s2;
  const bracketAbs = m === 0 ? s2abs : s1abs + Math.abs(v) * s2abs;
  const pre = gammaRatio(m === 0 ? [c, 1 + eps] : [c, dh], [cma, cmb]);
  const err = converged ? 8 * EPS + (EPS * bracketAbs) / Math.abs(bracket) : Infinity;
  return { value: pre.value * bracket, log: pre.log, err };
}

/**
 * For z < 0 and c < min(a, b), where the Pfaff series (1 − z)^{−a} 2F1(a, c − b; c; x),
 * x = z/(z − 1), has terms of both signs that cancel: with p = max(a, b), q = min(a, b),
 *   2F1(a, b; c'; z) = (1 − z)^{−p} G(c'),  G(c') = 2F1(p, c' − q; c'; x)   (DLMF 15.8.1),
 * whose series has positive terms once c' ≥ q. G is computed at c' = c + n and c + n + 1
 * (n = ⌈q − c⌉) and carried down to c by the contiguous relation in c (DLMF 15.5.18)
 *   c(c−1)(z−1) F(c−1) + c[c−1−(2c−a−b−1)z] F(c) + (c−a)(c−b)z F(c+1) = 0,
 * which (1 − z)^{−p} G also satisfies. For z < 0, 2F1 is the minimal solution as c → ∞
 * (the other solution grows like (1 − 1/z)^c), so the downward recurrence is stable there;
 * closer to the turning points it need not be, so it is run from two starting heights and
 * the disagreement is the error estimate.
 */
function recurrenceInC(a: number, b: number, c: number, z: number, oneMinusZ: number, x: number, oneMinusX: number): Scaled {
  const p = Math.max(a, b);
  const q = Math.min(a, b);
  const n = Math.ceil(q - c);
  if (!(p > 0) || n > 2000) return { value: NaN, log: 0, err: Infinity };
  const run = (steps: number): Scaled => {
    const top = c + steps;
    const [dh, dl] = sum3(q, -p, 0); // c' − p − (c' − q) = q − p
    const g0 = inUnitInterval(p, top - q, top, top - p, q, dh, dl, x, oneMinusX);
    const g1 = inUnitInterval(p, top + 1 - q, top + 1, top + 1 - p, q, dh, dl, x, oneMinusX);
    const lnw = -Math.log(oneMinusZ); // ln(1 − x)
    let lower = g0.value;
    let upper = g1.value * Math.exp(g1.log - g0.log + ((g1.wExp ?? 0) - (g0.wExp ?? 0)) * lnw);
    let log = g0.log + ((g0.wExp ?? 0) + p) * -Math.log(oneMinusZ);
    for (let j = steps; j > 0; j--) {
      const cc = c + j; // lower = G(cc), upper = G(cc + 1)
      const next = -(cc * (cc - 1 - (2 * cc - a - b - 1) * z) * lower + (cc - a) * (cc - b) * z * upper) / (cc * (cc - 1) * (z - 1));
      upper = lower;
      lower = next;
      const size = Math.abs(lower);
      if (size > 1e200 || (size < 1e-200 && size > 0)) {
        const scale = Math.log(size);
        lower /= size;
        upper /= size;
        log += scale;
      }
    }
    return { value: lower, log, err: Math.max(g0.err, g1.err) + steps * EPS };
  };
  const first = run(n);
  const second = run(n + 12);
  const disagreement = Math.abs(first.value - second.value * Math.exp(second.log - first.log)) / Math.abs(first.value);
  return { value: first.value, log: first.log, err: first.err + disagreement };
}

/** 2F1(a, b; c; 1). */
function atOne(a: number, b: number, c: number, cma: number, cmb: number, dh: number, dl: number): number {
  // Chu–Vandermonde (DLMF 15.4.24): 2F1(−n, b; c; 1) = (c − b)_n / (c)_n.
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) {
    const [n, rest] = isNonPositiveInteger(a) && (!isNonPositiveInteger(b) || a >= b) ? [-a, cmb] : [-b, cma];
    if (n > 1000) {
      const r = gammaRatio([rest + n, c], [rest, c + n]);
      return finish(r.log, r.value);
    }
    let ratio = 1;
    for (let k = 0; k < n; k++) ratio *= (rest + k) / (c + k);
    return ratio;
  }
  if (dh > 0 || (dh === 0 && dl > 0)) {
    // Gauss (DLMF 15.4.20, A&S 15.1.20): Γ(c)Γ(c − a − b) / (Γ(c − a)Γ(c − b)).
    const r = gammaRatio([c, dh], [cma, cmb]);
    return finish(r.log, r.value);
  }
  // Divergent: as z → 1⁻, 2F1 ~ Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) (1−z)^{c−a−b} when c − a − b < 0
  // (DLMF 15.4.23), ~ −Γ(a+b)/(Γ(a)Γ(b)) ln(1−z) when c = a + b (DLMF 15.4.21): an infinity
  // with the sign of the coefficient.
  const s = gammaSign(c) * gammaSign(a) * gammaSign(b) * (dh === 0 && dl === 0 ? 1 : gammaSign(-dh));
  return s * Infinity;
}
