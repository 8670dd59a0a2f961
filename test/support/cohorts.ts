import { sbgSurvival } from "../../src/core/retention/shiftedBetaGeometric";

/** The economics the model tests build with: $50 a month at 60% margin, a $150 CAC, 10% a year, margins at the start. */
export const ECONOMICS = { revenue: 50, margin: 0.6, cac: 150, annualDiscount: 0.1, period: "month" as const, timing: "start" as const };

/** Survivors drawn from an sBG curve, rounded, for a triangle of `count` cohorts labelled 2025-01, 2025-02, … */
export function triangle(count: number, size: number, alpha: number, beta: number, maxAge: number) {
  return Array.from({ length: count }, (_, i) => {
    const age = Math.max(1, maxAge - i);
    return {
      label: `2025-${String(i + 1).padStart(2, "0")}`,
      customers: size,
      survivors: Array.from({ length: age }, (_, t) => Math.round(size * sbgSurvival({ alpha, beta }, t + 1))),
    };
  });
}
