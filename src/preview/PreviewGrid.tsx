import { Button, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Tab, TabList, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { cellAddress, columnLetter, parseAddress } from "../models/plan";
import { displayText } from "../host/preview/display";
import type { PreviewWorkbook } from "../host/preview/previewHost";
import { LazyResultChart as ResultChart } from "../taskpane/common/LazyResultChart";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0, flexGrow: 1 },
  bar: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
  formula: { flexGrow: 1, fontFamily: tokens.fontFamilyMonospace },
  scroller: { overflow: "auto", border: `1px solid ${tokens.colorNeutralStroke1}`, maxHeight: "calc(100vh - 140px)" },
  table: { borderCollapse: "collapse", userSelect: "none", fontSize: tokens.fontSizeBase200, fontVariantNumeric: "tabular-nums" },
  head: { backgroundColor: tokens.colorNeutralBackground3, position: "sticky", top: 0, padding: "2px 6px", fontWeight: tokens.fontWeightSemibold },
  cell: { border: `1px solid ${tokens.colorNeutralStroke2}`, padding: "2px 6px", whiteSpace: "nowrap", maxWidth: "240px", overflow: "hidden", textOverflow: "ellipsis", cursor: "cell" },
  charts: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(280px, 1fr))", gap: tokens.spacingHorizontalM },
  selected: { outline: `2px solid ${tokens.colorBrandStroke1}`, outlineOffset: "-2px", backgroundColor: tokens.colorBrandBackground2 },
});

/** The preview workbook as a grid with sheet tabs and a formula bar; click to select, shift-click to extend. */
export function PreviewGrid({ workbook }: { workbook: PreviewWorkbook }) {
  const styles = useStyles();
  const [, setVersion] = useState(0);
  useEffect(() => workbook.onChange(() => setVersion((v) => v + 1)), [workbook]);
  const sheet = workbook.selection.sheet;
  const id = workbook.sheetId(sheet);
  const size = workbook.hf.getSheetDimensions(id);
  const rows = Math.min(Math.max(size.height, 20) + 2, 400);
  const columns = Math.min(Math.max(size.width, 10) + 1, 60);
  const [start, end = start] = workbook.selection.range.split(":") as [string, string?];
  const a = parseAddress(start);
  const b = parseAddress(end!);
  const inSelection = (r: number, c: number) => r >= Math.min(a.row, b.row) && r <= Math.max(a.row, b.row) && c >= Math.min(a.column, b.column) && c <= Math.max(a.column, b.column);
  const active = { sheet: id, row: a.row - 1, col: a.column - 1 };
  const current = workbook.hf.getCellFormula(active) ?? String(workbook.hf.getCellValue(active) ?? "");
  const [draft, setDraft] = useState(current);
  useEffect(() => setDraft(current), [current, start, sheet]);
  const [refused, setRefused] = useState<{ title: string; message: string } | undefined>();
  useEffect(() => setRefused(undefined), [start, sheet]);
  const validation = workbook.validationAt(id, a.row, a.column);
  const charts = workbook.chartsOf(sheet);
  const error = workbook.errorAt(id, a.row, a.column);

  const select = (r: number, c: number, extend: boolean) => {
    workbook.selection = { sheet, range: extend ? `${start}:${cellAddress(r, c)}` : cellAddress(r, c) };
    workbook.changed();
  };
  const commit = () => {
    const content = draft.trim() === "" ? null : draft.startsWith("=") || Number.isNaN(Number(draft)) ? draft : Number(draft);
    // As Excel's stop alert: an entry the cell's validation refuses is not kept.
    setRefused(workbook.enter(sheet, start, content));
    workbook.changed();
  };

  return (
    <section className={styles.root} aria-label="Preview workbook">
      <TabList selectedValue={sheet} onTabSelect={(_, d) => { workbook.selection = { sheet: String(d.value), range: "A1" }; workbook.changed(); }} aria-label="Sheets">
        {workbook.hf.getSheetNames().map((name) => (
          <Tab key={name} value={name}>{name}</Tab>
        ))}
      </TabList>
      <div className={styles.bar}>
        <span aria-label="Selected range" data-testid="selection">{workbook.selection.range}</span>
        <Input className={styles.formula} aria-label="Formula bar" value={draft} onChange={(_, d) => setDraft(d.value)} onKeyDown={(e) => e.key === "Enter" && commit()} />
        <Button onClick={commit}>Enter</Button>
      </div>
      {refused ? (
        <MessageBar intent="error" data-testid="validation-error">
          <MessageBarBody>
            <MessageBarTitle>{refused.title}</MessageBarTitle>
            {refused.message}
          </MessageBarBody>
        </MessageBar>
      ) : error ? (
        <MessageBar intent="warning" data-testid="error-message">
          <MessageBarBody>
            <MessageBarTitle>{error.code}</MessageBarTitle>
            {error.message || "Excel shows no message for this error."}
          </MessageBarBody>
        </MessageBar>
      ) : validation ? (
        <MessageBar intent="info" data-testid="validation-prompt">
          <MessageBarBody>
            <MessageBarTitle>{validation.prompt.title}</MessageBarTitle>
            {validation.prompt.message}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.scroller} tabIndex={0} role="region" aria-label={`Cells of ${sheet}`}>
        <table className={styles.table} data-testid="grid">
          <thead>
            <tr>
              <th className={styles.head} />
              {Array.from({ length: columns }, (_, c) => (
                <th key={c} className={styles.head} scope="col">{columnLetter(c + 1)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, r) => (
              <tr key={r}>
                <th className={styles.head} scope="row">{r + 1}</th>
                {Array.from({ length: columns }, (_, c) => {
                  const value = workbook.hf.getCellValue({ sheet: id, row: r, col: c });
                  const address = cellAddress(r + 1, c + 1);
                  return (
                    <td
                      key={c}
                      data-cell={address}
                      className={inSelection(r + 1, c + 1) ? `${styles.cell} ${styles.selected}` : styles.cell}
                      onClick={(e) => select(r + 1, c + 1, e.shiftKey)}
                    >
                      {displayText(value, workbook.formatAt(id, r + 1, c + 1))}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {charts.length > 0 && (
        <section className={styles.charts} aria-label={`Charts on ${sheet}`} data-testid="sheet-charts">
          {charts.map((chart) => (
            <ResultChart key={chart.title} chart={chart} />
          ))}
        </section>
      )}
    </section>
  );
}
