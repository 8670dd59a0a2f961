import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { installFakeExcel } from "./fakeExcel";

/** An assert.throws / assert.rejects check on the error's code. */
const code = (expected: string) => (error: unknown) => {
  assert.equal((error as { code?: string }).code, expected, String(error));
  return true;
};
const member = (object: object, name: string) => (object as Record<string, unknown>)[name];

describe("fake Excel: loading (rule 1)", () => {
  it("a sheet from worksheets.add() has no readable name before load() and a sync", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      const ws = context.workbook.worksheets.add("Model");
      assert.throws(() => ws.name, { code: "PropertyNotLoaded", message: "PropertyNotLoaded: Worksheet.name was read before load() and context.sync()" });
      await context.sync();
      assert.throws(() => ws.name, code("PropertyNotLoaded")); // a sync is not a load
      ws.load("name");
      assert.throws(() => ws.name, code("PropertyNotLoaded")); // nor is a load without its sync
      await context.sync();
      assert.equal(ws.name, "Model");
    });
  });

  it("a property set on a proxy reads back what was set", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      const ws = context.workbook.worksheets.add();
      ws.name = "Model";
      assert.equal(ws.name, "Model");
      assert.throws(() => ws.id, code("PropertyNotLoaded"));
      assert.throws(() => ws.getRange("A1").values, code("PropertyNotLoaded"));
      await context.sync();
    });
  });

  it("loaded values are the snapshot of the sync that served them", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      const first = context.workbook.worksheets.getItem("Sheet1").load("name");
      await context.sync();
      context.workbook.worksheets.getItem("sheet1").name = "Inputs";
      await context.sync();
      assert.equal(first.name, "Sheet1");
      first.load("name");
      await context.sync();
      assert.equal(first.name, "Inputs");
    });
  });

  it("collections serve items with the loaded properties only", async () => {
    installFakeExcel({ sheets: ["Sheet1", "Budget"] });
    await Excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      assert.throws(() => sheets.items, code("PropertyNotLoaded"));
      sheets.load("items/name");
      await context.sync();
      assert.deepEqual(sheets.items.map((s) => s.name), ["Sheet1", "Budget"]);
      assert.throws(() => sheets.items[0]!.position, { message: /Worksheet\.position was read before load/ });
    });
  });

  it("isNullObject is readable only after a sync, and a null object's properties not at all", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      const missing = context.workbook.worksheets.getItemOrNullObject("Nope");
      const there = context.workbook.worksheets.getItemOrNullObject("SHEET1");
      assert.throws(() => missing.isNullObject, code("PropertyNotLoaded"));
      missing.load("name");
      await context.sync();
      assert.equal(missing.isNullObject, true);
      assert.equal(there.isNullObject, false);
      assert.throws(() => missing.name, { message: /null object/ });
    });
  });

  it("a ClientResult's value is readable after its sync only", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      const result = context.workbook.worksheets.getItem("Sheet1").getRange("A1").getCellProperties({ format: { font: { bold: true } } });
      assert.throws(() => result.value, code("ValueNotLoaded"));
      await context.sync();
      assert.deepEqual(result.value, [[{ format: { font: { bold: false } } }]]);
    });
  });
});

describe("fake Excel: batches (rule 2)", () => {
  it("writes take effect at sync, not when queued", async () => {
    const fake = installFakeExcel();
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Sheet1").getRange("A1:B1").values = [[1, "=A1*2"]];
      assert.equal(fake.sheet("Sheet1").cells.size, 0);
      await context.sync();
      assert.deepEqual(Object.fromEntries(fake.sheet("Sheet1").cells), { A1: { value: 1 }, B1: { formula: "=A1*2" } });
    });
  });

  it("a failing action rejects its sync: earlier actions stay, later ones don't, and the context goes on", async () => {
    const fake = installFakeExcel({ sheets: ["Sheet1", "Budget"] });
    await Excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.add("Before");
      sheets.add("budget");
      const after = sheets.add("After");
      await assert.rejects(context.sync(), code("ItemAlreadyExists"));
      assert.deepEqual(fake.sheets.map((s) => s.name), ["Sheet1", "Budget", "Before"]);
      // An object whose add never ran can't be used again (Office.js invalidates its path).
      assert.throws(() => after.delete(), code("InvalidObjectPath"));
      sheets.add("Later");
      await context.sync();
      assert.deepEqual(fake.sheets.map((s) => s.name), ["Sheet1", "Budget", "Before", "Later"]);
    });
  });

  it("getItem of a missing sheet fails its sync even when the object is never used", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Nope");
      await assert.rejects(context.sync(), code("ItemNotFound"));
    });
  });

  it("Excel.run sends what its callback left queued, and a sync with nothing queued sends nothing", async () => {
    const fake = installFakeExcel();
    await Excel.run(async (context) => {
      await context.sync();
      context.workbook.worksheets.getItem("Sheet1").getRange("C3").values = [[7]];
    });
    assert.equal(fake.syncs, 1);
    assert.deepEqual(fake.sheet("Sheet1").cells.get("C3"), { value: 7 });
  });
});

