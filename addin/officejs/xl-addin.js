/*
 * xl_addin in Excel (Office add-in): the KPIs ribbon commands, the task pane's buttons, and
 * the two chart callbacks that refresh runs by name.
 *
 * It runs in the add-in's shared runtime beside xlwings-server's client (globalThis.xlwings),
 * which it uses unchanged: getBookData builds the request from the open workbook and
 * runActions applies the server's reply. What it adds:
 *   - a dialog with the server's message when the server refuses (a problem in the workbook,
 *     named by sheet and cell): nothing was changed;
 *   - when applying the reply stops part way, a dialog saying which sheets were changed, which
 *     may be part-changed and which were not, and what to do next;
 *   - Export's board pack, offered as a download (a workbook in Excel on the web has no folder);
 *   - XlAddinFormatSeries and XlAddinFinishChart, the `runMacro` targets of refresh (series
 *     colour, dashed target, markers; gaps joined across blank months).
 * The server appends one Office.actions.associate per ribbon command to this file.
 */
"use strict";

const xlAddin = (() => {
  const settings = JSON.parse(document.getElementById("xl-addin-config").textContent);
  const commands = new Map(settings.commands.map((c) => [c.id, c]));

  // -- Waiting for xlwings' client (a module script that loads alongside this one) ---------
  function clientReady(timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      (function check() {
        const xw = globalThis.xlwings;
        if (xw && xw.getBookData && xw.runActions && globalThis.xwRequest) return resolve(xw);
        if (Date.now() - started > timeoutMs) {
          return reject(
            new Error("the add-in's scripts did not load. Close and reopen the KPIs pane, or restart Excel"),
          );
        }
        setTimeout(check, 25);
      })();
    });
  }
  const ready = clientReady().then((xw) => {
    xw.registerCallback(XlAddinFormatSeries);
    xw.registerCallback(XlAddinFinishChart);
    return xw;
  });

  // -- Running one command ----------------------------------------------------------------
  function scriptUrl(script) {
    return `${window.location.origin}${settings.appPath}/xlwings/custom-scripts-call/${encodeURIComponent(script)}`;
  }

  async function post(script, payload) {
    const timeout = ((globalThis.config && globalThis.config.requestTimeout) || 300) * 1000;
    const response = await globalThis.xwRequest.post(scriptUrl(script), payload, {
      headers: { "Content-Type": "application/json" },
      timeout,
    });
    return typeof response.data === "string" ? JSON.parse(response.data) : response.data;
  }

  // What the server said, or why it could not be asked.
  function serverMessage(error) {
    if (error && error.response) {
      const data = error.response.data;
      if (data && typeof data === "object" && data.detail) {
        return typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail);
      }
      if (typeof data === "string" && data.trim()) return data.trim();
      return `The KPIs server answered ${error.response.status} ${error.response.statusText || ""}`.trim() + ".";
    }
    const reason = (error && error.message) || String(error);
    return (
      `The KPIs server could not be reached (${reason}). Check your network connection, ` +
      "or ask IT whether the KPIs server is running."
    );
  }

  async function runInExcel(xw, command, context) {
    const payload = await xw.getBookData({}, context);
    const sheetsBefore = payload.sheets.map((s) => s.name);
    let reply;
    try {
      reply = await post(command.script, payload);
    } catch (error) {
      return { kind: "refused", message: serverMessage(error) };
    }
    const actions = Array.isArray(reply && reply.actions) ? reply.actions : [];
    try {
      await xw.runActions(reply, context);
    } catch (error) {
      return { kind: "partial", error, actions, sheetsBefore };
    }
    return { kind: "done", reply, actions };
  }

  // Run one command on the open workbook and tell the analyst how it went.
  async function run(id) {
    const command = commands.get(id);
    if (!command) throw new Error(`xl_addin: no command '${id}'`);
    setStatus(`${command.label}: working...`);
    let outcome;
    try {
      const xw = await ready;
      await Office.onReady();
      outcome = await Excel.run((context) => runInExcel(xw, command, context));
    } catch (error) {
      outcome = { kind: "error", error };
    }
    await report(command, outcome);
    return outcome;
  }

  async function report(command, outcome) {
    if (outcome.kind === "done") {
      const reply = outcome.reply || {};
      setStatus(reply.message || `${command.label}: done.`);
      if (reply.download) {
        await showDialog({
          title: command.label,
          text: reply.message || "The board pack is ready.",
          mode: "info",
          download: reply.download.token,
        });
      }
      return;
    }
    let text;
    if (outcome.kind === "refused") {
      text = `${outcome.message}\n\nNothing in the workbook was changed.`;
    } else if (outcome.kind === "partial") {
      text = describePartial(command.label, outcome.actions, outcome.sheetsBefore, outcome.error);
    } else {
      const reason = (outcome.error && outcome.error.message) || String(outcome.error);
      text = `${command.label} could not start: ${reason}.\n\nNothing in the workbook was changed.`;
    }
    setStatus(text);
    await showDialog({ title: command.label, text, mode: "critical" });
  }

  // -- Stopping part way: what was and was not changed --------------------------------------
  function sheetOf(action, names) {
    if (action.func === "addSheet") return action.args && action.args[1] != null ? String(action.args[1]) : null;
    if (action.func === "runMacro" && action.args && names.includes(action.args[1])) return action.args[1];
    const position = action.sheet_position;
    return Number.isInteger(position) && position >= 0 && position < names.length ? names[position] : null;
  }

  function apply(action, names) {
    if (action.func === "addSheet" && action.args) {
      const at = Math.min(Number(action.args[0]), names.length);
      names.splice(Number.isInteger(at) ? at : names.length, 0, String(action.args[1]));
    } else if (action.func === "sheetDelete" && Number.isInteger(action.sheet_position)) {
      names.splice(action.sheet_position, 1);
    }
  }

  const BOOK_LEVEL = new Set(["namesAdd", "setNameRefersTo", "nameDelete"]);
  const list = (items) => items.map((n) => `'${n}'`).join(", ");

  function describePartial(label, actions, sheetsBefore, error) {
    const failedAt = error && Number.isInteger(error.actionIndex) ? error.actionIndex : null;
    const cause = (error && error.cause && error.cause.message) || (error && error.message) || String(error);
    if (failedAt === null) {
      return (
        `${label} stopped while applying its changes (${cause}). Some of them may have been made.\n\n` +
        `Press ${label} again: it rewrites every sheet it makes. Your own sheets are not touched.`
      );
    }
    const names = [...sheetsBefore];
    const changed = [];
    const later = [];
    const added = [];
    const removed = [];
    let failing = null;
    let recorded = false;
    const note = (bucket, name) => {
      if (name && !bucket.includes(name)) bucket.push(name);
    };
    actions.forEach((action, i) => {
      const sheet = sheetOf(action, names);
      if (i < failedAt) {
        note(changed, sheet);
        if (action.func === "addSheet") note(added, sheet);
        if (action.func === "sheetDelete") note(removed, sheet);
        if (BOOK_LEVEL.has(action.func)) recorded = true;
      } else if (i === failedAt) {
        failing = sheet;
      } else {
        note(later, sheet);
      }
      apply(action, names);
    });
    const done = changed.filter((n) => n !== failing && !removed.includes(n));
    const untouched = later.filter((n) => n !== failing && !changed.includes(n));
    const failedAction = actions[failedAt] || {};
    const lines = [
      `${label} stopped part way: step ${failedAt + 1} of ${actions.length} (${failedAction.func || "?"}` +
        `${failing ? ` on '${failing}'` : ""}) failed: ${cause}`,
    ];
    lines.push(done.length ? `Changed: ${list(done)}.` : "Changed: nothing before that step.");
    if (failing) lines.push(`May be part-changed: '${failing}'.`);
    if (removed.length) lines.push(`Deleted: ${list(removed)}.`);
    lines.push(untouched.length ? `Not changed: ${list(untouched)}.` : "Not changed: every other sheet.");
    lines.push("Your own sheets were not touched.");
    const unrecorded = added.filter((n) => !removed.includes(n));
    if (unrecorded.length && !recorded) {
      lines.push(
        `The workbook does not yet record ${list(unrecorded)} as made by the add-in, so delete ` +
          `${unrecorded.length === 1 ? "that sheet" : "those sheets"} before you press ${label} again.`,
      );
    } else {
      lines.push(`Press ${label} again to finish: it rewrites every sheet it makes.`);
    }
    return lines.join("\n");
  }

  // -- Dialogs and the task pane ------------------------------------------------------------
  let dialog = null;

  function dialogUrl({ title, text, mode, download }) {
    const query = new URLSearchParams({ prompt: text, title, buttons: "ok", mode, callback: "" });
    if (download) query.set("download", download);
    return `${window.location.origin}${settings.appPath}/xlwings/alert?${query}`;
  }

  function showDialog(message) {
    const url = dialogUrl(message);
    return new Promise((resolve) => {
      if (dialog) {
        try {
          dialog.close();
        } catch (_) {
          // already closed
        }
        dialog = null;
      }
      Office.context.ui.displayDialogAsync(url, { height: 40, width: 30, displayInIframe: true }, (result) => {
        if (result.status === Office.AsyncResultStatus.Failed) {
          console.error(`xl_addin: dialog not shown (${result.error.code}): ${message.text}`);
          return resolve(null);
        }
        dialog = result.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, () => {
          dialog.close();
          dialog = null;
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, () => {
          dialog = null;
        });
        resolve(dialog);
      });
    });
  }

  function setStatus(text) {
    const status = document.getElementById("xl-addin-status");
    if (status) status.textContent = text;
  }

  // The task pane's buttons run the same commands as the ribbon.
  function wireTaskpane() {
    for (const button of document.querySelectorAll("[data-xl-addin-command]")) {
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await run(button.getAttribute("data-xl-addin-command"));
        } finally {
          button.disabled = false;
        }
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wireTaskpane);
  else wireTaskpane();

  // A ribbon command: Excel waits for event.completed(), whatever happened.
  function command(id) {
    return async (event) => {
      try {
        await run(id);
      } finally {
        if (event && typeof event.completed === "function") event.completed();
      }
    };
  }

  return { run, command, describePartial, serverMessage, settings, ready };
})();
globalThis.xlAddin = xlAddin;

