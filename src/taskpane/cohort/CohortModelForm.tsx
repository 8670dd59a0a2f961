import {
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
import type { WorkbookHost } from "../../host/workbookHost";
import { LazyResultChart as ResultChart } from "../common/LazyResultChart";
import { ConfirmDialog } from "../common/ConfirmDialog";
import { ExportButton } from "../common/ExportButton";
import { ScenarioComparison } from "../common/ScenarioComparison";
import { scenarioChart } from "../common/scenarioDrafts";
import { ScenarioEditor } from "../common/ScenarioEditor";
import { useCohortModel, type CohortForm, type NumberField } from "./useCohortModel";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "end", flexWrap: "wrap" },
  grow: { flexGrow: 1, minWidth: "120px" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

const money = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

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

/** The cohort model builder: source, economics, Build, and the result. */
export function CohortModelForm({ host, settingsKey }: { host: WorkbookHost; settingsKey?: string }) {
  const styles = useStyles();
  const model = useCohortModel(host, settingsKey);
  const { form, setForm, messages } = model;
  const set = (field: keyof CohortForm) => (_: unknown, data: { value: string }) => setForm({ ...form, [field]: data.value });
  const numberField = (field: NumberField, label: string, hint: string) => (
    <Field label={label} hint={hint} validationMessage={messages[field]} validationState={messages[field] ? "error" : "none"}>
      <Input value={form[field]} onChange={set(field)} inputMode="decimal" />
    </Field>
  );
  const building = model.status === "building";

  return (
    <form className={styles.form} onSubmit={(e) => e.preventDefault()} aria-label="Cohort model">
      <Text as="h2" weight="semibold" size={400}>
        Cohort retention model
      </Text>
      <Caption1 data-testid="model-place">{model.savedSheet ? `On “${model.savedSheet}”` : "Not built yet: Build writes it to sheets of its own."}</Caption1>
      {model.blocked && <ErrorBar title="Models cannot be built here" message={model.blocked} />}
      {model.notice && (
        <MessageBar intent="warning">
          <MessageBarBody>{model.notice}</MessageBarBody>
        </MessageBar>
      )}
      <Field label="Cohorts from">
        <RadioGroup value={form.sourceKind} onChange={(_, d) => setForm({ ...form, sourceKind: d.value as CohortForm["sourceKind"] })}>
          <Radio value="range" label="A cohort table in the workbook" />
          <Radio value="assumptions" label="Assumptions" />
        </RadioGroup>
      </Field>
      {form.sourceKind === "range" ? (
        <div className={styles.row}>
          <Field className={styles.grow} label="Cohort table" hint="A range, a named range or a table: cohort, customers, then the customers still active after each period." validationMessage={form.source.trim() === "" ? "Select the table, then Use selection" : undefined}>
            <Input value={form.source} onChange={set("source")} placeholder="Data!A1:I8" />
          </Field>
          <Button onClick={() => void model.useSelection()}>Use selection</Button>
          {model.rangeNames.length > 0 && (
            <Field label="Or pick a named range or table">
              <Select value={model.rangeNames.includes(form.source) ? form.source : ""} onChange={(_, d) => d.value && setForm({ ...form, source: d.value })}>
                <option value="">Choose…</option>
                {model.rangeNames.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </Select>
            </Field>
          )}
        </div>
      ) : (
        <>
          {numberField("cohorts", "Cohorts acquired so far", "One per period, the oldest first")}
          {numberField("customersPerCohort", "Customers acquired per period", "Customers in each cohort")}
          <Field label="Retention curve">
            <RadioGroup value={form.curve} onChange={(_, d) => setForm({ ...form, curve: d.value as CohortForm["curve"] })} layout="horizontal">
              <Radio value="constant" label="Constant" />
              <Radio value="sbg" label="sBG (alpha, beta)" />
            </RadioGroup>
          </Field>
          {form.curve === "constant" ? (
            numberField("retention", "Retention per period", "A fraction: 85% is 0.85")
          ) : (
            <>
              {numberField("alpha", "Alpha", "sBG shape: churn-prone customers")}
              {numberField("beta", "Beta", "sBG shape: loyal customers")}
            </>
          )}
        </>
      )}
      {numberField("revenue", "Revenue per customer per period", "Currency, per active customer")}
      {numberField("margin", "Gross margin", "A fraction: 70% is 0.7")}
      {numberField("cac", "Acquisition cost (CAC)", "Currency, per customer")}
      {numberField("annualDiscount", "Annual discount rate", "A fraction: 10% is 0.1")}
      <Field label="Period">
        <Select value={form.period} onChange={(_, d) => setForm({ ...form, period: d.value as CohortForm["period"] })}>
          <option value="month">Month</option>
          <option value="quarter">Quarter</option>
          <option value="year">Year</option>
        </Select>
      </Field>
      {numberField("horizon", "Horizon", "Periods to project")}
      {numberField("tornadoStep", "Sensitivity step", "Each input moves down and up by this share in the sheet's sensitivity table: 10% is 0.1")}
      <Field label="Margin is paid at the">
        <RadioGroup value={form.timing} onChange={(_, d) => setForm({ ...form, timing: d.value as CohortForm["timing"] })} layout="horizontal">
          <Radio value="start" label="Start of each period" />
          <Radio value="end" label="End" />
        </RadioGroup>
      </Field>
      <ScenarioEditor
        rows={model.scenarioRows}
        drafts={form.scenarios}
        active={form.activeScenario}
        check={model.scenarioCheck}
        onChange={model.setScenarios}
        onActivate={(j) => void model.activate(j)}
        busy={model.switching || building}
        activeHint={model.canRebuild ? "Switches the model sheet to it (a scenario not built yet rebuilds the model)" : "Drives the model sheet once built"}
      />
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
      <ConfirmDialog
        title="Replace your cells?"
        message={model.confirm?.message}
        confirm="Replace"
        onConfirm={() => void model.build(model.confirm?.replace ?? true, true)}
        onCancel={model.cancelConfirm}
      />
      {building && <Spinner size="small" label="Fitting the model and writing the sheet…" />}
      {model.error && <ErrorBar title="Could not build the model" message={model.error} />}
      {model.result && model.status === "done" && (
        <Card aria-label="Result">
          <CardHeader
            header={<Text weight="semibold">Written to “{model.result.sheetName}”</Text>}
            action={<Link onClick={() => void host.activateSheet(model.result!.sheetName)}>Open the sheet</Link>}
          />
          <Text>
            {model.result.constantRetention !== undefined
              ? `Assumed retention: ${(model.result.constantRetention * 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}% per ${form.period}, the same every period`
              : model.result.logLikelihood === undefined
                ? `Assumed curve: α ${model.result.alpha.toPrecision(4)}, β ${model.result.beta.toPrecision(4)}`
                : `Fit: α ${model.result.alpha.toFixed(3)}, β ${model.result.beta.toFixed(3)} (log-likelihood ${model.result.logLikelihood.toFixed(2)})`}
          </Text>
          {model.result.scenarios.length > 1 && <Text data-testid="active-scenario">Scenario: {model.result.scenarios[model.result.active]?.name}</Text>}
          <Text data-testid="clv-new-customer">
            CLV of a new customer: {money(model.result.clvNewCustomer)}
            {model.result.band && ` (90% interval: ${money(model.result.band.clvNewCustomer.low)} – ${money(model.result.band.clvNewCustomer.high)})`}
          </Text>
          <Text data-testid="customer-equity">
            Customer equity: {money(model.result.customerEquity)}
            {model.result.band && ` (90% interval: ${money(model.result.band.customerEquity.low)} – ${money(model.result.band.customerEquity.high)})`}
          </Text>
          <Text>Customers active today: {Math.round(model.result.activeToday).toLocaleString("en-US")}</Text>
          {model.result.charts.map((chart) => (
            <ResultChart key={chart.title} chart={chart} />
          ))}
          <ExportButton plan={model.exportPlan} />
          {model.result.scenarios.length > 1 && (
            <ScenarioComparison
              names={model.result.scenarios.map((s) => s.name)}
              active={model.result.active}
              rows={[
                { label: "CLV of a new customer", values: model.result.scenarios.map((s) => money(s.clvNewCustomer)) },
                { label: "Customer equity", values: model.result.scenarios.map((s) => money(s.customerEquity)) },
              ]}
              chart={scenarioChart(
                "CLV of a new customer, by scenario",
                model.result.scenarios.map((s) => s.name),
                model.result.scenarios.map((s) => s.clvNewCustomer),
              )}
            />
          )}
        </Card>
      )}
    </form>
  );
}
