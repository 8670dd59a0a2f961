/**
 * What the task pane needs to know about where it runs, read once at start-up. The only
 * Office.js calls of the pane go through src/host, so components never touch Office.
 */
export interface HostEnvironment {
  /** "excel" inside Excel; "browser" when the page is opened on its own. */
  kind: "excel" | "browser";
  /** Whether the Office theme is dark, so the pane can follow it. */
  dark: boolean;
}

function isDarkColor(hex: string | undefined): boolean {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? "");
  if (!match) return false;
  const [r, g, b] = match.slice(1).map((h) => parseInt(h, 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5; // relative luminance, Rec. 709 weights
}

export async function detectHost(): Promise<HostEnvironment> {
  const prefersDark = typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
  if (typeof Office === "undefined") return { kind: "browser", dark: prefersDark };
  const info = await Office.onReady();
  if (info.host !== Office.HostType.Excel) return { kind: "browser", dark: prefersDark };
  const theme = Office.context.officeTheme as Office.OfficeTheme | undefined;
  return { kind: "excel", dark: theme ? isDarkColor(theme.bodyBackgroundColor) : prefersDark };
}
