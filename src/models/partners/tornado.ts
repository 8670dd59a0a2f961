import { LifetimeError } from "../../core/errors";
import { tornado, type TornadoRow } from "../../core/sensitivity";
import { FORMAT } from "../inputs";
import { columnLetter, type RangeWrite } from "../plan";
import { tornadoTable, type TornadoTable } from "../tornadoTable";
import { curveOf, partnerProgram, type PartnerModelSettings } from "./partnerPlan";

/**
 * The partner model's tornado: the program's net value (ProgramNetValue) with each numeric
 * input moved down and up by TornadoStep, the others held: revenue, margin, the paid CAC (which
 * the net value does not read: its swing is 0, shown as such), the annual discount rate, and
 * the curve's retention (capped at 1) or its α and β. As live formulas: for each moved input,
 * each partner's net value per referred customer written again over the sheet's rows —
 *   margin × revenue × Σ w(t) − Σ w(t) × (paid(t) − paid(t−1)) − bounty × S(hold) × v^hold,
 * w(t) the share paying in period t (within the horizon) discounted, paid(t) the capped
 * percentage commissions to date, min(cap, rate × revenue × commissioned periods to t) —
 * then the program's total, Σ customers per period × ProgramFactor × net value. Moving the
 * curve moves every partner's survival: helper rows carry it as the sheet's own block does.
 */
export type PartnerTornadoInput = "Revenue" | "Margin" | "PaidCAC" | "AnnualDiscount" | "Retention" | "Alpha" | "Beta";
const LABELS: Record<PartnerTornadoInput, string> = { Revenue: "Revenue", Margin: "Margin", PaidCAC: "Paid CAC", AnnualDiscount: "Annual discount rate", Retention: "Retention", Alpha: "Alpha", Beta: "Beta" };

export const partnerTornadoInputs = (settings: PartnerModelSettings): PartnerTornadoInput[] =>
  settings.curve.kind === "constant" ? ["Revenue", "Margin", "PaidCAC", "AnnualDiscount", "Retention"] : ["Revenue", "Margin", "PaidCAC", "AnnualDiscount", "Alpha", "Beta"];

/** The core's tornado of the program's net value (NaN where the moved inputs leave the model's domain). */
export function partnerTornado(settings: PartnerModelSettings, step: number): TornadoRow<PartnerTornadoInput>[] {
  const curve = curveOf(settings.curve);
  const base: Record<PartnerTornadoInput, number> = {
    Revenue: settings.revenue,
    Margin: settings.margin,
    PaidCAC: settings.paidCac,
    AnnualDiscount: settings.annualDiscount,
    Retention: curve.kind === "constant" ? curve.retention : 0,
    Alpha: curve.kind === "sbg" ? curve.alpha : 0,
    Beta: curve.kind === "sbg" ? curve.beta : 0,
  };
  return tornado(
    base,
    partnerTornadoInputs(settings),
    (v) => {
      try {
        return partnerProgram({
          ...settings,
          revenue: v.Revenue,
          margin: v.Margin,
          paidCac: v.PaidCAC,
          annualDiscount: v.AnnualDiscount,
          curve: curve.kind === "constant" ? { kind: "constant", retention: Math.min(1, v.Retention) } : { kind: "sbg", alpha: v.Alpha, beta: v.Beta },
        }).netValue;
      } catch (error) {
        if (error instanceof LifetimeError) return Number.NaN;
        throw error;
      }
    },
    step,
  );
}

/** Where the partner sheet keeps what the tornado reads. */
export interface PartnerSheetLayout {
  partners: number;
  /** Rows of the first partner in the table, in the survival block and in the results. */
  tableRow: number;
  survivalRow: number;
  resultRow: number;
  /** The row of the periods t = 0 … H (C = 0) and the column of t = H. */
  tRow: number;
  lastT: number;
  step: number;
  chart: { from: string; to: string };
}

