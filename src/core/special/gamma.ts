/**
 * Gamma-family special functions, from stdlib (github.com/stdlib-js/stdlib), whose
 * implementations follow Boost and Cephes and are tested against their reference values.
 */
import betaln from "@stdlib/math-base-special-betaln";
import digammaStdlib from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import trigammaStdlib from "@stdlib/math-base-special-trigamma";

/** ln Γ(x) for x > 0 (ln |Γ(x)| elsewhere). */
export const logGamma: (x: number) => number = gammaln;
/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b), without the cancellation of that sum. */
export const logBeta: (a: number, b: number) => number = betaln;
/** ψ(x) = d/dx ln Γ(x). */
export const digamma: (x: number) => number = digammaStdlib;
/** ψ′(x). */
export const trigamma: (x: number) => number = trigammaStdlib;
