// npm run validate: checks manifest.xml offline (structure, resources, https URLs, and the
// URLs against the build in dist/), then, when Microsoft's validation service can be
// reached, runs office-addin-manifest's own validation as an extra.
import { spawnSync } from "node:child_process";
import { lookup } from "node:dns/promises";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkManifest } from "./manifest-checks.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifest = path.join(root, process.argv[2] ?? "manifest.xml");
const distDir = path.join(root, "dist");

if (!existsSync(path.join(distDir, "functions.json"))) {
  console.error("dist/ has no build: run `npm run build` first, so the manifest's URLs can be checked against it.");
  process.exit(1);
}
const problems = checkManifest(readFileSync(manifest, "utf8"), { distDir, namespace: "LTV" });
if (problems.length > 0) {
  console.error(`${path.relative(root, manifest)}: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`${path.relative(root, manifest)}: offline checks passed (XML, resources, https URLs, build files, icon sizes).`);

const online = await lookup("validationgateway.omex.office.net").then(
  () => true,
  () => false,
);
if (!online) {
  console.log("Microsoft's manifest validation service cannot be reached: online validation skipped.");
} else {
  const cli = path.join(root, "node_modules", "office-addin-manifest", "cli.js");
  const result = spawnSync(process.execPath, [cli, "validate", manifest], { stdio: "inherit", timeout: 60_000 });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
