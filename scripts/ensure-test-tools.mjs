// Installs what the tests need beyond npm packages, on a fresh machine: LibreOffice Calc
// (headless), which recalculates the workbooks the models write. Debian's package, as
// root with apt-get; elsewhere it says what to install.
import { spawnSync } from "node:child_process";

const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

if (has("soffice")) {
  process.exit(0);
}
const root = typeof process.getuid === "function" && process.getuid() === 0;
if (!root || !has("apt-get")) {
  console.error("The tests need LibreOffice Calc (soffice) to recalculate workbooks. Install it, e.g. `sudo apt-get install libreoffice-calc-nogui`.");
  process.exit(1);
}
console.log("Installing LibreOffice Calc (libreoffice-calc-nogui) for the workbook tests…");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "--no-install-recommends", "libreoffice-calc-nogui"]]) {
  const run = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
  if (run.status !== 0) {
    console.error(`apt-get ${args.join(" ")} failed with status ${run.status}`);
    process.exit(1);
  }
}
if (!has("soffice")) {
  console.error("libreoffice-calc-nogui installed, but soffice is not on the PATH");
  process.exit(1);
}
