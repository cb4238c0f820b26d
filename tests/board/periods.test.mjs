// The board page on timed data, served with the board embed: the server renders the period
// tabs, "Resets in" and "Last week" as links; the wasm takes the page over without asking
// for its first page again, and then a tab and "Last week" work in
// place (one API request each, no navigation), showing the API's rows for that period.
// Needs the board embed (TRUNK_BUILD_FEATURES=board, see README). Run by npm run test:board.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, WAIT_MS, startBoardSuite, waitUntil } from './harness.mjs';

const EMBED = process.env.E2E_EMBED_DIR || join(REPO, 'target', 'board-embed');
assert.ok(existsSync(join(EMBED, 'space-leaderboard-core_bg.wasm')), `build the board embed first: ${EMBED}`);

// Scores played over the last 40 days up to now: every period of the tabs holds some.
const data = mkdtempSync(join(tmpdir(), 'slb-board-periods-'));
execFileSync(BIN, [
  'generate', '--scores', '2000', '--profiles', '300', '--seed', '14', '--out', data,
  '--played-over-days', '40', '--played-until', new Date().toISOString(),
]);
const { port, browser } = await startBoardSuite(
  ['--embed-dir', EMBED],
  () => rmSync(data, { recursive: true, force: true }),
  data,
);
const origin = `http://localhost:${port}`;

const isPageRequest = (url) => new URL(url).pathname === '/api/LeaderboardFunction';

/** The row ids the API answers for `query`. */
async function apiIds(query) {
  const answer = await (await fetch(`${origin}/api/LeaderboardFunction?${query}`)).json();
  return answer.scores.map((entry) => entry.score.id);
}

const shownIds = (page) => page.locator('tr[data-entry-id]').evaluateAll((rows) => rows.map((row) => row.dataset.entryId));

test('after the takeover the period tabs and "Last week" work in place, as the API answers', async () => {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (request) => {
    if (isPageRequest(request.url())) requests.push(request.url());
  });
  let navigations = 0;
  page.on('framenavigated', () => {
    navigations += 1;
  });
  await page.goto(`${origin}/api/board?period=week`);
  // Rendered by the server: the tabs are links, the week's tab selected.
  assert.equal(await page.locator('a[role="tab"][data-period="month"]').getAttribute('href'), '/api/board?period=month');
  assert.equal(await page.locator('a[role="tab"][data-period="week"]').getAttribute('aria-selected'), 'true');
  await page.waitForFunction(() => document.documentElement.dataset.board === 'live', null, { timeout: WAIT_MS });
  assert.deepEqual(requests, [], 'no request for the first page');
  assert.deepEqual(await shownIds(page), await apiIds('period=week'));
  assert.match(await page.locator('.periods .resets').textContent(), /^Resets in /);
  const before = navigations;

  await page.locator('a[role="tab"][data-period="month"]').click();
  const month = await apiIds('period=month');
  await waitUntil(() => shownIds(page), (ids) => JSON.stringify(ids) === JSON.stringify(month), { what: 'this month in place' });
  assert.equal(await page.locator('a[role="tab"][data-period="month"]').getAttribute('aria-selected'), 'true');

  await page.locator('.periods a.previous').click();
  await page.locator('.periods a.previous[aria-pressed="true"]').waitFor({ timeout: WAIT_MS });
  const last = requests.at(-1);
  const at = new URL(last).searchParams.get('at');
  assert.match(at, /^\d{4}-\d{2}-\d{2}$/, last);
  const lastMonth = await apiIds(`period=month&at=${at}`);
  await waitUntil(() => shownIds(page), (ids) => JSON.stringify(ids) === JSON.stringify(lastMonth), { what: 'last month in place' });
  assert.equal(await page.locator('caption .subtitle').textContent(), 'Last month');

  assert.equal(navigations, before, 'the page was not navigated');
  assert.equal(requests.length, 2, requests.join('\n'));
  assert.match(requests[0], /period=month/);

  // The arrow keys move along the tabs and select, in place, as on the widget.
  await page.locator('a[role="tab"][data-period="month"]').focus();
  await page.keyboard.press('ArrowRight');
  const week = await apiIds('period=week');
  await waitUntil(() => shownIds(page), (ids) => JSON.stringify(ids) === JSON.stringify(week), { what: 'this week by the right arrow' });
  assert.equal(await page.locator('a[role="tab"][data-period="week"]').getAttribute('aria-selected'), 'true');
  const focused = await page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.dataset.period;
  });
  assert.equal(focused, 'week', 'focus on the week tab');
  assert.equal(navigations, before, 'still not navigated');
  await page.close();
});
