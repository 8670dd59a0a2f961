import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

/** The `lifetime` command as users run it: bin/lifetime.cjs in a process of its own. */
const BIN = path.resolve(__dirname, "../../bin/lifetime.cjs");
const work = mkdtempSync(path.join(os.tmpdir(), "lifetime-cli-"));

function run(csv: string | undefined, args: string[]) {
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
