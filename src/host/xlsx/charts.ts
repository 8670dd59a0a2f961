import type JSZip from "jszip";
import { parseAddress, type ChartPlan } from "../../models/plan";
import { quoteSheet } from "../sheets";

/**
 * The plan's charts as DrawingML chart parts of an .xlsx (ECMA-376 Part 1, §21.2 charts,
 * §20.5 spreadsheet drawings), for the files the command line writes; exceljs writes none.
 * Each chart is a part `xl/charts/chartN.xml` whose series point at the plan's ranges (no
 * cached values: Excel and LibreOffice compute the cells on load, then draw), anchored on
 * its sheet by a drawing part between the plan's two corner cells. Elements follow the
 * schema's order, which Excel enforces.
 */

const NS = {
  c: "http://schemas.openxmlformats.org/drawingml/2006/chart",
  a: "http://schemas.openxmlformats.org/drawingml/2006/main",
  r: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  xdr: "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
  rels: "http://schemas.openxmlformats.org/package/2006/relationships",
};
const TYPE = {
  drawing: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing",
  chart: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart",
};
const CONTENT = {
  drawing: "application/vnd.openxmlformats-officedocument.drawing+xml",
  chart: "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
};

export const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An absolute, sheet-qualified reference to a plan range: 'Cohort model'!$C$29:$J$29. */
export function chartReference(sheet: string, range: string): string {
  const absolute = range.replace(/\$/g, "").replace(/([A-Z]+)(\d+)/g, "$$$1$$$2");
  return `${quoteSheet(sheet)}!${absolute}`;
}

