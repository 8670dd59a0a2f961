import type ExcelJS from "exceljs";
import { HEAT_MAP, type HeatMapPlan } from "../../models/plan";

/**
 * A sheet's heat maps as the file's conditional formatting: a three-colour scale on each
 * range (lowest, 50th percentile, highest), which Excel and LibreOffice draw.
 */
export function addHeatMaps(ws: ExcelJS.Worksheet, heatMaps: readonly HeatMapPlan[] = []): void {
  const argb = (color: string) => `FF${color.replace("#", "").toUpperCase()}`;
  heatMaps.forEach((h, i) =>
    ws.addConditionalFormatting({
      ref: h.range.replace(/\$/g, ""),
      rules: [
        {
          type: "colorScale",
          priority: i + 1,
          cfvo: [{ type: "min" }, { type: "percentile", value: HEAT_MAP.midPercentile }, { type: "max" }],
          color: [{ argb: argb(HEAT_MAP.low) }, { argb: argb(HEAT_MAP.mid) }, { argb: argb(HEAT_MAP.high) }],
        },
      ],
    }),
  );
}
