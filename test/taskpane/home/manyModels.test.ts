import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { previewHost } from "../../../src/host/preview/previewHost";
import { sampleWorkbook } from "../../../src/host/preview/sampleWorkbook";
import { readCohortSettings } from "../../../src/models/cohort/settings";
import { readPartnerSettings } from "../../../src/models/partners/settings";
import { readRegistry } from "../../../src/models/registry";
import { allocateModelKey, forgetModelIndex, loadModelIndex } from "../../../src/taskpane/common/modelIndex";
import { buildCohortModel, DEFAULT_FORM, type CohortForm } from "../../../src/taskpane/cohort/useCohortModel";
import { canChange, listModels, rebuildModel, removeModel, workbookModels, type WorkbookModel } from "../../../src/taskpane/home/models";
import { buildPartnerModel, defaultPartnerForm, findCohortModel, listCohortModels } from "../../../src/taskpane/partners/usePartnerModel";

/**
 * Any number of models in one workbook: the index of them (src/models/registry.ts) through the
 * preview's host, the builders' Build and Rebuild under a model's own settings key (what the
 * pane's hooks call), the list's Rebuild and Remove of one model, and workbooks of earlier
 * versions (no index) upgraded without a write on opening.
 */
function memoryStore() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k), items };
}
function preview() {
  const workbook = sampleWorkbook();
  const store = memoryStore();
  return { workbook, store, host: previewHost(workbook, store) };
}
/** A cohort form from assumptions: an sBG curve with this alpha, this revenue. */
const assumed = (alpha: string, revenue = "30"): CohortForm => ({ ...DEFAULT_FORM, sourceKind: "assumptions", curve: "sbg", alpha, beta: "1.2", revenue, horizon: "24" });
const snapshot = (store: ReturnType<typeof memoryStore>) => new Map(store.items);
const INDEX = "lifetime:models";

