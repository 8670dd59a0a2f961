import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import JSZip from "jszip";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { assumedCohorts, assumedParams } from "../../../src/models/cohort/assumptions";
import { buildCohortPlan, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { ECONOMICS, triangle } from "../../support/cohorts";
import { readValues, recalculateWithLibreOffice, type ReadCell } from "../../support/libreoffice";

/**
 * The cohort model's formulas, computed by a real spreadsheet engine: each plan is written
 * to .xlsx, recalculated by LibreOffice Calc on load, and every formula cell compared with
 * the core's value for it (1e-9 relative).
 */
const base = { ...ECONOMICS, horizon: 24 };

const cases: [string, CohortModelSettings][] = [
  [
    "a ragged triangle, a label that looks like a formula",
    {
      ...base,
      cohorts: [
        { label: "2025-01", customers: 1000, survivors: [631, 468, 382, 326, 289, 262, 241] },
        { label: "2025-02", customers: 800, survivors: [505, 374, 306, 261] },
        { label: "=SUM(A1:A9)", customers: 600, survivors: [379, 281] },
      ],
    },
  ],
  ["a single cohort, margins at the end of each period", { ...base, timing: "end", period: "year", horizon: 10, cohorts: [{ label: "Regular", customers: 1000, survivors: [631, 468, 382, 326, 289, 262, 241] }] }],
  ["no acquisition cost, quarterly, a sensitivity step of 25%", { ...base, cac: 0, period: "quarter", horizon: 8, tornadoStep: 0.25, cohorts: triangle(6, 500, 0.9, 2.5, 6) }],
  ["a payback beyond the horizon", { ...base, cac: 5000, horizon: 6, cohorts: triangle(4, 300, 1.2, 1.5, 5) }],
  ["twelve cohorts over a year", { ...base, horizon: 36, cohorts: triangle(12, 1200, 0.7, 1.9, 12) }],
  [
    "assumptions: ten cohorts of 500 at a constant 85% retention",
    { ...base, horizon: 24, cohorts: assumedCohorts({ kind: "assumptions", cohorts: 10, customersPerCohort: 500, curve: { kind: "constant", retention: 0.85 } }) },
  ],
];

/** The sBG fitted to the cases' data; for the assumptions case, the assumed curve. */
const ASSUMED = new Set([cases.length - 1]);

let results: { name: string; expected: Map<string, number | string>; values: Map<string, ReadCell>; xlsx: Uint8Array }[] = [];

before(async () => {
  const built = await Promise.all(
    cases.map(async ([name, settings], index) => {
      const params = ASSUMED.has(index)
        ? { ...assumedParams({ kind: "constant", retention: 0.85 }), logLikelihood: undefined }
        : (() => {
            const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
            return { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood };
          })();
      const { plan, expected } = buildCohortPlan(settings, { ...params, fittedOn: "2026-11-24" }, { withExpected: true });
      return { name, expected, xlsx: await writeXlsx(plan) };
    }),
  );
  const files = recalculateWithLibreOffice(built.map((b) => b.xlsx));
  results = await Promise.all(built.map(async (b, i) => ({ ...b, values: await readValues(files[i]!, "Cohort model") })));
});

describe("cohort model workbooks recalculated by LibreOffice Calc", { timeout: 600_000 }, () => {
  cases.forEach(([name], index) => {
    it(`${name}: every formula cell equals the core`, () => {
      const { expected, values } = results[index]!;
      assert.ok(expected.size > 50, `only ${expected.size} cells checked`);
      const wrong: string[] = [];
      for (const [address, want] of expected) {
        const got = values.get(address);
        const ok =
          typeof want === "number"
            ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want))
            : got === want;
        if (!ok) wrong.push(`${address}: expected ${want}, LibreOffice computed ${JSON.stringify(got)}`);
      }
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${expected.size} cells differ`);
    });
  });

  it("keeps a user's label that starts with = as text, never a formula", () => {
    const values = results[0]!.values;
    assert.ok([...values.values()].includes("=SUM(A1:A9)"));
  });

  it("defines Alpha, Beta, LogLikelihood, CLV_NewCustomer and CustomerEquity scoped to the model's sheet", async () => {
    const zip = await JSZip.loadAsync(results[0]!.xlsx);
    const workbook = await zip.file("xl/workbook.xml")!.async("string");
    for (const name of ["Alpha", "Beta", "LogLikelihood", "CLV_NewCustomer", "CustomerEquity"]) {
      assert.match(workbook, new RegExp(`<definedName name="${name}" localSheetId="0">(&apos;|')Cohort model(&apos;|')!\\$B\\$\\d+</definedName>`));
    }
  });
});

describe("cohort model formulas", () => {
  it("use only functions that Excel 2016, Excel on the web and LibreOffice 7.4 all compute", () => {
    const [, settings] = cases[4]!;
    const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
    const { plan } = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" });
    const allowed = new Set(["IF", "INDEX", "MATCH", "ABS", "ROUND", "SUM", "SUMPRODUCT", "COUNT", "COUNTA", "COUNTIF", "NA", "ISNUMBER", "ISBLANK", "AND", "OR", "INT", "MAX", "COLUMN", "ROW"]);
    const used = new Set<string>();
    for (const write of plan.sheets[0]!.writes) {
      for (const row of write.formulas ?? []) for (const f of row) for (const m of (f ?? "").matchAll(/([A-Z][A-Z0-9.]*)\(/g)) used.add(m[1]!);
    }
    assert.deepEqual([...used].filter((f) => !allowed.has(f)), []);
  });
});

describe("cohort model charts", () => {
  it("keep to Excel's 255 series a chart: beyond 250 cohorts, the latest 250, said in the title", () => {
    const cohorts = Array.from({ length: 300 }, (_, i) => ({ label: `C${i + 1}`, customers: 100, survivors: [60] }));
    const settings: CohortModelSettings = { cohorts, revenue: 10, margin: 0.5, cac: 20, annualDiscount: 0.1, period: "month", horizon: 12, timing: "start" };
    const { plan } = buildCohortPlan(settings, { ...assumedParams({ kind: "constant", retention: 0.6 }), logLikelihood: undefined, fittedOn: "" });
    for (const chart of plan.sheets[0]!.charts) assert.ok(chart.series.length <= 250, `${chart.title}: ${chart.series.length}`);
    const cake = plan.sheets[0]!.charts.find((c) => c.kind === "areaStacked")!;
    assert.equal(cake.series[0]!.name, "C51");
    assert.equal(cake.series.at(-1)!.name, "C300");
    assert.match(cake.title, /the latest 250 cohorts/);
  });
});
