/*! space-leaderboard loader: a classic script (document.currentScript is null in modules).
 * <script async src=".../space-leaderboard.js" data-endpoint="..."></script> renders a widget
 * right after the tag; every [data-space-leaderboard] element and <space-leaderboard> becomes a
 * widget; window.SpaceLeaderboard.mount(element, options) is the JS API. The ESM entry, glue
 * and wasm are found next to this file (any CDN path, any origin: they need CORS), loaded
 * once per page however many widgets and loader tags there are. */
(function () {
  'use strict';
  var script = document.currentScript;
  // Options a script tag may carry; any of them (or data-space-leaderboard) asks for a widget.
  var OPTIONS = ['endpoint', 'mode', 'region', 'lock-mode', 'lock-region', 'page-size', 'sort',
    'order', 'theme', 'locale', 'title', 'show-filters', 'show-search', 'compact', 'refresh',
    'sync-url', 'player'];

  /** A widget host right after the script tag, with the tag's data-* options. */
  function placeAfter(tag) {
    if (!tag || !tag.parentNode) return;
    var names = tag.getAttributeNames().filter(function (name) { return name.slice(0, 5) === 'data-'; });
    var wanted = names.some(function (name) {
      return name === 'data-space-leaderboard' || OPTIONS.indexOf(name.slice(5)) >= 0;
    });
    if (!wanted) return;
    var host = document.createElement('div');
    names.forEach(function (name) { host.setAttribute(name, tag.getAttribute(name)); });
    host.setAttribute('data-space-leaderboard', '');
    tag.removeAttribute('data-space-leaderboard'); // the tag itself is no widget host
    if (!tag.closest('head')) {
      tag.parentNode.insertBefore(host, tag.nextSibling);
    } else if (document.body) {
      document.body.insertBefore(host, document.body.firstChild); // a <head> tag: top of the page
    } else {
      document.addEventListener('DOMContentLoaded', function () {
        document.body.insertBefore(host, document.body.firstChild);
        api.mountAll().catch(function () {});
      });
    }
  }

  /** A <link> hint in <head> (once per href): the browser starts on it at once. */
  function hint(rel, href) {
    var head = document.head || document.documentElement;
    var exists = Array.prototype.some.call(document.querySelectorAll('link[rel="' + rel + '"]'),
      function (link) { return link.href === href; });
    if (exists || !head) return;
    var link = document.createElement('link');
    link.rel = rel;
    link.href = href;
    // fetch() and import() ask without credentials across origins: warm that connection.
    if (rel === 'preconnect') link.crossOrigin = 'anonymous';
    head.appendChild(link);
  }

  /** Connects early to every other origin the widgets on the page will ask for data. */
  function preconnectEndpoints(tag) {
    var endpoints = [tag && tag.getAttribute('data-endpoint')];
    Array.prototype.forEach.call(
      document.querySelectorAll('[data-space-leaderboard][data-endpoint], space-leaderboard[endpoint]'),
      function (host) { endpoints.push(host.getAttribute('data-endpoint') || host.getAttribute('endpoint')); });
    endpoints.forEach(function (endpoint) {
      if (!endpoint) return;
      try {
        var origin = new URL(endpoint, document.baseURI).origin;
        if (origin !== location.origin && /^https?:/.test(origin)) hint('preconnect', origin);
      } catch (e) {
        // not a URL: the widget says so when it mounts
      }
    });
  }

  var api = window.SpaceLeaderboard;
  if (!api) {
    var base = new URL('.', (script && script.src) || document.baseURI).href;
    // Start fetching the wasm now, beside the module imports (saves a round trip), and the
    // JS glue that index.js imports (otherwise only found once index.js has been parsed).
    var wasm = fetch(base + 'space-leaderboard-core_bg.wasm');
    wasm.catch(function () {}); // reported through `ready` below
    hint('modulepreload', base + 'space-leaderboard-core.js');
    var ready = import(base + 'index.js').then(function (entry) {
      return entry.load(wasm).then(function () {
        entry.defineElement();
        return entry;
      });
    });
    var failed = function (host) {
      if (host.shadowRoot || !host.attachShadow) return;
      var message = document.createElement('p');
      message.setAttribute('role', 'alert');
      message.setAttribute('part', 'load-error');
      message.textContent = 'Leaderboard not shown: the widget could not load.';
      host.attachShadow({ mode: 'open' }).appendChild(message);
    };
    /** Every widget host on the page says the embed could not load (hosts added later too). */
    var failedAll = function (error) {
      Array.prototype.forEach.call(
        document.querySelectorAll('[data-space-leaderboard], space-leaderboard'), failed);
      throw error;
    };
    ready.catch(function (error) {
      console.error('space-leaderboard: could not load the widget from ' + base + ': ' + error +
        ' (hosted on another origin, its files need Access-Control-Allow-Origin and the .wasm' +
        " Content-Type: application/wasm; a CSP needs script-src, connect-src and 'wasm-unsafe-eval')");
    });

    api = window.SpaceLeaderboard = {
      version: '__VERSION__', // replaced by the build with package.json's version
      /** Resolves to the ESM entry module (index.js) once the wasm is instantiated. */
      ready: ready,
      /** A handle usable at once: update/destroy wait for the wasm, run in order, return promises. */
      mount: function (host, options) {
        if (!(host instanceof Element)) {
          throw new TypeError('SpaceLeaderboard.mount(host, options) needs an element as host');
        }
        var inner = ready.then(function (entry) { return entry.mount(host, options); });
        var settled = null;
        var outer = {
          host: host,
          update: function (changes) { return inner.then(function (h) { return h.update(changes); }); },
          destroy: function () { return inner.then(function (h) { return h.destroy(); }); }
        };
        Object.defineProperty(outer, 'error', {
          get: function () { return settled ? settled.error : undefined; }
        });
        outer.ready = inner.then(function (h) { settled = h; return h.ready; })
          .then(function () { return outer; });
        outer.ready.catch(function () { if (!settled) failed(host); });
        return outer;
      },
      /** Mounts [data-space-leaderboard] elements not mounted yet (ones added later are mounted
       * on their own: the page is watched once the wasm has loaded). */
      mountAll: function () { return ready.then(function (entry) { return entry.mountAll(); }, failedAll); },
      /** Defines the custom element under another name too. */
      defineElement: function (name) { return ready.then(function (entry) { return entry.defineElement(name); }); }
    };
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { api.mountAll().catch(function () {}); });
    }
  }
  placeAfter(script);
  preconnectEndpoints(script);
  // The first mountAll also starts watching the page: [data-space-leaderboard] elements
  // added later are mounted, and removed ones destroyed (src/mount.rs).
  api.mountAll().catch(function () {});
})();
