import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import JSZip from "jszip";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { chartReference, chartXml, drawingXml } from "../../../src/host/xlsx/charts";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { buildCohortPlan, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { buildPartnerPlan } from "../../../src/models/partners/partnerPlan";
import { parseAddress } from "../../../src/models/plan";
import { ECONOMICS, triangle } from "../../support/cohorts";
import { convertWithLibreOffice } from "../../support/libreoffice";

/**
 * The .xlsx of a cohort model holds the plan's charts as DrawingML parts, each series
 * pointing at the plan's range; LibreOffice opens the file and finds them (read back from
 * the .ods it converts the file to).
 */
const settings: CohortModelSettings = {
  ...ECONOMICS,
  horizon: 12,
  // A label that XML must escape.
  cohorts: triangle(4, 500, 0.9, 2.2, 6).map((c, i) => (i === 1 ? { ...c, label: "Q1 & <promo>" } : c)),
};
const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
const { plan } = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-30" });
const sheet = plan.sheets[0]!;

/** A partner model: a column chart of net value by partner, over text categories. */
const partners = buildPartnerPlan({
  revenue: 50,
  margin: 0.7,
  annualDiscount: 0.1,
  period: "month",
  horizon: 12,
  acquisitionPeriods: 6,
  paidCac: 120,
  timing: "start",
  curve: { kind: "constant", retention: 0.85 },
  partners: ["North & Co", "South"].map((name, i) => ({ name, customersPerPeriod: 5, rate: 0.1 * (i + 1), commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1 })),
}).plan;

let zip: JSZip;
let ods: JSZip;
let partnerZip: JSZip;
let partnerOds: JSZip;
before(async () => {
  const xlsx = await writeXlsx(plan);
  const partnerXlsx = await writeXlsx(partners);
  zip = await JSZip.loadAsync(xlsx);
  partnerZip = await JSZip.loadAsync(partnerXlsx);
  const [converted, partnerConverted] = convertWithLibreOffice([xlsx, partnerXlsx], "ods");
  ods = await JSZip.loadAsync(readFileSync(converted!));
  partnerOds = await JSZip.loadAsync(readFileSync(partnerConverted!));
});

describe("charts in the .xlsx", { timeout: 300_000 }, () => {
  it("one chart part per plan chart, of the plan's kind, each series on the plan's range", async () => {
    assert.equal(sheet.charts.length, 3);
    for (const [i, chart] of sheet.charts.entries()) {
      const xml = await zip.file(`xl/charts/chart${i + 1}.xml`)!.async("string");
      assert.match(xml, { line: /<c:lineChart><c:grouping val="standard"\/>/, areaStacked: /<c:areaChart><c:grouping val="stacked"\/>/, column: /<c:barChart><c:barDir val="col"\/>/ }[chart.kind]);
      const values = Array.from(xml.matchAll(/<c:val><c:numRef><c:f>([^<]+)<\/c:f>/g), (m) => m[1]);
      assert.deepEqual(values, chart.series.map((s) => chartReference("Cohort model", s.values).replace(/'/g, "'")));
      const names = Array.from(xml.matchAll(/<c:tx><c:v>([^<]*)<\/c:v><\/c:tx>/g), (m) => m[1]);
      assert.deepEqual(names, chart.series.map((s) => s.name.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")));
      assert.ok(xml.includes(`<a:t>${chart.title}</a:t>`));
    }
  });

  it("anchors the charts on the model's sheet between the plan's corners, with the parts registered", async () => {
    const sheetXml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    const drawingId = /<drawing r:id="(rId\d+)"\/>/.exec(sheetXml)?.[1];
    assert.ok(drawingId, "the sheet has a drawing");
    assert.ok(sheetXml.indexOf("<drawing ") > sheetXml.indexOf("</sheetData>"), "after the cells, in the schema's order");
    const rels = await zip.file("xl/worksheets/_rels/sheet1.xml.rels")!.async("string");
    assert.match(rels, new RegExp(`Id="${drawingId}" Type="[^"]+/drawing" Target="../drawings/drawing1.xml"`));
    const drawing = await zip.file("xl/drawings/drawing1.xml")!.async("string");
    assert.equal(drawing, drawingXml(sheet.charts, 1));
    const types = await zip.file("[Content_Types].xml")!.async("string");
    for (const part of ["/xl/drawings/drawing1.xml", "/xl/charts/chart1.xml", "/xl/charts/chart2.xml", "/xl/charts/chart3.xml"]) assert.ok(types.includes(`PartName="${part}"`), part);
    // Anchors count from 0: the plan's corner cells, column and row each less one.
    const corners = Array.from(drawing.matchAll(/<xdr:(from|to)><xdr:col>(\d+)<\/xdr:col><xdr:colOff>0<\/xdr:colOff><xdr:row>(\d+)<\/xdr:row>/g), (m) => [Number(m[2]) + 1, Number(m[3]) + 1]);
    const want = sheet.charts.flatMap((c) => [c.from, c.to]).map((cell) => {
      const { row, column } = parseAddress(cell);
      return [column, row];
    });
    assert.deepEqual(corners, want);
  });

  it("escapes labels and titles, and quotes sheet names, so the XML stays well formed", () => {
    const xml = chartXml("Bob's <model>", { kind: "line", title: "A & B", categories: "C1:D1", series: [{ name: '"quoted" & <tag>', values: "C2:D2" }], from: "A1", to: "B2" });
    assert.ok(xml.includes("<c:f>'Bob''s &lt;model&gt;'!$C$2:$D$2</c:f>"));
    assert.ok(xml.includes("<c:v>&quot;quoted&quot; &amp; &lt;tag&gt;</c:v>"));
    assert.ok(xml.includes("<a:t>A &amp; B</a:t>"));
  });
});

describe("charts as LibreOffice reads them", { timeout: 300_000 }, () => {
  it("finds the three charts on the model's sheet, with every series on the plan's cells", async () => {
    const content = await ods.file("content.xml")!.async("string");
    const objects = Array.from(content.matchAll(/<draw:object [^>]*xlink:href="\.\/([^"]+)"/g), (m) => m[1]!);
    assert.equal(objects.length, 3, "three embedded charts");
    const ranges: string[][] = [];
    const classes: string[] = [];
    for (const object of objects) {
      const chart = await ods.file(`${object}/content.xml`)!.async("string");
      classes.push(/<chart:chart [^>]*chart:class="([^"]+)"/.exec(chart)![1]!);
      ranges.push(Array.from(chart.matchAll(/<chart:series [^>]*chart:values-cell-range-address="([^"]+)"/g), (m) => m[1]!.replace(/&apos;/g, "'")));
    }
    assert.deepEqual(classes, ["chart:line", "chart:area", "chart:bar"]);
    // ODF writes 'Cohort model'.C29:'Cohort model'.J29 where the plan says C29:J29.
    const odf = (range: string) => {
      const [a, b] = range.split(":");
      return `'Cohort model'.${a}:'Cohort model'.${b}`;
    };
    sheet.charts.forEach((chart, i) => assert.deepEqual(ranges[i], chart.series.map((s) => odf(s.values)), chart.title));
  });
});

describe("a column chart over text categories", { timeout: 300_000 }, () => {
  it("is a clustered bar chart part with the partners' names as string categories", async () => {
    const chart = partners.sheets[0]!.charts[0]!;
    assert.equal(chart.kind, "column");
    const xml = await partnerZip.file("xl/charts/chart1.xml")!.async("string");
    assert.match(xml, /<c:barChart><c:barDir val="col"\/><c:grouping val="clustered"\/>/);
    assert.ok(xml.includes(`<c:cat><c:strRef><c:f>${chartReference("Partner model", chart.categories).replace(/'/g, "'")}</c:f></c:strRef></c:cat>`));
    assert.ok(xml.includes(`<c:val><c:numRef><c:f>${chartReference("Partner model", chart.series[0]!.values)}</c:f></c:numRef></c:val>`));
  });

  it("is read by LibreOffice as a bar chart on the plan's cells", async () => {
    const content = await partnerOds.file("content.xml")!.async("string");
    const [object] = Array.from(content.matchAll(/<draw:object [^>]*xlink:href="\.\/([^"]+)"/g), (m) => m[1]!);
    const chart = await partnerOds.file(`${object}/content.xml`)!.async("string");
    assert.equal(/<chart:chart [^>]*chart:class="([^"]+)"/.exec(chart)![1], "chart:bar");
    const [a, b] = partners.sheets[0]!.charts[0]!.series[0]!.values.split(":");
    assert.match(chart, new RegExp(`chart:values-cell-range-address="(&apos;|')Partner model(&apos;|')\\.${a}:(&apos;|')Partner model(&apos;|')\\.${b}"`));
  });
});
