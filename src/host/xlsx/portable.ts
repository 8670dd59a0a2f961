import JSZip from "jszip";
import { cellAddress, parseAddress } from "../../models/plan";
import { parseRange, rectAddress, type Rect } from "../cells";
import { uniqueSheetName } from "../sheets";

/**
 * "Save a portable copy": a copy of an .xlsx in which every cell whose formula calls one of
 * Lifetime's functions keeps the value it holds and loses the formula, so the copy opens
 * without the add-in and shows no #NAME?. Everything else is kept as it is, byte for byte:
 * formulas that do not call Lifetime (they still recalculate, over the frozen values), values,
 * styles, charts, tables. A sheet "About this copy" says what was frozen, and when.
 *
 * How Excel writes what is frozen (ECMA-376 Part 1 §18.3.1.40 `f`, and Excel's own extensions):
 * - A JavaScript custom function is saved with the prefix `_xldudf_` and its namespace's dot
 *   as an underscore: `=LTV.CLV(A1,0.8,0.1)` is `<f>_xldudf_LTV_CLV(A1,0.8,0.1)</f>`, the last
 *   value beside it in `<v>` (t="e" for an error, t="str" for text). A workbook saved where
 *   the add-in was not loaded may hold `_xludf.LTV.CLV(` (Excel's prefix for a function it
 *   does not know), and a copy an add-in mangled `[2]!_xldudf_LTV_CLV(` (OfficeDev/office-js
 *   #2568); other tools write `LTV.CLV(`. All of them count.
 * - A dynamic-array formula is `<c r="C1" cm="1"><f t="array" ref="C1:G3">…</f><v>…</v></c>`,
 *   `cm` pointing into xl/metadata.xml's cell metadata (XLDAPR, dynamicArrayProperties
 *   fDynamic="1"); the spilled cells are plain `<c><v>` cells. A legacy array formula is the
 *   same without `cm`. Dropping the anchor's `<f>` (and its `cm`) leaves every cell of the
 *   range holding its value.
 * - A shared formula is written once, on its master cell (`<f t="shared" ref="B5:B9" si="0">`),
 *   and the other cells of the group hold `<f t="shared" si="0"/>`: when the master calls
 *   Lifetime, the whole group is frozen.
 * - A defined name's formula (`<definedName name="Rate">_xldudf_LTV_PERIODIC_RATE(0.1,12)`)
 *   has no saved value: such a name is removed, and every formula that uses it (a cell, another
 *   name) counts as calling Lifetime, so no formula is left reading a missing name.
 * - Conditional formats and data validations whose formulas call Lifetime have nothing to
 *   freeze: they are removed, and counted in the note. So is a table column's formula that
 *   calls Lifetime (xl/tables, `calculatedColumnFormula`, `totalsRowFormula`): Excel would fill
 *   it into a row added to the table.
 * - xl/calcChain.xml lists the formula cells; Excel repairs a file whose chain names a cell
 *   without a formula, so it is dropped (Excel rebuilds it).
 *
 * A frozen cell with no saved value (a formula never computed) holds #N/A, so a formula
 * reading it shows an error rather than a plausible number; the note lists those cells.
 */

export interface PortableCopyOptions {
  /** When the copy is made, as the note shows it ("2026-11-30 14:05"). */
  now: string;
}

export interface PortableCopy {
  bytes: Uint8Array;
  /** Cells that held a Lifetime formula's result (every cell of an array formula's range) and now hold that value. */
  frozen: number;
  /** The sheets with frozen cells, in the workbook's order. */
  sheets: string[];
  /** Frozen cells that had no saved value ("Sheet1!F6"): they hold #N/A. */
  missing: string[];
  /** Defined names whose formula called Lifetime's functions, removed. */
  names: string[];
  /** Conditional-format and data-validation rules whose formulas called Lifetime's functions, removed. */
  rules: number;
  /** Table columns whose formula (the one Excel fills into a new row, or the totals row's) called Lifetime's functions, removed. */
  tableFormulas: number;
  /** The note sheet's name. */
  noteSheet: string;
  /** "xlsm" for a workbook with macros (its parts say so), else "xlsx": the extension the copy must keep. */
  extension: "xlsx" | "xlsm";
}

