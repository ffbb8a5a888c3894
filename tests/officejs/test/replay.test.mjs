// Refreshes replayed through the pinned xlwings-server client against the strict fake Excel:
// the task pane's own code (commands.js as served) builds the request from the fake
// workbook with the client's getBookData, a running `xl-addin serve` answers, and the
// client's handlers apply the reply. Expectations (sheets, the Scorecard's RAG per measure,
// charts and their styling) come from the engine and render plan, written by pytest.
//
// Environment (set by tests/server/test_officejs.py): XL_ADDIN_URL, XLWINGS_SERVER_STATIC,
// XL_ADDIN_SCENARIOS.

import assert from "node:assert/strict";
import fs from "node:fs";
import { before, describe, test } from "node:test";
import { env, sheetValues, startClient } from "../harness.mjs";

const scenarios = JSON.parse(fs.readFileSync(env("XL_ADDIN_SCENARIOS"), "utf8"));
const baseUrl = env("XL_ADDIN_URL");
let client;

before(async () => {
  client = await startClient({
    baseUrl,
    staticDir: env("XLWINGS_SERVER_STATIC"),
    excelApi: scenarios.excelApi,
  });
});

const xlAddin = () => globalThis.xlAddin;
const lower = (v) => (typeof v === "string" ? v.toLowerCase() : v);

function describeOutcome(outcome, fake) {
  const open = fake.dialogs.map((d) => decodeURIComponent(d.url || "")).join("\n");
  return `${outcome.kind}: ${outcome.error ? outcome.error.stack || outcome.error : ""} ${outcome.message || ""}\n${open}`;
}

async function run(fake, id) {
  const outcome = await xlAddin().run(id);
  for (const d of fake.dialogs) d.closed = true;
  return outcome;
}

function tableRows(book, sheetName, tableName) {
  const sheet = book.sheet(sheetName);
  assert.ok(sheet, `${sheetName} exists`);
  const table = sheet.tables.find((t) => t.name === tableName);
  assert.ok(table, `${sheetName} has the table ${tableName}`);
  const rows = [];
  for (let r = table.rect.r0; r <= table.rect.r1; r++) {
    const row = [];
    for (let c = table.rect.c0; c <= table.rect.c1; c++) row.push(sheet.value(r, c));
    rows.push(row);
  }
  return { table, rows };
}

// Everything a refresh must leave in Excel, checked against the render plan and the engine.
function checkRefreshed(fake, expect, label) {
  const book = fake.book;
  const names = book.sheets.map((s) => s.name);
  const generated = names.filter((n) => expect.generated.includes(n));
  assert.deepEqual(generated, expect.generated, `${label}: every generated sheet, in plan order`);

  const registry = book.names.find((n) => n.name === expect.registry);
  assert.ok(registry, `${label}: the record of generated sheets is written`);
  for (const sheet of expect.generated) assert.ok(registry.formula.includes(sheet), `${label}: registry lists ${sheet}`);

  const sc = expect.scorecard;
  const { rows } = tableRows(book, sc.sheet, sc.table);
  const header = rows[0];
  const mi = header.indexOf(sc.measureHeader);
  const ri = header.indexOf(sc.ragHeader);
  assert.ok(mi >= 0 && ri >= 0, `${label}: Scorecard headers ${header}`);
  const shown = Object.fromEntries(rows.slice(1).map((r) => [r[mi], r[ri]]));
  assert.deepEqual(shown, sc.rag, `${label}: the Scorecard's RAG for every measure is the engine's`);

  const ragColumn = book.sheet(sc.sheet).tables.find((t) => t.name === sc.table).rect.c0 + ri;
  const rules = book.sheet(sc.sheet).cfs.filter((cf) => cf.rect.c0 <= ragColumn && cf.rect.c1 >= ragColumn);
  for (const rule of expect.rules) {
    const found = rules.find(
      (cf) => cf.props.type === "CellValue" && cf.kids.cellValue && cf.kids.cellValue.props.rule.formula1 === `="${rule.equals}"`,
    );
    assert.ok(found, `${label}: a rule colours "${rule.equals}"`);
    assert.equal(lower(found.kids.cellValue.kids.format.kids.fill.props.color), lower(rule.fill));
  }

  for (const [sheetName, charts] of Object.entries(expect.charts)) {
    const sheet = book.sheet(sheetName);
    assert.deepEqual(
      sheet.charts.map((c) => c.name).sort(),
      charts.map((c) => c.name).sort(),
      `${label}: ${sheetName} has exactly one chart per measure`,
    );
    for (const want of charts) {
      const chart = sheet.charts.find((c) => c.name === want.name);
      assert.equal(chart.series.length, want.series.length, `${label}: ${want.name} series`);
      want.series.forEach((s, i) => {
        const got = chart.series[i];
        const line = got.kids.format.kids.line.props;
        const where = `${label}: ${want.name} series ${i + 1}`;
        if (s.kind === "points") {
          // an SPC chart's special-cause points: coloured markers, no line
          assert.equal(got.props.chartType, "LineMarkers", where);
          assert.equal(line.lineStyle, "None", `${where} no line`);
          assert.equal(lower(got.props.markerBackgroundColor), lower(s.color), `${where} colour`);
        } else if (s.kind === "line") {
          assert.equal(got.props.chartType, s.marker ? "LineMarkers" : "Line", where);
          assert.equal(lower(line.color), lower(s.color), `${where} colour`);
          assert.equal(line.lineStyle, s.dashed ? "Dash" : "Continuous", `${where} dash`);
          assert.equal(got.props.markerStyle, s.marker ? "Circle" : "None", `${where} markers`);
        } else {
          assert.equal(got.props.chartType, "ColumnClustered", where);
          assert.equal(lower(got.kids.format.kids.fill.props.solidColor), lower(s.color), `${where} fill`);
        }
      });
      assert.equal(
        chart.node.props.displayBlanksAs,
        want.spanGaps ? "Interplotted" : "NotPlotted",
        `${label}: ${want.name} joins gaps across blank months (${want.spanGaps}), never zeros`,
      );
    }
  }
}

