// Shared pieces of the embed tests: the real function on generated data, and two static
// servers on other loopback ports, so every page is cross-origin to its data and to its embed:
//
//   pages  http://127.0.0.1:A/examples/*.html   www/examples, as a site hosting the widget
//   cdn    http://127.0.0.1:B/npm/space-leaderboard@0.1.0/   www/dist, as a CDN sends it
//                                                (CORS, application/wasm)
//   function http://127.0.0.1:C/api/LeaderboardFunction
//
// The example pages point at `../dist/` and at a function on `http://127.0.0.1:8080` (the
// demo's); the pages server rewrites those to the CDN and to the test's function, and adds
// the CDN to a page CSP's script-src and connect-src. The function process, data generation, the browser and
// `withPage` come from the e2e harness (tests/e2e/harness.mjs).

import { createServer } from 'node:http';
import { after, before } from 'node:test';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import {
  FunctionServer,
  readRows,
  REPO,
  TEST_OPTIONS,
  WAIT_MS,
  collectLayoutShifts,
  expectedRow,
  generateData,
  launchBrowser,
  layoutShiftTotal,
  waitUntil,
  withPage,
} from '../e2e/harness.mjs';

export { REPO, TEST_OPTIONS, WAIT_MS, collectLayoutShifts, layoutShiftTotal, waitUntil, withPage };

export const WWW = join(REPO, 'www');
export const EMBED_DIST = process.env.EMBED_DIST || join(WWW, 'dist');
/** Where the CDN serves the embed: a deep, versioned path, as unpkg/jsDelivr do. */
export const CDN_PATH = '/npm/space-leaderboard@0.1.0/';
/** The function origin and embed path the example pages are written with. */
const DEMO_FUNCTION_ORIGIN = 'http://127.0.0.1:8080';
const PAGE_EMBED_PATH = '../dist/';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * A static file server on a free loopback port. `prefix` is the URL path the root is
 * served under; `cors` adds the headers a CDN sends; `rewrite(text, path)` may change
 * HTML files. Every request is recorded (`requests`, `count(suffix)`).
 */
export class StaticServer {
  constructor({ root, prefix = '/', cors = false, rewrite = null }) {
    this.root = resolve(root);
    this.prefix = prefix;
    this.cors = cors;
    this.rewrite = rewrite;
    this.requests = [];
    this.server = null;
    this.port = 0;
  }

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  url(path = '') {
    return `${this.origin}${this.prefix}${path}`;
  }

  /** Requests whose path ends with `suffix` (query strings ignored). */
  count(suffix) {
    return this.requests.filter((path) => path.endsWith(suffix)).length;
  }

  async start() {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise((resolveListen, rejectListen) => {
      this.server.once('error', rejectListen);
      this.server.listen(0, '127.0.0.1', resolveListen);
    });
    this.port = this.server.address().port;
    return this;
  }

  handle(request, response) {
    const url = new URL(request.url, this.origin);
    this.requests.push(url.pathname);
    const headers = { 'Cache-Control': 'no-cache' };
    if (this.cors) {
      Object.assign(headers, {
        'Access-Control-Allow-Origin': '*',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        Vary: 'Origin',
      });
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...headers, 'Access-Control-Allow-Methods': 'GET, HEAD' });
      response.end();
      return;
    }
    let path = null;
    if (url.pathname.startsWith(this.prefix)) {
      let relative;
      try {
        relative = decodeURIComponent(url.pathname.slice(this.prefix.length));
      } catch {
        relative = null;
      }
      if (relative !== null) {
        const candidate = normalize(join(this.root, relative));
        if (candidate === this.root || candidate.startsWith(this.root + sep)) path = candidate;
      }
    }
    if (path && existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!path || !existsSync(path) || !statSync(path).isFile()) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      response.end('not found');
      return;
    }
    const type = CONTENT_TYPES[extname(path)] || 'application/octet-stream';
    headers['Content-Type'] = type;
    if (this.rewrite && extname(path) === '.html') {
      const body = this.rewrite(readFileSync(path, 'utf8'), url);
      response.writeHead(200, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Length': statSync(path).size });
    if (request.method === 'HEAD') response.end();
    else createReadStream(path).pipe(response);
  }

  async stop() {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
    this.server = null;
  }
}

/**
 * Rewrites an example page for the test origins (see the top of this file). Negative tests:
 * `?csp-without=wasm-unsafe-eval` drops that source from the page's CSP, and
 * `?csp-connect=function-only` leaves the embed's origin out of its connect-src (this is
 * done here because a page Playwright fulfils itself has no loopback address, and Chromium
 * then refuses its requests to loopback servers).
 */
export function examplePageRewriter({ functionOrigin, cdnOrigin, cdnBase }) {
  return (html, url) => {
    const dropped = url.searchParams.get('csp-without');
    const embedInConnectSrc = url.searchParams.get('csp-connect') !== 'function-only';
    return html
      .replaceAll(DEMO_FUNCTION_ORIGIN, functionOrigin)
      .replaceAll(PAGE_EMBED_PATH, cdnBase)
      .replace(/(<meta http-equiv="Content-Security-Policy" content=")([^"]*)"/i, (_, start, policy) => {
        // The embed's origin joins script-src and connect-src (the .wasm is fetched) only:
        // the widget needs nothing from style-src, so 'self' there stays the page's alone.
        let rewritten = policy
          .split(';')
          .map((directive) =>
            /^\s*script-src\s/.test(directive) || (embedInConnectSrc && /^\s*connect-src\s/.test(directive))
              ? directive.replaceAll("'self'", `'self' ${cdnOrigin}`)
              : directive,
          )
          .join(';');
        if (dropped) rewritten = rewritten.replaceAll(` '${dropped}'`, '');
        return `${start}${rewritten}"`;
      });
  };
}

