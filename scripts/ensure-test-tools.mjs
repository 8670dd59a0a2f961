// Installs what the tests need beyond npm packages, on a fresh machine: LibreOffice Calc
// (headless), which recalculates the workbooks the models write, and Chromium, in which
// the preview is tested end to end. Debian's packages, as root with apt-get; elsewhere it
// says what to install.
import { spawnSync } from "node:child_process";

const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
const needed = [
  { command: "soffice", pkg: "libreoffice-calc-nogui", why: "to recalculate workbooks" },
  { command: "chromium", pkg: "chromium", why: "to test the preview in a browser" },
].filter((tool) => !has(tool.command));

if (needed.length === 0) process.exit(0);
const root = typeof process.getuid === "function" && process.getuid() === 0;
if (!root || !has("apt-get")) {
  for (const tool of needed) console.error(`The tests need ${tool.command} ${tool.why}: install it, e.g. \`sudo apt-get install ${tool.pkg}\`.`);
  process.exit(1);
}
console.log(`Installing ${needed.map((t) => t.pkg).join(" and ")} for the tests…`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...needed.map((t) => t.pkg)]]) {
  const run = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
  if (run.status !== 0) {
    console.error(`apt-get ${args.join(" ")} failed with status ${run.status}`);
    process.exit(1);
  }
}
for (const tool of needed) {
  if (!has(tool.command)) {
    console.error(`${tool.pkg} installed, but ${tool.command} is not on the PATH`);
    process.exit(1);
  }
}
