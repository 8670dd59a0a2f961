import ExcelJS from "exceljs";
import JSZip from "jszip";
import { columnLetter } from "../../models/plan";
import { addCharts } from "../xlsx/charts";
import { excelValidation } from "../xlsx/writeXlsx";
import { CellError, type Scalar } from "./engine/engine";
import type { PreviewWorkbook } from "./previewHost";

/**
 * The preview workbook as an .xlsx file, as Excel would save it: every formula with the value
 * the preview shows as its cached value (exceljs's `{ formula, result }`), a spilled result
 * as an array formula over the cells it spills (`<f t="array" ref>`, the other cells plain
 * values, as Excel writes them), the values, number formats, styles, column widths,
 * validations, names (sheet-scoped ones kept to their sheet) and charts. Formulas are written
 * in the file's form: LTV functions with Excel's `_xldudf_` prefix, newer Excel functions
 * with `_xlfn.`, `A1#` as `_xlfn.ANCHORARRAY(A1)`. The portable copy is made from this file.
 */
export async function previewToXlsx(workbook: PreviewWorkbook): Promise<Uint8Array> {
  const engine = workbook.engine;
  const book = new ExcelJS.Workbook();
  book.creator = "Lifetime";
  const sheets = engine.getSheetNames();
  const definedNames: { name: string; ranges: string[]; localSheetId?: number }[] = [];

  for (const name of sheets) {
    const id = workbook.sheetId(name);
    const ws = book.addWorksheet(name);
    const { width, height } = engine.getSheetDimensions(id);
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const at = { sheet: id, row, col };
        const formula = engine.getCellFormula(at);
        const value = engine.getCellValue(at);
        if (formula === undefined && (value === null || value === "")) continue;
        const cell = ws.getCell(row + 1, col + 1);
        if (formula !== undefined) {
          const spill = engine.getCellSpill(at);
          const result = cached(value);
          const text = toFileFormula(formula);
          cell.value =
            spill && spill.rows * spill.columns > 1
              ? ({ formula: text, result, shareType: "array", ref: `${columnLetter(col + 1)}${row + 1}:${columnLetter(col + spill.columns)}${row + spill.rows}` } as unknown as ExcelJS.CellFormulaValue)
              : ({ formula: text, result } as ExcelJS.CellFormulaValue);
        } else cell.value = cached(value) as ExcelJS.CellValue; // text stays text: exceljs never reads "=" in a value
        const format = workbook.formatAt(id, row + 1, col + 1) ?? (engine.isCellDate(at) ? "mm/dd/yyyy" : undefined);
        if (format) cell.numFmt = format;
        const style = workbook.styles.get(`${id}!${row + 1}:${col + 1}`);
        if (style?.bold || style?.italic) cell.font = { bold: style.bold, italic: style.italic };
        if (style?.fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: `FF${style.fill.replace("#", "")}` } };
      }
    }
    for (const [letter, w] of Object.entries(workbook.columnWidths.get(id) ?? {})) ws.getColumn(letter).width = w;
    const validations = (ws as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }).dataValidations;
    for (const v of workbook.validations.get(id) ?? []) validations.add(v.range.replace(/\$/g, ""), excelValidation(v));
  }

  for (const n of engine.getAllNamedExpressionsSerialized()) {
    const scope = n.scope === undefined ? undefined : sheets.indexOf(engine.getSheetName(n.scope) ?? "");
    const e = n.expression;
    const text = typeof e === "string" && e.startsWith("=") ? toFileFormula(e) : typeof e === "number" ? String(e) : typeof e === "boolean" ? (e ? "TRUE" : "FALSE") : `"${String(e ?? "").replace(/"/g, '""')}"`;
    definedNames.push(scope === undefined || scope < 0 ? { name: n.name, ranges: [text] } : { name: n.name, ranges: [text], localSheetId: scope });
  }
  // exceljs keeps names by name only and drops their sheet scope (see writeXlsx): hand the writer the model.
  (book as unknown as { _definedNames: { model: typeof definedNames } })._definedNames = { model: definedNames };

  const buffer = (await book.xlsx.writeBuffer()) as ArrayBuffer | Uint8Array;
  const written = buffer instanceof Uint8Array ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);
  const charts = sheets.map((name) => ({ name, charts: workbook.charts.get(workbook.sheetId(name)) ?? [] }));
  if (charts.every((s) => s.charts.length === 0)) return written;
  const zip = await JSZip.loadAsync(written);
  await addCharts(zip, charts);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** Errors a file can hold as a cell's value (the preview's #ERROR!, a formula it cannot read, is #VALUE! there). */
