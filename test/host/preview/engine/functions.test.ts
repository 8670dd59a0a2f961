import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CellError, FormulaEngine } from "../../../../src/host/preview/engine/engine";

/**
 * Formulas evaluated against results Excel documents (its function reference's examples
 * and its rules for operators, types and empty cells), not against the engine's own output.
 */
function workbook() {
  const engine = new FormulaEngine();
  engine.addSheet("Sheet1");
  const sheet = engine.getSheetId("Sheet1")!;
  const put = (at: string, rows: unknown[][]) => {
    const m = /^([A-Z])(\d+)$/.exec(at)!;
    engine.setCellContents({ sheet, row: Number(m[2]) - 1, col: m[1]!.charCodeAt(0) - 65 }, rows as never);
  };
  const calc = (formula: string) => engine.calculateFormula(formula, sheet);
  return { engine, sheet, put, calc };
}

const code = (v: unknown) => (v instanceof CellError ? v.value : v);
const near = (got: unknown, want: number, digits = 6) => assert.ok(typeof got === "number" && Math.abs(got - want) < 10 ** -digits * Math.max(1, Math.abs(want)), `${String(got)} vs ${want}`);

describe("operators, as Excel computes them", () => {
  const { calc } = workbook();

  it("negation binds tighter than ^, ^ runs left to right, % divides by 100", () => {
    assert.equal(calc("=-2^2"), 4);
    assert.equal(calc("=2^-1"), 0.5);
    assert.equal(calc("=2^3^2"), 64);
    assert.equal(calc("=-(2^2)"), -4);
    assert.equal(calc("=50%"), 0.5);
    assert.equal(calc("=2*-3"), -6);
  });

  it("compares text without regard to case; numbers sort below text, text below FALSE, FALSE below TRUE", () => {
    assert.equal(calc('="a"="A"'), true);
    assert.equal(calc('="apple"<"Banana"'), true);
    assert.equal(calc('=1<"a"'), true);
    assert.equal(calc('=2>"1"'), false);
    assert.equal(calc('="z"<FALSE'), true);
    assert.equal(calc("=FALSE<TRUE"), true);
    assert.equal(calc('="a"<>"b"'), true);
  });

  it("turns text into numbers in arithmetic, and values into text with &", () => {
    assert.equal(calc('="3"+1'), 4);
    assert.equal(calc('="50%"*2'), 1);
    assert.equal(calc("=TRUE+1"), 2);
    assert.equal(code(calc('="abc"+1')), "#VALUE!");
    assert.equal(calc('=1&2&TRUE&"x"'), "12TRUEx");
    assert.equal(calc('=0.1+0.2&""'), "0.3");
    assert.equal(calc('=1/3&""'), "0.333333333333333");
    assert.equal(calc('=10^20&""'), "1E+20");
  });

  it("answers errors: #DIV/0! for division by 0, #NUM! for 0^0, the left error first", () => {
    const div = calc("=1/0");
    assert.ok(div instanceof CellError && div.value === "#DIV/0!" && div.message === "division by zero");
    assert.equal(code(calc("=0^0")), "#NUM!");
    assert.equal(code(calc("=0^-1")), "#DIV/0!");
    assert.equal(code(calc("=(-8)^(1/3)")), "#NUM!");
    assert.equal(code(calc("=#N/A+#DIV/0!")), "#N/A");
    assert.equal(code(calc("=1+#REF!")), "#REF!");
    assert.equal(code(calc("=10^400")), "#NUM!");
  });

  it("works cell by cell over arrays, a single row or column stretching, #N/A where a smaller array runs out", () => {
    assert.deepEqual(calc("={1,2,3}+{10;20}"), [[11, 12, 13], [21, 22, 23]]);
    assert.deepEqual(calc("={1,2;3,4}*2"), [[2, 4], [6, 8]]);
    const ragged = calc("={1,2}+{1,2,3}") as unknown[][];
    assert.deepEqual(ragged[0]!.map(code), [2, 4, "#N/A"]);
    assert.deepEqual(calc("=-{1,-2}"), [[-1, 2]]);
  });
});