/** A function of Lifetime's, in any of the spellings a file holds (see the file's comment). */
const LTV_FUNCTION = /^(?:_xldudf_LTV_|_xludf\.LTV\.|_xll\.LTV\.|LTV\.)[A-Za-z0-9_.]+$/i;

const NS = {
  main: "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
  r: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  worksheet: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
  calcChain: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain",
  officeDocument: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
};
const WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";

// ---------------------------------------------------------------- formulas

/** What a formula (as the file holds it: no "=") calls and which names it reads, outside strings and quoted sheet names. */
export function scanFormula(formula: string): { functions: string[]; names: { sheet?: string; name: string }[] } {
  const functions: string[] = [];
  const names: { sheet?: string; name: string }[] = [];
  let qualifier: string | undefined;
  let i = 0;
  const n = formula.length;
  while (i < n) {
    const ch = formula[i]!;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      for (; j < n; j++) {
        if (formula[j] !== ch) continue;
        if (formula[j + 1] === ch) j++;
        else break;
      }
      const inner = formula.slice(i + 1, j);
      i = j + 1;
      qualifier = undefined;
      if (ch === "'" && formula[i] === "!") {
        qualifier = inner.replace(/''/g, "'");
        i++;
      }
      continue;
    }
    if (ch === "[") {
      // A structured reference (Table1[[#This Row],[Cohort]]) or a link to another workbook ([2]!…).
      let depth = 0;
      for (; i < n; i++) {
        if (formula[i] === "[") depth++;
        else if (formula[i] === "]" && --depth === 0) break;
        else if (formula[i] === "'" && formula[i + 1] !== undefined) i++; // an escaped character in a structured reference
      }
      i++;
      qualifier = undefined;
      continue;
    }
    if (ch === "#") {
      // An error literal (#N/A, #REF!, #DIV/0!) or the spill operator (A1#).
      const m = /#[A-Za-z0-9/_]*[!?]?/y;
      m.lastIndex = i;
      i += m.exec(formula)?.[0].length ?? 1;
      qualifier = undefined;
      continue;
    }
    if (/[0-9.]/.test(ch)) {
      const m = /[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?/y;
      m.lastIndex = i;
      i += Math.max(1, m.exec(formula)?.[0].length ?? 1);
      qualifier = undefined;
      continue;
    }
    if (/[A-Za-z_\\$]/.test(ch)) {
      const m = /\$?[A-Za-z_\\][A-Za-z0-9_.\\?$]*/y;
      m.lastIndex = i;
      const token = m.exec(formula)?.[0];
      if (!token) {
        i++;
        continue;
      }
      const next = i + token.length;
      if (formula[next] === "(") {
        functions.push(token);
        qualifier = undefined;
      } else if (formula[next] === "!") {
        qualifier = token;
        i = next + 1;
        continue;
      } else if (!isReference(token, formula[i - 1] === ":" || formula[next] === ":")) {
        names.push(qualifier === undefined ? { name: token } : { sheet: qualifier, name: token });
        qualifier = undefined;
      } else qualifier = undefined;
      i = next;
      continue;
    }
    qualifier = undefined;
    i++;
  }
  return { functions, names };
}

/** A token that is a cell, a column of a range (A:C), TRUE or FALSE rather than a name. */
function isReference(token: string, inRange: boolean): boolean {
  if (/^\$?[A-Za-z]{1,3}\$?[0-9]+$/.test(token)) return true;
  if (inRange && /^\$?[A-Za-z]{1,3}$/.test(token)) return true;
  return /^(TRUE|FALSE)$/i.test(token);
}

export const callsLifetime = (formula: string) => scanFormula(formula).functions.some((f) => LTV_FUNCTION.test(f));