/** One chart part. Category and value axes share ids 1 and 2 within the part. */
export function chartXml(sheet: string, chart: ChartPlan): string {
  const line = chart.kind === "line";
  const column = chart.kind === "column";
  // Text categories (partners' names) are a string reference; periods are numbers.
  const categories = column ? `<c:strRef><c:f>${escapeXml(chartReference(sheet, chart.categories))}</c:f></c:strRef>` : `<c:numRef><c:f>${escapeXml(chartReference(sheet, chart.categories))}</c:f></c:numRef>`;
  const series = chart.series
    .map(
      (s, i) =>
        `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${escapeXml(s.name)}</c:v></c:tx>` +
        (line ? `<c:marker><c:symbol val="none"/></c:marker>` : "") +
        (column ? `<c:invertIfNegative val="0"/>` : "") +
        `<c:cat>${categories}</c:cat>` +
        `<c:val><c:numRef><c:f>${escapeXml(chartReference(sheet, s.values))}</c:f></c:numRef></c:val>` +
        (line ? `<c:smooth val="0"/>` : "") +
        `</c:ser>`,
    )
    .join("");
  const plot = line
    ? `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/><c:axId val="1"/><c:axId val="2"/></c:lineChart>`
    : column
      ? `<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}<c:gapWidth val="80"/><c:axId val="1"/><c:axId val="2"/></c:barChart>`
      : `<c:areaChart><c:grouping val="stacked"/><c:varyColors val="0"/>${series}<c:axId val="1"/><c:axId val="2"/></c:areaChart>`;
  const title = `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>${escapeXml(chart.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
  const axes =
    `<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/>` +
    `<c:tickLblPos val="nextTo"/><c:crossAx val="2"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>` +
    `<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/>` +
    `<c:tickLblPos val="nextTo"/><c:crossAx val="1"/><c:crosses val="autoZero"/><c:crossBetween val="${line || column ? "between" : "midCat"}"/></c:valAx>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<c:chartSpace xmlns:c="${NS.c}" xmlns:a="${NS.a}" xmlns:r="${NS.r}"><c:roundedCorners val="0"/>` +
    `<c:chart>${title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>${plot}${axes}</c:plotArea>` +
    `<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}

/** Zero-based column and row of a cell, as a drawing anchor counts them. */
function anchor(cell: string): string {
  const { row, column } = parseAddress(cell.replace(/\$/g, ""));
  return `<xdr:col>${column - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
}

/** The drawing part of one sheet: a graphic frame per chart, between its corner cells. */
export function drawingXml(charts: readonly ChartPlan[], firstChartRelationship: number): string {
  const frames = charts
    .map(
      (chart, i) =>
        `<xdr:twoCellAnchor editAs="oneCell"><xdr:from>${anchor(chart.from)}</xdr:from><xdr:to>${anchor(chart.to)}</xdr:to>` +
        `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${i + 2}" name="${escapeXml(`Lifetime chart ${i + 1}`)}" title="${escapeXml(chart.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
        `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>` +
        `<a:graphic><a:graphicData uri="${NS.c}"><c:chart xmlns:c="${NS.c}" r:id="rId${firstChartRelationship + i}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${NS.xdr}" xmlns:a="${NS.a}" xmlns:r="${NS.r}">${frames}</xdr:wsDr>`;
}

/** Adds or replaces a part, without the folder entries JSZip adds by default (an .xlsx lists only its parts). */
const put = (zip: JSZip, name: string, text: string) => void zip.file(name, text, { createFolders: false });

const relationships = (items: { id: string; type: string; target: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.rels}">${items.map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${r.target}"/>`).join("")}</Relationships>`;

/** Where a worksheet's <drawing> goes: before these elements, if present (CT_Worksheet's order). */
const AFTER_DRAWING = ["<legacyDrawing", "<legacyDrawingHF", "<drawingHF", "<picture", "<oleObjects", "<controls", "<webPublishItems", "<tableParts", "<extLst", "</worksheet>"];

/**
 * Adds the charts of each sheet to an .xlsx written without them: chart and drawing parts,
 * their relationships, the sheets' <drawing> elements and the content types.
 * `sheets[i]` is the i-th worksheet of the file (xl/worksheets/sheet{i+1}.xml).
 */
export async function addCharts(zip: JSZip, sheets: readonly { name: string; charts: readonly ChartPlan[] }[]): Promise<void> {
  let chartNumber = 0;
  let drawingNumber = 0;
  const overrides: string[] = [];
  for (const [index, sheet] of sheets.entries()) {
    const charts = sheet.charts.filter((c) => c.series.length > 0);
    if (charts.length === 0) continue;
    const sheetPath = `xl/worksheets/sheet${index + 1}.xml`;
    const relsPath = `xl/worksheets/_rels/sheet${index + 1}.xml.rels`;
    const sheetXml = await zip.file(sheetPath)?.async("string");
    if (sheetXml === undefined) throw new Error(`the workbook has no part ${sheetPath}`);
    drawingNumber++;
    const drawingPath = `xl/drawings/drawing${drawingNumber}.xml`;
    const chartRels = charts.map((chart) => {
      chartNumber++;
      put(zip, `xl/charts/chart${chartNumber}.xml`, chartXml(sheet.name, chart));
      overrides.push(`<Override PartName="/xl/charts/chart${chartNumber}.xml" ContentType="${CONTENT.chart}"/>`);
      return { id: "", type: TYPE.chart, target: `../charts/chart${chartNumber}.xml` };
    });
    chartRels.forEach((r, i) => (r.id = `rId${i + 1}`));
    put(zip, drawingPath, drawingXml(charts, 1));
    put(zip, `xl/drawings/_rels/drawing${drawingNumber}.xml.rels`, relationships(chartRels));
    overrides.push(`<Override PartName="/${drawingPath}" ContentType="${CONTENT.drawing}"/>`);

    // The sheet's relationships: keep those exceljs wrote, add the drawing under a free id.
    const existing = (await zip.file(relsPath)?.async("string")) ?? relationships([]);
    const used = new Set(Array.from(existing.matchAll(/Id="([^"]+)"/g), (m) => m[1]));
    let n = 1;
    while (used.has(`rId${n}`)) n++;
    const drawingId = `rId${n}`;
    put(zip, relsPath, existing.replace("</Relationships>", `<Relationship Id="${drawingId}" Type="${TYPE.drawing}" Target="../drawings/drawing${drawingNumber}.xml"/></Relationships>`));
    const at = Math.min(...AFTER_DRAWING.map((tag) => sheetXml.indexOf(tag)).filter((i) => i >= 0));
    const withRelNamespace = /<worksheet[^>]*xmlns:r=/.test(sheetXml) ? sheetXml : sheetXml.replace("<worksheet ", `<worksheet xmlns:r="${NS.r}" `);
    const position = withRelNamespace === sheetXml ? at : at + withRelNamespace.length - sheetXml.length;
    put(zip, sheetPath, `${withRelNamespace.slice(0, position)}<drawing r:id="${drawingId}"/>${withRelNamespace.slice(position)}`);
  }
  if (overrides.length === 0) return;
  const types = await zip.file("[Content_Types].xml")!.async("string");
  put(zip, "[Content_Types].xml", types.replace("</Types>", `${overrides.join("")}</Types>`));
}
