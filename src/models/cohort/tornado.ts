import { customerLifetimeValue, type Timing } from "../../core/clv";
import { LifetimeError } from "../../core/errors";
import { sbgRetention } from "../../core/retention/shiftedBetaGeometric";
import { SWING_DECIMALS, tornado, type TornadoRow } from "../../core/sensitivity";
import { FORMAT, INPUT_FILL } from "../inputs";
import type { ChartPlan, DefinedName, RangeWrite, ValidationPlan } from "../plan";

/**
 * The cohort model's tornado: the CLV of a new customer with each numeric input (revenue,
 * margin, CAC, the annual discount rate, α and β; not the horizon) moved down and up by the
 * share in the cell named TornadoStep, sorted by swing, as live formulas. Each output is the
 * whole CLV written again with one input scaled. Moving α or β moves the survival curve,
 * so four helper rows carry it as the running product of the retention (β+t−1)/(α+β+t−1),
 * as the sheet's own curve does (a closed form through GAMMALN loses six digits when α and
 * β are large, as for an assumed constant retention); the sort is by rank (ties in the
 * inputs' order) and INDEX/MATCH.
 */
export const TORNADO_INPUTS = ["Revenue", "Margin", "CAC", "AnnualDiscount", "Alpha", "Beta"] as const;
type TornadoInput = (typeof TORNADO_INPUTS)[number];
const LABELS: Record<TornadoInput, string> = { Revenue: "Revenue", Margin: "Margin", CAC: "CAC", AnnualDiscount: "Annual discount rate", Alpha: "Alpha", Beta: "Beta" };

export interface TornadoEconomics {
  revenue: number;
  margin: number;
  cac: number;
  annualDiscount: number;
  periodsPerYear: number;
  horizon: number;
  timing: Timing;
  alpha: number;
  beta: number;
  /** The row of the sheet's periods t (PeriodT), and how many periods after t = 0 it holds. */
  tRow: number;
  lastT: number;
  /** The share each input moves, as built (TornadoStep). */
  step: number;
}

/**
 * The core's tornado of the CLV of a new customer: what the sheet's formulas must show. An
 * output beyond double precision (a revenue near 1e308 moved up) is NaN, as the sheet's cell
 * is an error then; the command line and the pane refuse such inputs before they show anything.
 */
export function cohortTornado(e: TornadoEconomics, step: number): TornadoRow<TornadoInput>[] {
  const base: Record<TornadoInput, number> = { Revenue: e.revenue, Margin: e.margin, CAC: e.cac, AnnualDiscount: e.annualDiscount, Alpha: e.alpha, Beta: e.beta };
  return tornado(
    base,
    TORNADO_INPUTS,
    (v) => {
      try {
        return customerLifetimeValue({
          margin: v.Revenue * v.Margin,
          retention: Array.from({ length: e.horizon }, (_, t) => sbgRetention({ alpha: v.Alpha, beta: v.Beta }, t + 1)),
          discountRate: Math.expm1(Math.log1p(v.AnnualDiscount) / e.periodsPerYear),
          periods: e.horizon,
          acquisitionCost: v.CAC,
          timing: e.timing,
        });
      } catch (error) {
        if (error instanceof LifetimeError) return Number.NaN;
        throw error;
      }
    },
    step,
  );
}

/** The CLV of a new customer as one formula, an input's name replaced where `scaled` says, over a survival row. */
function clvFormula(scaled: Partial<Record<TornadoInput, string>>, survival: string): string {
  const v = (name: TornadoInput) => scaled[name] ?? name;
  const first = 'IF(Timing="start",0,1)';
  return `${v("Revenue")}*${v("Margin")}*SUMPRODUCT((PeriodT>=${first})*(PeriodT<${first}+Horizon)*${survival}/(1+${v("AnnualDiscount")})^(PeriodT/PeriodsPerYear))-${v("CAC")}`;
}

export interface TornadoBlock {
  writes: RangeWrite[];
  names: DefinedName[];
  validations: ValidationPlan[];
  /** Conditions for the sheet's InputCheck. */
  checks: [string, string][];
  chart: ChartPlan;
  /** The core's values of the formula cells, by address. */
  expected: Map<string, number | string>;
  /** The row after the block. */
  end: number;
}

export const DEFAULT_TORNADO_STEP = 0.1;

/**
 * The tornado block from row `top` down, in columns A:E, and its helper rows of survival over
 * the sheet's periods t = 0…T, whose columns `periods` gives (those of PeriodT and Survival).
 */