describe("fake Excel: payload limits (rule 3)", () => {
  it("a request over 5 MB fails whole: nothing in it is applied", async () => {
    const fake = installFakeExcel();
    const before = fake.snapshot();
    await Excel.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Sheet1");
      ws.getRange("B1").values = [["small"]];
      ws.getRange("A1:A6000").values = Array.from({ length: 6000 }, () => ["x".repeat(1000)]);
      await assert.rejects(context.sync(), code("RequestPayloadSizeLimitExceeded"));
    });
    assert.ok(fake.requests[0]!.bytes > 5 * 1024 * 1024);
    assert.deepEqual(fake.snapshot(), before);
  });

  it("a response over 5 MB fails: the batch's writes are applied, its loads are not served", async () => {
    const fake = installFakeExcel();
    for (let r = 1; r <= 6000; r++) fake.setCell("Sheet1", `A${r}`, { value: "y".repeat(1000) });
    await Excel.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Sheet1");
      ws.getRange("B1").values = [[1]];
      const big = ws.getRange("A1:A6000").load("values");
      await assert.rejects(context.sync(), code("ResponsePayloadSizeLimitExceeded"));
      assert.throws(() => big.values, code("PropertyNotLoaded"));
    });
    assert.deepEqual(fake.sheet("Sheet1").cells.get("B1"), { value: 1 });
    assert.ok(fake.requests[0]!.responseBytes > 5 * 1024 * 1024);
  });
});

describe("fake Excel: sheet, table and defined names (rules 4, 5)", () => {
  it("sheet names follow Excel's rules, checked at sync for add and rename", async () => {
    installFakeExcel({ sheets: ["Sheet1", "Budget"] });
    for (const bad of ["x".repeat(32), "a/b", "[x]", "what?", "'quoted'", "History", "HISTORY"]) {
      await Excel.run(async (context) => {
        const ws = context.workbook.worksheets.add(bad);
        await assert.rejects(context.sync(), code("InvalidArgument"), bad);
        context.workbook.worksheets.getItem("Budget").name = bad;
        await assert.rejects(context.sync(), code("InvalidArgument"), bad);
        assert.throws(() => ws.name, code("PropertyNotLoaded"));
      });
    }
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Budget").name = "SHEET1";
      await assert.rejects(context.sync(), code("ItemAlreadyExists"));
    });
  });

  it("table names are unique across the workbook and distinct from defined names", async () => {
    const fake = installFakeExcel({ sheets: ["Sheet1", "Budget"] });
    await Excel.run(async (context) => {
      const [one, two] = ["Sheet1", "Budget"].map((s) => context.workbook.worksheets.getItem(s).tables.add("A1:B3", true));
      await context.sync();
      assert.deepEqual(fake.tables.map((t) => t.name), ["Table1", "Table2"]);
      one!.name = "Sales";
      await context.sync();
      two!.name = "sales";
      await assert.rejects(context.sync(), code("ItemAlreadyExists"));
      context.workbook.worksheets.getItem("Budget").names.add("Rate", context.workbook.worksheets.getItem("Budget").getRange("D1"));
      two!.name = "RATE";
      await assert.rejects(context.sync(), code("ItemAlreadyExists"));
      for (const bad of ["A1", "R1C1", "1st", "with space"]) {
        two!.name = bad;
        await assert.rejects(context.sync(), code("InvalidArgument"), bad);
      }
      context.workbook.worksheets.getItem("Budget").tables.add("B2:C4", true);
      await assert.rejects(context.sync(), code("InvalidArgument")); // overlaps Table2
    });
  });
});

describe("fake Excel: unknown members (rule 6)", () => {
  it("anything not modelled throws at once", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Sheet1").getRange("A1");
      assert.throws(() => member(range, "foo"), { message: "fake Excel: Range.foo is not implemented" });
      assert.throws(() => member(range, "toString"), { message: "fake Excel: Range.toString is not implemented" });
      assert.throws(() => member(context.workbook, "application"), { message: /Workbook\.application is not implemented/ });
      assert.throws(() => member(Excel, "BorderIndex"), { message: /Excel\.BorderIndex is not implemented/ });
      assert.equal(member(range, "then"), undefined); // not a thenable
      assert.match(inspect(range), /Range/);
      await context.sync();
    });
  });

  it("members newer than the API sets throw ApiNotFound", async () => {
    installFakeExcel({ apiSets: { ExcelApi: "1.9" } });
    assert.equal(Office.context.requirements.isSetSupported("ExcelApi", "1.12"), false);
    assert.equal(Office.context.requirements.isSetSupported("ExcelApi", "1.9"), true);
    await Excel.run(async (context) => {
      assert.throws(() => context.workbook.worksheets.getItem("Sheet1").customProperties, code("ApiNotFound"));
      await context.sync();
    });
  });
});

