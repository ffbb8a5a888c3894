// The fake Excel is only worth replaying against if it refuses what Excel refuses. Each test
// here makes one mistake the fake must catch (and one correct use it must accept).

import assert from "node:assert/strict";
import { test } from "node:test";
import { createRequire } from "node:module";
import { loadSchema } from "../harness.mjs";

const require = createRequire(import.meta.url);
const FakeOffice = require("../fake-office.cjs");
const schema = loadSchema();

function fresh(options = {}) {
  return FakeOffice.createFakeOffice({
    schema,
    excelApi: options.excelApi || "1.13",
    workbook: {
      name: "t.xlsx",
      sheets: [
        { name: "Data", values: [["field", 44865], ["contacts", 1215]], numberFormats: [["General", "mmm-yy"]] },
        { name: "Other", values: [["x"]] },
      ],
      names: [{ name: "Owner", formula: "=Other!$A$1" }],
    },
  });
}

test("the schema is generated from @types/office-js, not written by hand", () => {
  assert.match(schema.source, /^@types\/office-js \d+\.\d+\.\d+$/);
  assert.ok(Object.keys(schema.classes).length > 150, "every Excel class");
  assert.ok(Object.keys(schema.enums).length > 150, "every Excel enum");
  assert.deepEqual(schema.classes.Range.props.address.readonly, true);
  assert.equal(schema.classes.Range.props.values.readonly, false);
});

test("a member Office.js does not have is a TypeError at once", () => {
  const { Excel } = fresh();
  return Excel.run(async (context) => {
    const range = context.workbook.worksheets.getItem("Data").getRange("A1");
    assert.throws(() => range.format.horizontalAlignmnet, TypeError);
    assert.throws(() => range.setValues([[1]]), TypeError);
    assert.throws(() => {
      range.colour = "#FF0000";
    }, TypeError);
  });
});

test("writing a read-only property is refused", () => {
  const { Excel } = fresh();
  return Excel.run(async (context) => {
    const range = context.workbook.worksheets.getItem("Data").getRange("A1:B2");
    assert.throws(() => {
      range.address = "C3";
    }, /read-only/);
    assert.throws(() => {
      range.rowCount = 4;
    }, /read-only/);
  });
});

test("a property read before load and sync is refused; after both it is a snapshot", async () => {
  const { Excel } = fresh();
  await Excel.run(async (context) => {
    const range = context.workbook.worksheets.getItem("Data").getRange("A2:B2");
    assert.throws(() => range.values, /not available/);
    range.load("values");
    assert.throws(() => range.values, /not available/, "load alone is not enough");
    await context.sync();
    assert.deepEqual(range.values, [["contacts", 1215]]);
    range.values = [["contacts", 1300]];
    await context.sync();
    assert.deepEqual(range.values, [["contacts", 1215]], "what was loaded, until loaded again");
    assert.throws(() => range.numberFormat, /not available/, "only what was loaded");
  });
});

test("a bad enum string fails at the next sync, and the batch stops there", async () => {
  const { Excel, book } = fresh();
  await assert.rejects(
    Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Data");
      sheet.getRange("A1").values = [["first"]];
      sheet.getRange("A1").format.horizontalAlignment = "centre";
      sheet.getRange("A2").values = [["never"]];
      await context.sync();
    }),
    (error) => error.code === "InvalidArgument" && /HorizontalAlignment/.test(error.message),
  );
  assert.equal(book.sheet("Data").value(0, 0), "first", "operations before the bad one stay");
  assert.equal(book.sheet("Data").value(1, 0), "contacts", "the rest of the batch is dropped");
});

test("enum fields inside option objects are checked too", async () => {
  const { Excel } = fresh();
  await assert.rejects(
    Excel.run(async (context) => {
      const cf = context.workbook.worksheets.getItem("Data").getRange("B2").conditionalFormats.add("CellValue");
      cf.cellValue.rule = { operator: "Equals", formula1: '="Red"' };
      await context.sync();
    }),
    /ConditionalCellValueOperator/,
  );
  await Excel.run(async (context) => {
    const cf = context.workbook.worksheets.getItem("Data").getRange("B2").conditionalFormats.add("CellValue");
    cf.cellValue.rule = { operator: "EqualTo", formula1: '="Red"' };
    await context.sync();
  });
});

test("an API above the host's requirement set fails at sync with ApiNotFound", async () => {
  const { Excel } = fresh({ excelApi: "1.12" });
  await assert.rejects(
    Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Data");
      const table = sheet.tables.add("A1:B2", true);
      table.resize("A1:B3"); // ExcelApi 1.13
      await context.sync();
    }),
    (error) => error.code === "ApiNotFound",
  );
});

test("a missing item and a series beyond the chart's are refused", async () => {
  const { Excel } = fresh();
  await assert.rejects(
    Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Nope").getRange("A1").values = [[1]];
      await context.sync();
    }),
    (error) => error.code === "ItemNotFound",
  );
  await assert.rejects(
    Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Data");
      const chart = sheet.charts.add("Line", sheet.getRange("B1:B2"), "Columns");
      chart.series.getItemAt(3).markerStyle = "Circle";
      await context.sync();
    }),
    (error) => error.code === "ItemNotFound",
  );
});

test("writing an array that does not fit the range is refused; one value fills it", async () => {
  const { Excel, book } = fresh();
  await assert.rejects(
    Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Other").getRange("A1:B2").values = [[1, 2, 3]];
      await context.sync();
    }),
    /doesn't match/,
  );
  await Excel.run(async (context) => {
    context.workbook.worksheets.getItem("Other").getRange("A1:B2").numberFormat = [["0.0%"]];
    await context.sync();
  });
  assert.equal(book.sheet("Other").numberFormat(1, 1), "0.0%");
});

test("isNullObject is known only after sync", async () => {
  const { Excel } = fresh();
  await Excel.run(async (context) => {
    const missing = context.workbook.worksheets.getItemOrNullObject("xlwings.conf");
    assert.throws(() => missing.isNullObject, /not available/);
    await context.sync();
    assert.equal(missing.isNullObject, true);
  });
});
