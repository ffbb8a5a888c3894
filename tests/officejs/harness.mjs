// Run the add-in's JavaScript in Node against the strict fake of Excel: xlwings-server's
// client (its ES modules, from the installed Python package, unchanged), the custom-functions
// script and commands.js exactly as a running `xl-addin serve` serves them, and the task pane's
// configuration read from the served taskpane.html.
//
// What a browser would provide is kept to the few members these scripts touch: a document
// with the two configuration elements, window.location, storage and an XMLHttpRequest over
// fetch (which also counts the bytes of every request and reply).

import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const FakeOffice = require("./fake-office.cjs");
const here = path.dirname(fileURLToPath(import.meta.url));

export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the pytest driver sets it)`);
  return value;
}

export function loadSchema() {
  const file = path.join(here, "build", "office-schema.json");
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run node generate-schema.mjs`);
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

export const traffic = { requests: 0, sent: 0, received: 0, byUrl: new Map() };

class Element {
  constructor(id, text = "") {
    this.id = id;
    this.textContent = text;
    this.disabled = false;
    this.classList = { add() {}, remove() {}, contains: () => false };
  }
  querySelector() {
    return new Element("");
  }
  setAttribute() {}
  getAttribute() {
    return null;
  }
  addEventListener() {}
  appendChild() {}
  removeChild() {}
}

function fakeDocument(elements) {
  const listeners = {};
  return {
    readyState: "loading",
    getElementById: (id) => elements.get(id) || null,
    querySelector: (selector) => (selector.startsWith("#") ? elements.get(selector.slice(1)) || null : null),
    querySelectorAll: () => [],
    createElement: (tag) => new Element(tag),
    addEventListener(type, fn) {
      (listeners[type] ||= []).push(fn);
    },
    dispatch(type) {
      this.readyState = "complete";
      for (const fn of listeners[type] || []) fn();
    },
    head: { appendChild() {} },
    baseURI: "",
  };
}

function storage() {
  const data = new Map();
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

// The client's HTTP helper is built on XMLHttpRequest, which Node lacks. Each request gets its
// own connection: a kept-alive socket closed by the server while the fake Excel kept Node busy
// would otherwise fail the next request (a browser retries those; Node does not).
class NodeXMLHttpRequest {
  open(method, url) {
    this.method = method;
    this.url = url;
    this.headers = {};
  }
  setRequestHeader(k, v) {
    this.headers[k] = v;
  }
  getResponseHeader(name) {
    const value = this.responseHeaders ? this.responseHeaders[name.toLowerCase()] : undefined;
    return value === undefined ? null : value;
  }
  send(body) {
    traffic.requests += 1;
    const payload = body ? Buffer.from(body) : null;
    const sent = payload ? payload.length : 0;
    if (process.env.XL_ADDIN_DEBUG) console.error(`${this.method} ${this.url}: ${sent} bytes`);
    const url = new URL(this.url);
    const transport = url.protocol === "https:" ? https : http;
    const headers = { ...this.headers };
    if (payload) headers["Content-Length"] = String(sent);
    const request = transport.request(url, { method: this.method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        this.status = response.statusCode;
        this.statusText = response.statusMessage;
        this.responseHeaders = response.headers;
        this.responseText = Buffer.concat(chunks).toString("utf8");
        const received = Buffer.byteLength(this.responseText);
        traffic.received += received;
        const entry = traffic.byUrl.get(url.pathname) || { requests: 0, sent: 0, received: 0 };
        entry.requests += 1;
        entry.sent += sent;
        entry.received += received;
        traffic.byUrl.set(url.pathname, entry);
        if (this.onload) this.onload();
      });
    });
    request.on("error", (error) => {
      this.failure = error;
      if (process.env.XL_ADDIN_DEBUG) console.error(`${this.method} ${this.url} failed:`, error);
      if (this.onerror) this.onerror(error);
    });
    traffic.sent += sent;
    if (payload) request.write(payload);
    request.end();
  }
}