// The analyst's own sheets, tables and names are exactly as they were.
function checkUntouched(fake, seed, expect, label) {
  const book = fake.book;
  for (const s of seed.sheets) {
    if (expect.generated.includes(s.name)) continue;
    const values = sheetValues(book, s.name);
    const want = s.values.map((row) => row.map((v) => (v === null ? "" : v)));
    const trim = (grid) => grid.map((row) => {
      const r = [...row];
      while (r.length && r[r.length - 1] === "") r.pop();
      return r;
    }).filter((row, i, all) => row.length || all.slice(i).some((x) => x.length));
    assert.deepEqual(trim(values), trim(want), `${label}: ${s.name} is unchanged`);
    for (const t of s.tables) {
      const table = book.sheet(s.name).tables.find((x) => x.name === t.name);
      assert.ok(table, `${label}: the table ${t.name} on ${s.name} is kept`);
    }
  }
  for (const n of seed.names) {
    const kept = book.names.find((x) => x.name === n.name);
    assert.ok(kept, `${label}: the name ${n.name} is kept`);
    if (n.name !== expect.registry) assert.equal(kept.formula, n.formula, `${label}: ${n.name} refers to the same`);
  }
}

function snapshotIds(book, expect) {
  return {
    tables: Object.fromEntries(book.sheets.flatMap((s) => s.tables.map((t) => [t.name, t.id]))),
    sheets: Object.fromEntries(book.sheets.map((s) => [s.name, s.id])),
  };
}

describe("the demo workbook", () => {
  test("a first refresh writes every generated sheet; a second rewrites them in place", async () => {
    const { seed, expect } = scenarios.workbooks.demo;
    const fake = client.install(structuredClone(seed));
    const first = await run(fake, "refresh");
    assert.equal(first.kind, "done", describeOutcome(first, fake));
    checkRefreshed(fake, expect, "first refresh");
    checkUntouched(fake, seed, expect, "first refresh");
    const ids = snapshotIds(fake.book, expect);

    const second = await run(fake, "refresh");
    assert.equal(second.kind, "done", describeOutcome(second, fake));
    checkRefreshed(fake, expect, "second refresh");
    checkUntouched(fake, seed, expect, "second refresh");
    const again = snapshotIds(fake.book, expect);
    assert.deepEqual(again.sheets, ids.sheets, "the same sheets, not deleted and re-added");
    assert.deepEqual(again.tables, ids.tables, "tables resized, not recreated (Scorecard[RAG] keeps working)");
    assert.equal(fake.dialogs.length, 0, "no dialog: nothing went wrong");
    assert.match(second.reply.message, new RegExp(expect.reportingMonth));
  });

  test("a workbook refreshed on the desktop is refreshed again on the web", async () => {
    const { seed, expect } = scenarios.workbooks.refreshedElsewhere;
    const fake = client.install(structuredClone(seed));
    const outcome = await run(fake, "refresh");
    assert.equal(outcome.kind, "done", describeOutcome(outcome, fake));
    checkRefreshed(fake, expect, "refresh after the desktop's");
    checkUntouched(fake, seed, expect, "refresh after the desktop's");
  });
});

