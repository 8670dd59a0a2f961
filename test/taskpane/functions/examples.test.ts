import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { HyperFormula } from "hyperformula";
import { registerLtvFunctions } from "../../../src/host/preview/customFunctions";
import { PreviewWorkbook } from "../../../src/host/preview/previewHost";
import { FUNCTION_EXAMPLES } from "../../../src/taskpane/functions/examples";
import { DIST, loadBuiltFunctions } from "../../support/customFunctions";

describe("the function gallery's examples", () => {
  const metadata = JSON.parse(readFileSync(path.join(DIST, "functions.json"), "utf8")) as { functions: { id: string; result?: { dimensionality?: string } }[] };

  it("cover every function, each calling its own function", () => {
    assert.deepEqual(Object.keys(FUNCTION_EXAMPLES).sort(), metadata.functions.map((f) => f.id).sort());
    for (const [id, example] of Object.entries(FUNCTION_EXAMPLES)) assert.ok(example.startsWith(`=LTV.${id}(`), example);
  });

  it("compute to a number where the function returns one", () => {
    registerLtvFunctions(HyperFormula, loadBuiltFunctions());
    const workbook = new PreviewWorkbook();
    workbook.hf.addSheet("Examples");
    const scalar = metadata.functions.filter((f) => f.result?.dimensionality !== "matrix").map((f) => f.id);
    workbook.setCells("Examples", "A1", scalar.map((id) => [FUNCTION_EXAMPLES[id]]));
    scalar.forEach((id, i) => assert.equal(typeof workbook.values("Examples", `A${i + 1}`)[0]![0], "number", FUNCTION_EXAMPLES[id]));
  });
});
