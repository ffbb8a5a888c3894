// The task pane in headless Chromium (Debian's, driven by puppeteer-core), served by a running
// `xl-addin serve`, with the strict fake Excel standing in for office.js: the page loads with
// xlwings-server's client and the project's script, every ribbon FunctionName in the manifest
// is associated, each ribbon command runs against the fake, and the custom functions answer
// with the engine's results, including #VALUE! with its message for a bad argument.
//
// Chromium gets no network beyond the local server: office.js (Microsoft's CDN) is answered by
// the test, everything else off the server is refused.

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { env, loadSchema } from "../harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const baseUrl = env("XL_ADDIN_URL");
const scenarios = JSON.parse(fs.readFileSync(env("XL_ADDIN_SCENARIOS"), "utf8"));
const executablePath = env("CHROMIUM");
const fakeSource = fs.readFileSync(path.join(here, "..", "fake-office.cjs"), "utf8");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let browser;
let page;
let profile;
const pageErrors = [];
let manifest;
let officeJs;

before(async () => {
  manifest = await (await fetch(`${baseUrl}/manifest.xml`)).text();
  const html = await (await fetch(`${baseUrl}/taskpane.html`)).text();
  officeJs = /<script src="(https:\/\/appsforoffice\.microsoft\.com\/[^"]+office\.js)"/.exec(html)[1];
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "xl-addin-chromium-"));
  browser = await puppeteer.launch({
    executablePath,
    headless: false, // the flag is given as Debian's chromium takes it: --headless
    ignoreDefaultArgs: true,
    args: [...FLAGS, `--user-data-dir=${profile}`],
    protocolTimeout: 240000,
  });
  page = await browser.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  await page.setRequestInterception(true);
  const origin = new URL(baseUrl).origin;
  page.on("request", (request) => {
    const url = request.url();
    if (url === officeJs) {
      return request.respond({
        status: 200,
        contentType: "text/javascript",
        body: "/* office.js: the fake Excel was installed before any script of the page */",
      });
    }
    if (url.startsWith(origin)) return request.continue();
    return request.abort();
  });
  const options = {
    schema: loadSchema(),
    workbook: scenarios.workbooks.demo.seed,
    excelApi: scenarios.excelApi,
  };
  await page.evaluateOnNewDocument(`${fakeSource}\n;FakeOffice.install(window, ${JSON.stringify(options)});`);
  await page.goto(`${baseUrl}/taskpane.html`, { waitUntil: "load", timeout: 120000 });
  await page.waitForFunction(() => window.xlAddin && window.xlwings && window.__fakeOffice.functions.size > 0, {
    timeout: 120000,
  });
  await page.evaluate(() => window.xlAddin.ready);
});

after(async () => {
  if (browser) await browser.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

const functionNames = () => [...manifest.matchAll(/<FunctionName>([^<]+)<\/FunctionName>/g)].map((m) => m[1]);

// Press a ribbon button: Excel calls the associated function with an event to complete.
function press(functionName) {
  return page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const fake = window.__fakeOffice;
        const handler = fake.associations.get(name);
        if (!handler) return reject(new Error(`nothing associated with ${name}`));
        const opened = fake.dialogs.length;
        const timer = setTimeout(() => reject(new Error(`${name}: event.completed() was not called`)), 200000);
        handler({
          completed: () => {
            clearTimeout(timer);
            const dialogs = fake.dialogs.slice(opened).map((d) => d.url);
            for (const d of fake.dialogs) d.closed = true;
            resolve({ sheets: fake.book.sheets.map((s) => s.name), dialogs });
          },
        });
      }),
    functionName,
  );
}

describe("the task pane in Chromium", () => {
  test("loads with the client and the project's script, and shows every command", async () => {
    const labels = await page.$$eval("[data-xl-addin-command]", (buttons) => buttons.map((b) => b.textContent.trim()));
    const commands = await page.evaluate(() => window.xlAddin.settings.commands.map((c) => c.label));
    assert.deepEqual(labels, commands);
    assert.ok(labels.length >= 6);
    assert.deepEqual(pageErrors, [], "no script error while loading");
  });

  test("every ribbon FunctionName in the manifest is associated", async () => {
    const associated = await page.evaluate(() => [...window.__fakeOffice.associations.keys()]);
    assert.ok(functionNames().length >= 6);
    assert.deepEqual(associated.sort(), functionNames().sort());
  });

  test("each ribbon command runs against the fake Excel", async () => {
    const commands = await page.evaluate(() => window.xlAddin.settings.commands);
    const byId = Object.fromEntries(commands.map((c) => [c.id, c.functionName]));
    const expect = scenarios.workbooks.demo.expect;
    const prompt = (url) => new URL(url).searchParams.get("prompt");

    const refreshed = await press(byId.refresh);
    for (const sheet of expect.generated) assert.ok(refreshed.sheets.includes(sheet), `Refresh KPIs made ${sheet}`);
    assert.deepEqual(refreshed.dialogs, [], "Refresh KPIs: no error dialog");

    const rag = await press(byId.apply_rag);
    assert.deepEqual(rag.dialogs, []);
    const charts = await press(byId.regenerate_charts);
    assert.deepEqual(charts.dialogs, []);
    const chartCount = await page.evaluate(
      (names) => names.map((n) => window.__fakeOffice.book.sheet(n).charts.length),
      Object.keys(expect.charts),
    );
    assert.deepEqual(chartCount, Object.values(expect.charts).map((c) => c.length));

    const validated = await press(byId.validate);
    assert.equal(validated.dialogs.length, 1);
    assert.match(prompt(validated.dialogs[0]), /is ready/);

    const exported = await press(byId.export);
    assert.equal(exported.dialogs.length, 1);
    assert.ok(new URL(exported.dialogs[0]).searchParams.get("download"), "Export offers a download");

    const help = await press(byId.help);
    assert.equal(help.dialogs.length, 1);
    assert.match(prompt(help.dialogs[0]), /Refresh KPIs/);
    assert.deepEqual(pageErrors, []);
  });

  test("a task pane button runs the same command and reports in the pane", async () => {
    await page.click('[data-xl-addin-command="refresh"]');
    await page.waitForFunction(
      (month) => document.getElementById("xl-addin-status").textContent.includes(month),
      { timeout: 200000 },
      scenarios.workbooks.demo.expect.reportingMonth,
    );
  });
});

describe("custom functions in Chromium", () => {
  test("return the engine's answers, and #VALUE! with the reason for a bad argument", async () => {
    for (const call of scenarios.functions) {
      const got = await page.evaluate(async ({ id, args }) => {
        const fn = window.__fakeOffice.functions.get(id);
        if (!fn) return { missing: id };
        const invocation = { address: "Scorecard!M9", functionName: id, setResult() {} };
        try {
          return { result: await fn(...args, invocation) };
        } catch (error) {
          return { error: error.code, message: error.message };
        }
      }, call);
      assert.equal(got.missing, undefined, `${call.id} is associated`);
      if (call.error) {
        assert.equal(got.error, call.error, JSON.stringify(got));
        assert.match(got.message, new RegExp(call.message));
      } else {
        assert.deepEqual(got.result, call.result, JSON.stringify(call.args));
      }
    }
  });

  test("every function the server describes is associated", async () => {
    const meta = await (await fetch(`${baseUrl}/xlwings/custom-functions-meta.json`)).json();
    const associated = await page.evaluate(() => [...window.__fakeOffice.functions.keys()]);
    assert.deepEqual(associated.sort(), meta.functions.map((f) => f.id).sort());
  });
});
