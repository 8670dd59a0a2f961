import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { registerLtvFunctions } from "../../../../src/host/preview/customFunctions";
import { CellError, FormulaEngine, type RawCellContent } from "../../../../src/host/preview/engine/engine";
import { registerCustomFunction } from "../../../../src/host/preview/engine/functions";
import { CustomFunctionError } from "../../../support/customFunctions";

/** A workbook with sheets by name, cells by A1 address. */
function workbook(...sheets: string[]) {
  const engine = new FormulaEngine();
  for (const name of sheets.length > 0 ? sheets : ["Sheet1"]) engine.addSheet(name);
  const at = (address: string, sheet = sheets[0] ?? "Sheet1") => {
    const m = /^([A-Z]+)(\d+)$/.exec(address)!;
    let col = 0;
    for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
    return { sheet: engine.getSheetId(sheet)!, row: Number(m[2]) - 1, col: col - 1 };
  };
  const put = (address: string, rows: RawCellContent[][], sheet?: string) => engine.setCellContents(at(address, sheet), rows);
  const value = (address: string, sheet?: string) => engine.getCellValue(at(address, sheet));
  return { engine, at, put, value };
}

const code = (v: unknown) => (v instanceof CellError ? v.value : v);

describe("the engine's workbook", () => {
  it("spills an array right and down; a spilled cell reads its value and holds no formula", () => {
    const { engine, at, put, value } = workbook();
    put("A1", [["=SEQUENCE(3,2)"]]);
    put("D1", [["=A3*10+B3"]]);
    assert.deepEqual([value("A1"), value("B1"), value("A3"), value("B3")], [1, 2, 5, 6]);
    assert.equal(value("D1"), 56);
    assert.equal(engine.getCellFormula(at("A1")), "=SEQUENCE(3,2)");
    assert.equal(engine.getCellFormula(at("B3")), undefined);
    assert.deepEqual(engine.getSheetDimensions(at("A1").sheet), { width: 4, height: 3 });
    assert.deepEqual(engine.getSheetSerialized(at("A1").sheet), [["=SEQUENCE(3,2)", null, null, "=A3*10+B3"]]);
    // The spill grows and shrinks with its result; readers follow.
    put("F1", [[4]]);
    put("A1", [["=SEQUENCE(F1,2)"]]);
    assert.deepEqual([value("A4"), value("B4")], [7, 8]);
    put("D2", [["=SUM(A1:B10)"]]);
    assert.equal(value("D2"), 36);
    put("F1", [[2]]);
    assert.deepEqual([value("A3"), value("A4"), value("D2")], [null, null, 10]);
    assert.equal(value("D1"), 0);
  });

  it("shows #SPILL! with a message while a cell of the spill is taken, and spills again when it is cleared", () => {
    const { put, value } = workbook();
    put("A1", [["=SEQUENCE(3)"]]);
    put("C1", [["=A3"]]);
    assert.equal(value("C1"), 3);
    put("A2", [["mine"]]);
    const blocked = value("A1");
    assert.ok(blocked instanceof CellError && blocked.value === "#SPILL!", String(blocked));
    assert.match(blocked.message, /the spill range is not empty: A2 holds something/);
    assert.deepEqual([value("A2"), value("A3"), value("C1")], ["mine", null, 0]);
    put("A2", [[null]]);
    assert.deepEqual([value("A1"), value("A2"), value("A3"), value("C1")], [1, 2, 3, 3]);
    // Two spills over one cell: the later one is blocked, and spills when the first one shrinks.
    put("B1", [["={1;2}"]]);
    put("B3", [["=1"]]);
    put("C5", [["=SEQUENCE(2,2)"]]);
    put("B5", [["=SEQUENCE(1,2)"]]);
    assert.equal(code(value("B5")), "#SPILL!");
    assert.match((value("B5") as CellError).message, /C5 holds something/);
    put("C5", [[null]]);
    assert.deepEqual([value("B5"), value("C5")], [1, 2]);
    // A cell another formula spills into is taken too.
    put("G1", [["=SEQUENCE(3)"]]);
    put("F2", [["=SEQUENCE(1,2)"]]);
    assert.equal(code(value("F2")), "#SPILL!");
    assert.match((value("F2") as CellError).message, /G2 holds the spilled result of G1/);
    put("G1", [[null]]);
    assert.deepEqual([value("F2"), value("G2")], [1, 2]);
  });

  it("finds a cycle and says so, never hanging; fixing it computes again", () => {
    const { put, value } = workbook();
    put("A1", [["=B1+1"]]);
    put("B1", [["=A1+1"]]);
    const error = value("A1");
    assert.ok(error instanceof CellError && error.value === "#REF!" && /circular reference/.test(error.message));
    assert.equal(code(value("B1")), "#REF!");
    put("C1", [["=A1*2"]]);
    assert.equal(code(value("C1")), "#REF!", "an error flows to what reads the cycle");
    put("B1", [[1]]);
    assert.deepEqual([value("A1"), value("C1")], [2, 4]);
    put("D1", [["=SUM(D1:D2)"]]);
    assert.equal(code(value("D1")), "#REF!");
  });

  it("computes a chain of 20,000 cells, and finds a cycle through them, without running out of stack", () => {
    const { put, value } = workbook();
    const chain: RawCellContent[][] = [[1], ...Array.from({ length: 19_999 }, (_, i) => [`=A${i + 1}+1`])];
    put("A1", chain);
    assert.equal(value("A20000"), 20_000);
    put("A1", [["=A20000"]]);
    assert.equal(code(value("A20000")), "#REF!");
    put("A1", [[5]]);
    assert.equal(value("A20000"), 20_004);
  });

  it("undoes and redoes edits, a batch as one step; a new edit clears what could be redone", () => {
    const { engine, put, value } = workbook();
    put("A1", [[1]]);
    put("B1", [["=A1*2"]]);
    engine.batch(() => {
      put("A1", [[5]]);
      put("A2", [["note"]]);
    });
    assert.equal(value("B1"), 10);
    engine.undo();
    assert.deepEqual([value("A1"), value("A2"), value("B1")], [1, null, 2]);
    engine.redo();
    assert.deepEqual([value("A1"), value("A2"), value("B1")], [5, "note", 10]);
    engine.undo();
    engine.undo();
    assert.deepEqual([value("B1"), engine.isThereSomethingToUndo()], [null, true]);
    put("A1", [[7]]);
    assert.equal(engine.isThereSomethingToRedo(), false);
    engine.undo();
    engine.undo();
    assert.equal(engine.isThereSomethingToUndo(), false);
    assert.deepEqual([value("A1"), value("B1")], [null, null]);
    put("A1", [[3]]);
    engine.clearUndoStack();
    assert.equal(engine.isThereSomethingToUndo(), false);
  });

  it("reads a sheet's own name before the workbook's, and follows names added, changed and removed", () => {
    const { engine, put, value } = workbook("Sheet1", "Sheet2");
    const [one, two] = [engine.getSheetId("Sheet1")!, engine.getSheetId("Sheet2")!];
    put("A1", [["=Rate*100"]], "Sheet1");
    put("A1", [["=Rate*100"]], "Sheet2");
    assert.equal(code(value("A1", "Sheet1")), "#NAME?");
    engine.addNamedExpression("Rate", "=0.1");
    engine.addNamedExpression("rate", "=Sheet2!$B$1", two);
    put("B1", [[0.25]], "Sheet2");
    assert.deepEqual([value("A1", "Sheet1"), value("A1", "Sheet2")], [10, 25]);
    put("B1", [[0.5]], "Sheet2");
    assert.equal(value("A1", "Sheet2"), 50);
    engine.changeNamedExpression("Rate", 0.2);
    assert.equal(value("A1", "Sheet1"), 20);
    engine.removeNamedExpression("Rate", two);
    assert.equal(value("A1", "Sheet2"), 20);
    assert.equal(engine.getNamedExpressionValue("Rate"), 0.2);
    assert.throws(() => engine.addNamedExpression("rate", 1), /already defined/);
    assert.throws(() => engine.addNamedExpression("A1", 1), /not a valid name/);
    put("A2", [["='Sheet2'!Total"]], "Sheet1");
    engine.addNamedExpression("Total", "=SUM(Sheet2!$C$1:$C$3)", two);
    put("C1", [[1], [2], [3]], "Sheet2");
    assert.equal(value("A2", "Sheet1"), 6);
    assert.deepEqual(engine.listNamedExpressions(two), ["Total"]);
    assert.deepEqual(engine.listNamedExpressions(), ["Rate"]);
    assert.deepEqual(engine.getAllNamedExpressionsSerialized(), [{ name: "Rate", expression: 0.2, scope: undefined }, { name: "Total", expression: "=SUM(Sheet2!$C$1:$C$3)", scope: two }]);
    assert.equal(engine.getNamedExpressionFormula("Total", two), "=SUM(Sheet2!$C$1:$C$3)");
    assert.equal(engine.getNamedExpressionFormula("Total", one), undefined);
    engine.addNamedExpression("Block", "=Sheet2!$C$1:$C$3");
    assert.deepEqual(engine.getNamedExpressionValue("Block"), [[1], [2], [3]]);
    put("D1", [["=INDEX(Block,2)+ROWS(Block)"]], "Sheet1");
    assert.equal(value("D1", "Sheet1"), 5);
  });

  it("rewrites formulas and names when a sheet is renamed, as Excel does", () => {
    const { engine, at, put, value } = workbook("Data", "Cohort model");
    const model = engine.getSheetId("Cohort model")!;
    put("B20", [[21]], "Cohort model");
    put("K1", [["='Cohort model'!B20*2"]], "Data");
    engine.addNamedExpression("MyCLV", "='Cohort model'!$B$20");
    engine.renameSheet(model, "Q4 model");
    assert.equal(engine.getCellFormula(at("K1", "Data")), "='Q4 model'!B20*2");
    assert.equal(engine.getNamedExpressionFormula("MyCLV"), "='Q4 model'!$B$20");
    engine.addSheet("Cohort model");
    put("B20", [[1000]], "Cohort model");
    assert.equal(value("K1", "Data"), 42, "the formula still reads the renamed sheet");
    assert.equal(engine.getNamedExpressionValue("MyCLV"), 21);
    assert.throws(() => engine.renameSheet(model, "DATA"), /already exists/);
    assert.throws(() => engine.addSheet("a/b"), /not a valid sheet name/);
  });

  it("turns references to a removed sheet into #REF!, drops its names, and links formulas to a sheet added later", () => {
    const { engine, at, put, value } = workbook("Data", "Model");
    put("A1", [[5]], "Model");
    put("A1", [["=Model!A1+1"]], "Data");
    engine.addNamedExpression("Local", "=Model!$A$1", engine.getSheetId("Model"));
    engine.addNamedExpression("Far", "=Model!$A$1");
    engine.removeSheet(engine.getSheetId("Model")!);
    assert.equal(code(value("A1", "Data")), "#REF!");
    assert.equal(engine.getCellFormula(at("A1", "Data")), "=#REF!+1");
    assert.deepEqual(engine.getAllNamedExpressionsSerialized().map((n) => [n.name, n.expression]), [["Far", "=#REF!"]]);
    put("B1", [["=Later!A1*2"]], "Data");
    assert.equal(code(value("B1", "Data")), "#REF!");
    engine.addSheet("Later");
    put("A1", [[4]], "Later");
    assert.equal(value("B1", "Data"), 8);
  });

  it("reads typed text as Excel does: numbers, percentages, TRUE, dates (flagged), errors; an apostrophe keeps text", () => {
    const { engine, at, put, value } = workbook();
    put("A1", [["12"], ["1e3"], ["50%"], ["TRUE"], ["01/01/2025"], ["2025-01-31"], ["1/2/25"], ["'=1+1"], ["'01/01/2025"], ["#N/A"], ["abc"], ["1,000"], [" 7 "]]);
    assert.deepEqual(["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A11", "A12", "A13"].map((a) => value(a)), [12, 1000, 0.5, true, 45658, 45688, 45659, "=1+1", "01/01/2025", "abc", 1000, 7]);
    assert.equal(code(value("A10")), "#N/A");
    assert.equal(engine.isCellDate(at("A5")), true);
    assert.equal(engine.isCellDate(at("A1")), false);
    assert.equal(engine.getCellSerialized(at("A5")), "01/01/2025", "kept as typed");
    assert.equal(engine.getCellSerialized(at("A8")), "'=1+1");
    assert.equal(engine.getCellFormula(at("A8")), undefined);
  });

  it("replaces a sheet's contents, and evaluates a formula without writing it", () => {
    const { engine, at, put, value } = workbook();
    put("A1", [[1, 2], ["=A1+B1"]]);
    const saved = engine.getSheetSerialized(at("A1").sheet);
    put("C3", [["x"]]);
    put("A1", [[10]]);
    engine.setSheetContent(at("A1").sheet, saved);
    assert.deepEqual(engine.getSheetSerialized(at("A1").sheet), [[1, 2], ["=A1+B1"]]);
    assert.equal(value("A2"), 3);
    assert.equal(engine.calculateFormula("=A2*2", at("A1").sheet), 6);
    assert.equal(engine.getCellValue(at("Z9")), null);
  });

  it("recomputes only what depends on a change", () => {
    const calls = new Map<number, number>();
    registerCustomFunction("TEST.TRACE", ([id]) => {
      calls.set(id as number, (calls.get(id as number) ?? 0) + 1);
      return id as number;
    });
    const { put, value } = workbook();
    put("A1", [["=TEST.TRACE(1)+B1"], ["=TEST.TRACE(2)+B2"], ["=TEST.TRACE(3)+SUM(B1:B2)"]]);
    calls.clear();
    put("B2", [[10]]);
    assert.deepEqual([...calls].sort(), [[2, 1], [3, 1]]);
    assert.deepEqual([value("A1"), value("A2"), value("A3")], [1, 12, 13]);
  });

  it("matches a fresh computation after any sequence of edits (incremental recalculation checked by brute force)", () => {
    const cell = fc.constantFrom("A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2");
    const content = fc.oneof(
      fc.integer({ min: -5, max: 5 }).map((n): RawCellContent => n),
      fc.constant<RawCellContent>(null),
      fc.tuple(cell, cell).map(([x, y]): RawCellContent => `=${x}+${y}`),
      fc.tuple(cell, cell).map(([x, y]): RawCellContent => `=SUM(${x}:${y})*2`),
      fc.tuple(cell, fc.integer({ min: 1, max: 3 })).map(([x, n]): RawCellContent => `=IF(${x}>0,SEQUENCE(${n}),-1)`),
      cell.map((x): RawCellContent => `=INDEX(A1:C3,2,2)-${x}`),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, content), { minLength: 1, maxLength: 12 }), (edits) => {
        const live = workbook();
        const typed = new Map<string, RawCellContent>();
        for (const [address, c] of edits) {
          live.put(address, [[c]]);
          typed.set(address, c);
        }
        const fresh = workbook();
        fresh.engine.batch(() => {
          for (const [address, c] of typed) fresh.put(address, [[c]]);
        });
        const show = (v: unknown) => (v instanceof CellError ? v.value : v);
        const addresses = ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4"];
        // A formula that reads a cell another formula spills into, which reads it back, has two
        // consistent states (spilled or not), and which one a spreadsheet reaches depends on the
        // order of the edits: Excel reports a circular reference after some and not others. The
        // engine reports one where it finds it; the comparison leaves those workbooks out.
        const circular = (v: unknown) => v instanceof CellError && /circular/.test(v.message ?? "");
        fc.pre(!addresses.some((a) => circular(live.value(a)) || circular(fresh.value(a))));
        for (const address of addresses) {
          assert.deepEqual(show(live.value(address)), show(fresh.value(address)), `${address} after ${JSON.stringify(edits)}`);
        }
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });
});

