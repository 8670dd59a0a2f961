import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import JSZip from "jszip";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { exportFileName, exportPlanBytes } from "../../../src/taskpane/common/exportPlan";
import { CLV_CELL, cohort } from "../../support/excelWorkbook";
import { convertWithLibreOffice, readValues } from "../../support/libreoffice";

/**
 * The pane's Export: the bytes it downloads for a cohort model are the command line's
 * workbook of the same plan (every part but the creation date), charts included, and
 * LibreOffice opens them, computes the model as the core does and finds its charts.
 */
let exported: Uint8Array;
let zip: JSZip;
let reference: JSZip;
let recalculated: string;
before(async () => {
  exported = await exportPlanBytes(cohort.plan);
  zip = await JSZip.loadAsync(exported);
  reference = await JSZip.loadAsync(await writeXlsx(cohort.plan));
  [recalculated] = convertWithLibreOffice([exported], "xlsx") as [string];
});

describe("Export as .xlsx", { timeout: 300_000 }, () => {
  it("is plain bytes, named after the model's sheet", () => {
    assert.ok(exported instanceof Uint8Array && !Buffer.isBuffer(exported), "a Uint8Array, as the browser has");
    assert.equal(exportFileName(cohort.plan), "Cohort model.xlsx");
    assert.equal(exportFileName({ modelId: "x", sheets: [{ name: "Q1: plan", writes: [], names: [], charts: [] }] }), "Q1  plan.xlsx");
  });

  it("holds the same parts as the command line's workbook of the plan, the charts' drawing parts among them", async () => {
    const parts = Object.keys(zip.files).filter((p) => !zip.files[p]!.dir).sort();
    assert.deepEqual(parts, Object.keys(reference.files).filter((p) => !reference.files[p]!.dir).sort());
    for (const part of ["xl/drawings/drawing1.xml", "xl/drawings/_rels/drawing1.xml.rels", "xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"]) assert.ok(parts.includes(part), part);
    for (const part of parts) {
      if (part === "docProps/core.xml") continue; // the time it was written
      assert.equal(await zip.file(part)!.async("string"), await reference.file(part)!.async("string"), part);
    }
  });

  it("opens in LibreOffice, which computes the model as the core does and keeps its three charts", async () => {
    const model = await readValues(recalculated, "Cohort model");
    const clv = model.get(CLV_CELL.replace(/\$/g, ""));
    assert.ok(typeof clv === "number" && Math.abs(clv - cohort.model.clvNewCustomer) <= 1e-9 * Math.abs(cohort.model.clvNewCustomer), `${String(clv)} vs ${cohort.model.clvNewCustomer}`);
    assert.equal(model.get("B18"), "OK");
    const saved = await JSZip.loadAsync(readFileSync(recalculated));
    assert.equal(Object.keys(saved.files).filter((p) => /^xl\/charts\/chart\d+\.xml$/.test(p)).length, 3);
  });
});
