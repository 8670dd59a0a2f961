import { createRoot } from "react-dom/client";
import { detectHost } from "../host/environment";
import { App } from "./App";

void detectHost().then((host) => {
  const root = document.getElementById("root");
  if (root) createRoot(root).render(<App host={host} />);
});