export function tornadoBlock(top: number, economics: TornadoEconomics, periods: { first: string; second: string; last: string }, chartAt: { from: string; to: string }): TornadoBlock {
  const writes: RangeWrite[] = [];
  const expected = new Map<string, number | string>();
  const guard = (expression: string) => `=IF(InputCheck="OK",${expression},NA())`;
  const n = TORNADO_INPUTS.length;
  const stepRow = top + 1;
  const rawHeader = top + 3;
  const raw = (i: number) => rawHeader + 1 + i;
  const sortedHeader = raw(n) + 1;
  const sorted = (k: number) => sortedHeader + 1 + k;
  // Survival with α or β moved: rows after the sorted table.
  const helperTop = sorted(n - 1) + 2;
  const moved: [TornadoInput, "low" | "high", string, string][] = [
    ["Alpha", "low", "Alpha*(1-TornadoStep)", "Beta"],
    ["Alpha", "high", "Alpha*(1+TornadoStep)", "Beta"],
    ["Beta", "low", "Alpha", "Beta*(1-TornadoStep)"],
    ["Beta", "high", "Alpha", "Beta*(1+TornadoStep)"],
  ];
  writes.push({ at: `A${helperTop - 1}`, values: [["Survival with alpha or beta moved (for the rows above)"]], style: { italic: true } });
  const survivalRow = new Map<string, string>();
  moved.forEach(([name, side, a, b], i) => {
    const r = helperTop + i;
    writes.push({ at: `A${r}`, values: [[`S(t), ${name === "Alpha" ? "alpha" : "beta"} ${side === "low" ? "lower" : "higher"}`]] });
    writes.push({ at: `${periods.first}${r}`, formulas: [["=1"]], numberFormat: FORMAT.share });
    writes.push({ at: `${periods.second}${r}`, fill: { formula: `=${periods.first}${r}*(${b}+${periods.second}$${economics.tRow}-1)/(${a}+${b}+${periods.second}$${economics.tRow}-1)`, rows: 1, columns: economics.lastT }, numberFormat: FORMAT.share });
    survivalRow.set(`${name}|${side}`, `$${periods.first}$${r}:$${periods.last}$${r}`);
  });
  const rows = cohortTornado(economics, economics.step);
  const byInput = new Map(rows.map((r) => [r.input, r]));

  writes.push({ at: `A${top}`, values: [["Sensitivity: the CLV of a new customer with each input moved down and up by the step, the others held"]], style: { bold: true } });
  writes.push({ at: `A${stepRow}`, values: [["TornadoStep: the share each input moves (10% is 0.1)"]] });
  writes.push({ at: `B${stepRow}`, values: [[economics.step]], numberFormat: FORMAT.share, style: { fill: INPUT_FILL } });
  writes.push({ at: `A${rawHeader}`, values: [["Input", "CLV, input lower", "CLV, input higher", "Swing", "Rank"]], style: { bold: true } });
  writes.push({ at: `A${raw(0)}`, values: TORNADO_INPUTS.map((name) => [LABELS[name]]) });
  const swings = `$D$${raw(0)}:$D$${raw(n - 1)}`;
  TORNADO_INPUTS.forEach((name, i) => {
    const r = raw(i);
    const row = byInput.get(name)!;
    const rank = rows.indexOf(row) + 1;
    const key = `ROUND(D${r},${SWING_DECIMALS})`;
    const ties = i === 0 ? "" : `+SUMPRODUCT((ROUND($D$${raw(0)}:$D$${r - 1},${SWING_DECIMALS})=${key})*1)`;
    const survival = (side: "low" | "high") => survivalRow.get(`${name}|${side}`) ?? "Survival";
    writes.push({ at: `B${r}`, formulas: [[guard(clvFormula({ [name]: `${name}*(1-TornadoStep)` }, survival("low"))), guard(clvFormula({ [name]: `${name}*(1+TornadoStep)` }, survival("high"))), guard(`ABS(C${r}-B${r})`)]], numberFormat: FORMAT.money });
    writes.push({ at: `E${r}`, formulas: [[guard(`1+SUMPRODUCT((ROUND(${swings},${SWING_DECIMALS})>${key})*1)${ties}`)]], numberFormat: FORMAT.whole });
    if (Number.isFinite(row.swing)) [row.low, row.high, row.swing, rank].forEach((v, j) => expected.set(`${"BCDE"[j]}${r}`, v));
  });
  writes.push({ at: `A${sortedHeader}`, values: [["Input, by swing", "CLV, input lower", "CLV, input higher"]], style: { bold: true } });
  const pick = (column: string, k: number) => `INDEX($${column}$${raw(0)}:$${column}$${raw(n - 1)},MATCH(${k + 1},$E$${raw(0)}:$E$${raw(n - 1)},0))`;
  rows.forEach((row, k) => {
    const r = sorted(k);
    writes.push({ at: `A${r}`, formulas: [[guard(pick("A", k))]] });
    writes.push({ at: `B${r}`, formulas: [[guard(pick("B", k)), guard(pick("C", k))]], numberFormat: FORMAT.money });
    if (!rows.every((x) => Number.isFinite(x.swing))) return;
    expected.set(`A${r}`, LABELS[row.input]);
    expected.set(`B${r}`, row.low);
    expected.set(`C${r}`, row.high);
  });
  const column = (c: string) => `$${c}$${sorted(0)}:$${c}$${sorted(n - 1)}`;
  return {
    writes,
    names: [
      { name: "TornadoStep", ref: `$B$${stepRow}` },
      { name: "Tornado_Inputs", ref: column("A") },
      { name: "Tornado_Low", ref: column("B") },
      { name: "Tornado_High", ref: column("C") },
    ],
    validations: [
      {
        range: `B${stepRow}`,
        rule: { kind: "decimal", min: 0.01, max: 0.9 },
        prompt: { title: "TornadoStep", message: "The share each input moves down and up in the sensitivity table, from 0.01 to 0.9 (10% is 0.1)." },
        error: { title: "TornadoStep: not accepted", message: "TornadoStep must be a fraction from 0.01 to 0.9 (10% is 0.1)." },
      },
    ],
    checks: [[`IF(ISNUMBER(TornadoStep),AND(TornadoStep>=0.01,TornadoStep<=0.9),FALSE)`, `TornadoStep must be a fraction from 0.01 to 0.9 (10% is 0.1) (B${stepRow})`]],
    chart: {
      kind: "column",
      title: "Sensitivity of the CLV of a new customer (inputs by swing)",
      categories: `A${sorted(0)}:A${sorted(n - 1)}`,
      series: [
        { name: "Input lower", values: `B${sorted(0)}:B${sorted(n - 1)}` },
        { name: "Input higher", values: `C${sorted(0)}:C${sorted(n - 1)}` },
      ],
      ...chartAt,
    },
    expected,
    end: helperTop + moved.length,
  };
}
