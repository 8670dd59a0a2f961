import { Body1, Button, Caption1, Card, CardHeader, MessageBar, MessageBarBody, Spinner, Text } from "@fluentui/react-components";
import { useState } from "react";
import { formatCount } from "../../core/errors";
import type { PortableCopyFile, WorkbookHost } from "../../host/workbookHost";
import { downloadBytes } from "../common/download";

/** What the pane says once the copy is saved. */
export function portableCopyMessage(copy: Pick<PortableCopyFile, "fileName" | "frozen" | "missing">): string {
  if (copy.frozen === 0) return `No cell calls Lifetime's functions: ${copy.fileName} is a plain copy, with a sheet saying so; your workbook is unchanged.`;
  const cells = copy.frozen === 1 ? "1 cell that calls Lifetime's functions was" : `${formatCount(copy.frozen)} cells that call Lifetime's functions were`;
  const missing =
    copy.missing === 0 ? "" : ` ${copy.missing === 1 ? "One of them had" : `${formatCount(copy.missing)} of them had`} no value saved yet and ${copy.missing === 1 ? "shows" : "show"} #N/A (the copy's sheet "About this copy" lists them).`;
  return `${cells} saved as values in ${copy.fileName}; your workbook is unchanged.${missing}`;
}

/** "Save a portable copy": the workbook for people without the add-in, downloaded. */
export function PortableCopy({ host }: { host: WorkbookHost }) {
  const [state, setState] = useState<{ busy?: boolean; done?: string; error?: string }>({});
  const save = async () => {
    setState({ busy: true });
    try {
      const copy = await host.portableCopy();
      downloadBytes(copy.fileName, copy.bytes);
      setState({ done: portableCopyMessage(copy) });
    } catch (error) {
      setState({ error: `The copy could not be made: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  return (
    <Card>
      <CardHeader
        header={<Text weight="semibold">Share with people without the add-in</Text>}
        description={
          <Caption1>
            A copy of this workbook in which every cell that calls a Lifetime function holds its current value, so it opens anywhere without #NAME? errors; a sheet in it says
            which cells and when. Other formulas stay live.{host.kind === "excel" ? " Save your workbook first, so the copy has your latest edits." : ""}
          </Caption1>
        }
      />
      <Button onClick={() => void save()} disabled={state.busy} icon={state.busy ? <Spinner size="tiny" /> : undefined}>
        Save a portable copy
      </Button>
      <Body1 role="status">{state.done ?? ""}</Body1>
      {state.error && (
        <MessageBar intent="error">
          <MessageBarBody>{state.error}</MessageBarBody>
        </MessageBar>
      )}
    </Card>
  );
}
