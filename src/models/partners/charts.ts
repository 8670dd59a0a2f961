import type { ProgramResult } from "../../core/partners/program";
import type { ChartData } from "../charts";

/**
 * The partner model's key result as a chart for the pane, from the core's numbers (the same
 * the sheet's formulas compute): each partner's total net value over the program,
 * discounted to today, the partners in the order of their rank (the highest first).
 */
export function partnerCharts(program: ProgramResult): ChartData[] {
  const ranked = [...program.partners].sort((a, b) => a.rank - b.rank);
  return [
    {
      title: "Total net value by partner, over the program",
      kind: "column",
      xLabel: "partner",
      categories: ranked.map((p) => p.name),
      series: [{ name: "Total net value", points: ranked.map((p, x) => ({ x, y: p.totalNetValue })) }],
    },
  ];
}
