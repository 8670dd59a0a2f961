import assert from "node:assert/strict";
import { readCohortInput } from "../../src/cli/readInput";
import { readCohortCsv } from "../../src/models/cohort/cohortCsv";
import JSZip from "jszip";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

/** The `lifetime` command as users run it: bin/lifetime.cjs in a process of its own. */
const BIN = path.resolve(__dirname, "../../bin/lifetime.cjs");
const work = mkdtempSync(path.join(os.tmpdir(), "lifetime-cli-"));

function run(csv: string | Buffer | undefined, args: string[]) {
  const input = path.join(work, `in-${Math.random().toString(36).slice(2)}.csv`);
  if (csv !== undefined) writeFileSync(input, csv);
  const output = path.join(work, `out-${Math.random().toString(36).slice(2)}.xlsx`);
  const result = spawnSync(process.execPath, [BIN, "cohort", input, "-o", output, ...args], { encoding: "utf8" });
  return { status: result.status, out: result.stdout + result.stderr, written: existsSync(output) };
}

const GOOD = "cohort,customers,1,2,3,4\n2025-01,1000,631,468,382,326\n2025-02,800,505,374,,\n";

describe("lifetime cohort", () => {
  it("writes the workbook and prints the fit, CLV and customer equity", () => {
    const { status, out, written } = run(GOOD, ["--revenue", "50", "--margin", "0.6", "--cac", "150", "--discount", "0.1", "--period", "month", "--horizon", "24", "--timing", "start"]);
    assert.equal(status, 0, out);
    assert.ok(written);
    assert.match(out, /sBG fit\s+alpha 0\.\d{4}\s+beta \d\.\d{4}/);
    assert.match(out, /CLV, new customer\s+-?[\d,]+\.\d\d after a CAC of 150\.00/);
    assert.match(out, /Customer equity\s+[\d,]+\.\d\d/);
    assert.match(out, /CLV, new customer .*; 90% interval -?[\d,]+\.\d\d to -?[\d,]+\.\d\d/);
  });

  const bad: [string, string | undefined, string[], RegExp][] = [
    ["text in a count", "cohort,customers,1,2\n2025-01,1000,631,lots\n", [], /row 2, column 4 \(2\): "lots" is not a number/],
    ["a count that rises", "cohort,customers,1,2\n2025-01,1000,631,700\n", [], /row 2, column 4 \(2\): 700 customers, more than the 631 before/],
    ["a negative revenue", GOOD, ["--revenue", "-5"], /--revenue: revenue must be 0 or more/],
    ["an empty file", "", [], /the file is empty/],
    ["a horizon of 0", GOOD, ["--horizon", "0"], /--horizon: horizon must be at least 1 period/],
    ["a period that is not one of the three", GOOD, ["--period", "week"], /--period must be month or quarter or year; got "week"/],
    ["a missing file", undefined, [], /no such file/],
    ["a margin given as a percentage", GOOD, ["--margin", "60"], /--margin: margin must be between 0 and 1/],
    ["a file separated by semicolons", "cohort;customers;1\n2025-01;1000;631\n", [], /separated by semicolons; the cohort table must be comma-separated/],
    ["a label of 40,000 characters, naming its row", `cohort,customers,1\n${"x".repeat(40_000)},1000,631\n`, [], /row 2, column 1 \(cohort\): the cohort label has 40000 characters; at most 255/],
    ["20,000 period columns", `cohort,customers,${Array.from({ length: 20_000 }, (_, i) => i + 1).join(",")}\n2025-01,1000,631\n`, [], /20000 period columns; a cohort model takes at most 600/],
    ["a revenue so large the results are infinite", GOOD, ["--revenue", "1e308"], /the results are too large to compute/],
    ["control characters in what it echoes", "cohort,customers,1\n2025-01,1000,\u001b[31mred\n", [], /"\?\[31mred" is not a number/],
    ["50,000 cohorts", `cohort,customers,1\n${Array.from({ length: 50_000 }, (_, i) => `c${i},1000,600`).join("\n")}\n`, [], /more than 600 cohorts .*; a cohort model takes at most 600/],
  ];
  for (const [name, csv, args, message] of bad) {
    it(`refuses ${name}: names it, exits 1, writes nothing`, () => {
      const { status, out, written } = run(csv, args);
      assert.equal(status, 1);
      assert.match(out, message);
      assert.equal(written, false);
    });
  }
});