describe("two cohort models in one workbook", () => {
  it("build to sheets of their own under keys of their own, each rebuilt in place alone; removing one leaves the other, which rebuilds", async () => {
    const { host, workbook, store } = preview();
    const firstKey = await allocateModelKey(host, "cohort");
    assert.equal(firstKey, "cohortModel");
    const first = await buildCohortModel(host, assumed("0.7"), { key: firstKey });
    const secondKey = await allocateModelKey(host, "cohort");
    assert.equal(secondKey, "cohortModel:2");
    const second = await buildCohortModel(host, assumed("0.9", "45"), { key: secondKey });
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model", "Cohort model (2)"]);
    assert.equal(second.built.sheetName, "Cohort model (2)");
    assert.notEqual(first.saved.written!.instance, second.saved.written!.instance, "each model marks its sheets with its own instance");
    // Each sheet computes its own model: its formulas read its own cells, not the first sheet's.
    const equity = (sheet: string) => workbook.values(sheet, "B21")[0]![0] as number;
    assert.ok(Math.abs(equity("Cohort model") - first.result.customerEquity) < 1e-6 * first.result.customerEquity);
    assert.ok(Math.abs(equity("Cohort model (2)") - second.result.customerEquity) < 1e-6 * second.result.customerEquity);
    assert.notEqual(first.result.customerEquity, second.result.customerEquity);
    // Saved under their own keys, and the index lists both.
    assert.equal(readCohortSettings(store.getItem("lifetime:cohortModel") ?? undefined).settings!.sheetName, "Cohort model");
    assert.equal(readCohortSettings(store.getItem("lifetime:cohortModel:2") ?? undefined).settings!.sheetName, "Cohort model (2)");
    assert.deepEqual(readRegistry(store.getItem(INDEX) ?? undefined).registry, { version: 1, models: [{ key: "cohortModel", kind: "cohort" }, { key: "cohortModel:2", kind: "cohort" }] });

    let models = await listModels(host);
    assert.deepEqual(models.map((m) => [m.key, m.sheet, m.label]), [
      ["cohortModel", "Cohort model", "cohort retention model on “Cohort model”"],
      ["cohortModel:2", "Cohort model (2)", "cohort retention model on “Cohort model (2)”"],
    ]);
    assert.ok(models.every(canChange));

    // Rebuilding the second at another revenue changes its sheet only, saved under its own key.
    const firstBlob = store.getItem("lifetime:cohortModel");
    const before = equity("Cohort model");
    const changed = { ...models[1]!, settings: { ...models[1]!.settings!, economics: { ...models[1]!.settings!.economics, revenue: 60 } } } as WorkbookModel;
    await rebuildModel(host, changed);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model", "Cohort model (2)"], "rebuilt in place");
    assert.equal(equity("Cohort model"), before, "the first model's sheet is untouched");
    assert.ok(Math.abs(equity("Cohort model (2)") / second.result.customerEquity - 60 / 45) < 1e-9, "the second sheet's equity scales with its revenue");
    assert.equal(store.getItem("lifetime:cohortModel"), firstBlob, "the first model's settings are untouched");
    assert.equal(readCohortSettings(store.getItem("lifetime:cohortModel:2") ?? undefined).settings!.economics.revenue, 60);
    // Rebuilding the first touches its own sheet.
    models = await listModels(host);
    await rebuildModel(host, models[0]!);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model", "Cohort model (2)"]);

    // A partner model may read either: the first by default, the one chosen by its key.
    assert.deepEqual(await listCohortModels(host), [{ key: "cohortModel", sheet: "Cohort model" }, { key: "cohortModel:2", sheet: "Cohort model (2)" }]);
    assert.equal((await findCohortModel(host)).link?.alpha, 0.7);
    assert.equal((await findCohortModel(host, secondKey)).link?.alpha, 0.9);
    const partner = await buildPartnerModel(host, { ...defaultPartnerForm(), curve: "linked", cohortKey: secondKey });
    assert.deepEqual(readPartnerSettings(store.getItem("lifetime:partnerModel") ?? undefined).settings!.economics.curve, { kind: "linked", sheet: "Cohort model (2)", alphaCell: "$B$14", betaCell: "$B$15", alpha: 0.9, beta: 1.2 });
    assert.equal(partner.result.sheetName, "Partner model");

    // Removing the first deletes its sheet, its settings and its entry; the second stays and rebuilds.
    models = await listModels(host);
    assert.deepEqual(await removeModel(host, models[0]!), ["Cohort model"]);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model (2)", "Partner model"]);
    assert.equal(store.getItem("lifetime:cohortModel"), null);
    assert.deepEqual(readRegistry(store.getItem(INDEX) ?? undefined).registry!.models.map((e) => e.key), ["cohortModel:2", "partnerModel"]);
    models = await listModels(host);
    assert.deepEqual(models.map((m) => [m.key, m.sheet]), [["cohortModel:2", "Cohort model (2)"], ["partnerModel", "Partner model"]]);
    // The list's Rebuild of the partner model reads the cohort model it was linked to, which remains.
    await rebuildModel(host, models[1]!);
    await rebuildModel(host, models[0]!);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model (2)", "Partner model"]);
    assert.ok(Math.abs(equity("Cohort model (2)") / second.result.customerEquity - 60 / 45) < 1e-9);
    // The first key is free again: the next new cohort model takes it.
    assert.equal(await allocateModelKey(host, "cohort"), "cohortModel");
  });
});

