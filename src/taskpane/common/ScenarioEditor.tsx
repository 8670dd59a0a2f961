import { Button, Caption1, Field, Input, makeStyles, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Select, Text, tokens, useId } from "@fluentui/react-components";
import { MAX_SCENARIOS } from "../../models/scenarios";
import { addScenario, canAddScenario, deleteScenario, duplicateScenario, renameScenario, scenarioLabel, setOverride, type ScenarioCheck, type ScenarioDraft, type ScenarioRow } from "./scenarioDrafts";

/** The grid's columns in px: two scenarios beside the labels fit a 320 px pane; more scroll sideways. */
const LABEL_WIDTH = 96;
const COLUMN_WIDTH = 88;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  // The grid scrolls sideways within the pane when its columns are wider than the pane (more than two scenarios at 320 px).
  scroller: { overflowX: "auto", minWidth: 0, maxWidth: "100%", ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
  table: { borderCollapse: "collapse", tableLayout: "fixed", fontSize: tokens.fontSizeBase200 },
  rowHeader: {
    position: "sticky",
    left: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    textAlign: "start",
    fontWeight: tokens.fontWeightRegular,
    overflowWrap: "anywhere",
    paddingRight: tokens.spacingHorizontalS,
    paddingTop: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalXXS,
    verticalAlign: "middle",
  },
  column: { textAlign: "start", verticalAlign: "bottom", paddingLeft: tokens.spacingHorizontalXXS, paddingRight: tokens.spacingHorizontalXXS },
  // The name (wrapped when long), its actions button under it, alike in every column.
  columnHead: { display: "flex", flexDirection: "column", alignItems: "flex-start", minWidth: 0 },
  columnName: { overflowWrap: "anywhere", fontWeight: tokens.fontWeightSemibold, minWidth: 0, maxWidth: "100%" },
  menuButton: { minWidth: "24px", paddingLeft: tokens.spacingHorizontalXXS, paddingRight: tokens.spacingHorizontalXXS },
  cell: { paddingLeft: tokens.spacingHorizontalXXS, paddingRight: tokens.spacingHorizontalXXS, paddingTop: tokens.spacingVerticalXXS, paddingBottom: tokens.spacingVerticalXXS, verticalAlign: "middle" },
  base: { paddingLeft: tokens.spacingHorizontalS, fontVariantNumeric: "tabular-nums", overflowWrap: "anywhere" },
  control: { width: "100%", minWidth: 0 },
  messages: { margin: 0, paddingLeft: tokens.spacingHorizontalL, color: tokens.colorPaletteRedForeground1, overflowWrap: "anywhere" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

export interface ScenarioEditorProps {
  /** The overridable inputs, labelled as the form labels them, with the base's values. */
  rows: ScenarioRow[];
  drafts: ScenarioDraft[];
  /** The active scenario's index. */
  active: number;
  check: ScenarioCheck;
  /** Scenarios added, renamed, duplicated, deleted or edited (the active index moves with a deletion). */
  onChange: (drafts: ScenarioDraft[], active: number) => void;
  /** Another scenario chosen to drive the model (the hook writes it to the workbook). */
  onActivate: (j: number) => void;
  /** While the workbook switches scenario. */
  busy?: boolean;
  /** What choosing the active scenario does now. */
  activeHint?: string;
}

/**
 * The model's scenarios as a compact grid: one row per overridable input, the base's values
 * first (read-only here: they are the form's own fields), then one column per scenario with
 * its overrides (blank: as the base). Scenarios are added, renamed, duplicated and deleted
 * here (never the base), and one is chosen to drive the model.
 */
export function ScenarioEditor({ rows, drafts, active, check, onChange, onActivate, busy, activeHint }: ScenarioEditorProps) {
  const styles = useStyles();
  const id = useId("scenarios");
  const messageId = (j: number, key: string) => `${id}-${j}-${key}`;
  const messages: { id: string; text: string }[] = [];
  drafts.forEach((_, j) => {
    const label = scenarioLabel(drafts, j);
    if (check.names[j]) messages.push({ id: messageId(j, "name"), text: `${label}: ${check.names[j]}` });
    for (const row of rows) {
      const m = check.cells[j]?.[row.key];
      if (m) messages.push({ id: messageId(j, row.key), text: `${label}: ${m}` });
    }
  });
  check.general.forEach((text, k) => messages.push({ id: `${id}-general-${k}`, text }));
  const described = (j: number, key: string, invalid: boolean) => (invalid ? messageId(j, key) : undefined);

  return (
    <section className={styles.root} aria-labelledby={`${id}-title`} data-testid="scenario-editor">
      <Text as="h3" weight="semibold" id={`${id}-title`}>
        Scenarios
      </Text>
      <Caption1>
        Each scenario changes some inputs; a blank cell takes the base&apos;s value. The active scenario drives the model sheet; with two scenarios or more, each gets a sheet of its own and a comparison sheet sets them side by side.
      </Caption1>
      <Field label="Active scenario" hint={activeHint}>
        <Select value={String(Math.min(active, drafts.length - 1))} disabled={busy} onChange={(_, d) => onActivate(Number(d.value))}>
          {drafts.map((d, j) => (
            <option key={d.key} value={String(j)}>
              {scenarioLabel(drafts, j)}
            </option>
          ))}
        </Select>
      </Field>
      <div className={styles.scroller} role="region" aria-label="Scenario inputs" tabIndex={0}>
        {/* Fixed columns: the labels' and one per scenario, so a name typed long wraps instead of widening its column. */}
        <table className={styles.table} style={{ width: `${LABEL_WIDTH + COLUMN_WIDTH * drafts.length}px` }} data-testid="scenario-grid">
          <colgroup>
            <col style={{ width: `${LABEL_WIDTH}px` }} />
            {drafts.map((d) => (
              <col key={d.key} style={{ width: `${COLUMN_WIDTH}px` }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th scope="col" className={styles.rowHeader}>
                Input
              </th>
              {drafts.map((d, j) => {
                const label = scenarioLabel(drafts, j);
                return (
                  <th scope="col" key={d.key} className={styles.column}>
                    <span className={styles.columnHead}>
                      <span className={styles.columnName}>{label}</span>
                      <Menu>
                        <MenuTrigger disableButtonEnhancement>
                          <Button className={styles.menuButton} size="small" appearance="subtle" aria-label={`Actions for scenario ${label}`} title={`Duplicate or delete ${label}`}>
                            …
                          </Button>
                        </MenuTrigger>
                        <MenuPopover>
                          <MenuList>
                            <MenuItem disabled={!canAddScenario(drafts)} onClick={() => onChange(duplicateScenario(drafts, j), active)}>
                              Duplicate
                            </MenuItem>
                            {j > 0 && (
                              <MenuItem
                                onClick={() => {
                                  const next = deleteScenario(drafts, active, j);
                                  onChange(next.drafts, next.active);
                                }}
                              >
                                Delete
                              </MenuItem>
                            )}
                          </MenuList>
                        </MenuPopover>
                      </Menu>
                    </span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row" className={styles.rowHeader}>
                Name
              </th>
              {drafts.map((d, j) => (
                <td key={d.key} className={styles.cell}>
                  <Input
                    className={styles.control}
                    size="small"
                    value={d.name}
                    maxLength={40}
                    aria-label={`Name of scenario ${j + 1}`}
                    aria-invalid={check.names[j] ? true : undefined}
                    aria-describedby={described(j, "name", !!check.names[j])}
                    onChange={(_, data) => onChange(renameScenario(drafts, j, data.value), active)}
                  />
                </td>
              ))}
            </tr>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" className={styles.rowHeader}>
                  {row.label}
                </th>
                {drafts.map((d, j) => {
                  const label = `${scenarioLabel(drafts, j)}: ${row.label}`;
                  if (j === 0) {
                    return (
                      <td key={d.key} className={`${styles.cell} ${styles.base}`} data-testid={`base-${row.key}`}>
                        {row.base}
                      </td>
                    );
                  }
                  const message = check.cells[j]?.[row.key];
                  const value = d.overrides[row.key] ?? "";
                  const change = (text: string) => onChange(setOverride(drafts, j, row.key, text), active);
                  return (
                    <td key={d.key} className={styles.cell}>
                      {row.options ? (
                        <Select className={styles.control} size="small" value={value} aria-label={label} aria-invalid={message ? true : undefined} aria-describedby={described(j, row.key, !!message)} onChange={(_, data) => change(data.value)}>
                          <option value="">As base</option>
                          {row.options.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </Select>
                      ) : (
                        <Input
                          className={styles.control}
                          size="small"
                          inputMode="decimal"
                          value={value}
                          placeholder={row.base}
                          aria-label={label}
                          aria-invalid={message ? true : undefined}
                          aria-describedby={described(j, row.key, !!message)}
                          onChange={(_, data) => change(data.value)}
                        />
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {messages.length > 0 && (
        <ul className={styles.messages} data-testid="scenario-problems">
          {messages.map((m) => (
            <li key={m.id} id={m.id}>
              {m.text}
            </li>
          ))}
        </ul>
      )}
      <div className={styles.actions}>
        <Button size="small" disabled={!canAddScenario(drafts)} onClick={() => onChange(addScenario(drafts), active)}>
          Add scenario
        </Button>
        {!canAddScenario(drafts) && <Caption1>At most {MAX_SCENARIOS} scenarios.</Caption1>}
      </div>
    </section>
  );
}
