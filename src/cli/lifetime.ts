/**
 * The command line: `lifetime cohort <cohorts.csv> -o <model.xlsx> [options]` builds the
 * cohort retention model the task pane builds, as an .xlsx of live formulas, for scripts
 * and scheduled jobs. Bad input prints a message naming the row, column or option and
 * exits with status 1, writing nothing.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LifetimeError } from "../core/errors";
import { fitShiftedBetaGeometric } from "../core/retention/shiftedBetaGeometric";
import { writeXlsx } from "../host/xlsx/writeXlsx";
import { InputError, readCohortInput } from "./readInput";
import { readCohortCsv } from "../models/cohort/cohortCsv";
import { buildCohortPlan, cohortInputSchema, type CohortModelSettings } from "../models/cohort/cohortPlan";

const USAGE = `Usage: lifetime cohort <cohorts.csv> -o <model.xlsx> [options]

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
`;

class UsageError extends Error {}

interface Options {
  input: string;
  output: string;
  force: boolean;
  settings: Omit<CohortModelSettings, "cohorts">;
}

function parseArguments(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h") throw new UsageError("");
  if (command !== "cohort") throw new UsageError(`unknown command "${command}"; the command is "cohort"`);
  const values: Record<string, string> = {};
  const positional: string[] = [];
  const known = new Set(["output", "revenue", "margin", "cac", "discount", "period", "horizon", "timing"]);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === "--force") {
      values.force = "true";
      continue;
    }
    if (arg === "-o" || arg.startsWith("--")) {
      const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
      const name = flag === "-o" ? "output" : flag.slice(2);
      if (!known.has(name)) throw new UsageError(`unknown option ${flag}`);
      const value = inline ?? rest[++i];
      if (value === undefined) throw new UsageError(`option ${flag} needs a value`);
      values[name] = value;
    } else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? "give the cohorts CSV file" : `one CSV file, not ${positional.length}: ${positional.join(" ")}`);
  if (!values.output) throw new UsageError("give the workbook to write with -o model.xlsx");
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
  return {
    input: positional[0] as string,
    output: values.output,
    force: values.force === "true",
    settings: {
      revenue: number("revenue", 1),
      margin: number("margin", 1),
      cac: number("cac", 0),
      annualDiscount: number("discount", 0.1),
      period: choice("period", ["month", "quarter", "year"] as const, "month"),
      horizon: number("horizon", 36),
      timing: choice("timing", ["start", "end"] as const, "start"),
    },
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

const percent = (n: number) => n.toLocaleString("en-US", { style: "percent", maximumFractionDigits: 1 });
const money = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) out(`lifetime: ${error.message}\n`);
    out(USAGE);
    return error.message ? 1 : 0;
  }
  try {
    checkOutput(options);
    const cohorts = readCohortCsv(await readCohortInput(options.input));
    const parsed = cohortInputSchema.safeParse({ ...options.settings, cohorts });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const option = { revenue: "--revenue", margin: "--margin", cac: "--cac", annualDiscount: "--discount", horizon: "--horizon" }[String(issue.path[0])];
      throw new UsageError(option ? `${option}: ${issue.message}` : issue.message);
    }
    const settings = parsed.data;
    const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
    if (!fit.converged) throw new UsageError(`the sBG fit did not converge (${fit.reason})`);
    if (fit.degenerate) throw new UsageError(`the cohorts do not determine the sBG curve: ${fit.degenerate}; use more cohorts or more periods of each`);
    const fittedOn = new Date().toISOString().slice(0, 10);
    const { plan, model } = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn });
    if (![model.clvNewCustomer, model.customerEquity, model.activeToday].every(Number.isFinite)) {
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
        line("CLV, new customer", `${money(model.clvNewCustomer)}${settings.cac > 0 ? ` after a CAC of ${money(settings.cac)}; LTV:CAC ${model.ltvToCacNewCustomer!.toFixed(2)}` : ""}`),
        line("Customer equity", `${money(model.customerEquity)} (the ${model.activeToday.toLocaleString("en-US")} customers active today, over the next ${settings.horizon} ${p}s)`),
        `Wrote ${options.output}`,
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError || error instanceof LifetimeError) {
      out(`lifetime: ${printable(error.message)}`);
      return 1;
    }
    throw error;
  }
}