describe("fake Excel: fault injection (rule 7)", () => {
  for (const [op, expected] of [["first", []], ["last", ["A", "B"]]] as const) {
    it(`failAt ${op}: the actions before it are applied, it and those after are not`, async () => {
      const fake = installFakeExcel();
      fake.failAt = { sync: 1, op };
      await Excel.run(async (context) => {
        const sheets = context.workbook.worksheets; // the collection's own action is first
        ["A", "B", "C"].forEach((name) => sheets.add(name));
        await assert.rejects(context.sync(), code("GeneralException"));
      });
      assert.deepEqual(fake.sheets.slice(1).map((s) => s.name), expected);
      assert.deepEqual(fake.requests.map((r) => r.ops), [4]);
    });
  }
});

describe("fake Excel: deleting and renaming sheets", () => {
  it("deleting a sheet turns references to it into #REF! and takes its names and tables", async () => {
    const fake = installFakeExcel({ sheets: ["Sheet1", "Cohort model"] });
    fake.setCell("Sheet1", "A1", { formula: "='Cohort model'!B20*2+SUM('Cohort model'!$B$20:$C$21)" });
    await Excel.run(async (context) => {
      const model = context.workbook.worksheets.getItem("Cohort model");
      context.workbook.names.add("Alpha", model.getRange("B20"));
      model.names.add("Local", model.getRange("C1"));
      model.tables.add("A1:B3", true);
      await context.sync();
      assert.equal(fake.names.get("Alpha"), "='Cohort model'!$B$20");
      model.delete();
      await context.sync();
    });
    assert.equal(fake.sheet("Sheet1").cells.get("A1")!.formula, "=#REF!*2+SUM(#REF!)");
    assert.equal(fake.names.get("Alpha"), "=#REF!");
    assert.deepEqual(fake.tables, []);
    await Excel.run(async (context) => {
      context.workbook.names.getItem("Alpha").getRange();
      await assert.rejects(context.sync(), code("InvalidReference"));
    });
  });

  it("renaming a sheet rewrites references to it, quoting the new name when needed", async () => {
    const fake = installFakeExcel({ sheets: ["Sheet1", "Budget"] });
    fake.setCell("Sheet1", "A1", { formula: '=Budget!B20+SUM(Budget!$B$20:$C$21)&"Budget!A1"' });
    await Excel.run(async (context) => {
      const budget = context.workbook.worksheets.getItem("Budget");
      context.workbook.names.add("Rate", budget.getRange("B2:C3"));
      budget.name = "Cohort model";
      await context.sync();
    });
    assert.equal(fake.sheet("Sheet1").cells.get("A1")!.formula, "='Cohort model'!B20+SUM('Cohort model'!$B$20:$C$21)&\"Budget!A1\"");
    assert.equal(fake.names.get("Rate"), "='Cohort model'!$B$2:$C$3");
  });
});

