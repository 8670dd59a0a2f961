import { z } from "zod";
import { SWING_DECIMALS, type TornadoRow } from "../core/sensitivity";
import { FORMAT, INPUT_FILL } from "./inputs";
import type { ChartPlan, DefinedName, RangeWrite, ValidationPlan } from "./plan";

/*
 * The table every model's tornado writes: the step (TornadoStep, an input), each input's
 * output moved down and up (formulas the model gives), the swing, a rank (ties in the
 * inputs' order, swings compared rounded as the core compares them), the inputs sorted by
 * rank through INDEX/MATCH, the names Tornado_Inputs, Tornado_Low and Tornado_High, and a
 * column chart.
 */
export const DEFAULT_TORNADO_STEP = 0.1;

/** A model's setting of the step (TornadoStep); DEFAULT_TORNADO_STEP when absent. */
export const tornadoStepSchema = z.number().min(0.01, "the sensitivity step must be at least 0.01 (1%)").max(0.9, "the sensitivity step must be at most 0.9 (90%); 10% is 0.1").optional();

export interface TornadoInputRow<Name extends string> {
  input: Name;
  label: string;
  /** The output with the input moved down and up by TornadoStep: expressions, without "=". */
  low: string;
  high: string;
}

export interface TornadoTable {
  writes: RangeWrite[];
  names: DefinedName[];
  validations: ValidationPlan[];
  checks: [string, string][];
  chart: ChartPlan;
  expected: Map<string, number | string>;
  /** The row after the table. */
  end: number;
}

/**
 * The table from row `top`: its title, the step, the raw table and the sorted one. `core` is
 * the core's tornado (sorted), whose values the formulas must show (for `expected`; none when
 * not asked for, as computing it may cost more than the plan); an output beyond double
 * precision (NaN) leaves the cells unchecked.
 */
export function tornadoTable<Name extends string>(
  top: number,
  title: string,
  output: string,
  step: number,
  rows: TornadoInputRow<Name>[],
  core: TornadoRow<Name>[] | undefined,
  chart: { title: string; from: string; to: string },
): TornadoTable {
  const writes: RangeWrite[] = [];
  const expected = new Map<string, number | string>();
  const guard = (expression: string) => `=IF(InputCheck="OK",${expression},NA())`;
  const n = rows.length;
  const stepRow = top + 1;
  const rawHeader = top + 3;
  const raw = (i: number) => rawHeader + 1 + i;
  const sortedHeader = raw(n) + 1;
  const sorted = (k: number) => sortedHeader + 1 + k;
  const byInput = new Map((core ?? []).map((r) => [r.input, r]));
  const labelOf = new Map(rows.map((r) => [r.input, r.label]));

  writes.push({ at: `A${top}`, values: [[title]], style: { bold: true } });
  writes.push({ at: `A${stepRow}`, values: [["TornadoStep: the share each input moves (10% is 0.1)"]] });
  writes.push({ at: `B${stepRow}`, values: [[step]], numberFormat: FORMAT.share, style: { fill: INPUT_FILL } });
  writes.push({ at: `A${rawHeader}`, values: [["Input", `${output}, input lower`, `${output}, input higher`, "Swing", "Rank"]], style: { bold: true } });
  writes.push({ at: `A${raw(0)}`, values: rows.map((r) => [r.label]) });
  const swings = `$D$${raw(0)}:$D$${raw(n - 1)}`;
  rows.forEach((input, i) => {
    const r = raw(i);
    const row = byInput.get(input.input);
    const key = `ROUND(D${r},${SWING_DECIMALS})`;
    const ties = i === 0 ? "" : `+SUMPRODUCT((ROUND($D$${raw(0)}:$D$${r - 1},${SWING_DECIMALS})=${key})*1)`;
    writes.push({ at: `B${r}`, formulas: [[guard(input.low), guard(input.high)]], numberFormat: FORMAT.money });
    // A move that leaves the model's domain (its output #N/A) has no swing: -1, shown "n/a", ranked last, so the others still sort.
    writes.push({ at: `D${r}`, formulas: [[guard(`IF(AND(ISNUMBER(B${r}),ISNUMBER(C${r})),ABS(C${r}-B${r}),-1)`)]], numberFormat: `${FORMAT.money};"n/a"` });
    writes.push({ at: `E${r}`, formulas: [[guard(`1+SUMPRODUCT((ROUND(${swings},${SWING_DECIMALS})>${key})*1)${ties}`)]], numberFormat: FORMAT.whole });
    if (row && core) {
      if (Number.isFinite(row.swing)) [row.low, row.high, row.swing].forEach((v, j) => expected.set(`${"BCD"[j]}${r}`, v));
      else expected.set(`D${r}`, -1);
      expected.set(`E${r}`, core.indexOf(row) + 1);
    }
  });
  writes.push({ at: `A${sortedHeader}`, values: [["Input, by swing", `${output}, input lower`, `${output}, input higher`]], style: { bold: true } });
  const pick = (column: string, k: number) => `INDEX($${column}$${raw(0)}:$${column}$${raw(n - 1)},MATCH(${k + 1},$E$${raw(0)}:$E$${raw(n - 1)},0))`;
  rows.forEach((_, k) => {
    const r = sorted(k);
    writes.push({ at: `A${r}`, formulas: [[guard(pick("A", k))]] });
    writes.push({ at: `B${r}`, formulas: [[guard(pick("B", k)), guard(pick("C", k))]], numberFormat: FORMAT.money });
    const row = core?.[k];
    if (!row) return;
    expected.set(`A${r}`, labelOf.get(row.input)!);
    if (!Number.isFinite(row.swing)) return;
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
      title: chart.title,
      categories: `A${sorted(0)}:A${sorted(n - 1)}`,
      series: [
        { name: "Input lower", values: `B${sorted(0)}:B${sorted(n - 1)}` },
        { name: "Input higher", values: `C${sorted(0)}:C${sorted(n - 1)}` },
      ],
      from: chart.from,
      to: chart.to,
    },
    expected,
    end: sorted(n - 1) + 1,
  };
}