describe("an analyst's own workbook", () => {
  test("first refresh, a month added to Data, second refresh", async () => {
    const { seed, expect, next } = scenarios.workbooks.user;
    const fake = client.install(structuredClone(seed));
    const first = await run(fake, "refresh");
    assert.equal(first.kind, "done", describeOutcome(first, fake));
    checkRefreshed(fake, expect, "first refresh");
    checkUntouched(fake, seed, expect, "first refresh");

    // The monthly routine: a new month-end column on Data, typed in Excel.
    await globalThis.Excel.run(async (context) => {
      const data = context.workbook.worksheets.getItem(next.sheet);
      const range = data.getRangeByIndexes(0, next.column, next.values.length, 1);
      range.values = next.values;
      range.numberFormat = next.numberFormats;
      await context.sync();
    });
    const second = await run(fake, "refresh");
    assert.equal(second.kind, "done", describeOutcome(second, fake));
    checkRefreshed(fake, next.expect, "second refresh");
    checkUntouched(fake, next.seed, next.expect, "second refresh");
    assert.match(second.reply.message, new RegExp(next.expect.reportingMonth));
  });
});

describe("when something goes wrong", () => {
  test("a problem in the workbook: a dialog names sheet and cell, nothing is changed", async () => {
    const { seed, cell, expected } = scenarios.workbooks.bad;
    for (const command of ["refresh", "validate", "export"]) {
      const fake = client.install(structuredClone(seed));
      const before = fake.book.sheets.map((s) => s.name);
      const outcome = await xlAddin().run(command);
      assert.equal(outcome.kind, "refused", `${command}: ${describeOutcome(outcome, fake)}`);
      assert.equal(fake.dialogs.length, 1, `${command}: one dialog`);
      const prompt = new URL(fake.dialogs[0].url).searchParams.get("prompt");
      assert.ok(prompt.includes(cell), `${command}: the dialog names ${cell}: ${prompt}`);
      assert.ok(prompt.includes(expected), `${command}: and what was expected: ${prompt}`);
      assert.match(prompt, /Nothing in the workbook was changed/);
      assert.deepEqual(fake.book.sheets.map((s) => s.name), before);
    }
  });

  // A host failure part way (Excel refusing the fifth chart) after a first refresh, and on one.
  async function stopAtChart(fake, nth) {
    const callbacks = globalThis.callbacks;
    const original = callbacks.addChart;
    let calls = 0;
    callbacks.addChart = async (context, action) => {
      calls += 1;
      if (calls === nth) throw new Error("Excel could not add the chart (simulated)");
      return original(context, action);
    };
    try {
      return await xlAddin().run("refresh");
    } finally {
      callbacks.addChart = original;
    }
  }

  test("stopping part way on a first refresh: what changed, what did not, what to do", async () => {
    const { seed, expect } = scenarios.workbooks.demo;
    const fake = client.install(structuredClone(seed));
    const outcome = await stopAtChart(fake, 5);
    assert.equal(outcome.kind, "partial", describeOutcome(outcome, fake));
    const text = new URL(fake.dialogs[0].url).searchParams.get("prompt");
    const firstCharts = Object.keys(expect.charts)[0];
    assert.match(text, /stopped part way/);
    assert.match(text, /simulated/);
    assert.ok(text.includes(`Changed: 'Scorecard', 'KPI Values'`), text);
    assert.ok(text.includes(`May be part-changed: '${firstCharts}'`), text);
    const untouched = expect.generated.slice(expect.generated.indexOf(firstCharts) + 1);
    for (const name of untouched) assert.ok(text.includes(`'${name}'`) && text.indexOf(`'${name}'`) > text.indexOf("Not changed"), `${name} not changed: ${text}`);
    for (const name of untouched) assert.equal(fake.book.sheet(name), null, `${name} really was not added`);
    assert.match(text, /delete those sheets before you press Refresh KPIs again/);

    // The advice works: delete what this run added, press Refresh KPIs again.
    await globalThis.Excel.run(async (context) => {
      for (const name of expect.generated) {
        const sheet = context.workbook.worksheets.getItemOrNullObject(name);
        await context.sync();
        if (!sheet.isNullObject) sheet.delete();
      }
      await context.sync();
    });
    const retry = await run(fake, "refresh");
    assert.equal(retry.kind, "done", describeOutcome(retry, fake));
    checkRefreshed(fake, expect, "refresh after deleting the part-made sheets");
  });

  test("stopping part way on a later refresh: press Refresh KPIs again to finish", async () => {
    const { seed, expect } = scenarios.workbooks.demo;
    const fake = client.install(structuredClone(seed));
    assert.equal((await run(fake, "refresh")).kind, "done");
    const outcome = await stopAtChart(fake, 5);
    assert.equal(outcome.kind, "partial", describeOutcome(outcome, fake));
    const text = new URL(fake.dialogs[0].url).searchParams.get("prompt");
    assert.match(text, /Press Refresh KPIs again to finish/);
    assert.doesNotMatch(text, /delete/);
    for (const d of fake.dialogs) d.closed = true;
    const retry = await run(fake, "refresh");
    assert.equal(retry.kind, "done", describeOutcome(retry, fake));
    checkRefreshed(fake, expect, "refresh after stopping part way");
  });
});

