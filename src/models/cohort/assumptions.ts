import { z } from "zod";
import { sbgSurvival, type SbgParams } from "../../core/retention/shiftedBetaGeometric";
import type { CohortRow } from "./cohortCsv";

/**
 * A cohort model from assumptions instead of data: one cohort of a given size acquired each
 * period, the oldest `cohorts − 1` periods ago, each with the expected survivors of the
 * assumed retention curve. The curve is an sBG (α, β), or a constant retention r, which is
 * the sBG's limit α = (1 − r)K, β = rK as K → ∞; K = 10⁹ keeps every r_t within 10⁻⁶ of r
 * over 600 periods, and the workbook's formulas stay the sBG's.
 */
export const CONSTANT_RETENTION_SCALE = 1e9;

export const assumptionsSchema = z.object({
  kind: z.literal("assumptions"),
  cohorts: z.number().int("cohorts must be a whole number").min(1, "at least 1 cohort").max(600, "at most 600 cohorts"),
  customersPerCohort: z.number().positive("customers per cohort must be more than 0"),
  curve: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("constant"), retention: z.number().gt(0, "retention must be above 0").lt(1, "retention must be below 1 (80% is 0.8)") }),
    z.object({ kind: z.literal("sbg"), alpha: z.number().positive("alpha must be positive"), beta: z.number().positive("beta must be positive") }),
  ]),
});

export type Assumptions = z.infer<typeof assumptionsSchema>;

export function assumedParams(curve: Assumptions["curve"]): SbgParams {
  return curve.kind === "sbg"
    ? { alpha: curve.alpha, beta: curve.beta }
    : { alpha: (1 - curve.retention) * CONSTANT_RETENTION_SCALE, beta: curve.retention * CONSTANT_RETENTION_SCALE };
}

export function assumedCohorts(assumptions: Assumptions): CohortRow[] {
  const params = assumedParams(assumptions.curve);
  return Array.from({ length: assumptions.cohorts }, (_, i) => {
    const age = assumptions.cohorts - 1 - i;
    return {
      label: age === 0 ? "This period" : `${age} period${age === 1 ? "" : "s"} ago`,
      customers: assumptions.customersPerCohort,
      survivors: Array.from({ length: age }, (_, t) => assumptions.customersPerCohort * sbgSurvival(params, t + 1)),
    };
  });
}
