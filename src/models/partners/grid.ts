import { LifetimeError } from "../../core/errors";
import { FORMAT, INPUT_FILL } from "../inputs";
import { columnLetter, type DefinedName, type RangeWrite, type ValidationPlan } from "../plan";
import { exactIndex } from "../scenarios";
import type { PartnerGridSettings } from "./gridSettings";
import { partnerProgram, type PartnerModelSettings } from "./partnerPlan";

/**
 * The partner model's two-way grid: the program's net value (ProgramNetValue) with one
 * partner's terms varied, its commission rate down the rows (a flat rate, in place of its own
 * rate or tiers) and its churn multiplier across the columns, as live formulas. The partner
 * is chosen in the cell GridPartner. Each cell writes that partner's net value per referred
 * customer again (as the tornado does: margin × revenue × Σ w − Σ w × (paid(t) − paid(t−1)) −
 * bounty × S(hold) × v^hold, paid(t) = min(cap, rate × revenue × commissioned periods to t)),
 * over a helper row of survival at the column's multiplier, and the program's total moves by
 * the partner's customers × ProgramFactor × the change. A colour scale colours the results.
 */
/** The core's grid: the program's net value with the partner's flat rate and churn multiplier at each pair (NaN where a multiplier makes retention negative). */
export function partnerGrid(settings: PartnerModelSettings, grid: PartnerGridSettings): number[][] {
  const index = Math.max(0, settings.partners.findIndex((p) => p.name === grid.partner));
  return grid.rates.map((rate) =>
    grid.churnMultipliers.map((k) => {
      const partners = settings.partners.map((p, i) => (i === index ? { ...p, rate, tiers: undefined, churnMultiplier: k } : p));
      try {
        return partnerProgram({ ...settings, partners }).netValue;
      } catch (error) {
        if (error instanceof LifetimeError) return Number.NaN;
        throw error;
      }
    }),
  );
}

export interface PartnerGridLayout {
  partners: number;
  tableRow: number;
  retentionRow: number;
  resultRow: number;
  tRow: number;
  lastT: number;
}

