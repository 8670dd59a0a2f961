import { describeNumber, notANumber } from "../core/errors";
import type { FitLimits, FitResult } from "../core/fitting/maximumLikelihood";

/**
 * A fit answers within about 2 s, or #NUM! saying the data were too large: the likelihood
 * is not evaluated after 1.6 s from the call, nor once an evaluation at the pace of the last
 * would end past that: what remains is the reading of the rows and the first evaluation
 * (together about 1.5 s on a million distinct customers).
 */
export const fitLimits = (): FitLimits => ({ deadline: Date.now() + 1600, budgetSeconds: 2, maxDistinctRows: MAX_DISTINCT_ROWS });

/** Distinct customer rows a purchase-model fit takes on within its budget (the 1,000,000-customer benchmark has 277,137). */
export const MAX_DISTINCT_ROWS = 400_000;

/** What usually fixes a degenerate fit of a purchase model. */
export const FIT_REMEDY = "This happens with few customers, or customers who all look alike (the same frequency, recency and T): fit on more customers whose histories differ.";

/** What usually fixes a degenerate sBG fit. */
export const SBG_REMEDY = "This happens with one small cohort, or cohorts that lose no one or everyone at once: fit on more cohorts, or on more periods of each.";

/**
 * A fit as the _FIT functions spill it: one row of parameters; with details, a row of
 * standard errors (empty where they cannot be computed) and a row holding the
 * log-likelihood and the number of iterations. A fit that did not converge is an error,
 * never a row of numbers.
 */
export function fitTable<Name extends string>(fit: FitResult<Name>, names: readonly string[], details: boolean, remedy = FIT_REMEDY): (number | string)[][] {
  if (fit.degenerate) throw notANumber(`the data do not determine the model: ${fit.degenerate}. ${remedy}`);
  if (!fit.converged) {
    throw notANumber(`the fit did not converge (${fit.reason} after ${fit.iterations} iterations; log-likelihood ${describeNumber(fit.logLikelihood)})`);
  }
  const params = names.map((n) => fit.params[n as Name]);
  if (!details) return [params];
  const pad = (row: (number | string)[]) => [...row, ...new Array<string>(Math.max(0, names.length - row.length)).fill("")];
  const errors = names.map((n) => (fit.standardErrors ? fit.standardErrors[n as Name] : ""));
  return [params, errors, pad([fit.logLikelihood, fit.iterations])];
}
