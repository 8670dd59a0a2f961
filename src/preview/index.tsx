import "./runtime";
import "../functions/functions";
import { createRoot } from "react-dom/client";
import { FluentProvider, makeStyles, tokens, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { registerLtvFunctions } from "../host/preview/customFunctions";
import { previewHost } from "../host/preview/previewHost";
import { sampleWorkbook } from "../host/preview/sampleWorkbook";
import { App } from "../taskpane/App";
import { PreviewGrid } from "./PreviewGrid";
import { ltvFunctions } from "./runtime";

/**
 * The preview: the real task pane beside a workbook computed by the project's own formula engine, for trying
 * Lifetime in a browser without Excel. Settings persist in the browser's local storage.
 */
registerLtvFunctions(ltvFunctions);
const workbook = sampleWorkbook();
const params = new URLSearchParams(window.location.search);
// ?excelApi=1.9 plays an Excel without the requirement sets the model builder needs.
const host = previewHost(workbook, window.localStorage, { excelApi: params.get("excelApi") ?? undefined });
// The workbook on the page, for the end-to-end tests (and anyone curious in the console).
Object.assign(window, { lifetimePreview: workbook });
const dark = params.get("theme") === "dark" || (params.get("theme") !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);

const useStyles = makeStyles({
  // Side by side where there is room; at narrow widths the pane wraps below the workbook.
  layout: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, padding: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground2, minHeight: "100vh", boxSizing: "border-box" },
  grid: { flex: "1 1 480px", minWidth: 0, display: "flex" },
  pane: { flex: "0 1 360px", maxWidth: "100%", minWidth: 0, borderLeft: `1px solid ${tokens.colorNeutralStroke1}` },
});

function Preview() {
  const styles = useStyles();
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <div className={styles.layout}>
        <div className={styles.grid}>
          <PreviewGrid workbook={workbook} />
        </div>
        <aside className={styles.pane} aria-label="Lifetime task pane" data-testid="pane">
          <App host={host} dark={dark} />
        </aside>
      </div>
    </FluentProvider>
  );
}

createRoot(document.getElementById("root")!).render(<Preview />);
