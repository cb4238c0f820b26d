// Shared harness of the browser end-to-end tests: the real function binary on generated
// data (serving the Trunk-built widget from dist/), headless Debian Chromium through
// playwright-core, the function's JSON API called from node to compute expected results,
// and helpers that read the widget's DOM (inside its open shadow root) and wait for
// conditions. Every process started here is stopped when the test file ends, even on
// failure or when the runner kills us.

import { spawn, execFile } from 'node:child_process';
import { after, before } from 'node:test';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = process.env.E2E_DIST || join(REPO, 'dist');
export const FUNCTION_BIN =
  process.env.E2E_FUNCTION_BIN || join(REPO, 'target', 'debug', 'leaderboard-function');
export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.E2E_ARTIFACTS || join(REPO, 'tests', 'artifacts');
export const AXE_PATH = join(REPO, 'node_modules', 'axe-core', 'axe.min.js');

/** The generated data set every test file uses: large enough for deep pages and ties. */
export const DATA_SHAPE = { scores: 3000, profiles: 500, seed: 20261123 };

/** Per-test options: a hung test fails on its own instead of stalling the whole run. */
export const TEST_OPTIONS = { timeout: Number(process.env.E2E_TEST_TIMEOUT_MS || 120000) };

/** How long any single wait for the widget may take before the test fails. */
export const WAIT_MS = Number(process.env.E2E_WAIT_MS || 15000);

/** The leaderboard endpoint and its facet endpoint, as the model crate names them. */
export const LEADERBOARD_PATH = '/api/LeaderboardFunction';
export const META_PATH = '/api/LeaderboardFunction/meta';

const execFileAsync = promisify(execFile);

// ---------------------------------------------------------------------------------------
// Process bookkeeping: every child is recorded so nothing outlives the test file.

const liveChildren = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(130));
}

function requirePrerequisites() {
  const missing = [];
  if (!existsSync(FUNCTION_BIN)) {
    missing.push(`function binary ${FUNCTION_BIN} (cargo build -p leaderboard-function, or set E2E_FUNCTION_BIN)`);
  }
  if (!existsSync(join(DIST, 'index.html'))) {
    missing.push(`built widget ${join(DIST, 'index.html')} (trunk build, or set E2E_DIST)`);
  }
  if (!existsSync(CHROMIUM)) {
    missing.push(`Chromium ${CHROMIUM} (apt-get install chromium, or set E2E_CHROMIUM)`);
  }
  if (missing.length > 0) {
    throw new Error(`e2e prerequisites missing:\n  - ${missing.join('\n  - ')}`);
  }
}

/** Runs `leaderboard-function generate` into a fresh temp dir and returns the dir. */
export async function generateData(shape = DATA_SHAPE) {
  const dir = mkdtempSync(join(tmpdir(), 'slb-e2e-data-'));
  tempDirs.add(dir);
  try {
    await execFileAsync(
      FUNCTION_BIN,
      [
        'generate',
        '--scores', String(shape.scores),
        '--profiles', String(shape.profiles),
        '--seed', String(shape.seed),
        '--out', dir,
      ],
      { timeout: 60000 },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`generating test data failed: ${error.message}\n${error.stderr ?? ''}`);
  }
  return dir;
}

/**
 * The function binary serving `dataDir` and the widget's dist/ on a loopback port.
 *
 * The binary runs under a tiny `sh` watchdog that kills it when our end of its stdin closes:
 * `stop()` closes it on purpose, and if this node process dies (even by SIGKILL from the
 * test runner) the kernel closes it for us, so no server is ever left behind. SIGKILL is
 * deliberate: the outage test wants a crash, and it frees the port at once for `restart()`.
 */
export class FunctionServer {
  constructor(dataDir, { staticDir = DIST, extraArgs = [], env = {} } = {}) {
    this.dataDir = dataDir;
    this.staticDir = staticDir;
    this.extraArgs = extraArgs;
    // Extra environment (e.g. LEADERBOARD_INGEST_KEY: secrets stay out of the process list).
    this.env = env;
    this.port = 0;
    this.child = null;
    this.log = [];
  }

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  get running() {
    return this.child !== null;
  }

