#!/usr/bin/env node
// The `lifetime` command (npx lifetime cohort …): runs src/cli/lifetime.ts through tsx.
require("tsx/cjs");
const { main } = require("../src/cli/lifetime.ts");
main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
