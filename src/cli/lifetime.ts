/**
 * The command line: `lifetime cohort <cohorts.csv> -o <model.xlsx> [options]` and
 * `lifetime partners <partners.csv> -o <model.xlsx> [options]` build the models the task
 * pane builds, as .xlsx workbooks of live formulas, for scripts and scheduled jobs. Bad
 * input prints a message naming the row, column or option and exits with status 1,
 * writing nothing.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LifetimeError } from "../core/errors";
import { fitShiftedBetaGeometric } from "../core/retention/shiftedBetaGeometric";
import { writeXlsx } from "../host/xlsx/writeXlsx";
import { InputError, readCohortInput } from "./readInput";
import { readCohortCsv } from "../models/cohort/cohortCsv";
import { buildCohortPlan, cohortFitBand, cohortInputSchema, type CohortModelSettings } from "../models/cohort/cohortPlan";
import { CSV_COLUMN, MAX_PARTNERS, readPartnerCsv } from "../models/partners/partnerCsv";
import { buildPartnerPlan, partnerInputSchema, type PartnerModelSettings, type PartnerOverrides } from "../models/partners/partnerPlan";
import { MAX_SCENARIOS, type Scenario } from "../models/scenarios";
import { readScenarioCsv, ScenarioFileError, type ScenarioRow } from "./scenarios";

const COHORT_USAGE = `Usage: lifetime cohort <cohorts.csv> -o <model.xlsx> [options]

Builds a cohort retention model (shifted-beta-geometric) as a workbook of live formulas.

  <cohorts.csv>        header "cohort,customers,1,2,…", then one row per cohort: its label,
                       customers acquired, customers still active after each period
                       (blank where not yet observed)
  -o, --output FILE    the .xlsx to write (required); an existing file is kept unless
                       --force is given, and the input is never written over
  --force              replace the output file if it exists
  --revenue N          revenue per active customer per period (default 1)
  --margin F           gross margin as a fraction, 0 to 1 (default 1)
  --cac N              acquisition cost per customer (default 0)
  --discount F         annual discount rate as a fraction (default 0.1)
  --period P           month, quarter or year (default month)
  --horizon N          projection horizon in periods (default 36)
  --timing T           start (default: a customer active at the start of a period pays
                       for it) or end
  --scenarios FILE     named scenarios: a CSV with the header "scenario," and any of
                       revenue, margin, cac, discount, horizon, timing; one row per
                       scenario (at most 8), a blank cell keeping the option's value; the
                       first row is the base and the active scenario
`;

const PARTNERS_USAGE = `Usage: lifetime partners <partners.csv> -o <model.xlsx> [options]

Prices every referral partner's terms against customer lifetime value, as a workbook of
live formulas, and prints the partners ranked by the net value they bring.

  <partners.csv>       header "partner,customers_per_period,commission_rate,
                       commission_periods,bounty,hold_periods,cap,churn_multiplier", optionally
                       with "tiers" (such as 0:0.2|10:0.25|50:0.3) and "tier_method" (all or
                       progressive); one row per partner (at most ${MAX_PARTNERS}); blank cells
                       take the defaults: lifetime commissions, no bounty, no hold, no cap,
                       churn multiplier 1
  -o, --output FILE    the .xlsx to write (required); an existing file is kept unless
                       --force is given, and the input is never written over
  --force              replace the output file if it exists
  --revenue N          revenue per active customer per period (default 1)
  --margin F           gross margin as a fraction, 0 to 1 (default 1)
  --retention F        constant retention per period, 0 to 1; or instead
  --alpha A --beta B   the shifted-beta-geometric retention curve (from a cohort model)
  --discount F         annual discount rate as a fraction (default 0.1)
  --period P           month, quarter or year (default month)
  --horizon N          periods a referred customer is valued over (default 36)
  --acquisition-periods N
                       periods over which partners keep referring (default: the horizon)
  --paid-cac N         what a customer costs through paid channels (default 0)
  --timing T           start (default: revenue billed at the start of each period) or end
  --scenarios FILE     named scenarios: a CSV with the header "scenario," and any of the
                       options above as spelled without the dashes (revenue, margin,
                       retention or alpha and beta, discount, horizon, acquisition-periods,
                       paid-cac, timing); one row per scenario (at most 8), a blank cell
                       keeping the option's value; the first row is the base and the active one
`;

const USAGE = `Usage: lifetime cohort <cohorts.csv> -o <model.xlsx> [options]
       lifetime partners <partners.csv> -o <model.xlsx> [options]

Give a command and --help for its options.
`;

class UsageError extends Error {
  constructor(
    message: string,
    readonly usage = USAGE,
  ) {
    super(message);
  }
}

type Command = "cohort" | "partners";

interface Options {
  command: Command;
  input: string;
  output: string;
  force: boolean;
  values: Record<string, string>;
}

const OPTIONS: Record<Command, string[]> = {
  cohort: ["output", "revenue", "margin", "cac", "discount", "period", "horizon", "timing", "scenarios"],
  partners: ["output", "revenue", "margin", "retention", "alpha", "beta", "discount", "period", "horizon", "acquisition-periods", "paid-cac", "timing", "scenarios"],
};

function parseArguments(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h") throw new UsageError("");
  if (command !== "cohort" && command !== "partners") throw new UsageError(`unknown command "${command}"; the commands are "cohort" and "partners"`);
  const usage = command === "cohort" ? COHORT_USAGE : PARTNERS_USAGE;
  if (rest.includes("--help") || rest.includes("-h")) throw new UsageError("", usage);
  const values: Record<string, string> = {};
  const positional: string[] = [];
  const known = new Set(OPTIONS[command]);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === "--force") {
      values.force = "true";
      continue;
    }
    if (arg === "-o" || arg.startsWith("--")) {
      const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
      const name = flag === "-o" ? "output" : flag.slice(2);
      if (!known.has(name)) throw new UsageError(`unknown option ${flag}`, usage);
      const value = inline ?? rest[++i];
      if (value === undefined) throw new UsageError(`option ${flag} needs a value`, usage);
      values[name] = value;
    } else positional.push(arg);
  }
  const what = command === "cohort" ? "cohorts" : "partners";
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? `give the ${what} CSV file` : `one CSV file, not ${positional.length}: ${positional.join(" ")}`, usage);
  if (!values.output) throw new UsageError("give the workbook to write with -o model.xlsx", usage);
  return { command, input: positional[0] as string, output: values.output, force: values.force === "true", values };
}

/** Reads the options' values: numbers and choices, each refused with the option's name. */
function optionReader(values: Record<string, string>) {
  const number = (name: string, fallback: number) => {
    const text = values[name];
    if (text === undefined) return fallback;
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number; got "${text}"`);
    return n;
  };
  const choice = <T extends string>(name: string, choices: readonly T[], fallback: T): T => {
    const text = values[name] ?? fallback;
    if (!choices.includes(text as T)) throw new UsageError(`--${name} must be ${choices.join(" or ")}; got "${text}"`);
    return text as T;
  };
  return { number, choice };
}

function cohortSettings(values: Record<string, string>): Omit<CohortModelSettings, "cohorts"> {
  const { number, choice } = optionReader(values);
  return {
    revenue: number("revenue", 1),
    margin: number("margin", 1),
    cac: number("cac", 0),
    annualDiscount: number("discount", 0.1),
    period: choice("period", ["month", "quarter", "year"] as const, "month"),
    horizon: number("horizon", 36),
    timing: choice("timing", ["start", "end"] as const, "start"),
  };
}

function partnerEconomics(values: Record<string, string>): Omit<PartnerModelSettings, "partners"> {
  const { number, choice } = optionReader(values);
  const given = (name: string) => values[name] !== undefined;
  if (given("retention") && (given("alpha") || given("beta"))) throw new UsageError("give --retention, or --alpha and --beta, not both", PARTNERS_USAGE);
  if (given("alpha") !== given("beta")) throw new UsageError("give both --alpha and --beta (the sBG retention curve)", PARTNERS_USAGE);
  if (!given("retention") && !given("alpha")) throw new UsageError("give the customers' retention: --retention F (per period), or --alpha A --beta B", PARTNERS_USAGE);
  const horizon = number("horizon", 36);
  return {
    revenue: number("revenue", 1),
    margin: number("margin", 1),
    curve: given("retention") ? { kind: "constant", retention: number("retention", 1) } : { kind: "sbg", alpha: number("alpha", 1), beta: number("beta", 1) },
    annualDiscount: number("discount", 0.1),
    period: choice("period", ["month", "quarter", "year"] as const, "month"),
    horizon,
    acquisitionPeriods: number("acquisition-periods", horizon),
    paidCac: number("paid-cac", 0),
    timing: choice("timing", ["start", "end"] as const, "start"),
  };
}

/** Text from a file, made safe to print: control characters (escape sequences among them) shown as "?". */
const printable = (text: string) =>
  Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    return (code < 0x20 && ch !== "\n" && ch !== "\t") || (code >= 0x7f && code <= 0x9f) ? "?" : ch;
  }).join("");

/** Refuses, before any work, an output that is not an .xlsx, is the input, exists (without --force), or has no folder. */
function checkOutput({ input, output, force }: Options): void {
  if (!/\.xlsx$/i.test(output)) throw new UsageError(`the output must be an .xlsx workbook; got "${output}"`);
  if (path.resolve(output) === path.resolve(input)) throw new UsageError("the output is the input file; give another name with -o");
  const folder = path.dirname(path.resolve(output));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`cannot write ${output}: the folder ${folder} does not exist`);
  if (existsSync(output)) {
    if (statSync(output).isDirectory()) throw new UsageError(`cannot write ${output}: it is a folder; give a file name ending in .xlsx`);
    if (!force) throw new UsageError(`${output} exists; give --force to replace it, or another name with -o`);
  }
}

/** Writes beside the target, then renames: a failed write leaves neither a half-written workbook nor a temporary file. */
function writeOutput(output: string, contents: Uint8Array): void {
  const temporary = path.join(path.dirname(output), `.${path.basename(output)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, output);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write ${output}: ${code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ENOSPC" ? "the disk is full" : (error as Error).message}`);
  }
}

/** The scenarios file's rows, or none without --scenarios. */
async function scenarioRows(options: Options): Promise<ScenarioRow[] | undefined> {
  const file = options.values.scenarios;
  if (file === undefined) return undefined;
  const text = await readCohortInput(file, { what: "scenario", maxRecords: MAX_SCENARIOS, maxColumns: 1 + OPTIONS[options.command].length });
  return readScenarioCsv(text, file, OPTIONS[options.command].filter((o) => o !== "scenarios"), options.command);
}

/** Each row's settings: the command's options with the row's values over them; a refusal names the row and the column. */
function rowSettings<T>(rows: ScenarioRow[], file: string, values: Record<string, string>, read: (values: Record<string, string>) => T): T[] {
  return rows.map((r) => {
    try {
      return read({ ...values, ...r.values });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const option = /^--([a-z-]+)(?::)? (.*)$/s.exec(error.message);
      // An option's own value at fault is the option's, not the file's.
      if (option && r.values[option[1]!] === undefined) throw error;
      throw new UsageError(option ? `${file}, row ${r.row}, column ${option[1]}: ${option[2]}` : `${file}, row ${r.row} (${r.name}): ${error.message}`);
    }
  });
}

/** Scenario j's overrides: where its settings differ from the base's. */
function overrides<O>(base: Record<string, unknown>, own: Record<string, unknown>, keys: readonly string[]): Partial<O> {
  return Object.fromEntries(keys.filter((k) => own[k] !== base[k]).map((k) => [k, own[k]])) as Partial<O>;
}

/** A schema's refusal inside the scenarios, as the file's row and column. */
function scenarioIssue(rows: ScenarioRow[] | undefined, file: string | undefined, path: readonly PropertyKey[], message: string, optionOf: Record<string, string>): string | undefined {
  if (!rows || path[0] !== "scenarios" || typeof path[1] !== "number") return undefined;
  const r = rows[path[1]];
  if (!r) return `${file}: ${message}`;
  const key = path[3] === undefined ? (path[2] === "name" ? "scenario" : undefined) : optionOf[String(path[3])] ?? String(path[3]);
  return `${file}, row ${r.row}${key ? `, column ${key}` : ` (${r.name})`}: ${message}`;
}

const COHORT_KEYS = ["revenue", "margin", "cac", "annualDiscount", "horizon", "timing"] as const;
const COHORT_OPTION: Record<string, string> = { revenue: "revenue", margin: "margin", cac: "cac", annualDiscount: "discount", horizon: "horizon", timing: "timing" };
const PARTNER_KEYS = ["revenue", "margin", "annualDiscount", "horizon", "acquisitionPeriods", "paidCac", "timing"] as const;
const PARTNER_OPTION: Record<string, string> = { revenue: "revenue", margin: "margin", annualDiscount: "discount", horizon: "horizon", acquisitionPeriods: "acquisition-periods", paidCac: "paid-cac", timing: "timing", retention: "retention", alpha: "alpha", beta: "beta" };

const percent = (n: number) => n.toLocaleString("en-US", { style: "percent", maximumFractionDigits: 1 });
const money = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) out(`lifetime: ${error.message}\n`);
    out(error.usage);
    return error.message ? 1 : 0;
  }
  try {
    checkOutput(options);
    if (options.command === "partners") return await partners(options, out);
    const rows = await scenarioRows(options);
    const file = options.values.scenarios;
    const economics = rows ? rowSettings(rows, file as string, options.values, cohortSettings) : [cohortSettings(options.values)];
    const base = economics[0]!;
    const scenarios: Scenario<Record<string, unknown>>[] | undefined = rows?.map((r, j) => ({ name: r.name, overrides: j === 0 ? {} : overrides(base, economics[j]!, COHORT_KEYS) }));
    const cohorts = readCohortCsv(await readCohortInput(options.input));
    const parsed = cohortInputSchema.safeParse({ ...base, cohorts, ...(rows ? { scenarios, activeScenario: rows[0]!.name } : {}) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const inFile = scenarioIssue(rows, file, issue.path, issue.message, COHORT_OPTION);
      if (inFile) throw new UsageError(inFile);
      const name = COHORT_OPTION[String(issue.path[0])];
      const fromRow = name !== undefined && rows?.[0]?.values[name] !== undefined;
      throw new UsageError(name ? (fromRow ? `${file}, row 2, column ${name}: ${issue.message}` : `--${name}: ${issue.message}`) : issue.message);
    }
    const settings = parsed.data;
    const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
    if (fit.degenerate) throw new UsageError(`the cohorts do not determine the sBG curve: ${fit.degenerate}; use more cohorts or more periods of each`);
    if (!fit.converged) throw new UsageError(`the sBG fit did not converge (${fit.reason})`);
    const fittedOn = new Date().toISOString().slice(0, 10);
    // The fit's 90% band, written beside the point estimates (none for a fit without standard errors, or beyond double precision).
    const band = cohortFitBand(settings, fit);
    const { plan, model, scenarioModels } = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn, band });
    if (!scenarioModels.every((m) => [m.clvNewCustomer, m.customerEquity, m.activeToday].every(Number.isFinite))) {
      throw new UsageError("the results are too large to compute (beyond 1e308): check the revenue, margin and cohort sizes");
    }
    const xlsx = await writeXlsx(plan);
    writeOutput(options.output, xlsx);
    const p = settings.period;
    const line = (label: string, text: string) => `${label.padEnd(20)}${text}`;
    out(
      [
        `Cohort model: ${settings.cohorts.length} cohort${settings.cohorts.length === 1 ? "" : "s"}, ${settings.cohorts.reduce((s, c) => s + c.customers, 0).toLocaleString("en-US")} customers acquired, ${model.activeToday.toLocaleString("en-US")} active today`,
        line("sBG fit", `alpha ${fit.params.alpha.toFixed(4)}  beta ${fit.params.beta.toFixed(4)}  log-likelihood ${fit.logLikelihood.toFixed(4)}`),
        line("Fitted retention", [1, 2, 3, 6, 12].map((t) => `${p} ${t}: ${percent((fit.params.beta + t - 1) / (fit.params.alpha + fit.params.beta + t - 1))}`).join(", ")),
        line(`Margin per ${p}`, `${money(settings.revenue * settings.margin)} (revenue ${money(settings.revenue)} × margin ${settings.margin})`),
        line("Discount", `${percent(settings.annualDiscount)} a year; horizon ${settings.horizon} ${p}s; margin paid at the ${settings.timing} of each ${p}`),
        line("CLV, new customer", `${money(model.clvNewCustomer)}${settings.cac > 0 ? ` after a CAC of ${money(settings.cac)}; LTV:CAC ${model.ltvToCacNewCustomer!.toFixed(2)}` : ""}${band ? `; 90% interval ${money(band.clvNewCustomer.low)} to ${money(band.clvNewCustomer.high)}` : ""}`),
        line("Customer equity", `${money(model.customerEquity)} (the ${model.activeToday.toLocaleString("en-US")} customers active today, over the next ${settings.horizon} ${p}s)${band ? `; 90% interval ${money(band.customerEquity.low)} to ${money(band.customerEquity.high)}` : ""}`),
        ...(rows
          ? [
              "",
              scenarioTable(
                ["CLV, new", "LTV:CAC", `Payback (${p}s)`, "Customer equity"],
                rows.map((r, j) => {
                  const m = scenarioModels[j]!;
                  return [printable(r.name), money(m.clvNewCustomer), m.ltvToCacNewCustomer === undefined ? "n/a" : m.ltvToCacNewCustomer.toFixed(2), m.paybackNewCustomer === undefined ? "beyond" : String(m.paybackNewCustomer), money(m.customerEquity)];
                }),
              ),
              `The first scenario (${printable(rows[0]!.name)}) is the base and the active one; the sheet "Cohort scenarios" compares them.`,
            ]
          : []),
        `Wrote ${options.output}`,
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError || error instanceof LifetimeError || error instanceof ScenarioFileError) {
      out(`lifetime: ${printable(error.message)}`);
      return 1;
    }
    throw error;
  }
}

