import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sbgSurvival } from "../../../src/core/retention/shiftedBetaGeometric";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { CellSet, planFootprint } from "../../../src/host/cells";
import { applyPlan, quoteSheet, safeSheetName, uniqueSheetName } from "../../../src/host/excel/applyPlan";
import { buildCohortPlan, type CohortModelSettings } from "../../../src/models/cohort/cohortPlan";
import { MARKER_KEY, OccupiedCellsError, type WrittenModel } from "../../../src/models/written";
import { installFakeExcel, useFakeExcel, type FakeExcel, type FakeSheet } from "../../support/fakeExcel";

/** The applier against the strict fake: every rule Office.js and Excel keep is enforced there. */
function plan(cohorts: number, horizon: number, observed = 7, revenue = 50) {
  const settings: CohortModelSettings = {
    revenue,
    margin: 0.6,
    cac: 150,
    annualDiscount: 0.1,
    period: "month",
    horizon,
    timing: "start",
    cohorts: Array.from({ length: cohorts }, (_, i) => ({
      label: i === 0 ? '=HYPERLINK("x")' : `2025-${i + 1}`,
      customers: 1000 + i,
      survivors: Array.from({ length: Math.max(1, observed - i) }, (_, t) => Math.round((1000 + i) * sbgSurvival({ alpha: 0.7, beta: 1.2 }, t + 1))),
    })),
  };
  const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
  return buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" }).plan;
}

/** A sheet as a user or a formula sees it, without the ids and instance that differ between workbooks. */
function visible(excel: FakeExcel, sheet: FakeSheet) {
  return {
    cells: [...sheet.cells].sort(([a], [b]) => a.localeCompare(b)),
    names: [...sheet.names].sort(),
    charts: sheet.charts,
    tables: excel.tables.filter((t) => t.sheetId === sheet.id).map((t) => ({ ...t, sheetId: undefined })),
    marker: sheet.customProperties.get(MARKER_KEY)?.replace(/\|[a-z0-9]+\|/, "|…|"),
    frozen: sheet.frozen,
    widths: [...sheet.columnWidths].sort(),
  };
}

const MB = 1024 * 1024;

