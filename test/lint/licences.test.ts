import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

/**
 * What the project ships is MIT-compatible: the npm package and the add-in's own pages hold
 * no GPL code. The preview (a development tool, computed by HyperFormula under its GPLv3
 * licence) is built beside them but is neither in the package nor loaded by the add-in.
 */
const ROOT = path.resolve(__dirname, "../..");
const packed = (): string[] => {
  const json = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return (JSON.parse(json) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
};
const hasHyperFormula = (file: string) => /hyperformula|HyperFormula/.test(readFileSync(path.join(ROOT, file), "utf8"));

describe("licences of what ships", () => {
  it("the npm package holds no preview and no file with HyperFormula's code", () => {
    const files = packed();
    assert.ok(files.includes("dist/functions.js") && files.includes("dist/taskpane.js") && files.includes("dist/cli/lifetime.cjs"), files.join(", "));
    assert.deepEqual(files.filter((f) => /preview/.test(f)), []);
    assert.deepEqual(files.filter((f) => /\.(js|cjs)$/.test(f) && hasHyperFormula(f)), []);
  });

  it("the add-in's pages load no script with HyperFormula's code", () => {
    for (const page of ["taskpane.html", "functions.html", "commands.html"]) {
      const scripts = Array.from(readFileSync(path.join(ROOT, "dist", page), "utf8").matchAll(/<script[^>]*src="([^"]+)"/g), (m) => m[1]!);
      for (const script of scripts.filter((s) => !/^https?:/.test(s))) assert.equal(hasHyperFormula(path.join("dist", script)), false, `${page}: ${script}`);
    }
  });

  it("every production dependency installed carries a licence the project can ship", () => {
    const tree = JSON.parse(execFileSync("npm", ["ls", "--omit=dev", "--all", "--json", "--long"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] })) as Dependency;
    const found = new Map<string, string>();
    const walk = (d: Dependency) => {
      for (const [name, child] of Object.entries(d.dependencies ?? {})) {
        if (found.has(name)) continue;
        found.set(name, typeof child.license === "string" ? child.license : JSON.stringify(child.license ?? "none"));
        walk(child);
      }
    };
    walk(tree);
    // Known, and not in any bundle we ship: HyperFormula is the preview's engine (GPLv3 or commercial),
    // kept out of the package and the add-in's pages (above); buffers 0.1.1 states no licence and is
    // reached only through exceljs (unzipper → binary), which the command line requires at run time.
    const known = new Set(["hyperformula", "buffers"]);
    const doubtful = [...found].filter(([name, licence]) => /GPL|AGPL|SSPL|none|UNLICENSED/i.test(licence) && !/MIT|Apache|BSD/i.test(licence) && !known.has(name));
    assert.deepEqual(doubtful, []);
    // (That the command line's bundle leaves exceljs out, requiring it, is tested in test/cli.)
  });
});

interface Dependency {
  license?: unknown;
  dependencies?: Record<string, Dependency>;
}
