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
  // theme=auto: the server renders dark; a reader who does not prefer dark gets the light
  // theme before the first paint (this script runs as the page is parsed), as the widget
  // itself decides it (src/components/app.rs).
  const board = document.getElementById('space-leaderboard-board');
  if (board?.dataset.theme === 'auto' && !matchMedia('(prefers-color-scheme: dark)').matches) {
    board.shadowRoot?.querySelector('.slb.theme-dark')?.classList.replace('theme-dark', 'theme-light');
  }

  const parent = window.parent;
  if (!parent || parent === window) return;
  const root = document.documentElement;
  const shadow = board?.shadowRoot;
  // The profile dialog is fixed to the frame's viewport, so it adds nothing to the page's
  // height: while it is open the frame asks for room for all of it (its content height, not
  // its box, which the viewport clips; so growing the frame cannot feed back into the size).
  const contentHeight = () => {
    let height = root.getBoundingClientRect().height;
    const dialog = shadow?.querySelector('.dialog');
    const backdrop = dialog?.parentElement;
    if (backdrop) {
      const around = getComputedStyle(backdrop);
      const border = dialog.offsetHeight - dialog.clientHeight;
      height = Math.max(
        height,
        dialog.scrollHeight + border + parseFloat(around.paddingTop) + parseFloat(around.paddingBottom),
      );
    }
    return Math.ceil(height);
  };
  let shown = -1;
  const report = () => {
    const height = contentHeight();
    if (height === shown) return;
    shown = height;
    try {
      parent.postMessage({ type: 'space-leaderboard:resize', height }, '*');
    } catch {
      // the parent cannot be told: it keeps the frame's height
    }
  };
  if (typeof ResizeObserver === 'function') {
    const resized = new ResizeObserver(report);
    resized.observe(root);
    // The dialog comes and goes inside the shadow root (its content loads after it opens):
    // measured once the browser has laid the change out, never mid-change.
    let queued = false;
    const watchDialog = () => {
      queued = false;
      const dialog = shadow?.querySelector('.dialog');
      if (dialog) resized.observe(dialog);
      report();
    };
    if (shadow && typeof MutationObserver === 'function') {
      new MutationObserver(() => {
        if (!queued) requestAnimationFrame(watchDialog);
        queued = true;
      }).observe(shadow, { childList: true, subtree: true });
    }
  }
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