// ---------------------------------------------------------------- XML helpers

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, e: string) =>
    e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "apos" ? "'" : e === "amp" ? "&" : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
/** Text for an XML element or attribute: escaped, and without the characters XML 1.0 cannot hold. */
const escapeXml = (s: string) =>
  s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const attributePatterns = new Map<string, RegExp>();
function attr(attributes: string, name: string): string | undefined {
  let pattern = attributePatterns.get(name);
  if (!pattern) attributePatterns.set(name, (pattern = new RegExp(`(?:^|\\s)${escapeRegExp(name)}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = pattern.exec(attributes);
  return m ? unescapeXml(m[1] ?? m[2] ?? "") : undefined;
}
function withoutAttr(attributes: string, name: string): string {
  return attributes.replace(new RegExp(`\\s+${escapeRegExp(name)}\\s*=\\s*(?:"[^"]*"|'[^']*')`), "");
}
function withAttr(attributes: string, name: string, value: string): string {
  return `${withoutAttr(attributes, name)} ${name}="${escapeXml(value)}"`;
}
/** The prefix ("x:" or "") the part's root element uses for the spreadsheet namespace. */
function prefixOf(xml: string, root: string): string {
  return new RegExp(`<(\\w+:)?${root}\\b`).exec(xml)?.[1] ?? "";
}

/** A part named by a relationship's target, from the folder of the part that holds the relationship. */
function resolvePart(from: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = from.split("/").slice(0, -1);
  for (const piece of target.split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== "." && piece !== "") parts.push(piece);
  }
  return parts.join("/");
}
const relsOf = (part: string) => {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
};
function relationships(xml: string): { id: string; type: string; target: string; external: boolean }[] {
  return Array.from(xml.matchAll(/<(?:\w+:)?Relationship\b([^>]*?)\/?>/g), (m) => ({
    id: attr(m[1]!, "Id") ?? "",
    type: attr(m[1]!, "Type") ?? "",
    target: attr(m[1]!, "Target") ?? "",
    external: attr(m[1]!, "TargetMode") === "External",
  }));
}

// ---------------------------------------------------------------- names

interface NameDef {
  name: string;
  scope?: number;
  formula: string;
}

/** Resolves names as Excel does: a sheet's own name first, then the workbook's. */
class Names {
  private readonly byKey = new Map<string, NameDef>();
  readonly lifetime = new Set<NameDef>();

  constructor(
    readonly all: NameDef[],
    private readonly sheetIndex: (name: string) => number | undefined,
  ) {
    for (const d of all) this.byKey.set(`${d.scope ?? ""}|${d.name.toLowerCase()}`, d);
    // A name calls Lifetime if its formula does, or reads a name that does.
    for (const d of all) if (callsLifetime(d.formula)) this.lifetime.add(d);
    for (let grew = true; grew; ) {
      grew = false;
      for (const d of all) {
        if (this.lifetime.has(d) || !this.readsLifetimeName(d.formula, d.scope)) continue;
        this.lifetime.add(d);
        grew = true;
      }
    }
  }

  resolve(ref: { sheet?: string; name: string }, from: number | undefined): NameDef | undefined {
    const lower = ref.name.toLowerCase();
    const scope = ref.sheet === undefined ? from : this.sheetIndex(ref.sheet);
    return (scope === undefined ? undefined : this.byKey.get(`${scope}|${lower}`)) ?? this.byKey.get(`|${lower}`);
  }

  readsLifetimeName(formula: string, from: number | undefined): boolean {
    if (this.lifetime.size === 0) return false;
    return scanFormula(formula).names.some((ref) => {
      const d = this.resolve(ref, from);
      return d !== undefined && this.lifetime.has(d);
    });
  }

  /** Whether a formula on a sheet (index) calls Lifetime, directly or through a name. */
  callsLifetime(formula: string, sheet: number | undefined): boolean {
    return callsLifetime(formula) || this.readsLifetimeName(formula, sheet);
  }
}

// ---------------------------------------------------------------- sheets

interface FrozenSheet {
  xml: string;
  /** Frozen cells, 1-based. */
  cells: { row: number; column: number }[];
  missing: string[];
  rules: number;
}

/** Freezes a worksheet's Lifetime formulas (see the file's comment). */
function freezeSheet(xml: string, sheet: number, names: Names): FrozenSheet {
  const p = prefixOf(xml, "worksheet");
  const calls = (formula: string) => names.callsLifetime(formula, sheet);
  const cells: { row: number; column: number }[] = [];
  const missing: string[] = [];
  let rules = 0;

  const open = new RegExp(`<${p}sheetData\\b[^>]*?(/?)>`).exec(xml);
  let before = xml;
  let data = "";
  let after = "";
  if (open && open[1] === "") {
    const close = xml.indexOf(`</${p}sheetData>`, open.index);
    before = xml.slice(0, open.index + open[0].length);
    data = xml.slice(open.index + open[0].length, close);
    after = xml.slice(close);
  }

  if (data) {
    const formulaElement = new RegExp(`<${p}f\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${p}f>)`);
    // Shared formulas whose master calls Lifetime: the whole group is frozen.
    const shared = new Set<string>();
    for (const m of data.matchAll(new RegExp(formulaElement.source, "g"))) {
      if (attr(m[1]!, "t") === "shared" && m[2] && calls(unescapeXml(m[2]))) shared.add(attr(m[1]!, "si") ?? "");
    }
    const arrays: Rect[] = [];
    let row = 0;
    let column = 0;
    const cell = new RegExp(`<${p}row\\b([^>]*?)(/?)>|<${p}c\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${p}c>)`, "g");
    data = data.replace(cell, (whole, rowAttributes: string | undefined, _empty: string, attributes: string | undefined, inner: string | undefined) => {
      if (rowAttributes !== undefined) {
        const r = attr(rowAttributes, "r");
        row = r === undefined ? row + 1 : Number(r);
        column = 0;
        return whole;
      }
      const address = attr(attributes!, "r");
      if (address) ({ row, column } = parseAddress(address.toUpperCase()));
      else column++;
      const f = inner === undefined ? null : formulaElement.exec(inner);
      const inArray = arrays.some((a) => row >= a.top && row <= a.bottom && column >= a.left && column <= a.right);
      if (!f) {
        // A cell of a frozen array formula's range: it holds its value already.
        if (inArray) cells.push({ row, column });
        return whole;
      }
      const type = attr(f[1]!, "t");
      const text = f[2] === undefined ? "" : unescapeXml(f[2]);
      const frozen = type === "shared" && !text ? shared.has(attr(f[1]!, "si") ?? "") : calls(text);
      if (!frozen) return whole;
      const ref = attr(f[1]!, "ref");
      if (type === "array" && ref) arrays.push(parseRange(ref.toUpperCase()));
      cells.push({ row, column });
      let content = inner!.replace(f[0], "");
      let attrs = withoutAttr(attributes!, "cm");
      const value = new RegExp(`<${p}v\\b[^>]*?(?:/>|>([\\s\\S]*?)</${p}v>)`).exec(content);
      const cellType = attr(attrs, "t") ?? "n";
      // Text may be empty (a formula's ""); a number, a truth value or an error may not.
      if (!value || (cellType !== "str" && !value[1])) {
        // Never computed: an error, not an empty cell that formulas would read as 0.
        missing.push(cellAddress(row, column));
        attrs = withAttr(attrs, "t", "e");
        content = `${value ? content.replace(value[0], "") : content}<${p}v>#N/A</${p}v>`;
      } else if (cellType === "str") {
        // t="str" is a formula's text; a value's text is inline (or shared) text.
        attrs = withAttr(attrs, "t", "inlineStr");
        content = content.replace(value[0], `<${p}is><${p}t xml:space="preserve">${value[1] ?? ""}</${p}t></${p}is>`);
      }
      return `<${p}c${attrs}>${content}</${p}c>`;
    });
  }

  // Rules with nothing to freeze: conditional formats and validations whose formulas call Lifetime.
  const ruleCalls = (element: string) => Array.from(element.matchAll(/<((?:\w+:)?(?:formula[12]?|f))\b[^>]*>([\s\S]*?)<\/\1>/g)).some((m) => calls(unescapeXml(m[2]!)));
  const dropRules = (part: string) => {
    let out = part.replace(/<((?:\w+:)?cfRule)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1>)/g, (rule) => (ruleCalls(rule) ? (rules++, "") : rule));
    out = out.replace(/<((?:\w+:)?conditionalFormatting)\b[^>]*>((?:\s|<(?:\w+:)?sqref>[^<]*<\/(?:\w+:)?sqref>)*)<\/\1>/g, "");
    out = out.replace(/<((?:\w+:)?conditionalFormattings)\b[^>]*>\s*<\/\1>/g, "");
    out = out.replace(/<((?:\w+:)?dataValidation)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1>)/g, (rule) => (ruleCalls(rule) ? (rules++, "") : rule));
    out = out.replace(/<((?:\w+:)?dataValidations)\b([^>]*)>([\s\S]*?)<\/\1>/g, (whole, tag: string, attributes: string, inner: string) => {
      const count = Array.from(inner.matchAll(/<(?:\w+:)?dataValidation\b/g)).length;
      return count === 0 ? "" : `<${tag}${attr(attributes, "count") === undefined ? attributes : withAttr(attributes, "count", String(count))}>${inner}</${tag}>`;
    });
    return out;
  };
  const head = dropRules(before);
  const tail = dropRules(after);
  return { xml: head + data + tail, cells, missing, rules };
}

