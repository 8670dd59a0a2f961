import assert from "node:assert/strict";
import { readFileSync, mkdirSync, existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import JSZip from "jszip";
import { chromium, type Browser, type Page } from "playwright-core";
import { customerLifetimeValue } from "../../src/core/clv";
import { fitShiftedBetaGeometric } from "../../src/core/retention/shiftedBetaGeometric";
import { SAMPLE_COHORTS } from "../../src/host/preview/sampleWorkbook";
import { assumedCohorts, assumedParams } from "../../src/models/cohort/assumptions";
import { readCohortTable, type CohortRow } from "../../src/models/cohort/cohortCsv";
import { buildCohortPlan, cohortInputSchema } from "../../src/models/cohort/cohortPlan";
import { buildPartnerPlan, partnerProgram, type PartnerModelSettings } from "../../src/models/partners/partnerPlan";
import { DEFAULT_FORM } from "../../src/taskpane/cohort/useCohortModel";
import { DEFAULT_PARTNER_FORM } from "../../src/taskpane/partners/usePartnerModel";

/**
 * End to end in a real browser: Debian's Chromium, driven by playwright-core, on the built
 * preview (dist/preview.html) served from this process on 127.0.0.1.
 */
const DIST = path.resolve(__dirname, "../../dist");
const ARTIFACTS = path.resolve(__dirname, "../../test-results");
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".png": "image/png" };

let server: http.Server;
let base = "";
let browser: Browser;

