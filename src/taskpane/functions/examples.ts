/**
 * One worked example per LTV function, for the gallery's Insert button. Every example runs
 * in the tests (in the preview engine), so none can drift from the functions.
 */
export const FUNCTION_EXAMPLES: Record<string, string> = {
  CLV: "=LTV.CLV(100, 0.8, 0.1)",
  CLV_SCHEDULE: "=LTV.CLV_SCHEDULE(100, 0.8, 0.1, 12)",
  CLV_GRID: "=LTV.CLV_GRID(100, {0.7;0.8;0.9}, {0.05,0.1})",
  RETENTION_ROI: "=LTV.RETENTION_ROI(1000, 0.8, 0.85, 100, 50000, 0.1)",
  ACQ_VS_RETAIN: "=LTV.ACQ_VS_RETAIN(500, 1000, 50, 1000)",
  PERIODIC_RATE: "=LTV.PERIODIC_RATE(0.1, 12)",
  CAC_PAYBACK: "=LTV.CAC_PAYBACK(40, 0.9, 0, 100)",
  SBG_FIT: "=LTV.SBG_FIT({1000,631,468,382,326,289,262,241})",
  SBG_SURVIVAL: "=LTV.SBG_SURVIVAL({0.704,1.182}, 3)",
  SBG_RETENTION: "=LTV.SBG_RETENTION({0.704,1.182}, 8)",
  SBG_DERL: "=LTV.SBG_DERL({0.704,1.182}, 0.1)",
  SBG_DEL: "=LTV.SBG_DEL({0.704,1.182}, 0.1)",
  BGNBD_FIT: "=LTV.BGNBD_FIT(B2:B2358, C2:C2358, D2:D2358)",
  BGNBD_EXPECTED: "=LTV.BGNBD_EXPECTED({0.243,4.414,0.793,2.426}, 39, 2, 30.43, 38.86)",
  BGNBD_P_ALIVE: "=LTV.BGNBD_P_ALIVE({0.243,4.414,0.793,2.426}, 2, 30.43, 38.86)",
  BGNBD_CLV: "=LTV.BGNBD_CLV({0.243,4.414,0.793,2.426}, 35, 2, 30.43, 38.86, 12, 4.345, 0.01)",
  PNBD_FIT: "=LTV.PNBD_FIT(B2:B2358, C2:C2358, D2:D2358)",
  PNBD_EXPECTED: "=LTV.PNBD_EXPECTED({0.553,10.578,0.606,11.669}, 39, 2, 30.43, 38.86)",
  PNBD_P_ALIVE: "=LTV.PNBD_P_ALIVE({0.553,10.578,0.606,11.669}, 2, 30.43, 38.86)",
  PNBD_CLV: "=LTV.PNBD_CLV({0.553,10.578,0.606,11.669}, 35, 2, 30.43, 38.86, 12, 4.345, 0.01)",
  GG_FIT: "=LTV.GG_FIT(B2:B2358, E2:E2358)",
  GG_SPEND: "=LTV.GG_SPEND({6.25,3.74,15.44}, 1, 35)",
  COMMISSION_COST: "=LTV.COMMISSION_COST(50, 0.9, 0.01, 0.2, 12, 30, 2)",
  BREAKEVEN_COMMISSION: "=LTV.BREAKEVEN_COMMISSION(50, 0.9, 0.01, 150, 12, 30, 2)",
  TIER_RATE: "=LTV.TIER_RATE(30, {0,10,50}, {0.2,0.25,0.3}, 1)",
};

/** The metadata the build generates from the functions' JSDoc (functions.json), injected at build time. */
export interface FunctionMetadata {
  id: string;
  description?: string;
  parameters: { name: string; description?: string; optional?: boolean }[];
}
