import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { fitShiftedBetaGeometric } from "../../../src/core/retention/shiftedBetaGeometric";
import { customerLifetimeValue } from "../../../src/core/clv";
import { registerLtvFunctions } from "../../../src/host/preview/customFunctions";
import { previewHost, type PreviewWorkbook } from "../../../src/host/preview/previewHost";
import { sampleWorkbook } from "../../../src/host/preview/sampleWorkbook";
import { readCohortTable } from "../../../src/models/cohort/cohortCsv";
import { buildCohortPlan, cohortInputSchema } from "../../../src/models/cohort/cohortPlan";
import { MARKER_KEY, OccupiedCellsError } from "../../../src/models/written";
import { loadBuiltFunctions } from "../../support/customFunctions";

/** The preview host: a workbook of the preview's own formula engine that the task pane drives as it drives Excel. */
before(() => {
  registerLtvFunctions(loadBuiltFunctions());
});

function memoryStore() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

async function planFor(workbook: PreviewWorkbook, horizon = 24, revenue = 30) {
  const host = previewHost(workbook, memoryStore());
  const { values, text } = await host.readRange("SampleCohorts");
  const settings = cohortInputSchema.parse({ cohorts: readCohortTable(values, text), revenue, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon, timing: "start" });
  const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
  return buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" });
}

async function buildFromSelection() {
  const workbook = sampleWorkbook();
  const host = previewHost(workbook, memoryStore());
  const built = await planFor(workbook);
  const result = await host.applyPlan(built.plan);
  return { workbook, host, built, result };
}

/** Everything a user could see or reference in the workbook: sheets, cells as typed, formats, names, markers. */
function state(workbook: PreviewWorkbook) {
  const engine = workbook.engine;
  return {
    sheets: engine.getSheetNames().map((name) => ({ name, cells: engine.getSheetSerialized(workbook.sheetId(name)) })),
    formats: [...workbook.formats].sort(),
    names: engine.getAllNamedExpressionsSerialized(),
    markers: [...workbook.customProperties].map(([id, props]) => [id, [...props]]),
  };
}

/** The model sheet's cells and formats, keyed by address, for comparing a rebuild with a fresh build. */
function modelSheet(workbook: PreviewWorkbook, name = "Cohort model") {
  const id = workbook.sheetId(name);
  const cells = workbook.engine.getSheetSerialized(id);
  const formats = [...workbook.formats].filter(([k]) => k.startsWith(`${id}!`)).map(([k, v]) => [k.slice(k.indexOf("!")), v]).sort();
  const names = workbook.engine.getAllNamedExpressionsSerialized().filter((n) => n.scope === id).map((n) => [n.name, n.expression]).sort();
  return { cells, formats, names };
}

