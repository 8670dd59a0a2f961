import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { registerLtvFunctions } from "../../src/host/preview/customFunctions";
import { PreviewWorkbook } from "../../src/host/preview/previewHost";
import { loadBuiltFunctions } from "../support/customFunctions";

/**
 * The README's worked examples of the commission functions: each formula it shows, typed
 * into a sheet whose functions are the built dist/functions.js, must give the number the
 * README says, to the digits it gives.
 */
const README = readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
const section = README.slice(README.indexOf("## Referral commissions"), README.indexOf("## Fitted retention models"));

/** `=LTV.…` formulas followed by a number: in a table row (formula | result) or in text (formula → result). */
const examples = [
  ...Array.from(section.matchAll(/\| `(=LTV\.[^`]+)` \| (-?[\d.]+)/g), (m) => [m[1]!, m[2]!] as const),
  ...Array.from(section.matchAll(/`(=LTV\.[^`]+)` → (-?[\d.]+\d)/g), (m) => [m[1]!, m[2]!] as const),
];

describe("the README's commission examples", () => {
  it("are there: every term type and every commission function", () => {
    assert.ok(examples.length >= 11, `${examples.length} examples found`);
    for (const id of ["COMMISSION_COST", "BREAKEVEN_COMMISSION", "TIER_RATE"]) assert.ok(examples.some(([f]) => f.startsWith(`=LTV.${id}(`)), id);
  });

  it("compute to the numbers the README gives", () => {
    registerLtvFunctions(loadBuiltFunctions());
    const workbook = new PreviewWorkbook();
    workbook.engine.addSheet("README");
    examples.forEach(([formula, shown], i) => {
      workbook.setCells("README", `A${i + 1}`, [[formula]]);
      const value = workbook.values("README", `A${i + 1}`)[0]![0];
      assert.equal(typeof value, "number", `${formula} gives ${JSON.stringify(value)}`);
      const decimals = shown.includes(".") ? shown.split(".")[1]!.length : 0;
      assert.equal((value as number).toFixed(decimals), shown, formula);
    });
  });
});
