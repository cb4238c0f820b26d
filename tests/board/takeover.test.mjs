// The board page served with the embed (--embed-dir www/dist), framed cross-origin with
// sandbox="allow-scripts" in headless Chromium: the wasm takes the server-rendered board
// over in place without asking for the first page again and without a layout shift; then
// its controls work in place (a sort is one API request, no navigation of the frame).
// Needs the board embed (the widget's board feature, see README). Run by scripts/test.sh (npm run test:board).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, WAIT_MS, startBoardSuite, waitUntil } from './harness.mjs';

const EMBED = process.env.E2E_EMBED_DIR || join(REPO, 'target', 'board-embed');
assert.ok(existsSync(join(EMBED, 'space-leaderboard-core_bg.wasm')), `build the board embed first (TRUNK_BUILD_FEATURES=board EMBED_OUT_DIR=../target/board-embed npm run build in www/): ${EMBED}`);

const site = mkdtempSync(join(tmpdir(), 'slb-board-takeover-'));
const { port, browser } = await startBoardSuite(['--static-dir', site, '--embed-dir', EMBED], () =>
  rmSync(site, { recursive: true, force: true }),
);

const BOARD = `http://localhost:${port}/api/board?pageSize=10&mode=Solo`;
writeFileSync(
  join(site, 'host.html'),
  `<!doctype html><meta charset="utf-8"><title>host</title>
<iframe id="board" sandbox="allow-scripts" style="border:0;width:640px;height:900px" src="${BOARD}"></iframe>`,
);
// A host with the loader's frame fit, and a board short enough that the dialog outgrows it.
copyFileSync(join(REPO, 'www', 'src', 'frame-fit.js'), join(site, 'frame-fit.js'));
writeFileSync(
  join(site, 'fit.html'),
  `<!doctype html><meta charset="utf-8"><title>host</title>
<script type="module">import { fitBoardFrames } from './frame-fit.js'; fitBoardFrames();</script>
<iframe id="board" sandbox="allow-scripts" style="border:0;width:640px;height:150px"
  src="http://localhost:${port}/api/board?pageSize=1&compact=true"></iframe>`,
);

const isPageRequest = (url) => new URL(url).pathname === '/api/LeaderboardFunction';

test('the wasm takes the sandboxed board over in place, without a second request or a shift', async () => {
  const page = await browser.newPage();
  const pageRequests = [];
  const failures = [];
  page.on('request', (request) => {
    if (isPageRequest(request.url())) pageRequests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') failures.push(message.text());
  });
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame.url().includes('/api/board')) navigations += 1;
  });
  await page.goto(`http://127.0.0.1:${port}/host.html`);
  const frame = page.frames().find((f) => f.url().includes('/api/board'));
  await frame.waitForFunction(
    () => {
      // Layout shifts from the start (buffered), summed as CLS does for one window.
      window.shifts ??= 0;
      if (!window.shiftObserver) {
        window.shiftObserver = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shifts += entry.value;
        });
        window.shiftObserver.observe({ type: 'layout-shift', buffered: true });
      }
      return document.documentElement.dataset.board === 'live';
    },
    null,
    { timeout: WAIT_MS },
  ).catch((error) => {
    throw new Error(`${error.message}\n${failures.join('\n')}`);
  });
  assert.equal(await frame.locator('tr[data-entry-id]').count(), 10);
  // One widget, the server's markup gone.
  assert.equal(
    await frame.evaluate(() => document.getElementById('space-leaderboard-board').shadowRoot.querySelectorAll('.slb-host').length),
    1,
  );
  assert.deepEqual(pageRequests, [], 'no request for the first page');
  const shifts = await frame.evaluate(() => window.shifts);
  assert.ok(shifts <= 0.01, `layout shift ${shifts}`);

  // The controls now work in place: a sort header click is one API request, no navigation.
  const before = navigations;
  const firstBefore = await frame.locator('tr[data-entry-id]').first().getAttribute('data-entry-id');
  await frame.locator('a.sort[data-sort=player]').click();
  await frame.waitForFunction(
    (id) => {
      const rows = document.getElementById('space-leaderboard-board').shadowRoot.querySelectorAll('tr[data-entry-id]');
      return rows.length === 10 && rows[0].getAttribute('data-entry-id') !== id;
    },
    firstBefore,
    { timeout: WAIT_MS },
  );
  assert.equal(navigations, before, 'the frame was not navigated');
  assert.equal(pageRequests.length, 1, pageRequests.join('\n'));
  assert.match(pageRequests[0], /sort=player/);
  await page.close();
});

