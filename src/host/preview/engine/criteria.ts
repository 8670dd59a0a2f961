import { CellError, compare, parseNumber, type Scalar } from "./values";

/**
 * COUNTIF's and SUMIF's criteria, as Excel reads them: a number or TRUE/FALSE matches equal
 * values; text may start with = <> < > <= >=, and is then compared as a number when it reads
 * as one ("<0", ">=1,000", "50%"), else as text without regard to case, with * and ? as
 * wildcards (~ escaping them) for = and <>. "" and "=" match empty cells; "<>" non-empty ones.
 */
export type Criterion = (value: Scalar) => boolean;

function wildcard(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "~" && i + 1 < pattern.length && "*?~".includes(pattern[i + 1]!)) source += `\\${pattern[++i]}`;
    else if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "i");
}

const isBlank = (v: Scalar) => v === null || v === "";

/** The test a criterion makes of each cell. */
export function criterion(criteria: Scalar): Criterion {
  if (criteria instanceof CellError) return () => false;
  if (typeof criteria === "number" || criteria === null) {
    const target = criteria ?? 0;
    return (v) => (typeof v === "number" ? v === target : typeof v === "string" && parseNumber(v) === target);
  }
  if (typeof criteria === "boolean") return (v) => v === criteria;
  const m = /^(<=|>=|<>|<|>|=)?([\s\S]*)$/.exec(criteria)!;
  const op = m[1] ?? "=";
  const operand = m[2]!;
  if (operand === "") {
    if (op === "=") return m[1] ? (v) => v === null : isBlank;
    if (op === "<>") return (v) => v !== null;
    return () => false;
  }
  const number = parseNumber(operand);
  const upper = operand.toUpperCase();
  if (number !== undefined || upper === "TRUE" || upper === "FALSE") {
    const target = number ?? upper === "TRUE";
    const equal = (v: Scalar) => v === target || (typeof target === "number" && typeof v === "string" && parseNumber(v) === target);
    if (op === "=") return equal;
    if (op === "<>") return (v) => !equal(v);
    return (v) => typeof v === typeof target && v !== null && !(v instanceof CellError) && ordered(op, compare(v, target));
  }
  if (op === "=" || op === "<>") {
    const pattern = wildcard(operand);
    const match = (v: Scalar) => typeof v === "string" && pattern.test(v);
    return op === "=" ? match : (v) => !match(v);
  }
  return (v) => typeof v === "string" && ordered(op, compare(v, operand));
}

function ordered(op: string, order: number): boolean {
  switch (op) {
    case "<":
      return order < 0;
    case ">":
      return order > 0;
    case "<=":
      return order <= 0;
    default:
      return order >= 0;
  }
}