describe("the other buttons", () => {
  test("Apply RAG, Regenerate charts, Validate, Help and Export on a refreshed workbook", async () => {
    const { seed, expect } = scenarios.workbooks.demo;
    const fake = client.install(structuredClone(seed));
    assert.equal((await run(fake, "refresh")).kind, "done");

    const sheet = fake.book.sheet(expect.scorecard.sheet);
    sheet.cfs = []; // the analyst pasted over the formatting
    const rag = await run(fake, "apply_rag");
    assert.equal(rag.kind, "done", describeOutcome(rag, fake));
    checkRefreshed(fake, expect, "after Apply RAG");

    const chartsSheet = Object.keys(expect.charts)[0];
    fake.book.sheet(chartsSheet).charts.splice(0, 2); // two charts deleted by hand
    const charts = await run(fake, "regenerate_charts");
    assert.equal(charts.kind, "done", describeOutcome(charts, fake));
    checkRefreshed(fake, expect, "after Regenerate charts");

    for (const [command, pattern] of [["validate", /is ready/], ["help", /Refresh KPIs/]]) {
      const outcome = await xlAddin().run(command);
      assert.equal(outcome.kind, "done", describeOutcome(outcome, fake));
      const shown = fake.dialogs.filter((d) => !d.closed).map((d) => new URL(d.url).searchParams.get("prompt"));
      assert.equal(shown.length, 1, `${command} shows one dialog`);
      assert.match(shown[0], pattern);
      for (const d of fake.dialogs) d.closed = true;
    }

    const exported = await xlAddin().run("export");
    assert.equal(exported.kind, "done", describeOutcome(exported, fake));
    const dialog = fake.dialogs.find((d) => !d.closed);
    const token = new URL(dialog.url).searchParams.get("download");
    assert.equal(token, exported.reply.download.token, "the dialog offers the pack");
    const page = await (await fetch(dialog.url)).text();
    const href = /href="([^"]+\/downloads\/[^"]+)"/.exec(page);
    assert.ok(href, "the dialog page links to the download");
    const response = await fetch(new URL(href[1], baseUrl));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-disposition"), /attachment/);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString(), "PK", "an .xlsx (zip) file");
  });
});

describe("Excel versions", () => {
  test("below the manifest's ExcelApi minimum a second refresh cannot complete", async () => {
    const { seed } = scenarios.workbooks.demo;
    const fake = client.install(structuredClone(seed), { excelApi: scenarios.belowExcelApi });
    const first = await run(fake, "refresh");
    const second = first.kind === "done" ? await run(fake, "refresh") : first;
    assert.notEqual(second.kind, "done", "the manifest's minimum is not set higher than needed");
    assert.match(String(second.error && second.error.message), /ApiNotFound|needs ExcelApi/);
  });
});

test("load() names Excel does not have were noted (and ignored, as Excel does)", () => {
  const fake = globalThis.__fakeOffice;
  console.log(`fake Excel notes: ${JSON.stringify([...fake.warnings])}`);
});
