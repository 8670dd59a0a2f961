import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
// @ts-expect-error -- a plain ES module script, checked by its tests rather than by tsc
import { checkManifest } from "../../scripts/manifest-checks.mjs";

const ROOT = path.resolve(__dirname, "../..");
const manifest = readFileSync(path.join(ROOT, "manifest.xml"), "utf8");
const check = (xml: string): string[] => checkManifest(xml, { distDir: path.join(ROOT, "dist"), namespace: "LTV" });

describe("manifest checks (npm run validate)", () => {
  it("pass the project's manifest against the build", () => {
    assert.deepEqual(check(manifest), []);
  });
  it("catch XML that is not well formed", () => {
    assert.match(check(manifest.replace("</Hosts>", "</Hots>"))[0]!, /not well formed/);
  });
  it("catch a resid that no resource defines", () => {
    assert.ok(check(manifest.replace('resid="Taskpane.Url"', 'resid="Taskpane.Missing"')).some((p) => /Taskpane.Missing.*no resource defines/.test(p)));
  });
  it("catch an http URL and a URL the build does not write", () => {
    assert.ok(check(manifest.replace("https://localhost:3000/taskpane.html", "http://localhost:3000/taskpane.html")).some((p) => /not an https URL/.test(p)));
    assert.ok(check(manifest.replace("/functions.json", "/functions-meta.json")).some((p) => /did not write/.test(p)));
  });
  it("catch an icon of the wrong size, a wrong namespace and a long string", () => {
    assert.ok(check(manifest.replace('assets/icon-80.png"', 'assets/icon-64.png"')).some((p) => /is 64×64, not 80×80/.test(p)));
    assert.ok(check(manifest.replace('DefaultValue="LTV"', 'DefaultValue="CLV"')).some((p) => /namespace is "CLV"/.test(p)));
    assert.ok(check(manifest.replace('DefaultValue="Lifetime is ready"', `DefaultValue="${"x".repeat(126)}"`)).some((p) => /longer than 125/.test(p)));
  });
});
