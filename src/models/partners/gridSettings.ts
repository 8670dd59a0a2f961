import { z } from "zod";

/** The partner model's two-way grid, as its settings keep it (./grid.ts writes it). */
export const MIN_PARTNER_GRID_VALUES = 2;
export const MAX_PARTNER_GRID_VALUES = 25;

export const partnerGridSchema = z.object({
  /** The partner whose terms vary (by name); the first partner when absent. */
  partner: z.string().max(255).optional(),
  rates: z.array(z.number().min(0, "a commission rate in the grid must be 0 or more").max(1, "a commission rate in the grid is a fraction, at most 1 (20% is 0.2)")).min(MIN_PARTNER_GRID_VALUES, `the grid needs at least ${MIN_PARTNER_GRID_VALUES} commission rates`).max(MAX_PARTNER_GRID_VALUES, `at most ${MAX_PARTNER_GRID_VALUES} commission rates`),
  churnMultipliers: z.array(z.number().min(0, "a churn multiplier in the grid must be 0 or more")).min(MIN_PARTNER_GRID_VALUES, `the grid needs at least ${MIN_PARTNER_GRID_VALUES} churn multipliers`).max(MAX_PARTNER_GRID_VALUES, `at most ${MAX_PARTNER_GRID_VALUES} churn multipliers`),
});
export type PartnerGridSettings = z.infer<typeof partnerGridSchema>;

export const defaultPartnerGrid = (settings: { partners: readonly { name: string }[] }): PartnerGridSettings => ({ partner: settings.partners[0]?.name, rates: [0.05, 0.1, 0.15, 0.2, 0.25, 0.3], churnMultipliers: [0.6, 0.8, 1, 1.2, 1.5] });

