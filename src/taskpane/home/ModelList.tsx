import { Button, Caption1, Card, CardHeader, makeStyles, MessageBar, MessageBarActions, MessageBarBody, Spinner, Text, tokens } from "@fluentui/react-components";
import { useCallback, useEffect, useState } from "react";
import type { WorkbookHost } from "../../host/workbookHost";
import { OccupiedCellsError } from "../../models/written";
import { ConfirmDialog } from "../common/ConfirmDialog";
import type { ModelIndex } from "../../models/registry";
import { forgetModelIndex } from "../common/modelIndex";
import { builtWhen, canChange, rebuildModel, removeModel, workbookModels, type ModelKind, type WorkbookModel } from "./models";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  list: { margin: 0, padding: 0, listStyleType: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  details: { display: "flex", flexDirection: "column", overflowWrap: "anywhere" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  problem: { color: tokens.colorPaletteRedForeground1 },
});

type Pending = { kind: "remove" | "replace"; model: WorkbookModel; message: string } | { kind: "forget"; message: string };

/**
 * The models built in this workbook: kind, sheet and when built, each with Open, Rebuild and
 * Remove; and, when the workbook's list of models cannot be read, why, and how to go on.
 */
export function ModelList({ host, onOpen }: { host: WorkbookHost; onOpen: (view: ModelKind, key: string) => void }) {
  const styles = useStyles();
  const [models, setModels] = useState<WorkbookModel[]>();
  const [index, setIndex] = useState<ModelIndex>();
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<{ intent: "success" | "warning" | "error"; text: string }>();
  const [pending, setPending] = useState<Pending>();

  const refresh = useCallback(() => {
    workbookModels(host).then(
      (read) => {
        setModels(read.models);
        setIndex(read.index);
      },
      (e: unknown) => {
        setModels([]);
        setMessage({ intent: "error", text: `The workbook's models could not be read: ${e instanceof Error ? e.message : String(e)}` });
      },
    );
  }, [host]);
  useEffect(refresh, [refresh]);

  const rebuild = async (model: WorkbookModel, overwrite = false) => {
    setPending(undefined);
    setMessage(undefined);
    setBusy(`Rebuilding the ${model.title.toLowerCase()}…`);
    try {
      const { notes } = await rebuildModel(host, model, overwrite);
      setMessage({ intent: notes.length > 0 ? "warning" : "success", text: notes.length > 0 ? notes.join(" ") : `The ${model.title.toLowerCase()} was rebuilt.` });
    } catch (e) {
      if (e instanceof OccupiedCellsError) setPending({ kind: "replace", model, message: `${e.message} Replace ${e.count === 1 ? "it" : "them"} with the model, or cancel and move your content first.` });
      else setMessage({ intent: "error", text: `The ${model.title.toLowerCase()} could not be rebuilt: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(undefined);
      refresh();
    }
  };

  const remove = async (model: WorkbookModel) => {
    setPending(undefined);
    setMessage(undefined);
    setBusy(`Removing the ${model.title.toLowerCase()}…`);
    try {
      const removed = await removeModel(host, model);
      setMessage({ intent: "success", text: removed.length > 0 ? `Removed ${removed.map((n) => `“${n}”`).join(", ")} and the model's settings.` : "The model's sheets were no longer in the workbook; its settings were removed." });
    } catch (e) {
      setMessage({ intent: "error", text: `The ${model.title.toLowerCase()} could not be removed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(undefined);
      refresh();
    }
  };

  const forget = async () => {
    setPending(undefined);
    setMessage(undefined);
    try {
      await forgetModelIndex(host);
      setMessage({ intent: "success", text: "The unreadable list of models was forgotten: the list is written anew when a model is next built or rebuilt." });
    } catch (e) {
      setMessage({ intent: "error", text: `The list of models could not be forgotten: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      refresh();
    }
  };

  const askRemove = (model: WorkbookModel) => {
    const sheets = model.sheets.map((n) => `“${n}”`).join(", ");
    setPending({
      kind: "remove",
      model,
      message: `Delete ${model.sheets.length === 1 ? "the sheet" : "the sheets"} ${sheets} and forget the ${model.title.toLowerCase()}'s settings? Formulas of yours that read ${model.sheets.length === 1 ? "it" : "them"} will show #REF!. This cannot be undone from the pane.`,
    });
  };

  if (!models) return <Spinner size="tiny" label="Looking for models in this workbook…" />;
  return (
    <section className={styles.root} aria-labelledby="workbook-models-title" data-testid="workbook-models">
      <Text as="h2" weight="semibold" id="workbook-models-title">
        Models in this workbook
      </Text>
      {index?.problem && (
        <MessageBar intent="warning" data-testid="models-index-problem" layout="multiline">
          <MessageBarBody>
            {index.newer ? index.problem : `${index.problem} Only the first model of each kind is listed, and no other can be added, until it is resolved: forget the list (models other than the first of each kind are then no longer listed; their sheets and settings stay), or open the workbook with the Lifetime that wrote it.`}
          </MessageBarBody>
          {!index.newer && (
            <MessageBarActions>
              <Button
                size="small"
                onClick={() =>
                  setPending({
                    kind: "forget",
                    message: "Forget the workbook's unreadable list of models? Lifetime then lists the first model of each kind, and writes the list anew when a model is next built. Models other than the first of each kind are no longer listed; their sheets and settings stay.",
                  })
                }
              >
                Forget the list
              </Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      {models.length === 0 ? (
        <Caption1>None yet: build one below.</Caption1>
      ) : (
        <ul className={styles.list}>
          {models.map((m) => {
            const when = builtWhen(m.builtAt);
            const changeable = canChange(m) && !busy;
            return (
              <li key={m.key} data-model={m.kind} data-key={m.key}>
                <Card>
                  <CardHeader
                    header={<Text weight="semibold">{m.title}</Text>}
                    description={
                      <span className={styles.details}>
                        {m.sheet && <Caption1>On “{m.sheet}”{m.scenarios > 1 ? `, ${m.scenarios} scenarios` : ""}</Caption1>}
                        {m.written && <Caption1>{when ? `Built ${when}` : "Built by an earlier Lifetime (no date kept)"}</Caption1>}
                        {!m.written && !m.problem && <Caption1>Settings saved, not built yet</Caption1>}
                        {m.problem && <Caption1 className={styles.problem}>{m.problem}</Caption1>}
                      </span>
                    }
                  />
                  <div className={styles.actions}>
                    <Button size="small" appearance="primary" onClick={() => onOpen(m.kind, m.key)} aria-label={`Open the ${m.label}`}>
                      Open
                    </Button>
                    <Button size="small" disabled={!changeable} onClick={() => void rebuild(m)} aria-label={`Rebuild the ${m.label}`}>
                      Rebuild
                    </Button>
                    <Button size="small" disabled={!changeable} onClick={() => askRemove(m)} aria-label={`Remove the ${m.label}`}>
                      Remove
                    </Button>
                  </div>
                </Card>
              </li>
            );
          })}
        </ul>
      )}
      {busy && <Spinner size="tiny" label={busy} />}
      {message && (
        <MessageBar intent={message.intent} data-testid="models-message">
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
      <ConfirmDialog
        title={pending?.kind === "remove" ? "Remove the model?" : pending?.kind === "forget" ? "Forget the list of models?" : "Replace your cells?"}
        message={pending?.message}
        confirm={pending?.kind === "remove" ? "Remove" : pending?.kind === "forget" ? "Forget" : "Replace"}
        onConfirm={() => pending && void (pending.kind === "remove" ? remove(pending.model) : pending.kind === "forget" ? forget() : rebuild(pending.model, true))}
        onCancel={() => setPending(undefined)}
      />
    </section>
  );
}