export function partnerTornadoBlock(top: number, settings: PartnerModelSettings, layout: PartnerSheetLayout, withExpected: boolean): TornadoTable {
  const inputs = partnerTornadoInputs(settings);
  const N = layout.partners;
  const col = columnLetter;
  const last = col(layout.lastT);
  const beforeLast = col(layout.lastT - 1);
  const t = `$D$${layout.tRow}:$${last}$${layout.tRow}`;
  const cases = inputs.flatMap((input) => (["low", "high"] as const).map((side) => ({ input, side })));
  const moved = (input: PartnerTornadoInput, side: "low" | "high") => `${input}*(1${side === "low" ? "-" : "+"}TornadoStep)`;

  // Rows below the table: the partners' net values under each move, then the curve's helper rows.
  const table = inputs.length;
  const workingsTop = top + 2 * table + 8;
  const workingsRow = (i: number) => workingsTop + 1 + i;
  const totalRow = workingsRow(N);
  const helperTop = totalRow + 3;
  const writes: RangeWrite[] = [];
  writes.push({ at: `A${workingsTop - 1}`, values: [["Net value per referred customer with each input moved (for the rows above)"]], style: { italic: true } });
  writes.push({ at: `A${workingsTop}`, values: [["Partner", ...cases.map((c) => `${LABELS[c.input]} ${c.side === "low" ? "lower" : "higher"}`)]], style: { bold: true } });
  writes.push({ at: `A${workingsRow(0)}`, fill: { formula: `=A${layout.tableRow}`, rows: N, columns: 1 } });

  // Survival of each partner's customers with the curve moved: N rows per move.
  const curveCases = cases.filter((c) => c.input === "Retention" || c.input === "Alpha" || c.input === "Beta");
  const survivalOf = new Map<string, number>();
  curveCases.forEach((c, k) => {
    const first = helperTop + 1 + k * (N + 1);
    survivalOf.set(`${c.input}|${c.side}`, first);
    writes.push({ at: `A${first - 1}`, values: [[`Survival of each partner's customers, ${LABELS[c.input].toLowerCase()} ${c.side === "low" ? "lower" : "higher"}`]], style: { italic: true } });
    const retention =
      c.input === "Retention"
        ? `MIN(1,${moved("Retention", c.side)})`
        : `(${c.input === "Beta" ? moved("Beta", c.side) : "Beta"}+D$${layout.tRow}-1)/(${c.input === "Alpha" ? moved("Alpha", c.side) : "Alpha"}+${c.input === "Beta" ? moved("Beta", c.side) : "Beta"}+D$${layout.tRow}-1)`;
    writes.push({ at: `C${first}`, fill: { formula: "=1", rows: N, columns: 1 }, numberFormat: FORMAT.share });
    // A moved curve that makes a partner's retention negative answers #N/A (the core's NaN).
    writes.push({ at: `D${first}`, fill: { formula: `=IF($I${layout.tableRow}*(1-${retention})>1,NA(),C${first}*(1-$I${layout.tableRow}*(1-${retention})))`, rows: N, columns: layout.lastT - 3 }, numberFormat: FORMAT.share });
  });

  const netFormula = (input: PartnerTornadoInput | undefined, side: "low" | "high") => {
    const v = (name: PartnerTornadoInput) => (name === input ? moved(name, side) : name);
    const survival = survivalOf.get(`${input}|${side}`) ?? layout.survivalRow;
    const full = `$C${survival}:$${last}${survival}`;
    const paying = `((Timing="start")*$C${survival}:$${beforeLast}${survival}+(Timing<>"start")*$D${survival}:$${last}${survival})`;
    const rate = input === "AnnualDiscount" ? `((1+${v("AnnualDiscount")})^(1/PeriodsPerYear)-1)` : "DiscountRate";
    const discount = `(1+${rate})^-(${t}-IF(Timing="start",1,0))`;
    const w = `(${t}<=Horizon)*${paying}*${discount}`;
    const a = `$B${layout.resultRow}*${v("Revenue")}`;
    const n = (x: string) => `(($E${layout.tableRow}=0)*${x}+($E${layout.tableRow}<>0)*(${x}+$E${layout.tableRow}-ABS(${x}-$E${layout.tableRow}))/2)`;
    const paid = (x: string) => `(ISNUMBER($H${layout.tableRow})*($H${layout.tableRow}+${a}*${n(x)}-ABS($H${layout.tableRow}-${a}*${n(x)}))/2+(1-ISNUMBER($H${layout.tableRow}))*${a}*${n(x)})`;
    return (
      `=${v("Margin")}*${v("Revenue")}*SUMPRODUCT(${w})` +
      `-SUMPRODUCT(${w}*(${paid(t)}-${paid(`(${t}-1)`)}))` +
      `-$F${layout.tableRow}*INDEX(${full},1,$G${layout.tableRow}+1)*(1+${rate})^-$G${layout.tableRow}`
    );
  };
  cases.forEach((c, j) => writes.push({ at: `${col(2 + j)}${workingsRow(0)}`, fill: { formula: netFormula(c.input, c.side), rows: N, columns: 1 }, numberFormat: FORMAT.money }));
  // The program's total under each move: Σ customers per period × ProgramFactor (at the moved discount rate) × net value.
  writes.push({ at: `A${totalRow}`, values: [["Program net value"]], style: { bold: true } });
  const totals = cases.map((c, j) => {
    const column = col(2 + j);
    const d = c.input === "AnnualDiscount" ? `((1+${moved("AnnualDiscount", c.side)})^(1/PeriodsPerYear)-1)` : "DiscountRate";
    const factor = `IF(${d}=0,AcquisitionPeriods,(1-(1+${d})^-AcquisitionPeriods)/(1-1/(1+${d})))`;
    return `SUMPRODUCT($B$${layout.tableRow}:$B$${layout.tableRow + N - 1},${column}${workingsRow(0)}:${column}${workingsRow(N - 1)})*${factor}`;
  });
  writes.push({ at: `B${totalRow}`, formulas: [totals.map((f) => `=IF(InputCheck="OK",${f},NA())`)], numberFormat: FORMAT.money });

  const result = tornadoTable(
    top,
    "Sensitivity: the program's net value with each input moved down and up by the step, the others held",
    "Program net value",
    layout.step,
    inputs.map((input) => {
      const j = cases.findIndex((c) => c.input === input);
      return { input, label: LABELS[input], low: `${col(2 + j)}${totalRow}`, high: `${col(3 + j)}${totalRow}` };
    }),
    withExpected ? partnerTornado(settings, layout.step) : undefined,
    { title: "Sensitivity of the program's net value (inputs by swing)", ...layout.chart },
  );
  if (result.end + 1 !== workingsTop - 1) throw new Error("the tornado's workings overlap its table");
  return { ...result, writes: [...result.writes, ...writes], end: helperTop + curveCases.length * (N + 1) };
}
