import {
  Body1,
  Caption1,
  FluentProvider,
  makeStyles,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import type { HostEnvironment } from "../host/environment";

const useStyles = makeStyles({
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: tokens.spacingHorizontalL,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  code: { fontFamily: tokens.fontFamilyMonospace },
});

const FUNCTIONS: readonly [string, string][] = [
  ["LTV.CLV", "Lifetime value of a new customer"],
  ["LTV.CLV_SCHEDULE", "The value period by period (spills)"],
  ["LTV.RETENTION_ROI", "Return on a retention program"],
  ["LTV.ACQ_VS_RETAIN", "Acquire or retain: where the next dollar goes"],
  ["LTV.CAC_PAYBACK", "Periods to repay the acquisition cost"],
  ["LTV.PERIODIC_RATE", "Annual rate to a monthly or quarterly one"],
];

export function App({ host }: { host: HostEnvironment }) {
  const styles = useStyles();
  return (
    <FluentProvider theme={host.dark ? webDarkTheme : webLightTheme}>
      <main className={styles.root}>
        <Title2 as="h1">Lifetime</Title2>
        <Body1>Customer lifetime value and retention models, in your cells.</Body1>
        <Subtitle2 as="h2">Functions</Subtitle2>
        <Table aria-label="Lifetime functions" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Function</TableHeaderCell>
              <TableHeaderCell>What it gives</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {FUNCTIONS.map(([name, what]) => (
              <TableRow key={name}>
                <TableCell className={styles.code}>{name}</TableCell>
                <TableCell>{what}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Caption1>
          Type <span className={styles.code}>=LTV.</span> in a cell to see each function&apos;s help.
          {host.kind === "browser" ? " Open this page from Excel to use the functions." : ""}
        </Caption1>
      </main>
    </FluentProvider>
  );
}
