import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { programResults, type PartnerTerms } from "../../../src/core/partners/program";
import { previewHost, PreviewWorkbook } from "../../../src/host/preview/previewHost";
import { writeXlsx } from "../../../src/host/xlsx/writeXlsx";
import { buildPartnerPlan, PARTNER_SHEET, partnerInputSchema, type PartnerInput, type PartnerModelSettings } from "../../../src/models/partners/partnerPlan";
import { readValues, recalculateWithLibreOffice, type ReadCell } from "../../support/libreoffice";
import { withCell } from "../../support/plans";

/**
 * The partner model's two-way grid: the program's net value with one partner's flat commission
 * rate and churn multiplier varied, recalculated by LibreOffice Calc and by the preview's
 * engine, equal to the core's program with that partner's terms replaced (to 1e-9); another
 * partner typed into GridPartner moves the grid to that partner's terms.
 */
const partner = (name: string, terms: Partial<PartnerInput>): PartnerInput => ({ name, customersPerPeriod: 10, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1, ...terms });
const partners: PartnerInput[] = [
  partner("Lifetime 20%", { rate: 0.2 }),
  partner("Capped, held bounty", { rate: 0.25, commissionPeriods: 12, cap: 60, customersPerPeriod: 6, bounty: 80, holdPeriods: 2 }),
  partner("Tiers", { tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: "progressive" }, customersPerPeriod: 30, churnMultiplier: 0.8 }),
];
const settings: PartnerModelSettings = {
  revenue: 50,
  margin: 0.7,
  annualDiscount: 0.1,
  period: "month",
  horizon: 24,
  acquisitionPeriods: 12,
  paidCac: 180,
  timing: "start",
  partners,
  curve: { kind: "sbg", alpha: 0.9, beta: 2.6 },
  grid: { partner: "Capped, held bounty", rates: [0, 0.1, 0.3], churnMultipliers: [0.5, 1, 2] },
};

/** The core's program net value with partner `index` at a flat rate and churn multiplier. */
function core(index: number, rate: number, k: number): number {
  const terms = partners.map((p, i): PartnerTerms => (i === index ? { ...p, rate, tiers: undefined, churnMultiplier: k } : { ...p }));
  return programResults({ revenue: 50, margin: 0.7, curve: { kind: "sbg", alpha: 0.9, beta: 2.6 }, discountRate: Math.pow(1.1, 1 / 12) - 1, horizon: 24, acquisitionPeriods: 12, paidCac: 180, timing: "start" }, terms).netValue;
}

const close = (got: ReadCell | undefined, want: number) => typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
const built = buildPartnerPlan(partnerInputSchema.parse(settings), { withExpected: true });
const sheet = built.plan.sheets[0]!;
const at = (name: string) => sheet.names.find((n) => n.name === name)!.ref.replace(/\$/g, "");
const gridCell = (i: number, j: number) => {
  const [from] = at("Grid_Values").split(":") as [string];
  const row = Number(from.replace(/\D/g, "")) + i;
  return `${String.fromCharCode(66 + j)}${row}`;
};
let values: Map<string, ReadCell>[] = [];

before(async () => {
  const files = recalculateWithLibreOffice([await writeXlsx(built.plan), await writeXlsx(withCell(built.plan, at("GridPartner"), "Tiers"))]);
  values = await Promise.all(files.map((f) => readValues(f, PARTNER_SHEET)));
});

describe("the partner model's two-way grid", { timeout: 600_000 }, () => {
  it("LibreOffice: each cell is the program's net value with the partner's rate and multiplier, as the core computes it", () => {
    [0, 0.1, 0.3].forEach((rate, i) =>
      [0.5, 1, 2].forEach((k, j) => {
        const want = core(1, rate, k);
        assert.ok(close(values[0]!.get(gridCell(i, j)), want), `${rate} × ${k}: ${JSON.stringify(values[0]!.get(gridCell(i, j)))} against ${want}`);
      }),
    );
    // The cell at the partner's own rate and multiplier is the program's own net value.
    assert.ok(close(values[0]!.get(gridCell(2, 1)), core(1, 0.3, 1)));
    assert.ok(close(values[0]!.get(at("ProgramNetValue")), built.program.netValue));
  });

  it("LibreOffice: another partner typed into GridPartner moves the grid to its terms (its tiers replaced by the flat rate)", () => {
    [0, 0.1, 0.3].forEach((rate, i) => [0.5, 1, 2].forEach((k, j) => assert.ok(close(values[1]!.get(gridCell(i, j)), core(2, rate, k)), `${rate} × ${k}`)));
  });

  it("the preview's engine computes the same grid, and colours it as a heat map", async () => {
    const workbook = new PreviewWorkbook();
    await previewHost(workbook, { getItem: () => null, setItem: () => undefined }).applyPlan(built.plan);
    [0, 0.1, 0.3].forEach((rate, i) =>
      [0.5, 1, 2].forEach((k, j) => {
        const got = workbook.values(PARTNER_SHEET, gridCell(i, j))[0]![0];
        assert.ok(close(got as number, core(1, rate, k)), `${rate} × ${k}: ${JSON.stringify(got)}`);
      }),
    );
    assert.deepEqual(sheet.heatMaps, [{ range: at("Grid_Values") }]);
  });

  it("refuses a grid partner that is not in the table", () => {
    const parsed = partnerInputSchema.safeParse({ ...settings, grid: { ...settings.grid, partner: "Nobody" } });
    assert.equal(parsed.success, false);
    assert.match(parsed.error!.issues[0]!.message, /the grid's partner Nobody is not one of the partners/);
  });
});
