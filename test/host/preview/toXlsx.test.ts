import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import JSZip from "jszip";
import { clvSchedule, customerLifetimeValue, periodicRate } from "../../../src/core/clv";
import { registerLtvFunctions } from "../../../src/host/preview/customFunctions";
import { CellError } from "../../../src/host/preview/engine/engine";
import { PreviewWorkbook, previewHost } from "../../../src/host/preview/previewHost";
import { toFileFormula } from "../../../src/host/preview/toXlsx";
import { loadBuiltFunctions } from "../../support/customFunctions";
import { convertWithLibreOffice, readValues, type ReadCell } from "../../support/libreoffice";

/**
 * The preview's portable copy: the preview workbook saved as Excel saves one (formulas with
 * their values cached), then the same copy as in Excel. The copy holds what the preview showed,
 * calls no LTV function, and LibreOffice opens it without #NAME?, the user's formulas computed.
 */
before(() => {
  registerLtvFunctions(loadBuiltFunctions());
});

const CLV = customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1 });
const SCHEDULE = clvSchedule({ margin: 100, retention: 0.8, discountRate: 0.1, periods: 3 });

function workbook(): PreviewWorkbook {
  const wb = new PreviewWorkbook();
  wb.engine.addSheet("Inputs");
  wb.engine.addSheet("Other sheet");
  wb.setCells("Inputs", "A1", [
    [100, "=LTV.CLV(A1, A2, A3)", "=LTV.CLV_SCHEDULE(A1, A2, A3, 3)"],
    [0.8, "=B1*2"],
    [0.1, "=LTV.CLV(A1, A2, A3, , A1*10)"],
    ["=SUM(A1:A3)", "=B3>0", "=LTV.CLV(A1, 80, A3)"],
    ["=Rate*12", "=IFNA(NA(), 0)", "'00123"],
  ]);
  wb.engine.addNamedExpression("Rate", "=LTV.PERIODIC_RATE(0.1, 12)");
  wb.engine.addNamedExpression("Base", "=Inputs!$A$1");
  wb.engine.addNamedExpression("Half", 0.5, wb.sheetId("Other sheet"));
  wb.setCells("Other sheet", "A1", [["=Inputs!A4*2", "=SUM(Inputs!C1:C3)", "=Base+Half", "=Inputs!B1+1"]]);
  return wb;
}

const memoryStore = () => ({ getItem: () => null, setItem: () => undefined });

describe("the preview's portable copy", { timeout: 300_000 }, () => {
  let wb: PreviewWorkbook;
  let copy: Awaited<ReturnType<ReturnType<typeof previewHost>["portableCopy"]>>;
  let zip: JSZip;
  let recalculated: string;
  before(async () => {
    wb = workbook();
    copy = await previewHost(wb, memoryStore()).portableCopy();
    zip = await JSZip.loadAsync(copy.bytes);
    [recalculated] = convertWithLibreOffice([copy.bytes], "xlsx") as [string];
  });

  it("writes formulas in the file's form: LTV with Excel's prefix, newer functions with _xlfn., strings untouched", () => {
    assert.equal(toFileFormula("=LTV.CLV(A1, 0.8, 0.1)*ltv.periodic_rate(0.1,12)"), "_xldudf_LTV_CLV(A1, 0.8, 0.1)*_xldudf_LTV_PERIODIC_RATE(0.1,12)");
    assert.equal(toFileFormula('=IFNA(XLOOKUP(A1,B:B,C:C),"LTV.CLV(")&SORT(D1:D3)'), '_xlfn.IFNA(_xlfn.XLOOKUP(A1,B:B,C:C),"LTV.CLV(")&_xlfn._xlws.SORT(D1:D3)');
    assert.equal(toFileFormula("=SUM('LTV.CLV(1)'!J1#)+SUM(J1#)"), "SUM(_xlfn.ANCHORARRAY('LTV.CLV(1)'!J1))+SUM(_xlfn.ANCHORARRAY(J1))");
  });

  it("freezes the cells that call LTV, through a name too, and names the copy", () => {
    // B1, C1:G3 (15), B3, C4, A5 (=Rate*12).
    assert.equal(copy.frozen, 1 + 15 + 1 + 1 + 1);
    assert.equal(copy.missing, 0);
    assert.equal(copy.fileName, "Preview-portable.xlsx");
  });

  it("leaves no LTV call in the copy", async () => {
    for (const [name, file] of Object.entries(zip.files)) if (!file.dir) assert.doesNotMatch(await file.async("string"), /_xldudf_|LTV\.[A-Z]/i, name);
  });

  it("holds what the preview shows, and LibreOffice computes the user's formulas to the same values, without #NAME?", async () => {
    for (const sheet of ["Inputs", "Other sheet"]) {
      const cells = await readValues(recalculated, sheet);
      const shown = wb.values(sheet, "A1:G5");
      shown.forEach((row, i) =>
        row.forEach((value, j) => {
          const address = `${String.fromCharCode(65 + j)}${i + 1}`;
          const read: ReadCell | undefined = cells.get(address);
          if (value === null) return assert.ok(read === undefined || read === null, `${sheet}!${address}: ${JSON.stringify(read)}`);
          if (typeof value === "number") return assert.ok(typeof read === "number" && Math.abs(read - value) <= 1e-12 * Math.max(1, Math.abs(value)), `${sheet}!${address}: ${JSON.stringify(read)} vs ${value}`);
          if (value instanceof CellError) return assert.deepEqual(read, { error: value.value }, `${sheet}!${address}`);
          assert.equal(read, value, `${sheet}!${address}`);
        }),
      );
    }
    // …which are the core's numbers, not the copy's own.
    const inputs = await readValues(recalculated, "Inputs");
    assert.ok(Math.abs((inputs.get("B1") as number) - CLV) < 1e-9);
    assert.ok(Math.abs((inputs.get("G3") as number) - SCHEDULE[2]![4]!) < 1e-9);
    assert.ok(Math.abs((inputs.get("A5") as number) - 12 * periodicRate(0.1, 12)) < 1e-12);
    assert.deepEqual(inputs.get("C4"), { error: "#VALUE!" });
    assert.equal(inputs.get("C5"), "00123");
    const other = await readValues(recalculated, "Other sheet");
    assert.equal(other.get("C1"), 100.5);
    assert.ok(Math.abs((other.get("D1") as number) - (CLV + 1)) < 1e-9);
  });

  it("keeps the user's formulas as formulas", async () => {
    const inputs = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    for (const formula of ["B1*2", "SUM(A1:A3)", "B3&gt;0", "_xlfn.IFNA(NA(), 0)"]) assert.ok(inputs.includes(`<f>${formula}</f>`), formula);
    const other = await zip.file("xl/worksheets/sheet2.xml")!.async("string");
    for (const formula of ["Inputs!A4*2", "SUM(Inputs!C1:C3)", "Base+Half", "Inputs!B1+1"]) assert.ok(other.includes(`<f>${formula}</f>`), formula);
    assert.match(await zip.file("xl/workbook.xml")!.async("string"), /<definedName name="Half" localSheetId="1">0.5<\/definedName>/);
  });
});
