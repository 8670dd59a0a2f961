/**
 * Model plans at scale: a cohort model of 120 cohorts × 120 periods (14,400 projected
 * cells) and a partner model of 200 partners over a 120-period horizon, the time to build
 * each plan (the median of 15, after 3 warm-up builds) and to write it as .xlsx.
 */
import { sbgSurvival } from "../src/core/retention/shiftedBetaGeometric";
import { fitShiftedBetaGeometric } from "../src/core/retention/shiftedBetaGeometric";
import { writeXlsx } from "../src/host/xlsx/writeXlsx";
import { buildCohortPlan, type CohortModelSettings } from "../src/models/cohort/cohortPlan";
import { buildPartnerPlan, type PartnerModelSettings } from "../src/models/partners/partnerPlan";
import { writeSize } from "../src/models/plan";

/** The median time of 15 builds after 3 warm-up ones, and the last result. */
function medianBuild<T>(build: () => T): { ms: number; result: T } {
  for (let i = 0; i < 3; i++) build();
  const times: number[] = [];
  let result = build();
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    result = build();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1] as number, result };
}

const cellCount = (writes: Parameters<typeof writeSize>[0][]) =>
  writes.reduce((n, w) => {
    const { rows, columns } = writeSize(w);
    return n + rows * columns;
  }, 0);

export async function benchPlans(): Promise<void> {
  const cohorts = Array.from({ length: 120 }, (_, i) => ({
    label: `C${i + 1}`,
    customers: 1000 + i,
    survivors: Array.from({ length: 120 - i }, (_, t) => Math.round((1000 + i) * sbgSurvival({ alpha: 0.8, beta: 2.2 }, t + 1))),
  }));
  const settings: CohortModelSettings = { cohorts, revenue: 40, margin: 0.7, cac: 120, annualDiscount: 0.1, period: "month", horizon: 120, timing: "start" };
  const fit = fitShiftedBetaGeometric(cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
  const build = () => buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" });
  const withExpected = buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" }, { withExpected: true });
  const { ms: buildMs, result } = medianBuild(build);
  const cells = cellCount(result.plan.sheets[0]!.writes);
  const start = performance.now();
  const xlsx = await writeXlsx(result.plan);
  const writeMs = performance.now() - start;
  console.log(
    `\nCohort model plan, 120 cohorts × 120 periods (14,400 projected cells; ${cells.toLocaleString("en-US")} cells in ${result.plan.sheets[0]!.writes.length.toLocaleString("en-US")} writes, ${withExpected.expected.size.toLocaleString("en-US")} of them formulas): ` +
      `build ${buildMs.toFixed(1)} ms (median of 15; target under 100 ms: ${buildMs < 100 ? "within" : "OUTSIDE"}), .xlsx write ${writeMs.toFixed(0)} ms, ${(xlsx.length / 1024 / 1024).toFixed(1)} MB`,
  );

  // 200 partners over 120 periods: flat rates, capped terms, held bounties and tiers in turn.
  const partners: PartnerModelSettings["partners"] = Array.from({ length: 200 }, (_, i) => {
    const base = { name: `Partner ${i + 1}`, customersPerPeriod: 1 + (i % 40), commissionPeriods: i % 3 === 0 ? 0 : 12, bounty: i % 4 === 0 ? 50 : 0, holdPeriods: i % 4 === 0 ? 3 : 0, churnMultiplier: 0.8 + (i % 5) * 0.1 };
    return i % 2 === 0 ? { ...base, rate: 0.1 + (i % 10) / 100, cap: i % 6 === 0 ? 200 : undefined } : { ...base, tiers: { starts: [0, 10, 25], rates: [0.15, 0.2, 0.3], method: i % 4 === 1 ? ("all" as const) : ("progressive" as const) } };
  });
  const partnerSettings: PartnerModelSettings = { partners, revenue: 50, margin: 0.7, curve: { kind: "sbg", alpha: 0.8, beta: 2.2 }, annualDiscount: 0.1, period: "month", horizon: 120, acquisitionPeriods: 24, paidCac: 180, timing: "start" };
  const partner = medianBuild(() => buildPartnerPlan(partnerSettings));
  const partnerCells = cellCount(partner.result.plan.sheets[0]!.writes);
  const partnerStart = performance.now();
  const partnerXlsx = await writeXlsx(partner.result.plan);
  const partnerWriteMs = performance.now() - partnerStart;
  console.log(
    `Partner model plan, 200 partners × 120 periods (${partnerCells.toLocaleString("en-US")} cells in ${partner.result.plan.sheets[0]!.writes.length.toLocaleString("en-US")} writes, the core's program included): ` +
      `build ${partner.ms.toFixed(1)} ms (median of 15), .xlsx write ${partnerWriteMs.toFixed(0)} ms, ${(partnerXlsx.length / 1024 / 1024).toFixed(1)} MB`,
  );

  // The same models with scenarios: a sheet per scenario and the comparison.
  const scenarios = [
    { name: "Base", overrides: {} },
    { name: "Optimistic", overrides: { revenue: 48, margin: 0.75 } },
    { name: "Pessimistic", overrides: { cac: 160, annualDiscount: 0.15 } },
    { name: "Longer", overrides: { horizon: 150 } },
  ];
  const withScenarios = medianBuild(() => buildCohortPlan({ ...settings, scenarios }, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "2026-11-24" }));
  const scenarioCells = withScenarios.result.plan.sheets.reduce((n, sheet) => n + cellCount(sheet.writes), 0);
  const scenarioStart = performance.now();
  const scenarioXlsx = await writeXlsx(withScenarios.result.plan);
  console.log(
    `Cohort model plan with 4 scenarios (one to a 150-period horizon): ${withScenarios.result.plan.sheets.length} sheets, ${scenarioCells.toLocaleString("en-US")} cells: ` +
      `build ${withScenarios.ms.toFixed(1)} ms (median of 15), .xlsx write ${(performance.now() - scenarioStart).toFixed(0)} ms, ${(scenarioXlsx.length / 1024 / 1024).toFixed(1)} MB`,
  );
  const partnerScenarios = [
    { name: "Base", overrides: {} },
    { name: "Cheaper paid", overrides: { paidCac: 120 } },
    { name: "Loyal", overrides: { beta: 3, acquisitionPeriods: 36 } },
  ];
  const partnerWithScenarios = medianBuild(() => buildPartnerPlan({ ...partnerSettings, scenarios: partnerScenarios }));
  const partnerScenarioCells = partnerWithScenarios.result.plan.sheets.reduce((n, sheet) => n + cellCount(sheet.writes), 0);
  console.log(
    `Partner model plan with 3 scenarios: ${partnerWithScenarios.result.plan.sheets.length} sheets, ${partnerScenarioCells.toLocaleString("en-US")} cells: build ${partnerWithScenarios.ms.toFixed(1)} ms (median of 15)`,
  );
}

if (require.main === module) void benchPlans();
