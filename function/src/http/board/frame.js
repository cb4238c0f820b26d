// The board page's one script (inline, allowed by its hash in the page's CSP). In a frame it
// tells the parent its content height, and takes new options from the parent:
//   frame -> parent  {type: "space-leaderboard:resize", height}   (CSS pixels, on every change)
//   parent -> frame  {type: "space-leaderboard:options", options}  (option name -> value or null)
//   parent -> frame  {type: "space-leaderboard:measure"}  (report the height again: a parent
//                    that started listening after the frame's first report)
// Messages not from window.parent, or not of that shape, are ignored. Sandboxed frames (an
// opaque origin) work the same: nothing here uses storage, and a failing postMessage only
// means the parent keeps its own height.
(() => {
  const parent = window.parent;
  if (!parent || parent === window) return;
  const root = document.documentElement;
  let shown = -1;
  const report = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === shown) return;
    shown = height;
    try {
      parent.postMessage({ type: 'space-leaderboard:resize', height }, '*');
    } catch {
      // the parent cannot be told: it keeps the frame's height
    }
  };
  if (typeof ResizeObserver === 'function') new ResizeObserver(report).observe(root);
  addEventListener('load', report);
  report();

  const NAME = /^[A-Za-z][A-Za-z-]{0,31}$/;
  addEventListener('message', (event) => {
    if (event.source !== parent) return;
    const data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.type === 'space-leaderboard:measure') {
      shown = -1;
      report();
      return;
    }
    if (data.type !== 'space-leaderboard:options') return;
    const options = data.options;
    if (!options || typeof options !== 'object' || Array.isArray(options)) return;
    const entries = Object.entries(options);
    if (entries.length > 32) return;
    const url = new URL(location.href);
    for (const [name, value] of entries) {
      if (!NAME.test(name)) return;
      if (value === null) {
        url.searchParams.delete(name);
      } else if (['string', 'number', 'boolean'].includes(typeof value) && String(value).length <= 2048) {
        url.searchParams.set(name, String(value));
      } else {
        return;
      }
    }
    // New options show their first page; the server validates the values.
    url.searchParams.delete('page');
    if (url.href !== location.href) location.replace(url.href);
  });
})();
