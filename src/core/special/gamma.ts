/**
 * Gamma-family special functions, from stdlib (github.com/stdlib-js/stdlib), whose
 * implementations follow Boost and Cephes and are tested against their reference values.
 */
import betaln from "@stdlib/math-base-special-betaln";
import digammaStdlib from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";

/** ln Γ(x) for x > 0 (ln |Γ(x)| elsewhere). */
export const logGamma: (x: number) => number = gammaln;
/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b), without the cancellation of that sum. */
export const logBeta: (a: number, b: number) => number = betaln;
/** ψ(x) = d/dx ln Γ(x). */
export const digamma: (x: number) => number = digammaStdlib;
/**
 * ψ′(x) for x > 0, the only arguments the models produce: the recurrence ψ′(x) = ψ′(x+1) + 1/x²
 * up to x ≥ 10, then the asymptotic series 1/x + 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹ to B₁₄ (Abramowitz &
 * Stegun 6.4.12), whose next term is below 1e-16 relative there. Written here rather than
 * taken from stdlib, whose version covers negative arguments by reflection and brings
 * 10 KiB of trigonometry into the functions bundle.
 */
export function trigamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  let sum = 0;
  let y = x;
  while (y < 10) {
    sum += 1 / (y * y);
    y += 1;
  }
  const z = 1 / (y * y);
  const series = 1 / 6 + z * (-1 / 30 + z * (1 / 42 + z * (-1 / 30 + z * (5 / 66 + z * (-691 / 2730 + z * (7 / 6))))));
  return sum + (1 + (0.5 + series / y) / y) / y;
}