describe("fake Excel: ranges and sheets", () => {
  it("text shows numbers as their number format does, dates as Excel serials", async () => {
    const fake = installFakeExcel();
    const cases = [["mm/dd/yyyy", 45658, "01/01/2025"], ["m/d/yyyy", 45689, "2/1/2025"], ["yyyy-mm-dd", 45658, "2025-01-01"], ["yyyy-mm", 45658, "2025-01"], ["mmm yyyy", 45658, "Jan 2025"], ["#,##0.00", 1234.5, "1,234.50"], ["0.00%", 0.1234, "12.34%"], ["General", 1 / 3, "0.333333333"]] as const;
    cases.forEach(([numberFormat, value], i) => fake.setCell("Sheet1", `A${i + 1}`, { value, numberFormat }));
    await Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Sheet1").getRange(`A1:A${cases.length}`).load("text");
      await context.sync();
      assert.deepEqual(range.text, cases.map(([, , text]) => [text]));
    });
  });

  it("writes must match the range's size; '=' text written to a text cell stays text", async () => {
    const fake = installFakeExcel();
    await Excel.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Sheet1");
      ws.getRange("A1:B2").values = [[1, 2]];
      await assert.rejects(context.sync(), code("InvalidArgument"));
      ws.getRange("A1").numberFormat = [["@"]];
      ws.getRange("A1").values = [["=HYPERLINK(\"x\")"]];
      ws.getRange("A2").values = [["=A1"]];
      await context.sync();
    });
    assert.deepEqual(fake.sheet("Sheet1").cells.get("A1"), { value: "=HYPERLINK(\"x\")", numberFormat: "@" });
    assert.deepEqual(fake.sheet("Sheet1").cells.get("A2"), { formula: "=A1" });
  });

  it("getCellProperties reads back what setCellProperties set", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Sheet1").getRange("A1:B1");
      range.setCellProperties([[{ format: { font: { bold: true, color: "#ff0000" }, fill: { color: "#FFF2CC" } } }, {}]]);
      const props = range.getCellProperties({ format: { font: { bold: true, italic: true, color: true }, fill: { color: true } } });
      await context.sync();
      assert.deepEqual(props.value, [
        [
          { format: { font: { bold: true, italic: false, color: "#FF0000" }, fill: { color: "#FFF2CC" } } },
          { format: { font: { bold: false, italic: false, color: "#000000" }, fill: { color: "#FFFFFF" } } },
        ],
      ]);
    });
  });

  it("data validation: a rule replaces none until cleared, texts keep Excel's limits, mixed ranges read as Inconsistent", async () => {
    installFakeExcel();
    await Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Sheet1");
      const dv = sheet.getRange("A1:A2").dataValidation;
      dv.rule = { decimal: { formula1: 0, operator: Excel.DataValidationOperator.greaterThanOrEqualTo } };
      dv.prompt = { showPrompt: true, title: "Revenue", message: "An amount, 0 or more." };
      await context.sync();
      dv.rule = { wholeNumber: { formula1: 1, formula2: 9, operator: Excel.DataValidationOperator.between } };
      await assert.rejects(context.sync(), code("InvalidOperation"));
      dv.clear();
      dv.rule = { wholeNumber: { formula1: 1, formula2: 9, operator: Excel.DataValidationOperator.between } };
      await context.sync();
      dv.errorAlert = { showAlert: true, style: Excel.DataValidationAlertStyle.stop, title: "x".repeat(33), message: "no" };
      await assert.rejects(context.sync(), code("InvalidArgument"));
      sheet.getRange("B1").dataValidation.prompt = { showPrompt: true, title: "t", message: "m" };
      await assert.rejects(context.sync(), code("InvalidOperation"));
      const mixed = sheet.getRange("A2:A3").dataValidation;
      mixed.load("type,rule");
      const one = sheet.getRange("A1").dataValidation;
      one.load("type,rule,prompt");
      await context.sync();
      assert.equal(mixed.type, "MixedCriteria", "A2 has a rule, A3 none");
      assert.equal(mixed.rule, null);
      assert.equal(one.type, "WholeNumber");
      assert.deepEqual(one.rule, { wholeNumber: { formula1: 1, formula2: 9, operator: "Between" } });
      dv.clear();
      (dv as unknown as { rule: unknown }).rule = { decimal: { formula1: 0, operator: "Above" } };
      await assert.rejects(context.sync(), code("InvalidArgument"));
    });
  });

  it("custom properties: keys ignore case, at most 255 characters", async () => {
    const fake = installFakeExcel();
    await Excel.run(async (context) => {
      const props = context.workbook.worksheets.getItem("Sheet1").customProperties;
      props.add("ModelId", "cohort");
      props.add("modelid", "cohort-2"); // replaces
      await context.sync();
      assert.deepEqual([...fake.sheet("Sheet1").customProperties], [["modelid", "cohort-2"]]);
      const item = props.getItem("MODELID").load("key,value");
      props.getItemOrNullObject("other");
      await context.sync();
      assert.deepEqual([item.key, item.value], ["modelid", "cohort-2"]);
      props.add("k".repeat(256), "v");
      await assert.rejects(context.sync(), code("InvalidArgument"));
      item.delete();
      await context.sync();
    });
    assert.equal(fake.sheet("Sheet1").customProperties.size, 0);
  });

  it("settings are saved only by saveAsync", async () => {
    const fake = installFakeExcel();
    Office.context.document.settings.set("lifetime.x", "1");
    assert.equal(Office.context.document.settings.get("lifetime.x"), "1");
    assert.equal(fake.savedSettings.size, 0);
    const status = await new Promise((resolve) => Office.context.document.settings.saveAsync((r) => resolve(r.status)));
    assert.equal(status, Office.AsyncResultStatus.Succeeded);
    assert.deepEqual([...fake.savedSettings], [["lifetime.x", "1"]]);
  });
});