const FILE_ERRORS = new Set(["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"]);

/** A value as exceljs writes it. */
function cached(value: Scalar): ExcelJS.CellValue {
  if (value instanceof CellError) return { error: (FILE_ERRORS.has(value.value) ? value.value : "#VALUE!") as ExcelJS.CellErrorValue["error"] };
  return value;
}

/** Functions Excel saves with a prefix, being newer than the file format (ECMA-376 names the rest). */
const NEWER = new Set(
  (
    "AGGREGATE BETA.DIST BETA.INV BINOM.DIST BINOM.INV CEILING.PRECISE CHISQ.DIST CHISQ.DIST.RT CHISQ.INV CHISQ.INV.RT CHISQ.TEST CONFIDENCE.NORM CONFIDENCE.T " +
    "COVARIANCE.P COVARIANCE.S ERF.PRECISE ERFC.PRECISE EXPON.DIST F.DIST F.DIST.RT F.INV F.INV.RT F.TEST FLOOR.PRECISE GAMMA.DIST GAMMA.INV GAMMALN.PRECISE " +
    "HYPGEOM.DIST LOGNORM.DIST LOGNORM.INV MODE.MULT MODE.SNGL NEGBINOM.DIST NETWORKDAYS.INTL NORM.DIST NORM.INV NORM.S.DIST NORM.S.INV PERCENTILE.EXC " +
    "PERCENTILE.INC PERCENTRANK.EXC PERCENTRANK.INC POISSON.DIST QUARTILE.EXC QUARTILE.INC RANK.AVG RANK.EQ STDEV.P STDEV.S T.DIST T.DIST.2T T.DIST.RT T.INV " +
    "T.INV.2T T.TEST VAR.P VAR.S WEIBULL.DIST WORKDAY.INTL Z.TEST ACOT ACOTH ARABIC BASE BITAND BITLSHIFT BITOR BITRSHIFT BITXOR CEILING.MATH COMBINA COT COTH " +
    "CSC CSCH DAYS DECIMAL FLOOR.MATH FORMULATEXT GAMMA GAUSS IFNA ISFORMULA ISOWEEKNUM MUNIT NUMBERVALUE PDURATION PERMUTATIONA PHI RRI SEC SECH SHEET SHEETS " +
    "SKEW.P UNICHAR UNICODE XOR CONCAT IFS MAXIFS MINIFS SWITCH TEXTJOIN FORECAST.LINEAR XLOOKUP XMATCH SEQUENCE RANDARRAY UNIQUE SORTBY LET LAMBDA TEXTBEFORE " +
    "TEXTAFTER TEXTSPLIT VSTACK HSTACK TOCOL TOROW WRAPROWS WRAPCOLS TAKE DROP CHOOSEROWS CHOOSECOLS EXPAND ARRAYTOTEXT VALUETOTEXT MAP REDUCE SCAN MAKEARRAY " +
    "BYROW BYCOL ISOMITTED"
  ).split(" "),
);
/** …and the two Excel saves with a second prefix. */
const WORKSHEET_FUNCTIONS = new Set(["FILTER", "SORT"]);

/** A formula as typed ("=LTV.CLV(A1, 0.8, 0.1)") in the form a file holds (no "=", prefixes as Excel writes them). */
export function toFileFormula(formula: string): string {
  const body = formula.replace(/^=/, "");
  return body.replace(
    /"(?:[^"]|"")*"|((?:'(?:[^']|'')*'|[A-Za-z0-9_.]+)!)?(\$?[A-Za-z]{1,3}\$?\d+)#|'(?:[^']|'')*'|([A-Za-z_\\][A-Za-z0-9_.\\]*)(?=\()/g,
    (whole, sheet: string | undefined, spilled: string | undefined, name: string | undefined) => {
      if (spilled !== undefined) return `_xlfn.ANCHORARRAY(${sheet ?? ""}${spilled})`;
      if (name === undefined) return whole;
      const upper = name.toUpperCase();
      if (upper.startsWith("LTV.")) return `_xldudf_LTV_${upper.slice(4).replace(/\./g, "_")}`;
      if (WORKSHEET_FUNCTIONS.has(upper)) return `_xlfn._xlws.${upper}`;
      if (NEWER.has(upper)) return `_xlfn.${upper}`;
      return name;
    },
  );
}
