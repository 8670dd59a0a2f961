import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { main } from "../../src/cli/lifetime";
import { programResults } from "../../src/core/partners/program";
import { cohortModel } from "../../src/core/retention/cohortModel";
import { fitShiftedBetaGeometric } from "../../src/core/retention/shiftedBetaGeometric";
import { readCohortCsv } from "../../src/models/cohort/cohortCsv";
import { readValues, recalculateWithLibreOffice, type ReadCell } from "../support/libreoffice";

/**
 * `--scenarios`: the command line's scenarios file. The workbook it writes, recalculated by
 * LibreOffice Calc, shows every scenario's results as the core computes them (from the
 * options and the file's rows, here written out by hand); with ActiveScenario changed in the
 * file and recalculated again, the model's results equal that scenario's column. Bad names
 * or values name the row and the column, and nothing is written.
 */
const work = mkdtempSync(path.join(os.tmpdir(), "lifetime-scenarios-"));
const file = (name: string, text: string) => {
  const at = path.join(work, name);
  writeFileSync(at, text);
  return at;
};

async function run(command: string, input: string, scenarios: string, args: string[]) {
  const output = path.join(work, `out-${Math.random().toString(36).slice(2)}.xlsx`);
  const lines: string[] = [];
  const status = await main([command, input, "-o", output, "--scenarios", file(`scenarios-${Math.random().toString(36).slice(2)}.csv`, scenarios), ...args], (l) => lines.push(l));
  return { status, out: lines.join("\n"), output, written: existsSync(output) };
}

const COHORTS = "cohort,customers,1,2,3,4,5,6\n2025-01,1000,631,468,382,326,289,262\n2025-02,800,505,374,306,261,\n2025-03,900,560,420,,,\n";
const OPTIONS = ["--revenue", "50", "--margin", "0.6", "--cac", "150", "--discount", "0.1", "--horizon", "24"];
const SCENARIOS = "scenario,revenue,margin,cac,discount,horizon,timing\nBase,,,,,,\nOptimistic,60,0.65,,,,\nPessimistic,,,220,0.15,36,end\n";

const close = (got: ReadCell | undefined, want: number | string) =>
  typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;

describe("lifetime cohort --scenarios", { timeout: 600_000 }, () => {
  it("writes every scenario, the comparison equals the core, and ActiveScenario changed in the file drives the model", async () => {
    const { status, out, output } = await run("cohort", file("cohorts.csv", COHORTS), SCENARIOS, OPTIONS);
    assert.equal(status, 0, out);
    assert.match(out, /^Scenario\s+CLV, new\s+LTV:CAC\s+Payback \(months\)\s+Customer equity$/m);
    assert.match(out, /^Pessimistic\s+-?[\d,]+\.\d\d\s+\d+\.\d\d/m);
    assert.match(out, /The first scenario \(Base\) is the base and the active one/);

    // The core, from the options and the rows written out here.
    const cohorts = readCohortCsv(COHORTS);
    const fit = fitShiftedBetaGeometric(cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
    const scenario = (revenue: number, margin: number, cac: number, discount: number, horizon: number, timing: "start" | "end") =>
      cohortModel({ cohorts: cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })), params: fit.params, margin: revenue * margin, acquisitionCost: cac, discountRate: Math.pow(1 + discount, 1 / 12) - 1, horizon, timing });
    const core = [scenario(50, 0.6, 150, 0.1, 24, "start"), scenario(60, 0.65, 150, 0.1, 24, "start"), scenario(50, 0.6, 220, 0.15, 36, "end")];

    // ActiveScenario set to Pessimistic in a copy of the written file, as a user would in any spreadsheet.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(output) as unknown as ArrayBuffer);
    workbook.getWorksheet("Cohort model")!.getCell("B3").value = "Pessimistic";
    const edited = Buffer.from(await workbook.xlsx.writeBuffer());
    const [recalculated, switched] = recalculateWithLibreOffice([readFileSync(output), edited]);
    const comparison = await readValues(recalculated!, "Cohort scenarios");
    assert.deepEqual(["B4", "C4", "D4"].map((a) => comparison.get(a)), ["Base", "Optimistic", "Pessimistic"]);
    core.forEach((m, j) => {
      const c = "BCD"[j]!;
      assert.ok(close(comparison.get(`${c}6`), m.clvNewCustomer), `CLV ${j}: ${JSON.stringify(comparison.get(`${c}6`))} against ${m.clvNewCustomer}`);
      assert.ok(close(comparison.get(`${c}7`), m.ltvToCacNewCustomer!), `LTV:CAC ${j}`);
      assert.ok(close(comparison.get(`${c}8`), m.paybackNewCustomer ?? "beyond horizon"), `payback ${j}`);
      assert.ok(close(comparison.get(`${c}9`), m.customerEquity), `equity ${j}`);
    });
    const model = await readValues(switched!, "Cohort model");
    assert.equal(model.get("B18"), "OK");
    assert.ok(close(model.get("B20"), core[2]!.clvNewCustomer));
    assert.ok(close(model.get("B21"), core[2]!.customerEquity));
    assert.equal(model.get("B20"), comparison.get("D6"));
  });

  const bad: [string, string, RegExp][] = [
    ["an unknown column", "scenario,revenue,marginn\nBase,,\nUp,60,0.7\n", /column 3 \("marginn"\) is not an option of lifetime cohort; the columns are scenario and any of revenue, margin, cac, discount, horizon, timing/],
    ["the period", "scenario,period\nBase,\nYearly,year\n", /column 2 \("period"\): the period is the model's, the same in every scenario/],
    ["text for a number", "scenario,revenue,margin\nBase,,\nUp,60,x\n", /row 3, column margin: must be a number; got "x"/],
    ["a margin given as a percentage", "scenario,revenue,margin\nBase,,\nUp,60,65\n", /row 3, column margin: margin must be between 0 and 1/],
    ["two scenarios of one name", "scenario,revenue\nBase,\nbase,60\n", /row 3, column scenario: two scenarios are named base/],
    ["a scenario without a name", "scenario,revenue\nBase,\n,60\n", /row 3, column scenario: a scenario needs a name/],
    ["a name with a comma", 'scenario,revenue\nBase,\n"Up, a lot",60\n', /row 3, column scenario: a scenario's name cannot hold a comma/],
    ["a base row's bad value", "scenario,horizon\nBase,0\nLonger,48\n", /row 2, column horizon: horizon must be at least 1 period/],
    ["nine scenarios", `scenario,revenue\n${Array.from({ length: 9 }, (_, i) => `S${i},${i + 1}`).join("\n")}\n`, /more than 8 scenarios/],
  ];
  for (const [name, scenarios, message] of bad) {
    it(`refuses ${name}: names the row and the column, writes nothing`, async () => {
      const { status, out, written } = await run("cohort", file("c.csv", COHORTS), scenarios, OPTIONS);
      assert.equal(status, 1, out);
      assert.match(out, message);
      assert.equal(written, false);
    });
  }
});

