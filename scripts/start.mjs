// npm start: serves the add-in over HTTPS on localhost (certificates from
// office-addin-dev-certs) and, where desktop Excel exists (Windows, macOS), sideloads
// manifest.xml into it. Elsewhere it says what it served and how to sideload it in Excel
// on the web. Stop with Ctrl+C.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { freePort } = require("./dev-server.cjs");
const MANIFEST_PORT = 3000; // manifest.xml names this port
const port = await freePort(MANIFEST_PORT);
if (port === undefined) {
  console.error(`Ports ${MANIFEST_PORT} to ${MANIFEST_PORT + 19} are all in use: stop the other servers (another npm start?), then try again.`);
  process.exit(1);
}
if (port !== MANIFEST_PORT) {
  console.warn(
    `Port ${MANIFEST_PORT} is in use (another npm start?), so Lifetime is served on ${port}: the preview works there, but Excel looks for the add-in on ${MANIFEST_PORT}, as manifest.xml says; stop the other server to use it in Excel.`,
  );
}
const base = `https://localhost:${port}`;
const bin = (name) => path.join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);
const desktopExcel = process.platform === "win32" || process.platform === "darwin";

const server = spawn(bin("webpack"), ["serve", "--mode", "development"], {
  cwd: root,
  env: { ...process.env, LIFETIME_PORT: String(port) },
  stdio: ["ignore", "pipe", "inherit"],
  shell: process.platform === "win32",
});

let announced = false;
server.stdout.on("data", (chunk) => {
  const text = chunk.toString();
  process.stdout.write(text);
  if (!announced && /compiled (successfully|with)/.test(text)) {
    announced = true;
    announce();
  }
});
server.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));

function announce() {
  const certs = path.join(os.homedir(), ".office-addin-dev-certs");
  console.log(`
Lifetime is served at ${base} (which opens the preview)
  preview           ${base}/preview.html  (the task pane beside a workbook, in any browser)
  task pane         ${base}/taskpane.html
  custom functions  ${base}/functions.js and ${base}/functions.json
  manifest          ${path.join(root, "manifest.xml")}
`);
  if (desktopExcel && port === MANIFEST_PORT) {
    console.log("Sideloading manifest.xml into Excel…");
    spawn(bin("office-addin-debugging"), ["start", "manifest.xml", "desktop", "--app", "excel", "--no-debug", "--dev-server-port", String(port)], {
      cwd: root,
      stdio: "inherit",
      shell: process.platform === "win32",
    });
    return;
  }
  const why = desktopExcel ? `Excel expects the add-in on port ${MANIFEST_PORT}` : `No desktop Excel on ${process.platform}`;
  console.log(`${why}: nothing was sideloaded. Try Lifetime now in the preview:
  ${base}/preview.html
To use the add-in in Excel on the web:
  1. Trust the development certificate authority in this browser or system:
     ${path.join(certs, "ca.crt")}
     (open ${base}/taskpane.html once: it must load without a certificate warning).
  2. Open a workbook in Excel on the web, then Home > Add-ins > More Add-ins >
     Upload My Add-in, and choose manifest.xml.
  3. Type =LTV.CLV(100, 0.8, 0.1) in a cell (266.67), or open Lifetime from the Home tab.
Press Ctrl+C to stop the server.`);
}
