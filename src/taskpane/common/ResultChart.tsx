import { AreaChart, LineChart, VerticalBarChart, withResponsiveContainer, type ChartProps } from "@fluentui/react-charts";
import { Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { ChartData } from "../../models/charts";

const useStyles = makeStyles({
  figure: { margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, minWidth: 0 },
  title: { fontWeight: tokens.fontWeightSemibold },
});

// Each chart follows its container's width as the pane is resized, not only the width it first had.
const ResponsiveBarChart = withResponsiveContainer(VerticalBarChart);
const ResponsiveLineChart = withResponsiveContainer(LineChart);
const ResponsiveAreaChart = withResponsiveContainer(AreaChart);

/** Axis labels as people read amounts: 0.25, 4.5K, 90K, 1.2M. */
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 2 });
const tick = (value: number) => compact.format(value);

/** One chart of a model's results, drawn with Fluent UI's charts (themed with the pane, light or dark). */
export function ResultChart({ chart, height = 220 }: { chart: ChartData; height?: number }) {
  const styles = useStyles();
  const data: ChartProps = {
    chartTitle: chart.title,
    lineChartData: chart.series.map((s) => ({ legend: s.name, data: s.points })),
  };
  const description = `${chart.title}: ${chart.series.map((s) => s.name).join(", ")} by ${chart.xLabel}`;
  return (
    <figure className={styles.figure} data-testid="result-chart" aria-label={description}>
      <Caption1 className={styles.title}>{chart.title}</Caption1>
      {chart.kind === "column" ? (
        <ResponsiveBarChart
          chartTitle={chart.title}
          data={(chart.series[0]?.points ?? []).map((p) => ({ x: chart.categories?.[p.x] ?? String(p.x + 1), y: p.y, legend: chart.series[0]!.name }))}
          height={height}
          hideLegend
          yAxisTickFormat={tick}
          // One colour for every column (by default the highest takes another), as wide as the pane allows, each label wrapped under its column.
          useSingleColor
          barWidth="auto"
          maxBarWidth={48}
          wrapXAxisLables
        />
      ) : chart.kind === "line" ? (
        <ResponsiveLineChart data={data} height={height} hideLegend={chart.series.length > 6} yAxisTickFormat={tick} />
      ) : (
        <ResponsiveAreaChart data={data} height={height} hideLegend={chart.series.length > 6} yAxisTickFormat={tick} />
      )}
      {chart.note && <Caption1>{chart.note}</Caption1>}
    </figure>
  );
}