// -- Chart finishing refresh asks for by name (runMacro), as the VBA of the desktop add-in --

// Series colour, chart type (a target line on a column chart), dash and markers.
async function XlAddinFormatSeries(context, sheetName, chartName, seriesIndex, kind, colour, dashed, marker) {
  const chart = context.workbook.worksheets.getItem(sheetName).charts.getItem(chartName);
  const series = chart.series.getItemAt(Number(seriesIndex) - 1);
  const line = series.format.line;
  if (kind === "line" || kind === "points") {
    series.chartType = marker ? Excel.ChartType.lineMarkers : Excel.ChartType.line;
    series.smooth = false; // a smoothed line overshoots between months
    line.color = colour;
    line.weight = dashed ? 1.75 : 2.25;
    line.lineStyle = dashed ? Excel.ChartLineStyle.dash : Excel.ChartLineStyle.continuous;
    if (marker) {
      series.markerStyle = Excel.ChartMarkerStyle.circle;
      series.markerSize = 5;
      series.markerBackgroundColor = colour;
      series.markerForegroundColor = colour;
    } else {
      series.markerStyle = Excel.ChartMarkerStyle.none;
    }
    if (kind === "points") line.lineStyle = Excel.ChartLineStyle.none; // markers only
  } else {
    series.chartType = Excel.ChartType.columnClustered;
    series.format.fill.setSolidColor(colour);
    line.lineStyle = Excel.ChartLineStyle.none;
  }
  await context.sync();
}

// Blank months as gaps, never zeros; joined by the line only for quarterly measures (their
// other months are not periods). Office.js has no alt text for charts (only shapes have it),
// so `altText` is not used here; the desktop add-in sets it.
async function XlAddinFinishChart(context, sheetName, chartName, spanGaps, altText) {
  const chart = context.workbook.worksheets.getItem(sheetName).charts.getItem(chartName);
  chart.displayBlanksAs = spanGaps
    ? Excel.ChartDisplayBlanksAs.interplotted
    : Excel.ChartDisplayBlanksAs.notPlotted;
  await context.sync();
}
