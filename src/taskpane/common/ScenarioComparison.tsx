import { makeStyles, Text, tokens } from "@fluentui/react-components";
import type { ChartData } from "../../models/charts";
import { LazyResultChart as ResultChart } from "./LazyResultChart";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  scroller: { overflowX: "auto", minWidth: 0, maxWidth: "100%", ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
  table: { borderCollapse: "collapse", fontSize: tokens.fontSizeBase200 },
  rowHeader: { position: "sticky", left: 0, backgroundColor: tokens.colorNeutralBackground1, textAlign: "start", fontWeight: tokens.fontWeightRegular, minWidth: "96px", maxWidth: "120px", overflowWrap: "anywhere", paddingRight: tokens.spacingHorizontalS },
  head: { textAlign: "end", overflowWrap: "anywhere", minWidth: "72px", paddingLeft: tokens.spacingHorizontalS, verticalAlign: "bottom" },
  value: { textAlign: "end", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap", paddingLeft: tokens.spacingHorizontalS },
});

export interface ComparisonRow {
  label: string;
  /** One per scenario, as shown. */
  values: string[];
}

/** The built scenarios side by side: a small table, one column per scenario (the active one marked), and a column chart. */
export function ScenarioComparison({ names, active, rows, chart }: { names: string[]; active: number; rows: ComparisonRow[]; chart: ChartData }) {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-label="Scenarios compared" data-testid="scenario-comparison">
      <Text as="h3" weight="semibold">
        Scenarios compared
      </Text>
      <div className={styles.scroller} role="region" aria-label="Scenario results" tabIndex={0}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col" className={styles.rowHeader}>
                Result
              </th>
              {names.map((name, j) => (
                <th scope="col" key={`${j}-${name}`} className={styles.head}>
                  {name}
                  {j === active ? " (active)" : ""}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row" className={styles.rowHeader}>
                  {row.label}
                </th>
                {row.values.map((v, j) => (
                  <td key={j} className={styles.value}>
                    {v}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ResultChart chart={chart} />
    </section>
  );
}
