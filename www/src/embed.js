// The embed's one implementation, bundled into both entries by the build (scripts/build.mjs):
// the ESM entry (index.js) and the classic loader (loader.js). An entry only says where the
// wasm-bindgen glue and the wasm are (`locate`).
//
// What it owns: loading the wasm once per page, the handle `mount` returns (usable at once;
// its calls wait for the wasm and run in call order per host element), the message a host
// shows when the wasm cannot load, and the `<space-leaderboard>` custom element. Finding
// `[data-space-leaderboard]` hosts (auto-mount) is the wasm's own job (src/mount.rs): it
// starts when the wasm is instantiated.

import { OPTION_NAMES } from './options.js';
import { prefetchFirstPage, prefetchLanguage } from './prefetch.js';
import { reserveHeight } from './reserve.js';

export { OPTION_NAMES, reserveHeight };

export const kebabCase = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camelCase = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/** The attribute that marks an element for auto-mounting (src/mount.rs). */
const AUTO_MOUNT_SELECTOR = '[data-space-leaderboard]';

let importGlue = null;
let defaultWasm = null;
let glueBase = null;
let glue = null;
let loading = null;

/**
 * Where the glue and the wasm are: `importGlue()` resolves to the wasm-bindgen glue module,
 * `wasm()` gives the default source of the wasm, `base` is the glue's folder (the language
 * files are in its `i18n/`). Set once by the entry.
 */
export function locate(importGlueModule, wasm, base) {
  importGlue = importGlueModule;
  defaultWasm = wasm;
  glueBase = base;
}

/** Starts what a widget in `host` with `options` asks for first: its first page and its
 * language's file, while the wasm loads (www/src/prefetch.js). */
export function prefetch(host, options) {
  prefetchFirstPage(options);
  prefetchLanguage(host, options, glueBase);
}

/** Runs `then` once the document has been parsed. */
function whenParsed(then) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', then);
  else then();
}

/**
 * Loads and instantiates the wasm once (later calls return the same promise). `wasm` is where
 * to find it (a URL, a fetch Response or its promise, bytes or a compiled module); by default
 * the `.wasm` file beside the glue. Instantiating starts auto-mount (src/mount.rs). If it
 * fails, every `[data-space-leaderboard]` host on the page says so.
 */
export function load(wasm) {
  if (!loading) {
    loading = importGlue()
      .then((module) =>
        module.default({ module_or_path: wasm ?? defaultWasm() }).then(() => {
          glue = module;
        }),
      )
      .catch((error) => {
        console.error(
          `space-leaderboard: could not load the widget (${error}). Hosted on another origin, its ` +
            "files need Access-Control-Allow-Origin and the .wasm Content-Type: application/wasm; " +
            "a CSP needs script-src, connect-src and 'wasm-unsafe-eval'.",
        );
        whenParsed(() => document.querySelectorAll(AUTO_MOUNT_SELECTOR).forEach((host) => showLoadFailure(host, error)));
        throw error;
      });
  }
  return loading;
}

/**
 * Says in `host`'s shadow root (where page CSS cannot hide it) that the widget could not
 * load. Returns the message, or null when the host shows one already or cannot hold it.
 */
function showLoadFailure(host, error) {
  try {
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    if (root.querySelector('[part="load-error"]')) return null;
    const message = host.ownerDocument.createElement('p');
    message.setAttribute('role', 'alert');
    message.setAttribute('part', 'load-error');
    message.textContent = `Leaderboard not shown: the widget could not load (${error.message ?? error}).`;
    root.append(message);
    return message;
  } catch {
    return null; // a host that cannot hold a shadow root: the rejection says why
  }
}

/**
 * Mounts every `[data-space-leaderboard]` element not mounted yet; resolves to how many. The
 * wasm does this by itself when it starts, and from then on watches the page.
 */
export function mountAll() {
  return load().then(() => glue.mountAll());
}

/** How many widgets are live on the page (0 before the wasm has loaded). */
export function mountedCount() {
  return glue ? glue.mountedCount() : 0;
}

/** The last queued operation per host element (always settled successfully). */
const hostQueues = new WeakMap();

