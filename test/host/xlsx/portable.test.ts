import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import JSZip from "jszip";
import { callsLifetime, copyTimestamp, portableCopy, portableFileName, rangesOf, scanFormula, type PortableCopy } from "../../../src/host/xlsx/portable";
import { CLV, CLV_CELL, cohort, excelWorkbook, MONTHLY, QUARTERLY, SCHEDULE } from "../../support/excelWorkbook";
import { convertWithLibreOffice, readValues, type ReadCell } from "../../support/libreoffice";

/**
 * The portable copy of a workbook as Excel saves one that uses Lifetime (test/support/excelWorkbook.ts:
 * a cohort model sheet, LTV calls scalar, spilled, shared, in names and rules, user formulas
 * beside them), checked in its XML and opened by LibreOffice, which has no Lifetime: the
 * original shows #NAME?, the copy none, its frozen cells hold the values Excel had saved and
 * the user's formulas still compute.
 */
const NOW = "2026-11-30 14:05";
let original: Awaited<ReturnType<typeof excelWorkbook>>;
let originalCopy: Uint8Array;
let copy: PortableCopy;
let zip: JSZip;
let was: JSZip;
let recalculated: { original: string; copy: string };

const sheetPart = async (z: JSZip, part: string) => z.file(part)!.async("string");
/** A cell's element in a sheet's XML, as written. */
const cellXml = (xml: string, address: string) => new RegExp(`<c r="${address}"(?:[^>]*/>|[^>]*>[\\s\\S]*?</c>)`).exec(xml)?.[0];

before(async () => {
  original = await excelWorkbook();
  originalCopy = original.bytes.slice();
  copy = await portableCopy(original.bytes, { now: NOW });
  zip = await JSZip.loadAsync(copy.bytes);
  was = await JSZip.loadAsync(original.bytes);
  const [a, b] = convertWithLibreOffice([original.bytes, copy.bytes], "xlsx");
  recalculated = { original: a!, copy: b! };
});

describe("which formulas call Lifetime", () => {
  it("finds LTV functions in every spelling a file holds, and nothing in strings, sheet names or other functions", () => {
    for (const f of ["_xldudf_LTV_CLV(A1,0.8,0.1)", "_xldudf_ltv_clv(A1,0.8,0.1)", "1+[2]!_xldudf_LTV_CLV(1,0.5,0)", "_xludf.LTV.CLV(1,0.5,0)", "LTV.CLV(1,0.5,0)*2", "SUM(A1,_xldudf_LTV_PERIODIC_RATE(0.1,12))", "IF(A1,\"x\",LTV.CLV_GRID(1,A2:A4,B1:C1))"]) {
      assert.ok(callsLifetime(f), f);
    }
    for (const f of ['"LTV.CLV(1,0.5,0)"', "'LTV.CLV(x'!A1+1", "MYLTV.CLV(1)", "SUM(LTV_Range)", "_xlfn.XLOOKUP(A1,B:B,C:C)", "Table1[[#This Row],[LTV.CLV(]]", "LTV_CAC*2"]) {
      assert.ok(!callsLifetime(f), f);
    }
  });

  it("reads the names a formula uses, with their sheet, and not cells, columns or functions", () => {
    assert.deepEqual(scanFormula("Rate*12+'Cohort model'!Alpha+Calc!$B$2+SUM(A:C)+Sheet2!Beta+TRUE").names, [{ name: "Rate" }, { sheet: "Cohort model", name: "Alpha" }, { sheet: "Sheet2", name: "Beta" }]);
  });

  it("names cells as few ranges, and the copy as the workbook's name", () => {
    const cells = (list: string) => list.split(" ").map((a) => ({ row: Number(a.slice(1)), column: a.charCodeAt(0) - 64 }));
    assert.deepEqual(rangesOf(cells("C1 D1 C2 D2 C3 D3 F6")), ["C1:D3", "F6"]);
    assert.deepEqual(rangesOf(cells("B1 B2 B3 C3")), ["B1:B3", "C3"]);
    assert.equal(portableFileName("https://contoso.sharepoint.com/sites/x/Shared%20Documents/Q3%20plan.xlsx?web=1"), "Q3 plan-portable.xlsx");
    assert.equal(portableFileName("C:\\Users\\ana\\Budget 2026.xlsm", "xlsm"), "Budget 2026-portable.xlsm");
    assert.equal(portableFileName(null), "Book-portable.xlsx");
    assert.equal(copyTimestamp(new Date(2026, 10, 30, 9, 5)), "2026-11-30 09:05");
  });
});