function requirePrerequisites() {
  const missing = ['space-leaderboard.js', 'index.js', 'space-leaderboard-core.js', 'space-leaderboard-core_bg.wasm']
    .filter((file) => !existsSync(join(EMBED_DIST, file)));
  if (missing.length > 0) {
    throw new Error(`the embed is not built (${missing.join(', ')} missing in ${EMBED_DIST}): npm run build in www/`);
  }
}

/**
 * The per-file fixture: generated data, the function, the CDN and the pages server, one
 * browser. `teardown()` stops everything.
 */
/** Starts one embed suite for the calling test file, torn down after its tests. */
export function useEmbedSuite() {
  const suite = {};
  before(async () => {
    Object.assign(suite, await startEmbedSuite());
  });
  after(async () => {
    await suite.teardown?.();
  });
  return suite;
}

export async function startEmbedSuite() {
  requirePrerequisites();
  const dataDir = await generateData();
  // --static-dir is required by the e2e FunctionServer; the function serves nothing the tests use.
  const fn = new FunctionServer(dataDir, { staticDir: join(WWW, 'examples') });
  const cdn = new StaticServer({ root: EMBED_DIST, prefix: CDN_PATH, cors: true });
  let pages;
  let browser;
  try {
    await fn.start();
    await cdn.start();
    pages = new StaticServer({
      root: WWW,
      rewrite: examplePageRewriter({
        functionOrigin: fn.origin,
        cdnOrigin: cdn.origin,
        cdnBase: cdn.url(),
      }),
    });
    await pages.start();
    browser = await launchBrowser();
  } catch (error) {
    await Promise.allSettled([fn.stop(), cdn.stop(), pages?.stop()]);
    throw error;
  }
  return {
    fn,
    cdn,
    pages,
    browser,
    endpoint: `${fn.origin}/api/LeaderboardFunction`,
    page: (name) => `${pages.origin}/examples/${name}`,
    async teardown() {
      await browser.close().catch(() => {});
      await Promise.allSettled([fn.stop(), cdn.stop(), pages.stop()]);
    },
  };
}

// ---------------------------------------------------------------------------------------
// Reading one widget (a Playwright locator of its host; selectors pierce its shadow root).

/** The rows one widget shows, as plain data comparable with `expectedRow`. */
export async function rowsIn(host) {
  const rows = await readRows(host);
  return rows.map(({ current: _current, ...row }) => ({
    ...row,
    rank: (row.rank ?? '').replace(/[^\d]/g, ''),
  }));
}

/** Waits until the widget in `host` shows exactly the API response's rows, in order. */
export async function waitForRowsIn(host, response, what) {
  const wanted = JSON.stringify(response.scores.map(expectedRow));
  return waitUntil(
    () => rowsIn(host),
    (shown) => shown.length > 0 && JSON.stringify(shown) === wanted,
    { what: `${what}: ${response.scores.length} rows ${response.scores.map((e) => e.score.id).join(',')}` },
  );
}

/**
 * The API query a widget's options ask for (lockMode="Solo" filters like mode="Solo",
 * lockPeriod="week" like period="week"), from option values as attributes carry them.
 */
export function apiQueryFor(options) {
  const isFlag = (value) => value === undefined || ['', 'true', 'false'].includes(value);
  const mode = isFlag(options.lockMode) ? options.mode : options.lockMode;
  const region = isFlag(options.lockRegion) ? options.region : options.lockRegion;
  const period = isFlag(options.lockPeriod) ? options.period : options.lockPeriod;
  return {
    mode,
    region,
    pageSize: options.pageSize ?? 10,
    sort: options.sort,
    order: options.order,
    period,
    view: options.view,
  };
}

/** `data-page-size` → `pageSize` for every data-* attribute of an element. */
export async function dataOptionsOf(host) {
  return host.evaluate((element) =>
    Object.fromEntries(
      element
        .getAttributeNames()
        .filter((name) => name.startsWith('data-') && name !== 'data-space-leaderboard')
        .map((name) => [
          name.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase()),
          element.getAttribute(name),
        ]),
    ),
  );
}

/**
 * What is left of a widget in a host: shadow nodes, adopted sheets, and the page's live
 * widget count. The host is `window[keptName]` when given (a test keeps a detached host
 * there), else `document.querySelector(selector)`.
 */
export function leftovers(page, selector, keptName = null) {
  return page.evaluate(async ([hostSelector, kept]) => {
    const host = (kept && window[kept]) ?? document.querySelector(hostSelector);
    const entry = await window.SpaceLeaderboard.ready;
    return {
      shadowNodes: host?.shadowRoot?.childNodes.length ?? 0,
      adoptedSheets: host?.shadowRoot?.adoptedStyleSheets.length ?? 0,
      live: entry.mountedCount(),
    };
  }, [selector, keptName]);
}

/** Collects requests the page makes whose URL path ends with `suffix`. */
export function recordRequests(page, suffix) {
  const seen = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith(suffix)) seen.push(url);
  });
  return seen;
}
