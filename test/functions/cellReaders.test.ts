import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { installCustomFunctionsGlobal } from "../support/customFunctions";

installCustomFunctionsGlobal();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- after the CustomFunctions global is installed
const { readCustomerCells, readSpendCells } = require("../../src/functions/purchaseModels") as typeof import("../../src/functions/purchaseModels");
import { summarizeCustomers } from "../../src/core/purchase/customers";
import { spendData } from "../../src/core/purchase/gammaGamma";
import { customerColumns } from "../../src/functions/tables";
import { readCsvColumns } from "../support/fixtures";

/**
 * The fits read their columns in one pass where the cells allow it (readCustomerCells,
 * readSpendCells) and otherwise the general way (customerColumns, then summarizeCustomers
 * or spendData), which names what is wrong. The one pass must give exactly what the
 * general way gives, or nothing: these tests hold the two to that, on CDNOW and on
 * columns of adversarial cells.
 */

type Summary = ReturnType<typeof summarizeCustomers>;

/** The general way: undefined where it refuses the data. */
function generalCustomers(f: unknown, r: unknown, T: unknown, w: unknown): Summary | undefined {
  try {
    const { values, rowNumbers } = customerColumns({ frequency: f, recency: r, T, weights: w }, ["weights"]);
    return summarizeCustomers({ frequency: values.frequency, recency: values.recency, T: values.T, weights: values.weights, rowNumbers });
  } catch {
    return undefined;
  }
}

function generalSpend(f: unknown, m: unknown, w: unknown) {
  try {
    const { values, rowNumbers } = customerColumns({ frequency: f, monetary_value: m, weights: w }, ["weights"]);
    return spendData({ frequency: values.frequency, monetaryValue: values.monetary_value, weights: values.weights, rowNumbers });
  } catch {
    return undefined;
  }
}

const plain = (v: object | undefined) => (v === undefined ? undefined : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x instanceof Float64Array ? Array.from(x) : x])));

const asColumn = (values: ArrayLike<unknown>) => Array.from(values, (v) => [v]);

describe("reading a fit's columns in one pass", () => {
  const cdnow = readCsvColumns("cdnow_customers_summary.csv");
  const spend = readCsvColumns("cdnow_customers_summary_with_transactions.csv");

  it("gives the general way's summary of CDNOW, with and without a header, empty rows and weights", () => {
    const [f, r, T] = [asColumn(cdnow.frequency!), asColumn(cdnow.recency!), asColumn(cdnow.T!)];
    const header = (name: string, column: unknown[][]) => [[name], ...column, [""], [null]];
    const weights = asColumn(cdnow.frequency!.map((_, i) => (i % 4) * 0.5));
    const cases: [unknown, unknown, unknown, unknown][] = [
      [f, r, T, null],
      [header("frequency", f), header("recency", r), header("T", T), [[""]]],
      [f, r, T, weights],
    ];
    for (const args of cases) {
      const fast = readCustomerCells(...args);
      assert.ok(fast, "CDNOW is read in one pass");
      assert.deepEqual(plain(fast), plain(generalCustomers(...args)));
    }
    const fastSpend = readSpendCells(asColumn(spend.x!), asColumn(spend.zbar!), null);
    assert.ok(fastSpend);
    assert.deepEqual(plain(fastSpend), plain(generalSpend(asColumn(spend.x!), asColumn(spend.zbar!), null)));
  });

  // Columns of valid customers (weights some 1, some not, some 0; duplicate rows; blank rows), a
  // few cells then replaced by cells Excel may pass, and some it never does, and rows of other shapes.
  const odd = fc.constantFrom<unknown>("", null, undefined, -1, -0, 2.5, Number.NaN, Number.POSITIVE_INFINITY, "x", "  ", true, 2 ** 31, 2 ** 32 + 1, 1e-300);
  const customer = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom(0, 0.25, 0.5, 1), fc.constantFrom(1, 7.5, 38.86, 40), fc.constantFrom(1, 1, 1, 2, 0.5, 0));
  const columns = fc
    .tuple(
      fc.array(fc.oneof({ weight: 9, arbitrary: customer }, fc.constant(null)), { maxLength: 14 }),
      fc.array(fc.tuple(fc.nat(13), fc.nat(3), fc.oneof({ weight: 4, arbitrary: odd }, fc.constantFrom<unknown>([], [1, 2], "row"))), { maxLength: 3 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([rows, changes, weighted, titled]) => {
      const cols = [0, 1, 2, 3].map((j) =>
        rows.map((c): unknown => {
          if (c === null) return [null];
          const [x, u, t, w] = c;
          return [[x, x === 0 ? 0 : u * t, t, w][j]];
        }),
      );
      for (const [i, j, v] of changes) {
        if (i < rows.length) (cols[j] as unknown[])[i] = Array.isArray(v) || typeof v === "string" && v.length > 2 ? v : [v];
      }
      if (titled) ["frequency", "recency", "T", "weights"].forEach((name, j) => cols[j]!.unshift([name]));
      return [cols[0], cols[1], cols[2], weighted ? cols[3] : null] as const;
    });

  it("gives the general way's customers, or nothing, whatever the cells", () => {
    let read = 0;
    fc.assert(
      fc.property(columns, (args) => {
        const fast = readCustomerCells(...args);
        if (fast) read++;
        assert.deepEqual(plain(fast), fast && plain(generalCustomers(...args)));
      }),
      { numRuns: 3000 },
    );
    assert.ok(read > 1000, `${read} of 3,000 read in one pass`);
  });

  it("gives the general way's spend data, or nothing, whatever the cells", () => {
    let read = 0;
    fc.assert(
      fc.property(columns, ([f, , T, w]) => {
        // T stands in for the mean spend: 1 to 40, with the odd cells above.
        const fast = readSpendCells(f, T, w);
        if (fast) read++;
        assert.deepEqual(plain(fast), fast && plain(generalSpend(f, T, w)));
      }),
      { numRuns: 3000 },
    );
    assert.ok(read > 1000, `${read} of 3,000 read in one pass`);
  });

  it("reads most valid columns in one pass (the test above is not vacuous)", () => {
    let read = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1, max: 50, noNaN: true })), { minLength: 2, maxLength: 20 }), (rows) => {
        const args = [rows.map(([x]) => [x]), rows.map(([, u, t]) => [u * t]), rows.map(([, , t]) => [t]), null] as const;
        const fast = readCustomerCells(...args);
        if (fast) read++;
        assert.deepEqual(plain(fast), plain(generalCustomers(...args)));
      }),
      { numRuns: 300 },
    );
    assert.equal(read, 300);
  });
});
