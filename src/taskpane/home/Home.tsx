import { Body1, Button, Card, CardHeader, Caption1, makeStyles, MessageBar, MessageBarBody, Text, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { WorkbookHost } from "../../host/workbookHost";
import type { ModelKind } from "../../models/registry";
import { allocateModelKey } from "../common/modelIndex";
import { PortableCopy } from "./PortableCopy";
import { ModelList } from "./ModelList";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

/**
 * What Lifetime does, the workbook's models, New for each kind of model (an empty form under a
 * settings key of its own), and a copy of the workbook for people without the add-in.
 */
export function Home({ onOpen, host }: { onOpen: (view: ModelKind | "functions", key?: string) => void; host: WorkbookHost }) {
  const styles = useStyles();
  const [refused, setRefused] = useState<string>();
  const openNew = (kind: ModelKind) => {
    setRefused(undefined);
    allocateModelKey(host, kind).then(
      (key) => onOpen(kind, key),
      (e: unknown) => setRefused(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <section className={styles.root} aria-label="Home">
      <Body1>
        Customer lifetime value and retention models, in your cells: functions you type like any other, and models written into the workbook as formulas your
        colleagues can recalculate without the add-in.
      </Body1>
      <ModelList host={host} onOpen={onOpen} />
      <Card>
        <CardHeader header={<Text weight="semibold">Cohort retention model</Text>} description={<Caption1>Fit a shifted-beta-geometric curve to your cohorts; project CLV, payback and customer equity.</Caption1>} />
        <Button appearance="primary" onClick={() => openNew("cohort")}>
          New cohort model
        </Button>
      </Card>
      <Card>
        <CardHeader
          header={<Text weight="semibold">Referral-partner model</Text>}
          description={<Caption1>Price each partner&apos;s terms (a commission rate or tiers, a bounty, a cap) against customer lifetime value; rank partners by the net value they bring.</Caption1>}
        />
        <Button onClick={() => openNew("partners")}>New referral-partner model</Button>
      </Card>
      {refused && (
        <MessageBar intent="error" data-testid="new-model-refused">
          <MessageBarBody>{refused}</MessageBarBody>
        </MessageBar>
      )}
      <Card>
        <CardHeader header={<Text weight="semibold">Functions</Text>} description={<Caption1>LTV.CLV, retention ROI, CAC payback, and fitted BG/NBD, Pareto/NBD, Gamma-Gamma and sBG models.</Caption1>} />
        <Button onClick={() => onOpen("functions")}>Browse the functions</Button>
      </Card>
      <PortableCopy host={host} />
    </section>
  );
}