describe("custom functions in the engine", () => {
  it("get ranges as rows of cells (empty as \"\"), omitted arguments as null; spill arrays; thrown errors keep their message", () => {
    const seen: unknown[][] = [];
    registerLtvFunctions(
      new Map<string, (...args: unknown[]) => unknown>([
        ["ECHO", (a: unknown, b: unknown) => (seen.push([a, b]), [[1, 2], [3, 4]])],
        ["FAIL", () => {
          throw new CustomFunctionError("#NUM!", "the fit did not converge");
        }],
        ["ONE", () => [[7]]],
      ]),
    );
    const { put, value } = workbook();
    put("A1", [[1, null]]);
    put("D1", [["=LTV.ECHO(A1:B1)"]]);
    assert.deepEqual(seen.at(-1), [[[1, ""]], null]);
    assert.deepEqual([value("D1"), value("E1"), value("D2"), value("E2")], [1, 2, 3, 4]);
    put("D5", [["=LTV.echo(A1, 2)"]]);
    assert.deepEqual(seen.at(-1), [1, 2]);
    put("A3", [["=LTV.FAIL()"]]);
    const error = value("A3");
    assert.ok(error instanceof CellError && error.value === "#NUM!" && error.message === "the fit did not converge");
    put("A4", [["=LTV.ECHO(1/0)"]]);
    assert.equal(code(value("A4")), "#DIV/0!", "an error argument is the result, the function not called");
    assert.equal(seen.length, 2);
    put("A5", [["=LTV.ONE()"]]);
    assert.equal(value("A5"), 7);
  });
});
