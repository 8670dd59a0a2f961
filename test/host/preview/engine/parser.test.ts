import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { quoteSheet } from "../../../../src/host/sheets";
import { FormulaSyntaxError, isValidName, parseFormula, rewriteSheetReferences, type Ast } from "../../../../src/host/preview/engine/parser";
import { CellError, MAX_COLUMNS, MAX_ROWS } from "../../../../src/host/preview/engine/values";

/** A syntax tree in a compact form: operators in prefix, references as Sheet!R1C1:R2C2 (1-based). */
function show(ast: Ast): string {
  switch (ast.kind) {
    case "number":
      return String(ast.value);
    case "string":
      return JSON.stringify(ast.value);
    case "boolean":
      return ast.value ? "TRUE" : "FALSE";
    case "error":
      return ast.value;
    case "missing":
      return "_";
    case "reference": {
      const cell = (r: number, c: number) => `R${r + 1}C${c + 1}`;
      const at = ast.top === ast.bottom && ast.left === ast.right ? cell(ast.top, ast.left) : `${cell(ast.top, ast.left)}:${cell(ast.bottom, ast.right)}`;
      return ast.sheet === undefined ? at : `[${ast.sheet}]${at}`;
    }
    case "name":
      return ast.sheet === undefined ? `name:${ast.name}` : `name:[${ast.sheet}]${ast.name}`;
    case "call":
      return `${ast.name}(${ast.args.map(show).join(",")})`;
    case "unary":
      return `(${ast.op}${show(ast.operand)})`;
    case "percent":
      return `(${show(ast.operand)}%)`;
    case "binary":
      return `(${show(ast.left)} ${ast.op} ${show(ast.right)})`;
    case "range":
      return `(${show(ast.left)}:${show(ast.right)})`;
    case "array":
      return `{${ast.rows.map((r) => r.map((v) => (v instanceof CellError ? v.value : JSON.stringify(v))).join(",")).join(";")}}`;
  }
}

const read = (formula: string) => show(parseFormula(formula));

