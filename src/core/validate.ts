import { formatCount, describeNumber, invalidValue } from "./errors";

/**
 * Domain rules for the quantities the models take. Each check names the argument as the
 * user typed it (`retention`, `discount_rate`), states the rule and shows the value given.
 */

/** A fraction between 0 and 1: a probability such as a retention rate. */
export type Probability = number & { readonly __unit: "probability" };
/** A rate per period as a fraction, greater than −1: 10% a month is 0.1. */
export type RatePerPeriod = number & { readonly __unit: "rate per period" };

export function requireFinite(name: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw invalidValue(`${name} must be a finite number; got ${describeNumber(value)}`);
  }
  return value;
}

export function requireProbability(name: string, value: number): Probability {
  requireFinite(name, value);
  if (value < 0 || value > 1) {
    const hint = value > 1 && value <= 100 ? ` (${describeNumber(value)}% is ${describeNumber(value / 100)})` : " (80% is 0.8)";
    throw invalidValue(`${name} must be between 0 and 1${hint}; got ${describeNumber(value)}`);
  }
  return value as Probability;
}

/**
 * A rate per period, as a fraction. Above 100% a period it is almost surely a percentage
 * typed as a whole number (10 for 10%), so it is refused rather than silently used.
 */
export function requireRate(name: string, value: number, maximum = 1): RatePerPeriod {
  requireFinite(name, value);
  if (value <= -1 || value > maximum) {
    const hint = value > maximum && value <= 100 ? `; ${describeNumber(value)}% is ${describeNumber(value / 100)}` : "";
    throw invalidValue(
      `${name} must be a fraction greater than -1 and at most ${describeNumber(maximum)} (10% is 0.1${hint}); got ${describeNumber(value)}`,
    );
  }
  return value as RatePerPeriod;
}

export function requireNonNegative(name: string, value: number): number {
  requireFinite(name, value);
  if (value < 0) throw invalidValue(`${name} must be zero or more; got ${describeNumber(value)}`);
  return value;
}

/** Largest horizon accepted: longer than any business plan, small enough to sum at once. */
export const MAX_PERIODS = 1_000_000;

export function requireWholeNumber(name: string, value: number, minimum: number, maximum = MAX_PERIODS): number {
  requireFinite(name, value);
  if (!Number.isInteger(value)) throw invalidValue(`${name} must be a whole number; got ${describeNumber(value)}`);
  if (value < minimum) throw invalidValue(`${name} must be at least ${minimum}; got ${describeNumber(value)}`);
  if (value > maximum) throw invalidValue(`${name} must be at most ${formatCount(maximum)}; got ${describeNumber(value)}`);
  return value;
}

export function requireChoice<T extends number>(name: string, value: number, choices: Record<T, string>): T {
  const allowed = Object.keys(choices).map(Number);
  if (!allowed.includes(value)) {
    const list = allowed.map((k) => `${k} (${choices[k as T]})`).join(", ");
    throw invalidValue(`${name} must be one of ${list}; got ${describeNumber(value)}`);
  }
  return value as T;
}

/**
 * A model's parameters as a named object, each a positive finite number; `source` names
 * where such a row comes from, for the message ("the result of LTV.BGNBD_FIT").
 */
export function positiveParams<Name extends string>(params: readonly number[], names: readonly Name[], source: string): Record<Name, number> {
  if (params.length !== names.length) {
    throw invalidValue(`params must be the ${names.length} values ${names.join(", ")} (${source}); got ${params.length}`);
  }
  const named = {} as Record<Name, number>;
  names.forEach((name, i) => {
    const v = params[i] as number;
    if (!(Number.isFinite(v) && v > 0)) throw invalidValue(`params: ${name} must be a positive number; got ${describeNumber(v)}`);
    named[name] = v;
  });
  return named;
}