test('a board in another language is taken over in that language, never English for a moment', async () => {
  const page = await browser.newPage();
  const failures = [];
  page.on('console', (message) => {
    if (message.type() === 'error') failures.push(message.text());
  });
  // Every rank header the board shows, from the first parse on: the server's, then the wasm's.
  await page.addInitScript(() => {
    window.rankHeaders = [];
    const record = () => {
      const board = document.getElementById('space-leaderboard-board');
      const header = board?.shadowRoot?.querySelector('th.rank')?.textContent.trim();
      if (header && window.rankHeaders.at(-1) !== header) window.rankHeaders.push(header);
      requestAnimationFrame(record);
    };
    requestAnimationFrame(record);
  });
  await page.goto(`http://localhost:${port}/api/board?pageSize=10&lang=de`);
  await page.waitForFunction(() => document.documentElement.dataset.board === 'live', null, { timeout: WAIT_MS }).catch((error) => {
    throw new Error(`${error.message}\n${failures.join('\n')}`);
  });
  const shown = await page.evaluate(() => {
    const root = document.getElementById('space-leaderboard-board').shadowRoot;
    return {
      hosts: root.querySelectorAll('.slb-host').length,
      lang: root.querySelector('.slb').getAttribute('lang'),
      rank: root.querySelector('th.rank').textContent.trim(),
      next: root.querySelector('nav.pagination [rel="next"]').getAttribute('aria-label'),
      rows: root.querySelectorAll('tr[data-entry-id]').length,
    };
  });
  assert.deepEqual(shown, { hosts: 1, lang: 'de', rank: 'Rang', next: 'Nächste Seite', rows: 10 });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  assert.deepEqual(await page.evaluate(() => window.rankHeaders), ['Rang'], 'the header was German throughout');
  await page.close();
});

test('counting words take the same plural form on the server (ICU4X) and in the wasm (Intl.PluralRules)', async () => {
  // Boards of different totals in languages with one/few/many/other (and Arabic's six forms):
  // the live region's "1–10 of N results" the server rendered is what the wasm shows after
  // the takeover, word for word.
  for (const lang of ['ru', 'pl', 'ar']) {
    for (const filter of ['', '&mode=Solo', '&mode=Duo', '&mode=Trio']) {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        window.statusTexts = [];
        const record = () => {
          const root = document.getElementById('space-leaderboard-board')?.shadowRoot;
          const text = root?.querySelector('[role="status"]')?.textContent.trim();
          if (text && window.statusTexts.at(-1) !== text) window.statusTexts.push(text);
          requestAnimationFrame(record);
        };
        requestAnimationFrame(record);
      });
      await page.goto(`http://localhost:${port}/api/board?pageSize=10&lang=${lang}${filter}`);
      await page.waitForFunction(() => document.documentElement.dataset.board === 'live', null, { timeout: WAIT_MS });
      const { texts, now } = await page.evaluate(() => ({
        texts: window.statusTexts,
        now: document.getElementById('space-leaderboard-board').shadowRoot.querySelector('[role="status"]').textContent.trim(),
      }));
      assert.equal(texts.length, 1, `${lang}${filter}: ${JSON.stringify(texts)}`);
      assert.equal(now, texts[0], `${lang}${filter}`);
      assert.match(now, /\d/, `${lang}${filter}: a count`);
      await page.close();
    }
  }
});

