// Round trips and bytes of refreshes through the pinned client, against the fake Excel.
// Used by benchmarks/bench_officejs.py, which starts the server and writes the seeds:
//   node bench.mjs BASE_URL XLWINGS_SERVER_STATIC EXCEL_API seeds.json
// prints one JSON object: for each workbook and refresh, context.sync() calls, Office.js
// operations, and the JSON bytes posted to and answered by the scripts route.

import fs from "node:fs";
import { startClient, traffic } from "./harness.mjs";

const [baseUrl, staticDir, excelApi, seedsFile] = process.argv.slice(2);
const seeds = JSON.parse(fs.readFileSync(seedsFile, "utf8"));
const client = await startClient({ baseUrl, staticDir, excelApi });
const out = {};

function scriptsTraffic() {
  let requests = 0;
  let sent = 0;
  let received = 0;
  for (const [url, entry] of traffic.byUrl) {
    if (!url.includes("/xlwings/custom-scripts-call/")) continue;
    requests += entry.requests;
    sent += entry.sent;
    received += entry.received;
  }
  return { requests, sent, received };
}

for (const [label, seed] of Object.entries(seeds)) {
  const fake = client.install(seed);
  out[label] = [];
  for (const pass of ["first", "second"]) {
    const before = { ...fake.stats };
    const bytes = scriptsTraffic();
    const started = performance.now();
    const outcome = await globalThis.xlAddin.run("refresh");
    if (outcome.kind !== "done") {
      throw new Error(`${label} ${pass} refresh: ${outcome.kind} ${outcome.error || outcome.message}`);
    }
    const after = scriptsTraffic();
    out[label].push({
      refresh: pass,
      actions: outcome.actions.length,
      syncs: fake.stats.syncs - before.syncs,
      operations: fake.stats.operations - before.operations,
      requestBytes: after.sent - bytes.sent,
      replyBytes: after.received - bytes.received,
      seconds: (performance.now() - started) / 1000,
    });
  }
}
console.log(JSON.stringify(out));
