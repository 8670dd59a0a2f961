import { Button, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Tab, TabList, tokens } from "@fluentui/react-components";
import { memo, useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent } from "react";
import { cellAddress, columnLetter, parseAddress } from "../models/plan";
import { displayText } from "../host/preview/display";
import type { PreviewWorkbook } from "../host/preview/previewHost";
import { LazyResultChart } from "../taskpane/common/LazyResultChart";

/** A chart redrawn only when its data change. */
const ResultChart = memo(LazyResultChart);

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0, flexGrow: 1 },
  bar: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center", minWidth: 0 },
  formulaBox: { flex: "1 1 160px", minWidth: 0, display: "flex" },
  formula: { flexGrow: 1, minWidth: 0, fontFamily: tokens.fontFamilyMonospace },
  scroller: { overflow: "auto", border: `1px solid ${tokens.colorNeutralStroke1}`, maxHeight: "calc(100vh - 140px)", outlineOffset: "-2px" },
  table: { borderCollapse: "collapse", userSelect: "none", fontSize: tokens.fontSizeBase200, fontVariantNumeric: "tabular-nums" },
  head: { backgroundColor: tokens.colorNeutralBackground3, position: "sticky", top: 0, padding: "2px 6px", fontWeight: tokens.fontWeightSemibold },
  cell: { border: `1px solid ${tokens.colorNeutralStroke2}`, padding: "2px 6px", whiteSpace: "nowrap", maxWidth: "240px", overflow: "hidden", textOverflow: "ellipsis", cursor: "cell" },
  number: { textAlign: "right" },
  editor: { width: "100%", minWidth: "80px", boxSizing: "border-box", font: "inherit", border: "none", outline: "none", padding: 0, backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  charts: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(280px, 1fr))", gap: tokens.spacingHorizontalM },
  selected: { outline: `2px solid ${tokens.colorBrandStroke1}`, outlineOffset: "-2px", backgroundColor: tokens.colorBrandBackground2 },
});

/** Content typed into a cell as the engine takes it: a formula, a number, text, or nothing. */
const parseEntry = (text: string): string | number | null => (text.trim() === "" ? null : text.startsWith("=") || Number.isNaN(Number(text)) ? text : Number(text));

/** Excel's column width in characters, as pixels in the grid (7 px a character, padding aside). */
const widthOf = (characters: number | undefined) => (characters === undefined ? undefined : `${Math.round(characters * 7)}px`);

/**
 * The preview workbook as a grid with sheet tabs and a formula bar, kept like Excel's:
 * click or arrow keys to move (Shift extends), type to replace a cell or F2 to edit it in
 * place, Enter and Tab to enter and move on, Escape to cancel, Delete to clear, Ctrl+Z and
 * Ctrl+Y to undo and redo, Ctrl+C and Ctrl+V to copy and paste (tab-separated text).
 * Entries go through the cell's validation, as Excel's stop alert.
 */