describe("lifetime cohort's files", () => {
  const input = (csv: string | Buffer) => {
    const file = path.join(work, `in-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, csv);
    return file;
  };
  const lifetime = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, "cohort", ...args], { encoding: "utf8" });
    return { status: result.status, out: result.stdout + result.stderr };
  };
  const leftovers = () => readdirSync(work).filter((f) => f.endsWith(".tmp"));

  it("says in one sentence what is wrong with the output, writes nothing and leaves no temporary file", () => {
    const csv = input(GOOD);
    for (const [output, message] of [
      [path.join(work, "no-such-folder", "model.xlsx"), /cannot write .*: the folder .* does not exist/],
      [work + "/", /the output must be an \.xlsx workbook/],
      [path.join(work, "model.csv"), /the output must be an \.xlsx workbook; got ".*model\.csv"/],
    ] as const) {
      const { status, out } = lifetime(csv, "-o", output);
      assert.equal(status, 1, out);
      assert.match(out, message);
      assert.doesNotMatch(out, /\n\s+at /); // no stack trace
    }
    mkdirSync(path.join(work, "folder.xlsx"));
    assert.match(lifetime(csv, "-o", path.join(work, "folder.xlsx")).out, /it is a folder; give a file name ending in \.xlsx/);
    assert.deepEqual(leftovers(), []);
  });

  it("never writes over an existing file without --force, nor ever over its input", () => {
    const csv = input(GOOD);
    const output = path.join(work, "existing.xlsx");
    writeFileSync(output, "mine");
    const refused = lifetime(csv, "-o", output);
    assert.equal(refused.status, 1);
    assert.match(refused.out, /exists; give --force to replace it/);
    assert.equal(readFileSync(output, "utf8"), "mine");
    assert.equal(lifetime(csv, "-o", output, "--force").status, 0);
    assert.notEqual(readFileSync(output, "utf8"), "mine");
    const before = readFileSync(csv, "utf8");
    const self = csv.replace(/\.csv$/, ".xlsx");
    writeFileSync(self, "not yet");
    assert.match(lifetime(csv, "-o", csv, "--force").out, /the output must be an \.xlsx workbook/);
    assert.equal(readFileSync(csv, "utf8"), before);
  });

  it("names the encoding it expects for a UTF-16 file", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, "utf16le")]);
    const { status, out } = lifetime(input(utf16), "-o", path.join(work, "u16.xlsx"));
    assert.equal(status, 1);
    assert.match(out, /encoded as UTF-16; save it as CSV in UTF-8/);
  });
});

describe("lifetime cohort on large inputs", () => {
  // The peak memory of the command's process (max RSS), read at its exit.
  const peakHook = () => {
    const hook = path.join(work, "peak.cjs");
    writeFileSync(hook, `process.on("exit", () => require("node:fs").writeSync(2, "\\npeak-rss-kb " + process.resourceUsage().maxRSS + "\\n"));`);
    return hook;
  };
  const measured = (csv: string, t: { diagnostic: (m: string) => void }, what: string) => {
    const input = path.join(work, `large-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(input, csv);
    const output = path.join(work, `large-${Math.random().toString(36).slice(2)}.xlsx`);
    const started = performance.now();
    const result = spawnSync(process.execPath, ["-r", peakHook(), BIN, "cohort", input, "-o", output], { encoding: "utf8" });
    const ms = performance.now() - started;
    const peakMb = Number(/peak-rss-kb (\d+)/.exec(result.stderr)![1]) / 1024;
    t.diagnostic(`${what} (${(csv.length / 1024 / 1024).toFixed(1)} MB): exit ${result.status} in ${ms.toFixed(0)} ms, peak memory ${peakMb.toFixed(0)} MB`);
    return { status: result.status, out: result.stdout, written: existsSync(output), peakMb };
  };

  it("refuses 50,000 cohorts after reading the first 601, in bounded memory (the peak is printed)", (t) => {
    const csv = `cohort,customers,${Array.from({ length: 24 }, (_, i) => i + 1).join(",")}\n${Array.from({ length: 50_000 }, (_, i) => `c${i},1000,${Array.from({ length: 24 }, (_, t) => 900 - t * 30).join(",")}`).join("\n")}\n`;
    const { status, out, written, peakMb } = measured(csv, t, "50,000 cohorts × 24 periods");
    assert.equal(status, 1);
    assert.match(out, /has more than 600 cohorts \(line 602 is cohort 601\); a cohort model takes at most 600/);
    assert.equal(written, false);
    assert.ok(peakMb < 200, `peak ${peakMb} MB`);
  });

  it("refuses a 120 MB file in the same bounded memory: it never reads past the 601st cohort", (t) => {
    const row = `,1000,${Array.from({ length: 60 }, (_, t) => 990 - t * 10).join(",")}`;
    const csv = `cohort,customers,${Array.from({ length: 60 }, (_, i) => i + 1).join(",")}\n${Array.from({ length: 500_000 }, (_, i) => `cohort-${i}${row}`).join("\n")}\n`;
    const { status, out, peakMb } = measured(csv, t, "500,000 cohorts × 60 periods");
    assert.equal(status, 1);
    assert.match(out, /more than 600 cohorts/);
    assert.ok(peakMb < 200, `peak ${peakMb} MB`);
  });

  it("refuses a 120 MB file without a line break after reading 256 K characters of it", (t) => {
    const { status, out, peakMb } = measured(`cohort,customers,1\n${"9".repeat(120 * 1024 * 1024)}`, t, "one line of 120 MB");
    assert.equal(status, 1);
    assert.match(out, /line 2 of .* is longer than 262,144 characters/);
    assert.ok(peakMb < 200, `peak ${peakMb} MB`);
  });

  it("splits records as the CSV parser does: a quote inside a label is a character, a quoted label may hold a line break", async () => {
    const periods = Array.from({ length: 600 }, (_, i) => i + 1).join(",");
    const row = (label: string) => `${label},1000,${Array.from({ length: 600 }, (_, t) => 999 - t).join(",")}`;
    const csv = `cohort,customers,${periods}\n${row('Display 27"')}\n${row('"two\nlines, ""quoted"""')}\n${Array.from({ length: 198 }, (_, i) => row(`c${i}`)).join("\n")}\n`;
    const file = path.join(work, "quotes.csv");
    writeFileSync(file, csv);
    const cohorts = readCohortCsv(await readCohortInput(file));
    assert.equal(cohorts.length, 200);
    assert.deepEqual(cohorts.slice(0, 2).map((c) => c.label), ['Display 27"', 'two\nlines, "quoted"']);
  });

  it("builds the largest model it takes (600 cohorts) and refuses one line of 1 MB, naming the line", (t) => {
    const csv = `cohort,customers,1,2\n${Array.from({ length: 600 }, (_, i) => `c${i},1000,${800 - (i % 50)},${700 - (i % 50)}`).join("\n")}\n`;
    assert.equal(measured(csv, t, "600 cohorts × 2 periods").status, 0);
    const long = `cohort,customers,1\nc1,1000,${"9".repeat(1024 * 1024)}\n`;
    const refused = measured(long, t, "a line of 1 MB");
    assert.equal(refused.status, 1);
    assert.match(refused.out, /line 2 of .* is longer than 262,144 characters/);
  });
});

describe("lifetime from a production install", () => {
  it("runs the built command line with no devDependency loadable, and needs only exceljs and jszip beside Node; its workbook holds the model's charts", async () => {
    const built = path.resolve(__dirname, "../../dist/cli/lifetime.cjs");
    assert.ok(existsSync(built), "npm run build writes dist/cli/lifetime.cjs");
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; files: string[] };
    const imports = [...readFileSync(built, "utf8").matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!).filter((name) => !name.startsWith("node:"));
    const builtin = new Set(builtinModules);
    assert.deepEqual([...new Set(imports.filter((name) => !builtin.has(name)))].sort(), ["exceljs", "jszip"]);
    assert.ok("exceljs" in pkg.dependencies && "jszip" in pkg.dependencies && pkg.files.includes("dist/") && pkg.files.includes("bin/"));
    // Any devDependency required by the project's own code at run time fails, as it would where they are not
    // installed (what a dependency such as exceljs requires is installed with it).
    const hook = path.join(work, "no-dev-dependencies.cjs");
    writeFileSync(
      hook,
      `const Module = require("node:module"); const dev = new Set(${JSON.stringify(Object.keys(pkg.devDependencies))});
       const load = Module._load; Module._load = function (request, parent, ...rest) { const name = request.startsWith("@") ? request.split("/").slice(0, 2).join("/") : request.split("/")[0];
       const fromDependency = parent && parent.filename && parent.filename.includes("/node_modules/");
       if (dev.has(name) && !fromDependency) throw new Error("devDependency loaded at run time: " + request); return load.call(this, request, parent, ...rest); };`,
    );
    const input = path.join(work, "prod.csv");
    writeFileSync(input, GOOD);
    const output = path.join(work, "prod.xlsx");
    const result = spawnSync(process.execPath, ["-r", hook, BIN, "cohort", input, "-o", output, "--revenue", "40"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const zip = await JSZip.loadAsync(readFileSync(output));
    assert.deepEqual(Object.keys(zip.files).filter((f) => f.startsWith("xl/charts/")).sort(), ["xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"]);
  });
});

function runPartners(csv: string, args: string[]) {
  const input = path.join(work, `partners-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(input, csv);
  const output = path.join(work, `partners-${Math.random().toString(36).slice(2)}.xlsx`);
  const result = spawnSync(process.execPath, [BIN, "partners", input, "-o", output, ...args], { encoding: "utf8" });
  return { status: result.status, out: result.stdout + result.stderr, written: existsSync(output), output };
}

const PARTNERS =
  "partner,customers_per_period,commission_rate,commission_periods,bounty,hold_periods,cap,churn_multiplier,tiers,tier_method\n" +
  "Lifetime 20%,10,0.2,,,,,,,\n" +
  "Held bounty,6,0.1,12,120,3,60,1.3,,\n" +
  '"=HYPERLINK(""http://x"")",30,,6,20,,,0.8,0:0.15|10:0.2|25:0.3,progressive\n';
const ECONOMY = ["--revenue", "50", "--margin", "0.7", "--alpha", "0.9", "--beta", "2.6", "--discount", "0.1", "--horizon", "36", "--acquisition-periods", "12", "--paid-cac", "180"];

describe("lifetime partners", () => {
  it("writes the workbook and prints the partners ranked by total net value, and the program", async () => {
    const { status, out, written, output } = runPartners(PARTNERS, ECONOMY);
    assert.equal(status, 0, out);
    assert.ok(written);
    assert.match(out, /A customer bought through paid channels is worth [\d,]+\.\d\d/);
    const ranking = out.split("\n").filter((l) => /^\d {2}/.test(l));
    assert.equal(ranking.length, 3);
    assert.match(out, /Program: 552 customers referred; commission [\d,]+\.\d\d; net value [\d,]+\.\d\d; ROI \d+\.\d\d/);
    const zip = await JSZip.loadAsync(readFileSync(output));
    const sheet = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    // The name that looks like a formula is a string cell, never a formula.
    assert.ok(!sheet.includes("<f>HYPERLINK"), "no HYPERLINK formula");
    const shared = await zip.file("xl/sharedStrings.xml")!.async("string");
    assert.ok(shared.includes("=HYPERLINK(&quot;http://x&quot;)"));
  });

  const bad: [string, string, string[], RegExp][] = [
    ["no retention given", PARTNERS, ["--revenue", "50"], /give the customers' retention: --retention F \(per period\), or --alpha A --beta B/],
    ["a negative commission rate", PARTNERS.replace("Lifetime 20%,10,0.2", "Lifetime 20%,10,-0.2"), ECONOMY, /row 2, column commission_rate: the commission rate must be 0 or more/],
    ["a duplicate partner", PARTNERS + "lifetime 20%,3,0.1,,,,,,,\n", ECONOMY, /row 5, column partner: lifetime 20%: another partner is named Lifetime 20%; partner names must differ/],
    ["a rate and tiers both", PARTNERS.replace("30,,6", "30,0.1,6"), ECONOMY, /row 4, column commission_rate: .* has both a commission rate and tiers/],
    ["tiers not starting at 0", PARTNERS.replace("0:0.15|10", "5:0.15|10"), ECONOMY, /row 4, column tiers: the first tier must start at 0/],
    ["tiers that overlap", PARTNERS.replace("10:0.2|25", "30:0.2|25"), ECONOMY, /row 4, column tiers: tier 3 starts at 25, not above tier 2 \(30\)/],
    ["a tier written badly", PARTNERS.replace("0:0.15|", "0-0.15|"), ECONOMY, /row 4, column 9 \(tiers\): tier 1 is "0-0.15"; write each tier as start:rate/],
    ["a cap below 0", PARTNERS.replace("3,60,1.3", "3,-60,1.3"), ECONOMY, /row 3, column cap: the cap must be 0 or more/],
    ["a hold beyond the horizon", PARTNERS.replace("120,3,60", "120,40,60"), ECONOMY, /row 3, column hold_periods: Held bounty: the bounty is held 40 periods, beyond the horizon of 36/],
    ["a churn multiplier that makes retention negative", PARTNERS.replace("60,1.3", "60,9"), ECONOMY, /row 3, column churn_multiplier: Held bounty: a churn multiplier of 9 makes retention negative in period 1/],
    ["an unknown column", PARTNERS.replace("tier_method", "method"), ECONOMY, /row 1, column 10: unknown column "method"/],
    ["text as a number", PARTNERS.replace("Lifetime 20%,10", "Lifetime 20%,ten"), ECONOMY, /row 2, column 2 \(customers_per_period\): "ten" is not a number/],
    ["a hexadecimal number", PARTNERS.replace("Lifetime 20%,10", "Lifetime 20%,0x10"), ECONOMY, /row 2, column 2 \(customers_per_period\): "0x10" is not a number/],
  ];
  for (const [name, csv, args, message] of bad) {
    it(`refuses ${name}: names it, exits 1, writes nothing`, () => {
      const { status, out, written } = runPartners(csv, args);
      assert.equal(status, 1, out);
      assert.match(out, message);
      assert.equal(written, false);
    });
  }
});
