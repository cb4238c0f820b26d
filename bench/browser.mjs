// The widget in headless Chromium against the local function (1,000,000 scores) serving the
// Trunk-built dist/: time to first rows (one widget, and ten on one page), and what a page
// change and a live refresh cost in DOM mutations. Writes target/bench/results/browser.json.
//
// Every load is a fresh browser context (empty HTTP cache: a first visit). Times come from
// the page's own clock (performance.now / Resource Timing), not from node.
//
// "Painted" is the frame after a widget's first data row entered its shadow DOM. The widget
// styles itself `content-visibility: auto` (src/styles/widget.css): a widget far below the
// fold gets its rows in the DOM, but the browser skips laying out and painting them until
// the reader scrolls near, so on the ten-widget page that frame draws the visible widgets
// only. That is what a reader gets too; the report says so next to the figures.

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

import { BENCH_DIR, QUICK, REPO, median, minMax, progress, stopChild, writeResult } from './common.mjs';
import { ensureBigData, startServer } from './function.mjs';

const LOADS = QUICK ? 3 : 10;
const PAGE_CHANGES = QUICK ? 3 : 10;
const REFRESH_CYCLES = QUICK ? 2 : 5;
const SITE_DIR = join(BENCH_DIR, 'site');
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The ten widgets of the multi-widget page: different boards, as a portal would embed. */
const TEN_WIDGETS = [
  '', 'data-mode="Solo"', 'data-mode="Duo"', 'data-mode="Trio"', 'data-region="Milky Way"',
  'data-region="Andromeda"', 'data-mode="Duo" data-region="Pinwheel"', 'data-page-size="5"',
  'data-sort="player"', 'data-mode="Solo" data-region="Andromeda" data-compact="true"',
];

/** dist/ plus bench pages made from dist/index.html (same head: the same script tags). */
export function buildSite() {
  rmSync(SITE_DIR, { recursive: true, force: true });
  mkdirSync(SITE_DIR, { recursive: true });
  cpSync(join(REPO, 'dist'), SITE_DIR, { recursive: true });
  const index = readFileSync(join(REPO, 'dist', 'index.html'), 'utf8');
  if (!/<main>[\s\S]*<\/main>/.test(index)) throw new Error('dist/index.html has no <main>');
  const page = (body) => index.replace(/<main>[\s\S]*<\/main>/, `<main>\n${body}\n</main>`);
  const widget = (attributes) =>
    `<div data-space-leaderboard data-endpoint="/api/LeaderboardFunction" ${attributes}></div>`;
  writeFileSync(join(SITE_DIR, 'ten-widgets.html'), page(TEN_WIDGETS.map(widget).join('\n')));
  writeFileSync(join(SITE_DIR, 'one-widget.html'), page(widget('')));
  writeFileSync(join(SITE_DIR, 'live-refresh.html'), page(widget('data-refresh="1"')));
}

// Runs in the page before any of its scripts: counts wasm instantiations and, for every
// shadow root the widget attaches, notes when its first data row enters the DOM and when
// the frame showing it has been painted (a task queued from the next animation frame runs
// after that frame is produced).
const INSTRUMENT = () => {
  const state = { instantiations: 0, shadowRoots: 0, inserted: [], painted: [] };
  window.__slbBench = state;
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function countedInstantiation(...args) {
      state.instantiations += 1;
      return original.apply(this, args);
    };
  }
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function observedAttachShadow(init) {
    const root = attachShadow.call(this, init);
    state.shadowRoots += 1;
    const observer = new MutationObserver(() => {
      if (!root.querySelector('tbody tr[data-entry-id]')) return;
      observer.disconnect();
      state.inserted.push(performance.now());
      requestAnimationFrame(() => setTimeout(() => state.painted.push(performance.now()), 0));
    });
    observer.observe(root, { childList: true, subtree: true });
    return root;
  };
};

