// The board page with JavaScript off, in headless Chromium: the declarative shadow root
// shows the server's rows, and a reader walks it by links and GET forms (sort, next page,
// a mode filter, a search), each page checked against the API. Run by scripts/test.sh
// (npm run test:board).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WAIT_MS, startBoardSuite } from './harness.mjs';

const { base, browser } = await startBoardSuite();

/** The API's rows for `query`: "rank name" per row. */
async function apiRows(query) {
  const body = await (await fetch(`${base}/api/LeaderboardFunction?${query}`)).json();
  return body.scores.map((entry) => `${entry.rank} ${entry.profile.userName}`);
}

/** The rows the page shows: "rank name" per row (ranks as shown, digits only). */
async function shownRows(page) {
  const rows = page.locator('tr[data-entry-id]');
  await rows.first().waitFor({ timeout: WAIT_MS });
  const count = await rows.count();
  const shown = [];
  for (let i = 0; i < count; i += 1) {
    const rank = (await rows.nth(i).locator('td.rank').innerText()).replace(/\D/g, '');
    const name = await rows.nth(i).locator('button.player-name').getAttribute('title');
    shown.push(`${rank} ${name}`);
  }
  return shown;
}

test('without JavaScript the board is walked by links and forms', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/api/board?pageSize=5`);
  assert.deepEqual(await shownRows(page), await apiRows('pageSize=5'));

  await Promise.all([page.waitForURL(/sort=player/), page.locator('a.sort[data-sort=player]').click()]);
  assert.deepEqual(await shownRows(page), await apiRows('pageSize=5&sort=player&order=asc'));

  await Promise.all([page.waitForURL(/page=2/), page.locator('a[rel=next]').click()]);
  assert.deepEqual(await shownRows(page), await apiRows('pageSize=5&sort=player&order=asc&page=2'));

  await page.locator('select[name=mode]').selectOption('Duo');
  await Promise.all([page.waitForURL(/mode=Duo/), page.locator('form.toolbar button.apply').click()]);
  assert.deepEqual(await shownRows(page), await apiRows('pageSize=5&sort=player&order=asc&mode=Duo'));

  const first = (await apiRows('pageSize=5&sort=player&order=asc&mode=Duo'))[0].split(' ').slice(1).join(' ');
  const prefix = first.slice(0, 2);
  await page.locator('input[name=q]').fill(prefix);
  await Promise.all([page.waitForURL(/q=/), page.locator('form.toolbar button.apply').click()]);
  const query = `pageSize=5&sort=player&order=asc&mode=Duo&q=${encodeURIComponent(prefix)}`;
  assert.deepEqual(await shownRows(page), await apiRows(query));
  await context.close();
});

test('without JavaScript "Find me" opens the page that holds the player, highlighted', async () => {
  const deep = await (await fetch(`${base}/api/LeaderboardFunction?pageSize=1&page=37`)).json();
  const player = deep.scores[0].profile;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/api/board?pageSize=5&player=${encodeURIComponent(player.id)}`);
  assert.deepEqual(await shownRows(page), await apiRows('pageSize=5'));

  await Promise.all([page.waitForURL(/around=/), page.locator('a.find-me').click()]);
  const query = `pageSize=5&around=${encodeURIComponent(player.id)}`;
  assert.deepEqual(await shownRows(page), await apiRows(query));
  const highlighted = page.locator('tr[aria-current="true"] button.player-name');
  assert.equal(await highlighted.count(), 1);
  assert.equal(await highlighted.getAttribute('title'), player.userName);

  // The links of the found page lead on from it, without `around`.
  const next = await page.locator('a[rel=next]').getAttribute('href');
  assert.doesNotMatch(next, /around=/);
  await context.close();
});
