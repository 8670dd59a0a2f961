import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

/** The lint rules that hold the seams between layers actually fire. */
const eslint = new ESLint({ cwd: path.resolve(__dirname, "../..") });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(__dirname, "../..", file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe("layer rules", () => {
  it("keep Excel, Office and CustomFunctions out of src/core", async () => {
    assert.ok((await ruleIds("src/core/probe.ts", "export const f = () => Excel.run(async () => {});\n")).includes("no-restricted-globals"));
    assert.ok((await ruleIds("src/core/probe.ts", "export const f = () => Office.onReady();\n")).includes("no-restricted-globals"));
    assert.ok((await ruleIds("src/core/probe.ts", "export const e = new CustomFunctions.Error();\n")).includes("no-restricted-globals"));
    assert.ok((await ruleIds("src/core/probe.ts", "export type R = Excel.Range;\n")).includes("no-restricted-syntax"));
  });
  it("keep React, the DOM and the upper layers out of src/core", async () => {
    assert.ok((await ruleIds("src/core/probe.ts", 'import { useState } from "react";\nexport const s = useState;\n')).includes("no-restricted-imports"));
    assert.ok((await ruleIds("src/core/probe.ts", 'import { ltvClv } from "../functions/clv";\nexport const f = ltvClv;\n')).includes("no-restricted-imports"));
    assert.ok((await ruleIds("src/core/probe.ts", "export const w = () => document.title;\n")).includes("no-restricted-globals"));
  });
  it("keep Office calls out of src/models", async () => {
    assert.ok((await ruleIds("src/models/probe.ts", "export const f = () => Excel.run(async () => {});\n")).includes("no-restricted-globals"));
  });
  it("allow Office.js in src/host and a clean core file", async () => {
    assert.deepEqual(await ruleIds("src/host/probe.ts", "export const f = () => Excel.run(async () => {});\n"), []);
    assert.deepEqual(await ruleIds("src/core/probe.ts", "export const square = (x: number): number => x * x;\n"), []);
  });
});
