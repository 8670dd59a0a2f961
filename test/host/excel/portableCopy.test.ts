import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import JSZip from "jszip";
import { MAX_SLICE_SIZE, readDocumentFile } from "../../../src/host/excel/documentFile";
import { officeHost } from "../../../src/host/excel/officeHost";
import { CLV, excelWorkbook } from "../../support/excelWorkbook";
import { installFakeExcel } from "../../support/fakeExcel";
import { documentFileOf } from "../../support/fakeOfficeFile";

/**
 * The portable copy in Excel: the workbook's bytes read through Office.js's getFileAsync
 * (test/support/fakeOfficeFile.ts keeps its rules: slices, callbacks later, at most two
 * files open, 4 MB slices at most), then frozen. The bytes are those of a workbook as Excel
 * saves one that uses Lifetime (test/support/excelWorkbook.ts).
 */
const WITH_FILES = { ExcelApi: "1.12", CompressedFile: "1.1", File: "1.1" };
let workbook: Uint8Array;
before(async () => {
  workbook = (await excelWorkbook()).bytes;
});

function excelWith(bytes: Uint8Array | undefined, url: string | null = "https://contoso.sharepoint.com/sites/sales/Shared%20Documents/Q3%20plan.xlsx") {
  const excel = installFakeExcel({ apiSets: WITH_FILES });
  const file = documentFileOf(excel);
  file.bytes = bytes;
  file.url = url;
  return { excel, file };
}

describe("the workbook's bytes through getFileAsync", () => {
  it("reads every slice, in order, and closes the file", async () => {
    const { file } = excelWith(workbook);
    const read = await readDocumentFile({ sliceSize: 4096 });
    assert.deepEqual(read, workbook);
    const slices = Math.ceil(workbook.length / 4096);
    assert.ok(slices > 3, "several slices");
    assert.deepEqual(file.calls[0]!.slices, Array.from({ length: slices }, (_, i) => i));
    assert.equal(file.open, 0, "closed");
  });

  it("asks for the largest slice Office.js allows, and no larger", async () => {
    const { file } = excelWith(workbook);
    await readDocumentFile();
    assert.equal(file.calls[0]!.sliceSize, MAX_SLICE_SIZE);
    await assert.rejects(readDocumentFile({ sliceSize: MAX_SLICE_SIZE + 1 }), /Excel could not hand over a copy of the workbook: An internal error has occurred/);
  });

  it("closes the file when a slice fails, so the next copy is not refused", async () => {
    const { file } = excelWith(workbook);
    file.failSlice = 2;
    for (let i = 0; i < 3; i++) await assert.rejects(readDocumentFile({ sliceSize: 4096 }), /Excel could not read part 3 of \d+ of the workbook: A network problem/);
    assert.equal(file.open, 0);
    file.failSlice = undefined;
    assert.deepEqual(await readDocumentFile({ sliceSize: 4096 }), workbook);
  });

  it("says so on an Excel that cannot hand the workbook over", async () => {
    installFakeExcel({ apiSets: { ExcelApi: "1.12" } });
    await assert.rejects(readDocumentFile(), /lacks the CompressedFile requirement set/);
  });
});

describe("officeHost().portableCopy()", () => {
  it("makes the copy of the open workbook, named after it, without changing it", async () => {
    const { excel, file } = excelWith(workbook);
    const before = excel.snapshot();
    const copy = await officeHost().portableCopy();
    assert.equal(copy.fileName, "Q3 plan-portable.xlsx");
    assert.equal(copy.frozen, 22);
    assert.equal(copy.missing, 1);
    assert.deepEqual(excel.snapshot(), before, "the workbook is as it was");
    assert.equal(file.open, 0);
    const zip = await JSZip.loadAsync(copy.bytes);
    const inputs = await zip.file("xl/worksheets/sheet2.xml")!.async("string");
    assert.match(inputs, new RegExp(`<c r="B1"><v>${CLV}</v></c>`));
    for (const name of Object.keys(zip.files)) if (name.endsWith(".xml")) assert.doesNotMatch(await zip.file(name)!.async("string"), /_xldudf_/, name);
    assert.match(await zip.file("xl/workbook.xml")!.async("string"), /<sheet name="About this copy"/);
  });

  it("names a copy of a workbook never saved Book-portable.xlsx, and reports a file that is not an .xlsx", async () => {
    excelWith(workbook, null);
    assert.equal((await officeHost().portableCopy()).fileName, "Book-portable.xlsx");
    excelWith(new TextEncoder().encode("not a zip file"));
    await assert.rejects(officeHost().portableCopy(), /could not be read as an \.xlsx file/);
    excelWith(undefined);
    await assert.rejects(officeHost().portableCopy(), /A network problem has prevented retrieval of the file/);
  });
});
