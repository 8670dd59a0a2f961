// Offline checks of an add-in-only (XML) manifest: the parts of the Office validator that
// need no web service, plus the links between the manifest and the build. Returns a list of
// problems, each a sentence; an empty list means the manifest passes.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DOMParser } from "@xmldom/xmldom";

const LIMITS = { ShortStrings: 125, LongStrings: 250 };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const elements = (node, localName) => Array.from(node.getElementsByTagNameNS("*", localName));
const xsiType = (el) => el.getAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "type");

/** Width and height of a PNG file, read from its IHDR chunk. */
export function pngSize(file) {
  const bytes = readFileSync(file);
  if (bytes.length < 24 || bytes.toString("latin1", 1, 4) !== "PNG") return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * @param {string} xml the manifest's text
 * @param {{ distDir?: string, namespace?: string }} options distDir: the build to check the
 *   development URLs (https://localhost:PORT/...) against; namespace: the expected one.
 * @returns {string[]} problems found
 */
export function checkManifest(xml, options = {}) {
  const problems = [];
  const parseErrors = [];
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") parseErrors.push(String(message).split("\n")[0]);
      },
    }).parseFromString(xml, "text/xml");
  } catch (error) {
    parseErrors.push(String(error?.message ?? error).split("\n")[0]);
  }
  if (parseErrors.length > 0 || !doc?.documentElement) return [`the XML is not well formed: ${parseErrors[0] ?? "no root element"}`];

  const root = doc.documentElement;
  if (root.localName !== "OfficeApp") problems.push(`the root element is ${root.localName}, not OfficeApp`);
  if (xsiType(root) !== "TaskPaneApp") problems.push(`OfficeApp xsi:type is "${xsiType(root)}", not "TaskPaneApp"`);
  const text = (name) => elements(root, name)[0]?.textContent?.trim() ?? "";
  if (!GUID.test(text("Id"))) problems.push(`Id "${text("Id")}" is not a GUID`);
  if (!/^\d+(\.\d+){0,3}$/.test(text("Version"))) problems.push(`Version "${text("Version")}" is not n.n.n.n`);
  for (const name of ["ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl", "SupportUrl"]) {
    if (elements(root, name).length === 0) problems.push(`${name} is missing`);
  }
  if (!elements(root, "Host").some((h) => h.getAttribute("Name") === "Workbook" || xsiType(h) === "Workbook")) {
    problems.push("no Workbook host: this is not an Excel add-in");
  }

  // Resources: each id defined once, each resid defined, strings within the length limits.
  const resources = new Map();
  for (const el of elements(root, "Resources").flatMap((r) => Array.from(r.getElementsByTagNameNS("*", "*")))) {
    const id = el.getAttribute("id");
    if (!id) continue;
    if (resources.has(id)) problems.push(`resource id "${id}" is defined twice`);
    const group = el.parentNode?.localName ?? "";
    resources.set(id, { group, value: el.getAttribute("DefaultValue") ?? "", size: undefined });
    const limit = LIMITS[group];
    if (limit && (el.getAttribute("DefaultValue") ?? "").length > limit) problems.push(`${group} "${id}" is longer than ${limit} characters`);
  }
  const used = new Set();
  for (const el of elements(root, "*")) {
    const resid = el.getAttribute("resid");
    if (resid === null || resid === "") continue;
    used.add(resid);
    const resource = resources.get(resid);
    if (!resource) {
      problems.push(`${el.localName} refers to resid "${resid}", which no resource defines`);
      continue;
    }
    if (el.localName === "Image" && el.getAttribute("size")) resource.size = Number(el.getAttribute("size"));
  }
  for (const id of resources.keys()) if (!used.has(id)) problems.push(`resource "${id}" is defined but never used`);

  // URLs: https everywhere; development URLs must point at files the build writes.
  const urls = [];
  for (const el of elements(root, "*")) {
    const value = el.getAttribute("DefaultValue");
    if (value && /^[a-z]+:\/\//i.test(value)) urls.push({ where: el.getAttribute("id") ?? el.localName, value, size: resources.get(el.getAttribute("id") ?? "")?.size });
  }
  for (const { where, value } of urls) if (!value.startsWith("https://")) problems.push(`${where} is not an https URL: ${value}`);

  // The custom functions extension point and its namespace.
  const cf = elements(root, "ExtensionPoint").find((e) => xsiType(e) === "CustomFunctions");
  if (!cf) problems.push("no CustomFunctions extension point");
  else {
    for (const part of ["Script", "Page", "Metadata"]) {
      const source = elements(cf, part)[0] && elements(elements(cf, part)[0], "SourceLocation")[0];
      if (!source) problems.push(`the CustomFunctions extension point has no ${part} SourceLocation`);
    }
    const namespace = resources.get(elements(cf, "Namespace")[0]?.getAttribute("resid") ?? "")?.value;
    if (!namespace) problems.push("the CustomFunctions extension point has no Namespace");
    else if (options.namespace && namespace !== options.namespace) problems.push(`the namespace is "${namespace}", not "${options.namespace}"`);
  }
  if (!elements(root, "Control").some((c) => elements(c, "Action").some((a) => xsiType(a) === "ShowTaskpane"))) {
    problems.push("no ribbon button opens the task pane");
  }

  if (options.distDir) {
    for (const { where, value, size } of urls) {
      const url = new URL(value);
      if (url.hostname !== "localhost") continue;
      const file = path.join(options.distDir, decodeURIComponent(url.pathname));
      if (!existsSync(file)) {
        problems.push(`${where} points at ${url.pathname}, which the build did not write (${path.relative(process.cwd(), file)})`);
        continue;
      }
      if (file.endsWith(".png")) {
        const actual = pngSize(file);
        const wanted = size ?? (where === "IconUrl" ? 32 : where === "HighResolutionIconUrl" ? 64 : undefined);
        if (!actual) problems.push(`${where}: ${url.pathname} is not a PNG file`);
        else if (wanted && (actual.width !== wanted || actual.height !== wanted)) {
          problems.push(`${where}: ${url.pathname} is ${actual.width}×${actual.height}, not ${wanted}×${wanted}`);
        }
      }
    }
  }
  return problems;
}
