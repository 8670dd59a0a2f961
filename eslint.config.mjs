// Lint rules, including the seams between layers: src/core is pure math (no Office, no
// React, no DOM) and src/models is plain data (no Office calls), so both are checked here
// rather than left to memory.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const OFFICE_GLOBALS = ["Excel", "Office", "CustomFunctions", "OfficeExtension"].map((name) => ({
  name,
  message: "Office.js belongs in src/host or src/functions; src/core and src/models stay free of it.",
}));
const DOM_GLOBALS = ["window", "document", "navigator", "localStorage", "fetch", "XMLHttpRequest"].map((name) => ({
  name,
  message: "src/core is pure math: no DOM, no network.",
}));
const layerImports = (layers) => ({
  patterns: [
    { group: ["react", "react-dom", "react/*", "@fluentui/*"], message: "React and Fluent UI belong in src/taskpane." },
    { group: ["office-*", "@microsoft/office-js*"], message: "Office.js belongs in src/host." },
    ...layers.map((layer) => ({ group: [`**/${layer}`, `**/${layer}/*`], message: `This layer may not import from src/${layer}.` })),
  ],
});
const OFFICE_TYPES = {
  selector: "TSQualifiedName[left.name=/^(Excel|Office|CustomFunctions|OfficeExtension)$/]",
  message: "Office.js types belong in src/host or src/functions.",
};

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly", Buffer: "readonly", performance: "readonly", __dirname: "readonly", require: "readonly", module: "writable", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
    },
  },
  {
    files: ["**/*.cjs", "webpack.config.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["src/core/**"],
    rules: {
      "no-restricted-globals": ["error", ...OFFICE_GLOBALS, ...DOM_GLOBALS],
      "no-restricted-imports": ["error", layerImports(["functions", "host", "taskpane", "models"])],
      "no-restricted-syntax": ["error", OFFICE_TYPES],
    },
  },
  {
    files: ["src/models/**"],
    rules: {
      "no-restricted-globals": ["error", ...OFFICE_GLOBALS],
      "no-restricted-imports": ["error", layerImports(["functions", "host", "taskpane"])],
      "no-restricted-syntax": ["error", OFFICE_TYPES],
    },
  },
  {
    files: ["src/functions/**"],
    rules: { "no-restricted-imports": ["error", layerImports(["host", "taskpane", "models"])] },
  },
);
