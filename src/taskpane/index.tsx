import { createRoot } from "react-dom/client";
import { detectHost } from "../host/environment";
import { officeHost } from "../host/excel/officeHost";
import { App } from "./App";

void detectHost().then((environment) => {
  const root = document.getElementById("root");
  if (!root) return;
  if (environment.kind !== "excel") {
    root.textContent = "Open Lifetime from Excel's Home tab, or run npm start and open the preview page to try it in a browser.";
    return;
  }
  createRoot(root).render(<App host={officeHost()} dark={environment.dark} />);
});
