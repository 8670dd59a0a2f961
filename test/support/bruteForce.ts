/**
 * Independent, deliberately plain evaluations of the lifetime-value sums, term by term with
 * Math.pow: the definitions as written, to check the core's closed forms and running
 * products against.
 */
export function bruteForceClv(
  margin: (t: number) => number,
  retention: (t: number) => number,
  discountRate: number,
  periods: number,
  timing: "end" | "start",
  acquisitionCost = 0,
): number {
  const survival = (t: number) => {
    let s = 1;
    for (let i = 1; i <= t; i++) s *= retention(i);
    return s;
  };
  let total = 0;
  if (timing === "end") {
    for (let t = 1; t <= periods; t++) total += (margin(t) * survival(t)) / Math.pow(1 + discountRate, t);
  } else {
    for (let t = 0; t <= periods - 1; t++) total += (margin(t + 1) * survival(t)) / Math.pow(1 + discountRate, t);
  }
  return total - acquisitionCost;
}

export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}