test('numbers are grouped as the widget groups them, so the takeover changes none', async () => {
  for (const lang of ['en', 'de', 'fr', 'es', 'pl', 'ru', 'pt-BR', 'ja', 'ar', 'he']) {
    const page = await browser.newPage();
    // Every text of the score cells and the range the board shows, from the first parse on:
    // the server's, then the wasm's.
    await page.addInitScript(() => {
      window.numberTexts = [];
      const record = () => {
        const root = document.getElementById('space-leaderboard-board')?.shadowRoot;
        const cells = [...(root?.querySelectorAll('td.score, .range') ?? [])].map((cell) => cell.textContent.trim());
        const text = cells.join(' | ');
        if (cells.length > 0 && window.numberTexts.at(-1) !== text) window.numberTexts.push(text);
        requestAnimationFrame(record);
      };
      requestAnimationFrame(record);
    });
    await page.goto(`http://localhost:${port}/api/board?pageSize=10&lang=${lang}`);
    await page.waitForFunction(() => document.documentElement.dataset.board === 'live', null, { timeout: WAIT_MS });
    // The wasm's own formatting of the first score, for the record of what the reader sees.
    const { texts, first, intl } = await page.evaluate((lang) => {
      const root = document.getElementById('space-leaderboard-board').shadowRoot;
      const first = root.querySelector('td.score').textContent.trim();
      return { texts: window.numberTexts, first, intl: new Intl.NumberFormat(lang).format(5000) };
    }, lang);
    assert.equal(texts.length, 1, `${lang}: the numbers changed at the takeover:\n${texts.join('\n')}`);
    assert.ok(texts[0].includes(first), `${lang}: "${first}" in ${texts[0]}`);
    assert.ok(/\d/.test(first) || /[\u0660-\u0669]/.test(first), `${lang}: a number (${first}, Intl: ${intl})`);
    await page.close();
  }
});

test('the fitted frame grows to show the whole profile dialog, and shrinks back when it closes', async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/fit.html`);
  const frame = page.frames().find((f) => f.url().includes('/api/board'));
  await frame.waitForFunction(() => document.documentElement.dataset.board === 'live', null, { timeout: WAIT_MS });
  const frameHeight = () => page.$eval('#board', (iframe) => iframe.getBoundingClientRect().height);
  const pageHeight = () => frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  await waitUntil(async () => [await frameHeight(), await pageHeight()], ([shown, content]) => shown === content, {
    what: 'the frame fitted to the board',
  });
  const closed = await frameHeight();

  await frame.locator('button.player-name').first().click();
  const dialog = frame.locator('[role="dialog"][aria-modal="true"]');
  await dialog.locator('.dialog-rank').waitFor({ timeout: WAIT_MS });
  // The whole dialog is shown: the frame is taller than the board alone, and the dialog
  // neither scrolls nor leaves the frame's viewport.
  const fit = await waitUntil(
    async () => ({
      shown: await frameHeight(),
      ...(await dialog.evaluate((box) => {
        const rect = box.getBoundingClientRect();
        return { scrolls: box.scrollHeight > box.clientHeight, top: rect.top, bottom: rect.bottom, viewport: innerHeight };
      })),
    }),
    (state) => !state.scrolls && state.top >= 0 && state.bottom <= state.viewport && state.shown > closed,
    { what: 'the frame to fit the open dialog' },
  );
  assert.ok(fit.shown > closed, `frame ${fit.shown}px with the dialog, ${closed}px without`);

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
  await waitUntil(async () => [await frameHeight(), await pageHeight()], ([shown, content]) => shown === content && shown === closed, {
    what: 'the frame back to the board height',
  });
  await page.close();
});

test('after the takeover "Find me" works in place: one request for the player\'s page, no navigation', async () => {
  const deep = await (await fetch(`http://localhost:${port}/api/LeaderboardFunction?pageSize=1&page=41`)).json();
  const player = deep.scores[0].profile;
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (request) => {
    if (isPageRequest(request.url())) requests.push(request.url());
  });
  let navigations = 0;
  page.on('framenavigated', () => {
    navigations += 1;
  });
  await page.goto(`http://localhost:${port}/api/board?pageSize=5&player=${encodeURIComponent(player.id)}`);
  await page.waitForFunction(() => document.documentElement.dataset.board === 'live', null, { timeout: WAIT_MS });
  const before = navigations;
  await page.locator('a.find-me').click();
  const highlighted = page.locator('tr[aria-current="true"] button.player-name');
  await highlighted.waitFor({ timeout: WAIT_MS });
  assert.equal(await highlighted.getAttribute('title'), player.userName);
  assert.equal(navigations, before, 'the page was not navigated');
  assert.equal(requests.length, 1, requests.join('\n'));
  assert.match(requests[0], new RegExp(`around=${encodeURIComponent(player.id)}`));
  await page.close();
});
