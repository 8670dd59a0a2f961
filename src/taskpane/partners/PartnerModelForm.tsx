import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Caption1,
  Card,
  CardHeader,
  Field,
  Input,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import type { PartnerResult } from "../../core/partners/program";
import type { WorkbookHost } from "../../host/workbookHost";
import { MAX_TIERS } from "../../models/partners/partnerPlan";
import { ConfirmDialog } from "../common/ConfirmDialog";
import { LazyResultChart as ResultChart } from "../common/LazyResultChart";
import { ExportButton } from "../common/ExportButton";
import { ScenarioComparison } from "../common/ScenarioComparison";
import { scenarioChart } from "../common/scenarioDrafts";
import { ScenarioEditor } from "../common/ScenarioEditor";
import { MAX_PARTNERS, partnerLabel, usePartnerModel, type EconomicField, type PartnerForm, type PartnerMessages, type PartnerRow } from "./usePartnerModel";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  stack: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  header: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere" },
  attention: { color: tokens.colorPaletteRedForeground1 },
  panel: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalM, minWidth: 0 },
  tiers: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, minWidth: 0 },
  tierRow: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr) auto", gap: tokens.spacingHorizontalS, alignItems: "start" },
  tierHead: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr) auto", gap: tokens.spacingHorizontalS },
  input: { minWidth: 0, width: "100%" },
  ranking: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  item: { overflowWrap: "anywhere" },
  figures: { margin: 0, display: "grid", gridTemplateColumns: "minmax(0, 1fr) auto", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS },
  term: { overflowWrap: "anywhere" },
  figure: { margin: 0, textAlign: "end", fontVariantNumeric: "tabular-nums" },
});

const money = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (n: number) => `${(n * 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`;
const count = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

function ErrorBar({ title, message }: { title: string; message: string }) {
  return (
    <MessageBar intent="error">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {message}
      </MessageBarBody>
    </MessageBar>
  );
}

/** A partner's terms in a few words, for its card's header: "10 a month · 20% for life · bounty 90 held 3 months". */
function termsSummary(p: PartnerRow, period: PartnerForm["period"]): string {
  const rate = Number(p.rate);
  const periods = Number(p.commissionPeriods);
  const commission = p.commission === "rate" ? (p.rate.trim() !== "" && Number.isFinite(rate) ? `${percent(rate)} of revenue` : "a rate") : `${p.tiers.length} ${p.tiers.length === 1 ? "tier" : "tiers"}, ${p.method}`;
  const parts = [`${p.customersPerPeriod.trim() || "?"} a ${period}`, `${commission} ${periods === 0 ? "for life" : `for ${p.commissionPeriods.trim()} ${period}s`}`];
  if (Number(p.bounty) > 0) parts.push(`bounty ${p.bounty.trim()}${Number(p.holdPeriods) > 0 ? ` held ${p.holdPeriods.trim()} ${period}s` : ""}`);
  if (p.cap.trim() !== "") parts.push(`cap ${p.cap.trim()}`);
  return parts.join(" · ");
}

const problems = (m: PartnerMessages) => [m.name, m.customersPerPeriod, m.rate, m.tiers, m.commissionPeriods, m.bounty, m.holdPeriods, m.cap, m.churnMultiplier, ...m.tierRows.flatMap((r) => [r.start, r.rate])].filter(Boolean).length;

const breakeven = (p: PartnerResult) => (p.breakevenRate === undefined ? "none (no commissioned revenue)" : p.breakevenRate < 0 ? "none (below 0%)" : percent(p.breakevenRate));