describe("the formula parser", () => {
  it("reads operators at Excel's precedence: negation above ^, ^ left to right, then * /, + -, &, comparisons", () => {
    assert.equal(read("=-2^2"), "((-2) ^ 2)");
    assert.equal(read("=2^-1"), "(2 ^ (-1))");
    assert.equal(read("=2^3^2"), "((2 ^ 3) ^ 2)");
    assert.equal(read("=1+2*3"), "(1 + (2 * 3))");
    assert.equal(read("=(1+2)*3"), "((1 + 2) * 3)");
    assert.equal(read("=1-2-3"), "((1 - 2) - 3)");
    assert.equal(read("=50%*2"), "((50%) * 2)");
    assert.equal(read('="a"&1+2'), '("a" & (1 + 2))');
    assert.equal(read("=1+2=3&\"\""), '((1 + 2) = (3 & ""))');
    assert.equal(read("=A1<>B1"), "(R1C1 <> R1C2)");
    assert.equal(read("=1<=2"), "(1 <= 2)");
    assert.equal(read("=--A1"), "(-(-R1C1))");
    assert.equal(read("=+A1"), "(+R1C1)");
  });

  it("reads numbers, text with doubled quotes, TRUE and FALSE, and error literals", () => {
    assert.equal(read("=1e5+.5+1.25E-3"), "((100000 + 0.5) + 0.00125)");
    assert.equal(read('="say ""hi"""'), JSON.stringify('say "hi"'));
    assert.equal(read("=true"), "TRUE");
    assert.equal(read("=FALSE"), "FALSE");
    assert.equal(read("=TRUE()"), "TRUE()");
    for (const code of ["#N/A", "#VALUE!", "#DIV/0!", "#NUM!", "#REF!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"]) assert.equal(read(`=${code}`), code);
  });

  it("reads references: absolute or not, ranges, whole columns and rows, sheet prefixes quoted or not", () => {
    assert.equal(read("=A1"), "R1C1");
    assert.equal(read("=$B$20"), "R20C2");
    assert.equal(read("=xfd1048576"), `R${MAX_ROWS}C${MAX_COLUMNS}`);
    assert.equal(read("=B2:A1"), "R1C1:R2C2");
    assert.equal(read("=$C$34:$N$45"), "R34C3:R45C14");
    assert.equal(read("=A:B"), `R1C1:R${MAX_ROWS}C2`);
    assert.equal(read("=3:4"), `R3C1:R4C${MAX_COLUMNS}`);
    assert.equal(read("=Sheet1!A1"), "[Sheet1]R1C1");
    assert.equal(read("='Cohort model'!$B$20"), "[Cohort model]R20C2");
    assert.equal(read("='it''s'!A1:B2"), "[it's]R1C1:R2C2");
    assert.equal(read("=Data!$A$1:$I$12"), "[Data]R1C1:R12C9");
    assert.equal(read("=INDEX(A1:A3,1):A3"), "(INDEX(R1C1:R3C1,1):R3C1)");
  });

  it("reads names, sheet-qualified names, and cell-like words that are names (past the last column or row)", () => {
    assert.equal(read("=CLV_NewCustomer+CAC"), "(name:CLV_NewCustomer + name:CAC)");
    assert.equal(read("='Cohort model'!Horizon"), "name:[Cohort model]Horizon");
    assert.equal(read("=XFE1"), "name:XFE1");
    assert.equal(read("=A1048577"), "name:A1048577");
    assert.equal(read("=Q4model"), "name:Q4model");
  });

  it("reads calls with dotted and case-insensitive names, empty arguments, and nested calls", () => {
    assert.equal(read("=LTV.CLV(100, 0.8, 0.1)"), "LTV.CLV(100,0.8,0.1)");
    assert.equal(read("=ltv.clv_schedule(1,2)"), "LTV.CLV_SCHEDULE(1,2)");
    assert.equal(read("=f(1,,2)"), "F(1,_,2)");
    assert.equal(read("=IF(A1,,)"), "IF(R1C1,_,_)");
    assert.equal(read("=LOG10(100)"), "LOG10(100)");
    assert.equal(read("=NA()"), "NA()");
    assert.equal(read("=SUM(IF(A1:A3>1,A1:A3))"), "SUM(IF((R1C1:R3C1 > 1),R1C1:R3C1))");
  });

  it("reads array constants: rows by ;, signed numbers, text, TRUE/FALSE and errors", () => {
    assert.equal(read("={1,2;3,4}"), "{1,2;3,4}");
    assert.equal(read('={-1,"a";TRUE,#N/A}'), '{-1,"a";true,#N/A}');
    assert.throws(() => parseFormula("={1,2;3}"), /differ in length/);
    assert.throws(() => parseFormula("={A1}"), /only numbers, text/);
  });

  it("refuses what is not a formula, saying why", () => {
    for (const bad of ["=", "=1+", "=(1", "=1)", '="open', "='Sheet 1", "=Sheet1!", "=#WHAT", "=1 2", "=SUM(1,2"]) {
      assert.throws(() => parseFormula(bad), FormulaSyntaxError, bad);
    }
    assert.throws(() => parseFormula(`=${"(".repeat(300)}1${")".repeat(300)}`), /nested too deeply/);
  });

  it("rewrites references to a renamed sheet, and to a deleted one as #REF!, leaving text in quotes alone", () => {
    const rename = (f: string) => rewriteSheetReferences(f, (s) => (s.toLowerCase() === "cohort model" ? { rename: "Q4's model" } : undefined), quoteSheet);
    assert.equal(rename("='Cohort model'!B20*2+Data!A1"), "='Q4''s model'!B20*2+Data!A1");
    assert.equal(rename("=SUM('COHORT MODEL'!A1:A3)&\"'Cohort model'!A1\""), "=SUM('Q4''s model'!A1:A3)&\"'Cohort model'!A1\"");
    assert.equal(rename("='Cohort model'!Horizon"), "='Q4''s model'!Horizon");
    const remove = (f: string) => rewriteSheetReferences(f, (s) => (s === "Data" ? "#REF!" : undefined), quoteSheet);
    assert.equal(remove("=Data!$A$1:$I$8"), "=#REF!");
    assert.equal(remove("=Data!A1*2+A1"), "=#REF!*2+A1");
    assert.equal(remove("=1+"), "=1+");
  });

  it("tells valid names from cell references and reserved words", () => {
    for (const name of ["SampleCohorts", "CLV_NewCustomer", "_x", "\\x", "A.B", "XFE1", "Horizon"]) assert.equal(isValidName(name), true, name);
    for (const name of ["A1", "$A$1", "xfd1048576", "R1C1", "R", "C", "TRUE", "false", "1abc", "a b", ""]) assert.equal(isValidName(name), false, name);
  });
});
