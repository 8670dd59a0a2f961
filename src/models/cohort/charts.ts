import type { CohortModel } from "../../core/retention/cohortModel";
import type { ChartData } from "../charts";
import type { CohortModelSettings } from "./cohortPlan";

/**
 * The cohort model's key results as charts for the pane, from the core's numbers (the same
 * the sheet's formulas compute): the fitted survival curve against the survival observed
 * over all cohorts, and the discounted margin the customers active today bring in each
 * period ahead.
 */
export function cohortCharts(settings: CohortModelSettings, model: CohortModel): ChartData[] {
  const maxAge = settings.cohorts.reduce((m, c) => Math.max(m, c.survivors.length), 0);
  // Observed survival at age t over the cohorts observed that long: survivors over their sizes.
  const observed: { x: number; y: number }[] = [{ x: 0, y: 1 }];
  for (let t = 1; t <= maxAge; t++) {
    let survivors = 0;
    let size = 0;
    for (const c of settings.cohorts) {
      const n = c.survivors[t - 1];
      if (n === undefined) continue;
      survivors += n;
      size += c.customers;
    }
    if (size > 0) observed.push({ x: t, y: survivors / size });
  }
  const fitted = model.survival.slice(0, maxAge + settings.horizon + 1).map((y, x) => ({ x, y }));
  const horizon = settings.horizon;
  const margin = Array.from({ length: horizon }, (_, j) => ({ x: j + 1, y: model.cohorts.reduce((s, c) => s + (c.discountedMargin[j] ?? 0), 0) }));
  return [
    {
      title: "Survival: observed over all cohorts, and fitted",
      kind: "line",
      xLabel: `age in ${settings.period}s`,
      series: [
        { name: "Observed", points: observed },
        { name: "Fitted S(t)", points: fitted },
      ],
    },
    {
      title: `Discounted margin from today's customers, by ${settings.period} ahead`,
      kind: "areaStacked",
      xLabel: `${settings.period}s ahead`,
      series: [{ name: "All cohorts", points: margin }],
    },
  ];
}
