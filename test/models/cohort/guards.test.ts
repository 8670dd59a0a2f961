import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { readFileSync } from "node:fs";
import JSZip from "jszip";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { buildCohortPlan, type CohortFit, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { parseAddress, VALIDATION_MESSAGE_MAX, VALIDATION_TITLE_MAX, type CellContent } from "../../../src/models/plan";
import { ECONOMICS, triangle } from "../../support/cohorts";
import { readValues, recalculateWithLibreOffice, type ReadCell } from "../../support/libreoffice";
import { withCell } from "../../support/plans";

/**
 * A written cohort model guards itself: every input set in turn to a value outside its
 * domain (and the horizon above the one built), the workbook recalculated by LibreOffice
 * Calc, and every result cell must be an error, with the check cell saying what to fix;
 * a value the sheet accepts gives the numbers the core computes for it.
 */
const settings: CohortModelSettings = { ...ECONOMICS, horizon: 36, cohorts: triangle(6, 800, 0.9, 2.2, 8) };
const sbg = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
const fit: CohortFit = { alpha: sbg.params.alpha, beta: sbg.params.beta, logLikelihood: sbg.logLikelihood, fittedOn: "2026-11-30" };
const base = buildCohortPlan(settings, fit, { withExpected: true });
const sheet = base.plan.sheets[0]!;
/** Where a user edits each input: the scenario table's base column (G) for those scenarios override, else column B. */
const inUse = Object.fromEntries(sheet.names.filter((n) => /^\$B\$\d+$/.test(n.ref)).map((n) => [n.name, n.ref.replace(/\$/g, "")]));
const overridden = new Set(["Revenue", "Margin", "CAC", "AnnualDiscount", "Horizon", "Timing"]);
const inputRow = Object.fromEntries(Object.entries(inUse).map(([name, at]) => [name, overridden.has(name) ? at.replace("B", "G") : at]));
const firstCount = sheet.writes.find((w) => Array.isArray(w.values?.[0]) && w.values![0]![0] === 800 && w.at.startsWith("B"))!.at; // the first cohort's size
const labels = new Set(settings.cohorts.map((c) => c.label));
/** Every formula cell but the check itself and the copies of cohort labels: the results. */
const notResults = new Set(["B18", "C3", ...Object.values(inUse)]); // the check, the scenario's index, the inputs in use
const resultCells = [...base.expected.entries()].filter(([address, v]) => !notResults.has(address) && !(typeof v === "string" && labels.has(v))).map(([a]) => a);

/** The cell of a cohort's count: period 0 is its size (column B), period t its survivors after t periods. */
const countAt = (cohort: number, period: number) => `${String.fromCharCode("B".charCodeAt(0) + period)}${parseAddress(firstCount).row + cohort}`;

const refused: [string, string, CellContent, RegExp][] = [
  ["Revenue below 0", inputRow.Revenue!, -1, /Revenue must be an amount/],
  ["Revenue as text", inputRow.Revenue!, "fifty", /Revenue must be an amount/],
  ["Margin of 70 (meaning 70%)", inputRow.Margin!, 70, /Margin must be a fraction from 0 to 1/],
  ["Margin below 0", inputRow.Margin!, -0.1, /Margin must be a fraction/],
  ["CAC below 0", inputRow.CAC!, -5, /CAC must be an amount/],
  ["AnnualDiscount of -1", inputRow.AnnualDiscount!, -1, /AnnualDiscount must be a yearly rate/],
  ["AnnualDiscount of 10 (meaning 10%)", inputRow.AnnualDiscount!, 10, /AnnualDiscount must be a yearly rate/],
  ["PeriodsPerYear of 0", inputRow.PeriodsPerYear!, 0, /PeriodsPerYear must be a whole number from 1 to 365/],
  ["PeriodsPerYear of 2.5", inputRow.PeriodsPerYear!, 2.5, /PeriodsPerYear must be a whole number/],
  ["Horizon above the one built", inputRow.Horizon!, 60, /Horizon is above the 36 months this sheet was built for: rebuild/],
  ["Horizon of 0", inputRow.Horizon!, 0, /Horizon must be a whole number of periods/],
  ["Horizon of 12.5", inputRow.Horizon!, 12.5, /Horizon must be a whole number of periods/],
  ["Timing of middle", inputRow.Timing!, "middle", /Timing must be “start” or “end”/],
  ["Alpha of 0", inputRow.Alpha!, 0, /Alpha must be a number above 0/],
  ["Beta below 0", inputRow.Beta!, -2, /Beta must be a number above 0/],
  ["a cohort of 0 customers", countAt(2, 0), 0, /every cohort needs its number of customers/],
  ["a count below 0", countAt(0, 3), -3, /a count of customers is below 0/],
  ["a count as text", countAt(1, 2), "n/a", /every count of customers must be a number/],
  ["a count that rises", countAt(0, 4), 5000, /counts never rise/],
  ["a count left out before a later one", countAt(0, 2), null, /a count of customers is missing before a later one/],
];
const accepted: [string, string, CellContent, Partial<CohortModelSettings>][] = [
  ["a shorter horizon", inputRow.Horizon!, 12, { horizon: 12 }],
  ["another margin", inputRow.Margin!, 0.35, { margin: 0.35 }],
  ["timing at the end", inputRow.Timing!, "end", { timing: "end" }],
];

let refusedValues: Map<string, ReadCell>[] = [];
let savedByLibreOffice = "";
let acceptedValues: Map<string, ReadCell>[] = [];

before(async () => {
  const plans = [...refused.map(([, at, value]) => withCell(base.plan, at, value)), ...accepted.map(([, at, value]) => withCell(base.plan, at, value))];
  const files = recalculateWithLibreOffice(await Promise.all(plans.map(writeXlsx)));
  const values = await Promise.all(files.map((f) => readValues(f, "Cohort model")));
  savedByLibreOffice = await (await JSZip.loadAsync(readFileSync(files[files.length - 1]!))).file("xl/worksheets/sheet1.xml")!.async("string");
  refusedValues = values.slice(0, refused.length);
  acceptedValues = values.slice(refused.length);
});

describe("a written cohort model with an input out of its domain (LibreOffice Calc)", { timeout: 600_000 }, () => {
  it("checks enough cells to matter", () => assert.ok(resultCells.length > 200, `${resultCells.length} result cells`));

  it("LibreOffice reads the validation: the file it saves keeps the horizon's bounds and the timing's list", () => {
    const has = (pattern: string) => new RegExp(pattern).test(savedByLibreOffice);
    assert.ok(has(`<dataValidation (?=[^>]*type="whole")[^>]*sqref="${inputRow.Horizon}"[^>]*>\\s*<formula1>1</formula1>\\s*<formula2>36</formula2>`), "the horizon's bounds");
    assert.ok(has(`<dataValidation (?=[^>]*type="list")[^>]*sqref="${inputRow.Timing}"`), "the timing's list");
  });

  refused.forEach(([what, at, value, message], k) => {
    it(`${what} (${at} = ${JSON.stringify(value)}): every result is an error and the check says what to fix`, () => {
      const values = refusedValues[k]!;
      const check = values.get("B18");
      assert.ok(typeof check === "string" && message.test(check), `B18 says ${JSON.stringify(check)}`);
      const numbers = resultCells.filter((a) => {
        const v = values.get(a);
        return !(v && typeof v === "object" && "error" in v);
      });
      assert.deepEqual(numbers.slice(0, 5).map((a) => `${a}: ${JSON.stringify(values.get(a))}`), [], `${numbers.length} of ${resultCells.length} result cells are not errors`);
    });
  });

  accepted.forEach(([what, at, value, change], k) => {
    it(`${what} (${at} = ${JSON.stringify(value)}): the results the core computes for it`, () => {
      const values = acceptedValues[k]!;
      assert.equal(values.get("B18"), "OK");
      const want = buildCohortPlan({ ...settings, ...change }, fit, { withExpected: true }).expected;
      // The headline results (B20:B23) and the results by cohort (B:E of the rows under "Results by cohort")
      // sit at the same cells whatever the horizon.
      assert.equal(sheet.names.find((n) => n.name === "CLV_NewCustomer")!.ref, "$B$20");
      const header = sheet.writes.find((w) => w.values?.[0]?.[2] === "CLV per acquired customer")!;
      const first = parseAddress(header.at).row + 1;
      const byCohort = settings.cohorts.flatMap((_, i) => ["B", "C", "D", "E"].map((c) => `${c}${first + i}`));
      const headline = ["B20", "B21", "B22", "B23", ...byCohort];
      let compared = 0;
      for (const address of new Set(headline)) {
        if (!want.has(address) || !base.expected.has(address)) continue;
        const expected = want.get(address)!;
        const got = values.get(address);
        if (typeof expected === "number") assert.ok(typeof got === "number" && Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${address}: ${JSON.stringify(got)} against ${expected}`);
        else assert.equal(got, expected, address);
        compared++;
      }
      assert.equal(compared, 4 + 4 * settings.cohorts.length, "every headline result and every result by cohort");
    });
  });
});

describe("the cohort model's data validation", () => {
  it("covers every input a user edits, with texts within Excel's limits", async () => {
    const validated = new Set((sheet.validations ?? []).map((v) => v.range));
    for (const name of ["Revenue", "Margin", "CAC", "AnnualDiscount", "PeriodsPerYear", "Horizon", "Timing", "Alpha", "Beta"]) assert.ok(validated.has(inputRow[name]!), name);
    for (const v of sheet.validations ?? []) {
      assert.ok(v.prompt.title.length <= VALIDATION_TITLE_MAX && v.error.title.length <= VALIDATION_TITLE_MAX, v.range);
      assert.ok(v.prompt.message.length <= VALIDATION_MESSAGE_MAX && v.error.message.length <= VALIDATION_MESSAGE_MAX, v.range);
    }
    const horizon = sheet.validations!.find((v) => v.range === inputRow.Horizon)!;
    assert.deepEqual(horizon.rule, { kind: "whole", min: 1, max: 36 });
    assert.match(horizon.prompt.message, /1 to 36/);
  });

  it("is written into the .xlsx: a list for timing, bounds for numbers, the prompt and a stop alert", async () => {
    const zip = await JSZip.loadAsync(await writeXlsx(base.plan));
    const xml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    const timing = new RegExp(`<dataValidation type="list"[^>]*sqref="${inputRow.Timing}"[^>]*>\\s*<formula1>(&quot;|")start,end(&quot;|")</formula1>`);
    assert.match(xml, timing);
    assert.match(xml, new RegExp(`<dataValidation type="whole"[^>]*showInputMessage="1"[^>]*promptTitle="Horizon"[^>]*errorStyle="stop"[^>]*sqref="${inputRow.Horizon}">\\s*<formula1>1</formula1>\\s*<formula2>36</formula2>`));
    assert.match(xml, new RegExp(`<dataValidation type="decimal" operator="greaterThanOrEqual"[^>]*sqref="${inputRow.Revenue}"`));
  });
});
