import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FIRST_KEYS, kindOfKey, MAX_MODELS, modelIndex, newModelKey, readRegistry, REGISTRY_KEY, REGISTRY_VERSION, withModel, withoutModel } from "../../src/models/registry";

/** The workbook's index of its models, as kept in its settings under "models". */
const text = (blob: unknown) => JSON.stringify(blob);
const none = { cohort: false, partners: false };

describe("the index of a workbook's models", () => {
  it("keeps the first model of each kind under the key every earlier Lifetime used", () => {
    assert.equal(REGISTRY_KEY, "models");
    assert.deepEqual(FIRST_KEYS, { cohort: "cohortModel", partners: "partnerModel" });
    assert.equal(kindOfKey("cohortModel:3"), "cohort");
    assert.equal(kindOfKey("partnerModel"), "partners");
    assert.equal(kindOfKey("cohortModelX"), undefined);
  });

  it("reads back an index it wrote, in order", () => {
    const blob = { version: REGISTRY_VERSION, models: [{ key: "cohortModel:2", kind: "cohort" }, { key: "cohortModel", kind: "cohort" }, { key: "partnerModel", kind: "partners" }] };
    assert.deepEqual(readRegistry(text(blob)), { registry: blob });
    assert.deepEqual(readRegistry(undefined), {});
    assert.deepEqual(readRegistry(""), {});
  });

  it("reports an index that fails validation, naming what is wrong, and never offers it for writing", () => {
    const cases: [unknown, RegExp][] = [
      [{ version: 1, models: [{ key: "cohortModel", kind: "cohort" }, { key: "cohortModel", kind: "cohort" }] }, /models: a settings key is listed twice/],
      [{ version: 1, models: [{ key: "partnerModel:2", kind: "cohort" }] }, /models\.0: the key is not one of its kind's/],
      [{ version: 1, models: [{ key: "lifetime.secret", kind: "cohort" }] }, /models\.0\.key: not a settings key Lifetime writes/],
      [{ version: 1, models: Array.from({ length: MAX_MODELS + 1 }, (_, i) => ({ key: `cohortModel:${i + 2}`, kind: "cohort" })) }, /more than 50 models/],
      [{ models: [] }, /version/],
    ];
    for (const [blob, problem] of cases) {
      const read = readRegistry(text(blob));
      assert.equal(read.registry, undefined);
      assert.match(read.problem!, problem);
      assert.match(read.problem!, /left unchanged/);
      const index = modelIndex(read, { cohort: true, partners: false });
      assert.equal(withModel(index, "cohortModel", "cohort"), undefined, "an unreadable index is never written over");
      assert.equal(withoutModel(index, "cohortModel"), undefined);
    }
    assert.match(readRegistry("{nope").problem!, /could not be read \(not JSON\)/);
    assert.match(readRegistry("x".repeat(2_000_001)).problem!, /more than Lifetime reads/);
  });

  it("marks an index from a newer Lifetime as one to leave alone", () => {
    const read = readRegistry(text({ version: REGISTRY_VERSION + 1, models: "elsewhere" }));
    assert.equal(read.newer, true);
    assert.match(read.problem!, /newer version of Lifetime \(version 2; this one reads up to 1\).*update Lifetime/);
  });

  it("upgrades a workbook of an earlier Lifetime: without an index, its models are the legacy keys that hold settings, cohort first", () => {
    assert.deepEqual(modelIndex({}, { cohort: true, partners: true }).entries, [{ key: "cohortModel", kind: "cohort" }, { key: "partnerModel", kind: "partners" }]);
    assert.deepEqual(modelIndex({}, { cohort: false, partners: true }).entries, [{ key: "partnerModel", kind: "partners" }]);
    assert.deepEqual(modelIndex({}, none).entries, []);
    // Written at the first save, with the legacy models in it; nothing to write on merely reading.
    const legacy = modelIndex({}, { cohort: true, partners: true });
    assert.deepEqual(withModel(legacy, "cohortModel:2", "cohort"), {
      version: 1,
      models: [{ key: "cohortModel", kind: "cohort" }, { key: "partnerModel", kind: "partners" }, { key: "cohortModel:2", kind: "cohort" }],
    });
    assert.deepEqual(withModel(legacy, "cohortModel", "cohort")?.models.length, 2, "saving a legacy model writes the index of both");
    assert.equal(withoutModel(legacy, "cohortModel"), undefined, "a removal writes no index where there was none");
  });

  it("lists a legacy key an index lacks (saved by an earlier Lifetime since), after the index's own", () => {
    const read = readRegistry(text({ version: 1, models: [{ key: "cohortModel:2", kind: "cohort" }] }));
    const index = modelIndex(read, { cohort: true, partners: true });
    assert.deepEqual(index.entries.map((e) => e.key), ["cohortModel:2", "cohortModel", "partnerModel"]);
    assert.deepEqual(withModel(index, "cohortModel:2", "cohort"), undefined, "the index lists it already");
    assert.deepEqual(withoutModel(index, "cohortModel:2"), { version: 1, models: [] });
  });

  it("gives a new model the kind's first key when it is free, else the first free numbered one; none beyond the first while the index cannot be used", () => {
    const empty = modelIndex({}, none);
    assert.equal(newModelKey(empty, "cohort", () => false), "cohortModel");
    const read = readRegistry(text({ version: 1, models: [{ key: "cohortModel", kind: "cohort" }, { key: "cohortModel:2", kind: "cohort" }] }));
    const two = modelIndex(read, none);
    assert.equal(newModelKey(two, "cohort", () => false), "cohortModel:3");
    assert.equal(newModelKey(two, "cohort", (k) => k === "cohortModel:3"), "cohortModel:4", "settings held under a key the index does not list are never taken");
    assert.equal(newModelKey(two, "partners", () => false), "partnerModel");
    const broken = modelIndex(readRegistry("{nope"), { cohort: true, partners: false });
    assert.throws(() => newModelKey(broken, "cohort", () => false), /could not be read.*adds no other: use “Forget the list” on Home/);
    assert.equal(newModelKey(broken, "partners", () => false), "partnerModel", "the first of a kind needs no index");
    const full = modelIndex({ registry: { version: 1, models: Array.from({ length: MAX_MODELS }, (_, i) => ({ key: i === 0 ? "cohortModel" : `cohortModel:${i + 1}`, kind: "cohort" as const })) } }, none);
    assert.throws(() => newModelKey(full, "cohort", () => false), /holds 50 models/);
  });
});
