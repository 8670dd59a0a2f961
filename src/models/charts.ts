import type { ChartPlan } from "./plan";

/**
 * A chart as numbers, for the pane and the preview to draw (Excel and the .xlsx draw a
 * plan's charts from its ranges themselves). Points whose value is not a number (an empty
 * cell, an error) are left out, as Excel leaves a gap.
 */
export interface ChartData {
  title: string;
  kind: "line" | "areaStacked" | "column";
  /** What the x axis counts, for the chart's description ("period", "age in months"). */
  xLabel: string;
  series: { name: string; points: { x: number; y: number }[] }[];
  /** Said under the chart when not every series is drawn. */
  note?: string;
  /** A column chart's category labels: point x is the index of its label. */
  categories?: string[];
}

/** The series a chart draws at most: the latest ones, the rest said in a note. */
export const MAX_DRAWN_SERIES = 12;

/**
 * A plan's chart with the values of its ranges, read by `read` (a row or column of cells):
 * what the preview draws beside its grid, from the cells as the engine computed them.
 */
export function chartFromCells(chart: ChartPlan, read: (range: string) => unknown[], xLabel = "period"): ChartData {
  const categories = read(chart.categories);
  if (chart.kind === "column") {
    // Text categories (a partner's name): each point at the index of its label.
    const labels = categories.map((c) => (c === null || c === undefined ? "" : String(c)));
    const series = chart.series.slice(-MAX_DRAWN_SERIES).map((s) => ({
      name: s.name,
      points: read(s.values).flatMap((y, x) => (typeof y === "number" && Number.isFinite(y) ? [{ x, y }] : [])),
    }));
    return { title: chart.title, kind: chart.kind, xLabel, series, categories: labels };
  }
  const shown = chart.series.slice(-MAX_DRAWN_SERIES);
  const series = shown.map((s) => {
    const values = read(s.values);
    const points: { x: number; y: number }[] = [];
    values.forEach((y, i) => {
      const x = categories[i];
      if (typeof x === "number" && typeof y === "number" && Number.isFinite(y)) points.push({ x, y });
    });
    return { name: s.name, points };
  });
  const note = chart.series.length > shown.length ? `The latest ${shown.length} of ${chart.series.length} series are drawn.` : undefined;
  return { title: chart.title, kind: chart.kind, xLabel, series, note };
}
