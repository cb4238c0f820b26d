// The JS API example (an external file: no inline script, so it also runs under a strict CSP).
// The loader may still be downloading (it is async): wait for window.SpaceLeaderboard.
(function start() {
  if (!window.SpaceLeaderboard) {
    document.querySelector('script[src$="space-leaderboard.js"]').addEventListener('load', start);
    return;
  }
  const app = document.getElementById('app');
  let theme = 'dark';
  let handle = window.SpaceLeaderboard.mount(document.getElementById('board'), {
    endpoint: app.dataset.endpoint,
    theme,
    pageSize: 5,
  });
  const on = (id, action) => document.getElementById(id).addEventListener('click', action);
  on('show-solo', () => handle?.update({ mode: 'Solo' }));
  on('show-duo', () => handle?.update({ mode: 'Duo' }));
  on('toggle-theme', () => {
    theme = theme === 'dark' ? 'light' : 'dark';
    handle?.update({ theme });
  });
  on('remove', () => {
    handle?.destroy();
    handle = null;
  });
})();
