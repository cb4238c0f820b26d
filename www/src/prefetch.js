// The first page's request and the language file's, started by the loader while the wasm
// downloads and compiles. The first page: a
// `<link rel="preload" as="fetch" crossorigin>` for the exact URL the widget will ask for, so
// the browser answers the widget's own request with that response (same URL, CORS mode and
// credentials; what index.html does for the native page). A URL built differently here is
// simply never used, and the widget asks as usual: a wrong guess costs one request, never a
// wrong board. The e2e tests count the requests, so a rule that drifts from the model's
// (LeaderboardQuery::to_query_string, api::leaderboard_url) fails them.

import { widgetLanguage } from '../../src/i18n.js';

const DEFAULT_ENDPOINT = '/api/LeaderboardFunction';
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 50;
/** Each sort key's default order (model: SortKey::default_order). */
const SORTS = { score: 'desc', player: 'asc', mode: 'asc', region: 'asc' };
/** Page-URL parameters a `syncUrl` widget reads first (src/hooks/url_sync.rs). */
const URL_KEYS = ['page', 'pageSize', 'mode', 'region', 'sort', 'order', 'q', 'period', 'at', 'view'];
/** The periods and views (model: PeriodKind, View); the first of each is the default. */
const PERIODS = ['all', 'day', 'week', 'month'];
const VIEWS = ['scores', 'best'];

const isFlag = (value) => value == null || value === true || value === false || ['', 'true', 'false'].includes(value);

/** The model's percent-encoding: every byte but A–Z a–z 0–9 - _ . ~ as %XX. */
const percentEncode = (value) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The URL of the first page a widget with `options` asks for, or null when unsure. */
export function firstPageUrl(options) {
  const endpoint = String(options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  if (!endpoint || !isFlag(options.lockMode) || !isFlag(options.lockRegion)) return null;
  const syncUrl = options.syncUrl === true || options.syncUrl === '' || options.syncUrl === 'true';
  if (syncUrl) {
    const params = new URLSearchParams(location.search);
    if (URL_KEYS.some((key) => params.has(key))) return null;
  }
  const size = options.pageSize == null ? DEFAULT_PAGE_SIZE : Number(options.pageSize);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return null;
  const sort = options.sort ?? 'score';
  if (!Object.hasOwn(SORTS, sort)) return null;
  const order = options.order ?? SORTS[sort];
  if (order !== 'asc' && order !== 'desc') return null;
  // A named lockPeriod wins over `period` (src/options.rs); an empty value is the default.
  const period = String((isFlag(options.lockPeriod) ? options.period : options.lockPeriod) || 'all');
  const view = String(options.view || 'scores');
  if (!PERIODS.includes(period) || !VIEWS.includes(view)) return null;
  const query = [];
  if (size !== DEFAULT_PAGE_SIZE) query.push(`pageSize=${size}`);
  for (const key of ['mode', 'region']) {
    if (options[key] != null && options[key] !== '') query.push(`${key}=${percentEncode(String(options[key]))}`);
  }
  if (sort !== 'score') query.push(`sort=${sort}`);
  if (order !== SORTS[sort]) query.push(`order=${order}`);
  if (period !== PERIODS[0]) query.push(`period=${period}`);
  if (view !== VIEWS[0]) query.push(`view=${view}`);
  if (query.length === 0) return endpoint;
  return `${endpoint}${endpoint.includes('?') ? '&' : '?'}${query.join('&')}`;
}

/**
 * A `<link>` hint in <head> (once per rel and href): the browser starts on it at once.
 * fetch() asks without credentials across origins: preconnects and fetch preloads are
 * anonymous to match.
 */
export function hint(rel, href, as) {
  const head = document.head || document.documentElement;
  const exists = [...document.querySelectorAll(`link[rel="${rel}"]`)].some((link) => link.href === href);
  if (exists || !head) return;
  const link = document.createElement('link');
  link.rel = rel;
  if (as) link.as = as;
  if (rel === 'preconnect' || as === 'fetch') link.crossOrigin = 'anonymous';
  link.href = href;
  head.appendChild(link);
}

/** Preloads the first page of a widget with `options`. */
export function prefetchFirstPage(options) {
  try {
    const href = firstPageUrl(options);
    if (href) hint('preload', new URL(href, document.baseURI).href, 'fetch');
  } catch {
    // a value the widget will explain when it mounts (a lone surrogate, a bad URL)
  }
}

/**
 * Preloads the language file of a widget in `host` with `options` (the language the wasm
 * will pick, by src/i18n.js itself, among `LANGUAGE_LIST`: the languages with a file, which
 * www/scripts/build.mjs writes in as src/i18n.rs names them), beside the glue at
 * `base`; nothing for English, compiled into the wasm. The wasm's own fetch of the file
 * (src/i18n.js) takes this answer, as the first page's.
 */
export function prefetchLanguage(host, options, base) {
  const lang = widgetLanguage(options.lang, host, LANGUAGE_LIST);
  if (lang !== 'en') hint('preload', new URL(`i18n/${lang}.json`, base).href, 'fetch');
}
