import { Button, Caption1, makeStyles, MessageBar, MessageBarBody, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { WorkbookPlan } from "../../models/plan";
import { downloadBytes } from "./download";
import { exportFileName, exportPlanBytes } from "./exportPlan";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalXS },
});

/**
 * Downloads a model as a workbook of its own (.xlsx, charts included), built from the plan
 * the pane writes: for sending the model to someone, or keeping a snapshot. `plan` is the
 * plan, or a function giving it (undefined while there is none to export).
 */
export function ExportButton({ plan, fileName, disabled }: { plan: WorkbookPlan | (() => WorkbookPlan | undefined) | undefined; fileName?: string; disabled?: boolean }) {
  const styles = useStyles();
  const [state, setState] = useState<{ busy?: boolean; saved?: string; error?: string }>({});
  const exportModel = async () => {
    setState({ busy: true });
    try {
      const current = typeof plan === "function" ? plan() : plan;
      if (!current) throw new Error("There is no model to export yet: build it first.");
      const name = fileName ?? exportFileName(current);
      downloadBytes(name, await exportPlanBytes(current));
      setState({ saved: name });
    } catch (error) {
      setState({ error: `The model could not be exported: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  return (
    <div className={styles.root}>
      <Button onClick={() => void exportModel()} disabled={disabled || state.busy}>
        {state.busy ? "Exporting…" : "Export as .xlsx"}
      </Button>
      <Caption1 role="status">{state.saved ? `Saved ${state.saved}: the model and its charts, as a workbook of its own.` : ""}</Caption1>
      {state.error && (
        <MessageBar intent="error">
          <MessageBarBody>{state.error}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
