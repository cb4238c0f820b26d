// The board page in headless Chromium (issue 12): first rows and interactivity, cold cache.
// The rows come with the HTML (declarative shadow root, CSS inline), so the first painted row
// is the first contentful paint; with the takeover on (`--embed-dir`, the board embed), the
// page is interactive once the wasm has replaced the server markup. Against the release
// function on 1,000,000 scores; writes target/bench/results/board-browser.json.
//
//   node bench/board.mjs    (scripts/bench.sh runs it; needs target/board-embed for the takeover)

import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { QUICK, REPO, median, minMax, progress, stopChild, writeResult } from './common.mjs';
import { CHROMIUM_FLAGS } from './browser.mjs';
import { ensureBigData, startServer } from './function.mjs';

const LOADS = QUICK ? 2 : 10;
const EMBED_DIR = join(REPO, 'target', 'board-embed');
const PATH = '/api/board?mode=Solo&pageSize=10';

/** One cold load: navigation → first contentful paint (the rows), → takeover done. */
async function load(browser, url, takeover) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    // The takeover marks the document `data-board="live"` once the wasm has the board.
    await context.addInitScript(() => {
      new MutationObserver((records, observer) => {
        if (document.documentElement?.dataset.board !== 'live') return;
        window.liveAt = performance.now();
        observer.disconnect();
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-board'] });
    });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const rowsInHtml = await page.evaluate(() => document.querySelector('#space-leaderboard-board')
      ?.shadowRoot?.querySelectorAll('tr[data-entry-id]').length ?? 0);
    const fcp = await page.evaluate(() => new Promise((resolveFcp) => {
      new PerformanceObserver((list) => {
        const entry = list.getEntries().find((e) => e.name === 'first-contentful-paint');
        if (entry) resolveFcp(entry.startTime);
      }).observe({ type: 'paint', buffered: true });
    }));
    let interactiveMs = null;
    if (takeover) {
      await page.waitForFunction(() => window.liveAt, null, { timeout: 15000 });
      interactiveMs = await page.evaluate(() => window.liveAt);
    }
    return { fcpMs: fcp, rowsInHtml, interactiveMs };
  } finally {
    await context.close();
  }
}

async function series(browser, origin, takeover) {
  const loads = [];
  for (let i = 0; i < LOADS; i++) loads.push(await load(browser, `${origin}${PATH}`, takeover));
  const fcps = loads.map((l) => l.fcpMs);
  const interactive = loads.map((l) => l.interactiveMs).filter((v) => v !== null);
  return {
    loads,
    firstRowsMs: median(fcps),
    firstRowsRangeMs: minMax(fcps),
    rowsInHtml: Math.min(...loads.map((l) => l.rowsInHtml)),
    interactiveMs: interactive.length ? median(interactive) : null,
  };
}

async function main() {
  const data = await ensureBigData();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  const result = { chromium: browser.version(), path: PATH };
  try {
    // The browser's own floor: the same cold load of a page of one line of text.
    const floor = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>floor</title><p>Space Game leaderboard</p>');
    });
    await new Promise((listening) => floor.listen(0, '127.0.0.1', listening));
    try {
      progress(`a one-line page (the browser's floor): ${LOADS} cold loads`);
      result.floor = await series(browser, `http://127.0.0.1:${floor.address().port}`, false);
    } finally {
      floor.close();
    }
    const plain = await startServer(data);
    try {
      progress(`board page, server markup only: ${LOADS} cold loads`);
      result.serverOnly = await series(browser, `http://127.0.0.1:${plain.port}`, false);
    } finally {
      await stopChild(plain.child);
    }
    if (existsSync(join(EMBED_DIR, 'space-leaderboard-core_bg.wasm'))) {
      const withEmbed = await startServer(data, ['--embed-dir', EMBED_DIR]);
      try {
        progress(`board page with the takeover: ${LOADS} cold loads`);
        result.takeover = await series(browser, `http://127.0.0.1:${withEmbed.port}`, true);
      } finally {
        await stopChild(withEmbed.child);
      }
    }
    writeResult('board-browser', result);
    progress(JSON.stringify({ floor: result.floor.firstRowsMs, serverOnly: result.serverOnly.firstRowsMs, takeover: result.takeover && [result.takeover.firstRowsMs, result.takeover.interactiveMs] }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
