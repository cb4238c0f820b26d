/*! space-leaderboard loader: a classic script (document.currentScript is null in modules).
 * <script async src=".../space-leaderboard.js" data-endpoint="..."></script> renders a widget
 * right after the tag; every [data-space-leaderboard] element and <space-leaderboard> becomes a
 * widget; window.SpaceLeaderboard.mount(element, options) is the JS API. The glue and the wasm
 * are found next to this file (any CDN path, any origin: they need CORS), loaded once per page
 * however many widgets and loader tags there are. Iframes showing a board page (/api/board)
 * are sized to the height the page reports (frame-fit.js). */

// Bundled as one script by scripts/build.mjs, with embed.js (the implementation).
import { version } from '../package.json';
import {
  OPTION_NAMES,
  defineElement,
  kebabCase,
  load,
  locate,
  mount,
  mountAll,
  mountedCount,
  optionsFromAttributes,
  prefetch,
  reserveHeight,
} from './embed.js';
import { fitBoardFrames } from './frame-fit.js';
import { hint } from './prefetch.js';

const script = document.currentScript;
/** The options a script tag may carry as data-* attributes. */
const TAG_OPTIONS = OPTION_NAMES.map((name) => `data-${kebabCase(name)}`);

/** A widget host right after the script tag, with the tag's data-* options. */
function placeAfter(tag) {
  if (!tag || !tag.parentNode) return;
  const names = tag.getAttributeNames().filter((name) => name.startsWith('data-'));
  // Any option (or data-space-leaderboard) on the tag asks for a widget.
  if (!names.some((name) => name === 'data-space-leaderboard' || TAG_OPTIONS.includes(name))) return;
  const host = document.createElement('div');
  for (const name of names) host.setAttribute(name, tag.getAttribute(name));
  host.setAttribute('data-space-leaderboard', '');
  tag.removeAttribute('data-space-leaderboard'); // the tag itself is no widget host
  // The wasm finds the host (auto-mount, src/mount.rs), whenever it is added.
  if (!tag.closest('head')) {
    tag.parentNode.insertBefore(host, tag.nextSibling);
    // Inserted while the page is parsed (a script without `async`), the reservation is in
    // place before anything below is laid out: nothing moves (README, "No layout shift").
    reserveHeight(host, optionsFromAttributes(host));
  } else if (document.body) {
    document.body.insertBefore(host, document.body.firstChild); // a <head> tag: top of the page
  } else {
    document.addEventListener('DOMContentLoaded', () => document.body.insertBefore(host, document.body.firstChild));
  }
}

/** Connects early to every other origin the widgets on the page will ask for data. */
function preconnectEndpoints(tag) {
  const endpoints = [tag?.getAttribute('data-endpoint')];
  for (const host of document.querySelectorAll('[data-space-leaderboard][data-endpoint], space-leaderboard[endpoint]')) {
    endpoints.push(host.getAttribute('data-endpoint') || host.getAttribute('endpoint'));
  }
  for (const endpoint of endpoints) {
    if (!endpoint) continue;
    try {
      const origin = new URL(endpoint, document.baseURI).origin;
      if (origin !== location.origin && /^https?:/.test(origin)) hint('preconnect', origin);
    } catch {
      // not a URL: the widget says so when it mounts
    }
  }
}

if (!window.SpaceLeaderboard) {
  const base = new URL('.', script?.src || document.baseURI).href;
  const glueUrl = `${base}space-leaderboard-core.js`;
  // Fetch the wasm now, beside the glue (saves a round trip); `load` reports a failure.
  const wasm = fetch(`${base}space-leaderboard-core_bg.wasm`);
  wasm.catch(() => {});
  hint('modulepreload', glueUrl);
  locate(() => import(glueUrl), () => wasm, base);
  const api = {
    version,
    mount,
    mountAll,
    mountedCount,
    /** Defines the custom element under another name too. */
    defineElement: (name) => api.ready.then(() => defineElement(name)),
  };
  /** Resolves to this API once the wasm is instantiated. */
  api.ready = load(wasm).then(() => api);
  api.ready.catch(() => {}); // `load` reports a failure, on the console and in each host
  window.SpaceLeaderboard = api;
  defineElement();
}
placeAfter(script);
preconnectEndpoints(script);
// The first page and the language file of every widget host already on the page, asked for
// while the wasm loads.
for (const host of document.querySelectorAll('[data-space-leaderboard]')) {
  if (!host.shadowRoot) prefetch(host, optionsFromAttributes(host));
}
fitBoardFrames();