export function PreviewGrid({ workbook }: { workbook: PreviewWorkbook }) {
  const styles = useStyles();
  const [version, setVersion] = useState(0);
  useEffect(() => workbook.onChange(() => setVersion((v) => v + 1)), [workbook]);
  const scroller = useRef<HTMLDivElement>(null);
  const sheet = workbook.selection.sheet;
  const id = workbook.sheetId(sheet);
  const size = workbook.engine.getSheetDimensions(id);
  const rows = Math.min(Math.max(size.height, 20) + 2, 400);
  const columns = Math.min(Math.max(size.width, 10) + 1, 60);
  const [start, end = start] = workbook.selection.range.split(":") as [string, string?];
  const a = parseAddress(start);
  const b = parseAddress(end!);
  const top = Math.min(a.row, b.row);
  const bottom = Math.max(a.row, b.row);
  const left = Math.min(a.column, b.column);
  const right = Math.max(a.column, b.column);
  const inSelection = (r: number, c: number) => r >= top && r <= bottom && c >= left && c <= right;
  const active = { sheet: id, row: a.row - 1, col: a.column - 1 };
  const current = workbook.engine.getCellFormula(active) ?? String(workbook.engine.getCellSerialized(active) ?? "");
  const [draft, setDraft] = useState(current);
  useEffect(() => setDraft(current), [current, start, sheet]);
  /** The text of the cell being edited in place, or undefined when none is. */
  const [editing, setEditing] = useState<string | undefined>();
  const [refused, setRefused] = useState<{ title: string; message: string } | undefined>();
  useEffect(() => setRefused(undefined), [start, sheet]);
  const validation = workbook.validationAt(id, a.row, a.column);
  // Read again only when the workbook changes, not on each key typed into a cell.
  const charts = useMemo(() => workbook.chartsOf(sheet), [workbook, sheet, version]);
  // The heat maps' scales, read once per change of the workbook; a cell then looks up its colour.
  const heatMaps = useMemo(() => workbook.heatMapsOf(sheet), [workbook, sheet, version]);
  const error = workbook.errorAt(id, a.row, a.column);
  const widths = workbook.columnWidths.get(id) ?? {};
  // Each column's letter and width, once per render rather than once per cell.
  const columnsShown = Array.from({ length: columns }, (_, c) => ({ letter: columnLetter(c + 1), width: widthOf(widths[columnLetter(c + 1)]) }));

  const selectCell = (row: number, column: number, extend = false) => {
    const r = Math.max(1, Math.min(row, 1_048_576));
    const c = Math.max(1, Math.min(column, 16_384));
    workbook.selection = { sheet, range: extend ? `${start}:${cellAddress(r, c)}` : cellAddress(r, c) };
    workbook.changed();
    document.querySelector(`[data-testid="grid"] td[data-cell="${cellAddress(r, c)}"]`)?.scrollIntoView({ block: "nearest", inline: "nearest" });
  };
  /** Enters text into the active cell; refused entries stay in the editor, as Excel keeps them for correction. */
  const enter = (text: string): boolean => {
    const problem = workbook.enter(sheet, start, parseEntry(text));
    setRefused(problem);
    workbook.changed();
    return problem === undefined;
  };
  const commitBar = () => enter(draft);
  const finishEdit = (move: { rows: number; columns: number } | undefined) => {
    if (editing !== undefined && !enter(editing)) return;
    setEditing(undefined);
    if (move) selectCell(a.row + move.rows, a.column + move.columns);
    scroller.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (editing !== undefined) return; // the editor's own keys
    const ctrl = e.ctrlKey || e.metaKey;
    const arrows: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const arrow = arrows[e.key];
    if (arrow) {
      e.preventDefault();
      if (e.shiftKey) {
        workbook.selection = { sheet, range: `${start}:${cellAddress(Math.max(1, b.row + arrow[0]), Math.max(1, b.column + arrow[1]))}` };
        workbook.changed();
      } else selectCell(a.row + arrow[0], a.column + arrow[1]);
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      const back = e.shiftKey ? -1 : 1;
      if (e.key === "Enter") selectCell(a.row + back, a.column);
      else selectCell(a.row, a.column + back);
    } else if (e.key === "F2") {
      e.preventDefault();
      setEditing(current);
    } else if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      workbook.setCells(sheet, cellAddress(top, left), Array.from({ length: bottom - top + 1 }, () => new Array<null>(right - left + 1).fill(null)));
      workbook.changed();
    } else if (ctrl && (e.key === "z" || e.key === "Z")) {
      e.preventDefault();
      if (e.shiftKey ? workbook.redo() : workbook.undo()) workbook.changed();
    } else if (ctrl && (e.key === "y" || e.key === "Y")) {
      e.preventDefault();
      if (workbook.redo()) workbook.changed();
    } else if (!ctrl && !e.altKey && e.key.length === 1) {
      e.preventDefault();
      setEditing(e.key); // typing replaces the cell, as in Excel
    }
  };
  const onCopy = (e: ClipboardEvent<HTMLDivElement>) => {
    if (editing !== undefined) return;
    e.preventDefault();
    e.clipboardData.setData("text/plain", workbook.text(sheet, `${cellAddress(top, left)}:${cellAddress(bottom, right)}`).map((r) => r.join("\t")).join("\n"));
  };
  const onPaste = (e: ClipboardEvent<HTMLDivElement>) => {
    if (editing !== undefined) return;
    e.preventDefault();
    const lines = e.clipboardData.getData("text/plain").replace(/\r?\n$/, "").split(/\r?\n/);
    const grid = lines.map((line) => line.split("\t").map(parseEntry));
    const width = grid.reduce((m, r) => Math.max(m, r.length), 0);
    workbook.setCells(sheet, cellAddress(top, left), grid.map((r) => [...r, ...new Array<null>(width - r.length).fill(null)]));
    workbook.changed();
  };

  return (
    <section className={styles.root} aria-label="Preview workbook">
      <TabList selectedValue={sheet} onTabSelect={(_, d) => { workbook.selection = { sheet: String(d.value), range: "A1" }; setEditing(undefined); workbook.changed(); }} aria-label="Sheets">
        {workbook.engine.getSheetNames().map((name) => (
          <Tab key={name} value={name}>{name}</Tab>
        ))}
      </TabList>
      <div className={styles.bar}>
        <span aria-label="Selected range" data-testid="selection">{workbook.selection.range}</span>
        <div className={styles.formulaBox}>
          <Input className={styles.formula} aria-label="Formula bar" value={draft} onChange={(_, d) => setDraft(d.value)} onKeyDown={(e) => e.key === "Enter" && commitBar()} />
        </div>
        <Button onClick={commitBar}>Enter</Button>
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
      <div
        ref={scroller}
        className={styles.scroller}
        tabIndex={0}
        role="region"
        aria-label={`Cells of ${sheet}; ${workbook.selection.range} selected`}
        onKeyDown={onKeyDown}
        onCopy={onCopy}
        onPaste={onPaste}
        data-testid="cells"
      >
        <table className={styles.table} data-testid="grid">
          <thead>
            <tr>
              <th className={styles.head} />
              {columnsShown.map(({ letter, width }) => (
                <th key={letter} className={styles.head} scope="col" style={{ minWidth: width }}>{letter}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, r) => (
              <tr key={r}>
                <th className={styles.head} scope="row">{r + 1}</th>
                {Array.from({ length: columns }, (_, c) => {
                  const value = workbook.engine.getCellValue({ sheet: id, row: r, col: c });
                  const address = cellAddress(r + 1, c + 1);
                  const style = workbook.styles.get(`${id}!${r + 1}:${c + 1}`);
                  const isActive = r + 1 === a.row && c + 1 === a.column;
                  const heat = heatMaps.length === 0 ? undefined : heatMaps.find((h) => r + 1 >= h.top && r + 1 <= h.bottom && c + 1 >= h.left && c + 1 <= h.right)?.color(value);
                  const fill = style?.fill ?? heat;
                  const classes = [styles.cell, typeof value === "number" ? styles.number : "", inSelection(r + 1, c + 1) ? styles.selected : ""].join(" ");
                  return (
                    <td
                      key={c}
                      data-cell={address}
                      className={classes}
                      // A plan's input styling: bold labels, the pale yellow of input cells, a heat map's colours (with dark text, in either theme).
                      style={{ fontWeight: style?.bold ? 600 : undefined, fontStyle: style?.italic ? "italic" : undefined, backgroundColor: fill && !inSelection(r + 1, c + 1) ? fill : undefined, color: fill ? "#1b1b1b" : undefined, maxWidth: columnsShown[c]!.width }}
                      onClick={(e) => {
                        if (editing !== undefined) finishEdit(undefined);
                        selectCell(r + 1, c + 1, e.shiftKey);
                        scroller.current?.focus();
                      }}
                      onDoubleClick={() => setEditing(current)}
                    >
                      {isActive && editing !== undefined ? (
                        <input
                          className={styles.editor}
                          aria-label={`Edit ${address}`}
                          autoFocus
                          value={editing}
                          onChange={(e) => setEditing(e.target.value)}
                          onKeyDown={(e) => {
                            if (e.key === "Enter" || e.key === "Tab") {
                              e.preventDefault();
                              const back = e.shiftKey ? -1 : 1;
                              finishEdit(e.key === "Enter" ? { rows: back, columns: 0 } : { rows: 0, columns: back });
                            } else if (e.key === "Escape") {
                              e.preventDefault();
                              setEditing(undefined);
                              setRefused(undefined);
                              scroller.current?.focus();
                            }
                          }}
                        />
                      ) : (
                        displayText(value, workbook.formatAt(id, r + 1, c + 1))
                      )}
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
