import { customerLifetimeValue, type Timing } from "../../core/clv";
import { LifetimeError } from "../../core/errors";
import { sbgRetention } from "../../core/retention/shiftedBetaGeometric";
import { tornado, type TornadoRow } from "../../core/sensitivity";
import { tornadoTable } from "../tornadoTable";
import { FORMAT } from "../inputs";
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

export { DEFAULT_TORNADO_STEP } from "../tornadoTable";

/**
 * The tornado block from row `top` down, in columns A:E, and its helper rows of survival over
 * the sheet's periods t = 0…T, whose columns `periods` gives (those of PeriodT and Survival).
 */
export function tornadoBlock(top: number, economics: TornadoEconomics, periods: { first: string; second: string; last: string }, chartAt: { from: string; to: string }): TornadoBlock {
  const n = TORNADO_INPUTS.length;
  // Survival with α or β moved: rows after the sorted table (title, step, blank, header, n raw rows, header, n sorted rows, blank).
  const helperTop = top + 2 * n + 7;
  const moved: [TornadoInput, "low" | "high", string, string][] = [
    ["Alpha", "low", "Alpha*(1-TornadoStep)", "Beta"],
    ["Alpha", "high", "Alpha*(1+TornadoStep)", "Beta"],
    ["Beta", "low", "Alpha", "Beta*(1-TornadoStep)"],
    ["Beta", "high", "Alpha", "Beta*(1+TornadoStep)"],
  ];
  const helpers: RangeWrite[] = [{ at: `A${helperTop - 1}`, values: [["Survival with alpha or beta moved (for the rows above)"]], style: { italic: true } }];
  const survivalRow = new Map<string, string>();
  moved.forEach(([name, side, a, b], i) => {
    const r = helperTop + i;
    helpers.push({ at: `A${r}`, values: [[`S(t), ${name === "Alpha" ? "alpha" : "beta"} ${side === "low" ? "lower" : "higher"}`]] });
    helpers.push({ at: `${periods.first}${r}`, formulas: [["=1"]], numberFormat: FORMAT.share });
    helpers.push({ at: `${periods.second}${r}`, fill: { formula: `=${periods.first}${r}*(${b}+${periods.second}$${economics.tRow}-1)/(${a}+${b}+${periods.second}$${economics.tRow}-1)`, rows: 1, columns: economics.lastT }, numberFormat: FORMAT.share });
    survivalRow.set(`${name}|${side}`, `$${periods.first}$${r}:$${periods.last}$${r}`);
  });
  const survival = (name: TornadoInput, side: "low" | "high") => survivalRow.get(`${name}|${side}`) ?? "Survival";
  const table = tornadoTable(
    top,
    "Sensitivity: the CLV of a new customer with each input moved down and up by the step, the others held",
    "CLV",
    economics.step,
    TORNADO_INPUTS.map((name) => ({
      input: name,
      label: LABELS[name],
      low: clvFormula({ [name]: `${name}*(1-TornadoStep)` }, survival(name, "low")),
      high: clvFormula({ [name]: `${name}*(1+TornadoStep)` }, survival(name, "high")),
    })),
    cohortTornado(economics, economics.step),
    { title: "Sensitivity of the CLV of a new customer (inputs by swing)", ...chartAt },
  );
  if (table.end + 1 !== helperTop) throw new Error("the tornado's helper rows overlap its table");
  return { ...table, writes: [...table.writes, ...helpers], end: helperTop + moved.length };
}
