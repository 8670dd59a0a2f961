import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { previewHost } from "../../../src/host/preview/previewHost";
import { sampleWorkbook } from "../../../src/host/preview/sampleWorkbook";
import { COHORT_SETTINGS_KEY, readCohortSettings } from "../../../src/models/cohort/settings";
import { PARTNER_SETTINGS_KEY } from "../../../src/models/partners/settings";
import { OccupiedCellsError } from "../../../src/models/written";
import { addScenario, setOverride } from "../../../src/taskpane/common/scenarioDrafts";
import { buildCohortModel, DEFAULT_FORM, type CohortForm } from "../../../src/taskpane/cohort/useCohortModel";
import { builtWhen, canChange, listModels, rebuildModel, removeModel, type WorkbookModel } from "../../../src/taskpane/home/models";
import { buildPartnerModel, defaultPartnerForm } from "../../../src/taskpane/partners/usePartnerModel";

/** The Home view's list of the workbook's models: read from their settings (every earlier version's), rebuilt, removed. */
function memoryStore() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k), items };
}
function preview() {
  const workbook = sampleWorkbook();
  const store = memoryStore();
  return { workbook, store, host: previewHost(workbook, store) };
}
/** The pane's cohort form on the sample table, with an Optimistic scenario at a revenue of 45. */
const cohortForm = (): CohortForm => {
  const scenarios = setOverride(addScenario(DEFAULT_FORM.scenarios), 1, "revenue", "45");
  return { ...DEFAULT_FORM, source: "SampleCohorts", scenarios };
};

describe("the cohort builder outside React", () => {
  it("builds from the form, saves the scenarios and when it was built, and rebuilds in place", async () => {
    const { host, workbook, store } = preview();
    const now = new Date("2026-11-24T14:05:00Z");
    const first = await buildCohortModel(host, cohortForm(), { now });
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model", "Cohort scenario 1", "Cohort scenario 2", "Cohort scenarios"]);
    const saved = readCohortSettings(store.items.get(`lifetime:${COHORT_SETTINGS_KEY}`)).settings!;
    assert.equal(saved.builtAt, "2026-11-24T14:05:00.000Z");
    assert.deepEqual(saved.economics.scenarios, [{ name: "Base", overrides: {} }, { name: "Optimistic", overrides: { revenue: 45 } }]);
    assert.deepEqual(saved, first.saved);
    assert.deepEqual(first.result.scenarios.map((s) => s.name), ["Base", "Optimistic"]);
    assert.ok(first.result.scenarios[1]!.clvNewCustomer > first.result.scenarios[0]!.clvNewCustomer);
    const again = await buildCohortModel(host, { ...cohortForm(), activeScenario: 1 }, { previous: first.saved.written });
    assert.equal(workbook.engine.getSheetNames().length, 5, "rebuilt in place");
    assert.equal(workbook.values("Cohort model", "B3")[0]![0], "Optimistic");
    assert.equal(again.result.active, 1);
    assert.equal(again.result.clvNewCustomer, first.result.scenarios[1]!.clvNewCustomer);
  });

  it("words what the model refuses for people, and writes nothing", async () => {
    const { host, workbook } = preview();
    await assert.rejects(buildCohortModel(host, { ...cohortForm(), margin: "3" }), /^Error: Gross margin must be between 0 and 1/);
    await assert.rejects(buildCohortModel(host, { ...cohortForm(), source: "Data!A1:B2" }), /^Error: The cohort table: /);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data"]);
  });
});