describe("applyPlan (Office.js) on a strict Excel", () => {
  it("builds into a workbook with user sheets, one named like the model, touching none of them", async () => {
    const excel = installFakeExcel({ sheets: ["Sheet1", "Cohort model"] });
    excel.setCell("Cohort model", "A1", { value: "a user's own sheet" });
    excel.setCell("Sheet1", "B2", { formula: "='Cohort model'!A1" });
    const before = excel.snapshot() as { sheets: unknown[] };
    const result = await applyPlan(plan(2, 6));
    assert.deepEqual(result.sheetNames, ["Cohort model (2)"]);
    assert.equal(result.replaced, false);
    assert.deepEqual(excel.sheets.map((s) => s.name), ["Sheet1", "Cohort model", "Cohort model (2)"]);
    assert.deepEqual((excel.snapshot() as { sheets: unknown[] }).sheets.slice(0, 2), before.sheets.slice(0, 2));
    const sheet = excel.sheet("Cohort model (2)");
    assert.equal(sheet.customProperties.get(MARKER_KEY), `cohort|${result.written.instance}|Cohort model`);
    assert.equal(excel.activeSheetId, sheet.id);
    for (const name of ["Alpha", "Beta", "LogLikelihood", "CLV_NewCustomer", "CustomerEquity"]) assert.ok(sheet.names.has(name), name);
    assert.equal(sheet.names.get("CLV_NewCustomer"), "='Cohort model (2)'!$B$20");
    assert.equal(sheet.cells.get("B7")!.formula, '=IF(InputCheck="OK",Revenue*Margin,NA())');
    // Inputs carry Excel's data validation (in the scenario table's base column for those scenarios override): bounds, a list for the timing, the prompt that states the unit.
    const validation = (address: string) => JSON.parse(sheet.cells.get(address)!.validation!) as { rule: unknown; prompt: { title: string; message: string }; errorAlert: { style: string } };
    assert.deepEqual(validation("G12").rule, { wholeNumber: { formula1: 1, formula2: 6, operator: "Between" } });
    assert.equal(validation("G12").errorAlert.style, "Stop");
    assert.deepEqual(validation("G13").rule, { list: { inCellDropDown: true, source: "start,end" } });
    assert.match(validation("G5").prompt.message, /Revenue per active customer per month, in currency, 0 or more/);
    assert.deepEqual(validation("G9").rule, { custom: { formula: "=AND(ISNUMBER(G9),G9>-1,G9<=1)" } });
    assert.equal(sheet.cells.get("B16")!.validation, undefined, "the log-likelihood is a record, not an input");
    const label = [...sheet.cells.values()].find((c) => c.value === '=HYPERLINK("x")')!;
    assert.equal(label.numberFormat, "@");
    assert.equal(label.formula, undefined);
    assert.deepEqual(sheet.charts.map((c) => [c.name, c.type]), [["Lifetime chart 1", "Line"], ["Lifetime chart 2", "AreaStacked"], ["Lifetime chart 3", "ColumnClustered"]]);
    assert.deepEqual(excel.tables.map((t) => [t.name, t.range]), [["LifetimeCohorts", "A33:I35"]]);
    assert.equal(sheet.frozen.columns, 1);
  });

  it("builds a second model beside the first without a table or name collision", async () => {
    const excel = installFakeExcel({ sheets: ["Sheet1"] });
    await applyPlan(plan(2, 6));
    await applyPlan(plan(3, 6));
    assert.deepEqual(excel.sheets.map((s) => s.name), ["Sheet1", "Cohort model", "Cohort model (2)"]);
    assert.deepEqual(excel.tables.map((t) => t.name), ["LifetimeCohorts", "LifetimeCohorts2"]);
  });

  it("rebuilds three times in a row with other horizons: each time the sheet equals a fresh build", async () => {
    const excel = installFakeExcel({ sheets: ["Sheet1"] });
    let written = (await applyPlan(plan(4, 36))).written;
    const table = excel.tables[0];
    for (const horizon of [120, 6, 48]) {
      const next = plan(4, horizon);
      const result = await applyPlan(next, { previous: written });
      assert.equal(result.replaced, true);
      assert.deepEqual(result.sheetNames, ["Cohort model"]);
      written = result.written;
      const fresh = installFakeExcel({ sheets: ["Sheet1"] });
      await applyPlan(next);
      assert.deepEqual(visible(excel, excel.sheet("Cohort model")), visible(fresh, fresh.sheet("Cohort model")), `horizon ${horizon}`);
      assert.deepEqual(excel.sheets.map((s) => s.name), ["Sheet1", "Cohort model"]);
      assert.equal(excel.tables.length, 1);
      assert.equal(excel.tables[0], table, "the table is kept while its cohorts and periods are the same");
      useFakeExcel(excel);
    }
  });

  it("keeps a user's note on the model sheet, and their formulas and names that read the model", async () => {
    const excel = installFakeExcel({ sheets: ["Dashboard"] });
    const first = await applyPlan(plan(3, 24));
    excel.setCell("Cohort model", "H5", { value: "note: check CAC with finance" });
    excel.setCell("Cohort model", "Z100", { value: 42, bold: true });
    excel.setCell("Dashboard", "B2", { formula: "='Cohort model'!B20" });
    excel.setCell("Dashboard", "B3", { formula: "='Cohort model'!CLV_NewCustomer*2" });
    excel.names.set("MyEquity", "='Cohort model'!$B$21");
    const second = await applyPlan(plan(3, 60, 7, 80), { previous: first.written });
    const model = excel.sheet("Cohort model");
    assert.deepEqual(model.cells.get("H5"), { value: "note: check CAC with finance" });
    assert.deepEqual(model.cells.get("Z100"), { value: 42, bold: true });
    assert.equal(excel.sheet("Dashboard").cells.get("B2")!.formula, "='Cohort model'!B20");
    assert.equal(excel.sheet("Dashboard").cells.get("B3")!.formula, "='Cohort model'!CLV_NewCustomer*2");
    assert.equal(excel.names.get("MyEquity"), "='Cohort model'!$B$21");
    // …and what they point at is the rebuilt model's result, in the same cell and name.
    assert.match(model.cells.get("B20")!.formula!, /^=IF\(InputCheck="OK",MarginPerPeriod\*SUMPRODUCT/);
    // The horizon's validation follows the rebuilt horizon.
    assert.deepEqual((JSON.parse(model.cells.get("G12")!.validation!) as { rule: unknown }).rule, { wholeNumber: { formula1: 1, formula2: 60, operator: "Between" } });
    assert.equal(model.names.get("CLV_NewCustomer"), "='Cohort model'!$B$20");
    assert.equal(model.cells.get("G5")!.value, 80);
    assert.equal(second.written.instance, first.written.instance);
  });

  it("asks before writing over a user's cell the rebuilt model needs; writes nothing until told", async () => {
    const excel = installFakeExcel({ sheets: ["Sheet1"] });
    const first = await applyPlan(plan(3, 12));
    excel.setCell("Cohort model", "AD27", { value: "mine" }); // periods row: to V at 7 + 12, to AL at 7 + 28
    const before = excel.snapshot();
    const next = plan(3, 28);
    await assert.rejects(applyPlan(next, { previous: first.written }), (e: unknown) => e instanceof OccupiedCellsError && e.count === 1 && e.cells[0]!.address === "AD27" && /AD27 \(mine\)/.test(e.message));
    assert.deepEqual(excel.snapshot(), before);
    await applyPlan(next, { previous: first.written, overwrite: true });
    assert.equal(excel.sheet("Cohort model").cells.get("AD27")!.value, 27);
  });

  it("finds the model by its marker: a rename, a user's sheet of the old name, moved names and tags change nothing", async () => {
    const excel = installFakeExcel({ sheets: ["Budget"] });
    const first = await applyPlan(plan(2, 12));
    excel.sheet("Cohort model").name = "Q4 cohorts";
    const mine = excel.addSheet("Cohort model");
    excel.setCell("Cohort model", "A1", { value: "my own sheet" });
    // An earlier version tagged its sheet with a workbook name; a user moved it, and a model name, onto Budget.
    excel.names.set("Lifetime_cohort", "='Budget'!$A$1");
    excel.sheet("Budget").names.set("CLV_NewCustomer", "='Budget'!$C$3");
    excel.setCell("Budget", "A1", { value: "budget 2026" });
    const budget = JSON.stringify(visible(excel, excel.sheet("Budget")));
    const result = await applyPlan(plan(2, 24), { previous: first.written });
    assert.deepEqual(result.sheetNames, ["Q4 cohorts"]);
    assert.equal(JSON.stringify(visible(excel, excel.sheet("Budget"))), budget);
    assert.deepEqual([...mine.cells], [["A1", { value: "my own sheet" }]]);
    assert.equal(excel.sheet("Q4 cohorts").names.get("CLV_NewCustomer"), "='Q4 cohorts'!$B$20");
  });

  it("stops when a copy of the model's sheet carries its marker, and writes a new sheet when the sheet is gone", async () => {
    const excel = installFakeExcel({ sheets: ["Sheet1"] });
    const first = await applyPlan(plan(2, 12));
    excel.sheet("Sheet1").customProperties.set(MARKER_KEY, excel.sheet("Cohort model").customProperties.get(MARKER_KEY)!);
    const before = excel.snapshot();
    await assert.rejects(applyPlan(plan(2, 24), { previous: first.written }), /“Sheet1” and “Cohort model” both carry this model's marker/);
    assert.deepEqual(excel.snapshot(), before);
    excel.sheet("Sheet1").customProperties.clear();
    excel.sheets = excel.sheets.filter((s) => s.name !== "Cohort model");
    excel.tables = [];
    const again = await applyPlan(plan(2, 24), { previous: first.written });
    assert.equal(again.replaced, false);
    assert.match(again.notes.join(), /“Cohort model” is no longer in the workbook/);
  });

  it("writes a 120 × 600 model with every request under 5 MB, in a few syncs per megabyte", async () => {
    const big = plan(120, 600, 120);
    for (const previous of [undefined, "rebuild"] as const) {
      const excel = installFakeExcel({ sheets: ["Sheet1"] });
      let written: WrittenModel | undefined;
      if (previous) written = (await applyPlan(plan(120, 480, 120))).written;
      const from = excel.requests.length;
      await applyPlan(big, { previous: written });
      const requests = excel.requests.slice(from);
      const largest = Math.max(...requests.map((r) => r.bytes));
      const largestResponse = Math.max(...requests.map((r) => r.responseBytes));
      const total = requests.reduce((n, r) => n + r.bytes, 0);
      const received = requests.reduce((n, r) => n + r.responseBytes, 0);
      console.log(
        `  120 cohorts × 600 periods, ${previous ?? "first build"}: ${requests.length} syncs, ${(total / MB).toFixed(1)} MB sent, ${(received / MB).toFixed(1)} MB read, largest request ${(largest / MB).toFixed(2)} MB, largest response ${(largestResponse / MB).toFixed(2)} MB`,
      );
      assert.ok(largest < 2.5 * MB && largestResponse < 5 * MB, `${largest} / ${largestResponse}`);
      // Syncs grow with the plan: about one per 2 MB written and, on a rebuild, one per 5,000 model cells read first.
      const touched = previous ? CellSet.of(written!.sheets[0]!.footprint).union(CellSet.of(planFootprint(big.sheets[0]!))).size : 0;
      assert.ok(requests.length <= 8 + Math.ceil(total / (1.5 * MB)) + Math.ceil(touched / 4000), `${requests.length} syncs for ${touched} cells read`);
    }
  });

  it("a failure in any request of a rebuild leaves the workbook exactly as it was", async () => {
    const setup = async () => {
      const excel = installFakeExcel({ sheets: ["Dashboard"] });
      const first = await applyPlan(plan(5, 24));
      excel.setCell("Cohort model", "H5", { value: "my note" });
      excel.setCell("Dashboard", "A1", { formula: "='Cohort model'!B20" });
      // Text a user typed where the longer model needs room (agreed to be replaced): it must come back as text.
      excel.setCell("Cohort model", "AF27", { value: "00123" });
      excel.setCell("Cohort model", "AG27", { value: "=not a formula", bold: true });
      // A validation of the user's own where the rebuilt model's counts grow (a sixth cohort): it must come back too.
      excel.setCell("Cohort model", "B39", { value: 7, validation: JSON.stringify({ rule: { wholeNumber: { formula1: 1, formula2: 9, operator: "Between" } }, prompt: { showPrompt: true, title: "mine", message: "my own" }, errorAlert: { showAlert: true, style: "Stop", title: "", message: "" }, ignoreBlanks: true }) });
      return { excel, first };
    };
    const { excel: probe, first: probeFirst } = await setup();
    const from = probe.syncs;
    await applyPlan(plan(6, 48, 8), { previous: probeFirst.written, overwrite: true });
    const syncs = probe.syncs - from;
    assert.ok(syncs >= 6, `${syncs} syncs`);
    for (let k = 1; k <= syncs; k++) {
      for (const op of ["first", "last"] as const) {
        const { excel, first } = await setup();
        const before = excel.snapshot();
        excel.failAt = { sync: excel.syncs + k, op };
        await assert.rejects(applyPlan(plan(6, 48, 8), { previous: first.written, overwrite: true }), /could not be written/);
        excel.failAt = undefined;
        assert.deepEqual(excel.snapshot(), before, `failure at request ${k} of ${syncs} (${op} operation)`);
      }
    }
  });

  it("a failure in any request of a first build removes its sheet and nothing else", async () => {
    const probe = installFakeExcel({ sheets: ["Sheet1"] });
    await applyPlan(plan(3, 24));
    const syncs = probe.syncs;
    for (let k = 1; k <= syncs; k++) {
      for (const op of ["first", "last"] as const) {
        const excel = installFakeExcel({ sheets: ["Sheet1"] });
        excel.setCell("Sheet1", "A1", { value: "data" });
        const before = excel.snapshot();
        excel.failAt = { sync: k, op };
        await assert.rejects(applyPlan(plan(3, 24)), /could not be written/);
        excel.failAt = undefined;
        assert.deepEqual(excel.snapshot(), before, `failure at request ${k} of ${syncs} (${op} operation)`);
      }
    }
  });
});

describe("sheet names", () => {
  it("keep to Excel's rules and stay unique", () => {
    assert.equal(safeSheetName("Q1/Q2: [churn]?"), "Q1 Q2   churn");
    assert.equal(safeSheetName("x".repeat(40)).length, 31);
    assert.equal(safeSheetName("history"), "History model");
    assert.equal(uniqueSheetName("Cohort model", ["cohort MODEL", "Cohort model (2)"]), "Cohort model (3)");
    assert.equal(quoteSheet("Data"), "'Data'");
    assert.equal(quoteSheet("R1C1"), "'R1C1'");
    assert.equal(quoteSheet("Cohort model"), "'Cohort model'");
    assert.equal(quoteSheet("AB12"), "'AB12'");
    assert.equal(quoteSheet("Bob's"), "'Bob''s'");
  });
});