const PARTNER_OPTIONS: Record<string, string> = {
  revenue: "--revenue",
  margin: "--margin",
  annualDiscount: "--discount",
  horizon: "--horizon",
  acquisitionPeriods: "--acquisition-periods",
  paidCac: "--paid-cac",
};

/** The scenarios' figures as a table: a name column, then right-aligned columns. */
function scenarioTable(headers: string[], rows: string[][]): string {
  const width = Math.min(24, Math.max(8, ...rows.map((r) => (r[0] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? (c.length > width ? `${c.slice(0, width - 1)}…` : c.padEnd(width)) : c.padStart(16))).join(" ");
  return [line(["Scenario", ...headers]), ...rows.map(line)].join("\n");
}

/** `lifetime partners`: the partner model from a CSV of partners, ranked on the screen and written as a workbook. */
async function partners(options: Options, out: (line: string) => void): Promise<number> {
  const scenarioFile = options.values.scenarios;
  const scenarioList = await scenarioRows(options);
  if (scenarioList) {
    // A scenario overrides the curve's own parameters: retention for a constant curve, alpha and beta for the sBG.
    const constant = options.values.retention !== undefined || scenarioList[0]!.values.retention !== undefined;
    for (const r of scenarioList) {
      const wrong = constant ? ["alpha", "beta"].find((c) => r.values[c] !== undefined) : r.values.retention !== undefined ? "retention" : undefined;
      if (wrong) throw new UsageError(`${scenarioFile}, row ${r.row}, column ${wrong}: the retention curve is ${constant ? "a constant retention: override retention" : "the sBG (--alpha and --beta): override alpha and beta"}`);
    }
  }
  // Without --acquisition-periods, partners refer over the base's horizon in every scenario (as in the pane), not each scenario's.
  const baseAcquisition: Record<string, string> = scenarioList && options.values["acquisition-periods"] === undefined ? { "acquisition-periods": String(partnerEconomics({ ...options.values, ...scenarioList[0]!.values }).acquisitionPeriods) } : {};
  const allEconomics = scenarioList ? rowSettings(scenarioList, scenarioFile as string, { ...options.values, ...baseAcquisition }, partnerEconomics) : [partnerEconomics(options.values)];
  const economics = allEconomics[0]!;
  const curveValues = (c: PartnerModelSettings["curve"]): Record<string, unknown> => (c.kind === "constant" ? { retention: c.retention } : { alpha: c.alpha, beta: c.beta });
  const scenarios = scenarioList?.map((r, j): Scenario<PartnerOverrides> => {
    const own = allEconomics[j]!;
    if (j > 0 && own.curve.kind !== economics.curve.kind) throw new UsageError(`${scenarioFile}, row ${r.row}: the retention curve is ${economics.curve.kind === "constant" ? "a constant retention" : "the sBG (alpha and beta)"} in the base; a scenario overrides it in kind`);
    return { name: r.name, overrides: j === 0 ? {} : overrides<PartnerOverrides>({ ...economics, ...curveValues(economics.curve) }, { ...own, ...curveValues(own.curve) }, [...PARTNER_KEYS, "retention", "alpha", "beta"]) };
  });
  const rows = readPartnerCsv(await readCohortInput(options.input, { what: "partner", maxRecords: MAX_PARTNERS, maxColumns: 12 }));
  const parsed = partnerInputSchema.safeParse({ ...economics, partners: rows, ...(scenarioList ? { scenarios, activeScenario: scenarioList[0]!.name } : {}) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const inFile = scenarioIssue(scenarioList, scenarioFile, issue.path, issue.message, PARTNER_OPTION);
    if (inFile) throw new UsageError(inFile);
    const [first, index, field] = issue.path;
    if (first === "partners" && typeof index === "number") {
      const column = CSV_COLUMN[String(field)] ?? String(field ?? "");
      throw new UsageError(`row ${index + 2}${column ? `, column ${column}` : ""}: ${issue.message}`);
    }
    if (first === "curve") throw new UsageError(`${String(issue.path[1]) === "retention" ? "--retention" : `--${String(issue.path[1])}`}: ${issue.message}`);
    const option = PARTNER_OPTIONS[String(first)];
    throw new UsageError(option ? `${option}: ${issue.message}` : issue.message);
  }
  const settings = parsed.data;
  const { plan, program, scenarioPrograms } = buildPartnerPlan(settings);
  if (!scenarioPrograms.every((pr) => [pr.commission, pr.netValue, pr.paidCustomerValue].every(Number.isFinite))) {
    throw new UsageError("the results are too large to compute (beyond 1e308): check the revenue and the customers per period");
  }
  writeOutput(options.output, await writeXlsx(plan));
  const p = settings.period;
  const ranked = [...program.partners].sort((a, b) => a.rank - b.rank);
  const width = Math.min(28, Math.max(7, ...ranked.map((r) => r.name.length)));
  const cut = (name: string) => (name.length > width ? `${name.slice(0, width - 1)}…` : name.padEnd(width));
  const cells = (values: string[]) => values.map((v, i) => (i === 0 ? v : v.padStart(13))).join(" ");
  out(
    [
      `Partner model: ${settings.partners.length} partner${settings.partners.length === 1 ? "" : "s"}, each referring for ${settings.acquisitionPeriods} ${p}s; customers valued over ${settings.horizon} ${p}s`,
      `A customer bought through paid channels is worth ${money(program.paidCustomerValue)} (CLV less a CAC of ${money(settings.paidCac)})`,
      "",
      cells(["#  " + "Partner".padEnd(width), "Net/customer", "Commission", "Break-even", "Total net", "ROI"]),
      ...ranked.map((r) =>
        cells([
          `${String(r.rank).padEnd(3)}${cut(printable(r.name))}`,
          money(r.netValue),
          money(r.commission),
          r.breakevenRate === undefined ? "n/a" : percent(r.breakevenRate),
          money(r.totalNetValue),
          r.roi === undefined ? "n/a" : r.roi.toFixed(2),
        ]),
      ),
      "",
      `Program: ${program.customersReferred.toLocaleString("en-US")} customers referred; commission ${money(program.commission)}; net value ${money(program.netValue)}; ROI ${program.roi === undefined ? "n/a" : program.roi.toFixed(2)}; ${money(program.valueOverPaid)} over paid acquisition (all discounted to today)`,
      ...(scenarioList
        ? [
            "",
            scenarioTable(
              ["Commission", "Net value", "ROI"],
              scenarioList.map((r, j) => {
                const pr = scenarioPrograms[j]!;
                return [printable(r.name), money(pr.commission), money(pr.netValue), pr.roi === undefined ? "n/a" : pr.roi.toFixed(2)];
              }),
            ),
            `The first scenario (${printable(scenarioList[0]!.name)}) is the base and the active one; the sheet "Partner scenarios" compares them.`,
          ]
        : []),
      `Wrote ${options.output}`,
    ].join("\n"),
  );
  return 0;
}