describe("a workbook written by an earlier Lifetime (no index)", () => {
  /** The blobs earlier versions wrote: cohort settings version 2 without scenarios nor a date, partner settings as first written (no date). */
  async function earlierWorkbook() {
    const made = preview();
    const cohort = await buildCohortModel(made.host, assumed("0.7"));
    const partner = await buildPartnerModel(made.host, defaultPartnerForm());
    const { builtAt: _c, ...cohortV2 } = cohort.saved;
    const { builtAt: _p, ...partnerV1 } = partner.saved;
    void _c;
    void _p;
    assert.equal(cohortV2.economics.scenarios, undefined);
    assert.equal(partnerV1.economics.scenarios, undefined);
    made.store.setItem("lifetime:cohortModel", JSON.stringify(cohortV2));
    made.store.setItem("lifetime:partnerModel", JSON.stringify(partnerV1));
    made.store.removeItem(INDEX);
    return made;
  }

  it("lists its models from the legacy keys, and writes nothing on opening", async () => {
    const { host, store } = await earlierWorkbook();
    const stored = snapshot(store);
    const { models, index } = await workbookModels(host);
    assert.deepEqual(models.map((m) => [m.kind, m.key, m.sheet, m.builtAt]), [["cohort", "cohortModel", "Cohort model", undefined], ["partners", "partnerModel", "Partner model", undefined]]);
    assert.equal(index.problem, undefined);
    assert.ok(models.every(canChange));
    await loadModelIndex(host);
    assert.equal(await allocateModelKey(host, "cohort"), "cohortModel:2");
    assert.deepEqual(store.items, stored, "listing, reading the index and choosing a key write nothing");
  });

  it("is upgraded when a model is next saved: the index written with the legacy models, their blobs unchanged", async () => {
    const { host, store, workbook } = await earlierWorkbook();
    const cohortBlob = store.getItem("lifetime:cohortModel");
    const partnerBlob = store.getItem("lifetime:partnerModel");
    const key = await allocateModelKey(host, "cohort");
    await buildCohortModel(host, assumed("0.9"), { key });
    assert.deepEqual(readRegistry(store.getItem(INDEX) ?? undefined).registry, {
      version: 1,
      models: [{ key: "cohortModel", kind: "cohort" }, { key: "partnerModel", kind: "partners" }, { key: "cohortModel:2", kind: "cohort" }],
    });
    assert.equal(store.getItem("lifetime:cohortModel"), cohortBlob);
    assert.equal(store.getItem("lifetime:partnerModel"), partnerBlob);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model", "Partner model", "Cohort model (2)"]);
    assert.deepEqual((await listModels(host)).map((m) => m.key), ["cohortModel", "partnerModel", "cohortModel:2"]);
  });

  it("reads a cohort blob of version 1 (no record of its sheet) as before: listed, not changeable, nothing written", async () => {
    const { host, store } = preview();
    const economics = { revenue: 30, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 36, timing: "start" };
    const v1 = JSON.stringify({ version: 1, source: { kind: "range", address: "SampleCohorts" }, economics, sheetName: "Cohort model" });
    store.setItem("lifetime:cohortModel", v1);
    const [model] = await listModels(host);
    assert.equal(model!.sheet, "Cohort model");
    assert.equal(canChange(model!), false);
    assert.equal(await allocateModelKey(host, "cohort"), "cohortModel:2", "its key is taken");
    assert.deepEqual([...store.items.keys()], ["lifetime:cohortModel"]);
    assert.equal(store.getItem("lifetime:cohortModel"), v1);
  });
});

describe("an index that cannot be used", () => {
  const broken = JSON.stringify({ version: 1, models: [{ key: "cohortModel", kind: "cohort" }, { key: "cohortModel", kind: "cohort" }] });
  const newer = JSON.stringify({ version: 7, models: { elsewhere: true } });

  it("is reported and kept: the legacy keys are listed, the first model rebuilds, and no model is added beyond the first of a kind", async () => {
    const { host, store, workbook } = preview();
    await buildCohortModel(host, assumed("0.7"));
    store.setItem(INDEX, broken);
    const { models, index } = await workbookModels(host);
    assert.match(index.problem!, /list of models could not be read \(models: a settings key is listed twice\)\. It was left unchanged/);
    assert.deepEqual(models.map((m) => m.key), ["cohortModel"]);
    await assert.rejects(allocateModelKey(host, "cohort"), /adds no other: use “Forget the list” on Home/);
    await assert.rejects(buildCohortModel(host, assumed("0.9"), { key: "cohortModel:2" }), /adds no other/);
    assert.deepEqual(workbook.engine.getSheetNames(), ["Data", "Cohort model"], "nothing built");
    assert.equal(store.getItem("lifetime:cohortModel:2"), null);
    await rebuildModel(host, models[0]!);
    // The first model of another kind needs no index: it is built, and the index is not written.
    assert.equal(await allocateModelKey(host, "partners"), "partnerModel");
    await buildPartnerModel(host, defaultPartnerForm());
    const partner = (await listModels(host)).find((m) => m.kind === "partners")!;
    await removeModel(host, partner);
    assert.equal(store.getItem(INDEX), broken, "never written over");
    // Forgotten when the user asks: the list is the legacy keys again, and models can be added.
    await forgetModelIndex(host);
    assert.equal(store.getItem(INDEX), null);
    assert.equal(await allocateModelKey(host, "cohort"), "cohortModel:2");
  });

  it("from a newer Lifetime is never forgotten nor written over", async () => {
    const { host, store } = preview();
    await buildCohortModel(host, assumed("0.7"));
    store.setItem(INDEX, newer);
    const { models, index } = await workbookModels(host);
    assert.equal(index.newer, true);
    assert.deepEqual(models.map((m) => m.key), ["cohortModel"]);
    await assert.rejects(allocateModelKey(host, "cohort"), /newer version of Lifetime.*update Lifetime/);
    await assert.rejects(forgetModelIndex(host), /newer version/);
    await rebuildModel(host, models[0]!);
    assert.equal(store.getItem(INDEX), newer);
  });
});
