import { useCallback, useEffect, useRef, useState } from "react";
import { LifetimeError } from "../../core/errors";
import type { PartnerResult, ProgramResult } from "../../core/partners/program";
import type { WorkbookHost } from "../../host/workbookHost";
import type { ChartData } from "../../models/charts";
import { readCohortSettings } from "../../models/cohort/settings";
import { partnerCharts } from "../../models/partners/charts";
import { buildPartnerPlan, MAX_TIERS, PARTNER_SHEET, partnerInputSchema, partnerOverridesSchema, partnerSchema, type PartnerInput, type PartnerModelSettings } from "../../models/partners/partnerPlan";
import { PARTNER_SETTINGS_KEY, PARTNER_SETTINGS_VERSION, readPartnerSettings, type PartnerSettings } from "../../models/partners/settings";
import { OccupiedCellsError, type WrittenModel } from "../../models/written";
import { quoteSheet } from "../../models/plan";
import { activeScenarioIndex, scenariosOf } from "../../models/scenarios";
import { checkModelKey, loadModelIndex, registerModel } from "../common/modelIndex";
import { addScenarioIssues, baseDrafts, checkScenarios, draftsFromSettings, scenarioFields, scenarioIndexByName, writeActiveScenario, type ScenarioCheck, type ScenarioDraft, type ScenarioRow } from "../common/scenarioDrafts";

/** The most partners the model holds (the schema's limit). */
export const MAX_PARTNERS = 500;

/** A row of a partner's tier table, as typed. */
export interface TierRow {
  start: string;
  rate: string;
}

/** One partner's terms, as typed (strings), before validation. */
export interface PartnerRow {
  /** Keeps a card's identity (and its open or closed state) while partners are added and removed; not saved. */
  key: string;
  name: string;
  customersPerPeriod: string;
  commission: "rate" | "tiers";
  rate: string;
  tiers: TierRow[];
  method: "all" | "progressive";
  commissionPeriods: string;
  bounty: string;
  holdPeriods: string;
  /** Empty: no cap. */
  cap: string;
  churnMultiplier: string;
}

/** The form's fields, as typed, before validation. */
export interface PartnerForm {
  partners: PartnerRow[];
  revenue: string;
  margin: string;
  /** "linked": alpha and beta referenced live from the cohort model's sheet in this workbook. */
  curve: "constant" | "sbg" | "linked";
  retention: string;
  alpha: string;
  beta: string;
  annualDiscount: string;
  period: "month" | "quarter" | "year";
  horizon: string;
  /** Empty: the horizon. */
  acquisitionPeriods: string;
  paidCac: string;
  timing: "start" | "end";
  /** The scenarios as typed: the base first (the fields above), then each with its overrides. */
  scenarios: ScenarioDraft[];
  /** The index of the scenario that drives the model sheet. */
  activeScenario: number;
  /** The settings key of the cohort model a linked curve reads; absent: the workbook's first. */
  cohortKey?: string;
}

let keys = 0;
const newKey = () => `partner-${++keys}`;

export const DEFAULT_TIERS: TierRow[] = [
  { start: "0", rate: "0.1" },
  { start: "10", rate: "0.15" },
];

/** A new partner's terms: 20% of revenue for the customer's lifetime, nothing else. */
export function newPartner(name: string): PartnerRow {
  return { key: newKey(), name, customersPerPeriod: "10", commission: "rate", rate: "0.2", tiers: DEFAULT_TIERS.map((t) => ({ ...t })), method: "progressive", commissionPeriods: "0", bounty: "0", holdPeriods: "0", cap: "", churnMultiplier: "1" };
}

/** "Partner n" with the smallest n no partner is named yet. */
export function nextPartnerName(partners: readonly PartnerRow[]): string {
  const taken = new Set(partners.map((p) => p.name.trim().toLowerCase()));
  let n = partners.length + 1;
  for (let k = 1; k <= partners.length + 1; k++) {
    if (!taken.has(`partner ${k}`)) {
      n = k;
      break;
    }
  }
  return `Partner ${n}`;
}