async function firstRows(browser, origin, path, widgets) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  try {
    await context.addInitScript(INSTRUMENT);
    const page = await context.newPage();
    const wasmRequests = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasmRequests.push(request.url());
    });
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${origin}${path}`, { waitUntil: 'commit' });
    await page.waitForFunction(
      (count) => (window.__slbBench?.painted.length ?? 0) >= count, widgets,
      { timeout: 30000, polling: 50 });
    const timing = await page.evaluate(() => {
      const state = window.__slbBench;
      const resources = performance.getEntriesByType('resource');
      const script = resources.filter((e) => /space-leaderboard-[^/]*\.js$/.test(e.name));
      const wasm = resources.filter((e) => e.name.endsWith('.wasm'));
      const api = resources.filter((e) => e.name.includes('/api/LeaderboardFunction'));
      const apiPages = api.filter((e) => !e.name.includes('/meta'));
      return {
        scriptStart: Math.min(...script.map((e) => e.startTime)),
        wasmEnd: Math.max(...wasm.map((e) => e.responseEnd)),
        wasmEntries: wasm.length,
        firstApiStart: Math.min(...apiPages.map((e) => e.startTime)),
        lastApiEnd: Math.max(...apiPages.map((e) => e.responseEnd)),
        apiRequests: api.length,
        lastInserted: Math.max(...state.inserted),
        lastPainted: Math.max(...state.painted),
        instantiations: state.instantiations,
        shadowRoots: state.shadowRoots,
      };
    });
    if (errors.length) throw new Error(`page errors on ${path}: ${errors.join('; ')}`);
    return { ...timing, wasmRequests: wasmRequests.length };
  } finally {
    await context.close();
  }
}

export async function firstRowsSeries(browser, origin, path, widgets, label) {
  const loads = [];
  for (let i = 0; i < LOADS; i++) {
    const load = await firstRows(browser, origin, path, widgets);
    const fromScript = load.lastPainted - load.scriptStart;
    loads.push({ ...load, fromScript });
    progress(`${label} load ${i + 1}/${LOADS}: rows painted ${fromScript.toFixed(0)} ms after the script started loading (${load.lastPainted.toFixed(0)} ms after navigation)`);
  }
  const pick = (f) => loads.map(f);
  return {
    path, widgets, loads,
    fromScriptMs: median(pick((l) => l.fromScript)),
    fromScriptRangeMs: minMax(pick((l) => l.fromScript)),
    fromNavigationMs: median(pick((l) => l.lastPainted)),
    breakdownMs: {
      scriptStartToWasmLoaded: median(pick((l) => l.wasmEnd - l.scriptStart)),
      wasmLoadedToFirstApiRequest: median(pick((l) => l.firstApiStart - l.wasmEnd)),
      firstApiRequestToLastApiResponse: median(pick((l) => l.lastApiEnd - l.firstApiStart)),
      lastApiResponseToRowsInDom: median(pick((l) => l.lastInserted - l.lastApiEnd)),
      rowsInDomToPainted: median(pick((l) => l.lastPainted - l.lastInserted)),
    },
    wasmRequests: Math.max(...pick((l) => l.wasmRequests)),
    instantiations: Math.max(...pick((l) => l.instantiations)),
    shadowRoots: Math.max(...pick((l) => l.shadowRoots)),
    apiRequests: median(pick((l) => l.apiRequests)),
  };
}

// In-page helpers for the rendering-cost measurements (serialised into page.evaluate).
const MUTATION_TOOLS = `
  window.__slbMutations = (records) => {
    const rowsAdded = new Set(), rowsRemoved = new Set(), rowsChanged = new Set();
    let added = 0, removed = 0, attributes = 0, text = 0, tableBusyToggles = 0;
    for (const r of records) {
      if (r.type === 'childList') {
        added += r.addedNodes.length; removed += r.removedNodes.length;
        for (const n of r.addedNodes) if (n.nodeName === 'TR' && n.hasAttribute?.('data-entry-id')) rowsAdded.add(n);
        for (const n of r.removedNodes) if (n.nodeName === 'TR' && n.hasAttribute?.('data-entry-id')) rowsRemoved.add(n);
      } else if (r.type === 'attributes') {
        attributes += 1;
        if (r.target.nodeName === 'TABLE' && (r.attributeName === 'aria-busy' || r.attributeName === 'class')) {
          tableBusyToggles += 1;
          continue;
        }
      } else text += 1;
      const element = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const row = element?.closest?.('tr[data-entry-id]');
      if (row && !rowsAdded.has(row)) rowsChanged.add(row);
    }
    return { records: records.length, nodesAdded: added, nodesRemoved: removed, attributes, text,
      tableBusyToggles, rowsAdded: rowsAdded.size, rowsRemoved: rowsRemoved.size,
      rowsChangedInPlace: rowsChanged.size };
  };