  /** Starts on `this.port` (0 = any free port) and resolves once the listening line is read. */
  async start() {
    if (this.child) throw new Error('function already running');
    const args = [
      '--data-dir', this.dataDir,
      '--port', String(this.port),
      '--static-dir', this.staticDir,
      ...this.extraArgs,
    ];
    // `sh` gives background jobs /dev/null as stdin, so the pipe is kept on fd 3 for the guard.
    const watchdog = [
      'exec 3<&0',
      'bin="$1"; shift',
      '"$bin" "$@" </dev/null 3<&- &',
      'pid=$!',
      '( while read -r _ <&3; do :; done; kill -KILL "$pid" 2>/dev/null ) &',
      'guard=$!',
      'wait "$pid"; status=$?',
      'kill "$guard" 2>/dev/null',
      'exit "$status"',
    ].join('\n');
    const child = spawn('sh', ['-c', watchdog, 'slb-e2e-watchdog', FUNCTION_BIN, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn', ...this.env },
    });
    liveChildren.add(child);
    this.child = child;
    const exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        liveChildren.delete(child);
        if (this.child === child) this.child = null;
        resolveExit({ code, signal });
      });
    });
    this.exited = exited;
    const remember = (stream, name) => {
      createInterface({ input: stream }).on('line', (line) => {
        this.log.push(`[${name}] ${line}`);
        if (this.log.length > 200) this.log.shift();
      });
    };
    remember(child.stderr, 'stderr');

    // The first stdout line announces the port; later lines (request logs) are drained so
    // the pipe never fills and blocks the server.
    const lines = createInterface({ input: child.stdout });
    const listening = new Promise((resolveLine, rejectLine) => {
      let first = true;
      lines.on('line', (line) => {
        if (first) {
          first = false;
          const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
          if (match) resolveLine(Number(match[1]));
          else rejectLine(new Error(`unexpected first stdout line from the function: ${line}`));
        } else {
          this.log.push(`[stdout] ${line}`);
          if (this.log.length > 200) this.log.shift();
        }
      });
    });
    const failed = exited.then(({ code, signal }) => {
      throw new Error(
        `the function exited before listening (code ${code}, signal ${signal}):\n${this.log.join('\n')}`,
      );
    });
    let timer;
    const timeout = new Promise((_, rejectTimeout) => {
      timer = setTimeout(
        () => rejectTimeout(new Error(`the function did not print its listening line within 30 s:\n${this.log.join('\n')}`)),
        30000,
      );
    });
    try {
      this.port = await Promise.race([listening, failed, timeout]);
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    failed.catch(() => {}); // the process may exit later (stop()); that is not a start failure
    return this;
  }

  /** Kills the function (a crash, as far as clients can tell) and waits until it is gone. */
  async stop() {
    const child = this.child;
    if (!child) return;
    child.stdin.end();
    const gone = await Promise.race([
      this.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 10000).unref()),
    ]);
    if (!gone) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  /**
   * Starts again on the same port. The port was freed by SIGKILL; should the kernel still
   * refuse the bind, the start is retried until it succeeds (a condition, not a sleep).
   */
  async restart() {
    if (this.child) await this.stop();
    const port = this.port;
    let lastError;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      this.port = port;
      try {
        return await this.start();
      } catch (error) {
        lastError = error;
        this.port = port;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`could not restart the function on port ${port}: ${lastError?.message}`);
  }

  /** GET a JSON document from the function, failing loudly on a non-2xx answer. */
  async getJson(path) {
    const response = await fetch(`${this.origin}${path}`);
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return JSON.parse(text);
  }

  /** The leaderboard as the API answers `params` (the widget must show exactly this). */
  leaderboard(params = {}) {
    return this.getJson(`${LEADERBOARD_PATH}?${queryString(params)}`);
  }

  meta() {
    return this.getJson(META_PATH);
  }
}

