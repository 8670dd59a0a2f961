import assert from "node:assert/strict";
import { describe, it } from "node:test";
import JSZip from "jszip";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { assumedParams } from "../../../src/models/cohort/assumptions";
import { buildCohortPlan, cohortFitBand, type CohortFit, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { cellAddress, parseAddress, type WorkbookPlan } from "../../../src/models/plan";
import { ECONOMICS, triangle } from "../../support/cohorts";

/**
 * The fit's 90% band in the cohort workbook: values beside α, β, the CLV and the equity,
 * dated by the fit, named, and without moving or changing any cell the model had before.
 */
const settings: CohortModelSettings = { ...ECONOMICS, horizon: 36, cohorts: triangle(8, 900, 0.9, 2.2, 10) };
const sbg = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
const fit: CohortFit = { alpha: sbg.params.alpha, beta: sbg.params.beta, logLikelihood: sbg.logLikelihood, fittedOn: "2026-11-30" };
const band = cohortFitBand(settings, sbg)!;

/** Every cell a plan writes, and what it writes there. */
function cells(plan: WorkbookPlan): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of plan.sheets[0]!.writes) {
    const { row, column } = parseAddress(w.at);
    const put = (i: number, j: number, content: unknown) => out.set(cellAddress(row + i, column + j), JSON.stringify([content, w.numberFormat, w.style, w.text]));
    w.values?.forEach((r, i) => r.forEach((v, j) => put(i, j, v)));
    w.formulas?.forEach((r, i) => r.forEach((f, j) => f !== null && put(i, j, f)));
    if (w.fill) for (let i = 0; i < w.fill.rows; i++) for (let j = 0; j < w.fill.columns; j++) put(i, j, w.fill.formula);
  }
  return out;
}

const valueAt = (plan: WorkbookPlan, address: string) => JSON.parse(cells(plan).get(address) ?? "[null]")[0] as unknown;

describe("the cohort workbook's 90% band", () => {
  const without = buildCohortPlan(settings, fit).plan;
  const withBand = buildCohortPlan(settings, { ...fit, band }).plan;

  it("writes the band as given, as values, beside alpha, beta, the CLV and the equity", () => {
    const expected: [string, number][] = [
      ["C14", band.alpha.low],
      ["D14", band.alpha.high],
      ["C15", band.beta.low],
      ["D15", band.beta.high],
      ["C20", band.clvNewCustomer.low],
      ["D20", band.clvNewCustomer.high],
      ["C21", band.customerEquity.low],
      ["D21", band.customerEquity.high],
    ];
    for (const [address, value] of expected) assert.equal(valueAt(withBand, address), value, address);
    for (const row of [4, 19]) {
      assert.equal(valueAt(withBand, `C${row}`), "Low (90%)");
      assert.equal(valueAt(withBand, `D${row}`), "High (90%)");
    }
    assert.match(String(valueAt(withBand, "E19")), /^90% interval \(from the fit, 2026-11-30\)/);
    assert.match(String(valueAt(withBand, "C16")), /^↑ 90% interval \(from the fit, 2026-11-30\)/);
    assert.ok(band.clvNewCustomer.low > 0 && band.clvNewCustomer.low < band.clvNewCustomer.high);
  });

  it("moves and changes no cell of the model, and writes only into cells it left empty", () => {
    const before = cells(without);
    const after = cells(withBand);
    for (const [address, content] of before) assert.equal(after.get(address), content, address);
    const added = [...after.keys()].filter((a) => !before.has(a)).sort();
    assert.deepEqual(added, ["C14", "C15", "C16", "C19", "C20", "C21", "C4", "D14", "D15", "D19", "D20", "D21", "D4", "E19"]);
    const key = (n: { name: string; ref: string }) => `${n.name}=${n.ref}`;
    const addedNames = withBand.sheets[0]!.names.map(key).filter((k) => !without.sheets[0]!.names.map(key).includes(k));
    assert.ok(without.sheets[0]!.names.every((n) => withBand.sheets[0]!.names.map(key).includes(key(n))), "every name of the model stays as it was");
    assert.deepEqual(addedNames.map((k) => k.split("=")[0]).sort(), ["Band_CLV_High", "Band_CLV_Low", "Band_Equity_High", "Band_Equity_Low"]);
  });

  it("names the CLV's and the equity's ends, scoped to the model's sheet", async () => {
    const names = Object.fromEntries(withBand.sheets[0]!.names.map((n) => [n.name, n.ref]));
    assert.deepEqual(
      { low: names.Band_CLV_Low, high: names.Band_CLV_High, equityLow: names.Band_Equity_Low, equityHigh: names.Band_Equity_High },
      { low: "$C$20", high: "$D$20", equityLow: "$C$21", equityHigh: "$D$21" },
    );
    const workbook = await (await JSZip.loadAsync(await writeXlsx(withBand))).file("xl/workbook.xml")!.async("string");
    for (const name of ["Band_CLV_Low", "Band_CLV_High", "Band_Equity_Low", "Band_Equity_High"]) {
      assert.match(workbook, new RegExp(`<definedName name="${name}" localSheetId="0">(&apos;|')Cohort model(&apos;|')!\\$[CD]\\$2[01]</definedName>`));
    }
  });

  it("is the band of the model the plan builds: it holds the plan's own CLV and equity", () => {
    const { model } = buildCohortPlan(settings, fit);
    assert.ok(band.clvNewCustomer.low < model.clvNewCustomer && model.clvNewCustomer < band.clvNewCustomer.high);
    assert.ok(band.customerEquity.low < model.customerEquity && model.customerEquity < band.customerEquity.high);
  });

  it("writes no band for assumed parameters, nor without one", () => {
    const assumed = buildCohortPlan(settings, { ...assumedParams({ kind: "constant", retention: 0.85 }), logLikelihood: undefined, fittedOn: "assumptions", band }).plan;
    for (const plan of [assumed, without]) {
      assert.ok(!plan.sheets[0]!.names.some((n) => n.name.startsWith("Band_")));
      for (const address of ["C4", "C14", "D20", "E19"]) assert.equal(cells(plan).has(address), false, address);
    }
    assert.equal(cohortFitBand(settings, { ...sbg, standardErrors: undefined }), undefined);
  });
});
