import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { partnerCharts } from "../../../src/models/partners/charts";
import { partnerProgram, partnerInputSchema } from "../../../src/models/partners/partnerPlan";

describe("partnerCharts: the pane's chart of a partner model", () => {
  it("draws each partner's total net value as a column, the highest first, labelled by name", () => {
    const partner = { customersPerPeriod: 10, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1 };
    const settings = partnerInputSchema.parse({
      partners: [
        { ...partner, name: "Small", customersPerPeriod: 2, rate: 0.2 },
        { ...partner, name: "=Big", customersPerPeriod: 40, rate: 0.1 },
        { ...partner, name: "Costly", rate: 0.9 },
      ],
      revenue: 50, margin: 0.7, curve: { kind: "constant", retention: 0.9 }, annualDiscount: 0.1, period: "month", horizon: 24, acquisitionPeriods: 12, paidCac: 100, timing: "start",
    });
    const program = partnerProgram(settings);
    const [chart] = partnerCharts(program);
    assert.equal(chart!.kind, "column");
    assert.deepEqual(chart!.categories, ["=Big", "Small", "Costly"]);
    const byName = new Map(program.partners.map((p) => [p.name, p.totalNetValue]));
    assert.deepEqual(chart!.series, [{ name: "Total net value", points: [0, 1, 2].map((x) => ({ x, y: byName.get(chart!.categories![x]!)! })) }]);
    assert.ok(chart!.series[0]!.points[2]!.y < 0, "a partner paid more than its customers' margin shows below 0");
  });
});
