import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { invalidValue } from "../../src/core/errors";
import { elementwise } from "../../src/functions/tables";

/** The cell-by-cell engine of the predictions: every cell is checked before any is computed. */
describe("elementwise", () => {
  it("checks every row before computing any, so a bad last row is named before work starts", () => {
    const computed: number[] = [];
    const column = Array.from({ length: 5000 }, (_, i) => [i === 4999 ? -1 : i]);
    assert.throws(
      () =>
        elementwise(
          [{ name: "x", value: column }],
          ([x]) => (computed.push(x!), x! * 2),
          ([x]) => {
            if (x! < 0) throw invalidValue(`x must be 0 or more; got ${x}`);
          },
        ),
      /row 5000: x must be 0 or more; got -1/,
    );
    assert.equal(computed.length, 0);
  });

  it("computes blank cells as blank, and broadcasts single values", () => {
    const out = elementwise(
      [
        { name: "x", value: [[1], [""], [3]] },
        { name: "k", value: 10 },
      ],
      ([x, k]) => x! * k!,
    );
    assert.deepEqual(out, [[10], [""], [30]]);
  });
});