/** The referral-partner model builder: the partners and their terms, the economics, Build, and the ranking. */
export function PartnerModelForm({ host, settingsKey }: { host: WorkbookHost; settingsKey?: string }) {
  const styles = useStyles();
  const model = usePartnerModel(host, settingsKey);
  const { form, setForm, check } = model;
  /** Cards the user closed; new partners open. */
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const building = model.status === "building";
  const economicMessage = (field: EconomicField | "curve") => check.economics[field];
  const economicField = (field: EconomicField, label: string, hint: string, placeholder?: string) => (
    <Field label={label} hint={hint} validationMessage={economicMessage(field)} validationState={economicMessage(field) ? "error" : "none"}>
      <Input value={form[field]} onChange={(_, d) => setForm({ ...form, [field]: d.value })} inputMode="decimal" placeholder={placeholder} />
    </Field>
  );
  const link = model.cohort.link;

  return (
    <form className={styles.form} onSubmit={(e) => e.preventDefault()} aria-label="Referral-partner model">
      <Text as="h2" weight="semibold" size={400}>
        Referral-partner model
      </Text>
      <Caption1 data-testid="model-place">{model.savedSheet ? `On “${model.savedSheet}”` : "Not built yet: Build writes it to sheets of its own."}</Caption1>
      {model.blocked && <ErrorBar title="Models cannot be built here" message={model.blocked} />}
      {model.notice && (
        <MessageBar intent="warning">
          <MessageBarBody>{model.notice}</MessageBarBody>
        </MessageBar>
      )}

      <Text as="h3" weight="semibold">
        Partners and their terms
      </Text>
      <Accordion
        multiple
        collapsible
        openItems={form.partners.filter((p) => !closed.has(p.key)).map((p) => p.key)}
        onToggle={(_, d) => {
          const key = String(d.value);
          setClosed((c) => {
            const next = new Set(c);
            if (next.has(key)) next.delete(key);
            else next.add(key);
            return next;
          });
        }}
      >
        {form.partners.map((p, i) => {
          const messages = check.partners[i] as PartnerMessages;
          const label = partnerLabel(p, i);
          const wrong = problems(messages);
          const field = (name: "customersPerPeriod" | "rate" | "commissionPeriods" | "bounty" | "holdPeriods" | "cap" | "churnMultiplier", text: string, hint: string, placeholder?: string) => (
            <Field label={text} hint={hint} validationMessage={messages[name]} validationState={messages[name] ? "error" : "none"}>
              <Input value={p[name]} onChange={(_, d) => model.updatePartner(i, { [name]: d.value })} inputMode="decimal" placeholder={placeholder} />
            </Field>
          );
          return (
            <AccordionItem key={p.key} value={p.key}>
              <AccordionHeader as="h4">
                <span className={styles.header}>
                  <Text weight="semibold">{label}</Text>
                  <Caption1>{termsSummary(p, form.period)}</Caption1>
                  {wrong > 0 && <Caption1 className={styles.attention}>{wrong === 1 ? "1 field to fix" : `${wrong} fields to fix`}</Caption1>}
                </span>
              </AccordionHeader>
              <AccordionPanel>
                <section className={styles.panel} aria-label={`Terms of ${label}`} data-testid="partner-card">
                  <Field label="Name" validationMessage={messages.name} validationState={messages.name ? "error" : "none"}>
                    <Input value={p.name} onChange={(_, d) => model.updatePartner(i, { name: d.value })} maxLength={300} />
                  </Field>
                  {field("customersPerPeriod", "Customers referred per period", `New customers a ${form.period}`)}
                  <Field label="Paid by">
                    <RadioGroup value={p.commission} onChange={(_, d) => model.updatePartner(i, { commission: d.value as PartnerRow["commission"] })}>
                      <Radio value="rate" label="A commission rate" />
                      <Radio value="tiers" label="Tiers on customers per period" />
                    </RadioGroup>
                  </Field>
                  {p.commission === "rate" ? (
                    field("rate", "Commission rate", "A fraction of the customer's revenue: 20% is 0.2")
                  ) : (
                    <div className={styles.tiers} role="group" aria-label={`Tiers of ${label}`}>
                      <Field label="Tier method">
                        <RadioGroup value={p.method} onChange={(_, d) => model.updatePartner(i, { method: d.value as PartnerRow["method"] })}>
                          <Radio value="progressive" label="Progressive: each band at its own rate" />
                          <Radio value="all" label="All: every customer at the rate of the tier reached" />
                        </RadioGroup>
                      </Field>
                      <div className={styles.tierHead} aria-hidden="true">
                        <Caption1>Starts above</Caption1>
                        <Caption1>Rate</Caption1>
                        <span />
                      </div>
                      {p.tiers.map((t, k) => {
                        const row = messages.tierRows[k] ?? {};
                        return (
                          <div className={styles.tierRow} key={k}>
                            <Field validationMessage={row.start} validationState={row.start ? "error" : "none"}>
                              <Input className={styles.input} aria-label={`Tier ${k + 1} of ${label} starts above`} value={t.start} onChange={(_, d) => model.updateTier(i, k, { start: d.value })} inputMode="decimal" />
                            </Field>
                            <Field validationMessage={row.rate} validationState={row.rate ? "error" : "none"}>
                              <Input className={styles.input} aria-label={`Tier ${k + 1} of ${label} rate`} value={t.rate} onChange={(_, d) => model.updateTier(i, k, { rate: d.value })} inputMode="decimal" />
                            </Field>
                            <Button appearance="subtle" size="small" aria-label={`Remove tier ${k + 1} of ${label}`} disabled={p.tiers.length === 1} onClick={() => model.removeTier(i, k)}>
                              Remove
                            </Button>
                          </div>
                        );
                      })}
                      {messages.tiers && (
                        <Text className={styles.attention}>{messages.tiers}</Text>
                      )}
                      <Caption1>The first tier starts at 0, each next one above the one before; the partner&apos;s customers per period pick the tier. Rates are fractions: 20% is 0.2.</Caption1>
                      <div className={styles.actions}>
                        <Button size="small" disabled={p.tiers.length >= MAX_TIERS} onClick={() => model.addTier(i)}>
                          Add tier
                        </Button>
                      </div>
                    </div>
                  )}
                  {field("commissionPeriods", "Commission periods", `${form.period[0]!.toUpperCase()}${form.period.slice(1)}s of revenue commissioned; 0 for the customer's lifetime`)}
                  {field("bounty", "Bounty", "Paid once per converted customer, in currency; 0 for none")}
                  {field("holdPeriods", "Bounty hold periods", `Paid after this many ${form.period}s, only if the customer is still active; 0: at once`)}
                  {field("cap", "Cap per customer", "Most the percentage commissions for one customer add up to; empty: no cap", "No cap")}
                  {field("churnMultiplier", "Churn multiplier", "How many times as fast these customers churn: 1 as fast as others")}
                  <div className={styles.actions}>
                    <Button size="small" disabled={form.partners.length >= MAX_PARTNERS} onClick={() => model.duplicatePartner(i)} aria-label={`Duplicate ${label}`}>
                      Duplicate
                    </Button>
                    <Button size="small" disabled={form.partners.length === 1} onClick={() => model.removePartner(i)} aria-label={`Remove ${label}`}>
                      Remove
                    </Button>
                  </div>
                </section>
              </AccordionPanel>
            </AccordionItem>
          );
        })}
      </Accordion>
      <div className={styles.actions}>
        <Button disabled={form.partners.length >= MAX_PARTNERS} onClick={model.addPartner}>
          Add partner
        </Button>
      </div>

      <Text as="h3" weight="semibold">
        Economics of a customer
      </Text>
      {economicField("revenue", "Revenue per customer per period", `Currency, per active customer each ${form.period}`)}
      {economicField("margin", "Gross margin", "A fraction: 70% is 0.7")}
      <Field label="Retention curve" validationMessage={economicMessage("curve")} validationState={economicMessage("curve") ? "error" : "none"} hint={link || form.curve === "linked" ? undefined : model.cohort.problem ?? "Build a cohort model in this workbook to take its alpha and beta from it."}>
        <RadioGroup value={form.curve} onChange={(_, d) => setForm({ ...form, curve: d.value as PartnerForm["curve"] })}>
          <Radio value="constant" label="Constant retention" />
          <Radio value="sbg" label="sBG (alpha, beta)" />
          {(link || form.curve === "linked") && <Radio value="linked" label={link ? `From the cohort model on “${link.sheet}”` : "From the cohort model in this workbook"} />}
        </RadioGroup>
      </Field>
      {form.curve === "constant" && economicField("retention", "Retention per period", "A fraction: 85% is 0.85")}
      {form.curve === "sbg" && (
        <>
          {economicField("alpha", "Alpha", "sBG shape: churn-prone customers")}
          {economicField("beta", "Beta", "sBG shape: loyal customers")}
        </>
      )}
      {form.curve === "linked" && model.cohortModels.length > 1 && (
        <Field label="Cohort model to take alpha and beta from">
          <Select value={model.cohortKey ?? ""} onChange={(_, d) => model.chooseCohortModel(d.value)}>
            {model.cohortModels.map((c) => (
              <option key={c.key} value={c.key}>
                {c.sheet}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {form.curve === "linked" && link && (
        <Text data-testid="linked-curve">
          Alpha {link.alpha.toPrecision(4)} and beta {link.beta.toPrecision(4)}, referenced live from {link.sheet}!{link.alphaCell.replace(/\$/g, "")} and {link.betaCell.replace(/\$/g, "")}: when the cohort model is refitted, the partner model follows.
        </Text>
      )}
      {economicField("annualDiscount", "Annual discount rate", "A fraction: 10% is 0.1")}
      <Field label="Period">
        <Select value={form.period} onChange={(_, d) => setForm({ ...form, period: d.value as PartnerForm["period"] })}>
          <option value="month">Month</option>
          <option value="quarter">Quarter</option>
          <option value="year">Year</option>
        </Select>
      </Field>
      {economicField("horizon", "Horizon", `${form.period[0]!.toUpperCase()}${form.period.slice(1)}s of a referred customer's life to count`)}
      {economicField("acquisitionPeriods", "Acquisition periods", `${form.period[0]!.toUpperCase()}${form.period.slice(1)}s over which partners keep referring; empty: the horizon`, form.horizon.trim() || undefined)}
      {economicField("paidCac", "Paid acquisition cost (CAC)", "What a customer costs through paid channels, for comparison")}
      <Field label="Revenue is paid at the">
        <RadioGroup value={form.timing} onChange={(_, d) => setForm({ ...form, timing: d.value as PartnerForm["timing"] })} layout="horizontal">
          <Radio value="start" label="Start of each period" />
          <Radio value="end" label="End" />
        </RadioGroup>
      </Field>

      <ScenarioEditor
        rows={model.scenarioRows}
        drafts={form.scenarios}
        active={form.activeScenario}
        check={check.scenarios}
        onChange={model.setScenarios}
        onActivate={(j) => void model.activate(j)}
        busy={model.switching || building}
        activeHint={model.canRebuild ? "Switches the model sheet to it (a scenario not built yet rebuilds the model)" : "Drives the model sheet once built"}
      />

      {!model.valid && !model.blocked && check.all.length > 0 && (
        <MessageBar intent="warning" data-testid="partner-problems">
          <MessageBarBody>
            <MessageBarTitle>Before building</MessageBarTitle>
            {check.all.slice(0, 4).join("; ")}
            {check.all.length > 4 ? ` (and ${check.all.length - 4} more)` : ""}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button appearance="primary" disabled={!model.valid || building} onClick={() => void model.build(false)}>
          Build model
        </Button>
        {model.canRebuild && model.savedSheet && (
          <Button disabled={!model.valid || building} onClick={() => void model.build(true)}>
            Rebuild “{model.savedSheet}”
          </Button>
        )}
      </div>
      <ConfirmDialog title="Replace your cells?" message={model.confirm?.message} confirm="Replace" onConfirm={() => void model.build(model.confirm?.replace ?? true, true)} onCancel={model.cancelConfirm} />
      {building && <Spinner size="small" label="Pricing the partners and writing the sheet…" />}
      {model.error && <ErrorBar title="Could not build the model" message={model.error} />}
      {model.result && model.status === "done" && (
        <Card aria-label="Result">
          <CardHeader header={<Text weight="semibold">Written to “{model.result.sheetName}”</Text>} action={<Link onClick={() => void host.activateSheet(model.result!.sheetName)}>Open the sheet</Link>} />
          <div className={styles.stack}>
            {model.result.scenarios.length > 1 && <Text data-testid="active-scenario">Scenario: {model.result.scenarios[model.result.active]?.name}</Text>}
            <Text as="h3" weight="semibold">
              Partners by total net value
            </Text>
            <ol className={styles.ranking} data-testid="partner-ranking">
              {model.result.ranked.map((p) => (
                <li key={p.name} className={styles.item} data-partner={p.name}>
                  <Text weight="semibold">{p.name}</Text>: <Text data-testid="total-net-value">{money(p.totalNetValue)}</Text>
                  <br />
                  <Caption1>
                    Per referred customer: net value {money(p.netValue)}, commission {money(p.commission)}; ROI {p.roi === undefined ? "none (no commission)" : p.roi.toFixed(2)}; break-even rate {breakeven(p)}
                  </Caption1>
                </li>
              ))}
            </ol>
            <Text as="h3" weight="semibold">
              Program totals, discounted to today
            </Text>
            <dl className={styles.figures} data-testid="program-totals">
              <dt className={styles.term}>Customers referred</dt>
              <dd className={styles.figure}>{count(model.result.program.customersReferred)}</dd>
              <dt className={styles.term}>Commission</dt>
              <dd className={styles.figure}>{money(model.result.program.commission)}</dd>
              <dt className={styles.term}>Net value</dt>
              <dd className={styles.figure} data-testid="program-net-value">
                {money(model.result.program.netValue)}
              </dd>
              <dt className={styles.term}>ROI (net value per commission dollar)</dt>
              <dd className={styles.figure}>{model.result.program.roi === undefined ? "none" : model.result.program.roi.toFixed(2)}</dd>
              <dt className={styles.term}>Value over paid acquisition</dt>
              <dd className={styles.figure}>{money(model.result.program.valueOverPaid)}</dd>
            </dl>
            {model.result.charts.map((chart) => (
              <ResultChart key={chart.title} chart={chart} />
            ))}
            <ExportButton plan={model.exportPlan} />
            {model.result.scenarios.length > 1 && (
              <ScenarioComparison
                names={model.result.scenarios.map((s) => s.name)}
                active={model.result.active}
                rows={[
                  { label: "Program commission", values: model.result.scenarios.map((s) => money(s.program.commission)) },
                  { label: "Program net value", values: model.result.scenarios.map((s) => money(s.program.netValue)) },
                  { label: "ROI", values: model.result.scenarios.map((s) => (s.program.roi === undefined ? "none" : s.program.roi.toFixed(2))) },
                ]}
                chart={scenarioChart(
                  "Program net value, by scenario",
                  model.result.scenarios.map((s) => s.name),
                  model.result.scenarios.map((s) => s.program.netValue),
                )}
              />
            )}
          </div>
        </Card>
      )}
    </form>
  );
}
