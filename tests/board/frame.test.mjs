// The board page framed cross-origin in a sandboxed iframe (opaque origin), in headless
// Chromium: its server-rendered rows show, the host's frame fit (www/src/frame-fit.js, as
// the loader runs it) sizes the iframe to the height the page reports, options sent by
// the parent apply, and messages from a non-parent or of a wrong shape change nothing.
// Run by scripts/test.sh (npm run test:board).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, WAIT_MS, startBoardSuite, waitUntil } from './harness.mjs';

const site = mkdtempSync(join(tmpdir(), 'slb-board-frame-'));
copyFileSync(join(REPO, 'www', 'src', 'frame-fit.js'), join(site, 'frame-fit.js'));
const { port, browser } = await startBoardSuite(['--static-dir', site], () =>
  rmSync(site, { recursive: true, force: true }),
);

// The host is 127.0.0.1, the board localhost: another origin, and sandboxed besides.
const boardUrl = (query) => `http://localhost:${port}/api/board?${query}`;
writeFileSync(
  join(site, 'host.html'),
  `<!doctype html><meta charset="utf-8"><title>host</title>
<script type="module">import { fitBoardFrames } from './frame-fit.js'; fitBoardFrames(); window.fitReady = true;</script>
<iframe id="board" sandbox="allow-scripts" style="border:0;width:640px;height:150px"
  src="${boardUrl('pageSize=5&mode=Solo')}"></iframe>
<iframe id="other" sandbox="allow-scripts" style="border:0;width:640px;height:150px"
  src="${boardUrl('pageSize=3')}"></iframe>`,
);

function boardFrame(page) {
  return page.frames().find((frame) => frame.url().includes('mode=Solo'));
}

/** Waits until the #board iframe's height equals its page's content height. */
async function heightFollows(page) {
  await page.waitForFunction(() => window.fitReady, null, { timeout: WAIT_MS });
  let expected = 0;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const frame = boardFrame(page);
    expected = frame
      ? await frame
          .evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height))
          .catch(() => 0)
      : 0;
    const shown = await page.$eval('#board', (iframe) => iframe.getBoundingClientRect().height);
    if (expected > 0 && Math.abs(shown - expected) < 1) return expected;
    assert.ok(Date.now() < deadline, `frame height ${shown}, content ${expected}`);
    await page.waitForTimeout(50);
  }
}

async function rows(page, count) {
  const frame = boardFrame(page);
  await frame.locator('tr[data-entry-id]').nth(count - 1).waitFor({ timeout: WAIT_MS });
  return frame.locator('tr[data-entry-id]').count();
}

test('a sandboxed cross-origin board frame renders, fits, and takes options only from its parent', async () => {
  const page = await browser.newPage();
  const navigations = [];
  page.on('framenavigated', (frame) => {
    if (frame.url().includes('mode=Solo')) navigations.push(frame.url());
  });
  await page.goto(`http://127.0.0.1:${port}/host.html`);
  // Server-rendered rows in the sandboxed frame (no storage, opaque origin).
  assert.equal(await rows(page, 5), 5);
  const small = await heightFollows(page);
  assert.ok(small > 150, `${small}`);

  // Options from the parent: a bigger page; the frame grows to it.
  await page.$eval('#board', (iframe) =>
    iframe.contentWindow.postMessage({ type: 'space-leaderboard:options', options: { pageSize: 25 } }, '*'),
  );
  await boardFrame(page).locator('tr[data-entry-id]').nth(24).waitFor({ timeout: WAIT_MS });
  const tall = await heightFollows(page);
  assert.ok(tall > small, `${tall} > ${small}`);

  // A message from a frame that is not its parent, and malformed ones from the parent,
  // change nothing; a good one after them is the only navigation.
  const before = navigations.length;
  const other = page.frames().find((frame) => frame.url().includes('pageSize=3'));
  await other.evaluate(() =>
    window.parent.frames[0].postMessage({ type: 'space-leaderboard:options', options: { pageSize: 2 } }, '*'),
  );
  await page.$eval('#board', (iframe) => {
    const post = (message) => iframe.contentWindow.postMessage(message, '*');
    post({ type: 'space-leaderboard:options', options: 'pageSize=2' });
    post({ type: 'space-leaderboard:options', options: { 'page size': 2 } });
    post({ type: 'space-leaderboard:options', options: { pageSize: { n: 2 } } });
    post({ type: 'space-leaderboard:option', options: { pageSize: 2 } });
    post(null);
    post('space-leaderboard:options');
    post({ type: 'space-leaderboard:options', options: { pageSize: 10 } });
  });
  await boardFrame(page).locator('tr[data-entry-id]').nth(9).waitFor({ timeout: WAIT_MS });
  assert.equal(await boardFrame(page).locator('tr[data-entry-id]').count(), 10);
  const after = navigations.slice(before);
  assert.equal(after.length, 1, after.join('\n'));
  assert.match(after[0], /pageSize=10/);
  await heightFollows(page);

  // A resize message that is not from a board frame's window is ignored.
  const height = await page.$eval('#board', (iframe) => iframe.style.height);
  // (A listener added now runs after frame-fit's for the same message: when it has seen
  // the message, frame-fit has too.)
  await page.evaluate(
    () =>
      new Promise((done) => {
        addEventListener('message', () => done(), { once: true });
        window.postMessage({ type: 'space-leaderboard:resize', height: 3 }, '*');
      }),
  );
  assert.equal(await page.$eval('#board', (iframe) => iframe.style.height), height);
  await page.close();
});

test('the board also works in the sandbox that keeps its origin (allow-scripts allow-same-origin allow-popups)', async () => {
  writeFileSync(
    join(site, 'same-origin-host.html'),
    `<!doctype html><meta charset="utf-8"><title>host</title>
<script type="module">import { fitBoardFrames } from './frame-fit.js'; fitBoardFrames();</script>
<iframe id="kept" sandbox="allow-scripts allow-same-origin allow-popups" style="border:0;width:640px;height:150px"
  src="${boardUrl('pageSize=4&region=Andromeda')}"></iframe>`,
  );
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/same-origin-host.html`);
  const frame = await (await page.$('#kept')).contentFrame();
  await frame.locator('tr[data-entry-id]').nth(3).waitFor({ timeout: WAIT_MS });
  assert.equal(await frame.locator('tr[data-entry-id]').count(), 4);
  const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  await waitUntil(
    () => page.$eval('#kept', (iframe) => iframe.getBoundingClientRect().height),
    (height) => Math.abs(height - content) < 1 && height > 150,
    { what: `the frame fitted to its content (${content}px)` },
  );
  await page.close();
});

test('theme=auto on the server-rendered board follows the reader\'s colour scheme; a chosen theme stays', async () => {
  const page = await browser.newPage();
  const themeOf = async (query, scheme) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(boardUrl(query));
    return page.evaluate(() => {
      const slb = document.getElementById('space-leaderboard-board').shadowRoot.querySelector('.slb');
      return [...slb.classList].filter((name) => name.startsWith('theme-')).join(' ');
    });
  };
  assert.equal(await themeOf('pageSize=3&theme=auto', 'light'), 'theme-light');
  assert.equal(await themeOf('pageSize=3&theme=auto', 'dark'), 'theme-dark');
  assert.equal(await themeOf('pageSize=3', 'light'), 'theme-dark');
  assert.equal(await themeOf('pageSize=3&theme=dark', 'light'), 'theme-dark');
  assert.equal(await themeOf('pageSize=3&theme=light', 'dark'), 'theme-light');
  await page.close();
});
