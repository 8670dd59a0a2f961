import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { registerLtvFunctions } from "../../../src/host/preview/customFunctions";
import { PreviewWorkbook } from "../../../src/host/preview/previewHost";
import { FUNCTION_EXAMPLES } from "../../../src/taskpane/functions/examples";
import { DIST, loadBuiltFunctions } from "../../support/customFunctions";
import { FIXTURES } from "../../support/fixtures";

describe("the function gallery's examples", () => {
  const metadata = JSON.parse(readFileSync(path.join(DIST, "functions.json"), "utf8")) as { functions: { id: string }[] };

  it("cover every function, each calling its own function", () => {
    assert.deepEqual(Object.keys(FUNCTION_EXAMPLES).sort(), metadata.functions.map((f) => f.id).sort());
    for (const [id, example] of Object.entries(FUNCTION_EXAMPLES)) assert.ok(example.startsWith(`=LTV.${id}(`), example);
  });

  it("compute in the preview to what the built functions give, spilled results included", () => {
    const functions = loadBuiltFunctions();
    registerLtvFunctions(functions);
    const workbook = new PreviewWorkbook();
    // The examples that read a customer table read CDNOW's: ID, frequency, recency, T, mean spend in A:E.
    const cdnow = readFileSync(path.join(FIXTURES, "cdnow_customers_summary_with_transactions.csv"), "utf8").trim().split(/\r?\n/).map((line) => line.split(","));
    workbook.engine.addSheet("Examples");
    workbook.setCells("Examples", "A1", cdnow.map((row, i) => (i === 0 ? row : row.map(Number))));
    /** An example's arguments as Excel passes them: numbers, inline arrays as rows, ranges as columns of the table. */
    const argument = (text: string): unknown => {
      const t = text.trim();
      if (t.startsWith("{")) return t.slice(1, -1).split(";").map((row) => row.split(",").map(Number)); // rows split by ;
      const range = /^([A-Z])(\d+):\1(\d+)$/.exec(t);
      if (range) return workbook.values("Examples", t);
      if (t === "TRUE" || t === "FALSE") return t === "TRUE";
      return Number(t);
    };
    const splitArguments = (inner: string) => inner.split(/,(?![^{]*\})/);
    let row = 1;
    for (const [id, example] of Object.entries(FUNCTION_EXAMPLES)) {
      const at = `H${row}`;
      workbook.setCells("Examples", at, [[example]]);
      const want = functions.get(id)!(...splitArguments(example.slice(`=LTV.${id}(`.length, -1)).map(argument));
      const grid = Array.isArray(want) ? (want as unknown[][]) : [[want]];
      assert.ok(grid.flat().every((v) => typeof v === "number" && Number.isFinite(v)), `${example} gives numbers in Excel: ${JSON.stringify(grid).slice(0, 80)}`);
      const got = workbook.values("Examples", `H${row}:${String.fromCharCode(72 + grid[0]!.length - 1)}${row + grid.length - 1}`);
      grid.forEach((line, i) =>
        line.forEach((v, j) => {
          const g = got[i]![j];
          assert.ok(typeof g === "number" && Math.abs(g - (v as number)) <= 1e-12 * Math.max(1, Math.abs(v as number)), `${example} at (${i + 1}, ${j + 1}): ${JSON.stringify(g)} against ${String(v)}`);
        }),
      );
      row += grid.length + 1;
    }
  });
});
