import type { ValidationRule } from "./plan";

/*
 * What the input cells of a model sheet accept, shared by every model builder: each input's
 * data validation (which Excel enforces while typing, but a paste can bypass), the texts
 * Excel shows, and the conditions over its name that the sheet's InputCheck cell tests, so
 * that every result formula answers #N/A, never a number, while an input is out of its domain.
 */
/** The fill of the cells a user edits. */
export const INPUT_FILL = "#FFF2CC";

/** What an input cell accepts: its validation, the texts Excel shows, and the conditions the results check. */
export interface Accepts {
  rule: (at: string) => ValidationRule;
  prompt: { title: string; message: string };
  error: { title: string; message: string };
  /** Conditions over the input's name that must hold, each with the words that say what to fix. */
  checks: [condition: string, message: string][];
}

/** A numeric condition that is FALSE, not an error, when the cell holds text. */
export const numberWhere = (name: string, ...conditions: string[]) => `IF(ISNUMBER(${name}),AND(${conditions.join(",")}),FALSE)`;

export const accepts = (name: string, prompt: string, must: string, rule: (at: string) => ValidationRule, condition: string): Accepts => ({
  rule,
  prompt: { title: name, message: prompt },
  error: { title: `${name}: not accepted`, message: `${must}.` },
  checks: [[condition, must]],
});

export const amount = (name: string, what: string) =>
  accepts(name, `${what}, 0 or more.`, `${name} must be an amount, 0 or more`, () => ({ kind: "decimal", min: 0 }), numberWhere(name, `${name}>=0`));

export const fraction = (name: string, what: string) =>
  accepts(name, `${what}.`, `${name} must be a fraction from 0 to 1 (60% is 0.6)`, () => ({ kind: "decimal", min: 0, max: 1 }), numberWhere(name, `${name}>=0`, `${name}<=1`));

export const positive = (name: string, what: string) =>
  accepts(name, `${what}.`, `${name} must be a number above 0`, (at) => ({ kind: "custom", formula: `AND(ISNUMBER(${at}),${at}>0)` }), numberWhere(name, `${name}>0`));

export const whole = (name: string, min: number, max: number, what: string) =>
  accepts(name, `${what}.`, `${name} must be a whole number from ${min} to ${max}`, () => ({ kind: "whole", min, max }), numberWhere(name, `${name}=INT(${name})`, `${name}>=${min}`, `${name}<=${max}`));

export const annualRate = () =>
  accepts(
    "AnnualDiscount",
    "Discount rate per year, as a fraction (10% is 0.1), above -1 and at most 1.",
    "AnnualDiscount must be a yearly rate as a fraction, above -1 and at most 1 (10% is 0.1)",
    (at) => ({ kind: "custom", formula: `AND(ISNUMBER(${at}),${at}>-1,${at}<=1)` }),
    numberWhere("AnnualDiscount", "AnnualDiscount>-1", "AnnualDiscount<=1"),
  );

/** The sheet computes horizons up to the one it was built with; above, the results are errors and the check says to rebuild. */
export function horizon(built: number, unit: string): Accepts {
  const rebuild = `Horizon is above the ${built} ${unit}s this sheet was built for: rebuild the model with Lifetime with the longer horizon`;
  return {
    rule: () => ({ kind: "whole", min: 1, max: built }),
    prompt: { title: "Horizon", message: `${unit[0]!.toUpperCase()}${unit.slice(1)}s ahead to value, a whole number from 1 to ${built} (the horizon this sheet was built for).` },
    error: { title: "Horizon: not accepted", message: `This sheet computes horizons from 1 to ${built} ${unit}s. For a longer one, rebuild the model with Lifetime.` },
    checks: [
      [numberWhere("Horizon", "Horizon=INT(Horizon)", "Horizon>=1"), "Horizon must be a whole number of periods, at least 1"],
      [`Horizon<=${built}`, rebuild],
    ],
  };
}

export const timing = (what: string): Accepts => ({
  rule: () => ({ kind: "list", values: ["start", "end"] }),
  prompt: { title: "Timing", message: `When each period's ${what} arrives: "start" or "end" of the period.` },
  error: { title: "Timing: not accepted", message: 'Timing must be "start" or "end".' },
  // Typographic quotes in the message: a "" inside a formula's text is not read alike by every engine.
  checks: [['OR(Timing="start",Timing="end")', "Timing must be “start” or “end”"]],
});

/** The check cell's formula: the first condition that fails says what to fix, else "OK". */
export function checkFormula(checks: readonly [string, string][]): string {
  const quote = (text: string) => {
    if (text.includes('"')) throw new Error(`a check's message is text in a formula and must not hold a double quote: ${text}`);
    return `"${text}"`;
  };
  return `=${checks.reduceRight((rest, [condition, message]) => `IF(${condition},${rest},${quote(message)})`, '"OK"')}`;
}

export const FORMAT = { money: "#,##0.00", share: "0.00%", rate: "0.000%", count: "#,##0.0", number: "0.0000", whole: "0" };

