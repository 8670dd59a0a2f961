import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";

/**
 * Recalculates .xlsx files in LibreOffice Calc, headless, returning the recalculated copies. A fresh
 * profile sets the OOXML recalculation mode to "always" (0): by default LibreOffice keeps
 * the cached values of an .xlsx, and the files under test have none.
 */
export function recalculateWithLibreOffice(files: Uint8Array[]): string[] {
  return convertWithLibreOffice(files, "xlsx");
}

/** Opens .xlsx files in LibreOffice Calc, headless (recalculating them), and saves them in another format ("xlsx", "ods"). */
export function convertWithLibreOffice(files: Uint8Array[], format: string): string[] {
  const work = mkdtempSync(path.join(os.tmpdir(), "lifetime-lo-"));
  const profile = path.join(work, "profile");
  mkdirSync(path.join(profile, "user"), { recursive: true });
  writeFileSync(
    path.join(profile, "user", "registrymodifications.xcu"),
    `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
  );
  const inputs = files.map((buffer, i) => {
    const input = path.join(work, `model-${i}.xlsx`);
    writeFileSync(input, buffer);
    return input;
  });
  const out = path.join(work, "out");
  // One LibreOffice start for all files: starting it costs seconds, converting a file far less.
  execFileSync("soffice", ["--headless", "--norestore", `-env:UserInstallation=file://${profile}`, "--convert-to", format, "--outdir", out, ...inputs], {
    stdio: "pipe",
    timeout: 300_000,
  });
  return inputs.map((input) => path.join(out, path.basename(input).replace(/\.xlsx$/, `.${format}`)));
}

export type ReadCell = number | string | boolean | null | { error: string };

/**
 * Every cell of a sheet, by A1 address, as the file stores its value (for a formula, the
 * value LibreOffice computed). Read from the sheet's XML directly: exceljs drops a
 * formula's cached result when it is 0.
 */
export async function readValues(file: string, sheetName: string): Promise<Map<string, ReadCell>> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const workbookXml = await zip.file("xl/workbook.xml")!.async("string");
  const relsXml = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
  const sheetMatch = new RegExp(`<sheet [^>]*name="${escapeXml(sheetName)}"[^>]*r:id="([^"]+)"`).exec(workbookXml);
  if (!sheetMatch) throw new Error(`no sheet ${sheetName} in ${file}`);
  const target = new RegExp(`<Relationship [^>]*Id="${sheetMatch[1]}"[^>]*Target="([^"]+)"`).exec(relsXml)?.[1]
    ?? new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${sheetMatch[1]}"`).exec(relsXml)?.[1];
  const sheetXml = await zip.file(`xl/${target!.replace(/^\/?xl\//, "")}`)!.async("string");
  const sharedXml = (await zip.file("xl/sharedStrings.xml")?.async("string")) ?? "";
  const shared = Array.from(sharedXml.matchAll(/<si>([\s\S]*?)<\/si>/g), (m) => unescapeXml(Array.from(m[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g), (t) => t[1]).join("")));
  const cells = new Map<string, ReadCell>();
  for (const m of sheetXml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const [, address, attributes, inner] = m;
    const type = /t="([^"]+)"/.exec(attributes!)?.[1] ?? "n";
    const raw = inner ? /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] : undefined;
    const inline = inner ? /<is>[\s\S]*?<t[^>]*>([\s\S]*?)<\/t>/.exec(inner)?.[1] : undefined;
    let value: ReadCell = null;
    if (type === "s" && raw !== undefined) value = shared[Number(raw)] ?? null;
    else if (type === "str" && raw !== undefined) value = unescapeXml(raw);
    else if (type === "inlineStr") value = unescapeXml(inline ?? "");
    else if (type === "b" && raw !== undefined) value = raw === "1";
    else if (type === "e" && raw !== undefined) value = { error: raw };
    else if (raw !== undefined) value = Number(raw);
    cells.set(address!, value);
  }
  return cells;
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
const unescapeXml = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