export function partnerGridBlock(top: number, settings: PartnerModelSettings, grid: PartnerGridSettings, layout: PartnerGridLayout, withExpected: boolean) {
  const writes: RangeWrite[] = [];
  const expected = new Map<string, number | string>();
  const col = columnLetter;
  const R = grid.rates.length;
  const K = grid.churnMultipliers.length;
  const N = layout.partners;
  const first = layout.tableRow;
  const lastRow = first + N - 1;
  const last = col(layout.lastT);
  const beforeLast = col(layout.lastT - 1);
  const t = `$D$${layout.tRow}:$${last}$${layout.tRow}`;
  const partner = grid.partner ?? settings.partners[0]!.name;
  const partnerAt = `B${top + 1}`;
  const indexAt = `C${top + 1}`;
  const header = top + 3;
  const row = (i: number) => header + 1 + i;
  const helperTop = row(R) + 2;
  const helperRow = (j: number) => helperTop + j;
  const field = (c: string) => `INDEX($${c}$${first}:$${c}$${lastRow},GridPartnerIndex)`;

  writes.push({ at: `A${top}`, values: [["Two-way grid: the program's net value with one partner's flat commission rate (down) and churn multiplier (across) varied"]], style: { bold: true } });
  writes.push({ at: `A${top + 1}`, values: [["GridPartner: the partner whose terms vary (its name as in the table)"]] });
  writes.push({ at: partnerAt, values: [[partner]], text: true, style: { fill: INPUT_FILL } });
  // By equality, not MATCH: a partner's name may hold * ? ~, which MATCH reads as wildcards.
  writes.push({ at: indexAt, formulas: [[exactIndex("GridPartner", `$A$${first}:$A$${lastRow}`, `$A$${first}`, "ROW")]], numberFormat: '"row "0' });
  writes.push({ at: `A${header}`, values: [["Commission rate ↓, churn multiplier →"]], style: { bold: true } });
  writes.push({ at: `B${header}`, values: [grid.churnMultipliers], numberFormat: "0.00", style: { fill: INPUT_FILL, bold: true } });
  writes.push({ at: `A${row(0)}`, values: grid.rates.map((r) => [r]), numberFormat: FORMAT.share, style: { fill: INPUT_FILL, bold: true } });

  // Survival of the partner's customers at each column's multiplier (a multiplier that makes retention negative: #N/A).
  writes.push({ at: `A${helperTop - 1}`, values: [["Survival of the partner's customers at each churn multiplier (for the grid above)"]], style: { italic: true } });
  grid.churnMultipliers.forEach((_, j) => {
    const k = `$${col(2 + j)}$${header}`;
    writes.push({ at: `A${helperRow(j)}`, formulas: [[`="multiplier "&${k}`]] });
    writes.push({ at: `C${helperRow(j)}`, formulas: [["=1"]], numberFormat: FORMAT.share });
    writes.push({ at: `D${helperRow(j)}`, fill: { formula: `=IF(${k}*(1-D$${layout.retentionRow})>1,NA(),C${helperRow(j)}*(1-${k}*(1-D$${layout.retentionRow})))`, rows: 1, columns: layout.lastT - 3 }, numberFormat: FORMAT.share });
  });

  const cell = (i: number, j: number) => {
    const s = helperRow(j);
    const paying = `((Timing="start")*$C$${s}:$${beforeLast}$${s}+(Timing<>"start")*$D$${s}:$${last}$${s})`;
    const w = `(${t}<=Horizon)*${paying}*(1+DiscountRate)^-(${t}-IF(Timing="start",1,0))`;
    const a = `$A${row(i)}*Revenue`;
    const E = field("E");
    const cap = field("H");
    const n = (x: string) => `((${E}=0)*${x}+(${E}<>0)*(${x}+${E}-ABS(${x}-${E}))/2)`;
    const paid = (x: string) => `(ISNUMBER(${cap})*(${cap}+${a}*${n(x)}-ABS(${cap}-${a}*${n(x)}))/2+(1-ISNUMBER(${cap}))*${a}*${n(x)})`;
    const net = `Margin*Revenue*SUMPRODUCT(${w})-SUMPRODUCT(${w}*(${paid(t)}-${paid(`(${t}-1)`)}))-${field("F")}*INDEX($C$${s}:$${last}$${s},1,${field("G")}+1)*(1+DiscountRate)^-${field("G")}`;
    return `=IF(InputCheck="OK",ProgramNetValue+${field("B")}*ProgramFactor*((${net})-INDEX($F$${layout.resultRow}:$F$${layout.resultRow + N - 1},GridPartnerIndex)),NA())`;
  };
  writes.push({ at: `B${row(0)}`, formulas: grid.rates.map((_, i) => grid.churnMultipliers.map((__, j) => cell(i, j))), numberFormat: FORMAT.money });
  const values = withExpected ? partnerGrid(settings, { ...grid, partner }) : [];
  values.forEach((r, i) => r.forEach((v, j) => Number.isFinite(v) && expected.set(`${col(2 + j)}${row(i)}`, v)));

  const rates = `$A$${row(0)}:$A$${row(R - 1)}`;
  const multipliers = `$B$${header}:$${col(1 + K)}$${header}`;
  const names: DefinedName[] = [
    { name: "GridPartner", ref: `$B$${top + 1}` },
    { name: "GridPartnerIndex", ref: `$C$${top + 1}` },
    { name: "Grid_RowValues", ref: rates },
    { name: "Grid_ColumnValues", ref: multipliers },
    { name: "Grid_Values", ref: `$B$${row(0)}:$${col(1 + K)}$${row(R - 1)}` },
  ];
  const validations: ValidationPlan[] = [
    { range: rates.replace(/\$/g, ""), rule: { kind: "decimal", min: 0, max: 1 }, prompt: { title: "Grid: commission rates", message: "A flat commission rate for the partner, from 0 to 1 (20% is 0.2)." }, error: { title: "Commission rate: not accepted", message: "A commission rate is a fraction from 0 to 1 (20% is 0.2)." } },
    { range: multipliers.replace(/\$/g, ""), rule: { kind: "decimal", min: 0 }, prompt: { title: "Grid: churn multipliers", message: "How many times as fast the partner's customers churn: 1 the same as others, 0 or more." }, error: { title: "Churn multiplier: not accepted", message: "A churn multiplier is a number, 0 or more." } },
  ];
  const checks: [string, string][] = [
    ["ISNUMBER(GridPartnerIndex)", `GridPartner must be the name of a partner in the table (B${top + 1})`],
    [`COUNT(${rates})=${R}`, `every commission rate of the grid must be a number (${rates.replace(/\$/g, "")})`],
    [`COUNTIF(${rates},"<0")+COUNTIF(${rates},">1")=0`, `a commission rate of the grid is a fraction from 0 to 1 (${rates.replace(/\$/g, "")})`],
    [`COUNT(${multipliers})=${K}`, `every churn multiplier of the grid must be a number (${multipliers.replace(/\$/g, "")})`],
    [`COUNTIF(${multipliers},"<0")=0`, `a churn multiplier of the grid must be 0 or more (${multipliers.replace(/\$/g, "")})`],
  ];
  return { writes, names, validations, checks, expected, heatMaps: [{ range: `B${row(0)}:${col(1 + K)}${row(R - 1)}` }], end: helperRow(K - 1) + 1 };
}
