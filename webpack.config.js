/* Builds the two bundles of the add-in: the custom functions (no React, no Fluent UI)
 * and the task pane. functions.json is generated from the functions' JSDoc. */
const path = require("path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const { generateCustomFunctionsMetadata } = require("custom-functions-metadata");
const { DefinePlugin } = require("webpack");

const DEV_PORT = Number(process.env.LIFETIME_PORT || 3000);
const FUNCTION_FILES = ["./src/functions/clv.ts", "./src/functions/retentionModels.ts", "./src/functions/purchaseModels.ts", "./src/functions/commissions.ts"];

/**
 * Certificates for https://localhost from office-addin-dev-certs. Where the CA cannot be
 * added to the system's trust store (no sudo), the certificates it generated are still
 * served, and the user is told which CA file to trust.
 */
async function httpsOptions() {
  const reused = require("./scripts/dev-server.cjs").reusableCertificates();
  if (reused) return reused; // valid for a week more: no new CA, nothing new to trust
  const devCerts = require("office-addin-dev-certs");
  try {
    return await devCerts.getHttpsServerOptions();
  } catch (error) {
    const fs = require("fs");
    const dir = path.join(require("os").homedir(), ".office-addin-dev-certs");
    const read = (name) => fs.readFileSync(path.join(dir, name));
    try {
      const options = { ca: read("ca.crt"), cert: read("localhost.crt"), key: read("localhost.key") };
      console.warn(`The development CA could not be added to the trust store (${String(error.message).split("\n")[0]}).`);
      console.warn(`Serving with the certificates in ${dir}; trust ${path.join(dir, "ca.crt")} in your browser or system.`);
      return options;
    } catch {
      throw error;
    }
  }
}

module.exports = async (env, argv) => {
  const dev = argv.mode !== "production";
  // The task pane's function gallery shows the same metadata Excel does (functions.json).
  const metadata = await generateCustomFunctionsMetadata(FUNCTION_FILES.map((f) => path.resolve(__dirname, f)), false);
  const functionsForPane = JSON.parse(metadata.metadataJson).functions.map((f) => ({
    id: f.id,
    description: f.description,
    parameters: f.parameters.map((p) => ({ name: p.name, description: p.description, optional: p.optional })),
  }));
  const config = {
    name: "add-in",
    devtool: dev ? "source-map" : false,
    entry: {
      functions: "./src/functions/functions.ts",
      taskpane: "./src/taskpane/index.tsx",
      preview: "./src/preview/index.tsx",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      clean: true,
    },
    resolve: { extensions: [".ts", ".tsx", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: "ts-loader", options: { transpileOnly: true } },
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      new DefinePlugin({ __LTV_FUNCTIONS__: JSON.stringify(functionsForPane) }),
      new CustomFunctionsMetadataPlugin({
        output: "functions.json",
        input: FUNCTION_FILES,
      }),
      new HtmlWebpackPlugin({ filename: "functions.html", template: "./src/functions/functions.html", chunks: ["functions"] }),
      new HtmlWebpackPlugin({ filename: "taskpane.html", template: "./src/taskpane/taskpane.html", chunks: ["taskpane"] }),
      new HtmlWebpackPlugin({ filename: "commands.html", template: "./src/taskpane/commands.html", chunks: [] }),
      new HtmlWebpackPlugin({ filename: "preview.html", template: "./src/preview/preview.html", chunks: ["preview"] }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          { from: "manifest.xml", to: "manifest.xml" },
        ],
      }),
    ],
    stats: { preset: "normal", assetsSort: "!size", modules: false, children: false },
  };
  if (dev && argv.env && argv.env.WEBPACK_SERVE) {
    config.devServer = {
      host: "localhost",
      port: DEV_PORT,
      headers: { "Access-Control-Allow-Origin": "*" },
      server: { type: "https", options: await httpsOptions() },
      static: { directory: path.resolve(__dirname, "dist") },
      client: { overlay: false },
      // The root has no page of its own: it leads to the preview, which works in any browser.
      setupMiddlewares: (middlewares, devServer) => {
        devServer.app.get("/", (_request, response) => response.redirect("/preview.html"));
        return middlewares;
      },
    };
    return config;
  }
  // The command line as one file for Node, so `lifetime` runs from a production install: no
  // TypeScript compiler at run time, and exceljs and jszip (dependencies) its only imports.
  const cli = {
    name: "cli",
    dependencies: ["add-in"], // after the add-in, whose build empties dist/
    target: "node20",
    devtool: false,
    entry: { lifetime: "./src/cli/lifetime.ts" },
    output: { path: path.resolve(__dirname, "dist", "cli"), filename: "[name].cjs", library: { type: "commonjs2" } },
    externalsPresets: { node: true },
    externals: { exceljs: "commonjs exceljs", jszip: "commonjs jszip" },
    resolve: config.resolve,
    module: config.module,
    performance: { hints: false },
    stats: config.stats,
  };
  return [config, cli];
};
