#!/usr/bin/env node
// The `lifetime` command (npx lifetime cohort …). It runs the built command line,
// dist/cli/lifetime.cjs (npm run build), which needs no devDependency; in a checkout that
// has not been built, it runs the TypeScript source through tsx.
const { existsSync } = require("node:fs");
const path = require("node:path");

const built = path.join(__dirname, "..", "dist", "cli", "lifetime.cjs");
let main;
if (existsSync(built)) ({ main } = require(built));
else {
  require("tsx/cjs");
  ({ main } = require("../src/cli/lifetime.ts"));
}
main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