// ---------------------------------------------------------------- the note

/**
 * Cells as few ranges: rectangles grown from each cell not yet covered, in reading order,
 * across then down, or down then across, whichever needs fewer ("B1, C1:G3, F6").
 */
export function rangesOf(cells: readonly { row: number; column: number }[]): string[] {
  const key = (row: number, column: number) => `${row}:${column}`;
  const all = new Set(cells.map((c) => key(c.row, c.column)));
  const ordered = [...new Map(cells.map((c) => [key(c.row, c.column), c])).values()].sort((a, b) => a.row - b.row || a.column - b.column);
  const cover = (downFirst: boolean): Rect[] => {
    const taken = new Set<string>();
    const free = (row: number, column: number) => all.has(key(row, column)) && !taken.has(key(row, column));
    const rects: Rect[] = [];
    for (const c of ordered) {
      if (taken.has(key(c.row, c.column))) continue;
      const r = { top: c.row, left: c.column, bottom: c.row, right: c.column };
      const across = () => {
        while (Array.from({ length: r.bottom - r.top + 1 }, (_, i) => r.top + i).every((row) => free(row, r.right + 1))) r.right++;
      };
      const down = () => {
        while (Array.from({ length: r.right - r.left + 1 }, (_, j) => r.left + j).every((column) => free(r.bottom + 1, column))) r.bottom++;
      };
      if (downFirst) {
        down();
        across();
      } else {
        across();
        down();
      }
      for (let row = r.top; row <= r.bottom; row++) for (let column = r.left; column <= r.right; column++) taken.add(key(row, column));
      rects.push(r);
    }
    return rects;
  };
  // Fewer ranges first; between as many, the one with the larger block (a spilled table stays whole).
  const largest = (rects: Rect[]) => Math.max(0, ...rects.map((r) => (r.bottom - r.top + 1) * (r.right - r.left + 1)));
  const [a, b] = [cover(false), cover(true)];
  const best = b.length < a.length || (b.length === a.length && largest(b) > largest(a)) ? b : a;
  return best.sort((x, y) => x.top - y.top || x.left - y.left).map(rectAddress);
}

