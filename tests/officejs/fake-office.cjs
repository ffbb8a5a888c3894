// A strict fake of Excel's JavaScript API (Office.js), for tests that run without Excel.
//
// Its shape comes from the pinned @types/office-js declarations (build/office-schema.json,
// made by generate-schema.mjs): an object offers exactly the members its class declares.
// Like Excel it
//   - rejects a member Office.js does not have (a TypeError at the call, as JavaScript would
//     give when calling `undefined`), and a write to a read-only property;
//   - queues every write and method call and runs them at `context.sync()`, in order: a bad
//     enum string, a bad argument, a missing item or an API the host's requirement set lacks
//     fails there, the operations before it stay applied and the rest of the batch is dropped;
//   - refuses to read a property before it was `load`ed and `sync`ed, and serves what was
//     loaded as a snapshot taken at that sync.
// Behind the proxies sits a model of one workbook (sheets, cells, formats, tables, charts and
// their series, conditional formats, names, print areas, panes) that tests seed and inspect.
// Members the model does not implement fail loudly ("not modelled"): a fake that quietly
// accepted them would prove nothing.
//
// Works in Node (require) and in a browser page (a classic script defining FakeOffice).

(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.FakeOffice = factory();
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  const MAX_ROWS = 1048576;
  const MAX_COLS = 16384;

  // -- Errors --------------------------------------------------------------------------------

  class FakeOfficeError extends Error {
    constructor(code, message, location) {
      super(message);
      this.name = "RichApi.Error";
      this.code = code;
      this.debugInfo = { code, message, errorLocation: location || "" };
    }
  }
  const fail = (code, message, location) => {
    throw new FakeOfficeError(code, message, location);
  };

  // -- Addresses -----------------------------------------------------------------------------

  function columnIndex(letters) {
    let n = 0;
    for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
    return n - 1;
  }
  function columnLetters(index) {
    let s = "";
    let n = index + 1;
    while (n > 0) {
      const m = (n - 1) % 26;
      s = String.fromCharCode(65 + m) + s;
      n = Math.floor((n - 1) / 26);
    }
    return s;
  }
  function splitSheet(address) {
    const text = String(address).trim();
    const bang = text.lastIndexOf("!");
    if (bang < 0) return [null, text];
    let sheet = text.slice(0, bang);
    if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
    return [sheet, text.slice(bang + 1)];
  }
  const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
  const COL = /^\$?([A-Za-z]{1,3})$/;
  const ROW = /^\$?(\d{1,7})$/;
  // "A1", "$A$1:$K$40", "1:8", "A:C" -> {r0, c0, r1, c1} (zero-based, inclusive)
  function parseRect(text) {
    const parts = text.split(":");
    if (parts.length > 2 || !parts[0]) return null;
    const ends = parts.map((p) => {
      let m = CELL.exec(p);
      if (m) return { r: Number(m[2]) - 1, c: columnIndex(m[1]) };
      m = COL.exec(p);
      if (m) return { r: null, c: columnIndex(m[1]) };
      m = ROW.exec(p);
      if (m) return { r: Number(m[1]) - 1, c: null };
      return null;
    });
    if (ends.some((e) => e === null)) return null;
    const [a, b] = ends.length === 2 ? ends : [ends[0], ends[0]];
    if ((a.r === null) !== (b.r === null) || (a.c === null) !== (b.c === null)) return null;
    if (a.r === null && ends.length === 1) return null; // "A" alone is not an address
    if (a.c === null && ends.length === 1) return null;
    const rect = {
      r0: a.r === null ? 0 : Math.min(a.r, b.r),
      r1: a.r === null ? MAX_ROWS - 1 : Math.max(a.r, b.r),
      c0: a.c === null ? 0 : Math.min(a.c, b.c),
      c1: a.c === null ? MAX_COLS - 1 : Math.max(a.c, b.c),
    };
    if (rect.r1 >= MAX_ROWS || rect.c1 >= MAX_COLS || rect.r0 < 0 || rect.c0 < 0) return null;
    return rect;
  }
  function rectText(rect) {
    const fullRows = rect.c0 === 0 && rect.c1 === MAX_COLS - 1;
    const fullCols = rect.r0 === 0 && rect.r1 === MAX_ROWS - 1;
    if (fullRows && !fullCols) return `${rect.r0 + 1}:${rect.r1 + 1}`;
    if (fullCols && !fullRows) return `${columnLetters(rect.c0)}:${columnLetters(rect.c1)}`;
    const a = `${columnLetters(rect.c0)}${rect.r0 + 1}`;
    const b = `${columnLetters(rect.c1)}${rect.r1 + 1}`;
    return a === b ? a : `${a}:${b}`;
  }
  function quoteSheet(name) {
    return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
  }
  const covers = (rect, r, c) => r >= rect.r0 && r <= rect.r1 && c >= rect.c0 && c <= rect.c1;
  const intersects = (a, b) => a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
  const rows = (rect) => rect.r1 - rect.r0 + 1;
  const cols = (rect) => rect.c1 - rect.c0 + 1;

  // -- The workbook model ----------------------------------------------------------------------

  // A bag of properties and child bags: the state behind Office.js objects that only hold
  // settings (chart titles, legends, axes, series formats, conditional-format rules...).
  class Node {
    constructor(props) {
      this.props = Object.assign({}, props);
      this.kids = {};
    }
    kid(name, props) {
      if (!this.kids[name]) this.kids[name] = new Node(props);
      return this.kids[name];
    }
  }

  let nextId = 1;
  const newId = (prefix) => `{${prefix}-${nextId++}}`;

  const FORMAT_DEFAULTS = {
    "format.columnWidth": 48,
    "format.rowHeight": 15,
    "format.wrapText": false,
    "format.horizontalAlignment": "General",
    "format.verticalAlignment": "Bottom",
    "format.indentLevel": 0,
    "format.font.bold": false,
    "format.font.italic": false,
    "format.font.size": 11,
    "format.font.name": "Calibri",
    "format.font.color": "#000000",
    "format.font.underline": "None",
    "format.font.strikethrough": false,
    "format.fill.color": "#FFFFFF",
  };

  class Sheet {
    constructor(book, name) {
      this.book = book;
      this.id = newId("sheet");
      this.name = name;
      this.visibility = "Visible";
      this.showGridlines = true;
      this.cells = new Map(); // r * MAX_COLS + c -> {v, f}
      this.runs = []; // format writes in order: {rect, key, value}
      this.columnWidths = new Map();
      this.rowHeights = new Map();
      this.tables = [];
      this.charts = [];
      this.cfs = [];
      this.names = [];
      this.shapes = [];
      this.freeze = null;
      this.printArea = null;
      this.hyperlinks = new Map();
      this.formulas = new Map(); // cells a formula was written to (the fake cannot calculate)
      this.autofits = [];
      this.node = new Node({ tabColor: "" });
      this.node.kid("protection", { protected: false });
      this.node.kid("pageLayout", { orientation: "Portrait" });
    }
    get position() {
      return this.book.sheets.indexOf(this);
    }
    cell(r, c) {
      return this.cells.get(r * MAX_COLS + c);
    }
    value(r, c) {
      const cell = this.cell(r, c);
      return cell && cell.v !== undefined ? cell.v : "";
    }
    numberFormat(r, c) {
      const cell = this.cell(r, c);
      return cell && cell.f !== undefined ? cell.f : "General";
    }
    setCell(r, c, key, value) {
      const k = r * MAX_COLS + c;
      const cell = this.cells.get(k) || {};
      cell[key] = value;
      this.cells.set(k, cell);
    }
    used(valuesOnly) {
      let box = null;
      const grow = (r, c) => {
        if (!box) box = { r0: r, r1: r, c0: c, c1: c };
        else {
          box.r0 = Math.min(box.r0, r);
          box.r1 = Math.max(box.r1, r);
          box.c0 = Math.min(box.c0, c);
          box.c1 = Math.max(box.c1, c);
        }
      };
      for (const [k, cell] of this.cells) {
        const hasValue = cell.v !== undefined && cell.v !== "";
        const hasFormat = cell.f !== undefined && cell.f !== "General";
        if (hasValue || (!valuesOnly && hasFormat)) grow(Math.floor(k / MAX_COLS), k % MAX_COLS);
      }
      return box;
    }
    format(rect, key) {
      for (let i = this.runs.length - 1; i >= 0; i--) {
        const run = this.runs[i];
        if (!covers(run.rect, rect.r0, rect.c0)) continue;
        if (run.key === key) return run.value;
        if (run.key === "*" || (run.key.endsWith(".*") && key.startsWith(run.key.slice(0, -1)))) break;
      }
      return FORMAT_DEFAULTS[key];
    }
    clear(rect, what) {
      const contents = what === "All" || what === "Contents" || what === "ResetContents";
      const formats = what === "All" || what === "Formats";
      for (const [k, cell] of [...this.cells]) {
        const r = Math.floor(k / MAX_COLS);
        const c = k % MAX_COLS;
        if (!covers(rect, r, c)) continue;
        if (contents) delete cell.v;
        if (formats) delete cell.f;
        if (cell.v === undefined && cell.f === undefined) this.cells.delete(k);
      }
      if (formats) this.runs.push({ rect, key: "*", value: undefined });
      if (what === "All" || what === "Hyperlinks" || what === "RemoveHyperlinks") {
        for (const k of [...this.hyperlinks.keys()]) {
          if (covers(rect, Math.floor(k / MAX_COLS), k % MAX_COLS)) this.hyperlinks.delete(k);
        }
      }
      if (formats) this.cfs = this.cfs.filter((cf) => !intersects(cf.rect, rect));
    }
  }

  class Table {
    constructor(sheet, name, rect, hasHeaders) {
      this.sheet = sheet;
      this.id = newId("table");
      this.name = name;
      this.rect = rect;
      this.node = new Node({
        style: "TableStyleMedium2",
        showHeaders: hasHeaders,
        showTotals: false,
        showFilterButton: true,
        highlightFirstColumn: false,
        highlightLastColumn: false,
        showBandedRows: true,
        showBandedColumns: false,
      });
    }
  }

  class Chart {
    constructor(sheet, type, sourceSheet, sourceRect, seriesBy) {
      this.sheet = sheet;
      this.id = newId("chart");
      this.name = `Chart ${sheet.book.chartCounter++}`;
      this.node = new Node({
        chartType: type,
        left: 0,
        top: 0,
        width: 360,
        height: 216,
        style: 2,
        displayBlanksAs: "Zero",
        plotVisibleOnly: true,
        seriesNameLevel: 0,
        categoryLabelLevel: 0,
        showAllFieldButtons: false,
        showDataLabelsOverMaximum: false,
      });
      this.node.kid("title", { text: "", visible: false, overlay: false });
      this.node.kid("legend", { position: "Right", visible: true, overlay: false });
      const axes = this.node.kid("axes");
      axes.kid("valueAxis", { numberFormat: "General", visible: true });
      axes.kid("categoryAxis", { numberFormat: "General", visible: true });
      this.position = null;
      this.setData(sourceSheet, sourceRect, seriesBy);
    }
    setData(sourceSheet, rect, seriesBy) {
      this.source = { sheet: sourceSheet, rect };
      const byRows = seriesBy === "Rows" || (seriesBy === "Auto" && cols(rect) > rows(rect));
      const count = byRows ? rows(rect) : cols(rect);
      this.series = [];
      for (let i = 0; i < count; i++) {
        const values = byRows
          ? { r0: rect.r0 + i, r1: rect.r0 + i, c0: rect.c0, c1: rect.c1 }
          : { r0: rect.r0, r1: rect.r1, c0: rect.c0 + i, c1: rect.c0 + i };
        const series = new Node({
          name: `Series${i + 1}`,
          chartType: this.node.props.chartType,
          markerStyle: "Automatic",
          markerSize: 5,
          markerBackgroundColor: "",
          markerForegroundColor: "",
          axisGroup: "Primary",
          hasDataLabels: false,
          smooth: false,
        });
        series.values = { sheet: sourceSheet, rect: values };
        series.xValues = null;
        const format = series.kid("format");
        format.kid("line", { color: "", lineStyle: "Continuous", weight: 2.25 });
        format.kid("fill");
        this.series.push(series);
      }
    }
  }

  class Name {
    constructor(name, formula, sheet) {
      this.name = name;
      this.formula = formula;
      this.sheet = sheet || null; // scope
      this.node = new Node({ visible: true, comment: "" });
    }
    get type() {
      const f = String(this.formula);
      if (/^="/.test(f)) return "String";
      if (/^=(TRUE|FALSE)$/i.test(f)) return "Boolean";
      if (/^=-?\d+(\.\d+)?$/.test(f)) return Number.isInteger(Number(f.slice(1))) ? "Integer" : "Double";
      const [sheetName, address] = splitSheet(f.replace(/^=/, ""));
      if (sheetName && parseRect(address)) return "Range";
      return "Error";
    }
  }

  class Book {
    constructor(seed) {
      this.name = seed.name || "Book1.xlsx";
      this.sheets = [];
      this.names = [];
      this.chartCounter = 1;
      this.tableCounter = 1;
      this.node = new Node({ calculationMode: "Automatic" });
      const culture = this.node.kid("cultureInfo", { name: seed.culture || "en-GB" });
      culture.kid("datetimeFormat", { shortDatePattern: "dd/MM/yyyy", dateSeparator: "/" });
      culture.kid("numberFormat", { numberDecimalSeparator: ".", numberGroupSeparator: "," });
      for (const s of seed.sheets || []) {
        const sheet = new Sheet(this, s.name);
        if (s.visibility) sheet.visibility = s.visibility;
        (s.values || []).forEach((row, r) =>
          row.forEach((v, c) => {
            if (v !== "" && v !== null && v !== undefined) sheet.setCell(r, c, "v", v);
          }),
        );
        (s.numberFormats || []).forEach((row, r) =>
          row.forEach((f, c) => {
            if (f && f !== "General") sheet.setCell(r, c, "f", f);
          }),
        );
        for (const t of s.tables || []) {
          const table = new Table(sheet, t.name, parseRect(t.ref), true);
          if (t.style) table.node.props.style = t.style;
          sheet.tables.push(table);
        }
        this.sheets.push(sheet);
      }
      // Charts already in the file (a workbook refreshed elsewhere): named, on a stand-in range.
      for (const s of seed.sheets || []) {
        const sheet = this.sheet(s.name);
        for (const c of s.charts || []) {
          const chart = new Chart(sheet, c.type || "Line", sheet, parseRect("A1"), "Columns");
          chart.name = c.name;
          sheet.charts.push(chart);
        }
      }
      if (!this.sheets.length) this.sheets.push(new Sheet(this, "Sheet1"));
      for (const n of seed.names || []) {
        const scope = n.scope ? this.sheets.find((s) => s.name === n.scope) : null;
        (scope ? scope.names : this.names).push(new Name(n.name, n.formula, scope));
      }
      this.active = this.sheets[seed.activeSheet || 0];
      this.selection = { sheet: this.active, rect: parseRect("A1") };
    }
    sheet(name) {
      const key = String(name).toLowerCase();
      return this.sheets.find((s) => s.name.toLowerCase() === key) || null;
    }
    allTables() {
      return this.sheets.flatMap((s) => s.tables);
    }
    nameTaken(name) {
      const key = name.toLowerCase();
      return (
        this.allTables().some((t) => t.name.toLowerCase() === key) ||
        this.names.some((n) => n.name.toLowerCase() === key)
      );
    }
    // A Range target from a reference: a Range proxy's target, or an address (with or
    // without a sheet; without one, `defaultSheet`).
    rangeTarget(ref, defaultSheet) {
      if (ref && typeof ref === "object" && ref.sheet && ref.rect) return ref;
      const [sheetName, address] = splitSheet(ref);
      const sheet = sheetName ? this.sheet(sheetName) : defaultSheet;
      if (!sheet) fail("ItemNotFound", `The sheet in '${ref}' does not exist.`);
      const rect = parseRect(address);
      if (!rect) fail("InvalidArgument", `'${ref}' is not a valid address.`);
      return { sheet, rect };
    }
  }

  // -- What the model does for each class ------------------------------------------------------
  //
  // get/set: scalar properties; nav: navigation properties (their target); items: a
  // collection's members; methods: (target, args, ctx) -> result target or value. A property or
  // method of a class that none of these, nor the generic Node bag, covers is "not modelled".

  const rangeOf = (sheet, rect) => ({ sheet, rect });
  const sheetAddress = (t) => `${quoteSheet(t.sheet.name)}!${rectText(t.rect)}`;

  function grid(rect, fn) {
    const out = [];
    for (let r = rect.r0; r <= rect.r1; r++) {
      const row = [];
      for (let c = rect.c0; c <= rect.c1; c++) row.push(fn(r, c));
      out.push(row);
    }
    return out;
  }
  const MAX_READ_CELLS = 5000000;
  function checkReadable(rect) {
    if (rows(rect) * cols(rect) > MAX_READ_CELLS) {
      fail("ResponsePayloadSizeLimitExceeded", "The range is too large to read.");
    }
  }
  // Write a 2-D array (or a single value, or a 1x1 array, which Excel spreads) onto a range.
  function writeGrid(target, key, value, what) {
    const { sheet, rect } = target;
    const single = !Array.isArray(value) || (value.length === 1 && Array.isArray(value[0]) && value[0].length === 1);
    if (!single) {
      const ok =
        Array.isArray(value) &&
        value.length === rows(rect) &&
        value.every((row) => Array.isArray(row) && row.length === cols(rect));
      if (!ok) {
        fail(
          "InvalidArgument",
          `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what} of ${rectText(rect)}).`,
        );
      }
    } else if (rows(rect) * cols(rect) > 10_000_000) {
      fail("InvalidArgument", "The range is too large to write one value to.");
    }
    const at = (i, j) => (single ? (Array.isArray(value) ? value[0][0] : value) : value[i][j]);
    for (let i = 0; i < rows(rect); i++) {
      for (let j = 0; j < cols(rect); j++) {
        let v = at(i, j);
        if (v === null || v === undefined) continue; // null leaves a cell unchanged
        if (typeof v === "object") fail("InvalidArgument", `A ${what} must be a number, text or boolean.`);
        if (key === "v" && typeof v === "string") {
          const typed = asTyped(v);
          if (typed.formula) sheet.formulas.set((rect.r0 + i) * MAX_COLS + rect.c0 + j, typed.formula);
          v = typed.value;
        }
        sheet.setCell(rect.r0 + i, rect.c0 + j, key, v);
      }
    }
  }
  // Excel reads text written to `values` as if it were typed: a leading apostrophe keeps the
  // rest as text (and is not part of the value), "=..." is a formula (which the fake cannot
  // work out: it is recorded and the cell reads as "#FAKE-FORMULA"), numbers, percentages,
  // TRUE/FALSE and dates become numbers, booleans and date serials.
  const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
  function asTyped(text) {
    if (text.startsWith("'")) return { value: text.slice(1) };
    if (text.startsWith("=") && text.length > 1) return { value: "#FAKE-FORMULA", formula: text };
    const t = text.trim();
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { value: Number(t) };
    if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return { value: Number(t.replace(/,/g, "")) };
    if (/^[+-]?\d+(\.\d+)?%$/.test(t)) return { value: Number(t.slice(0, -1)) / 100 };
    if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === "true" };
    if (/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(t)) return { value: isoToSerial(t) };
    let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t); // en-GB: day first
    if (m) return { value: isoToSerial(`${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`) };
    m = /^([A-Za-z]{3})[a-z]*[- ](\d{2}|\d{4})$/.exec(t);
    if (m && MONTHS.includes(m[1].toLowerCase())) {
      const year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
      const month = String(MONTHS.indexOf(m[1].toLowerCase()) + 1).padStart(2, "0");
      return { value: isoToSerial(`${year}-${month}-01`) };
    }
    return { value: text };
  }
  function isoToSerial(text) {
    const [date, time] = text.split(" ");
    const [y, m, d] = date.split("-").map(Number);
    let serial = (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000;
    if (time) {
      const [hh, mm, ss] = time.split(":").map(Number);
      serial += (hh * 3600 + mm * 60 + ss) / 86400;
    }
    return serial;
  }

  function formatFacet(range, path) {
    return { facet: path, range };
  }

  const B = {};

  B.Workbook = {
    get: { name: (book) => book.name },
    nav: {
      worksheets: (book) => ({ kind: "sheets", book }),
      names: (book) => ({ kind: "names", book, sheet: null }),
      tables: (book) => ({ kind: "tables", book, sheet: null }),
      application: (book) => book.node,
    },
    methods: {
      getSelectedRange: (book) => rangeOf(book.selection.sheet, book.selection.rect),
      getActiveCell: (book) =>
        rangeOf(book.selection.sheet, { ...book.selection.rect, r1: book.selection.rect.r0, c1: book.selection.rect.c0 }),
    },
  };

  B.Application = {
    nav: { cultureInfo: (node) => node.kids.cultureInfo },
    methods: { calculate: () => undefined },
  };

  B.WorksheetCollection = {
    items: (t) => t.book.sheets,
    get: { count: (t) => t.book.sheets.length },
    methods: {
      getItem: (t, [key]) =>
        t.book.sheet(key) || t.book.sheets.find((s) => s.id === key) || fail("ItemNotFound", `The sheet '${key}' does not exist.`),
      getItemOrNullObject: (t, [key]) => t.book.sheet(key) || t.book.sheets.find((s) => s.id === key) || null,
      getActiveWorksheet: (t) => t.book.active,
      getCount: (t) => t.book.sheets.length,
      getFirst: (t) => t.book.sheets[0],
      getLast: (t) => t.book.sheets[t.book.sheets.length - 1],
      add: (t, [name]) => {
        let chosen = name;
        if (chosen === undefined || chosen === null) {
          let i = t.book.sheets.length + 1;
          while (t.book.sheet(`Sheet${i}`)) i++;
          chosen = `Sheet${i}`;
        }
        chosen = String(chosen);
        if (!chosen || chosen.length > 31 || /[:\\/?*[\]]/.test(chosen) || /^'|'$/.test(chosen)) {
          fail("InvalidArgument", `'${chosen}' is not a valid sheet name.`);
        }
        if (t.book.sheet(chosen)) fail("ItemAlreadyExists", `A sheet named '${chosen}' already exists.`);
        const sheet = new Sheet(t.book, chosen);
        t.book.sheets.push(sheet);
        return sheet;
      },
    },
  };

  B.Worksheet = {
    get: {
      name: (s) => s.name,
      id: (s) => s.id,
      position: (s) => s.position,
      visibility: (s) => s.visibility,
      showGridlines: (s) => s.showGridlines,
      standardWidth: () => 8.43,
      standardHeight: () => 15,
    },
    set: {
      name: (s, v) => {
        const other = s.book.sheet(v);
        if (other && other !== s) fail("ItemAlreadyExists", `A sheet named '${v}' already exists.`);
        s.name = String(v);
      },
      position: (s, v) => {
        const list = s.book.sheets;
        const to = Number(v);
        if (!Number.isInteger(to) || to < 0 || to >= list.length) {
          fail("InvalidArgument", `Sheet position ${v} is out of range (0 to ${list.length - 1}).`);
        }
        list.splice(list.indexOf(s), 1);
        list.splice(to, 0, s);
      },
      visibility: (s, v) => {
        s.visibility = v;
      },
      showGridlines: (s, v) => {
        s.showGridlines = Boolean(v);
      },
    },
    nav: {
      tables: (s) => ({ kind: "tables", book: s.book, sheet: s }),
      charts: (s) => ({ kind: "charts", sheet: s }),
      names: (s) => ({ kind: "names", book: s.book, sheet: s }),
      shapes: (s) => ({ kind: "shapes", sheet: s }),
      pivotTables: (s) => ({ kind: "pivots", sheet: s }),
      comments: (s) => ({ kind: "comments", sheet: s }),
      freezePanes: (s) => ({ kind: "freeze", sheet: s }),
      pageLayout: (s) => ({ kind: "pageLayout", sheet: s }),
      protection: (s) => s.node.kids.protection,
    },
    methods: {
      getRange: (s, [address]) =>
        address === undefined || address === null || address === ""
          ? rangeOf(s, { r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLS - 1 })
          : s.book.rangeTarget(String(address).includes("!") ? address : `${quoteSheet(s.name)}!${address}`, s),
      getRangeByIndexes: (s, [r, c, rc, cc]) => {
        if (![r, c, rc, cc].every(Number.isInteger) || r < 0 || c < 0 || rc < 1 || cc < 1 || r + rc > MAX_ROWS || c + cc > MAX_COLS) {
          fail("InvalidArgument", `getRangeByIndexes(${r}, ${c}, ${rc}, ${cc}) is outside the sheet.`);
        }
        return rangeOf(s, { r0: r, c0: c, r1: r + rc - 1, c1: c + cc - 1 });
      },
      getCell: (s, [r, c]) => rangeOf(s, { r0: r, c0: c, r1: r, c1: c }),
      getUsedRange: (s, [valuesOnly]) => {
        const used = s.used(Boolean(valuesOnly));
        return rangeOf(s, used || { r0: 0, c0: 0, r1: 0, c1: 0 });
      },
      getUsedRangeOrNullObject: (s, [valuesOnly]) => {
        const used = s.used(Boolean(valuesOnly));
        return used ? rangeOf(s, used) : null;
      },
      getRanges: (s, [address]) => {
        const rects =
          address === undefined || address === null
            ? [{ r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLS - 1 }]
            : String(address).split(",").map((a) => parseRect(a.trim()) || fail("InvalidArgument", `'${address}' is not a valid address.`));
        return { kind: "areas", sheet: s, rects };
      },
      delete: (s) => {
        const book = s.book;
        if (book.sheets.filter((x) => x.visibility === "Visible").length <= 1 && s.visibility === "Visible") {
          fail("InvalidOperation", "A workbook must keep at least one visible sheet.");
        }
        book.sheets.splice(book.sheets.indexOf(s), 1);
        book.names = book.names.filter((n) => !(n.formula || "").includes(`${quoteSheet(s.name)}!`));
        if (book.active === s) book.active = book.sheets[0];
        if (book.selection.sheet === s) book.selection = { sheet: book.active, rect: parseRect("A1") };
      },
      activate: (s) => {
        s.book.active = s;
      },
    },
  };

  B.Range = {
    get: {
      address: (t) => sheetAddress(t),
      addressLocal: (t) => sheetAddress(t),
      rowCount: (t) => rows(t.rect),
      columnCount: (t) => cols(t.rect),
      rowIndex: (t) => t.rect.r0,
      columnIndex: (t) => t.rect.c0,
      cellCount: (t) => rows(t.rect) * cols(t.rect),
      values: (t) => {
        checkReadable(t.rect);
        return grid(t.rect, (r, c) => t.sheet.value(r, c));
      },
      formulas: (t) => {
        checkReadable(t.rect);
        return grid(t.rect, (r, c) => t.sheet.value(r, c));
      },
      text: (t) => {
        checkReadable(t.rect);
        return grid(t.rect, (r, c) => String(t.sheet.value(r, c)));
      },
      numberFormat: (t) => {
        checkReadable(t.rect);
        return grid(t.rect, (r, c) => t.sheet.numberFormat(r, c));
      },
      hyperlink: (t) => t.sheet.hyperlinks.get(t.rect.r0 * MAX_COLS + t.rect.c0) || null,
      isEntireColumn: (t) => t.rect.r0 === 0 && t.rect.r1 === MAX_ROWS - 1,
      isEntireRow: (t) => t.rect.c0 === 0 && t.rect.c1 === MAX_COLS - 1,
    },
    set: {
      values: (t, v) => writeGrid(t, "v", v, "values"),
      formulas: (t, v) => writeGrid(t, "v", v, "formulas"),
      numberFormat: (t, v) => writeGrid(t, "f", v, "numberFormat"),
      hyperlink: (t, v) => {
        if (v === null) t.sheet.hyperlinks.delete(t.rect.r0 * MAX_COLS + t.rect.c0);
        else t.sheet.hyperlinks.set(t.rect.r0 * MAX_COLS + t.rect.c0, Object.assign({}, v));
      },
    },
    nav: {
      format: (t) => formatFacet(t, "format"),
      worksheet: (t) => t.sheet,
      conditionalFormats: (t) => ({ kind: "cfs", sheet: t.sheet, rect: t.rect }),
    },
    methods: {
      clear: (t, [applyTo]) => t.sheet.clear(t.rect, applyTo || "All"),
      delete: (t, [shift]) => shiftCells(t, shift),
      select: (t) => {
        t.sheet.book.selection = { sheet: t.sheet, rect: t.rect };
        t.sheet.book.active = t.sheet;
      },
      getCell: (t, [r, c]) => rangeOf(t.sheet, { r0: t.rect.r0 + r, c0: t.rect.c0 + c, r1: t.rect.r0 + r, c1: t.rect.c0 + c }),
      getOffsetRange: (t, [dr, dc]) => {
        const rect = { r0: t.rect.r0 + dr, r1: t.rect.r1 + dr, c0: t.rect.c0 + dc, c1: t.rect.c1 + dc };
        if (rect.r0 < 0 || rect.c0 < 0 || rect.r1 >= MAX_ROWS || rect.c1 >= MAX_COLS) fail("InvalidArgument", "The offset range is outside the sheet.");
        return rangeOf(t.sheet, rect);
      },
      getEntireColumn: (t) => rangeOf(t.sheet, { r0: 0, r1: MAX_ROWS - 1, c0: t.rect.c0, c1: t.rect.c1 }),
      getEntireRow: (t) => rangeOf(t.sheet, { r0: t.rect.r0, r1: t.rect.r1, c0: 0, c1: MAX_COLS - 1 }),
      getUsedRangeOrNullObject: (t, [valuesOnly]) => {
        const used = t.sheet.used(Boolean(valuesOnly));
        if (!used || !intersects(used, t.rect)) return null;
        return rangeOf(t.sheet, {
          r0: Math.max(used.r0, t.rect.r0),
          r1: Math.min(used.r1, t.rect.r1),
          c0: Math.max(used.c0, t.rect.c0),
          c1: Math.min(used.c1, t.rect.c1),
        });
      },
    },
  };

  // Cells below (or to the right of) a deleted range move up (left), with their formats,
  // tables, conditional formats and the chart data references Excel would adjust.
  function shiftCells(t, shift) {
    const { sheet, rect } = t;
    const up = shift === "Up";
    const moved = new Map();
    for (const [k, cell] of sheet.cells) {
      const r = Math.floor(k / MAX_COLS);
      const c = k % MAX_COLS;
      if (covers(rect, r, c)) continue;
      const inBand = up ? c >= rect.c0 && c <= rect.c1 && r > rect.r1 : r >= rect.r0 && r <= rect.r1 && c > rect.c1;
      if (inBand) moved.set(up ? (r - rows(rect)) * MAX_COLS + c : r * MAX_COLS + (c - cols(rect)), cell);
      else moved.set(k, cell);
    }
    sheet.cells = moved;
    for (const table of [...sheet.tables]) {
      if (intersects(table.rect, rect)) {
        sheet.tables.splice(sheet.tables.indexOf(table), 1); // deleting its cells deletes it
      } else if (up && table.rect.r0 > rect.r1 && table.rect.c0 >= rect.c0 && table.rect.c1 <= rect.c1) {
        table.rect = { ...table.rect, r0: table.rect.r0 - rows(rect), r1: table.rect.r1 - rows(rect) };
      }
    }
    sheet.cfs = sheet.cfs.filter((cf) => !intersects(cf.rect, rect));
  }

  function facetGet(t, prop) {
    const key = `${t.facet}.${prop}`;
    if (key === "format.columnWidth") {
      const w = t.range.sheet.columnWidths.get(t.range.rect.c0);
      return w === undefined ? FORMAT_DEFAULTS[key] : w;
    }
    if (key === "format.rowHeight") {
      const h = t.range.sheet.rowHeights.get(t.range.rect.r0);
      return h === undefined ? FORMAT_DEFAULTS[key] : h;
    }
    if (!(key in FORMAT_DEFAULTS)) return NOT_MODELLED;
    return t.range.sheet.format(t.range.rect, key);
  }
  function facetSet(t, prop, value) {
    const key = `${t.facet}.${prop}`;
    const { sheet, rect } = t.range;
    if (key === "format.columnWidth") {
      if (!(value >= 0)) fail("InvalidArgument", "columnWidth must be zero or more.");
      for (let c = rect.c0; c <= rect.c1; c++) sheet.columnWidths.set(c, value);
      return;
    }
    if (key === "format.rowHeight") {
      if (!(value >= 0)) fail("InvalidArgument", "rowHeight must be zero or more.");
      for (let r = rect.r0; r <= Math.min(rect.r1, rect.r0 + 100000); r++) sheet.rowHeights.set(r, value);
      return;
    }
    if (!(key in FORMAT_DEFAULTS)) return NOT_MODELLED;
    if (/color$/.test(key) && value !== null && !isColour(value)) {
      fail("InvalidArgument", `'${value}' is not a colour (#RRGGBB or a colour name).`);
    }
    sheet.runs.push({ rect, key, value });
  }
  const COLOUR_NAMES = new Set(["black", "white", "red", "green", "blue", "yellow", "orange", "purple", "gray", "grey", "none"]);
  const isColour = (v) => typeof v === "string" && (/^#[0-9A-Fa-f]{6}$/.test(v) || COLOUR_NAMES.has(v.toLowerCase()));

  B.RangeFormat = {
    nav: {
      font: (t) => formatFacet(t.range, "format.font"),
      fill: (t) => formatFacet(t.range, "format.fill"),
    },
    methods: {
      autofitColumns: (t) => t.range.sheet.autofits.push({ axis: "columns", rect: t.range.rect }),
      autofitRows: (t) => t.range.sheet.autofits.push({ axis: "rows", rect: t.range.rect }),
    },
  };
  B.RangeFont = {};
  B.RangeFill = {
    methods: {
      clear: (t) => t.range.sheet.runs.push({ rect: t.range.rect, key: "format.fill.color", value: "#FFFFFF" }),
    },
  };

  B.RangeAreas = {
    get: {
      address: (t) => t.rects.map((r) => `${quoteSheet(t.sheet.name)}!${rectText(r)}`).join(","),
      areaCount: (t) => t.rects.length,
    },
    nav: { areas: (t) => ({ kind: "rangeList", ranges: t.rects.map((r) => rangeOf(t.sheet, r)) }) },
    methods: {
      clear: (t, [applyTo]) => t.rects.forEach((r) => t.sheet.clear(r, applyTo || "All")),
    },
  };
  B.RangeCollection = { items: (t) => t.ranges, get: { count: (t) => t.ranges.length } };

  B.PageLayout = {
    methods: {
      setPrintArea: (t, [area]) => {
        if (area === "" || area === null) {
          t.sheet.printArea = null;
          return;
        }
        const text = typeof area === "string" ? area : sheetAddress(area);
        const rects = text.split(",").map((a) => {
          const [, address] = splitSheet(a.trim());
          return parseRect(address) || fail("InvalidArgument", `'${area}' is not a valid print area.`);
        });
        t.sheet.printArea = rects;
      },
      getPrintAreaOrNullObject: (t) => (t.sheet.printArea ? { kind: "areas", sheet: t.sheet, rects: t.sheet.printArea } : null),
      getPrintArea: (t) =>
        t.sheet.printArea ? { kind: "areas", sheet: t.sheet, rects: t.sheet.printArea } : fail("ItemNotFound", "The sheet has no print area."),
    },
    node: (t) => t.sheet.node.kids.pageLayout,
  };

  B.WorksheetFreezePanes = {
    methods: {
      freezeAt: (t, [ref]) => {
        const target = t.sheet.book.rangeTarget(typeof ref === "string" ? `${quoteSheet(t.sheet.name)}!${ref}` : ref, t.sheet);
        t.sheet.freeze = target.rect;
      },
      freezeRows: (t, [n]) => {
        t.sheet.freeze = { r0: 0, r1: (n || 1) - 1, c0: 0, c1: MAX_COLS - 1 };
      },
      freezeColumns: (t, [n]) => {
        t.sheet.freeze = { r0: 0, r1: MAX_ROWS - 1, c0: 0, c1: (n || 1) - 1 };
      },
      unfreeze: (t) => {
        t.sheet.freeze = null;
      },
      getLocationOrNullObject: (t) => (t.sheet.freeze ? rangeOf(t.sheet, t.sheet.freeze) : null),
    },
  };

  // Conditional formats
  const CF_DETAIL = {
    cellValue: "CellValue",
    custom: "Custom",
    colorScale: "ColorScale",
    dataBar: "DataBar",
    iconSet: "IconSet",
    textComparison: "ContainsText",
    topBottom: "TopBottom",
    preset: "PresetCriteria",
  };
  B.ConditionalFormatCollection = {
    items: (t) => t.sheet.cfs.filter((cf) => intersects(cf.rect, t.rect)),
    get: { count: (t) => t.sheet.cfs.filter((cf) => intersects(cf.rect, t.rect)).length },
    methods: {
      add: (t, [type]) => {
        const cf = new Node({ type, stopIfTrue: false, priority: 0 });
        cf.id = newId("cf");
        cf.rect = t.rect;
        cf.sheet = t.sheet;
        t.sheet.cfs.unshift(cf);
        return cf;
      },
      clearAll: (t) => {
        t.sheet.cfs = t.sheet.cfs.filter((cf) => !intersects(cf.rect, t.rect));
      },
      getCount: (t) => t.sheet.cfs.filter((cf) => intersects(cf.rect, t.rect)).length,
      getItemAt: (t, [i]) =>
        t.sheet.cfs.filter((cf) => intersects(cf.rect, t.rect))[i] || fail("ItemNotFound", `No conditional format at ${i}.`),
    },
  };
  B.ConditionalFormat = {
    get: {
      priority: (cf) => cf.sheet.cfs.indexOf(cf),
      id: (cf) => cf.id,
    },
    set: {
      priority: (cf, v) => {
        const list = cf.sheet.cfs;
        list.splice(list.indexOf(cf), 1);
        list.splice(Math.max(0, Math.min(Number(v), list.length)), 0, cf);
      },
    },
    nav: Object.fromEntries(
      Object.entries(CF_DETAIL).map(([prop, type]) => [
        prop,
        (cf) => {
          if (cf.props.type !== type) {
            fail("InvalidArgument", `This conditional format is ${cf.props.type}, not ${type} (${prop}).`);
          }
          return cf.kid(prop);
        },
      ]),
    ),
    methods: {
      delete: (cf) => {
        cf.sheet.cfs = cf.sheet.cfs.filter((x) => x !== cf);
      },
      getRange: (cf) => rangeOf(cf.sheet, cf.rect),
      getRangeOrNullObject: (cf) => rangeOf(cf.sheet, cf.rect),
    },
  };

  // Tables
  function tableList(t) {
    return t.sheet ? t.sheet.tables : t.book.allTables();
  }
  B.TableCollection = {
    items: (t) => tableList(t),
    get: { count: (t) => tableList(t).length },
    methods: {
      add: (t, [address, hasHeaders]) => {
        const target = t.book.rangeTarget(address, t.sheet);
        if (t.sheet && target.sheet !== t.sheet) fail("InvalidArgument", "The table's range is on another sheet.");
        for (const other of target.sheet.tables) {
          if (intersects(other.rect, target.rect)) fail("InvalidOperation", `A table can't overlap another table (${other.name}).`);
        }
        let name;
        do name = `Table${t.book.tableCounter++}`;
        while (t.book.nameTaken(name));
        const table = new Table(target.sheet, name, target.rect, Boolean(hasHeaders));
        target.sheet.tables.push(table);
        return table;
      },
      getItem: (t, [key]) =>
        tableList(t).find((x) => x.name.toLowerCase() === String(key).toLowerCase() || x.id === key) ||
        fail("ItemNotFound", `The table '${key}' does not exist.`),
      getItemOrNullObject: (t, [key]) =>
        tableList(t).find((x) => x.name.toLowerCase() === String(key).toLowerCase() || x.id === key) || null,
      getItemAt: (t, [i]) => tableList(t)[i] || fail("ItemNotFound", `No table at index ${i}.`),
      getCount: (t) => tableList(t).length,
    },
  };
  const headerRect = (tb) => ({ ...tb.rect, r1: tb.rect.r0 });
  const bodyRect = (tb) => ({ ...tb.rect, r0: tb.rect.r0 + (tb.node.props.showHeaders ? 1 : 0) });
  B.Table = {
    get: { name: (tb) => tb.name, id: (tb) => tb.id },
    set: {
      name: (tb, v) => {
        if (tb.sheet.book.nameTaken(v) && v.toLowerCase() !== tb.name.toLowerCase()) {
          fail("InvalidArgument", `The name '${v}' is already used by a table or a defined name.`);
        }
        tb.name = String(v);
      },
    },
    nav: {
      worksheet: (tb) => tb.sheet,
      columns: (tb) => ({ kind: "tableColumns", table: tb }),
    },
    methods: {
      getRange: (tb) => rangeOf(tb.sheet, tb.rect),
      getDataBodyRange: (tb) => rangeOf(tb.sheet, bodyRect(tb)),
      getHeaderRowRange: (tb) => rangeOf(tb.sheet, headerRect(tb)),
      getTotalRowRange: (tb) =>
        tb.node.props.showTotals ? rangeOf(tb.sheet, { ...tb.rect, r0: tb.rect.r1 }) : fail("ItemNotFound", "The table has no total row."),
      resize: (tb, [ref]) => {
        const target = tb.sheet.book.rangeTarget(ref, tb.sheet);
        if (target.sheet !== tb.sheet) fail("InvalidArgument", "A table can't be resized onto another sheet.");
        if (target.rect.r0 !== tb.rect.r0) {
          fail("InvalidArgument", "The header row must stay in the same row (Table.resize).");
        }
        if (!intersects(target.rect, tb.rect)) fail("InvalidArgument", "The new range must overlap the table.");
        tb.rect = target.rect;
      },
      delete: (tb) => {
        tb.sheet.tables.splice(tb.sheet.tables.indexOf(tb), 1);
      },
      convertToRange: (tb) => {
        tb.sheet.tables.splice(tb.sheet.tables.indexOf(tb), 1);
        return rangeOf(tb.sheet, tb.rect);
      },
    },
  };
  B.TableColumnCollection = {
    items: (t) => {
      const tb = t.table;
      const out = [];
      for (let c = tb.rect.c0; c <= tb.rect.c1; c++) {
        const header = tb.sheet.value(tb.rect.r0, c);
        out.push({ kind: "tableColumn", table: tb, c, name: header === "" ? `Column${c - tb.rect.c0 + 1}` : String(header) });
      }
      return out;
    },
    get: { count: (t) => cols(t.table.rect) },
  };
  B.TableColumn = {
    get: { name: (col) => col.name, index: (col) => col.c - col.table.rect.c0, id: (col) => col.c - col.table.rect.c0 + 1 },
  };

  // Charts
  B.ChartCollection = {
    items: (t) => t.sheet.charts,
    get: { count: (t) => t.sheet.charts.length },
    methods: {
      add: (t, [type, source, seriesBy]) => {
        const target = t.sheet.book.rangeTarget(source, t.sheet);
        const chart = new Chart(t.sheet, type, target.sheet, target.rect, seriesBy || "Auto");
        t.sheet.charts.push(chart);
        return chart;
      },
      getItem: (t, [name]) =>
        t.sheet.charts.find((c) => c.name.toLowerCase() === String(name).toLowerCase()) || fail("ItemNotFound", `The chart '${name}' does not exist on '${t.sheet.name}'.`),
      getItemOrNullObject: (t, [name]) => t.sheet.charts.find((c) => c.name.toLowerCase() === String(name).toLowerCase()) || null,
      getItemAt: (t, [i]) => t.sheet.charts[i] || fail("ItemNotFound", `No chart at index ${i} on '${t.sheet.name}'.`),
      getCount: (t) => t.sheet.charts.length,
    },
  };
  B.Chart = {
    get: { name: (c) => c.name, id: (c) => c.id },
    set: {
      name: (c, v) => {
        const clash = c.sheet.charts.find((x) => x !== c && x.name.toLowerCase() === String(v).toLowerCase());
        if (clash) fail("InvalidArgument", `A chart named '${v}' already exists on '${c.sheet.name}'.`);
        c.name = String(v);
      },
      chartType: (c, v) => {
        c.node.props.chartType = v;
        c.series.forEach((s) => (s.props.chartType = v));
      },
    },
    nav: {
      series: (c) => ({ kind: "series", chart: c }),
      worksheet: (c) => c.sheet,
      title: (c) => c.node.kids.title,
      legend: (c) => c.node.kids.legend,
      axes: (c) => c.node.kids.axes,
    },
    methods: {
      delete: (c) => {
        c.sheet.charts.splice(c.sheet.charts.indexOf(c), 1);
      },
      setPosition: (c, [start, end]) => {
        const a = c.sheet.book.rangeTarget(typeof start === "string" ? `${quoteSheet(c.sheet.name)}!${start}` : start, c.sheet);
        const b = end ? c.sheet.book.rangeTarget(typeof end === "string" ? `${quoteSheet(c.sheet.name)}!${end}` : end, c.sheet) : null;
        if (a.sheet !== c.sheet) fail("InvalidArgument", "setPosition takes cells on the chart's own sheet.");
        c.position = { start: a.rect, end: b ? b.rect : null };
      },
      setData: (c, [source, seriesBy]) => {
        const target = c.sheet.book.rangeTarget(source, c.sheet);
        c.setData(target.sheet, target.rect, seriesBy || "Auto");
      },
      activate: () => undefined,
    },
  };
  B.ChartSeriesCollection = {
    items: (t) => t.chart.series,
    get: { count: (t) => t.chart.series.length },
    methods: {
      getItemAt: (t, [i]) => t.chart.series[i] || fail("ItemNotFound", `The chart '${t.chart.name}' has no series ${i} (it has ${t.chart.series.length}).`),
      getCount: (t) => t.chart.series.length,
    },
  };
  B.ChartSeries = {
    nav: { format: (s) => s.kids.format },
    methods: {
      setXAxisValues: (s, [ref]) => {
        s.xValues = ref;
      },
      setValues: (s, [ref]) => {
        s.values = ref;
      },
    },
  };
  B.ChartFill = {
    methods: {
      setSolidColor: (node, [colour]) => {
        if (!isColour(colour)) fail("InvalidArgument", `'${colour}' is not a colour.`);
        node.props.solidColor = colour;
      },
      clear: (node) => {
        delete node.props.solidColor;
      },
      getSolidColor: (node) => node.props.solidColor || "",
    },
  };
  B.ChartLineFormat = { methods: { clear: (node) => Object.assign(node.props, { lineStyle: "None" }) } };
  B.ChartAxes = {
    nav: {
      valueAxis: (node) => node.kids.valueAxis,
      categoryAxis: (node) => node.kids.categoryAxis,
    },
    methods: {
      getItem: (node, [type]) =>
        ({ Value: node.kids.valueAxis, Category: node.kids.categoryAxis })[type] || fail("InvalidArgument", `No ${type} axis.`),
    },
  };

  // Names
  function nameList(t) {
    return t.sheet ? t.sheet.names : t.book.names;
  }
  B.NamedItemCollection = {
    items: (t) => nameList(t),
    get: { count: (t) => nameList(t).length },
    methods: {
      add: (t, [name, reference, comment]) => {
        if (!/^[A-Za-z_\\][A-Za-z0-9_.\\]*$/.test(String(name)) || parseRect(String(name))) {
          fail("InvalidArgument", `'${name}' is not a valid name.`);
        }
        if (nameList(t).some((n) => n.name.toLowerCase() === String(name).toLowerCase()) || (!t.sheet && t.book.nameTaken(String(name)))) {
          fail("ItemAlreadyExists", `The name '${name}' already exists.`);
        }
        const formula =
          typeof reference === "string"
            ? reference.startsWith("=")
              ? reference
              : `=${reference}`
            : `=${quoteSheet(reference.sheet.name)}!${rectText(reference.rect).replace(/([A-Z]+)(\d+)/g, "$$$1$$$2")}`;
        const item = new Name(String(name), formula, t.sheet);
        if (comment) item.node.props.comment = comment;
        nameList(t).push(item);
        return item;
      },
      getItem: (t, [name]) =>
        nameList(t).find((n) => n.name.toLowerCase() === String(name).toLowerCase()) || fail("ItemNotFound", `The name '${name}' does not exist.`),
      getItemOrNullObject: (t, [name]) => nameList(t).find((n) => n.name.toLowerCase() === String(name).toLowerCase()) || null,
      getCount: (t) => nameList(t).length,
    },
  };
  function nameRange(n) {
    if (n.type !== "Range") return null;
    const book = n.sheet ? n.sheet.book : null;
    return { ref: n.formula.replace(/^=/, ""), book };
  }
  B.NamedItem = {
    get: {
      name: (n) => n.name,
      type: (n) => n.type,
      formula: (n) => n.formula,
      value: (n) => (n.type === "String" ? JSON.parse(n.formula.slice(1).replace(/""/g, '\\"')) : n.formula.slice(1)),
      scope: (n) => (n.sheet ? "Worksheet" : "Workbook"),
    },
    set: {
      formula: (n, v) => {
        n.formula = String(v).startsWith("=") ? String(v) : `=${v}`;
      },
    },
    methods: {
      delete: (n, args, ctx) => {
        const list = n.sheet ? n.sheet.names : ctx.book.names;
        list.splice(list.indexOf(n), 1);
      },
      getRange: (n, args, ctx) => {
        const r = nameRange(n);
        if (!r) fail("InvalidArgument", `The name '${n.name}' does not refer to a range.`);
        return ctx.book.rangeTarget(r.ref, null);
      },
      getRangeOrNullObject: (n, args, ctx) => {
        const r = nameRange(n);
        if (!r) return null;
        try {
          return ctx.book.rangeTarget(r.ref, null);
        } catch {
          return null;
        }
      },
    },
  };

  // Empty collections the client reads: shapes, pivot tables, comments.
  const emptyCollection = {
    items: () => [],
    get: { count: () => 0 },
    methods: {
      getCount: () => 0,
      getItemOrNullObject: () => null,
      getItem: (t, [key]) => fail("ItemNotFound", `'${key}' does not exist.`),
    },
  };
  B.ShapeCollection = emptyCollection;
  B.PivotTableCollection = emptyCollection;
  B.CommentCollection = emptyCollection;

  const NOT_MODELLED = Symbol("not modelled");

  // -- The client side: proxies, the queue and sync -------------------------------------------

  function versionAtLeast(have, want) {
    const a = String(have).split(".").map(Number);
    const b = String(want).split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
    }
    return true;
  }

  function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  function createFakeOffice(options) {
    const schema = options.schema;
    const host = {
      excelApi: options.excelApi || "1.17",
      desktop: options.platform !== "OfficeOnline",
      platform: options.platform || "PC",
      customFunctionsRuntime: options.customFunctionsRuntime || "1.4",
    };
    const book = new Book(options.workbook || {});
    const stats = { syncs: 0, operations: 0, loads: 0, runs: 0 };
    const warnings = new Set();
    const log = options.log || null; // optional array of operation descriptions
    const proxies = new WeakMap(); // proxy -> internal state

    function memberApiOk(api) {
      if (!api) return true;
      const [set, version] = api;
      if (set === "ExcelApi") return versionAtLeast(host.excelApi, version);
      if (set === "ExcelApiDesktop") return host.desktop;
      if (set === "ExcelApiOnline") return !host.desktop;
      return false;
    }
    function classOf(name) {
      const cls = schema.classes[name];
      if (!cls) throw new Error(`fake: no class Excel.${name} in the schema`);
      return cls;
    }
    function member(clsName, key) {
      const cls = classOf(clsName);
      if (Object.prototype.hasOwnProperty.call(cls.props, key)) return { prop: cls.props[key] };
      if (Object.prototype.hasOwnProperty.call(cls.methods, key)) return { method: cls.methods[key] };
      return null;
    }

    // Enum strings and option objects are checked by Excel when the batch runs.
    function checkValue(desc, value, where) {
      if (value === null || value === undefined) return;
      if (desc.kind === "enum") {
        const allowed = Object.values(schema.enums[desc.enum] || {});
        if (!allowed.includes(value)) {
          fail("InvalidArgument", `${where}: '${value}' is not a valid Excel.${desc.enum} (${allowed.join(", ")}).`, where);
        }
      } else if (desc.kind === "literal") {
        if (!desc.literals.includes(value)) fail("InvalidArgument", `${where}: '${value}' is not one of ${desc.literals.join(", ")}.`, where);
      } else if (desc.interface && typeof value === "object" && !Array.isArray(value) && !(proxies.has(value))) {
        const fields = (schema.interfaces[desc.interface] || {}).fields || {};
        for (const [k, v] of Object.entries(value)) {
          if (!fields[k]) fail("InvalidArgument", `${where}: Excel.${desc.interface} has no field '${k}'.`, where);
          checkValue(fields[k], v, `${where}.${k}`);
        }
      }
    }
    function paramsAccept(overload, args, where) {
      const params = overload.params;
      if (args.length > params.length && !params.some((p) => p.rest)) {
        throw new Error(`${where}: ${args.length} arguments given, at most ${params.length} taken`);
      }
      params.forEach((p, i) => {
        if (!p.optional && !p.rest && (args[i] === undefined)) throw new Error(`${where}: argument '${p.name}' is required`);
        checkValue(p, args[i], `${where}(${p.name})`);
      });
    }

    class RequestContext {
      constructor() {
        this.queue = [];
        this.book = book;
        this.workbook = makeObject(this, "Workbook", () => book);
        this.application = this.workbook.application;
        this.trackedObjects = { add() {}, remove() {} };
      }
      async sync(passThrough) {
        stats.syncs++;
        const queue = this.queue;
        this.queue = [];
        for (const op of queue) {
          stats.operations++;
          if (log) log.push(op.what);
          op.run(); // a throw rejects the sync; earlier operations stay applied
        }
        await null;
        return passThrough;
      }
      enqueue(what, run) {
        this.queue.push({ what, run });
      }
    }

    function resolve(st) {
      if (st.resolved) return st.target;
      if (st.pending) throw new Error(`fake: ${st.cls} used before the batch that makes it ran`);
      const t = st.resolver();
      st.target = t;
      st.resolved = true;
      st.isNull = t === null;
      if (t === null && !st.nullable) fail("ItemNotFound", `Excel.${st.cls}: the item does not exist.`);
      return t;
    }

    function behaviour(cls) {
      return B[cls] || {};
    }

    // Scalar read from the model, or NOT_MODELLED.
    function readScalar(st, key) {
      const target = resolve(st);
      const b = behaviour(st.cls);
      if (b.get && b.get[key]) return b.get[key](target, st);
      if (target && target.facet) return facetGet(target, key);
      const node = nodeOf(st.cls, target);
      if (node && Object.prototype.hasOwnProperty.call(node.props, key)) return node.props[key];
      return NOT_MODELLED;
    }
    function nodeOf(cls, target) {
      if (target instanceof Node) return target;
      if (target && target.node instanceof Node) return target.node;
      const b = behaviour(cls);
      if (b.node) return b.node(target);
      return null;
    }
    function writeScalar(st, key, value) {
      const target = resolve(st);
      const b = behaviour(st.cls);
      if (b.set && b.set[key]) return b.set[key](target, value, st);
      if (target && target.facet) {
        if (facetSet(target, key, value) !== NOT_MODELLED) return undefined;
      } else {
        const node = nodeOf(st.cls, target);
        if (node) {
          node.props[key] = clone(value);
          return undefined;
        }
      }
      throw new Error(`fake: writing Excel.${st.cls}.${key} is not modelled`);
    }
    function navTarget(st, key) {
      const target = resolve(st);
      const b = behaviour(st.cls);
      if (b.nav && b.nav[key]) return b.nav[key](target, st);
      const node = nodeOf(st.cls, target);
      if (node) return node.kid(key);
      throw new Error(`fake: Excel.${st.cls}.${key} is not modelled`);
    }

    function makeObject(ctx, cls, resolver, opts) {
      const st = {
        ctx,
        cls,
        resolver,
        resolved: false,
        target: undefined,
        pending: Boolean(opts && opts.pending),
        nullable: Boolean(opts && opts.nullable),
        isNull: undefined,
        loaded: new Map(),
        items: undefined,
        kids: new Map(),
      };
      classOf(cls);
      const proxy = new Proxy(st, handler);
      proxies.set(proxy, st);
      st.self = proxy;
      return proxy;
    }

    function apiGate(ctx, api, where) {
      if (!memberApiOk(api)) {
        ctx.enqueue(`${where} (unsupported)`, () =>
          fail("ApiNotFound", `${where} needs ${api.join(" ")}, which this Excel (ExcelApi ${host.excelApi}, ${host.platform}) does not support.`, where),
        );
      }
    }

    const handler = {
      get(st, key) {
        if (typeof key === "symbol") return undefined;
        if (key === "then") return undefined;
        if (key === "context") return st.ctx;
        if (key === "isNullObject") {
          if (st.isNull === undefined) {
            fail("PropertyNotLoaded", `Excel.${st.cls}.isNullObject is not available before context.sync().`);
          }
          return st.isNull;
        }
        const m = member(st.cls, key);
        if (!m) {
          throw new TypeError(`Excel.${st.cls} has no member '${key}' (not in ${schema.source})`);
        }
        if (m.method) return (...args) => callMethod(st, key, m.method, args);
        const prop = m.prop;
        if (prop.kind === "object") {
          if (!st.kids.has(key)) {
            apiGate(st.ctx, prop.api, `Excel.${st.cls}.${key}`);
            st.kids.set(key, makeObject(st.ctx, prop.class, () => navTarget(st, key)));
          }
          return st.kids.get(key);
        }
        if (prop.kind === "event") {
          return {
            add: (fn) => ({ context: st.ctx, remove() {} , fn }),
            remove() {},
          };
        }
        if (key === "items" && prop.kind === "objects") {
          if (st.items === undefined) {
            fail("PropertyNotLoaded", `Excel.${st.cls}.items is not available: load the collection and sync first.`);
          }
          return st.items;
        }
        if (!st.loaded.has(key)) {
          fail(
            "PropertyNotLoaded",
            `The property '${key}' of Excel.${st.cls} is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
          );
        }
        return st.loaded.get(key);
      },
      set(st, key, value) {
        if (typeof key === "symbol") throw new TypeError("fake: symbol properties cannot be set");
        const m = member(st.cls, key);
        if (!m) throw new TypeError(`Excel.${st.cls} has no member '${key}' (not in ${schema.source})`);
        if (m.method) throw new TypeError(`Excel.${st.cls}.${key} is a method`);
        const prop = m.prop;
        if (prop.readonly || prop.kind === "object" || prop.kind === "objects") {
          throw new TypeError(`Cannot set property ${key} of Excel.${st.cls}, which is read-only`);
        }
        const where = `Excel.${st.cls}.${key}`;
        apiGate(st.ctx, prop.api, where);
        const copy = clone(value);
        st.ctx.enqueue(`set ${where}`, () => {
          checkValue(prop, copy, where);
          writeScalar(st, key, copy);
        });
        return true;
      },
      has(st, key) {
        return typeof key === "string" && (key === "isNullObject" || key === "context" || Boolean(member(st.cls, key)));
      },
      ownKeys() {
        return [];
      },
      getOwnPropertyDescriptor() {
        return undefined;
      },
    };

    function unwrap(value) {
      if (value && typeof value === "object" && proxies.has(value)) return resolve(proxies.get(value));
      return value;
    }

    function callMethod(st, name, overloads, args) {
      const where = `Excel.${st.cls}.${name}`;
      if (name === "load") return queueLoad(st, args[0]);
      if (name === "toJSON") return Object.fromEntries(st.loaded);
      if (name === "track" || name === "untrack") return st;
      if (name === "set") {
        const [props] = args;
        for (const [k, v] of Object.entries(props || {})) handler.set(st, k, v);
        return undefined;
      }
      const b = behaviour(st.cls);
      const impl = b.methods && b.methods[name];
      if (!impl) throw new Error(`fake: ${where}() is not modelled`);
      // The overload whose parameters accept these arguments (checked when the batch runs).
      const overload = overloads[0];
      apiGate(st.ctx, overload.api, where);
      const returns = overload.returns;
      let result;
      let setResult = () => undefined;
      if (returns.kind === "object") {
        const nullable = /OrNullObject$/.test(name);
        result = makeObject(st.ctx, returns.class, null, { pending: true, nullable });
        const rst = proxies.get(result);
        setResult = (target) => {
          rst.pending = false;
          rst.resolved = true;
          rst.target = target;
          rst.isNull = target === null;
          if (target === null && !nullable) fail("ItemNotFound", `${where}: the item does not exist.`);
        };
      } else if (returns.kind === "result") {
        let ready = false;
        let value;
        result = {
          get value() {
            if (!ready) fail("PropertyNotLoaded", `${where}(): the result is not available before context.sync().`);
            return value;
          },
        };
        setResult = (v) => {
          ready = true;
          value = clone(v);
        };
      }
      const copies = args.map((a) => (a && typeof a === "object" && proxies.has(a) ? a : clone(a)));
      st.ctx.enqueue(`${where}()`, () => {
        const errors = [];
        const fits = overloads.some((o) => {
          try {
            paramsAccept(o, copies, where);
            return true;
          } catch (e) {
            errors.push(e);
            return false;
          }
        });
        if (!fits) {
          const e = errors[0];
          if (e instanceof FakeOfficeError) throw e;
          fail("InvalidArgument", e.message, where);
        }
        const target = resolve(st);
        const value = impl(target, copies.map(unwrap), st.ctx);
        setResult(value === undefined ? null : value);
      });
      return result;
    }

    // load("a, b/c"), load(["a", "items/b"]), load({select, expand}), load() (all scalars)
    function loadPaths(arg) {
      if (arg === undefined || arg === null) return null;
      if (typeof arg === "string") return arg.split(",").map((s) => s.trim()).filter(Boolean);
      if (Array.isArray(arg)) return arg.flatMap((a) => loadPaths(a) || []);
      if (typeof arg === "object") {
        const paths = [];
        if (arg.select) paths.push(...loadPaths(arg.select));
        if (arg.expand) paths.push(...loadPaths(arg.expand));
        for (const [k, v] of Object.entries(arg)) {
          if (k === "select" || k === "expand" || k === "$all") continue;
          if (v === true) paths.push(k);
        }
        return paths;
      }
      throw new TypeError(`fake: load(${JSON.stringify(arg)}) is not a load option`);
    }
    function queueLoad(st, arg) {
      let paths = loadPaths(arg);
      // A name the class does not have is left out and noted, not refused: Excel ignores it
      // (xlwings-server's released client loads "dataBodyRange" on every table, which is a
      // method, not a property, and works in Excel). Tests print the notes.
      if (paths) {
        paths = paths.filter((p) => {
          try {
            checkPath(st.cls, p.split("/"), `Excel.${st.cls}.load("${p}")`);
            return true;
          } catch (e) {
            warnings.add(e.message);
            return false;
          }
        });
      }
      st.ctx.enqueue(`Excel.${st.cls}.load(${paths ? paths.join(",") : ""})`, () => {
        stats.loads++;
        applyLoad(st, paths);
      });
      return st.self;
    }
    // On a collection, a path that is not the collection's own names its items' properties
    // ("name" means "items/name"), as Office.js reads it.
    function itemsPath(clsName, parts) {
      const items = member(clsName, "items");
      if (!items || !items.prop || items.prop.kind !== "objects") return parts;
      const own = member(clsName, parts[0]);
      return own && own.prop ? parts : ["items", ...parts];
    }
    function checkPath(clsName, rawParts, where) {
      const parts = itemsPath(clsName, rawParts);
      const [head, ...rest] = parts;
      const m = member(clsName, head);
      if (!m || !m.prop) throw new TypeError(`${where}: Excel.${clsName} has no property '${head}'`);
      if (m.prop.kind === "object" || m.prop.kind === "objects") {
        if (rest.length) checkPath(m.prop.class, rest, where);
      } else if (rest.length) {
        throw new TypeError(`${where}: '${head}' is not an object`);
      }
    }
    function scalarProps(clsName) {
      return Object.entries(classOf(clsName).props).filter(
        ([, p]) => p.kind !== "object" && p.kind !== "objects" && p.kind !== "event" && memberApiOk(p.api),
      );
    }

    function applyLoad(st, paths) {
      let target;
      try {
        target = resolve(st);
      } catch (e) {
        if (st.nullable) target = null;
        else throw e;
      }
      if (target === null) {
        st.isNull = true;
        return;
      }
      const isCollection = Boolean(member(st.cls, "items"));
      if (!paths) {
        if (isCollection) return loadItems(st, null);
        for (const [key, prop] of scalarProps(st.cls)) {
          const v = readScalar(st, key);
          if (v !== NOT_MODELLED) st.loaded.set(key, clone(v));
        }
        return;
      }
      const groups = new Map();
      for (const p of paths) {
        const [head, ...rest] = itemsPath(st.cls, p.split("/"));
        if (!groups.has(head)) groups.set(head, []);
        if (rest.length) groups.get(head).push(rest.join("/"));
      }
      for (const [head, rest] of groups) {
        const prop = member(st.cls, head).prop;
        if (!memberApiOk(prop.api)) {
          fail("ApiNotFound", `Excel.${st.cls}.${head} needs ${prop.api.join(" ")}, which this Excel does not support.`);
        }
        if (head === "items") {
          loadItems(st, rest.length ? rest : null);
        } else if (prop.kind === "object") {
          const child = handler.get(st, head);
          applyLoad(proxies.get(child), rest.length ? rest : null);
        } else {
          const v = readScalar(st, head);
          if (v === NOT_MODELLED) throw new Error(`fake: reading Excel.${st.cls}.${head} is not modelled`);
          st.loaded.set(head, clone(v));
        }
      }
      if (isCollection && !groups.has("items") && groups.size === 0) loadItems(st, null);
    }
    function loadItems(st, rest) {
      const b = behaviour(st.cls);
      if (!b.items) throw new Error(`fake: the items of Excel.${st.cls} are not modelled`);
      const itemClass = member(st.cls, "items").prop.class;
      const list = b.items(resolve(st));
      st.items = list.map((target) => {
        const proxy = makeObject(st.ctx, itemClass, () => target);
        const ist = proxies.get(proxy);
        resolve(ist);
        applyLoad(ist, rest);
        return proxy;
      });
      if (member(st.cls, "count")) st.loaded.set("count", list.length);
    }

    // -- Excel, Office, CustomFunctions, OfficeExtension --------------------------------------

    const Excel = {};
    for (const [name, values] of Object.entries(schema.enums)) Excel[name] = Object.freeze({ ...values });
    Excel.RequestContext = RequestContext;
    Excel.run = async function run(...args) {
      const batch = args[args.length - 1];
      if (typeof batch !== "function") throw new TypeError("Excel.run needs a batch function");
      stats.runs++;
      const ctx = new RequestContext();
      const result = await batch(ctx);
      await ctx.sync();
      return result;
    };
    Excel.createWorkbook = () => {
      throw new Error("fake: Excel.createWorkbook is not modelled");
    };

    class OfficeExtensionError extends FakeOfficeError {}
    const OfficeExtension = {
      Error: OfficeExtensionError,
      ErrorCodes: {
        invalidArgument: "InvalidArgument",
        itemNotFound: "ItemNotFound",
        apiNotFound: "ApiNotFound",
        propertyNotLoaded: "PropertyNotLoaded",
        generalException: "GeneralException",
      },
      config: { extendedErrorLogging: false },
    };

    const requirementSets = {
      excelapi: host.excelApi,
      sharedruntime: "1.1",
      customfunctionsruntime: host.customFunctionsRuntime,
      customfunctions: "1.1",
      dialogapi: "1.2",
      ribbonapi: "1.1",
      openbrowserwindowapi: "1.1",
      addincommands: "1.1",
    };
    const associations = options.associations || new Map();
    const dialogs = [];
    const readyInfo = { host: "Excel", platform: host.platform };
    const Office = {
      HostType: { Excel: "Excel" },
      PlatformType: { PC: "PC", OfficeOnline: "OfficeOnline", Mac: "Mac" },
      AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
      EventType: {
        DialogMessageReceived: "dialogMessageReceived",
        DialogEventReceived: "dialogEventReceived",
      },
      onReady(callback) {
        if (callback) setTimeout(() => callback(readyInfo), 0);
        return Promise.resolve(readyInfo);
      },
      initialize: undefined,
      actions: {
        associate(id, fn) {
          if (typeof fn !== "function") throw new TypeError(`Office.actions.associate("${id}"): not a function`);
          associations.set(id, fn);
        },
      },
      context: {
        host: "Excel",
        platform: host.platform,
        contentLanguage: "en-GB",
        displayLanguage: "en-GB",
        diagnostics: { host: "Excel", platform: host.platform, version: "16.0.fake" },
        requirements: {
          isSetSupported(name, version) {
            const have = requirementSets[String(name).toLowerCase()];
            return have !== undefined && versionAtLeast(have, version || "1.1");
          },
        },
        ui: {
          displayDialogAsync(url, dialogOptions, callback) {
            const handlers = {};
            const dialog = {
              url,
              options: dialogOptions,
              closed: false,
              addEventHandler(type, fn) {
                handlers[type] = fn;
              },
              close() {
                dialog.closed = true;
              },
              messageChild() {},
              // What a test does to press a button in the dialog page.
              message(text) {
                if (handlers.dialogMessageReceived) handlers.dialogMessageReceived({ message: text });
              },
            };
            const open = dialogs.filter((d) => !d.closed).length > 0;
            if (open) {
              const result = { status: "failed", error: { code: 12007, message: "A dialog is already open." } };
              if (callback) callback(result);
              return;
            }
            dialogs.push(dialog);
            if (callback) callback({ status: "succeeded", value: dialog });
          },
          messageParent() {},
          openBrowserWindow(url) {
            dialogs.push({ url, browser: true, closed: true });
          },
        },
        document: { url: `https://fake.example/${book.name}` },
      },
    };

    class CustomFunctionError extends Error {
      constructor(code, message) {
        super(message || "");
        this.code = code;
      }
    }
    const functions = options.functions || new Map();
    const CustomFunctions = {
      associate(id, fn) {
        if (typeof id === "object") {
          for (const [k, v] of Object.entries(id)) CustomFunctions.associate(k, v);
          return;
        }
        functions.set(String(id).toUpperCase(), fn);
      },
      Error: CustomFunctionError,
      ErrorCode: {
        invalidValue: "#VALUE!",
        notAvailable: "#N/A",
        divisionByZero: "#DIV/0!",
        invalidNumber: "#NUM!",
        nullReference: "#NULL!",
        invalidName: "#NAME?",
        invalidReference: "#REF!",
      },
    };

    return {
      Excel,
      Office,
      OfficeExtension,
      CustomFunctions,
      book,
      stats,
      associations,
      dialogs,
      functions,
      host,
      warnings,
    };
  }

  // Put the fake where a page or a test expects office.js to be.
  function install(target, options) {
    const fake = createFakeOffice(options);
    target.Excel = fake.Excel;
    target.Office = fake.Office;
    target.OfficeExtension = fake.OfficeExtension;
    target.CustomFunctions = fake.CustomFunctions;
    target.__fakeOffice = fake;
    return fake;
  }

  return {
    createFakeOffice,
    install,
    FakeOfficeError,
    parseRect,
    rectText,
    splitSheet,
    columnLetters,
    columnIndex,
    MAX_ROWS,
    MAX_COLS,
  };
});