describe("the preview workbook (its own formula engine)", () => {
  it("builds the cohort model from the selected sample table; its customer equity equals the core's", async () => {
    const { workbook, built, result } = await buildFromSelection();
    assert.deepEqual(result.sheetNames, ["Cohort model"]);
    const id = workbook.sheetId("Cohort model");
    const equity = workbook.engine.getNamedExpressionValue("CustomerEquity", id) as number;
    assert.ok(Math.abs(equity - built.model.customerEquity) <= 1e-9 * built.model.customerEquity, `${equity} vs ${built.model.customerEquity}`);
    const clv = workbook.engine.getNamedExpressionValue("CLV_NewCustomer", id) as number;
    assert.ok(Math.abs(clv - built.model.clvNewCustomer) <= 1e-9 * Math.abs(built.model.clvNewCustomer));
    assert.match(workbook.customProperties.get(id)!.get(MARKER_KEY)!, /^cohort\|[a-z0-9]{16}\|Cohort model$/);
  });

  it("computes every formula cell of the model as the core does", async () => {
    const workbook = sampleWorkbook();
    const host = previewHost(workbook, memoryStore());
    const { values } = await host.readSelection();
    const settings = cohortInputSchema.parse({ cohorts: readCohortTable(values), revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 12, timing: "end" });
    const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
    const { plan, expected } = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" }, { withExpected: true });
    await host.applyPlan(plan);
    const wrong: string[] = [];
    for (const [address, want] of expected) {
      const got = workbook.values("Cohort model", address)[0]![0];
      const ok = typeof want === "number" ? typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;
      if (!ok) wrong.push(`${address}: ${want} vs ${JSON.stringify(got)}`);
    }
    assert.deepEqual(wrong.slice(0, 8), []);
  });

  it("refuses an entry the input's validation refuses, as Excel's stop alert; a value set past it makes every result #N/A and the check says why", async () => {
    const { workbook } = await buildFromSelection();
    const id = workbook.sheetId("Cohort model");
    const horizon = workbook.engine.getNamedExpressionValue("Horizon", id) as number;
    // The inputs scenarios override are edited in the scenario table's base column (G).
    assert.equal(workbook.validationAt(id, 12, 7)?.prompt.title, "Horizon");
    assert.deepEqual(workbook.enter("Cohort model", "G12", horizon + 24), { title: "Horizon: not accepted", message: `This sheet computes horizons from 1 to ${horizon} months. For a longer one, rebuild the model with Lifetime.` });
    assert.equal(workbook.values("Cohort model", "G12")[0]![0], horizon, "the refused entry is not kept");
    assert.equal(workbook.enter("Cohort model", "G13", "middle")?.title, "Timing: not accepted");
    assert.equal(workbook.enter("Cohort model", "G9", 10)?.title, "AnnualDiscount: not accepted");
    assert.equal(workbook.enter("Cohort model", "G13", "END"), undefined, "a list matches as Excel's does, ignoring case");
    assert.equal(workbook.enter("Cohort model", "G6", 0.45), undefined);
    assert.equal(workbook.values("Cohort model", "B6")[0]![0], 0.45, "the input in use follows the base");
    // Validation can be pasted over: the results guard themselves.
    workbook.setCells("Cohort model", "G6", [[70]]);
    assert.match(String(workbook.engine.getNamedExpressionValue("InputCheck", id)), /^Margin must be a fraction from 0 to 1 \(60% is 0\.6\) \(G6\)$/);
    for (const name of ["CLV_NewCustomer", "CustomerEquity", "ActiveToday", "LTV_CAC"]) {
      assert.equal((workbook.engine.getNamedExpressionValue(name, id) as { value?: string }).value, "#N/A", name);
    }
  });

  it("spills a function's result over a named range as Excel does, sized as the range the name refers to", () => {
    const workbook = sampleWorkbook();
    workbook.setCells("Data", "K1", [[1], [2], [3], [4]]);
    workbook.engine.addNamedExpression("Periods", "=Data!$K$1:$K$4");
    workbook.setCells("Data", "M1", [["=LTV.SBG_SURVIVAL({0.704,1.182}, Periods)"]]);
    const spilled = workbook.values("Data", "M1:M4").map((r) => r[0]);
    const direct = workbook.values("Data", "M1:M1")[0]![0];
    assert.ok(spilled.every((v) => typeof v === "number"), JSON.stringify(spilled));
    assert.equal(direct, spilled[0]);
    assert.ok((spilled[3] as number) < (spilled[0] as number), "survival falls with t");
  });

  it("computes =LTV.CLV(…) typed into a cell, with the messages Excel would show", async () => {
    const workbook = sampleWorkbook();
    const host = previewHost(workbook, memoryStore());
    workbook.selection = { sheet: "Data", range: "K2" };
    assert.deepEqual(await host.insertFormula("=LTV.CLV(100, 0.8, 0.1)"), { inserted: true, address: "Data!K2" });
    assert.equal(workbook.values("Data", "K2")[0]![0], customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1 }));
    workbook.setCells("Data", "K3", [["=LTV.CLV(C2:I2/B2*100, 0.9, 0.01)"]]);
    workbook.setCells("Data", "K4", [["=LTV.CLV(100, 80, 0.1)"]]);
    assert.equal(typeof workbook.values("Data", "K3")[0]![0], "number");
    const error = workbook.engine.getCellValue({ sheet: workbook.sheetId("Data"), row: 3, col: 10 }) as { value: string; message: string };
    assert.equal(error.value, "#VALUE!");
    assert.match(error.message, /retention must be between 0 and 1 \(80% is 0\.8\); got 80/);
  });

  it("writes one value into one cell: text as text, and what depends on the cell recalculates", async () => {
    const workbook = sampleWorkbook();
    const host = previewHost(workbook, memoryStore());
    workbook.setCells("Data", "K2", [["=LEN(K1)"]]);
    let changes = 0;
    workbook.onChange(() => changes++);
    for (const text of ["=1+1", "00123", "1/2", "TRUE", "Optimistic"]) {
      await host.setCellValue("Data", "$K$1", text);
      assert.equal(workbook.values("Data", "K1")[0]![0], text, text);
      assert.equal(workbook.values("Data", "K2")[0]![0], text.length);
    }
    assert.equal(changes, 5, "the grid is told each time");
    await host.setCellValue("Data", "K1", 12.5);
    assert.equal(workbook.values("Data", "K1")[0]![0], 12.5);
    await assert.rejects(host.setCellValue("Data", "K1:K2", "x"), /K1:K2 is not the address of one cell/);
    await assert.rejects(host.setCellValue("Gone", "K1", "x"), /no sheet named Gone/);
  });

  it("removes the sheets that carry a model's marker, and forgets settings", async () => {
    const { workbook, host, result } = await buildFromSelection();
    workbook.engine.renameSheet(workbook.sheetId("Cohort model"), "Renamed model");
    workbook.engine.addSheet("Cohort model"); // a user's sheet that took the name
    workbook.setCells("Data", "K1", [["='Renamed model'!B20"]]);
    workbook.selection = { sheet: "Renamed model", range: "B20" };
    const id = workbook.sheetId("Renamed model");
    assert.deepEqual(await host.removeModelSheets(result.written), ["Renamed model"]);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model"]);
    assert.equal(workbook.customProperties.has(id), false);
    assert.equal(workbook.selection.sheet, "Data", "the selection leaves the removed sheet");
    assert.match(String((workbook.values("Data", "K1")[0]![0] as { value?: string }).value), /#REF!/);
    assert.deepEqual(await host.removeModelSheets(result.written), []);
    const store = memoryStore();
    const withStore = previewHost(workbook, store);
    await withStore.saveSettings("cohortModel", { version: 2 });
    await withStore.removeSettings("cohortModel");
    assert.equal(await withStore.loadSettings("cohortModel"), "", "kept empty where the store cannot remove a key");
    const removing = { ...store, removeItem: (k: string) => void store.items.delete(k) };
    await previewHost(workbook, removing).saveSettings("cohortModel", { version: 2 });
    await previewHost(workbook, removing).removeSettings("cohortModel");
    assert.equal(store.items.has("lifetime:cohortModel"), false);
  });

  it("refuses to remove a model whose sheets are the workbook's only ones", async () => {
    const { workbook, host, result } = await buildFromSelection();
    workbook.engine.removeSheet(workbook.sheetId("Data"));
    await assert.rejects(host.removeModelSheets(result.written), /only visible sheets/);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Cohort model"]);
  });

  it("inserts into the active cell only, and asks before replacing what a cell holds", async () => {
    const workbook = sampleWorkbook();
    const host = previewHost(workbook, memoryStore());
    workbook.selection = { sheet: "Data", range: "B2:C3" };
    assert.deepEqual(await host.insertFormula("=LTV.PERIODIC_RATE(0.1, 12)"), { inserted: false, address: "Data!B2", content: "1000" });
    assert.equal(workbook.values("Data", "B2:C3").flat().join(","), "1000,631,1200,760");
    assert.deepEqual(await host.insertFormula("=LTV.PERIODIC_RATE(0.1, 12)", { overwrite: true }), { inserted: true, address: "Data!B2" });
    assert.equal(workbook.engine.getCellFormula({ sheet: workbook.sheetId("Data"), row: 1, col: 1 }), "=LTV.PERIODIC_RATE(0.1, 12)");
    assert.equal(workbook.values("Data", "C2")[0]![0], 631);
  });

  it("adds a new sheet each build, beside a user's sheet of the same name", async () => {
    const { workbook, host, built } = await buildFromSelection();
    await host.applyPlan(built.plan);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model", "Cohort model (2)"]);
  });

  it("rebuilds in place, three times with other horizons: each time the sheet equals a fresh build", async () => {
    const { workbook, host, result } = await buildFromSelection();
    let written = result.written;
    for (const horizon of [60, 6, 36]) {
      const next = await planFor(workbook, horizon);
      const rebuilt = await host.applyPlan(next.plan, { previous: written });
      assert.equal(rebuilt.replaced, true);
      written = rebuilt.written;
      const fresh = sampleWorkbook();
      await previewHost(fresh, memoryStore()).applyPlan(next.plan);
      assert.deepEqual(modelSheet(workbook), modelSheet(fresh), `horizon ${horizon}`);
      assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model"]);
    }
  });

  it("keeps a user's note on the model sheet and their formulas that reference the model", async () => {
    const { workbook, host, result } = await buildFromSelection();
    workbook.setCells("Cohort model", "Z100", [["my note"]]);
    workbook.setCells("Data", "K1", [["='Cohort model'!B20*2"]]);
    workbook.engine.addNamedExpression("MyCLV", "='Cohort model'!$B$20");
    workbook.setCells("Data", "K2", [["=MyCLV"]]);
    const next = await planFor(workbook, 48, 45);
    await host.applyPlan(next.plan, { previous: result.written });
    assert.equal(workbook.values("Cohort model", "Z100")[0]![0], "my note");
    const [k1, k2] = (workbook.values("Data", "K1:K2") as number[][]).map((r) => r[0]);
    assert.ok(Math.abs(k1! - 2 * next.model.clvNewCustomer) < 1e-9 * Math.abs(next.model.clvNewCustomer), `${k1} vs ${2 * next.model.clvNewCustomer}`);
    assert.ok(Math.abs(k2! - next.model.clvNewCustomer) < 1e-9 * Math.abs(next.model.clvNewCustomer));
  });

  it("asks before writing over a user's cell the rebuilt model needs, and writes nothing until told", async () => {
    const { workbook, host, result } = await buildFromSelection();
    const next = await planFor(workbook, 60);
    const far = "BM27"; // the row of periods t: it reaches AH at 24 periods (7 observed + 24), BR at 60
    workbook.setCells("Cohort model", far, [["keep me"]]);
    const before = state(workbook);
    await assert.rejects(host.applyPlan(next.plan, { previous: result.written }), (e: unknown) => e instanceof OccupiedCellsError && e.cells.some((c) => c.address === far && c.content === "keep me"));
    assert.deepEqual(state(workbook), before);
    await host.applyPlan(next.plan, { previous: result.written, overwrite: true });
    assert.notEqual(workbook.values("Cohort model", far)[0]![0], "keep me");
  });

  it("finds its sheet by the marker after a rename, and never touches a user's sheet that takes the old name", async () => {
    const { workbook, host, result } = await buildFromSelection();
    workbook.engine.renameSheet(workbook.sheetId("Cohort model"), "Q4 model");
    workbook.engine.addSheet("Cohort model");
    workbook.setCells("Cohort model", "A1", [["Budget by a user"]]);
    const next = await planFor(workbook, 12);
    const rebuilt = await host.applyPlan(next.plan, { previous: result.written });
    assert.deepEqual(rebuilt.sheetNames, ["Q4 model"]);
    assert.deepEqual(workbook.engine.getSheetSerialized(workbook.sheetId("Cohort model")), [["Budget by a user"]]);
  });

  it("refuses to guess when a copy of the model's sheet carries its marker", async () => {
    const { workbook, host, result } = await buildFromSelection();
    workbook.engine.addSheet("Copy");
    workbook.customProperties.set(workbook.sheetId("Copy"), new Map(workbook.customProperties.get(workbook.sheetId("Cohort model"))));
    const before = state(workbook);
    await assert.rejects(host.applyPlan((await planFor(workbook, 12)).plan, { previous: result.written }), /“Cohort model” and “Copy” both carry this model's marker/);
    assert.deepEqual(state(workbook), before);
  });

  it("writes a new sheet when the model's sheet is gone, and says so", async () => {
    const { workbook, host, result } = await buildFromSelection();
    workbook.engine.removeSheet(workbook.sheetId("Cohort model"));
    const again = await host.applyPlan((await planFor(workbook, 12)).plan, { previous: result.written });
    assert.equal(again.replaced, false);
    assert.match(again.notes.join(" "), /no longer in the workbook/);
  });

  it("a failure at any write of a rebuild leaves the workbook exactly as it was", async () => {
    const { workbook, host, result } = await buildFromSelection();
    workbook.setCells("Cohort model", "Z100", [["my note"]]);
    const next = await planFor(workbook, 48);
    const writes = next.plan.sheets[0]!.writes.length;
    for (let k = 1; k <= writes; k += Math.max(1, Math.floor(writes / 25))) {
      const before = state(workbook);
      workbook.failAtWrite = k;
      await assert.rejects(host.applyPlan(next.plan, { previous: result.written }), /could not be written .*put back as it was/);
      assert.deepEqual(state(workbook), before, `failure at write ${k}`);
    }
    const fresh = sampleWorkbook();
    fresh.failAtWrite = 2;
    await assert.rejects(previewHost(fresh, memoryStore()).applyPlan(next.plan), /partial sheet was removed/);
    assert.deepEqual(fresh.engine.getSheetNames(), ["Data"]);
  });

  it("keeps the formats of a rebuilt model under its own sheet (a count of 60 shows as a count)", async () => {
    const { workbook, host, result } = await buildFromSelection();
    await host.applyPlan((await planFor(workbook, 60)).plan, { previous: result.written });
    const id = workbook.sheetId("Cohort model");
    assert.equal(workbook.formatAt(id, 12, 2), "0"); // Horizon, B12
    assert.deepEqual(workbook.text("Cohort model", "B12"), [["60"]]);
  });

  it("lists and reads named ranges as sources, labels as displayed", async () => {
    const workbook = sampleWorkbook();
    const host = previewHost(workbook, memoryStore());
    assert.deepEqual(await host.listRangeNames(), ["SampleCohorts"]);
    const { address, values } = await host.readRange("SampleCohorts");
    assert.equal(address, "Data!A1:I8");
    assert.equal(readCohortTable(values).length, 7);
    workbook.setCells("Data", "A2", [["01/01/2025"]]);
    const read = await host.readRange("SampleCohorts");
    assert.equal(typeof read.values[1]![0], "number"); // the engine stores the date as a serial number…
    assert.equal(readCohortTable(read.values, read.text)[0]!.label, "01/01/2025"); // …and the model reads what the user sees
    await assert.rejects(host.readRange("Data!A1:Z20000"), /20,000 rows × 26 columns; select the table itself/);
  });

  it("keeps settings as text, and hands back a blob it cannot parse for the caller to report", async () => {
    const store = memoryStore();
    const host = previewHost(sampleWorkbook(), store);
    await host.saveSettings("cohort", { version: 2, revenue: 30 });
    assert.equal(await host.loadSettings("cohort"), '{"version":2,"revenue":30}');
    store.items.set("lifetime:cohort", "{not json");
    assert.equal(await host.loadSettings("cohort"), "{not json");
  });
});

describe("requirement sets in the preview", () => {
  it("plays an older Excel when asked, comparing versions as Office does", async () => {
    const { versionAtLeast } = await import("../../../src/host/preview/previewHost");
    assert.equal(versionAtLeast("1.12", "1.9"), true);
    assert.equal(versionAtLeast("1.9", "1.12"), false);
    assert.deepEqual(previewHost(sampleWorkbook(), memoryStore(), { excelApi: "1.9" }).missingRequirements(), ["ExcelApi 1.12 (worksheet custom properties mark a model's sheets)"]);
    assert.deepEqual(previewHost(sampleWorkbook(), memoryStore()).missingRequirements(), []);
  });
});