/** Runs `step` after the wasm has loaded and after every earlier step for `host`. */
function enqueue(host, step) {
  const next = (hostQueues.get(host) ?? Promise.resolve()).then(() => load()).then(step);
  hostQueues.set(host, next.then(() => undefined, () => undefined));
  return next;
}

/** What `mount` returns: the one handle of a widget. */
class LeaderboardHandle {
  #id = null;
  #destroyed = false;
  #failure = null;

  constructor(host, options) {
    this.host = host;
    reserveHeight(host, options ?? {});
    if (!glue) prefetch(host, options ?? {});
    /** Resolves to this handle once the widget is mounted (rejects if the wasm failed). */
    this.ready = enqueue(host, () => {
      if (!this.#destroyed) this.#id = glue.mount(host, options ?? {});
      return this;
    }).catch((error) => {
      if (!this.#destroyed && host.isConnected) this.#failure = showLoadFailure(host, error);
      throw error;
    });
    // Callers who only use update/destroy are told through those promises.
    this.ready.catch(() => {});
  }

  /** The message of the bad option the widget shows, if any (undefined until mounted). */
  get error() {
    return this.#id === null ? undefined : glue.widgetError(this.#id);
  }

  /** True once `destroy()` was called. */
  get destroyed() {
    return this.#destroyed;
  }

  /**
   * Merges new options over the current ones (`null` removes one). Resolves when applied;
   * a bad value rejects with its message, which the widget also shows.
   */
  update(options) {
    return enqueue(this.host, () => {
      if (this.#destroyed || this.#id === null) throw new Error('this leaderboard widget was destroyed');
      glue.updateWidget(this.#id, options ?? {});
    });
  }

  /**
   * Removes the widget and everything it added (nodes, stylesheet, listeners, timers,
   * requests in flight). Idempotent; resolves when done. The host's (empty) shadow root
   * stays: the DOM cannot remove one, and a later mount on the same host reuses it.
   */
  destroy() {
    this.#destroyed = true;
    return enqueue(this.host, () => {
      if (this.#id !== null) glue.destroyWidget(this.#id);
      this.#id = null;
    })
      .catch(() => {
        // the wasm never loaded: only the failure message is ours to remove
      })
      .finally(() => {
        this.#failure?.remove();
        this.#failure = null;
      });
  }
}

/**
 * Mounts a leaderboard in `host` (inside its open shadow root) with `options` (see
 * OPTION_NAMES / index.d.ts). Returns a handle at once; the wasm loads on first use.
 */
export function mount(host, options = {}) {
  if (!(host instanceof Element)) {
    throw new TypeError('space-leaderboard: mount(host, options) needs an element as host');
  }
  return new LeaderboardHandle(host, options);
}

/** Options from an element's attributes: `page-size="25"` or `data-page-size="25"`. */
export function optionsFromAttributes(element) {
  const options = {};
  for (const attribute of element.getAttributeNames()) {
    const name = camelCase(attribute.replace(/^data-/, ''));
    if (OPTION_NAMES.includes(name)) options[name] = element.getAttribute(attribute);
  }
  return options;
}

/**
 * Defines the `<space-leaderboard>` custom element (or `name`): its attributes are the
 * options (kebab-case: `page-size`, `lock-mode`); changing one updates the widget; removing
 * the element destroys it. Safe to call more than once.
 */
export function defineElement(name = 'space-leaderboard') {
  const existing = customElements.get(name);
  if (existing) return existing;

  class SpaceLeaderboardElement extends HTMLElement {
    static observedAttributes = OPTION_NAMES.map(kebabCase);

    #handle = null;

    /** The element's widget handle while connected. */
    get handle() {
      return this.#handle;
    }

    connectedCallback() {
      if (!this.#handle) this.#handle = mount(this, optionsFromAttributes(this));
    }

    attributeChangedCallback(attribute, previous, value) {
      if (!this.#handle || previous === value) return;
      // A bad value is shown inside the widget; nothing to throw to the page.
      this.#handle.update({ [camelCase(attribute)]: value }).catch(() => {});
    }

    disconnectedCallback() {
      const handle = this.#handle;
      this.#handle = null;
      handle?.destroy();
    }
  }

  customElements.define(name, SpaceLeaderboardElement);
  return SpaceLeaderboardElement;
}
