import { invalidValue } from "../../core/errors";
import { parseCsv } from "../cohort/cohortCsv";
import type { PartnerInput } from "./partnerPlan";

/**
 * Reads a partners table from CSV: the header
 * `partner,customers_per_period,commission_rate,commission_periods,bounty,hold_periods,cap,churn_multiplier`,
 * optionally with `tiers` (such as `0:0.2|10:0.25|50:0.3`) and `tier_method` (`all` or
 * `progressive`), in any order; then one row per partner. Blank cells take the defaults:
 * commission periods 0 (lifetime), no bounty, no hold, no cap, churn multiplier 1, tier
 * method all. Every error names the row and the column as a spreadsheet shows them (row 1
 * is the header).
 */
export const PARTNER_COLUMNS = ["partner", "customers_per_period", "commission_rate", "commission_periods", "bounty", "hold_periods", "cap", "churn_multiplier"] as const;
const OPTIONAL_COLUMNS = ["tiers", "tier_method"] as const;
type Column = (typeof PARTNER_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** The most partners a model takes (its schema's limit too). */
export const MAX_PARTNERS = 500;

export function readPartnerCsv(text: string): PartnerInput[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw invalidValue(`the file is empty: expected a header row \`${PARTNER_COLUMNS.join(",")}\` and one row per partner`);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  while (header.length > 0 && header[header.length - 1] === "") header.pop();
  const known = new Set<string>([...PARTNER_COLUMNS, ...OPTIONAL_COLUMNS]);
  header.forEach((h, i) => {
    if (!known.has(h)) throw invalidValue(`row 1, column ${i + 1}: unknown column "${h}"; the columns are ${[...PARTNER_COLUMNS, ...OPTIONAL_COLUMNS].join(", ")}`);
    if (header.indexOf(h) !== i) throw invalidValue(`row 1, column ${i + 1}: the column "${h}" appears twice`);
  });
  for (const required of PARTNER_COLUMNS) {
    if (!header.includes(required)) throw invalidValue(`row 1: the header has no "${required}" column; it must be ${PARTNER_COLUMNS.join(",")} (and optionally tiers,tier_method)`);
  }
  if (rows.length === 1) throw invalidValue("the file has a header but no partners");
  if (rows.length - 1 > MAX_PARTNERS) throw invalidValue(`the file has ${rows.length - 1} partners; a partner model takes at most ${MAX_PARTNERS}`);
  const at = (row: number, column: Column) => `row ${row}, column ${header.indexOf(column) + 1} (${column})`;

  return rows.slice(1).map((fields, k) => {
    const row = k + 2;
    if (fields.length > header.length && fields.slice(header.length).some((f) => f.trim() !== "")) {
      throw invalidValue(`row ${row}: ${fields.length} fields, more than the ${header.length} columns of the header`);
    }
    const field = (column: Column) => (fields[header.indexOf(column)] ?? "").trim();
    const number = (column: Column, fallback?: number): number | undefined => {
      const text = field(column);
      if (text === "") return fallback;
      // Decimal numbers only: Number() would also read 0x10 as 16 and 0b11 as 3.
      const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(value)) throw invalidValue(`${at(row, column)}: "${text}" is not a number`);
      return value;
    };
    const name = field("partner");
    if (name === "") throw invalidValue(`${at(row, "partner")}: the partner's name is empty`);
    const customersPerPeriod = number("customers_per_period");
    if (customersPerPeriod === undefined) throw invalidValue(`${at(row, "customers_per_period")}: give the customers the partner refers each period`);
    const partner: PartnerInput = {
      name,
      customersPerPeriod,
      rate: number("commission_rate"),
      commissionPeriods: number("commission_periods", 0)!,
      bounty: number("bounty", 0)!,
      holdPeriods: number("hold_periods", 0)!,
      cap: number("cap"),
      churnMultiplier: number("churn_multiplier", 1)!,
    };
    const tiers = header.includes("tiers") ? field("tiers") : "";
    const method = header.includes("tier_method") ? field("tier_method").toLowerCase() : "";
    if (tiers !== "") {
      const starts: number[] = [];
      const rates: number[] = [];
      for (const [i, pair] of tiers.split("|").entries()) {
        const match = /^\s*([^:]+):([^:]+)\s*$/.exec(pair);
        const start = match ? Number(match[1]) : Number.NaN;
        const rate = match ? Number(match[2]) : Number.NaN;
        if (!Number.isFinite(start) || !Number.isFinite(rate)) {
          throw invalidValue(`${at(row, "tiers")}: tier ${i + 1} is "${pair.trim()}"; write each tier as start:rate, separated by |, such as 0:0.2|10:0.25|50:0.3`);
        }
        starts.push(start);
        rates.push(rate);
      }
      if (method !== "" && method !== "all" && method !== "progressive") throw invalidValue(`${at(row, "tier_method")}: "${method}" is not a tier method; use all or progressive`);
      partner.tiers = { starts, rates, method: method === "progressive" ? "progressive" : "all" };
    } else if (method !== "") {
      throw invalidValue(`${at(row, "tier_method")}: a tier method without tiers; give the tiers (such as 0:0.2|10:0.25) or leave the method blank`);
    }
    return partner;
  });
}

/** The CSV column a partner's field comes from, for messages about a row. */
export const CSV_COLUMN: Record<string, Column> = {
  name: "partner",
  customersPerPeriod: "customers_per_period",
  rate: "commission_rate",
  tiers: "tiers",
  commissionPeriods: "commission_periods",
  bounty: "bounty",
  holdPeriods: "hold_periods",
  cap: "cap",
  churnMultiplier: "churn_multiplier",
};
