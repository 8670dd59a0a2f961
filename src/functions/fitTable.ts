import { describeNumber, notANumber } from "../core/errors";
import type { FitResult } from "../core/fitting/maximumLikelihood";

/**
 * A fit as the _FIT functions spill it: one row of parameters; with details, a row of
 * standard errors (empty where they cannot be computed) and a row holding the
 * log-likelihood and the number of iterations. A fit that did not converge is an error,
 * never a row of numbers.
 */
export function fitTable<Name extends string>(fit: FitResult<Name>, names: readonly string[], details: boolean): (number | string)[][] {
  if (!fit.converged) {
    throw notANumber(`the fit did not converge (${fit.reason} after ${fit.iterations} iterations; log-likelihood ${describeNumber(fit.logLikelihood)})`);
  }
  const params = names.map((n) => fit.params[n as Name]);
  if (!details) return [params];
  const pad = (row: (number | string)[]) => [...row, ...new Array<string>(Math.max(0, names.length - row.length)).fill("")];
  const errors = names.map((n) => (fit.standardErrors ? fit.standardErrors[n as Name] : ""));
  return [params, errors, pad([fit.logLikelihood, fit.iterations])];
}
