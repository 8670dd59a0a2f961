import JSZip from "jszip";
import { clvSchedule, customerLifetimeValue, periodicRate } from "../../src/core/clv";
import { fitShiftedBetaGeometric } from "../../src/core/retention/shiftedBetaGeometric";
import { writeXlsx } from "../../src/host/xlsx/writeXlsx";
import { buildCohortPlan, type CohortModelSettings } from "../../src/models/cohort/cohortPlan";
import { ECONOMICS, triangle } from "./cohorts";

/**
 * A workbook as Excel saves one that uses Lifetime: a cohort model sheet built from a plan
 * (by writeXlsx, formulas only), and two sheets written by hand in the form Excel writes,
 * each formula with its cached value:
 * - custom functions with Excel's `_xldudf_` prefix, the namespace's dot an underscore
 *   (`=LTV.CLV(A1,A2,A3)` is `_xldudf_LTV_CLV(A1,A2,A3)`);
 * - a spilled result as a dynamic array: `cm="1"` on the anchor, `<f t="array" ref>`, the
 *   spilled cells plain values, and xl/metadata.xml's XLDAPR cell metadata;
 * - shared formulas (`t="shared"`, a master with `ref` and `si`, followers with `si` only);
 * - an error result (t="e"), a text result (t="str"), a formula never computed (no `<v>`);
 * - defined names, one calling LTV.PERIODIC_RATE, one reading that one, two plain;
 * - a conditional format and a validation rule that call Lifetime, and others that do not;
 * - xl/calcChain.xml.
 * The cached values are the core's, so a test can tell a frozen value from a recomputed one.
 */
export const CLV = customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1 });
export const SCHEDULE = clvSchedule({ margin: 100, retention: 0.8, discountRate: 0.1, periods: 3 });
export const MONTHLY = periodicRate(0.1, 12);
export const QUARTERLY = periodicRate(0.1, 4);

const settings: CohortModelSettings = { ...ECONOMICS, horizon: 12, cohorts: triangle(4, 500, 0.9, 2.2, 6) };
const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
export const cohort = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-30" });

