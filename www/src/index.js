// space-leaderboard: the ESM entry (npm, bundlers, and what the classic loader imports).
//
// The wasm is loaded and instantiated once per page, on the first `mount` (or `load`).
// `mount` returns a handle at once; its `update`/`destroy` calls are queued until the wasm
// is ready and return promises. All calls for one host element run in call order, so a
// destroy followed by a new mount on the same element (a moved custom element) never races.

import init, {
  mount as mountNow,
  mountAll as mountAllNow,
  mountedCount as mountedCountNow,
} from './space-leaderboard-core.js';

/** Every option of the widget (src/options.rs), camelCase; attributes use kebab-case. */
export const OPTION_NAMES = Object.freeze([
  'endpoint',
  'mode',
  'region',
  'lockMode',
  'lockRegion',
  'pageSize',
  'sort',
  'order',
  'theme',
  'locale',
  'title',
  'showFilters',
  'showSearch',
  'compact',
  'refresh',
  'syncUrl',
  'player',
]);

const kebabCase = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camelCase = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

let loading = null;
let loaded = false;

/**
 * Loads and instantiates the wasm once (later calls return the same promise). `wasm` is
 * where to find it (a URL, a fetch Response or its promise, bytes or a compiled module);
 * by default the `.wasm` file next to this module. Instantiating also auto-mounts every
 * `[data-space-leaderboard]` element already on the page.
 */
export function load(wasm) {
  if (!loading) {
    // A literal `new URL(..., import.meta.url)` so bundlers (Vite, webpack) emit the asset.
    const source = wasm ?? new URL('./space-leaderboard-core_bg.wasm', import.meta.url);
    loading = init({ module_or_path: source }).then(() => {
      loaded = true;
    });
  }
  return loading;
}

/**
 * Mounts every `[data-space-leaderboard]` element not mounted yet; resolves to how many. The
 * first call (the wasm's start makes one) also watches the page: such elements added later
 * are mounted, and an auto-mounted one removed from the page is destroyed.
 */
export function mountAll() {
  return load().then(() => mountAllNow());
}

/** How many widgets are live on the page (0 before the wasm has loaded). */
export function mountedCount() {
  return loaded ? mountedCountNow() : 0;
}

/** The last queued operation per host element (always settled successfully). */
const hostQueues = new WeakMap();

function enqueue(host, step) {
  const previous = hostQueues.get(host) ?? Promise.resolve();
  const next = previous.then(() => load()).then(step);
  hostQueues.set(
    host,
    next.then(
      () => undefined,
      () => undefined,
    ),
  );
  return next;
}

/** The widget throws strings (its option messages); hand callers real errors. */
function asError(thrown) {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/** Shows why the wasm could not load, inside the host's shadow root (page CSS cannot hide it). */
function showLoadFailure(host, error) {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const message = host.ownerDocument.createElement('p');
  message.setAttribute('role', 'alert');
  message.setAttribute('part', 'load-error');
  message.textContent = `Leaderboard not shown: the widget could not load (${error.message}).`;
  root.append(message);
  return message;
}

/** What `mount` returns. */
class LeaderboardHandle {
  #widget = null;
  #destroyed = false;
  #failure = null;

  constructor(host, options) {
    this.host = host;
    /** Resolves to this handle once the widget is mounted (rejects if the wasm failed). */
    this.ready = enqueue(host, () => {
      if (!this.#destroyed) this.#widget = mountNow(host, options ?? {});
      return this;
    }).catch((thrown) => {
      const error = asError(thrown);
      if (!this.#destroyed && host.isConnected) {
        try {
          this.#failure = showLoadFailure(host, error);
        } catch {
          // a host that cannot hold a shadow root: the rejection says why
        }
      }
      throw error;
    });
    // Callers who only use update/destroy are told through those promises.
    this.ready.catch(() => {});
  }

  /** The message of the bad option the widget shows, if any (undefined until mounted). */
  get error() {
    return this.#widget?.error ?? undefined;
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
      if (this.#destroyed || !this.#widget) {
        throw new Error('this leaderboard widget was destroyed');
      }
      try {
        this.#widget.update(options ?? {});
      } catch (thrown) {
        throw asError(thrown);
      }
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
      const widget = this.#widget;
      this.#widget = null;
      if (widget) {
        widget.destroy();
        widget.free();
      }
    }).catch(() => {
      // the wasm never loaded: only the failure message is ours to remove
    }).finally(() => {
      this.#failure?.remove();
      this.#failure = null;
    });
  }
}

/**
 * Mounts a leaderboard in `host` (inside its open shadow root) with `options`
 * (see OPTION_NAMES / index.d.ts). Returns a handle at once; the wasm loads on first use.
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
