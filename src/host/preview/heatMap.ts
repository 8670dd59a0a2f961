import { HEAT_MAP } from "../../models/plan";

/** A heat map's scale over the numbers of its range: the lowest, the median (50th percentile, as Excel's PERCENTILE), the highest. */
export interface HeatScale {
  min: number;
  mid: number;
  max: number;
}

/** The scale of a range's values (numbers only: text, errors and blanks are not coloured, as in Excel); undefined when it holds no number. */
export function heatScale(values: readonly unknown[]): HeatScale | undefined {
  const numbers = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (numbers.length === 0) return undefined;
  const rank = (HEAT_MAP.midPercentile / 100) * (numbers.length - 1);
  const below = Math.floor(rank);
  const lower = numbers[below] as number;
  const mid = lower + (rank - below) * ((numbers[Math.min(below + 1, numbers.length - 1)] as number) - lower);
  return { min: numbers[0] as number, mid, max: numbers[numbers.length - 1] as number };
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const LOW = rgb(HEAT_MAP.low);
const MID = rgb(HEAT_MAP.mid);
const HIGH = rgb(HEAT_MAP.high);
const hex = (channels: number[]) => `#${channels.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("").toUpperCase()}`;
const blend = (a: number[], b: number[], share: number) => a.map((x, i) => x + (((b[i] as number) - x) * share));

/** A value's colour on the scale, blended linearly between the low, mid and high colours as Excel does; undefined for a non-number. */
export function heatColor(value: unknown, scale: HeatScale): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  const { min, mid, max } = scale;
  if (value <= min) return max === min ? HEAT_MAP.mid : HEAT_MAP.low;
  if (value >= max) return HEAT_MAP.high;
  if (value <= mid) return hex(blend(LOW, MID, mid === min ? 1 : (value - min) / (mid - min)));
  return hex(blend(MID, HIGH, max === mid ? 1 : (value - mid) / (max - mid)));
}