describe("the portable copy's parts", () => {
  it("leaves the bytes it was given as they were", () => {
    assert.deepEqual(original.bytes, originalCopy);
  });

  it("counts the frozen cells: every cell of a spilled result, a shared group, a cell reading a Lifetime name", () => {
    // Inputs: B1, C1:G3 (15), B5:B6, E6, F6, G6; Calc: A3 (through Yearly → Rate).
    assert.equal(copy.frozen, 1 + 15 + 2 + 3 + 1);
    assert.deepEqual(copy.sheets, ["Inputs", "Calc"]);
    assert.deepEqual(copy.missing, ["Inputs!F6"]);
    assert.deepEqual(copy.names.sort(), ["Rate", "Yearly"]);
    assert.equal(copy.rules, 2);
    assert.equal(copy.extension, "xlsx");
  });

  it("leaves no Lifetime call in any part: cells, names, rules", async () => {
    for (const [name, file] of Object.entries(zip.files)) {
      if (file.dir || !/\.(xml|rels)$/.test(name)) continue;
      const xml = await file.async("string");
      assert.doesNotMatch(xml, /_xldudf_|_xludf\.|LTV\.[A-Z]/i, name);
    }
    assert.ok(/_xldudf_LTV_CLV/.test(await sheetPart(was, original.inputsPart)), "the original had them");
  });

  it("keeps each frozen cell's saved value and type, and drops the dynamic array's cell metadata", async () => {
    const inputs = await sheetPart(zip, original.inputsPart);
    assert.equal(cellXml(inputs, "B1"), `<c r="B1"><v>${CLV}</v></c>`);
    assert.equal(cellXml(inputs, "C1"), `<c r="C1"><v>${SCHEDULE[0]![0]}</v></c>`);
    assert.equal(cellXml(inputs, "G3"), `<c r="G3"><v>${SCHEDULE[2]![4]}</v></c>`);
    assert.equal(cellXml(inputs, "B5"), `<c r="B5"><v>${MONTHLY}</v></c>`);
    assert.equal(cellXml(inputs, "B6"), `<c r="B6"><v>${QUARTERLY}</v></c>`);
    assert.equal(cellXml(inputs, "E6"), `<c r="E6" t="e"><v>#VALUE!</v></c>`);
    assert.equal(cellXml(inputs, "F6"), `<c r="F6" t="e"><v>#N/A</v></c>`);
    assert.equal(cellXml(inputs, "G6"), `<c r="G6" t="inlineStr"><is><t xml:space="preserve">Gold &amp; &lt;more&gt;</t></is></c>`);
    assert.ok(zip.file("xl/metadata.xml"), "the metadata part stays (other dynamic arrays may use it)");
  });

  it("keeps the user's formulas byte for byte, shared ones included, and every cell of the model sheet", async () => {
    const inputs = await sheetPart(zip, original.inputsPart);
    const earlier = await sheetPart(was, original.inputsPart);
    for (const address of ["A1", "A4", "B2", "D5", "D6", "A6", "H1"]) assert.equal(cellXml(inputs, address), cellXml(earlier, address), address);
    assert.equal(await sheetPart(zip, original.calcPart), (await sheetPart(was, original.calcPart)).replace(/<c r="A3">[\s\S]*?<\/c>/, `<c r="A3"><v>${MONTHLY * 12}</v></c>`));
    assert.equal(await sheetPart(zip, "xl/worksheets/sheet1.xml"), await sheetPart(was, "xl/worksheets/sheet1.xml"));
  });

  it("removes the names and rules that call Lifetime, keeps the rest, and drops the calculation chain", async () => {
    const workbook = await sheetPart(zip, "xl/workbook.xml");
    assert.match(workbook, /<definedName name="Base">Inputs!\$A\$1<\/definedName>/);
    assert.match(workbook, /<definedName name="Local" localSheetId="\d+">Calc!\$A\$1<\/definedName>/);
    assert.match(workbook, /<definedName name="CLV_NewCustomer" localSheetId="0">/);
    assert.doesNotMatch(workbook, /name="(Rate|Yearly)"/);
    const inputs = await sheetPart(zip, original.inputsPart);
    assert.match(inputs, /<conditionalFormatting sqref="H1:H2">/);
    assert.doesNotMatch(inputs, /sqref="A1:A3"/);
    assert.match(inputs, /<dataValidations count="1"><dataValidation type="whole"/);
    assert.equal(zip.file("xl/calcChain.xml"), null);
    assert.doesNotMatch(await sheetPart(zip, "xl/_rels/workbook.xml.rels"), /calcChain/);
    assert.doesNotMatch(await sheetPart(zip, "[Content_Types].xml"), /calcChain/);
  });

  it("removes a table column's formula that calls Lifetime (Excel fills it into new rows), and keeps the user's", async () => {
    const z = await JSZip.loadAsync(original.bytes);
    z.file(
      "xl/tables/table1.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" name="Plan" displayName="Plan" ref="J1:L3" totalsRowCount="1"><autoFilter ref="J1:L2"/><tableColumns count="3">` +
        `<tableColumn id="1" name="Margin"/>` +
        `<tableColumn id="2" name="CLV" totalsRowFunction="custom"><calculatedColumnFormula>_xldudf_LTV_CLV(Plan[[#This Row],[Margin]],0.8,0.1)</calculatedColumnFormula><totalsRowFormula>_xldudf_LTV_PERIODIC_RATE(0.1,12)</totalsRowFormula></tableColumn>` +
        `<tableColumn id="3" name="Double" totalsRowFunction="custom"><calculatedColumnFormula>Plan[[#This Row],[Margin]]*2</calculatedColumnFormula><totalsRowFormula>SUBTOTAL(109,Plan[Double])</totalsRowFormula></tableColumn>` +
        `</tableColumns><tableStyleInfo name="TableStyleMedium2" showRowStripes="1"/></table>`,
    );
    const withTable = await portableCopy(await z.generateAsync({ type: "uint8array" }), { now: NOW });
    assert.equal(withTable.tableFormulas, 2);
    const table = await (await JSZip.loadAsync(withTable.bytes)).file("xl/tables/table1.xml")!.async("string");
    assert.ok(table.includes(`<tableColumn id="1" name="Margin"/><tableColumn id="2" name="CLV"></tableColumn>`), table);
    assert.ok(table.includes(`<tableColumn id="3" name="Double" totalsRowFunction="custom"><calculatedColumnFormula>Plan[[#This Row],[Margin]]*2</calculatedColumnFormula><totalsRowFormula>SUBTOTAL(109,Plan[Double])</totalsRowFormula></tableColumn>`), table);
    assert.equal(copy.tableFormulas, 0);
  });

  it("adds the note as the last sheet, registered in the workbook, its relationships and content types", async () => {
    const workbook = await sheetPart(zip, "xl/workbook.xml");
    const sheets = Array.from(workbook.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g), (m) => [m[1], m[2]]);
    assert.deepEqual(sheets.map((s) => s[0]), [...original.sheets, "About this copy"]);
    const rels = await sheetPart(zip, "xl/_rels/workbook.xml.rels");
    const target = new RegExp(`Id="${sheets.at(-1)![1]}" Type="[^"]+/worksheet" Target="([^"]+)"`).exec(rels)?.[1];
    assert.ok(target && zip.file(`xl/${target}`), "the note's part");
    assert.match(await sheetPart(zip, "[Content_Types].xml"), new RegExp(`PartName="/xl/${target}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet\\+xml"`));
  });
});

describe("the portable copy in LibreOffice (no Lifetime there)", { timeout: 300_000 }, () => {
  const errorsIn = (cells: Map<string, ReadCell>) => [...cells].filter(([, v]) => typeof v === "object" && v !== null && v.error === "#NAME?").map(([a]) => a);
  const near = (actual: ReadCell | undefined, expected: number, what: string) => {
    assert.equal(typeof actual, "number", `${what}: ${JSON.stringify(actual)}`);
    assert.ok(Math.abs((actual as number) - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${String(actual)} vs ${expected}`);
  };

  it("the original shows #NAME? where it calls Lifetime: what the copy is for", async () => {
    const inputs = await readValues(recalculated.original, "Inputs");
    assert.deepEqual(inputs.get("B1"), { error: "#NAME?" });
    assert.ok(errorsIn(inputs).length > 10);
  });

  it("shows no #NAME? on any sheet of the copy", async () => {
    for (const sheet of [...original.sheets, "About this copy"]) assert.deepEqual(errorsIn(await readValues(recalculated.copy, sheet)), [], sheet);
  });

  it("holds the frozen values, and computes the user's formulas over them", async () => {
    const inputs = await readValues(recalculated.copy, "Inputs");
    near(inputs.get("B1"), CLV, "B1, LTV.CLV");
    SCHEDULE.forEach((row, i) => row.forEach((value, j) => near(inputs.get(`${String.fromCharCode(67 + j)}${i + 1}`), value, "the spilled schedule")));
    near(inputs.get("B5"), MONTHLY, "B5");
    near(inputs.get("B6"), QUARTERLY, "B6, the shared formula's second cell");
    assert.deepEqual(inputs.get("E6"), { error: "#VALUE!" });
    assert.deepEqual(inputs.get("F6"), { error: "#N/A" });
    assert.equal(inputs.get("G6"), "Gold & <more>");
    // The user's formulas, recalculated by LibreOffice.
    near(inputs.get("A4"), 100.9, "A4, =SUM(A1:A3)");
    near(inputs.get("B2"), 2 * CLV, "B2, =B1*2 over the frozen B1");
    near(inputs.get("D5"), 200, "D5");
    near(inputs.get("D6"), 1.6, "D6, the user's shared formula");
    assert.equal(inputs.get("A6"), "positive");
    const calc = await readValues(recalculated.copy, "Calc");
    near(calc.get("A1"), 201.8, "Calc!A1, =Inputs!A4*2");
    near(calc.get("A2"), 2 * cohort.model.clvNewCustomer, `Calc!A2, ='Cohort model'!${CLV_CELL}*2`);
    near(calc.get("A3"), MONTHLY * 12, "Calc!A3, =Yearly, frozen");
    near(calc.get("A4"), 101, "Calc!A4, =Base+1");
    near(calc.get("A5"), CLV + 1, "Calc!A5, =Inputs!B1+1");
    near(calc.get("A6"), 6, "Calc!A6, the sum of the frozen spill's periods");
    near(calc.get("A7"), 2018, "Calc!A7, a sheet's own name");
  });

  it("still computes the cohort model as the core does", async () => {
    const model = await readValues(recalculated.copy, "Cohort model");
    near(model.get(CLV_CELL.replace(/\$/g, "")), cohort.model.clvNewCustomer, "CLV_NewCustomer");
    assert.equal(model.get("B18"), "OK");
  });

  it("says what it did on its note sheet", async () => {
    const note = [...(await readValues(recalculated.copy, "About this copy")).values()].filter((v) => typeof v === "string").join("\n");
    assert.match(note, /22 cells that called Lifetime's functions now hold the value they had when the copy was made/);
    assert.match(note, new RegExp(NOW));
    assert.match(note, /Inputs\nB1:G1, C2:G3, B5:B6, E6:G6\nCalc\nA3/);
    assert.match(note, /they show #N\/A: Inputs!F6/);
    assert.match(note, /Rate, Yearly/);
    assert.match(note, /The original workbook is unchanged and keeps its formulas/);
  });
});