/** A copy of a partner, named apart from every other ("Acme (copy)", "Acme (copy 2)"). */
export function duplicatePartner(partners: readonly PartnerRow[], index: number): PartnerRow {
  const source = partners[index] as PartnerRow;
  const taken = new Set(partners.map((p) => p.name.trim().toLowerCase()));
  const base = source.name.trim() || `Partner ${index + 1}`;
  let name = `${base} (copy)`;
  for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base} (copy ${k})`;
  return { ...source, key: newKey(), name: name.slice(0, 255), tiers: source.tiers.map((t) => ({ ...t })) };
}

export const DEFAULT_PARTNER_FORM: Omit<PartnerForm, "partners"> = {
  revenue: "50",
  margin: "0.7",
  curve: "constant",
  retention: "0.9",
  alpha: "0.9",
  beta: "2.6",
  annualDiscount: "0.1",
  period: "month",
  horizon: "36",
  acquisitionPeriods: "",
  paidCac: "150",
  timing: "start",
  scenarios: baseDrafts(),
  activeScenario: 0,
};

export const defaultPartnerForm = (): PartnerForm => ({ ...DEFAULT_PARTNER_FORM, partners: [newPartner("Partner 1")] });

/** The cohort model built by Lifetime in this workbook, whose alpha and beta a partner model can reference live. */
export interface CohortLink {
  sheet: string;
  /** Absolute addresses on that sheet ("$B$14"). */
  alphaCell: string;
  betaCell: string;
  alpha: number;
  beta: number;
}

// ---------------------------------------------------------------- validation

const economicsShape = partnerInputSchema.innerType().shape;
const curveShapes = { constant: economicsShape.curve.options[0].shape, sbg: economicsShape.curve.options[1].shape };
const ECONOMIC_SCHEMAS = {
  revenue: economicsShape.revenue,
  margin: economicsShape.margin,
  annualDiscount: economicsShape.annualDiscount,
  horizon: economicsShape.horizon,
  acquisitionPeriods: economicsShape.acquisitionPeriods,
  paidCac: economicsShape.paidCac,
  retention: curveShapes.constant.retention,
  alpha: curveShapes.sbg.alpha,
  beta: curveShapes.sbg.beta,
};
export type EconomicField = keyof typeof ECONOMIC_SCHEMAS;

/** Each economic field's label, and how the schema's message names it, to put the label in its place. */
const ECONOMIC_LABELS: Record<EconomicField, [string, RegExp]> = {
  revenue: ["Revenue per customer", /^revenue\b/],
  margin: ["Gross margin", /^margin\b/],
  annualDiscount: ["Annual discount rate", /^discount\b/],
  horizon: ["Horizon", /^horizon\b/],
  acquisitionPeriods: ["Acquisition periods", /^acquisition periods\b/],
  paidCac: ["Paid acquisition cost (CAC)", /^the paid acquisition cost\b/],
  retention: ["Retention", /^retention\b/],
  alpha: ["Alpha", /^alpha\b/],
  beta: ["Beta", /^beta\b/],
};

const partnerShape = partnerSchema.shape;
const tierShape = partnerShape.tiers.unwrap().innerType().shape;
const PARTNER_SCHEMAS = {
  customersPerPeriod: partnerShape.customersPerPeriod,
  rate: partnerShape.rate.unwrap(),
  commissionPeriods: partnerShape.commissionPeriods,
  bounty: partnerShape.bounty,
  holdPeriods: partnerShape.holdPeriods,
  cap: partnerShape.cap.unwrap(),
  churnMultiplier: partnerShape.churnMultiplier,
};
export type PartnerField = keyof typeof PARTNER_SCHEMAS | "name" | "tiers";
/** Each partner field as a message speaks of it. */
const PARTNER_SUBJECTS: Record<keyof typeof PARTNER_SCHEMAS, string> = {
  customersPerPeriod: "customers per period",
  rate: "the commission rate",
  commissionPeriods: "commission periods",
  bounty: "the bounty",
  holdPeriods: "the hold period",
  cap: "the cap (or empty for none)",
  churnMultiplier: "the churn multiplier",
};

/** Numbers as typed: empty is no number (Number("") would be 0). */
const numberOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

type NumberSchema = { safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } } };

/** Text that is no number, said of its subject ("Revenue per customer must be a number"). */
function formatMessage(text: string, subject: string): string | undefined {
  if (text.trim() === "") return `${subject} must be a number`;
  if (!Number.isFinite(Number(text))) return `${subject} must be a number, not “${text.trim().slice(0, 40)}”`;
  return undefined;
}

/** What the model's schema says of a number, if it refuses it. */
function schemaMessage(text: string, schema: NumberSchema): string | undefined {
  const parsed = schema.safeParse(Number(text));
  return parsed.success ? undefined : (parsed.error?.issues[0]?.message ?? "not accepted");
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A schema's message about an economic field, for people: the field's label in place of the schema's short name. */
function economicMessage(field: EconomicField, message: string): string {
  const [label, short] = ECONOMIC_LABELS[field];
  const named = short.exec(message);
  if (named) return `${label}${message.slice(named[0].length)}`;
  return `${label}: ${message}`;
}

/** How a partner is named in messages: its name, or its place in the list while it has none. */
export const partnerLabel = (partner: PartnerRow, index: number) => partner.name.trim() || `Partner ${index + 1}`;

/** A message about a partner names it, once (a long name cut short). */
function partnerMessage(label: string, message: string): string {
  return message.startsWith(label) ? message : `${label.length > 60 ? `${label.slice(0, 60)}…` : label}: ${message}`;
}

export interface PartnerMessages {
  name?: string;
  customersPerPeriod?: string;
  rate?: string;
  commissionPeriods?: string;
  bounty?: string;
  holdPeriods?: string;
  cap?: string;
  churnMultiplier?: string;
  /** About the tier table as a whole. */
  tiers?: string;
  /** Per tier row. */
  tierRows: { start?: string; rate?: string }[];
}

export interface FormCheck {
  economics: Partial<Record<EconomicField | "curve", string>>;
  /** The scenarios' overrides and names, cell by cell. */
  scenarios: ScenarioCheck;
  partners: PartnerMessages[];
  /** About the whole model (too many partners for the horizon, say). */
  general: string[];
  /** Every message, in the order of the form, for the summary by the Build button. */
  all: string[];
  /** The model's settings, when nothing is wrong. */
  settings?: PartnerModelSettings;
}

/** The economic fields in play for the form's curve. */
function economicFields(form: PartnerForm): EconomicField[] {
  const fields: EconomicField[] = ["revenue", "margin"];
  if (form.curve === "constant") fields.push("retention");
  if (form.curve === "sbg") fields.push("alpha", "beta");
  fields.push("annualDiscount", "horizon");
  if (form.acquisitionPeriods.trim() !== "") fields.push("acquisitionPeriods");
  fields.push("paidCac");
  return fields;
}

const TIMING_OPTIONS = [
  { value: "start", label: "Start" },
  { value: "end", label: "End" },
];

/**
 * The inputs a partner scenario may override, labelled as the form labels them, with the
 * base's values as typed: the economics, and the curve's retention (constant) or alpha and
 * beta (sBG, or linked to the cohort model: then its values as read).
 */
export function partnerScenarioRows(form: PartnerForm, link?: CohortLink): ScenarioRow[] {
  const shape = partnerOverridesSchema.shape;
  const linked = form.curve === "linked" && link;
  const curve: ScenarioRow[] =
    form.curve === "constant"
      ? [{ key: "retention", label: "Retention per period", base: form.retention, schema: shape.retention }]
      : [
          { key: "alpha", label: "Alpha", base: linked ? link.alpha.toPrecision(4) : form.alpha, schema: shape.alpha },
          { key: "beta", label: "Beta", base: linked ? link.beta.toPrecision(4) : form.beta, schema: shape.beta },
        ];
  return [
    { key: "revenue", label: "Revenue per customer per period", base: form.revenue, schema: shape.revenue },
    { key: "margin", label: "Gross margin", base: form.margin, schema: shape.margin },
    ...curve,
    { key: "annualDiscount", label: "Annual discount rate", base: form.annualDiscount, schema: shape.annualDiscount },
    { key: "horizon", label: "Horizon", base: form.horizon, schema: shape.horizon },
    { key: "acquisitionPeriods", label: "Acquisition periods", base: form.acquisitionPeriods.trim() || form.horizon, schema: shape.acquisitionPeriods },
    { key: "paidCac", label: "Paid acquisition cost (CAC)", base: form.paidCac, schema: shape.paidCac },
    { key: "timing", label: "Revenue is paid at the", base: form.timing === "start" ? "Start" : "End", schema: shape.timing, options: TIMING_OPTIONS },
  ];
}

/** A schema's message about an overridden input, its label in place of the schema's short name. */
function describeScenarioField(row: ScenarioRow, message: string): string {
  if (row.key in ECONOMIC_LABELS) return economicMessage(row.key as EconomicField, message);
  return `${row.label}: ${message}`;
}

/** The settings the form stands for (numbers as typed, NaN where none is), for the model's schema to judge. */
export function candidateSettings(form: PartnerForm, link: CohortLink | undefined): unknown {
  const curve =
    form.curve === "constant"
      ? { kind: "constant", retention: numberOf(form.retention) }
      : form.curve === "sbg"
        ? { kind: "sbg", alpha: numberOf(form.alpha), beta: numberOf(form.beta) }
        : link && { kind: "linked", ...link };
  return {
    partners: form.partners.map((p) => ({
      name: p.name,
      customersPerPeriod: numberOf(p.customersPerPeriod),
      ...(p.commission === "rate"
        ? { rate: numberOf(p.rate) }
        : { tiers: { starts: p.tiers.map((t) => numberOf(t.start)), rates: p.tiers.map((t) => numberOf(t.rate)), method: p.method } }),
      commissionPeriods: numberOf(p.commissionPeriods),
      bounty: numberOf(p.bounty),
      holdPeriods: numberOf(p.holdPeriods),
      ...(p.cap.trim() === "" ? {} : { cap: numberOf(p.cap) }),
      churnMultiplier: numberOf(p.churnMultiplier),
    })),
    revenue: numberOf(form.revenue),
    margin: numberOf(form.margin),
    curve,
    annualDiscount: numberOf(form.annualDiscount),
    period: form.period,
    horizon: numberOf(form.horizon),
    acquisitionPeriods: form.acquisitionPeriods.trim() === "" ? numberOf(form.horizon) : numberOf(form.acquisitionPeriods),
    paidCac: numberOf(form.paidCac),
    timing: form.timing,
  };
}

/**
 * Checks the form field by field with the model's own schemas, then as a whole with the
 * model's schema (names that repeat, a hold beyond the horizon, a churn multiplier that
 * makes retention negative, tiers out of order). Each message sits by its field and names
 * the partner it is about; the settings come back only when nothing is wrong.
 */
export function checkPartnerForm(form: PartnerForm, link: CohortLink | undefined): FormCheck {
  const economics: FormCheck["economics"] = {};
  const rows = partnerScenarioRows(form, link);
  let scenarios = checkScenarios(form.scenarios, rows, partnerOverridesSchema, describeScenarioField);
  for (const field of economicFields(form)) {
    const format = formatMessage(form[field], ECONOMIC_LABELS[field][0]);
    const message = format ?? schemaMessage(form[field], ECONOMIC_SCHEMAS[field]);
    if (message) economics[field] = format ?? economicMessage(field, message);
  }
  if (form.curve === "linked" && !link) economics.curve = "No cohort model built by Lifetime was found in this workbook: choose a constant retention or alpha and beta.";

  const partners: PartnerMessages[] = form.partners.map((p, i) => {
    const label = partnerLabel(p, i);
    const m: PartnerMessages = { tierRows: p.tiers.map(() => ({})) };
    if (p.name.trim() === "") m.name = `Partner ${i + 1} needs a name`;
    else if (p.name.trim().length > 255) m.name = partnerMessage(label, "a partner's name is at most 255 characters");
    const fields: (keyof typeof PARTNER_SCHEMAS)[] = ["customersPerPeriod", ...(p.commission === "rate" ? (["rate"] as const) : []), "commissionPeriods", "bounty", "holdPeriods", ...(p.cap.trim() === "" ? [] : (["cap"] as const)), "churnMultiplier"];
    for (const field of fields) {
      const message = formatMessage(p[field], PARTNER_SUBJECTS[field]) ?? schemaMessage(p[field], PARTNER_SCHEMAS[field]);
      if (message) m[field] = partnerMessage(label, message);
    }
    if (p.commission === "tiers") {
      if (p.tiers.length === 0) m.tiers = partnerMessage(label, "a tier table needs at least one tier");
      p.tiers.forEach((t, k) => {
        const row = m.tierRows[k] as { start?: string; rate?: string };
        const start = formatMessage(t.start, "where it starts") ?? schemaMessage(t.start, tierShape.starts.element);
        // A tier's rate is a fraction of revenue, as the sheet's InputCheck has it (the schema alone takes more).
        const rate = formatMessage(t.rate, "its rate") ?? schemaMessage(t.rate, tierShape.rates.element) ?? (Number(t.rate) > 1 ? "its rate is a fraction of revenue, at most 1 (20% is 0.2)" : undefined);
        if (start) row.start = `${label}, tier ${k + 1}: ${start}`;
        if (rate) row.rate = `${label}, tier ${k + 1}: ${rate}`;
      });
    }
    return m;
  });

  const general: string[] = [];
  if (form.partners.length === 0) general.push("Add a partner: the model needs at least one.");
  let settings: PartnerModelSettings | undefined;
  // The model's schema judges the form as a whole once the economics are numbers it takes (a horizon of a billion periods is not one to compute with).
  if (Object.keys(economics).length === 0 && form.partners.length > 0) {
    const parsed = partnerInputSchema.safeParse({ ...(candidateSettings(form, link) as object), ...scenarioFields(scenarios, form.activeScenario) });
    if (parsed.success) settings = parsed.data;
    else {
      // What the model says of a scenario (a horizon shorter than a bounty's hold, a retention that turns negative) sits by the scenario.
      scenarios = addScenarioIssues(scenarios, form.scenarios, rows, parsed.error.issues, describeScenarioField);
      for (const issue of parsed.error.issues) {
        const [first, index, field, inner, k] = issue.path;
        if (first === "scenarios" || first === "activeScenario") continue;
        if (first === "partners" && typeof index === "number" && form.partners[index]) {
          const m = partners[index] as PartnerMessages;
          const label = partnerLabel(form.partners[index] as PartnerRow, index);
          const message = partnerMessage(label, issue.message);
          if (field === "tiers") {
            const row = typeof k === "number" ? m.tierRows[k] : undefined;
            if (row && inner === "starts") row.start ??= message;
            else if (row && inner === "rates") row.rate ??= message;
            else m.tiers ??= message;
          } else if (typeof field === "string" && field in PARTNER_SCHEMAS) m[field as keyof typeof PARTNER_SCHEMAS] ??= message;
          else if (field === "name") m.name ??= message;
          else m.tiers ??= message;
        } else if (typeof first === "string" && first in ECONOMIC_SCHEMAS) economics[first as EconomicField] ??= economicMessage(first as EconomicField, issue.message);
        else if (first === "curve" && typeof index === "string" && index in ECONOMIC_SCHEMAS) economics[index as EconomicField] ??= economicMessage(index as EconomicField, issue.message);
        else general.push(capitalized(issue.message));
      }
    }
  }
  const all = [
    ...Object.values(economics),
    ...partners.flatMap((m) => [m.name, m.customersPerPeriod, m.rate, m.tiers, ...m.tierRows.flatMap((r) => [r.start, r.rate]), m.commissionPeriods, m.bounty, m.holdPeriods, m.cap, m.churnMultiplier]),
    ...scenarios.all,
    ...general,
  ].filter((m): m is string => m !== undefined);
  return { economics, scenarios, partners, general, all: [...new Set(all)], settings: all.length === 0 ? settings : undefined };
}

// ---------------------------------------------------------------- settings and the cohort model

/** The form for saved settings (a linked curve keeps its alpha and beta as last read, for the sBG fallback). */
export function formFromSettings(s: PartnerSettings): PartnerForm {
  const e = s.economics;
  const curve = e.curve;
  const { drafts, active } = draftsFromSettings(e.scenarios, e.activeScenario);
  return {
    ...DEFAULT_PARTNER_FORM,
    scenarios: drafts,
    activeScenario: active,
    revenue: String(e.revenue),
    margin: String(e.margin),
    curve: curve.kind,
    ...(curve.kind === "constant" ? { retention: String(curve.retention) } : { alpha: String(curve.alpha), beta: String(curve.beta) }),
    annualDiscount: String(e.annualDiscount),
    period: e.period,
    horizon: String(e.horizon),
    acquisitionPeriods: e.acquisitionPeriods === e.horizon ? "" : String(e.acquisitionPeriods),
    paidCac: String(e.paidCac),
    timing: e.timing,
    partners: s.partners.map((p: PartnerInput) => ({
      ...newPartner(p.name),
      customersPerPeriod: String(p.customersPerPeriod),
      commission: p.tiers ? "tiers" : "rate",
      rate: p.rate === undefined ? "0.2" : String(p.rate),
      tiers: p.tiers ? p.tiers.starts.map((start, k) => ({ start: String(start), rate: String(p.tiers?.rates[k] ?? "") })) : DEFAULT_TIERS.map((t) => ({ ...t })),
      method: p.tiers?.method ?? "progressive",
      commissionPeriods: String(p.commissionPeriods),
      bounty: String(p.bounty),
      holdPeriods: String(p.holdPeriods),
      cap: p.cap === undefined ? "" : String(p.cap),
      churnMultiplier: String(p.churnMultiplier),
    })),
  };
}

/** "'My sheet'!B14" → ["My sheet", "B14"]. */
function splitAddress(address: string): [string, string] {
  const bang = address.lastIndexOf("!");
  const sheet = address.slice(0, bang);
  return [sheet.startsWith("'") ? sheet.slice(1, -1).replace(/''/g, "'") : sheet, address.slice(bang + 1)];
}


/** A cohort model built in this workbook that a partner model can take alpha and beta from: its settings key and its model sheet as written. */
export interface CohortChoice {
  key: string;
  sheet: string;
}

/** The cohort models built in this workbook (in the index's order) whose record names Alpha and Beta. */
export async function listCohortModels(host: WorkbookHost): Promise<CohortChoice[]> {
  try {
    const keys = (await loadModelIndex(host)).entries.filter((e) => e.kind === "cohort").map((e) => e.key);
    const stored = await Promise.all(keys.map((k) => host.loadSettings(k)));
    return keys.flatMap((key, i) => {
      const record = readCohortSettings(stored[i]).settings?.written?.sheets.find((s) => s.names.includes("Alpha") && s.names.includes("Beta"));
      return record ? [{ key, sheet: record.name }] : [];
    });
  } catch {
    return [];
  }
}

/**
 * A cohort model Lifetime built in this workbook (the one saved under `cohortKey`, or the
 * first), found by its saved settings' record of what it wrote, and its cells named Alpha and
 * Beta read through the host: where they are and what they hold now. Nothing when the
 * workbook has no such model; a problem when it had one that cannot be read now (its sheet
 * renamed or deleted, alpha or beta not numbers).
 */
export async function findCohortModel(host: WorkbookHost, cohortKey?: string): Promise<{ link?: CohortLink; problem?: string }> {
  let stored: string | undefined;
  try {
    const key = cohortKey ?? (await listCohortModels(host))[0]?.key;
    if (key === undefined) return {};
    stored = await host.loadSettings(key);
  } catch {
    return {};
  }
  const record = readCohortSettings(stored).settings?.written?.sheets.find((s) => s.names.includes("Alpha") && s.names.includes("Beta"));
  if (!record) return {};
  const unavailable = `The cohort model Lifetime built on “${record.name}” was not found there (was the sheet renamed or deleted?), so the partner model cannot take its alpha and beta. Rebuild the cohort model, or enter alpha and beta.`;
  try {
    const [a, b] = await Promise.all([host.readRange(`${quoteSheet(record.name)}!Alpha`), host.readRange(`${quoteSheet(record.name)}!Beta`)]);
    const alpha = a.values[0]?.[0];
    const beta = b.values[0]?.[0];
    const [sheet, alphaCell] = splitAddress(a.address);
    const [, betaCell] = splitAddress(b.address);
    const cell = /^\$?([A-Z]{1,3})\$?(\d+)$/;
    const [ma, mb] = [cell.exec(alphaCell), cell.exec(betaCell)];
    if (!ma || !mb) return { problem: unavailable };
    if (typeof alpha !== "number" || !(alpha > 0) || typeof beta !== "number" || !(beta > 0)) {
      return { problem: `Alpha and beta on “${sheet}” (${alphaCell.replace(/\$/g, "")}, ${betaCell.replace(/\$/g, "")}) must be numbers above 0 for the partner model to take them; they hold ${String(alpha)} and ${String(beta)}.` };
    }
    return { link: { sheet, alphaCell: `$${ma[1]}$${ma[2]}`, betaCell: `$${mb[1]}$${mb[2]}`, alpha, beta } };
  } catch {
    return { problem: unavailable };
  }
}

// ---------------------------------------------------------------- the hook

export interface PartnerModelResult {
  sheetName: string;
  period: PartnerModelSettings["period"];
  program: ProgramResult;
  /** The partners by rank, the highest total net value first. */
  ranked: PartnerResult[];
  charts: ChartData[];
  /** The scenario these results are of (the active one), by index. */
  active: number;
  /** Every scenario built, with its program, for the comparison. */
  scenarios: { name: string; program: ProgramResult }[];
}

/** The results of scenario j of a build, as the result card shows them. */
export function partnerResultFor(result: PartnerModelResult, j: number): PartnerModelResult {
  const k = j >= 0 && j < result.scenarios.length ? j : 0;
  const program = result.scenarios[k]!.program;
  return { ...result, active: k, program, ranked: [...program.partners].sort((a, b) => a.rank - b.rank), charts: partnerCharts(program) };
}

/**
 * Builds the model the form stands for and saves its settings: a new sheet, or with
 * `previous` the model's sheet rebuilt in place (`overwrite` once the user agreed to
 * replace their cells). A linked curve reads the cohort model's alpha and beta as they are
 * now. Nothing is written while the form has anything wrong.
 */
export async function buildPartnerModel(
  host: WorkbookHost,
  form: PartnerForm,
  options: { previous?: WrittenModel; overwrite?: boolean; key?: string } = {},
): Promise<{ result: PartnerModelResult; written: WrittenModel; notes: string[]; link?: { link?: CohortLink; problem?: string }; saved: PartnerSettings }> {
  let found: { link?: CohortLink; problem?: string } | undefined;
  if (form.curve === "linked") {
    // Alpha and beta as the cohort model has them now (it may have been refitted since the pane opened).
    found = await findCohortModel(host, form.cohortKey);
    if (!found.link) throw new Error(found.problem ?? "No cohort model built by Lifetime was found in this workbook: choose a constant retention or alpha and beta.");
  }
  const checked = checkPartnerForm(form, found?.link);
  if (!checked.settings) throw new Error(checked.all.join("; ") || "The model's inputs are not complete.");
  const settings = checked.settings;
  const { plan, program, scenarioPrograms } = buildPartnerPlan(settings);
  const key = options.key ?? PARTNER_SETTINGS_KEY;
  const index = await checkModelKey(host, key, "partners");
  const applied = await host.applyPlan(plan, { previous: options.previous, overwrite: options.overwrite });
  const sheetName = applied.sheetNames[0] as string;
  const { partners, ...economics } = settings;
  const saved = { version: PARTNER_SETTINGS_VERSION, economics, partners, sheetName, written: applied.written, builtAt: new Date().toISOString() } satisfies PartnerSettings;
  await host.saveSettings(key, saved);
  await registerModel(host, index, key, "partners");
  const scenarios = scenariosOf(settings);
  return {
    result: {
      sheetName,
      period: settings.period,
      program,
      ranked: [...program.partners].sort((a, b) => a.rank - b.rank),
      charts: partnerCharts(program),
      active: activeScenarioIndex(scenarios, settings.activeScenario),
      scenarios: scenarios.map((s, j) => ({ name: s.name, program: scenarioPrograms[j] as ProgramResult })),
    },
    written: applied.written,
    notes: applied.notes,
    link: found,
    saved,
  };
}

/** The form and the last result of each model of each workbook in this session, so switching views keeps what was typed. */
const drafts = new WeakMap<WorkbookHost, Map<string, { form: PartnerForm; result?: PartnerModelResult }>>();
const draftsOf = (host: WorkbookHost) => {
  let map = drafts.get(host);
  if (!map) drafts.set(host, (map = new Map()));
  return map;
};

/** Forgets what was typed for a model of this session (it was removed: a new model under its key starts empty). */
export const forgetPartnerDraft = (host: WorkbookHost, settingsKey: string) => void drafts.get(host)?.delete(settingsKey);

/**
 * Form state, settings saved in the workbook, and Build/Rebuild: the pane's referral-partner
 * model, the one saved under `settingsKey` (the first partner model's by default).
 */
export function usePartnerModel(host: WorkbookHost, settingsKey: string = PARTNER_SETTINGS_KEY) {
  const draft = useRef(draftsOf(host).get(settingsKey));
  const [form, setForm] = useState<PartnerForm>(() => draft.current?.form ?? defaultPartnerForm());
  const [status, setStatus] = useState<"idle" | "building" | "done">(draft.current?.result ? "done" : "idle");
  const [result, setResult] = useState<PartnerModelResult | undefined>(draft.current?.result);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [savedSheet, setSavedSheet] = useState<string>();
  const [written, setWritten] = useState<WrittenModel>();
  const [cohort, setCohort] = useState<{ link?: CohortLink; problem?: string }>({});
  /** The cohort models a linked curve may read, the first the default. */
  const [cohortModels, setCohortModels] = useState<CohortChoice[]>([]);
  /** The settings as saved in the workbook (the scenarios on its sheets, the one active there). */
  const [saved, setSaved] = useState<PartnerSettings>();
  /** While the workbook switches to another scenario. */
  const [switching, setSwitching] = useState(false);
  /** A rebuild asked for by a change of the active scenario the sheet cannot take by itself. */
  const [rebuildSoon, setRebuildSoon] = useState(false);
  /** Why nothing may be built here: an Excel without the requirement sets, or settings from a newer Lifetime. */
  const [blocked, setBlocked] = useState<string | undefined>(() => {
    const missing = host.missingRequirements();
    return missing.length > 0 ? `This version of Excel lacks what the model builder needs: ${missing.join("; ")}. Use Excel for Microsoft 365, Excel 2021 or later, or Excel on the web.` : undefined;
  });
  /** A rebuild waiting for the user to agree to write over their cells. */
  const [confirm, setConfirm] = useState<{ message: string; replace: boolean }>();

  useEffect(() => {
    draftsOf(host).set(settingsKey, { form, result: status === "done" ? result : undefined });
  }, [host, settingsKey, form, result, status]);

  useEffect(() => {
    let live = true;
    Promise.all([host.loadSettings(settingsKey), listCohortModels(host)])
      .then(async ([stored, choices]) => {
        const read = readPartnerSettings(stored);
        // A linked curve reads the cohort model on the sheet it was built from, else the first.
        const curve = read.settings?.economics.curve;
        const typed = draft.current?.form.cohortKey;
        const cohortKey = (typed && choices.some((c) => c.key === typed) ? typed : undefined) ?? (curve?.kind === "linked" ? choices.find((c) => c.sheet === curve.sheet)?.key : undefined) ?? choices[0]?.key;
        return { read, choices, cohortKey, found: await findCohortModel(host, cohortKey) };
      })
      .then(
        ({ read, choices, cohortKey, found }) => {
          if (!live) return;
          setCohort(found);
          setCohortModels(choices);
          const { settings, problem, newer } = read;
          if (newer) setBlocked(problem);
          else if (problem) setNotice(problem);
          if (!settings) return;
          setSavedSheet(settings.sheetName);
          setWritten(settings.written);
          setSaved(settings);
          // What was typed in this session stands over what was saved.
          if (draft.current) return;
          const restored = { ...formFromSettings(settings), cohortKey };
          if (restored.curve === "linked" && !found.link) {
            const curve = settings.economics.curve as { sheet: string };
            setNotice(`The partner model took alpha and beta from the cohort model on “${curve.sheet}”, which is no longer in this workbook: its last values are used as an sBG curve. ${found.problem ?? ""}`.trim());
            restored.curve = "sbg";
          }
          setForm(restored);
        },
        (e: unknown) => live && setError(`The saved settings could not be read: ${e instanceof Error ? e.message : String(e)}`),
      );
    return () => {
      live = false;
    };
  }, [host, settingsKey]);

  /** Another cohort model chosen for the linked curve: its alpha and beta read. */
  const chooseCohortModel = useCallback(
    (cohortKey: string) => {
      setForm((f) => ({ ...f, cohortKey }));
      findCohortModel(host, cohortKey).then(setCohort, () => setCohort({}));
    },
    [host],
  );

  const check = checkPartnerForm(form, cohort.link);

  const build = useCallback(
    async (replace: boolean, overwrite = false) => {
      if (blocked) return;
      setConfirm(undefined);
      setError(undefined);
      setStatus("building");
      try {
        const built = await buildPartnerModel(host, form, { previous: replace ? written : undefined, overwrite, key: settingsKey });
        if (built.link) setCohort(built.link);
        setSaved(built.saved);
        setSavedSheet(built.result.sheetName);
        setWritten(built.written);
        setNotice(built.notes.length > 0 ? built.notes.join(" ") : undefined);
        setResult(built.result);
        setStatus("done");
      } catch (e) {
        setStatus("idle");
        if (e instanceof OccupiedCellsError) setConfirm({ message: `${e.message} Replace ${e.count === 1 ? "it" : "them"} with the model, or cancel and move your content first.`, replace });
        else if (e instanceof LifetimeError) setError(`The partners' terms: ${e.message}`);
        else setError(e instanceof Error ? e.message : String(e));
      }
    },
    [host, form, written, blocked, settingsKey],
  );

  useEffect(() => {
    if (!rebuildSoon) return;
    setRebuildSoon(false);
    void build(true);
  }, [rebuildSoon, build]);

  /**
   * Another scenario chosen to drive the model: written to the model sheet's ActiveScenario
   * when the sheet has it (the setting saved), else the model rebuilt with the form; with no
   * model built yet the choice waits for Build.
   */
  const activate = useCallback(
    async (j: number) => {
      const next = { ...form, activeScenario: j };
      setForm(next);
      if (blocked || !saved?.written) return;
      setError(undefined);
      const name = (checkPartnerForm(next, cohort.link).scenarios.scenarios?.[j]?.name ?? next.scenarios[j]?.name ?? "").trim();
      const onSheet = scenarioIndexByName(saved.economics.scenarios, name);
      setSwitching(true);
      try {
        if (onSheet >= 0 && (await writeActiveScenario(host, saved.written, PARTNER_SHEET, name))) {
          const scenarios = scenariosOf(saved.economics);
          const blob: PartnerSettings = { ...saved, economics: { ...saved.economics, ...(saved.economics.scenarios ? { activeScenario: scenarios[onSheet]!.name } : {}) } };
          await host.saveSettings(settingsKey, blob);
          setSaved(blob);
          if (result && scenarioIndexByName(result.scenarios, name) === onSheet) setResult(partnerResultFor(result, onSheet));
        } else if (check.settings && !blocked) setRebuildSoon(true);
        else setNotice(`“${name}” is not on the model's sheet yet: fix the form and rebuild to make it the active scenario there.`);
      } catch (e) {
        setError(`The workbook could not switch to “${name}”: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        setSwitching(false);
      }
    },
    [host, form, saved, result, blocked, cohort.link, check.settings, settingsKey],
  );

  const updatePartner = useCallback((index: number, change: Partial<PartnerRow>) => setForm((f) => ({ ...f, partners: f.partners.map((p, i) => (i === index ? { ...p, ...change } : p)) })), []);

  return {
    form,
    setForm,
    check,
    valid: check.settings !== undefined && !blocked,
    status,
    result,
    error,
    notice,
    blocked,
    savedSheet,
    canRebuild: written !== undefined,
    cohort,
    /** The cohort models a linked curve may read, and the one it reads (its settings key). */
    cohortModels,
    cohortKey: form.cohortKey ?? cohortModels[0]?.key,
    chooseCohortModel,
    build,
    scenarioRows: partnerScenarioRows(form, cohort.link),
    /**
     * The plan of the model as the form holds it, for Export: a model linked to a cohort sheet
     * takes that sheet's alpha and beta as values, as a workbook of its own has no such sheet.
     */
    exportPlan: () => {
      const settings = check.settings;
      if (!settings) return undefined;
      return buildPartnerPlan(settings.curve.kind === "linked" ? { ...settings, curve: { kind: "sbg", alpha: settings.curve.alpha, beta: settings.curve.beta } } : settings).plan;
    },
    setScenarios: (scenarios: ScenarioDraft[], activeScenario: number) => setForm((f) => ({ ...f, scenarios, activeScenario })),
    activate,
    switching,
    confirm,
    cancelConfirm: () => setConfirm(undefined),
    updatePartner,
    addPartner: () => setForm((f) => (f.partners.length >= MAX_PARTNERS ? f : { ...f, partners: [...f.partners, newPartner(nextPartnerName(f.partners))] })),
    duplicatePartner: (index: number) => setForm((f) => (f.partners.length >= MAX_PARTNERS ? f : { ...f, partners: [...f.partners.slice(0, index + 1), duplicatePartner(f.partners, index), ...f.partners.slice(index + 1)] })),
    removePartner: (index: number) => setForm((f) => ({ ...f, partners: f.partners.filter((_, i) => i !== index) })),
    addTier: (index: number) =>
      setForm((f) => ({
        ...f,
        partners: f.partners.map((p, i) => {
          if (i !== index || p.tiers.length >= MAX_TIERS) return p;
          const last = Number(p.tiers[p.tiers.length - 1]?.start);
          return { ...p, tiers: [...p.tiers, { start: p.tiers.length === 0 ? "0" : Number.isFinite(last) ? String(last + 10) : "", rate: p.tiers[p.tiers.length - 1]?.rate ?? "0.1" }] };
        }),
      })),
    removeTier: (index: number, tier: number) => setForm((f) => ({ ...f, partners: f.partners.map((p, i) => (i === index ? { ...p, tiers: p.tiers.filter((_, k) => k !== tier) } : p)) })),
    updateTier: (index: number, tier: number, change: Partial<TierRow>) =>
      setForm((f) => ({ ...f, partners: f.partners.map((p, i) => (i === index ? { ...p, tiers: p.tiers.map((t, k) => (k === tier ? { ...t, ...change } : t)) } : p)) })),
  };
}
