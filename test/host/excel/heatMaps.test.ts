import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyPlan } from "../../../src/host/excel/applyPlan";
import { buildCohortPlan, cohortInputSchema, type CohortFit } from "../../../src/models/cohort/cohortPlan";
import { HEAT_MAP, type WorkbookPlan } from "../../../src/models/plan";
import { writtenModelSchema } from "../../../src/models/written";
import { installFakeExcel, type FakeConditionalFormat } from "../../support/fakeExcel";
import { ECONOMICS, triangle } from "../../support/cohorts";

/**
 * Heat maps through Office.js, against the strict fake Excel: a build adds the grid's colour
 * scale, a rebuild takes the old model's off (and only the model's), a failed rebuild puts it
 * back, and the fake refuses colour scales Office.js refuses.
 */
const fit: CohortFit = { alpha: 0.7, beta: 1.2, logLikelihood: -1234.5, fittedOn: "2026-12-01" };
const settings = cohortInputSchema.parse({ ...ECONOMICS, horizon: 12, cohorts: triangle(3, 1000, 0.7, 1.2, 5) });
const plan = (grid?: unknown, cohorts = 3) => buildCohortPlan(cohortInputSchema.parse({ ...settings, cohorts: triangle(cohorts, 1000, 0.7, 1.2, 5), grid }), fit).plan;
const gridRange = (p: WorkbookPlan) => p.sheets[0]!.names.find((n) => n.name === "Grid_Values")!.ref.replace(/\$/g, "");
const scale = (range: string): Omit<FakeConditionalFormat, "id"> => ({
  type: "ColorScale",
  range,
  criteria: {
    minimum: { type: "LowestValue", formula: null, color: HEAT_MAP.low },
    midpoint: { type: "Percentile", formula: "50", color: HEAT_MAP.mid },
    maximum: { type: "HighestValue", formula: null, color: HEAT_MAP.high },
  },
});
const withoutIds = (formats: FakeConditionalFormat[]) => formats.map(({ id: _id, ...cf }) => cf);
const CAC_BY_REVENUE = { rows: { input: "CAC", values: [0, 100, 200] }, columns: { input: "Revenue", values: [20, 50] } };

describe("heat maps written by applyPlan (Office.js) on a strict Excel", () => {
  it("a build adds the grid's colour scale over Grid_Values, and records it", async () => {
    const excel = installFakeExcel();
    const p = plan();
    const result = await applyPlan(p);
    const sheet = excel.sheet("Cohort model");
    assert.deepEqual(withoutIds(sheet.conditionalFormats), [scale(gridRange(p))]);
    assert.deepEqual(result.written.sheets[0]!.heatMaps, [{ range: gridRange(p) }]);
    assert.ok(writtenModelSchema.safeParse(result.written).success);
  });

  it("a rebuild takes the old model's colour scale off and adds the new one; a user's own formats stay", async () => {
    const excel = installFakeExcel();
    const first = await applyPlan(plan());
    const sheet = excel.sheet("Cohort model");
    const old = gridRange(plan());
    // A user's colour scale over the grid and more, and one of theirs elsewhere: neither is the model's.
    const theirs: FakeConditionalFormat[] = [
      { ...scale("A1:Z200"), id: "{user-1}" },
      { ...scale("B5:B9"), id: "{user-2}", criteria: { minimum: { type: "Number", formula: "0", color: "#FFFFFF" }, maximum: { type: "Number", formula: "100", color: "#0000FF" } } },
    ];
    sheet.conditionalFormats.push(...theirs);
    const next = plan(CAC_BY_REVENUE, 4);
    assert.notEqual(gridRange(next), old);
    const result = await applyPlan(next, { previous: first.written });
    assert.equal(result.replaced, true);
    assert.deepEqual(withoutIds(sheet.conditionalFormats), [scale(gridRange(next)), ...withoutIds(theirs)]);
    // Rebuilt again on the same range: still one of the model's.
    const again = await applyPlan(next, { previous: result.written });
    assert.deepEqual(withoutIds(sheet.conditionalFormats), [scale(gridRange(next)), ...withoutIds(theirs)]);
    assert.deepEqual(again.written.sheets[0]!.heatMaps, [{ range: gridRange(next) }]);
  });

  it("reads a record written before heat maps (no heatMaps): nothing is taken off, the new scale is added", async () => {
    const excel = installFakeExcel();
    const first = await applyPlan(plan());
    const older = structuredClone(first.written);
    delete older.sheets[0]!.heatMaps;
    assert.ok(writtenModelSchema.safeParse(older).success, "an older record stays valid");
    excel.sheet("Cohort model").conditionalFormats.length = 0; // as an older build left it
    await applyPlan(plan(), { previous: older });
    assert.deepEqual(withoutIds(excel.sheet("Cohort model").conditionalFormats), [scale(gridRange(plan()))]);
  });

  it("a failure in any request of a rebuild that moves the heat map leaves the workbook exactly as it was", async () => {
    const setup = async () => {
      const excel = installFakeExcel({ sheets: ["Dashboard"] });
      const first = await applyPlan(plan());
      excel.sheet("Cohort model").conditionalFormats.push({ ...scale("H1:H4"), id: "{user}" });
      return { excel, first };
    };
    const { excel: probe, first: probeFirst } = await setup();
    const from = probe.syncs;
    const next = plan(CAC_BY_REVENUE, 4);
    await applyPlan(next, { previous: probeFirst.written });
    const syncs = probe.syncs - from;
    for (let k = 1; k <= syncs; k++) {
      for (const op of ["first", "last"] as const) {
        const { excel, first } = await setup();
        const before = excel.snapshot() as { sheets: { conditionalFormats: unknown[] }[] };
        assert.equal(before.sheets[1]!.conditionalFormats.length, 2, "the snapshot holds the formats");
        excel.failAt = { sync: excel.syncs + k, op };
        await assert.rejects(applyPlan(next, { previous: first.written }), /could not be written/);
        excel.failAt = undefined;
        assert.deepEqual(excel.snapshot(), before, `failure at request ${k} of ${syncs} (${op} operation)`);
      }
    }
  });
});