/** The model's cell of the CLV of a new customer ($B$20), by its name. */
export const CLV_CELL = cohort.plan.sheets[0]!.names.find((name) => name.name === "CLV_NewCustomer")!.ref;

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** Cells by address → the `<c>` element Excel writes, assembled into rows. */
function sheetXml(cells: Record<string, string>, tail = ""): string {
  const rows = new Map<number, [number, string][]>();
  for (const [address, xml] of Object.entries(cells)) {
    const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(address)!;
    const column = [...letters!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    rows.set(Number(digits), [...(rows.get(Number(digits)) ?? []), [column, xml]]);
  }
  const body = [...rows]
    .sort((a, b) => a[0] - b[0])
    .map(([r, list]) => `<row r="${r}" spans="1:8" x14ac:dyDescent="0.25">${list.sort((a, b) => a[0] - b[0]).map(([, xml]) => xml).join("")}</row>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n` +
    `<worksheet xmlns="${MAIN}" xmlns:r="${REL}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3">` +
    `<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/>` +
    `<sheetData>${body}</sheetData>${tail}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
  );
}

const n = (address: string, value: number) => `<c r="${address}"><v>${value}</v></c>`;
const f = (address: string, formula: string, value: number) => `<c r="${address}"><f>${formula}</f><v>${value}</v></c>`;

/** The Inputs sheet's cells: inputs, LTV calls (scalar, spilled, shared, an error, text, never computed) and user formulas. */
export const INPUTS: Record<string, string> = {
  A1: n("A1", 100),
  A2: n("A2", 0.8),
  A3: n("A3", 0.1),
  A4: f("A4", "SUM(A1:A3)", 100.9),
  B1: f("B1", "_xldudf_LTV_CLV(A1,A2,A3)", CLV),
  B2: f("B2", "B1*2", 2 * CLV),
  H1: n("H1", 12),
  H2: n("H2", 4),
  // =LTV.PERIODIC_RATE($A$3,H1) filled down to B6: one shared formula.
  B5: `<c r="B5"><f t="shared" ref="B5:B6" si="0">_xldudf_LTV_PERIODIC_RATE($A$3,H1)</f><v>${MONTHLY}</v></c>`,
  B6: `<c r="B6"><f t="shared" si="0"/><v>${QUARTERLY}</v></c>`,
  // =A1*2 filled down to D6: a shared formula of the user's.
  D5: `<c r="D5"><f t="shared" ref="D5:D6" si="1">A1*2</f><v>200</v></c>`,
  D6: `<c r="D6"><f t="shared" si="1"/><v>1.6</v></c>`,
  A6: `<c r="A6" t="str"><f>IF(B1&gt;0,"positive","negative")</f><v>positive</v></c>`,
  E6: `<c r="E6" t="e"><f>_xldudf_LTV_CLV(A1,1.5,A3)</f><v>#VALUE!</v></c>`,
  // Never computed (a workbook saved in manual calculation): no cached value.
  F6: `<c r="F6"><f>_xldudf_LTV_CLV(A1,A2,A3)</f></c>`,
  // A Lifetime function returning text (a later version's), as Excel saves a string result.
  G6: `<c r="G6" t="str"><f>_xldudf_LTV_LABEL(A1)</f><v>Gold &amp; &lt;more&gt;</v></c>`,
};
// =LTV.CLV_SCHEDULE(A1,A2,A3,3) in C1, spilled over C1:G3.
SCHEDULE.forEach((row, i) =>
  row.forEach((value, j) => {
    const address = `${String.fromCharCode(67 + j)}${i + 1}`;
    INPUTS[address] = i === 0 && j === 0 ? `<c r="C1" cm="1"><f t="array" ref="C1:G3">_xldudf_LTV_CLV_SCHEDULE(A1,A2,A3,3)</f><v>${value}</v></c>` : n(address, value);
  }),
);

const INPUT_RULES =
  `<conditionalFormatting sqref="A1:A3"><cfRule type="expression" priority="1"><formula>A1&gt;_xldudf_LTV_CLV(1,0.5,0)</formula></cfRule></conditionalFormatting>` +
  `<conditionalFormatting sqref="H1:H2"><cfRule type="expression" priority="2"><formula>H1&gt;1000</formula></cfRule></conditionalFormatting>` +
  `<dataValidations count="2"><dataValidation type="decimal" operator="lessThan" allowBlank="1" showErrorMessage="1" sqref="A3"><formula1>_xldudf_LTV_PERIODIC_RATE(1,1)</formula1></dataValidation>` +
  `<dataValidation type="whole" allowBlank="1" showErrorMessage="1" sqref="H1:H2"><formula1>1</formula1><formula2>365</formula2></dataValidation></dataValidations>`;

/** The Calc sheet: formulas reading other sheets, a model's sheet-scoped name, and names. */
export function calcCells(model: { clvNewCustomer: number }): Record<string, string> {
  return {
    A1: f("A1", "Inputs!A4*2", 201.8),
    A2: f("A2", `&apos;Cohort model&apos;!${CLV_CELL}*2`, 2 * model.clvNewCustomer),
    A3: f("A3", "Yearly", MONTHLY * 12),
    A4: f("A4", "Base+1", 101),
    A5: f("A5", "Inputs!B1+1", CLV + 1),
    A6: f("A6", "SUM(Inputs!C1:C3)", 6),
    A7: f("A7", "Local*10", 2018),
  };
}

/** The workbook, and where its parts are. */
export async function excelWorkbook(): Promise<{ bytes: Uint8Array; sheets: string[]; inputsPart: string; calcPart: string }> {
  const zip = await JSZip.loadAsync(await writeXlsx(cohort.plan));
  const modelSheets = cohort.plan.sheets.map((s) => s.name);
  const inputsIndex = modelSheets.length;
  const first = inputsIndex + 1;
  const inputsPart = `xl/worksheets/sheet${first}.xml`;
  const calcPart = `xl/worksheets/sheet${first + 1}.xml`;
  zip.file(inputsPart, sheetXml(INPUTS, INPUT_RULES));
  zip.file(calcPart, sheetXml(calcCells(cohort.model)));
  zip.file(
    "xl/metadata.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<metadata xmlns="${MAIN}" xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray"><metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes><futureMetadata name="XLDAPR" count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata></metadata>`,
  );
  zip.file(
    "xl/calcChain.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<calcChain xmlns="${MAIN}"><c r="A4" i="${first}"/><c r="B1"/><c r="B2"/><c r="C1" a="1"/><c r="B5"/><c r="B6"/><c r="A1" i="${first + 1}"/></calcChain>`,
  );
  let rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
  rels = rels.replace(
    "</Relationships>",
    `<Relationship Id="rId101" Type="${REL}/worksheet" Target="worksheets/sheet${first}.xml"/>` +
      `<Relationship Id="rId102" Type="${REL}/worksheet" Target="worksheets/sheet${first + 1}.xml"/>` +
      `<Relationship Id="rId103" Type="${REL}/sheetMetadata" Target="metadata.xml"/>` +
      `<Relationship Id="rId104" Type="${REL}/calcChain" Target="calcChain.xml"/></Relationships>`,
  );
  zip.file("xl/_rels/workbook.xml.rels", rels);
  let types = await zip.file("[Content_Types].xml")!.async("string");
  types = types.replace(
    "</Types>",
    `<Override PartName="/${inputsPart}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
      `<Override PartName="/${calcPart}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
      `<Override PartName="/xl/metadata.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"/>` +
      `<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>`,
  );
  zip.file("[Content_Types].xml", types);
  let workbook = await zip.file("xl/workbook.xml")!.async("string");
  workbook = workbook.replace("</sheets>", `<sheet name="Inputs" sheetId="${first}" r:id="rId101"/><sheet name="Calc" sheetId="${first + 1}" r:id="rId102"/></sheets>`);
  const names =
    `<definedName name="Base">Inputs!$A$1</definedName>` +
    `<definedName name="Local" localSheetId="${inputsIndex + 1}">Calc!$A$1</definedName>` +
    `<definedName name="Rate">_xldudf_LTV_PERIODIC_RATE(0.1,12)</definedName>` +
    `<definedName name="Yearly">Rate*12</definedName>`;
  workbook = workbook.includes("</definedNames>") ? workbook.replace("</definedNames>", `${names}</definedNames>`) : workbook.replace("</sheets>", `</sheets><definedNames>${names}</definedNames>`);
  zip.file("xl/workbook.xml", workbook);
  const bytes = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
  return { bytes, sheets: [...modelSheets, "Inputs", "Calc"], inputsPart, calcPart };
}
