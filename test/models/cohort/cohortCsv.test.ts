import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { originOf, readCohortCsv, readCohortTable } from "../../../src/models/cohort/cohortCsv";

/** Reading cohort tables: messages name the cell as the user sees it. */
describe("cohort tables", () => {
  const table = [
    ["cohort", "customers", 1, 2, 3],
    ["2025-01", 1000, 631, 468, 382],
    ["2025-02", 1200, 760, "x", null],
  ];

  it("name a bad cell by its address in the workbook when the table's place is known", () => {
    assert.deepEqual(originOf("Data!A12:E14"), { sheet: "Data", row: 12, column: 1 });
    assert.deepEqual(originOf("'Q4 cohorts'!$C$5:$G$9"), { sheet: "Q4 cohorts", row: 5, column: 3 });
    assert.throws(() => readCohortTable(table, undefined, originOf("Data!A12:E14")), /^LifetimeError: Data!D14 \(2\): "x" is not a number$/);
    assert.throws(() => readCohortTable(table, undefined, originOf("'Q4 cohorts'!C5:G7")), /'Q4 cohorts'!F7 \(2\): "x" is not a number/);
    // Without a place (a CSV file), by row and column of the table.
    assert.throws(() => readCohortTable(table), /row 3, column 4 \(2\): "x" is not a number/);
  });

  it("count rows as the sheet does, blank rows included", () => {
    const withGap = [table[0]!, table[1]!, [null, null, null, null, null], table[2]!];
    assert.throws(() => readCohortTable(withGap, undefined, originOf("Data!A1:E4")), /Data!D4 \(2\)/);
  });

  it("speak of a range or a file, whichever it is", () => {
    assert.throws(() => readCohortTable([[null, ""]], undefined, originOf("Data!A1:B1")), /the range is empty/);
    assert.throws(() => readCohortCsv("\n\n"), /the file is empty/);
    assert.throws(() => readCohortTable([table[0]!], undefined, originOf("Data!A1:E1")), /the range has a header but no cohorts/);
  });
});
