// Optional, not run by scripts/bench.sh: where the main thread's time goes when a page of
// widgets loads. Traces 3 cold loads of a bench page (default the ten-widget page that
// bench/browser.mjs writes into target/bench/site/) and prints, for the last one, the
// renderer main thread's time by trace event (layout, style, paint, script, ...), and the
// time spent rasterising tiles on the worker threads.
//
//   node bench/trace-widgets.mjs [/ten-widgets.html | /one-widget.html]

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { BENCH_DIR, stopChild } from './common.mjs';
import { BIG_DATA_DIR, startServer } from './function.mjs';

const path = process.argv[2] || '/ten-widgets.html';
const traceFile = (i) => join(BENCH_DIR, `trace-${i}.json`);
const server = await startServer(BIG_DATA_DIR, ['--static-dir', join(BENCH_DIR, 'site')]);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await browser.startTracing(page, {
      path: traceFile(i),
      categories: ['devtools.timeline', 'v8', 'v8.wasm', 'blink', 'disabled-by-default-devtools.timeline'],
    });
    await page.goto(`http://127.0.0.1:${server.port}${path}`);
    await page.waitForFunction(() => {
      const hosts = [...document.querySelectorAll('[data-space-leaderboard]')];
      return hosts.length > 0 && hosts.every((h) => h.shadowRoot?.querySelector('tbody tr[data-entry-id]'));
    }, null, { polling: 50, timeout: 30000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    await browser.stopTracing();
    await context.close();
  }
} finally {
  await browser.close();
  await stopChild(server.child);
}

const parsed = JSON.parse(readFileSync(traceFile(2), 'utf8'));
const events = parsed.traceEvents || parsed;
const mainThreads = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const busiest = mainThreads
  .map((t) => ({ t, n: events.filter((e) => e.pid === t.pid && e.tid === t.tid).length }))
  .sort((a, b) => b.n - a.n)[0].t;
const totals = new Map();
for (const e of events) {
  if (e.pid === busiest.pid && e.tid === busiest.tid && e.ph === 'X' && e.dur) {
    totals.set(e.name, (totals.get(e.name) || 0) + e.dur);
  }
}
console.log(`main-thread time by trace event (nested events overlap), ${path}, third cold load:`);
for (const [name, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${(micros / 1000).toFixed(1).padStart(8)} ms  ${name}`);
}
// Rasterisation runs on worker threads (software raster: the bench runs --disable-gpu), but
// it competes for the same two cores and a frame is shown only once its tiles are done.
const raster = events.filter((e) => e.ph === 'X' && e.dur && e.name === 'RasterTask');
const rasterMs = raster.reduce((sum, e) => sum + e.dur, 0) / 1000;
console.log(`${rasterMs.toFixed(1).padStart(8)} ms  RasterTask, all threads (${raster.length} tasks)`);
