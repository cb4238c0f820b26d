// Board pages in iframes (`/api/board`, the "paste a link" embed) report their content
// height with {type: "space-leaderboard:resize", height}; the loader sizes each iframe that
// shows a board page to it. Anything else, from anywhere else, is ignored. Frames that
// reported before the loader listened are asked again ({type: "space-leaderboard:measure"}).

const BOARD_PATH = /\/api\/board(?:$|[?#])/;
const MAX_HEIGHT = 100000;

/** Listens, once per page, for the height messages of framed board pages. */
export function fitBoardFrames() {
  if (window.__spaceLeaderboardFrameFit) return;
  window.__spaceLeaderboardFrameFit = true;
  addEventListener('message', (event) => {
    const data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'space-leaderboard:resize') return;
    const height = data.height;
    if (typeof height !== 'number' || !Number.isFinite(height) || height < 0 || height > MAX_HEIGHT) return;
    for (const frame of document.getElementsByTagName('iframe')) {
      if (frame.contentWindow !== event.source) continue;
      if (!BOARD_PATH.test(frame.getAttribute('src') || '')) return;
      frame.style.height = `${Math.ceil(height)}px`;
      return;
    }
  });
  for (const frame of document.getElementsByTagName('iframe')) {
    if (BOARD_PATH.test(frame.getAttribute('src') || '')) {
      frame.contentWindow?.postMessage({ type: 'space-leaderboard:measure' }, '*');
    }
  }
}