describe("empty cells", () => {
  const { calc, put } = workbook();
  put("A1", [[null], ['=""']]);

  it("read as 0 in arithmetic and as the result of =A1, as \"\" beside text; only a truly empty cell is blank", () => {
    assert.equal(calc("=A1"), 0);
    assert.equal(calc("=A1+1"), 1);
    assert.equal(calc('=A1=""'), true);
    assert.equal(calc("=A1=0"), true);
    assert.equal(calc("=A1=FALSE"), true);
    assert.equal(calc('=A1&"x"'), "x");
    assert.equal(calc("=ISBLANK(A1)"), true);
    assert.equal(calc("=ISBLANK(A2)"), false, "a formula giving \"\" is not blank");
    assert.equal(calc('=A2=""'), true);
    assert.equal(calc("=COUNTA(A1:A2)"), 1);
  });
});

describe("functions with Excel's semantics", () => {
  const { calc, put } = workbook();
  // A: 1, 2, 3, (empty), "x", TRUE. C: fruit and D: counts as in Excel's COUNTIF example; F, G: SUMIF's.
  put("A1", [[1], [2], [3], [null], ["x"], [true]]);
  put("C2", [["apples", 32], ["oranges", 54], ["peaches", 75], ["apples", 86]]);
  put("F2", [[100000, 7000], [200000, 14000], [300000, 21000], [400000, 28000]]);

  it("SUM, AVERAGE, MIN, MAX take only numbers from ranges, and TRUE and numbers as text typed in", () => {
    assert.equal(calc("=SUM(A1:A6)"), 6);
    assert.equal(calc('=SUM(1,"2",TRUE)'), 4);
    assert.equal(code(calc('=SUM(1,"x")')), "#VALUE!");
    assert.equal(calc("=AVERAGE(A1:A6)"), 2);
    assert.equal(code(calc("=AVERAGE(A4:A5)")), "#DIV/0!");
    assert.equal(calc("=MAX(A1:A6)"), 3);
    assert.equal(calc("=MIN(A4:A6)"), 0);
    assert.equal(calc("=SUM(A:A)"), 6);
    assert.equal(code(calc("=SUM(A1:A3,1/0)")), "#DIV/0!");
  });

  it("COUNT counts numbers (and, typed in, TRUE and numbers as text); COUNTA what is not empty", () => {
    assert.equal(calc("=COUNT(A1:A6)"), 3);
    assert.equal(calc('=COUNT(1,"2","x",TRUE)'), 3);
    assert.equal(calc("=COUNTA(A1:A6)"), 5);
    assert.equal(calc("=COUNTA(1,#N/A)"), 2);
  });

  it("COUNTIF reads its criteria as Excel's examples do", () => {
    assert.equal(calc('=COUNTIF(C2:C5,"apples")'), 2);
    assert.equal(calc('=COUNTIF(C2:C5,"APPLES")'), 2);
    assert.equal(calc("=COUNTIF(C2:C5,C4)"), 1);
    assert.equal(calc('=COUNTIF(C2:C5,C2)+COUNTIF(C2:C5,C3)'), 3);
    assert.equal(calc('=COUNTIF(D2:D5,">55")'), 2);
    assert.equal(calc('=COUNTIF(D2:D5,"<>"&D4)'), 3);
    assert.equal(calc('=COUNTIF(D2:D5,">=32")-COUNTIF(D2:D5,">85")'), 3);
    assert.equal(calc('=COUNTIF(C2:C5,"*")'), 4);
    assert.equal(calc('=COUNTIF(C2:C5,"?????es")'), 2);
    assert.equal(calc("=COUNTIF(D2:D5,54)"), 1);
    assert.equal(calc('=COUNTIF(A1:A6,"<0")'), 0);
    assert.equal(calc('=COUNTIF(A1:A6,"")'), 1);
    assert.equal(calc('=COUNTIF(A1:A6,"<>")'), 5);
    assert.equal(calc('=COUNTIF(A1:A6,TRUE)'), 1);
  });

  it("SUMIF as in Excel's example: commissions on property values above 160,000", () => {
    assert.equal(calc('=SUMIF(F2:F5,">160000",G2:G5)'), 63000);
    assert.equal(calc('=SUMIF(F2:F5,">160000")'), 900000);
    assert.equal(calc("=SUMIF(F2:F5,300000,G2:G5)"), 21000);
    assert.equal(calc('=SUMIF(F2:F5,">160000",G2)'), 63000, "the sum range is read as large as the range");
  });

  it("SUMPRODUCT multiplies arrays of one size, text and empty cells as 0, and sums", () => {
    assert.equal(calc("=SUMPRODUCT((A1:A3>1)*A1:A3)"), 5);
    assert.equal(calc("=SUMPRODUCT({1,2},{3,4})"), 11);
    assert.equal(calc("=SUMPRODUCT(A1:A6)"), 6);
    assert.equal(calc('=SUMPRODUCT((A1:A6<>"")*1)'), 5);
    assert.equal(code(calc("=SUMPRODUCT({1,2},{1,2,3})")), "#VALUE!");
  });

  it("INDEX picks a cell, or with 0 a whole row or column; ROWS and COLUMNS count", () => {
    assert.equal(calc("=INDEX({1,2;3,4},2,2)"), 4);
    assert.deepEqual(calc("=INDEX({1,2;3,4},0,2)"), [[2], [4]]);
    assert.deepEqual(calc("=INDEX({1,2;3,4},1,0)"), [[1, 2]]);
    assert.equal(calc("=INDEX(A1:A6,3)"), 3);
    assert.equal(calc("=INDEX(C2:D5,4,2)"), 86);
    assert.equal(calc("=SUM(INDEX(C2:D5,0,2))"), 247);
    assert.equal(calc("=INDEX({1,2,3},2)"), 2);
    assert.equal(code(calc("=INDEX(A1:A6,7)")), "#REF!");
    assert.equal(calc("=ROWS(C1:E4)"), 4);
    assert.equal(calc("=COLUMNS(C1:E4)"), 3);
    assert.equal(calc("=ROWS({1,2,3;4,5,6})"), 2);
    assert.equal(calc("=SUM(A1:INDEX(A1:A6,3))"), 6);
  });

  it("IF evaluates only the branch it takes; IFERROR and IFNA catch what they catch", () => {
    assert.equal(calc("=IF(TRUE,1,1/0)"), 1);
    assert.equal(calc("=IF(FALSE,1)"), false);
    assert.equal(calc("=IF(FALSE,1,)"), 0);
    assert.equal(calc('=IF("TRUE",1,2)'), 1);
    assert.equal(code(calc('=IF("x",1,2)')), "#VALUE!");
    assert.deepEqual(calc("=IF({TRUE,FALSE},1,2)"), [[1, 2]]);
    assert.equal(calc('=IFERROR(1/0,"x")'), "x");
    assert.deepEqual(calc('=IFERROR(1/{1,0},"x")'), [[1, "x"]]);
    assert.equal(calc("=IFNA(NA(),1)"), 1);
    assert.equal(code(calc("=IFNA(1/0,1)")), "#DIV/0!");
  });

  it("AND, OR, NOT and the IS functions", () => {
    assert.equal(calc("=AND(TRUE,1)"), true);
    assert.equal(calc("=OR(FALSE,0)"), false);
    assert.equal(calc("=AND(A1:A3>0)"), true);
    assert.equal(code(calc('=AND("x")')), "#VALUE!");
    assert.equal(code(calc("=AND(C2:C5)")), "#VALUE!");
    assert.equal(calc("=NOT(0)"), true);
    assert.equal(calc('=ISNUMBER("1")'), false);
    assert.equal(calc('=ISTEXT("1")'), true);
    assert.equal(calc("=ISERROR(#REF!)"), true);
    assert.equal(calc("=ISNA(#REF!)"), false);
    assert.deepEqual(calc("=ISNUMBER(A1:A2)"), [[true], [true]]);
    assert.equal(calc("=TRUE()"), true);
    assert.equal(code(calc("=NA()")), "#N/A");
  });

  it("INT, ROUND, ABS, EXP, LN, LOG, SQRT, POWER, MOD as Excel's reference gives them", () => {
    assert.equal(calc("=INT(8.9)"), 8);
    assert.equal(calc("=INT(-8.9)"), -9);
    assert.equal(calc("=ROUND(2.15,1)"), 2.2);
    assert.equal(calc("=ROUND(2.149,1)"), 2.1);
    assert.equal(calc("=ROUND(-1.475,2)"), -1.48);
    assert.equal(calc("=ROUND(21.5,-1)"), 20);
    assert.equal(calc("=ROUND(626.3,-3)"), 1000);
    assert.equal(calc("=ROUND(1.98,-1)"), 0);
    assert.equal(calc("=ROUND(-50.55,-2)"), -100);
    assert.equal(calc("=ABS(-2)"), 2);
    near(calc("=EXP(1)"), 2.71828182845904);
    near(calc("=LN(86)"), 4.454347);
    assert.equal(code(calc("=LN(0)")), "#NUM!");
    assert.equal(calc("=LOG(10)"), 1);
    near(calc("=LOG(8,2)"), 3, 12);
    near(calc("=LOG(86,2.7182818)"), 4.454347);
    assert.equal(calc("=SQRT(16)"), 4);
    assert.equal(code(calc("=SQRT(-16)")), "#NUM!");
    assert.equal(calc("=POWER(5,2)"), 25);
    near(calc("=POWER(98.6,3.2)"), 2401077.222, 3);
    assert.equal(calc("=MOD(3,2)"), 1);
    assert.equal(calc("=MOD(-3,2)"), 1);
    assert.equal(calc("=MOD(3,-2)"), -1);
    assert.equal(calc("=MOD(-3,-2)"), -1);
    assert.equal(code(calc("=MOD(1,0)")), "#DIV/0!");
    assert.deepEqual(calc("=ROUND({1.25,2.5},0)"), [[1, 3]]);
  });

  it("SEQUENCE fills rows then columns", () => {
    assert.deepEqual(calc("=SEQUENCE(2,3,10,5)"), [[10, 15, 20], [25, 30, 35]]);
    assert.deepEqual(calc("=SEQUENCE(3)"), [[1], [2], [3]]);
    assert.equal(code(calc("=SEQUENCE(0)")), "#CALC!");
  });

  it("the rest of the library through formulajs, errors among the arguments answered without calling it", () => {
    assert.equal(calc("=MEDIAN(1,2,3,4,5)"), 3);
    assert.equal(calc("=NORM.S.DIST(0,TRUE)"), 0.5);
    near(calc("=STDEV.S({2,4,4,4,5,5,7,9})"), 2.138089935);
    assert.equal(calc("=DATE(2025,1,1)"), 45658);
    assert.equal(calc("=YEAR(45658)"), 2025);
    assert.equal(calc('=TEXT(0.5,"0%")'), "50%");
    assert.equal(calc("=VLOOKUP(54,D2:D5,1,FALSE)"), 54);
    assert.equal(code(calc("=FACT(-1)")), "#NUM!");
    assert.equal(code(calc("=MEDIAN(1,#N/A)")), "#N/A");
    assert.equal(calc('=CONCATENATE("a",1,TRUE)'), "a1TRUE");
  });

  it("an unknown function or name is #NAME?, saying which", () => {
    const fn = calc("=LTV.FOO(1)");
    assert.ok(fn instanceof CellError && fn.value === "#NAME?" && fn.message === "unknown function LTV.FOO");
    const name = calc("=Nowhere+1");
    assert.ok(name instanceof CellError && name.value === "#NAME?" && /unknown name Nowhere/.test(name.message));
  });
});