describe("the fake Excel's colour scales", () => {
  const run = <T>(body: (context: Excel.RequestContext) => Promise<T>) => Excel.run(body);
  const criteria = (patch: Record<string, unknown>) => ({ minimum: { type: "LowestValue", color: "#F8696B" }, maximum: { type: "HighestValue", color: "#63BE7B" }, ...patch });

  it("refuses what Office.js refuses: criteria without a maximum, an Invalid type, a percentile above 100, a formula on the lowest value, a colour that is none", async () => {
    for (const [what, bad] of [
      ["no maximum", { maximum: undefined }],
      ["an Invalid type", { midpoint: { type: "Invalid", color: "#FFFFFF" } }],
      ["a percentile of 150", { midpoint: { type: "Percentile", formula: "150", color: "#FFFFFF" } }],
      ["a number without its formula", { midpoint: { type: "Number", color: "#FFFFFF" } }],
      ["a formula on the lowest value", { minimum: { type: "LowestValue", formula: "3", color: "#FFFFFF" } }],
      ["the highest value as the midpoint", { midpoint: { type: "HighestValue", color: "#FFFFFF" } }],
      ["no colour", { midpoint: { type: "Percentile", formula: "50", color: "greenish" } }],
    ] as const) {
      const excel = installFakeExcel();
      await assert.rejects(
        run(async (context) => {
          const cf = context.workbook.worksheets.getItem("Sheet1").getRange("A1:B2").conditionalFormats.add(Excel.ConditionalFormatType.colorScale);
          cf.colorScale.criteria = criteria(bad) as unknown as Excel.ConditionalColorScaleCriteria;
          await context.sync();
        }),
        /InvalidArgument/,
        what,
      );
      // The format was added (Excel does not roll back), its criteria left as Excel made them.
      assert.equal(excel.sheet("Sheet1").conditionalFormats.length, 1, what);
    }
  });

  it("reads back what was set, lists the formats over a range; needs ExcelApi 1.6", async () => {
    const excel = installFakeExcel();
    await run(async (context) => {
      const cf = context.workbook.worksheets.getItem("Sheet1").getRange("C3:D9").conditionalFormats.add(Excel.ConditionalFormatType.colorScale);
      cf.colorScale.criteria = criteria({ midpoint: { type: "Percentile", formula: "50", color: "yellow" } }) as Excel.ConditionalColorScaleCriteria;
      await context.sync();
      const formats = context.workbook.worksheets.getItem("Sheet1").getRange("A1:C3").conditionalFormats;
      formats.load("items/id,items/type");
      const elsewhere = context.workbook.worksheets.getItem("Sheet1").getRange("E1:E2").conditionalFormats;
      elsewhere.load("items/id");
      await context.sync();
      assert.deepEqual(formats.items.map((f) => f.type), ["ColorScale"]);
      assert.equal(elsewhere.items.length, 0);
      const range = formats.items[0]!.getRangeOrNullObject();
      range.load("address");
      const scale = formats.items[0]!.colorScale;
      scale.load("criteria,threeColorScale");
      await context.sync();
      assert.equal(range.address, "Sheet1!C3:D9");
      assert.equal(scale.threeColorScale, true);
      assert.equal(scale.criteria.midpoint!.color, "#FFFF00");
    });
    assert.equal(excel.sheet("Sheet1").conditionalFormats[0]!.criteria.midpoint!.color, "#FFFF00");
    installFakeExcel({ apiSets: { ExcelApi: "1.5" } });
    await assert.rejects(run(async (context) => void context.workbook.worksheets.getItem("Sheet1").getRange("A1").conditionalFormats), /ApiNotFound/);
  });
});