/** `%20`-encoded query string of the non-empty params, like the model's canonical string. */
export function queryString(params) {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

/**
 * The per-file fixture: data generated once (then `prepareData(dir)` if given), the
 * function started on it, one browser.
 * Call from `before`; `teardown()` from `after` stops everything.
 */
export async function startSuite({ server: serverOptions, prepareData } = {}) {
  requirePrerequisites();
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = await generateData();
  const server = new FunctionServer(dataDir, serverOptions);
  let browser;
  try {
    // A file may plant records of its own (hostile names, ...) before the function loads them.
    if (prepareData) await prepareData(dataDir);
    await server.start();
    browser = await launchBrowser();
  } catch (error) {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    browser,
    dataDir,
    /** Opens the native page (or `path`) and waits for the first rows. */
    async openBoard(page, path = '/') {
      await page.goto(`${server.origin}${path}`);
      await waitForAnyRows(page);
    },
    async teardown() {
      await browser.close().catch(() => {});
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts one suite for the calling test file (before its tests) and tears it down after
 * them. The returned object is filled in by then: `suite.server`, `suite.openBoard`, ...
 */
export function useSuite(options) {
  const suite = {};
  before(async () => {
    Object.assign(suite, await startSuite(options));
  });
  after(async () => {
    await suite.teardown?.();
  });
  return suite;
}

/** Headless Debian Chromium with a fresh, empty profile (playwright makes a temp one). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Runs `body(page, context)` in a fresh browser context (en-US, so numbers format as
 * `3,000`). Uncaught page errors and Rust panics fail the test; on failure a screenshot is
 * saved next to the other artifacts. The context is always closed.
 */
export async function withPage(t, browser, options, body) {
  const { colorScheme = 'light', viewport = { width: 1280, height: 900 }, ...rest } = options;
  const context = await browser.newContext({
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme,
    viewport,
    reducedMotion: 'reduce',
    ...rest,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (/panicked at|RuntimeError: unreachable/.test(text)) pageErrors.push(`console: ${text}`);
  });
  let failed = true;
  const name = t.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  const failureShot = join(ARTIFACTS, 'failures', `${name}.png`);
  try {
    await body(page, context);
    failed = false;
  } finally {
    if (failed || pageErrors.length > 0) {
      mkdirSync(join(ARTIFACTS, 'failures'), { recursive: true });
      await page.screenshot({ path: failureShot, fullPage: true }).catch(() => {});
    } else {
      rmSync(failureShot, { force: true }); // a stale shot from an earlier failed run
    }
    await context.close().catch(() => {});
  }
  if (pageErrors.length > 0) {
    throw new Error(`the page reported errors:\n${pageErrors.join('\n')}`);
  }
}

// ---------------------------------------------------------------------------------------
// Waiting for conditions.

/**
 * Polls `read()` until `accept(value)` holds, then returns the value. On timeout the error
 * shows the last value read, so a failure says what the widget showed instead.
 */
export async function waitUntil(read, accept, { what, timeout = WAIT_MS, interval = 40 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await read();
      lastError = undefined;
      if (await accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const shown = lastError ? `error: ${lastError.message}` : JSON.stringify(last, null, 1);
      throw new Error(`timed out after ${timeout} ms waiting for ${what ?? 'a condition'}; last seen: ${shown}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Resolves after the page has rendered two more frames (lets a just-delivered response land). */
export async function nextFrames(page, frames = 2) {
  await page.evaluate(
    (count) =>
      new Promise((done) => {
        const step = (left) => (left === 0 ? setTimeout(done, 0) : requestAnimationFrame(() => step(left - 1)));
        step(count);
      }),
    frames,
  );
}

// ---------------------------------------------------------------------------------------
// Reading the widget (selectors pierce the open shadow root).

export const format = (n) => new Intl.NumberFormat('en-US').format(n);

/** The rows the table shows, as plain data. `scope` is a page or a widget host locator. */
export async function readRows(scope) {
  return scope.locator('tbody tr[data-entry-id]').evaluateAll((rows) =>
    rows.map((row) => {
      const text = (selector) => row.querySelector(selector)?.textContent.trim() ?? null;
      const nameButton = row.querySelector('td.player button.player-name');
      let player = null;
      if (nameButton?.querySelector('.name')) {
        player = nameButton.querySelector('.name').textContent.replace(/\s+/g, ' ').trim();
      } else if (nameButton) {
        // The button also holds the avatar (img) or its initials placeholder: read the name alone.
        const copy = nameButton.cloneNode(true);
        copy.querySelectorAll('img, .avatar-placeholder, [aria-hidden="true"]').forEach((n) => n.remove());
        player = copy.textContent.replace(/\s+/g, ' ').trim();
      }
      return {
        id: row.getAttribute('data-entry-id'),
        rank: text('td.rank'),
        player,
        mode: text('td.mode'),
        region: text('td.region'),
        score: text('td.score'),
        current: row.getAttribute('aria-current'),
      };
    }),
  );
}

/** What a correct widget shows for one API entry (en-US number formatting). */
export function expectedRow(entry) {
  return {
    id: entry.score.id,
    rank: String(entry.rank),
    player: entry.profile.userName,
    mode: entry.score.gameMode,
    region: entry.score.gameRegion,
    score: format(entry.score.score),
  };
}

/** Normalises a shown row for comparison: rank digits only (a "#1" prefix is styling). */
function comparableRow(row) {
  return {
    id: row.id,
    rank: row.rank === null ? null : row.rank.replace(/[^\d]/g, ''),
    player: row.player,
    mode: row.mode,
    region: row.region,
    score: row.score,
  };
}

/**
 * Waits until the table shows exactly the API response's entries, in order, with the right
 * rank, name, mode, region and formatted score; returns the rows shown.
 */
export async function waitForRowsOf(page, response, what = 'the API rows', { timeout = WAIT_MS } = {}) {
  const expected = response.scores.map(expectedRow);
  const wanted = JSON.stringify(expected);
  let lastShown = [];
  try {
    return await waitUntil(
      async () => {
        lastShown = await readRows(page);
        return lastShown;
      },
      (shown) => JSON.stringify(shown.map(comparableRow)) === wanted,
      { what, timeout },
    );
  } catch (error) {
    const shown = lastShown.map(comparableRow);
    const index = expected.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(shown[i]));
    const at = index === -1 ? expected.length : index;
    throw new Error(
      `timed out after ${timeout} ms waiting for ${what}: expected ${expected.length} rows, ` +
        `shown ${shown.length}; first difference at row ${at}:\n` +
        `  expected ${JSON.stringify(expected[at] ?? null)}\n  shown    ${JSON.stringify(shown[at] ?? null)}\n` +
        `  expected ids ${expected.map((r) => r.id).join(',')}\n  shown ids    ${shown.map((r) => r.id).join(',')}`,
    );
  }
}

/** Waits for the first real rows of the widget after a navigation. */
export async function waitForAnyRows(page) {
  await page.locator('tbody tr[data-entry-id]').first().waitFor({ state: 'visible' });
}

/** The page size the widget uses now, from its page-size control. */
export async function currentPageSize(page) {
  return Number(await page.locator('select[name="pageSize"]').inputValue());
}

/** The current page number from the pagination (`aria-current="page"`). */
export async function currentPage(page) {
  const value = await page.locator('nav.pagination button[aria-current="page"]').getAttribute('data-page');
  return Number(value);
}

/** Text of the range line, whitespace collapsed. */
export async function rangeText(page) {
  // `.range` belongs to the pagination block; it may sit beside `nav.pagination`, not inside.
  return (await page.locator('.range').textContent()).replace(/\s+/g, ' ').trim();
}

/** `Showing A–B of N` for a page, as the contract writes it. */
export function expectedRange(pageNumber, pageSize, total) {
  const first = (pageNumber - 1) * pageSize + 1;
  const last = Math.min(pageNumber * pageSize, total);
  return `Showing ${format(first)}–${format(last)} of ${format(total)}`;
}

/**
 * Describes the element focused inside the widget (following shadow roots), or null when
 * focus is outside it.
 */
export async function focusedInWidget(page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element && element.shadowRoot && element.shadowRoot.activeElement) {
      element = element.shadowRoot.activeElement;
    }
    if (!element || element === document.body) return null;
    const row = element.closest('tr[data-entry-id]');
    return {
      tag: element.tagName.toLowerCase(),
      className: element.getAttribute('class') ?? '',
      text: element.textContent.trim().slice(0, 80),
      entryId: row ? row.getAttribute('data-entry-id') : null,
      inDialog: Boolean(element.closest('[role="dialog"]')),
    };
  });
}

/** Collects the widget's requests to the leaderboard endpoint (not /meta) as URL objects. */
export function recordLeaderboardRequests(page) {
  const requests = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === LEADERBOARD_PATH) requests.push(url);
  });
  return requests;
}

/** Counts of each achievement, in first-seen order: what the dialog must list. */
export function achievementCounts(achievements) {
  const counts = new Map();
  for (const name of achievements) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/**
 * Holds the widget's leaderboard requests that match `shouldHold(url)` until the test lets
 * them go; the others pass untouched. `next()` resolves with the next held request, as
 * `{ url, request, release() }`; `release()` lets it reach the real function and resolves
 * once the browser has received the whole answer (or dropped the request).
 */
export async function holdLeaderboardRequests(page, shouldHold) {
  const held = [];
  const waiters = [];
  await page.route(
    (url) => url.pathname === LEADERBOARD_PATH,
    async (route) => {
      const url = new URL(route.request().url());
      if (!shouldHold(url)) {
        await route.continue().catch(() => {});
        return;
      }
      const request = route.request();
      // Listen from the moment of interception: the page may abort the request while held.
      let settle;
      const settled = new Promise((resolveSettled) => {
        settle = resolveSettled;
      });
      const finish = (r) => {
        if (r !== request) return;
        page.off('requestfinished', finish);
        page.off('requestfailed', finish);
        settle();
      };
      page.on('requestfinished', finish);
      page.on('requestfailed', finish);
      const entry = {
        url,
        request,
        async release() {
          try {
            await route.continue();
          } catch {
            return; // the page dropped (aborted) the request: nothing will arrive
          }
          await Promise.race([
            settled,
            new Promise((_, rejectLate) =>
              setTimeout(() => rejectLate(new Error(`held request ${url} never finished after release`)), WAIT_MS).unref(),
            ),
          ]);
        },
      };
      const waiter = waiters.shift();
      if (waiter) waiter(entry);
      else held.push(entry);
    },
  );
  return {
    next() {
      const ready = held.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolveNext, rejectNext) => {
        const timer = setTimeout(() => rejectNext(new Error('no request was held in time')), WAIT_MS);
        waiters.push((entry) => {
          clearTimeout(timer);
          resolveNext(entry);
        });
      });
    },
  };
}

/**
 * Serves the native page (dist/index.html, fetched from the function) with the widget
 * element's `data-*` options changed, as another site or a signed-in page would set them:
 * `{ 'data-theme': 'auto', 'data-player': '42' }`. Only the page at `/` is rewritten.
 */
export async function serveNativePageWith(page, attributes) {
  await page.route(
    (url) => url.pathname === '/' || url.pathname === '/index.html',
    async (route) => {
      if (route.request().resourceType() !== 'document') {
        await route.continue();
        return;
      }
      const response = await route.fetch();
      const body = withWidgetAttributes(await response.text(), attributes);
      await route.fulfill({ response, body });
    },
  );
}

/** The native page's HTML with `attributes` set on its widget element. */
export function withWidgetAttributes(html, attributes) {
  return html.replace(/<[a-z][^>]*\sdata-space-leaderboard(?=[\s>=])[^>]*>/i, (tag) => {
    let changed = tag;
    for (const [name, value] of Object.entries(attributes)) {
      const escaped = String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      // Quoted or not: the release build's page is minified (`data-theme=dark`).
      const existing = new RegExp(`\\s${name}(?:=(?:"[^"]*"|'[^']*'|[^\\s"'>]+))?(?=[\\s/>])`);
      changed = existing.test(changed)
        ? changed.replace(existing, ` ${name}="${escaped}"`)
        : changed.replace(/\s*(\/?)>$/, ` ${name}="${escaped}"$1>`);
    }
    return changed;
  });
}

// ---------------------------------------------------------------------------------------
// Layout stability.

/**
 * Collects the page's layout-shift entries from its very start (call before `goto`): a
 * PerformanceObserver installed ahead of every script of the page, buffered.
 */
export async function collectLayoutShifts(page) {
  await page.addInitScript(() => {
    window.__layoutShifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue; // shifts right after input don't count
        window.__layoutShifts.push({
          value: entry.value,
          at: Math.round(entry.startTime),
          sources: (entry.sources || []).map((source) => ({
            node: source.node ? source.node.nodeName + (source.node.id ? `#${source.node.id}` : '') + (source.node.className && typeof source.node.className === 'string' ? `.${source.node.className.split(' ').join('.')}` : '') : null,
            from: [source.previousRect.y, source.previousRect.height],
            to: [source.currentRect.y, source.currentRect.height],
          })),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The sum of the layout-shift entries so far (after two frames, so late entries land). */
export async function layoutShiftTotal(page) {
  await nextFrames(page, 3);
  const entries = await page.evaluate(() => window.__layoutShifts);
  const total = entries.reduce((sum, entry) => sum + entry.value, 0);
  return { total, entries };
}