describe("the models in the workbook", () => {
  it("are none in a new workbook", async () => {
    assert.deepEqual(await listModels(preview().host), []);
  });

  it("list each built model: its kind, its sheet, when it was built, its scenarios", async () => {
    const { host } = preview();
    await buildCohortModel(host, cohortForm(), { now: new Date("2026-11-24T14:05:00Z") });
    await buildPartnerModel(host, defaultPartnerForm());
    const models = await listModels(host);
    assert.deepEqual(models.map((m) => [m.kind, m.title, m.sheet, m.scenarios]), [["cohort", "Cohort retention model", "Cohort model", 2], ["partners", "Referral-partner model", "Partner model", 1]]);
    assert.deepEqual(models[0]!.sheets, ["Cohort model", "Cohort scenario 1", "Cohort scenario 2", "Cohort scenarios"]);
    assert.equal(models[0]!.builtAt, "2026-11-24T14:05:00.000Z");
    assert.equal(builtWhen(models[0]!.builtAt, "en-GB").replace(/\d\d:\d\d$/, "hh:mm"), "24 Nov 2026, hh:mm");
    assert.ok(models.every(canChange));
  });

  it("read the settings of earlier versions: a version 1 blob (not built here) and a version 2 one from before builds were dated; nothing written over them", async () => {
    const { host, store } = preview();
    const economics = { revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 36, timing: "start" };
    const v1 = JSON.stringify({ version: 1, source: { kind: "range", address: "SampleCohorts" }, economics, sheetName: "Cohort model" });
    store.setItem(`lifetime:${COHORT_SETTINGS_KEY}`, v1);
    let [model] = await listModels(host);
    assert.equal(model!.sheet, "Cohort model");
    assert.equal(model!.written, undefined);
    assert.equal(canChange(model!), false, "a model of an earlier Lifetime that did not mark its sheet cannot be rebuilt in place or removed");
    await assert.rejects(removeModel(host, model!), /has not been built/);
    assert.equal(store.getItem(`lifetime:${COHORT_SETTINGS_KEY}`), v1);
    // Version 2 before builtAt: built, undated, and rebuilt from the list, which dates it.
    const built = await buildCohortModel(host, { ...DEFAULT_FORM, source: "SampleCohorts" });
    const { builtAt: _b, ...undated } = built.saved;
    void _b;
    store.setItem(`lifetime:${COHORT_SETTINGS_KEY}`, JSON.stringify(undated));
    [model] = await listModels(host);
    assert.equal(model!.builtAt, undefined);
    assert.ok(canChange(model!));
    await rebuildModel(host, model!);
    [model] = await listModels(host);
    assert.match(model!.builtAt!, /^\d{4}-\d\d-\d\dT/);
  });

  it("list a blob that cannot be read, or that a newer Lifetime wrote, with its problem, and never rebuild, remove or write over it", async () => {
    const { host, store, workbook } = preview();
    const bad = JSON.stringify({ version: 2, source: { kind: "range", address: "" }, economics: {} });
    const newer = JSON.stringify({ version: 99, future: true });
    store.setItem(`lifetime:${COHORT_SETTINGS_KEY}`, bad);
    store.setItem(`lifetime:${PARTNER_SETTINGS_KEY}`, newer);
    const models = await listModels(host);
    assert.match(models[0]!.problem!, /could not be read.*left unchanged/);
    assert.match(models[1]!.problem!, /made with a newer version of Lifetime \(settings version 99/);
    assert.equal(models[1]!.newer, true);
    for (const m of models) {
      assert.equal(canChange(m), false);
      await assert.rejects(rebuildModel(host, m));
      await assert.rejects(removeModel(host, m));
    }
    assert.equal(store.getItem(`lifetime:${COHORT_SETTINGS_KEY}`), bad);
    assert.equal(store.getItem(`lifetime:${PARTNER_SETTINGS_KEY}`), newer);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data"]);
  });

  it("rebuild from their settings in place, asking before writing over a user's cells", async () => {
    const { host, workbook } = preview();
    await buildCohortModel(host, { ...DEFAULT_FORM, source: "SampleCohorts", horizon: "12" });
    workbook.setCells("Data", "K1", [["='Cohort model'!B20"]]);
    const clv = workbook.values("Data", "K1")[0]![0];
    let [model] = await listModels(host);
    // Rebuilt from the list: the same sheet, in place.
    await rebuildModel(host, model!);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model"]);
    assert.equal(workbook.values("Data", "K1")[0]![0], clv, "the user's formula still reads the model");
    // A longer horizon saved (as the form would) and a user's note where the model now needs a cell.
    await buildCohortModel(host, { ...DEFAULT_FORM, source: "SampleCohorts", horizon: "12" }, { previous: model!.written });
    [model] = await listModels(host);
    const longer = { ...model!, settings: { ...model!.settings!, economics: { ...model!.settings!.economics, horizon: 36 } } } as WorkbookModel;
    workbook.setCells("Cohort model", "AM52", [["keep me"]]);
    await assert.rejects(rebuildModel(host, longer), (e: unknown) => e instanceof OccupiedCellsError && e.cells.some((c) => c.content === "keep me"));
    assert.equal(workbook.values("Cohort model", "AM52")[0]![0], "keep me");
    await rebuildModel(host, longer, true);
    assert.notEqual(workbook.values("Cohort model", "AM52")[0]![0], "keep me");
  });

  it("remove a model's sheets and settings, and leave the other model and the user's sheets", async () => {
    const { host, workbook, store } = preview();
    await buildCohortModel(host, cohortForm());
    await buildPartnerModel(host, defaultPartnerForm());
    workbook.engine.addSheet("Notes");
    const [cohort] = await listModels(host);
    assert.deepEqual(await removeModel(host, cohort!), ["Cohort model", "Cohort scenario 1", "Cohort scenario 2", "Cohort scenarios"]);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Partner model", "Notes"]);
    assert.equal(store.items.has(`lifetime:${COHORT_SETTINGS_KEY}`), false);
    assert.deepEqual((await listModels(host)).map((m) => m.kind), ["partners"]);
  });
});
