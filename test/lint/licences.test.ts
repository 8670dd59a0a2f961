import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

/**
 * What the project ships is MIT-compatible: every production dependency carries a licence
 * the project can ship (the preview's formula engine is the project's own, over formulajs,
 * MIT). The preview is a development tool, built beside the add-in but neither in the npm
 * package nor loaded by the add-in's pages.
 */
const ROOT = path.resolve(__dirname, "../..");
const packed = (): string[] => {
  const json = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return (JSON.parse(json) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
};

describe("licences of what ships", () => {
  it("the npm package holds the add-in and the command line, not the preview", () => {
    const files = packed();
    assert.ok(files.includes("dist/functions.js") && files.includes("dist/taskpane.js") && files.includes("dist/cli/lifetime.cjs"), files.join(", "));
    assert.deepEqual(files.filter((f) => /preview/.test(f)), []);
  });

  it("the add-in's pages load none of the preview's scripts", () => {
    for (const page of ["taskpane.html", "functions.html", "commands.html"]) {
      const scripts = Array.from(readFileSync(path.join(ROOT, "dist", page), "utf8").matchAll(/<script[^>]*src="([^"]+)"/g), (m) => m[1]!);
      assert.deepEqual(scripts.filter((s) => /preview/.test(s)), [], page);
    }
  });

  it("every production dependency installed carries a licence the project can ship", () => {
    const tree = JSON.parse(execFileSync("npm", ["ls", "--omit=dev", "--all", "--json", "--long"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] })) as Dependency;
    const found = new Map<string, string>();
    const walk = (d: Dependency) => {
      for (const [name, child] of Object.entries(d.dependencies ?? {})) {
        if (found.has(name)) continue;
        found.set(name, licenceOf(child));
        walk(child);
      }
    };
    walk(tree);
    // Known: buffers 0.1.1 states no licence and is reached only through exceljs (unzipper → binary),
    // which the command line requires at run time and no bundle holds.
    const known = new Set(["buffers"]);
    const doubtful = [...found].filter(([name, licence]) => /GPL|AGPL|SSPL|none|UNLICENSED/i.test(licence) && !/MIT|Apache|BSD/i.test(licence) && !known.has(name));
    assert.deepEqual(doubtful, []);
    // (That the command line's bundle leaves exceljs out, requiring it, is tested in test/cli.)
  });
});

interface Dependency {
  license?: unknown;
  path?: string;
  dependencies?: Record<string, Dependency>;
}

/**
 * A package's licence as npm reports it, or from the older `licenses` list of its
 * package.json (jstat's, under formulajs), which npm ls leaves out.
 */
function licenceOf(d: Dependency): string {
  if (typeof d.license === "string") return d.license;
  if (d.license !== undefined) return JSON.stringify(d.license);
  if (d.path && existsSync(path.join(d.path, "package.json"))) {
    const manifest = JSON.parse(readFileSync(path.join(d.path, "package.json"), "utf8")) as { licenses?: { type?: string }[] };
    const types = (manifest.licenses ?? []).map((l) => l.type).filter((t): t is string => typeof t === "string");
    if (types.length > 0) return types.join(" OR ");
  }
  return "none";
}