`;

async function waitForWidgetRows(page) {
  await page.waitForFunction(() => (window.__slbBench?.painted.length ?? 0) >= 1, null,
    { timeout: 30000, polling: 50 });
}

async function pageChanges(browser, origin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  try {
    await context.addInitScript(INSTRUMENT);
    await context.addInitScript(MUTATION_TOOLS);
    const page = await context.newPage();
    await page.goto(`${origin}/one-widget.html`);
    await waitForWidgetRows(page);
    const changes = [];
    for (let i = 0; i < PAGE_CHANGES; i++) {
      changes.push(await page.evaluate(async () => {
        const root = document.querySelector('[data-space-leaderboard]').shadowRoot;
        const firstId = () => root.querySelector('tbody tr[data-entry-id]')?.getAttribute('data-entry-id');
        const before = firstId();
        const records = [];
        const settled = new Promise((resolve) => {
          const observer = new MutationObserver((list) => {
            records.push(...list);
            if (firstId() !== before && !root.querySelector('table[aria-busy]')) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true, attributeOldValue: true });
        });
        const clicked = performance.now();
        root.querySelector('nav.pagination button[rel="next"]').click();
        const inDom = await settled;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return { clickToRowsMs: inDom - clicked, clickToPaintedMs: performance.now() - clicked,
          ...window.__slbMutations(records) };
      }));
    }
    return summariseMutations(changes);
  } finally {
    await context.close();
  }
}

async function liveRefresh(browser, origin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  try {
    await context.addInitScript(INSTRUMENT);
    await context.addInitScript(MUTATION_TOOLS);
    const page = await context.newPage();
    await page.goto(`${origin}/live-refresh.html`);
    await waitForWidgetRows(page);
    return await page.evaluate(async (cycles) => {
      const root = document.querySelector('[data-space-leaderboard]').shadowRoot;
      const table = root.querySelector('table');
      const records = [];
      const refreshes = [];
      const apiBefore = performance.getEntriesByType('resource').length;
      await new Promise((resolve) => {
        const observer = new MutationObserver((list) => {
          records.push(...list);
          for (const r of list) {
            // aria-busy leaving the table ends one refresh.
            if (r.target === table && r.attributeName === 'aria-busy' && r.oldValue === 'true' && !table.hasAttribute('aria-busy')) {
              refreshes.push(performance.now());
            }
          }
          if (refreshes.length >= cycles) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true, attributeOldValue: true });
      });
      const fetched = performance.getEntriesByType('resource').slice(apiBefore)
        .filter((e) => e.name.includes('/api/LeaderboardFunction'));
      return {
        refreshes: refreshes.length,
        fetches: fetched.length,
        fetchesFromHttpCache: fetched.filter((e) => e.transferSize === 0).length,
        stillOnePage: table.isConnected,
        ...window.__slbMutations(records),
      };
    }, REFRESH_CYCLES);
  } finally {
    await context.close();
  }
}

function summariseMutations(samples) {
  const out = { samples };
  for (const key of Object.keys(samples[0])) out[key] = median(samples.map((s) => s[key]));
  return out;
}

async function main() {
  buildSite();
  const server = await startServer(await ensureBigData(), ['--static-dir', SITE_DIR]);
  const origin = `http://127.0.0.1:${server.port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  try {
    progress(`first rows: the native page (dist/index.html), ${LOADS} cold loads`);
    const indexPage = await firstRowsSeries(browser, origin, '/', 1, 'index.html');
    progress(`first rows: ten widgets on one page, ${LOADS} cold loads`);
    const tenWidgets = await firstRowsSeries(browser, origin, '/ten-widgets.html', 10, '10 widgets');
    progress(`page change: ${PAGE_CHANGES} clicks on "next"`);
    const pageChange = await pageChanges(browser, origin);
    progress(`live refresh (data-refresh="1"), ${REFRESH_CYCLES} refreshes with unchanged data`);
    const refresh = await liveRefresh(browser, origin);
    writeResult('browser', {
      quick: QUICK, chromium: browser.version(), flags: CHROMIUM_FLAGS, data: 'target/bench 1,000,000 scores',
      indexPage, tenWidgets, pageChange, refresh,
    });
  } finally {
    await browser.close();
    await stopChild(server.child);
  }
}

// Run as a script (scripts/bench.sh); imported, it only lends its helpers.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