before(async () => {
  server = http.createServer((req, res) => {
    const file = path.join(DIST, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(page: Page, theme: "light" | "dark") {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/preview.html?theme=${theme}`);
  await page.waitForSelector('[data-testid="grid"] td[data-cell="A1"]');
  return errors;
}

/** The model settings the pane builds with its default economics, for these cohorts. */
const defaultSettings = (cohorts: CohortRow[]) =>
  cohortInputSchema.parse({
    cohorts,
    revenue: Number(DEFAULT_FORM.revenue),
    margin: Number(DEFAULT_FORM.margin),
    cac: Number(DEFAULT_FORM.cac),
    annualDiscount: Number(DEFAULT_FORM.annualDiscount),
    period: DEFAULT_FORM.period,
    horizon: Number(DEFAULT_FORM.horizon),
    timing: DEFAULT_FORM.timing,
  });

/** The core's model of the sample table at the pane's default economics (the revenue changed, if given). */
function sampleModel(revenue?: number) {
  const settings = defaultSettings(readCohortTable(SAMPLE_COHORTS));
  const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
  return buildCohortPlan({ ...settings, revenue: revenue ?? settings.revenue }, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "" }).model;
}

const cell = (page: Page, address: string) => page.locator(`[data-testid="grid"] td[data-cell="${address}"]`);

/** The three partners the partner test enters, at the pane's default economics: a lifetime rate; a held bounty with a capped rate; progressive tiers. */
const PARTNER_SETTINGS: PartnerModelSettings = {
  partners: [
    { name: "Lifetime 20%", customersPerPeriod: 10, rate: 0.2, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1 },
    { name: "Held bounty, capped", customersPerPeriod: 6, rate: 0.1, commissionPeriods: 12, bounty: 90, holdPeriods: 3, cap: 60, churnMultiplier: 1.2 },
    { name: "Progressive tiers", customersPerPeriod: 30, tiers: { starts: [0, 10, 25], rates: [0.1, 0.15, 0.2], method: "progressive" }, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 0.8 },
  ],
  revenue: Number(DEFAULT_PARTNER_FORM.revenue),
  margin: Number(DEFAULT_PARTNER_FORM.margin),
  curve: { kind: "constant", retention: Number(DEFAULT_PARTNER_FORM.retention) },
  annualDiscount: Number(DEFAULT_PARTNER_FORM.annualDiscount),
  period: DEFAULT_PARTNER_FORM.period,
  horizon: Number(DEFAULT_PARTNER_FORM.horizon),
  acquisitionPeriods: 12,
  paidCac: Number(DEFAULT_PARTNER_FORM.paidCac),
  timing: DEFAULT_PARTNER_FORM.timing,
};
const money = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

type AxeResult = { id: string; impact: string; help: string; nodes: string[] };
/** Serious and critical accessibility violations (axe-core) in the pane. */
async function paneViolations(page: Page): Promise<AxeResult[]> {
  await page.addScriptTag({ content: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
  const violations = (await page.evaluate(async () => {
    const context = { include: [['[data-testid="pane"]']], exclude: [["[data-tabster-dummy]"]] };
    const result = await (window as unknown as { axe: { run: (c: unknown) => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe.run(context);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: (v as unknown as { nodes: { html: string }[] }).nodes.map((n) => n.html.slice(0, 160)) }));
  })) as AxeResult[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

// The whole suite's budget: about 5 minutes on two loaded cores, with room.
describe("the preview in Chromium", { timeout: 480_000 }, () => {
  it("builds the cohort model from the selected sample table; the grid shows the core's customer equity", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = await open(page, "light");
    await cell(page, "A1").click();
    await cell(page, `I${SAMPLE_COHORTS.length}`).click({ modifiers: ["Shift"] });
    assert.equal(await page.getByTestId("selection").textContent(), `A1:I${SAMPLE_COHORTS.length}`);

    const pane = page.getByTestId("pane");
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("button", { name: "Use selection" }).click();
    await assert.doesNotReject(pane.getByRole("textbox", { name: /Cohort table/ }).evaluate((e: HTMLInputElement) => e.value).then((v) => assert.equal(v, `Data!A1:I${SAMPLE_COHORTS.length}`)));
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("customer-equity").waitFor();

    const model = sampleModel();
    // CustomerEquity is B21 of the model sheet, formatted #,##0.00.
    const shown = Number((await cell(page, "B21").textContent())!.replace(/,/g, ""));
    assert.equal(shown, Number(model.customerEquity.toFixed(2)));
    // The result card draws the model's key results, and the preview the sheet's own charts, as SVG charts.
    const resultCharts = pane.getByTestId("result-chart");
    await resultCharts.first().locator("svg").first().waitFor();
    assert.equal(await resultCharts.count(), 2);
    const sheetCharts = page.getByTestId("sheet-charts").getByTestId("result-chart");
    await sheetCharts.first().locator("svg").first().waitFor();
    assert.deepEqual(await sheetCharts.locator("span").filter({ hasText: /^(Survival|Margin)/ }).allTextContents(), ["Survival: observed by cohort and fitted", "Margin by cohort, discounted, stacked over time"]);
    assert.ok((await sheetCharts.first().locator("svg path").count()) > 3, "the survival chart draws its lines");
    await page.screenshot({ path: path.join(ARTIFACTS, "preview-model.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("edits cells in place: Enter recalculates what depends on them, Ctrl+Z undoes, validation refuses, copy and paste", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = await open(page, "light");
    const pane = page.getByTestId("pane");
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("button", { name: "Use selection" }).click();
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("customer-equity").waitFor();
    const clv = (revenue: number) => sampleModel(revenue).clvNewCustomer;
    const number = async (address: string) => Number((await cell(page, address).textContent())!.replace(/,/g, ""));
    assert.equal(await number("B20"), Number(clv(30).toFixed(2)));

    // Type over the revenue (its base value, G5, in the scenario table) and press Enter: the revenue in use (B5) and the CLV (B20) follow, and the selection moves down.
    await cell(page, "G5").click();
    await page.keyboard.type("45");
    await page.getByRole("textbox", { name: "Edit G5" }).waitFor();
    await page.keyboard.press("Enter");
    assert.equal(await page.getByTestId("selection").textContent(), "G6");
    assert.equal(await number("G5"), 45);
    assert.equal(await number("B5"), 45);
    assert.equal(await number("B20"), Number(clv(45).toFixed(2)));
    // Undo puts back the revenue and the results; redo takes the edit again.
    await page.keyboard.press("Control+z");
    assert.equal(await number("G5"), 30);
    assert.equal(await number("B20"), Number(clv(30).toFixed(2)));
    await page.keyboard.press("Control+y");
    assert.equal(await number("G5"), 45);
    await page.keyboard.press("Control+z");

    // The margin takes a fraction: 70 is refused with the input's error, the cell keeps its value.
    await page.getByTestId("validation-prompt").getByText("Margin").waitFor();
    await page.keyboard.press("F2");
    await page.getByRole("textbox", { name: "Edit G6" }).fill("70");
    await page.keyboard.press("Enter");
    assert.match((await page.getByTestId("validation-error").textContent())!, /Margin: not accepted.*Margin must be a fraction from 0 to 1/);
    await page.keyboard.press("Escape");
    assert.equal((await cell(page, "G6").textContent())!.trim(), "70.00%");

    // Arrows and Tab move; copy G5 and paste it into I5.
    await page.keyboard.press("ArrowUp");
    assert.equal(await page.getByTestId("selection").textContent(), "G5");
    const copied = await page.getByTestId("cells").evaluate((e) => {
      const data = new DataTransfer();
      e.dispatchEvent(new ClipboardEvent("copy", { clipboardData: data, bubbles: true, cancelable: true }));
      return data.getData("text/plain");
    });
    assert.equal(copied, "30.00");
    for (let i = 0; i < 2; i++) await page.keyboard.press("Tab");
    assert.equal(await page.getByTestId("selection").textContent(), "I5");
    await page.getByTestId("cells").evaluate((e, text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      e.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, copied);
    assert.equal(await page.evaluate(() => (window as unknown as { lifetimePreview: { values: (s: string, r: string) => unknown[][] } }).lifetimePreview.values("Cohort model", "I5")[0]![0]), 30);
    await page.screenshot({ path: path.join(ARTIFACTS, "preview-edited.png") });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("computes a custom function typed into a cell", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await open(page, "light");
    await cell(page, "K2").click();
    await page.getByRole("textbox", { name: "Formula bar" }).fill("=LTV.CLV(100, 0.8, 0.1)");
    await page.getByRole("textbox", { name: "Formula bar" }).press("Enter");
    const shown = Number(await cell(page, "K2").textContent());
    const expected = customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1 });
    assert.ok(Math.abs(shown - expected) < 1e-7 * expected, `${shown} vs ${expected}`);
    // An error cell, selected, shows its message, as Excel's tooltip on the error does.
    await cell(page, "K3").click();
    await page.getByRole("textbox", { name: "Formula bar" }).fill("=LTV.CLV(100, 80, 0.1)");
    await page.getByRole("textbox", { name: "Formula bar" }).press("Enter");
    assert.equal(await cell(page, "K3").textContent(), "#VALUE!");
    await cell(page, "K2").click();
    assert.equal(await page.getByTestId("error-message").count(), 0);
    await cell(page, "K3").click();
    assert.match((await page.getByTestId("error-message").textContent())!, /#VALUE!.*retention must be between 0 and 1 \(80% is 0\.8\); got 80/);
    await page.close();
  });

  it("saves a portable copy: a download holding the grid's values where it called LTV, the workbook unchanged", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const errors = await open(page, "light");
    await cell(page, "K2").click();
    await page.getByRole("textbox", { name: "Formula bar" }).fill("=LTV.CLV(100, 0.8, 0.1)");
    await page.getByRole("textbox", { name: "Formula bar" }).press("Enter");
    await cell(page, "L2").click();
    await page.getByRole("textbox", { name: "Formula bar" }).fill("=K2*2");
    await page.getByRole("textbox", { name: "Formula bar" }).press("Enter");
    const pane = page.getByTestId("pane");
    const [download] = await Promise.all([page.waitForEvent("download"), pane.getByRole("button", { name: "Save a portable copy" }).click()]);
    assert.equal(download.suggestedFilename(), "Preview-portable.xlsx");
    await pane.getByText("1 cell that calls Lifetime's functions was saved as values in Preview-portable.xlsx; your workbook is unchanged.").waitFor();
    const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
    const data = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    const expected = customerLifetimeValue({ margin: 100, retention: 0.8, discountRate: 0.1 });
    const k2 = /<c r="K2"[^>]*><v>([^<]+)<\/v><\/c>/.exec(data);
    assert.ok(k2 && Math.abs(Number(k2[1]) - expected) < 1e-9 * expected, `K2 in the copy: ${k2?.[0]}`);
    assert.match(data, /<c r="L2"[^>]*><f>K2\*2<\/f><v>[^<]+<\/v><\/c>/, "the user's formula is kept");
    for (const name of Object.keys(zip.files)) if (!zip.files[name]!.dir) assert.doesNotMatch(await zip.file(name)!.async("string"), /_xldudf_|LTV\.[A-Z]/i, name);
    assert.match(await zip.file("xl/workbook.xml")!.async("string"), /<sheet name="About this copy"/);
    // The preview's workbook keeps its formula.
    const content = await page.evaluate(() => {
      const preview = (window as unknown as { lifetimePreview: { content: (s: number, r: number, c: number) => string; sheetId: (n: string) => number } }).lifetimePreview;
      return preview.content(preview.sheetId("Data"), 2, 11);
    });
    assert.equal(content, "=LTV.CLV(100, 0.8, 0.1)");
    assert.deepEqual(await paneViolations(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("builds from assumptions, and inserts a gallery example into the selected cell", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = await open(page, "light");
    const pane = page.getByTestId("pane");
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("radio", { name: "Assumptions" }).check();
    await pane.getByRole("textbox", { name: /Retention per period/ }).fill("0.8");
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("customer-equity").waitFor();
    const settings = defaultSettings(
      assumedCohorts({ kind: "assumptions", cohorts: Number(DEFAULT_FORM.cohorts), customersPerCohort: Number(DEFAULT_FORM.customersPerCohort), curve: { kind: "constant", retention: 0.8 } }),
    );
    const { model } = buildCohortPlan(settings, { ...assumedParams({ kind: "constant", retention: 0.8 }), logLikelihood: undefined, fittedOn: "" });
    assert.equal(Number((await cell(page, "B21").textContent())!.replace(/,/g, "")), Number(model.customerEquity.toFixed(2)));
    // The card speaks of the retention assumed, not of the sBG's limit (α, β near 1e9), and counts customers whole.
    await pane.getByText("Assumed retention: 80% per month, the same every period").waitFor();
    assert.match((await pane.getByText(/^Customers active today:/).textContent())!, /^Customers active today: [\d,]+$/);

    await cell(page, "H5").click();
    await pane.getByRole("tab", { name: "Functions" }).click();
    await pane.getByRole("button", { name: "Insert =LTV.PERIODIC_RATE(0.1, 12) into the active cell" }).click();
    assert.equal(Number(await cell(page, "H5").textContent()), Number(Math.expm1(Math.log1p(0.1) / 12).toPrecision(10)));
    // A cell that holds something: Insert asks, Cancel keeps it, Replace writes.
    await cell(page, "A4").click(); // the model sheet's "Inputs" heading
    await pane.getByRole("button", { name: "Insert =LTV.PERIODIC_RATE(0.1, 12) into the active cell" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByText(/Cohort model!A4 holds “Inputs”\. Replace it with =LTV\.PERIODIC_RATE/).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    assert.equal(await cell(page, "A4").textContent(), "Inputs");
    await pane.getByRole("button", { name: "Insert =LTV.PERIODIC_RATE(0.1, 12) into the active cell" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Replace" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"] td[data-cell="A4"]')?.textContent !== "Inputs");
    // A spilling example fills its rows and columns, as in Excel: the schedule's last row, fourth column, is the
    // twelfth period's discounted margin, 100 × 0.8^12 / 1.1^12.
    await page.getByRole("tablist", { name: "Sheets" }).getByRole("tab", { name: "Data" }).click();
    await cell(page, "K12").click();
    await pane.getByRole("button", { name: "Insert =LTV.CLV_SCHEDULE(100, 0.8, 0.1, 12) into the active cell" }).click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="grid"] td[data-cell="N23"]')?.textContent ?? "") !== "");
    assert.equal(await cell(page, "K23").textContent(), "12");
    const margin = Number(await cell(page, "N23").textContent());
    assert.ok(Math.abs(margin - (100 * 0.8 ** 12) / 1.1 ** 12) < 1e-6, String(margin));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("builds a model with the keyboard alone", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await open(page, "light");
    const pane = page.getByTestId("pane");
    const focused = () =>
      page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        const role = e?.getAttribute("role") ?? (e instanceof HTMLInputElement ? e.type : e?.tagName.toLowerCase());
        return `${role}:${e?.innerText?.trim() || e?.getAttribute("aria-label") || ""}`;
      });
    const tabTo = async (pattern: RegExp) => {
      for (let i = 0; i < 60; i++) {
        if (pattern.test(await focused())) return;
        await page.keyboard.press("Tab");
      }
      assert.fail(`Tab never reached ${pattern}; last focus ${await focused()}`);
    };
    await pane.getByRole("tab", { name: "Home" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await tabTo(/^radio:/);
    await page.keyboard.press("ArrowDown"); // Assumptions
    await tabTo(/^button:Build model$/);
    await page.keyboard.press("Enter");
    await pane.getByTestId("customer-equity").waitFor();
    await page.close();
  });

  it("restores the model's settings after a reload, and offers Rebuild", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await open(page, "light");
    const pane = page.getByTestId("pane");
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("combobox", { name: /named range or table/ }).selectOption("SampleCohorts");
    await pane.getByRole("textbox", { name: /Revenue per customer/ }).fill("45");
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("customer-equity").waitFor();
    await page.reload();
    await page.waitForSelector('[data-testid="grid"] td[data-cell="A1"]');
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    assert.equal(await pane.getByRole("textbox", { name: /Revenue per customer/ }).inputValue(), "45");
    assert.equal(await pane.getByRole("textbox", { name: /Cohort table/ }).inputValue(), "SampleCohorts");
    await pane.getByRole("button", { name: /Rebuild/ }).waitFor();
    await context.close();
  });

  it("rebuilds in place: three horizons, a user's note and formula kept, asks before replacing, undoes a failed write", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = await open(page, "light");
    const pane = page.getByTestId("pane");
    const sheetTab = (name: string) => page.getByRole("tablist", { name: "Sheets" }).getByRole("tab", { name, exact: true });
    const typeInto = async (address: string, text: string) => {
      await cell(page, address).click();
      await page.getByRole("textbox", { name: "Formula bar" }).fill(text);
      await page.getByRole("textbox", { name: "Formula bar" }).press("Enter");
    };
    const number = async (address: string) => Number((await cell(page, address).textContent())!.replace(/,/g, ""));
    const expectedClv = (horizon: number, revenue: number) => {
      const settings = cohortInputSchema.parse({ ...defaultSettings(readCohortTable(SAMPLE_COHORTS)), horizon, revenue });
      const fit = fitShiftedBetaGeometric(settings.cohorts.map((c) => ({ size: c.customers, survivors: c.survivors })));
      return buildCohortPlan(settings, { alpha: fit.params.alpha, beta: fit.params.beta, logLikelihood: fit.logLikelihood, fittedOn: "" }).model.clvNewCustomer;
    };
    const rebuild = async () => {
      await pane.getByRole("button", { name: /^Rebuild/ }).click();
      await pane.getByTestId("customer-equity").waitFor();
    };

    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("combobox", { name: /named range or table/ }).selectOption("SampleCohorts");
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("customer-equity").waitFor();
    // The user's own work: a note on the model sheet, a formula on their sheet that reads the model's CLV.
    await typeInto("H5", "my note");
    await sheetTab("Data").click();
    await typeInto("K1", "='Cohort model'!B20");

    for (const [horizon, revenue] of [[60, 30], [12, 45], [24, 45]] as const) {
      await pane.getByRole("textbox", { name: /^Horizon/ }).fill(String(horizon));
      await pane.getByRole("textbox", { name: /Revenue per customer/ }).fill(String(revenue));
      await rebuild();
      await sheetTab("Data").click();
      const want = expectedClv(horizon, revenue);
      assert.ok(Math.abs((await number("K1")) - want) < 0.01, `K1 at horizon ${horizon}: ${await number("K1")} vs ${want}`);
      await sheetTab("Cohort model").click();
      assert.equal(await cell(page, "H5").textContent(), "my note");
      assert.equal(await cell(page, "B12").textContent(), String(horizon)); // Horizon, formatted "0"
    }
    assert.equal(await page.getByRole("tablist", { name: "Sheets" }).getByRole("tab").count(), 2);

    // A longer horizon needs cells where the user typed: the pane asks; Cancel writes nothing.
    await typeInto("AC52", "keep me"); // row 52 numbers the periods ahead: D to AA at 24, to AM at 36
    await pane.getByRole("textbox", { name: /^Horizon/ }).fill("36");
    await pane.getByRole("button", { name: /^Rebuild/ }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByText(/AC52 \(keep me\)/).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    assert.equal(await cell(page, "AC52").textContent(), "keep me");
    assert.equal(await cell(page, "B12").textContent(), "24");
    await pane.getByRole("button", { name: /^Rebuild/ }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Replace" }).click();
    await pane.getByTestId("customer-equity").waitFor();
    assert.equal(await cell(page, "B12").textContent(), "36");
    assert.notEqual(await cell(page, "AC52").textContent(), "keep me");

    // A write that fails part-way: the pane says so and the sheet is as it was.
    const before = await page.evaluate(() => JSON.stringify((window as unknown as { lifetimePreview: { engine: { getAllSheetsSerialized(): unknown } } }).lifetimePreview.engine.getAllSheetsSerialized()));
    await page.evaluate(() => void ((window as unknown as { lifetimePreview: { failAtWrite?: number } }).lifetimePreview.failAtWrite = 40));
    await pane.getByRole("textbox", { name: /^Horizon/ }).fill("48");
    await pane.getByRole("button", { name: /^Rebuild/ }).click();
    await pane.getByText(/could not be written .*put back as it was/).waitFor();
    const after = await page.evaluate(() => JSON.stringify((window as unknown as { lifetimePreview: { engine: { getAllSheetsSerialized(): unknown } } }).lifetimePreview.engine.getAllSheetsSerialized()));
    assert.equal(after, before);
    assert.equal(await cell(page, "B12").textContent(), "36");
    await page.screenshot({ path: path.join(ARTIFACTS, "preview-rebuilt.png") });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("scenarios: one added and changed in the pane, built to a sheet each and a comparison sheet and its chart; switching the active one recalculates the model sheet", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = await open(page, "light");
    const pane = page.getByTestId("pane");
    const sheetTab = (name: string) => page.getByRole("tablist", { name: "Sheets" }).getByRole("tab", { name, exact: true });
    const number = async (address: string) => Number((await cell(page, address).textContent())!.replace(/,/g, ""));
    const near = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
    const comparisonBars = async () =>
      Object.fromEntries(
        (await page.getByTestId("sheet-charts").locator("rect[aria-label]").evaluateAll((rects) => rects.map((r) => r.getAttribute("aria-label") ?? "")))
          .map((label) => /^(.+?)\. CLV of a newly acquired customer \(net of CAC\), (-?[\d.e+-]+)\.$/.exec(label))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => [m[1], Number(m[2])]),
      );

    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("button", { name: "Use selection" }).click();
    // A scenario added: named Optimistic, its inputs blank (as the base) until one is changed.
    await pane.getByRole("button", { name: "Add scenario" }).click();
    const optimisticRevenue = pane.getByRole("textbox", { name: "Optimistic: Revenue per customer per period", exact: true });
    assert.equal(await optimisticRevenue.inputValue(), "");
    assert.equal(await optimisticRevenue.getAttribute("placeholder"), DEFAULT_FORM.revenue, "a blank cell shows the base's value it takes");
    // A value the model refuses is said by the scenario's name, and nothing can be built.
    await pane.getByRole("textbox", { name: "Optimistic: Gross margin", exact: true }).fill("70");
    await pane.getByTestId("scenario-problems").getByText("Optimistic: Gross margin must be between 0 and 1 (40% is 0.4)").waitFor();
    assert.equal(await pane.getByRole("button", { name: "Build model" }).isDisabled(), true);
    await pane.getByRole("textbox", { name: "Optimistic: Gross margin", exact: true }).fill("");
    await optimisticRevenue.fill("45");
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("scenario-comparison").waitFor();

    // The comparison sheet: each scenario's CLV computed on its own sheet, as the core computes it; its chart draws them.
    for (const name of ["Cohort scenario 1", "Cohort scenario 2", "Cohort scenarios"]) await sheetTab(name).waitFor();
    await sheetTab("Cohort scenarios").click();
    assert.equal(await cell(page, "A6").textContent(), "CLV of a newly acquired customer (net of CAC)");
    assert.deepEqual([await cell(page, "B4").textContent(), await cell(page, "C4").textContent()], ["Base", "Optimistic"]);
    const clv = (revenue: number) => sampleModel(revenue).clvNewCustomer;
    assert.equal(await number("B6"), Number(clv(30).toFixed(2)));
    assert.equal(await number("C6"), Number(clv(45).toFixed(2)));
    await page.getByTestId("sheet-charts").locator("rect[aria-label]").first().waitFor();
    let bars = await comparisonBars();
    near(bars.Base!, clv(30), "the chart's Base column");
    near(bars.Optimistic!, clv(45), "the chart's Optimistic column");
    // The pane's comparison: one column per scenario, the base active.
    const compared = pane.getByTestId("scenario-comparison");
    assert.deepEqual(await compared.locator("thead th").allTextContents(), ["Result", "Base (active)", "Optimistic"]);
    assert.deepEqual(await compared.locator("tbody tr").first().locator("td").allTextContents(), [money(clv(30)), money(clv(45))]);
    await compared.getByTestId("result-chart").locator("svg").first().waitFor();

    // The scenario changed in the pane and rebuilt: the comparison sheet's values and its chart follow, and the pane's.
    await optimisticRevenue.fill("60");
    await pane.getByRole("button", { name: /^Rebuild/ }).click();
    await compared.getByText(money(clv(60))).waitFor();
    await sheetTab("Cohort scenarios").click();
    await page.waitForFunction((want) => document.querySelector('[data-testid="grid"] td[data-cell="C6"]')?.textContent === want, money(clv(60)));
    assert.equal(await number("B6"), Number(clv(30).toFixed(2)));
    await page.waitForFunction(
      (want) =>
        [...document.querySelectorAll('[data-testid="sheet-charts"] rect[aria-label]')].some((r) => {
          const m = /^Optimistic\. CLV of a newly acquired customer \(net of CAC\), (.+)\.$/.exec(r.getAttribute("aria-label") ?? "");
          return m !== null && Math.abs(Number(m[1]) - want) < 1e-6 * Math.abs(want);
        }),
      clv(60),
    );
    bars = await comparisonBars();
    near(bars.Optimistic!, clv(60), "the chart's Optimistic column, rebuilt");
    assert.equal(await page.getByRole("tablist", { name: "Sheets" }).getByRole("tab").count(), 5, "rebuilt in place: no sheet added");

    // Switching the active scenario in the pane: the model sheet's ActiveScenario (B3) names it and the CLV (B20) is its own.
    await sheetTab("Cohort model").click();
    assert.equal(await cell(page, "B3").textContent(), "Base");
    assert.equal(await number("B20"), Number(clv(30).toFixed(2)));
    await cell(page, "D2").click();
    await pane.getByRole("combobox", { name: "Active scenario" }).selectOption({ label: "Optimistic" });
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"] td[data-cell="B3"]')?.textContent === "Optimistic");
    assert.equal(await page.getByTestId("selection").textContent(), "D2", "the cell written, not the model rebuilt (a build selects A1)");
    assert.equal(await number("B20"), Number(clv(60).toFixed(2)));
    await pane.getByTestId("active-scenario").getByText("Scenario: Optimistic").waitFor();
    assert.equal(await pane.getByTestId("clv-new-customer").textContent().then((t) => t!.split(" (")[0]), `CLV of a new customer: ${money(clv(60))}`);
    assert.deepEqual(await compared.locator("thead th").allTextContents(), ["Result", "Base", "Optimistic (active)"]);
    const saved = JSON.parse((await page.evaluate(() => window.localStorage.getItem("lifetime:cohortModel")))!) as { economics: { activeScenario?: string; scenarios?: { name: string; overrides: Record<string, unknown> }[] } };
    assert.equal(saved.economics.activeScenario, "Optimistic");
    assert.deepEqual(saved.economics.scenarios, [{ name: "Base", overrides: {} }, { name: "Optimistic", overrides: { revenue: 60 } }]);
    assert.equal(await page.getByRole("tablist", { name: "Sheets" }).getByRole("tab").count(), 5, "switched without a rebuild");
    // And back.
    await pane.getByRole("combobox", { name: "Active scenario" }).selectOption({ label: "Base" });
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"] td[data-cell="B3"]')?.textContent === "Base");
    assert.equal(await number("B20"), Number(clv(30).toFixed(2)));

    // At 320 px the pane, its scenario grid and comparison fit (the grid scrolls within itself), and pass axe.
    await pane.evaluate((e: HTMLElement) => {
      e.style.flex = "0 0 320px";
      e.style.width = "320px";
    });
    const overflow = await pane.evaluate((e: HTMLElement) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    assert.ok(overflow.scroll <= overflow.client, `the pane's content is ${overflow.scroll} px wide in ${overflow.client} px`);
    const grid = await pane.getByTestId("scenario-grid").boundingBox();
    const paneBox = await pane.boundingBox();
    assert.ok(grid!.x + grid!.width <= paneBox!.x + paneBox!.width, "base and one scenario fit beside the labels");
    assert.deepEqual(await paneViolations(page), []);
    await pane.getByTestId("scenario-editor").screenshot({ path: path.join(ARTIFACTS, "pane-scenarios.png") });

    // A scenario added since the build and made active: not on the sheet yet, so the model is rebuilt with it.
    await pane.getByRole("button", { name: "Add scenario" }).click();
    await pane.getByRole("textbox", { name: "Pessimistic: Revenue per customer per period", exact: true }).fill("20");
    await pane.getByRole("combobox", { name: "Active scenario" }).selectOption({ label: "Pessimistic" });
    await pane.getByTestId("active-scenario").getByText("Scenario: Pessimistic").waitFor();
    await sheetTab("Cohort scenario 3").waitFor();
    await sheetTab("Cohort model").click();
    assert.equal(await cell(page, "B3").textContent(), "Pessimistic");
    assert.equal(await number("B20"), Number(clv(20).toFixed(2)));

    // Reopened, the pane restores the scenarios and the active one.
    await page.reload();
    await page.waitForSelector('[data-testid="grid"] td[data-cell="A1"]');
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("button", { name: /^Rebuild/ }).waitFor();
    assert.equal(await optimisticRevenue.inputValue(), "60");
    assert.equal(await pane.getByRole("combobox", { name: "Active scenario" }).evaluate((e: HTMLSelectElement) => e.selectedOptions[0]!.textContent), "Pessimistic");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("builds the referral-partner model: three partners on different terms, ranked as the core ranks them, the sheet's InputCheck OK", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = await open(page, "light");
    const pane = page.getByTestId("pane");
    await pane.getByRole("tab", { name: "Partner model" }).click();
    const cards = pane.getByTestId("partner-card");
    const fill = async (card: number, fields: Record<string, string>) => {
      for (const [label, value] of Object.entries(fields)) await cards.nth(card).getByRole("textbox", { name: label, exact: true }).fill(value);
    };
    // A lifetime rate: the first partner as it comes, renamed.
    await fill(0, { Name: "Lifetime 20%", "Commission rate": "0.2", "Commission periods": "0" });
    // A held bounty, with a rate for 12 months capped at 60.
    await pane.getByRole("button", { name: "Add partner" }).click();
    await fill(1, { Name: "Held bounty, capped", "Customers referred per period": "6", "Commission rate": "0.1", "Commission periods": "12", Bounty: "90", "Bounty hold periods": "3", "Cap per customer": "60", "Churn multiplier": "1.2" });
    // Progressive tiers: a third tier added, above 25 customers a month.
    await pane.getByRole("button", { name: "Add partner" }).click();
    await fill(2, { Name: "Progressive tiers", "Customers referred per period": "30", "Churn multiplier": "0.8" });
    const third = cards.nth(2);
    await third.getByRole("radio", { name: "Tiers on customers per period" }).check();
    await third.getByRole("button", { name: "Add tier" }).click();
    await third.getByRole("textbox", { name: "Tier 3 of Progressive tiers starts above" }).fill("25");
    await third.getByRole("textbox", { name: "Tier 3 of Progressive tiers rate" }).fill("0.2");
    // A mistake is shown by its field, naming the partner, and nothing can be built until it is fixed.
    await third.getByRole("textbox", { name: "Tier 2 of Progressive tiers rate" }).fill("15");
    await third.getByText("Progressive tiers, tier 2: its rate is a fraction of revenue, at most 1 (20% is 0.2)").waitFor();
    assert.equal(await pane.getByRole("button", { name: "Build model" }).isDisabled(), true);
    await third.getByRole("textbox", { name: "Tier 2 of Progressive tiers rate" }).fill("0.15");
    await pane.getByRole("textbox", { name: "Acquisition periods" }).fill("12");
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("partner-ranking").waitFor();

    // The ranking and the totals are the core's.
    const program = partnerProgram(PARTNER_SETTINGS);
    const ranked = [...program.partners].sort((a, b) => a.rank - b.rank);
    const items = pane.getByTestId("partner-ranking").getByRole("listitem");
    assert.deepEqual(await items.evaluateAll((li) => li.map((e) => e.getAttribute("data-partner"))), ranked.map((p) => p.name));
    assert.deepEqual(await items.getByTestId("total-net-value").allTextContents(), ranked.map((p) => money(p.totalNetValue)));
    assert.match((await items.first().textContent())!, new RegExp(`net value ${money(ranked[0]!.netValue)}, commission ${money(ranked[0]!.commission)}; ROI ${ranked[0]!.roi!.toFixed(2)}`));
    assert.equal(await pane.getByTestId("program-net-value").textContent(), money(program.netValue));
    // The chart of net value by partner draws its columns.
    await pane.getByTestId("result-chart").locator("svg").first().waitFor();
    assert.equal(await pane.getByTestId("result-chart").count(), 1);

    // The sheet is in the workbook, shown, and its inputs pass their check.
    await page.getByRole("tablist", { name: "Sheets" }).getByRole("tab", { name: "Partner model", exact: true }).waitFor();
    const inputCheck = buildPartnerPlan(PARTNER_SETTINGS).plan.sheets[0]!.names.find((n) => n.name === "InputCheck")!.ref.replace(/\$/g, "");
    assert.equal(await cell(page, inputCheck).textContent(), "OK");
    await page.screenshot({ path: path.join(ARTIFACTS, "preview-partners.png"), fullPage: true });

    // At 320 px the pane, its partner cards and its result fit, and pass axe.
    await pane.evaluate((e: HTMLElement) => {
      e.style.flex = "0 0 320px";
      e.style.width = "320px";
    });
    const overflow = await pane.evaluate((e: HTMLElement) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    assert.ok(overflow.scroll <= overflow.client, `the pane's content is ${overflow.scroll} px wide in ${overflow.client} px`);
    assert.deepEqual(await paneViolations(page), []);
    await pane.screenshot({ path: path.join(ARTIFACTS, "pane-partners-result.png") });

    // Reopened, the pane restores the partners and offers to rebuild the sheet.
    await page.reload();
    await page.waitForSelector('[data-testid="grid"] td[data-cell="A1"]');
    await pane.getByRole("tab", { name: "Partner model" }).click();
    await pane.getByRole("button", { name: "Rebuild “Partner model”" }).waitFor();
    assert.equal(await cards.count(), 3);
    assert.equal(await cards.nth(1).getByRole("textbox", { name: "Cap per customer", exact: true }).inputValue(), "60");
    assert.equal(await cards.nth(2).getByRole("radio", { name: "Tiers on customers per period" }).isChecked(), true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("partner scenarios: two added, built and compared as the core computes them; the active one switched on the sheet; the grid scrolls within a 320 px pane", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = await open(page, "light");
    const pane = page.getByTestId("pane");
    await pane.getByRole("tab", { name: "Partner model" }).click();
    await pane.getByRole("button", { name: "Add scenario" }).click();
    await pane.getByRole("button", { name: "Add scenario" }).click();
    await pane.getByRole("textbox", { name: "Optimistic: Retention per period", exact: true }).fill("0.95");
    await pane.getByRole("textbox", { name: "Pessimistic: Gross margin", exact: true }).fill("0.4");
    // A scenario renamed, then duplicated and the copy deleted.
    await pane.getByRole("textbox", { name: "Name of scenario 3", exact: true }).fill("Thin margin");
    await pane.getByRole("button", { name: "Actions for scenario Thin margin" }).click();
    await page.getByRole("menuitem", { name: "Duplicate" }).click();
    assert.equal(await pane.getByRole("textbox", { name: "Name of scenario 4", exact: true }).inputValue(), "Thin margin (copy)");
    assert.equal(await pane.getByRole("textbox", { name: "Thin margin (copy): Gross margin", exact: true }).inputValue(), "0.4");
    await pane.getByRole("button", { name: "Actions for scenario Thin margin (copy)" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    assert.equal(await pane.getByRole("textbox", { name: "Name of scenario 4" }).count(), 0);
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("scenario-comparison").waitFor();

    const base: PartnerModelSettings = { ...PARTNER_SETTINGS, partners: [{ name: "Partner 1", customersPerPeriod: 10, rate: 0.2, commissionPeriods: 0, bounty: 0, holdPeriods: 0, churnMultiplier: 1 }], acquisitionPeriods: 36 };
    const programs = [base, { ...base, curve: { kind: "constant" as const, retention: 0.95 } }, { ...base, margin: 0.4 }].map(partnerProgram);
    const compared = pane.getByTestId("scenario-comparison");
    assert.deepEqual(await compared.locator("thead th").allTextContents(), ["Result", "Base (active)", "Optimistic", "Thin margin"]);
    assert.deepEqual(await compared.locator("tbody tr").nth(1).locator("td").allTextContents(), programs.map((p) => money(p.netValue)));
    assert.deepEqual(await compared.locator("tbody tr").first().locator("td").allTextContents(), programs.map((p) => money(p.commission)));
    await page.getByRole("tablist", { name: "Sheets" }).getByRole("tab", { name: "Partner scenarios", exact: true }).waitFor();

    const netOnSheet = () =>
      page.evaluate(() => {
        const engine = (window as unknown as { lifetimePreview: { engine: { getNamedExpressionValue(n: string, s: number): unknown; getSheetId(n: string): number } } }).lifetimePreview.engine;
        return engine.getNamedExpressionValue("ProgramNetValue", engine.getSheetId("Partner model")) as number;
      });
    assert.ok(Math.abs((await netOnSheet()) - programs[0]!.netValue) < 1e-6 * Math.abs(programs[0]!.netValue));
    await pane.getByRole("combobox", { name: "Active scenario" }).selectOption({ label: "Optimistic" });
    await page.waitForFunction(() => (window as unknown as { lifetimePreview: { values(s: string, r: string): unknown[][] } }).lifetimePreview.values("Partner model", "B3")[0]![0] === "Optimistic");
    assert.ok(Math.abs((await netOnSheet()) - programs[1]!.netValue) < 1e-6 * Math.abs(programs[1]!.netValue), `${await netOnSheet()} vs ${programs[1]!.netValue}`);
    await pane.getByTestId("active-scenario").getByText("Scenario: Optimistic").waitFor();
    assert.equal(await pane.getByTestId("program-net-value").textContent(), money(programs[1]!.netValue));

    // At 320 px: four columns scroll within the grid, not the pane; axe passes.
    await pane.evaluate((e: HTMLElement) => {
      e.style.flex = "0 0 320px";
      e.style.width = "320px";
    });
    const overflow = await pane.evaluate((e: HTMLElement) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    assert.ok(overflow.scroll <= overflow.client, `the pane's content is ${overflow.scroll} px wide in ${overflow.client} px`);
    const region = pane.getByRole("region", { name: "Scenario inputs" });
    assert.ok(await region.evaluate((e) => e.scrollWidth > e.clientWidth), "the grid scrolls sideways");
    assert.deepEqual(await paneViolations(page), []);
    await pane.getByTestId("scenario-editor").screenshot({ path: path.join(ARTIFACTS, "pane-partner-scenarios.png") });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("lists the workbook's models on Home: opens one, rebuilds it, and removes its sheets and settings after asking", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = await open(page, "light");
    const pane = page.getByTestId("pane");
    // The sheet tabs as elements: while a dialog is open, the rest of the page is hidden from the accessibility tree.
    const tabs = page.locator('[role="tablist"][aria-label="Sheets"] [role="tab"]');
    const models = pane.getByTestId("workbook-models");
    await models.getByText("None yet: build one below.").waitFor();
    await pane.getByRole("tab", { name: "Partner model" }).click();
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("partner-ranking").waitFor();
    await pane.getByRole("tab", { name: "Home" }).click();
    const item = models.locator('li[data-model="partners"]');
    await item.getByText("On “Partner model”").waitFor();
    assert.match((await item.textContent())!, /Built \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d/);
    await pane.getByRole("button", { name: "Rebuild the referral-partner model" }).click();
    await models.getByTestId("models-message").getByText("The referral-partner model was rebuilt.").waitFor();
    assert.deepEqual(await tabs.count(), 2);
    assert.deepEqual(await paneViolations(page), []);
    // Remove asks first: Cancel keeps everything; Remove deletes its sheet and forgets its settings.
    await pane.getByRole("button", { name: "Remove the referral-partner model" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByText(/Delete the sheet “Partner model” and forget the referral-partner model's settings\?/).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    assert.equal(await tabs.count(), 2);
    await pane.getByRole("button", { name: "Remove the referral-partner model" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
    await models.getByTestId("models-message").getByText("Removed “Partner model” and the model's settings.").waitFor();
    await page.getByRole("alertdialog").waitFor({ state: "hidden" });
    assert.equal(await tabs.count(), 1);
    assert.equal(await page.evaluate(() => window.localStorage.getItem("lifetime:partnerModel")), null);
    await models.getByText("None yet: build one below.").waitFor();
    // Open goes to the model's form.
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("radio", { name: "Assumptions" }).check();
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("customer-equity").waitFor();
    await pane.getByRole("tab", { name: "Home" }).click();
    await pane.getByRole("button", { name: "Open the cohort retention model" }).click();
    await pane.getByRole("button", { name: /^Rebuild “Cohort model”/ }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("holds any number of models: a second cohort model made with New, both listed with their sheets; the first removed, the second remains and rebuilds", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = await open(page, "light");
    const pane = page.getByTestId("pane");
    const tabs = page.locator('[role="tablist"][aria-label="Sheets"] [role="tab"]');
    const models = pane.getByTestId("workbook-models");
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByRole("radio", { name: "Assumptions" }).check();
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("customer-equity").waitFor();
    // New cohort model: an empty form under a key of its own, built to sheets of its own.
    await pane.getByRole("tab", { name: "Home" }).click();
    await pane.getByRole("button", { name: "New cohort model" }).click();
    await pane.getByTestId("model-place").getByText("Not built yet").waitFor();
    await pane.getByRole("radio", { name: "Assumptions" }).check();
    await pane.getByRole("textbox", { name: /Revenue per customer per period/ }).fill("45");
    await pane.getByRole("button", { name: "Build model" }).click();
    await pane.getByTestId("customer-equity").waitFor();
    await pane.getByRole("button", { name: "Rebuild “Cohort model (2)”" }).waitFor();
    assert.equal(await tabs.count(), 3);
    await pane.getByRole("tab", { name: "Home" }).click();
    const items = models.locator('li[data-model="cohort"]');
    await items.nth(1).waitFor();
    assert.equal(await items.count(), 2);
    await items.nth(0).getByText("On “Cohort model”").waitFor();
    await items.nth(1).getByText("On “Cohort model (2)”").waitFor();
    assert.deepEqual(JSON.parse((await page.evaluate(() => window.localStorage.getItem("lifetime:models")))!), { version: 1, models: [{ key: "cohortModel", kind: "cohort" }, { key: "cohortModel:2", kind: "cohort" }] });
    assert.deepEqual(await paneViolations(page), []);
    // Remove the first: its sheet and settings go; the second stays, listed, and rebuilds.
    await pane.getByRole("button", { name: "Remove the cohort retention model on “Cohort model”", exact: true }).click();
    await page.getByRole("alertdialog").getByText(/Delete the sheet “Cohort model” and forget/).waitFor();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
    await models.getByTestId("models-message").getByText("Removed “Cohort model” and the model's settings.").waitFor();
    await page.getByRole("alertdialog").waitFor({ state: "hidden" });
    assert.equal(await tabs.count(), 2);
    // (A sheet tab holds its name twice, once hidden, as Fluent's tabs keep their width when bold.)
    assert.equal(await tabs.filter({ hasText: /^(Cohort model)+$/ }).count(), 0, "the first model's sheet is gone");
    assert.equal(await tabs.filter({ hasText: "Cohort model (2)" }).count(), 1, "the second model's sheet stays");
    assert.equal(await page.evaluate(() => window.localStorage.getItem("lifetime:cohortModel")), null);
    assert.equal(await items.count(), 1);
    await items.nth(0).getByText("On “Cohort model (2)”").waitFor();
    await pane.getByRole("button", { name: "Rebuild the cohort retention model on “Cohort model (2)”", exact: true }).click();
    await models.getByTestId("models-message").getByText("The cohort retention model was rebuilt.").waitFor();
    assert.equal(await tabs.count(), 2);
    // Open goes to that model's form, with its own inputs.
    await pane.getByRole("button", { name: "Open the cohort retention model on “Cohort model (2)”", exact: true }).click();
    await pane.getByRole("button", { name: "Rebuild “Cohort model (2)”" }).waitFor();
    assert.equal(await pane.getByRole("textbox", { name: /Revenue per customer per period/ }).inputValue(), "45");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("builds nothing over settings from a newer Lifetime, nor on an Excel without the requirement sets", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await open(page, "light");
    await page.evaluate(() => window.localStorage.setItem("lifetime:cohortModel", JSON.stringify({ version: 99, future: true })));
    await page.reload();
    await page.waitForSelector('[data-testid="grid"] td[data-cell="A1"]');
    const pane = page.getByTestId("pane");
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByText(/made with a newer version of Lifetime \(settings version 99/).waitFor();
    assert.equal(await pane.getByRole("button", { name: "Build model" }).isDisabled(), true);
    assert.equal(await page.evaluate(() => window.localStorage.getItem("lifetime:cohortModel")), JSON.stringify({ version: 99, future: true }));

    await page.evaluate(() => window.localStorage.clear());
    await page.goto(`${base}/preview.html?theme=light&excelApi=1.9`);
    await pane.getByRole("tab", { name: "Cohort model" }).click();
    await pane.getByText(/lacks what the model builder needs: ExcelApi 1\.12/).waitFor();
    assert.equal(await pane.getByRole("button", { name: "Build model" }).isDisabled(), true);
    await context.close();
  });

  it("works on a 320 px wide screen: the pane wraps below the workbook, nothing wider than the page", async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 800 } });
    const errors = await open(page, "light");
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.page <= widths.view, `the page is ${widths.page} px wide in a ${widths.view} px window`);
    const pane = await page.getByTestId("pane").boundingBox();
    const grid = await page.getByTestId("cells").boundingBox();
    assert.ok(pane!.y >= grid!.y + grid!.height - 1, "the pane sits below the workbook");
    await page.screenshot({ path: path.join(ARTIFACTS, "preview-320px.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  for (const theme of ["light", "dark"] as const) {
    it(`the pane (${theme}) at 320 px has no serious or critical accessibility violations (axe-core)`, async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await open(page, theme);
      const pane = page.getByTestId("pane");
      await pane.evaluate((e: HTMLElement) => (e.style.width = "320px"));
      for (const tab of ["Home", "Cohort model", "Partner model", "Functions"]) {
        await pane.getByRole("tab", { name: tab }).click();
        await page.addScriptTag({ content: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
        const violations = (await page.evaluate(async () => {
          // Tabster's focus sentinels (data-tabster-dummy) are aria-hidden and focusable by design: Fluent UI's
          // focus management moves focus on through them at once. Fluent's own accessibility tests exclude them.
          const context = { include: [['[data-testid="pane"]']], exclude: [["[data-tabster-dummy]"]] };
          const result = await (window as unknown as { axe: { run: (c: unknown) => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe.run(context);
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: (v as unknown as { nodes: { html: string }[] }).nodes.map((n) => n.html.slice(0, 160)) }));
        })) as { id: string; impact: string }[];
        assert.deepEqual(violations.filter((v) => v.impact === "serious" || v.impact === "critical"), [], `${theme}, ${tab}`);
        if (tab === "Cohort model") await pane.screenshot({ path: path.join(ARTIFACTS, `pane-${theme}.png`) });
        if (tab === "Partner model") await pane.screenshot({ path: path.join(ARTIFACTS, `pane-partners-${theme}.png`) });
      }
      // A model built, its result card and charts shown: the whole page, grid and charts included.
      await pane.getByRole("tab", { name: "Cohort model" }).click();
      await pane.getByRole("radio", { name: "Assumptions" }).click();
      await pane.getByRole("button", { name: "Build model" }).click();
      await pane.getByTestId("result-chart").first().locator("svg").first().waitFor();
      await page.getByTestId("sheet-charts").getByTestId("result-chart").first().locator("svg").first().waitFor();
      const whole = (await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: (c: unknown) => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe.run({ exclude: [["[data-tabster-dummy]"]] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: (v as unknown as { nodes: { html: string }[] }).nodes.slice(0, 3).map((n) => n.html.slice(0, 160)) }));
      })) as { id: string; impact: string }[];
      assert.deepEqual(whole.filter((v) => v.impact === "serious" || v.impact === "critical"), [], `${theme}, the whole page with a model built`);
      await pane.screenshot({ path: path.join(ARTIFACTS, `pane-result-${theme}.png`) });
      await page.close();
    });
  }
});