/** A list cut into lines of at most `max` characters (a cell holds 32,767). */
function lines(items: string[], max = 2000): string[] {
  const out: string[] = [];
  let line = "";
  for (const item of items) {
    if (line && line.length + item.length + 2 > max) {
      out.push(line);
      line = "";
    }
    line = line ? `${line}, ${item}` : item;
  }
  if (line) out.push(line);
  return out;
}

function noteSheetXml(rows: string[][]): string {
  const body = rows
    .map((cells, i) => {
      const r = i + 1;
      const content = cells.map((text, j) => (text === "" ? "" : `<c r="${cellAddress(r, j + 1)}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`)).join("");
      return `<row r="${r}">${content}</row>`;
    })
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<worksheet xmlns="${NS.main}" xmlns:r="${NS.r}"><cols><col min="1" max="1" width="24" customWidth="1"/><col min="2" max="2" width="90" customWidth="1"/></cols>` +
    `<sheetData>${body}</sheetData></worksheet>`
  );
}

// ---------------------------------------------------------------- the copy

/** The copy of an .xlsx for people without the add-in (see the file's comment). The bytes given are not changed. */
export async function portableCopy(xlsx: Uint8Array | ArrayBuffer, options: PortableCopyOptions): Promise<PortableCopy> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(xlsx);
  } catch (error) {
    throw new Error(`The workbook could not be read as an .xlsx file (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  const read = async (part: string) => {
    const file = zip.file(part);
    if (!file) throw new Error(`The workbook has no part ${part}: it is not an .xlsx file Lifetime can copy.`);
    return file.async("string");
  };
  const rootRels = relationships(await read("_rels/.rels"));
  const workbookPart = resolvePart("", rootRels.find((r) => r.type === NS.officeDocument)?.target ?? "xl/workbook.xml");
  const workbookRelsPart = relsOf(workbookPart);
  let workbookXml = await read(workbookPart);
  let workbookRels = await read(workbookRelsPart);
  let types = await read("[Content_Types].xml");
  const wp = prefixOf(workbookXml, "workbook");
  const rels = relationships(workbookRels);

  const sheetsXml = new RegExp(`<${wp}sheets\\b[^>]*>([\\s\\S]*?)</${wp}sheets>`).exec(workbookXml);
  const sheets = Array.from((sheetsXml?.[1] ?? "").matchAll(new RegExp(`<${wp}sheet\\b([^>]*?)/?>`, "g")), (m) => {
    const id = /\s(\w+):id\s*=\s*"([^"]*)"/.exec(m[1]!)?.[2] ?? "";
    const rel = rels.find((r) => r.id === id);
    return {
      name: attr(m[1]!, "name") ?? "",
      sheetId: Number(attr(m[1]!, "sheetId") ?? 0),
      part: rel && rel.type === NS.worksheet && !rel.external ? resolvePart(workbookPart, rel.target) : undefined,
    };
  });
  const sheetIndex = (name: string) => {
    const i = sheets.findIndex((s) => s.name.toLowerCase() === name.toLowerCase());
    return i < 0 ? undefined : i;
  };

  const nameElement = new RegExp(`<${wp}definedName\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${wp}definedName>)`, "g");
  const defined: NameDef[] = Array.from(workbookXml.matchAll(nameElement), (m) => {
    const local = attr(m[1]!, "localSheetId");
    return { name: attr(m[1]!, "name") ?? "", scope: local === undefined ? undefined : Number(local), formula: unescapeXml(m[2] ?? "") };
  });
  const names = new Names(defined, sheetIndex);

  // Each worksheet: formulas frozen, rules dropped.
  let frozen = 0;
  let rules = 0;
  const missing: string[] = [];
  const frozenSheets: { name: string; ranges: string[] }[] = [];
  for (const [index, sheet] of sheets.entries()) {
    if (!sheet.part || !zip.file(sheet.part)) continue;
    const xml = await read(sheet.part);
    const done = freezeSheet(xml, index, names);
    rules += done.rules;
    if (done.cells.length === 0 && done.rules === 0) continue;
    zip.file(sheet.part, done.xml);
    if (done.cells.length === 0) continue;
    frozen += done.cells.length;
    missing.push(...done.missing.map((a) => `${sheet.name}!${a}`));
    frozenSheets.push({ name: sheet.name, ranges: rangesOf(done.cells) });
  }

  // Names that call Lifetime are removed; nothing left reads them.
  const removedNames = [...names.lifetime].map((d) => d.name);
  if (names.lifetime.size > 0) {
    workbookXml = workbookXml.replace(nameElement, (whole, attributes: string, formula: string | undefined) => {
      const local = attr(attributes, "localSheetId");
      const d = defined.find((x) => x.name === (attr(attributes, "name") ?? "") && x.scope === (local === undefined ? undefined : Number(local)) && x.formula === unescapeXml(formula ?? ""));
      return d && names.lifetime.has(d) ? "" : whole;
    });
    workbookXml = workbookXml.replace(new RegExp(`<${wp}definedNames\\b[^>]*>\\s*</${wp}definedNames>`), "");
  }

  // A table column's formula, which Excel fills into a new row (and a totals row's), is kept in the table's part:
  // one that calls Lifetime goes, as a formula filled into a new row would show #NAME?. Its cells are frozen above.
  let tableFormulas = 0;
  for (const path of Object.keys(zip.files).filter((p) => /^xl\/tables\/[^/]+\.xml$/.test(p))) {
    const xml = await read(path);
    const out = xml.replace(/<((?:\w+:)?tableColumn)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/g, (whole, tag: string, attributes: string, inner: string | undefined) => {
      if (inner === undefined) return whole;
      let attrs = attributes;
      const body = inner.replace(/<((?:\w+:)?(calculatedColumnFormula|totalsRowFormula))\b[^>]*>([\s\S]*?)<\/\1>/g, (formula, _tag: string, kind: string, text: string) => {
        if (!names.callsLifetime(unescapeXml(text), undefined)) return formula;
        tableFormulas++;
        if (kind === "totalsRowFormula") attrs = withoutAttr(attrs, "totalsRowFunction");
        return "";
      });
      return body === inner ? whole : `<${tag}${attrs}>${body}</${tag}>`;
    });
    if (out !== xml) zip.file(path, out);
  }

  // The calculation chain would name cells that no longer hold formulas.
  const chain = rels.find((r) => r.type === NS.calcChain);
  if (chain) {
    zip.remove(resolvePart(workbookPart, chain.target));
    workbookRels = workbookRels.replace(new RegExp(`<(?:\\w+:)?Relationship\\b[^>]*?Id="${escapeRegExp(chain.id)}"[^>]*?/>`), "");
    types = types.replace(/<Override\b[^>]*?PartName="\/xl\/calcChain\.xml"[^>]*?\/>/, "");
  }

  // The note, a sheet of its own after the others (so no sheet's index, which names refer to, moves).
  const noteSheet = uniqueSheetName("About this copy", sheets.map((s) => s.name));
  const noteRows: string[][] = [
    ["About this copy"],
    ["", "A portable copy of a workbook that uses the Lifetime add-in, for people who do not have it."],
    ["Made", options.now],
    [
      "What changed",
      frozen === 0
        ? "No cell called Lifetime's functions: this copy holds the same cells as the original."
        : `${count(frozen, "cell")} that called Lifetime's functions now hold the value ${frozen === 1 ? "it" : "they"} had when the copy was made, as plain values, so the copy opens without the add-in and shows no #NAME?. ${frozen === 1 ? "It does" : "They do"} not recalculate.`,
    ],
    ["", "Every other formula is kept and recalculates as usual, over those values."],
    ["The original", "The original workbook is unchanged and keeps its formulas: open it with the Lifetime add-in to recalculate."],
  ];
  if (frozenSheets.length > 0) {
    noteRows.push([], ["Sheet", "Cells saved as values"]);
    for (const s of frozenSheets) lines(s.ranges).forEach((line, i) => noteRows.push([i === 0 ? s.name : "", line]));
  }
  if (missing.length > 0) {
    noteRows.push([]);
    lines(missing).forEach((line, i) => noteRows.push([i === 0 ? "No saved value" : "", i === 0 ? `These cells had never been computed, so there was no value to keep; they show #N/A: ${line}` : line]));
  }
  if (removedNames.length > 0) {
    noteRows.push([]);
    lines(removedNames).forEach((line, i) => noteRows.push([i === 0 ? "Names removed" : "", i === 0 ? `These names computed with Lifetime's functions and a file keeps no value for a name; the cells that used them hold their values: ${line}` : line]));
  }
  if (tableFormulas > 0) noteRows.push([], ["Table columns", `${count(tableFormulas, "table column formula")} that used Lifetime's functions ${tableFormulas === 1 ? "was" : "were"} removed: a row added to the table gets no formula there. The cells hold their values.`]);
  if (rules > 0) noteRows.push([], ["Rules removed", `${count(rules, "conditional format or data validation rule")} that used Lifetime's functions ${rules === 1 ? "was" : "were"} removed.`]);

  let part = 1;
  while (zip.file(`xl/worksheets/sheet${part}.xml`)) part++;
  const notePart = `xl/worksheets/sheet${part}.xml`;
  zip.file(notePart, noteSheetXml(noteRows));
  const usedIds = new Set(relationships(workbookRels).map((r) => r.id));
  let rid = 1;
  while (usedIds.has(`rId${rid}`)) rid++;
  const noteTarget = resolveRelative(workbookPart, notePart);
  workbookRels = workbookRels.replace(/<\/((?:\w+:)?Relationships)>/, `<Relationship Id="rId${rid}" Type="${NS.worksheet}" Target="${noteTarget}"/></$1>`);
  types = types.replace(/<\/((?:\w+:)?Types)>/, `<Override PartName="/${notePart}" ContentType="${WORKSHEET_CONTENT}"/></$1>`);
  const rPrefix = new RegExp(`xmlns:(\\w+)="${escapeRegExp(NS.r)}"`).exec(workbookXml)?.[1];
  const sheetId = Math.max(0, ...sheets.map((s) => s.sheetId)) + 1;
  const noteElement = `<${wp}sheet name="${escapeXml(noteSheet)}" sheetId="${sheetId}" ${rPrefix ? `${rPrefix}:id` : `xmlns:r="${NS.r}" r:id`}="rId${rid}"/>`;
  workbookXml = sheetsXml ? workbookXml.replace(`</${wp}sheets>`, `${noteElement}</${wp}sheets>`) : workbookXml;

  zip.file(workbookPart, workbookXml);
  zip.file(workbookRelsPart, workbookRels);
  zip.file("[Content_Types].xml", types);
  const extension = /macroEnabled\.main\+xml/.test(types) ? "xlsm" : "xlsx";
  const bytes = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
  return { bytes, frozen, sheets: frozenSheets.map((s) => s.name), missing, names: removedNames, rules, tableFormulas, noteSheet, extension };
}

/** A part's path relative to the folder of another (for a relationship's target). */
function resolveRelative(from: string, part: string): string {
  const base = from.split("/").slice(0, -1);
  const target = part.split("/");
  let common = 0;
  while (common < base.length && base[common] === target[common]) common++;
  return [...base.slice(common).map(() => ".."), ...target.slice(common)].join("/");
}

const count = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;

/** "2026-11-30 14:05", in the user's time zone: when the copy was made, for the note. */
export function copyTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** The copy's file name from the workbook's address or name: "…/Q3%20plan.xlsx" → "Q3 plan-portable.xlsx"; "Book" when there is none. */
export function portableFileName(source: string | null | undefined, extension: "xlsx" | "xlsm" = "xlsx"): string {
  let name = String(source ?? "").split(/[?#]/)[0]!.split(/[\\/]/).pop() ?? "";
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded: kept as it is.
  }
  name = name.replace(/\.(xlsx|xlsm|xlsb|xls|xltx|xltm)$/i, "").replace(/[\\/:*?"<>|\p{Cc}]/gu, " ").trim();
  return `${name || "Book"}-portable.${extension}`;
}