function jsonScript(html, id) {
  const match = new RegExp(`<script id="${id}" type="application/json">([\\s\\S]*?)</script>`).exec(html);
  if (!match) throw new Error(`taskpane.html has no <script id="${id}">`);
  return JSON.parse(match[1]);
}

let shared = null;

// Load the client once per process (ES modules cannot be reloaded); each workbook then gets
// a fresh fake Excel that the same client code talks to.
export async function startClient({ baseUrl, staticDir, excelApi = "1.17", platform = "PC" }) {
  if (shared) return shared;
  const taskpaneUrl = `${baseUrl}/taskpane.html`;
  const html = await (await fetch(taskpaneUrl)).text();
  const clientConfig = jsonScript(html, "config");
  const addinConfig = jsonScript(html, "xl-addin-config");
  const appPath = addinConfig.appPath;
  const elements = new Map([
    ["config", new Element("config", JSON.stringify(clientConfig))],
    ["xl-addin-config", new Element("xl-addin-config", JSON.stringify(addinConfig))],
    ["xl-addin-status", new Element("xl-addin-status")],
    ["global-error-alert", new Element("global-error-alert")],
    ["global-status-alert", new Element("global-status-alert")],
  ]);
  globalThis.window = globalThis;
  globalThis.document = fakeDocument(elements);
  Object.defineProperty(globalThis, "location", { value: new URL(taskpaneUrl), configurable: true });
  if (!globalThis.navigator || !globalThis.navigator.userAgent) {
    Object.defineProperty(globalThis, "navigator", { value: { userAgent: "Node" }, configurable: true });
  }
  globalThis.localStorage = storage();
  globalThis.sessionStorage = storage();
  globalThis.XMLHttpRequest = NodeXMLHttpRequest;
  globalThis.atob = globalThis.atob || ((s) => Buffer.from(s, "base64").toString("binary"));

  const schema = loadSchema();
  const associations = new Map();
  const functions = new Map();
  const install = (workbook, options = {}) =>
    FakeOffice.install(globalThis, {
      schema,
      workbook,
      excelApi: options.excelApi || excelApi,
      platform: options.platform || platform,
      associations,
      functions,
      log: options.log,
    });
  install({ name: "Book1.xlsx" });
  const quiet = console.log;
  console.log = () => {}; // the client prints its API versions on load
  try {
    await import(pathToFileURL(path.join(staticDir, "js", "custom-scripts", "index.js")).href);
    for (const script of ["xlwings/custom-functions-code.js", "xl-addin/commands.js"]) {
      const url = `${baseUrl}/${script}`;
      const source = await (await fetch(url)).text();
      vm.runInThisContext(source, { filename: url });
    }
    globalThis.document.dispatch("DOMContentLoaded");
    await globalThis.xlAddin.ready;
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    console.log = quiet;
  }
  shared = { install, associations, functions, clientConfig, addinConfig, appPath, schema, baseUrl };
  return shared;
}

// Call a custom function as Excel would: one 2-D array per argument, then the invocation.
export async function callFunction(functions, id, args, address = "Sheet1!B2") {
  const fn = functions.get(id);
  if (!fn) throw new Error(`no custom function ${id} was associated`);
  const invocation = { address, functionName: id, setResult() {}, onCanceled: null };
  try {
    return { value: await fn(...args, invocation) };
  } catch (error) {
    return { error };
  }
}

// Workbook state the tests look at, straight from the fake's model.
export function sheetValues(book, name) {
  const sheet = book.sheet(name);
  if (!sheet) return null;
  const used = sheet.used(true);
  if (!used) return [[""]];
  const out = [];
  for (let r = 0; r <= used.r1; r++) {
    const row = [];
    for (let c = 0; c <= used.c1; c++) row.push(sheet.value(r, c));
    out.push(row);
  }
  return out;
}

export { FakeOffice };
