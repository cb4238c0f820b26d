// The first page's request, started by the loader while the wasm downloads and compiles, and
// handed to the widget, which uses that answer instead of asking again (src/api.rs,
// `take_prefetched`). The hand-off is a Map on the global object keyed by the exact URL the
// widget would request; a URL built differently here is simply never taken, and the widget
// asks as usual: a guess costs one request, never a wrong board. The e2e tests count the
// requests, so a rule that drifts from the model's (LeaderboardQuery::to_query_string and
// api::leaderboard_url) fails them.

/** The global the wasm reads (src/api.rs: PREFETCHED). */
const PREFETCHED = '__spaceLeaderboardFirstPages';
const DEFAULT_ENDPOINT = '/api/LeaderboardFunction';
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 50;
/** Each sort key's default order (model: SortKey::default_order). */
const SORTS = { score: 'desc', player: 'asc', mode: 'asc', region: 'asc' };
/** Page-URL parameters a `syncUrl` widget reads first (src/hooks/url_sync.rs). */
const URL_KEYS = ['page', 'pageSize', 'mode', 'region', 'sort', 'order', 'q'];

const isFlag = (value) => value == null || value === true || value === false || ['', 'true', 'false'].includes(value);

/** The model's percent-encoding: every byte but A–Z a–z 0–9 - _ . ~ as %XX. */
function percentEncode(value) {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

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
  const query = [];
  if (size !== DEFAULT_PAGE_SIZE) query.push(`pageSize=${size}`);
  for (const key of ['mode', 'region']) {
    if (options[key] != null && options[key] !== '') query.push(`${key}=${percentEncode(String(options[key]))}`);
  }
  if (sort !== 'score') query.push(`sort=${sort}`);
  if (order !== SORTS[sort]) query.push(`order=${order}`);
  if (query.length === 0) return endpoint;
  return `${endpoint}${endpoint.includes('?') ? '&' : '?'}${query.join('&')}`;
}

/** Starts the first page's request for a widget with `options` (once per URL). */
export function prefetchFirstPage(options) {
  const url = firstPageUrl(options);
  if (!url || typeof fetch !== 'function') return;
  const pending = (globalThis[PREFETCHED] ??= new Map());
  if (pending.has(url)) return;
  // As the widget asks (src/api.rs get_text), with its 10 s timeout (REQUEST_TIMEOUT_MS).
  const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(10_000) : undefined;
  const response = fetch(url, { headers: { Accept: 'application/json' }, signal });
  response.catch(() => {}); // the widget reports a failure when it takes this answer
  pending.set(url, response);
}
