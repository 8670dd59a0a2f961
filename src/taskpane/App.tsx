import { FluentProvider, makeStyles, MessageBar, MessageBarBody, Tab, TabList, Title2, tokens, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { useState } from "react";
import type { WorkbookHost } from "../host/workbookHost";
import { FIRST_KEYS, type ModelKind } from "../models/registry";
import { CohortModelForm } from "./cohort/CohortModelForm";
import { ConfirmDialog } from "./common/ConfirmDialog";
import { FunctionGallery } from "./functions/FunctionGallery";
import { Home } from "./home/Home";
import { PartnerModelForm } from "./partners/PartnerModelForm";

const useStyles = makeStyles({
  // The views' tabs wrap in a pane narrower than Excel's 320 px (the preview on a phone).
  tabs: { flexWrap: "wrap" },
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: tokens.spacingHorizontalL,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    minWidth: "280px",
  },
});

type View = "home" | "cohort" | "partners" | "functions";

export function App({ host, dark }: { host: WorkbookHost; dark: boolean }) {
  const styles = useStyles();
  const [view, setView] = useState<View>("home");
  /** The model each builder edits, by its settings key: the first of its kind until another is opened or made. */
  const [keys, setKeys] = useState<Record<ModelKind, string>>({ ...FIRST_KEYS });
  const open = (next: View, key?: string) => {
    if (key && (next === "cohort" || next === "partners")) setKeys((k) => ({ ...k, [next]: key }));
    setView(next);
  };
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState<{ formula: string; message: string }>();
  const insert = (formula: string, overwrite = false) => {
    setPending(undefined);
    setError(undefined);
    host.insertFormula(formula, { overwrite }).then(
      (result) => {
        if (!result.inserted) {
          const shown = result.content.length > 60 ? `${result.content.slice(0, 60)}…` : result.content;
          setPending({ formula, message: `${result.address} holds “${shown}”. Replace it with ${formula}?` });
        }
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <main className={styles.root}>
        <Title2 as="h1">Lifetime</Title2>
        <TabList className={styles.tabs} selectedValue={view} onTabSelect={(_, d) => setView(d.value as View)} aria-label="Views">
          <Tab value="home">Home</Tab>
          <Tab value="cohort">Cohort model</Tab>
          <Tab value="partners">Partner model</Tab>
          <Tab value="functions">Functions</Tab>
        </TabList>
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        {view === "home" && <Home onOpen={open} host={host} />}
        {view === "cohort" && <CohortModelForm key={keys.cohort} host={host} settingsKey={keys.cohort} />}
        {view === "partners" && <PartnerModelForm key={keys.partners} host={host} settingsKey={keys.partners} />}
        {view === "functions" && <FunctionGallery onInsert={(f) => insert(f)} />}
        <ConfirmDialog title="Replace the cell?" message={pending?.message} confirm="Replace" onConfirm={() => pending && insert(pending.formula, true)} onCancel={() => setPending(undefined)} />
      </main>
    </FluentProvider>
  );
}