const PARTNERS = "partner,customers_per_period,commission_rate,commission_periods,bounty,hold_periods,cap,churn_multiplier\nLifetime 20%,10,0.2,,,,,\nHeld bounty,6,0.1,12,120,3,60,1.3\n";
const ECONOMY = ["--revenue", "50", "--margin", "0.7", "--alpha", "0.9", "--beta", "2.6", "--discount", "0.1", "--horizon", "36", "--acquisition-periods", "12", "--paid-cac", "180"];

describe("lifetime partners --scenarios", { timeout: 600_000 }, () => {
  it("blames an option's own bad value on the option, not on the file", async () => {
    const { status, out } = await run("cohort", file("c3.csv", COHORTS), "scenario,revenue\nBase,\nUp,60\n", [...OPTIONS, "--margin", "abc"]);
    assert.equal(status, 1);
    assert.match(out, /^lifetime: --margin must be a number; got "abc"$/m);
  });

  it("keeps the base's acquisition periods in a scenario that lengthens the horizon", async () => {
    const economy = ECONOMY.filter((_, i) => i < ECONOMY.indexOf("--acquisition-periods") || i > ECONOMY.indexOf("--acquisition-periods") + 1);
    const { status, out, output } = await run("partners", file("p3.csv", PARTNERS), "scenario,horizon\nBase,\nLong,48\n", economy);
    assert.equal(status, 0, out);
    const [recalculated] = recalculateWithLibreOffice([readFileSync(output)]);
    const own = await readValues(recalculated!, "Partner scenario 2");
    assert.equal(own.get("B11"), 36, "acquisition periods: the base's horizon, 36");
    assert.equal(own.get("B10"), 48);
  });

  it("takes the options as spelled (paid-cac, acquisition-periods, alpha, beta), and the comparison equals the core", async () => {
    const scenarios = "scenario,paid-cac,acquisition-periods,beta,revenue\nBase,,,,\nCheaper paid,90,,,\nLoyal,,24,4,55\n";
    const { status, out, output } = await run("partners", file("p.csv", PARTNERS), scenarios, ECONOMY);
    assert.equal(status, 0, out);
    assert.match(out, /^Scenario\s+Commission\s+Net value\s+ROI$/m);
    const terms = [
      { name: "Lifetime 20%", customersPerPeriod: 10, rate: 0.2, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1 },
      { name: "Held bounty", customersPerPeriod: 6, rate: 0.1, commissionPeriods: 12, bounty: 120, holdPeriods: 3, cap: 60, churnMultiplier: 1.3 },
    ];
    const economics = { revenue: 50, margin: 0.7, curve: { kind: "sbg" as const, alpha: 0.9, beta: 2.6 }, discountRate: Math.pow(1.1, 1 / 12) - 1, horizon: 36, acquisitionPeriods: 12, paidCac: 180, timing: "start" as const };
    const core = [programResults(economics, terms), programResults({ ...economics, paidCac: 90 }, terms), programResults({ ...economics, acquisitionPeriods: 24, curve: { kind: "sbg", alpha: 0.9, beta: 4 }, revenue: 55 }, terms)];
    const [recalculated] = recalculateWithLibreOffice([readFileSync(output)]);
    const comparison = await readValues(recalculated!, "Partner scenarios");
    core.forEach((p, j) => {
      const c = "BCD"[j]!;
      assert.ok(close(comparison.get(`${c}6`), p.commission), `commission ${j}`);
      assert.ok(close(comparison.get(`${c}7`), p.netValue), `net value ${j}`);
      assert.ok(close(comparison.get(`${c}9`), p.valueOverPaid), `value over paid ${j}`);
    });
    // Paid CAC moves the value over paid acquisition, not the program's net value.
    assert.equal(core[1]!.netValue, core[0]!.netValue);
    assert.notEqual(core[1]!.valueOverPaid, core[0]!.valueOverPaid);
  });

  it("refuses a retention column where the curve is the sBG, naming the row", async () => {
    const { status, out, written } = await run("partners", file("p2.csv", PARTNERS), "scenario,retention\nBase,\nFlat,0.8\n", ECONOMY);
    assert.equal(status, 1, out);
    assert.match(out, /row 3, column retention: the retention curve is the sBG \(--alpha and --beta\): override alpha and beta/);
    assert.equal(written, false);
  });
});
