import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cellAddress, columnLetter, parseAddress, shiftFormula, writeFormulas, writeRange } from "../../src/models/plan";

describe("plan addresses", () => {
  it("convert between column numbers, letters and A1 addresses", () => {
    assert.deepEqual([1, 26, 27, 52, 703, 16384].map(columnLetter), ["A", "Z", "AA", "AZ", "AAA", "XFD"]);
    assert.deepEqual(parseAddress("$AB$12"), { row: 12, column: 28 });
    assert.equal(cellAddress(12, 28, true), "$AB$12");
    assert.equal(writeRange({ at: "C3", fill: { formula: "=1", rows: 2, columns: 3 } }), "C3:E4");
  });
});

describe("shiftFormula (Excel's fill)", () => {
  it("moves relative references and keeps anchored ones", () => {
    assert.equal(shiftFormula("=C29*D28", 0, 1), "=D29*E28");
    assert.equal(shiftFormula("=IF(D$40>Horizon,0,$C42*INDEX(Survival,$B42+D$41+1))", 2, 3), "=IF(G$40>Horizon,0,$C44*INDEX(Survival,$B44+G$41+1))");
    assert.equal(shiftFormula("=SUM($D$5:$Z$5)+Z9", 1, 1), "=SUM($D$5:$Z$5)+AA10");
  });
  it("leaves names, function names and quoted text alone", () => {
    assert.equal(shiftFormula('=IF(Timing="start",A1,LOG10(B2))&"C3"', 1, 1), '=IF(Timing="start",B2,LOG10(C3))&"C3"');
    assert.equal(shiftFormula("=(Beta+D27-1)/(Alpha+Beta+D27-1)", 0, 2), "=(Beta+F27-1)/(Alpha+Beta+F27-1)");
    assert.equal(shiftFormula("=CLV_NewCustomer+LTV_CAC", 5, 5), "=CLV_NewCustomer+LTV_CAC");
  });
  it("expands a fill cell by cell", () => {
    assert.deepEqual(writeFormulas({ at: "B2", fill: { formula: "=A2*2", rows: 2, columns: 2 } }), [
      ["=A2*2", "=B2*2"],
      ["=A3*2", "=B3*2"],
    ]);
  });
});
