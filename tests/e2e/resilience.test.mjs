// The widget under a slow, broken or absent function: loading skeleton and busy refresh,
// a late answer for an old query, malformed answers, and a real outage (the function
// process killed) followed by recovery when it comes back on the same port.

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_OPTIONS,
  LEADERBOARD_PATH,
  currentPageSize,
  holdLeaderboardRequests,
  nextFrames,
  readRows,
  recordLeaderboardRequests,
  useSuite,
  waitForAnyRows,
  waitForRowsOf,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useSuite();
// An outage test that failed half-way must not leave the next test without a function.
afterEach(async () => {
  if (suite && !suite.server.running) await suite.server.restart();
});


/** The error state's text, checked to be a sentence for people, not a debug dump. */
async function readableErrorText(page) {
  const error = page.locator('.state-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.getAttribute('role'), 'alert', 'the error state is announced (role="alert")');
  const text = (await error.textContent()).replace(/\s+/g, ' ').trim();
  assert.ok(text.length >= 10, `error text "${text}" says something`);
  assert.doesNotMatch(text, /JsValue|undefined|\bnull\b|panicked|unreachable|\{|\}/, `error text "${text}" is for people`);
  return text;
}

/** Clicks retry if the error state is still up (automatic retry may already have won). */
async function clickRetryIfShown(page) {
  const retry = page.locator('.state-error button.retry');
  if (await retry.isVisible()) await retry.click({ timeout: 2000 }).catch(() => {});
}

describe('slow, broken and absent function', () => {
  test('first load shows skeleton rows of the page size; a refresh keeps the old rows and marks the table busy', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const gate = await holdLeaderboardRequests(page, () => true);
      await page.goto(`${suite.server.origin}/`);
      const firstLoad = await gate.next();
      const pageSize = Number(firstLoad.url.searchParams.get('pageSize') ?? 10);

      const skeletonBody = page.locator('tbody[aria-busy="true"]');
      await skeletonBody.locator('tr.skeleton').first().waitFor({ state: 'visible' });
      const skeletonRows = await skeletonBody.locator('tr.skeleton').count();
      assert.equal(skeletonRows, pageSize, 'one skeleton row per expected row');
      assert.equal(await page.locator('tbody tr[data-entry-id]').count(), 0, 'no real rows yet');
      const skeletonHeight = (await page.locator('table').boundingBox()).height;

      await firstLoad.release();
      const firstPage = await suite.server.leaderboard({ pageSize });
      await waitForRowsOf(page, firstPage, 'rows after the first load');
      assert.equal(await page.locator('tbody[aria-busy="true"]').count(), 0, 'tbody no longer busy');
      const loadedHeight = (await page.locator('table').boundingBox()).height;
      assert.ok(
        Math.abs(loadedHeight - skeletonHeight) <= loadedHeight * 0.2,
        `no layout jump: table ${skeletonHeight}px with skeleton, ${loadedHeight}px with rows`,
      );

      // Refresh: the old rows stay while page 2 is on its way, and the table says it is busy.
      await page.locator('nav.pagination button[rel="next"]').click();
      const refresh = await gate.next();
      assert.equal(refresh.url.searchParams.get('page'), '2');
      await waitUntil(
        () => page.locator('table').getAttribute('aria-busy'),
        (busy) => busy === 'true',
        { what: 'table aria-busy="true" while refreshing' },
      );
      assert.deepEqual(
        (await readRows(page)).map((r) => r.id),
        firstPage.scores.map((e) => e.score.id),
        'the last good rows stay on screen while refreshing',
      );
      assert.equal(await page.locator('tr.skeleton').count(), 0, 'no skeleton on refresh');
      await refresh.release();
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, page: 2 }), 'page 2');
      await waitUntil(
        () => page.locator('table').getAttribute('aria-busy'),
        (busy) => busy !== 'true',
        { what: 'table no longer busy' },
      );
    });
  });

  test('a late answer for an older filter never replaces the rows of the newer filter', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize }));
      const meta = await suite.server.meta();
      const [slowMode, fastMode] = meta.modes.map((m) => m.name);

      const gate = await holdLeaderboardRequests(page, (url) => url.searchParams.get('mode') === slowMode);
      await page.locator('select[name="mode"]').selectOption(slowMode);
      const slow = await gate.next();

      await page.locator('select[name="mode"]').selectOption(fastMode);
      const fastRows = await suite.server.leaderboard({ pageSize, mode: fastMode });
      await waitForRowsOf(page, fastRows, `rows of the newer filter ${fastMode}`);

      // Now the old answer arrives (unless the widget cancelled it).
      await slow.release();
      await nextFrames(page, 3);
      assert.deepEqual(
        (await readRows(page)).map((r) => r.id),
        fastRows.scores.map((e) => e.score.id),
        `rows of ${fastMode} stay after the late ${slowMode} answer`,
      );
      assert.equal(await page.locator('select[name="mode"]').inputValue(), fastMode);
      assert.ok((await readRows(page)).every((r) => r.mode === fastMode));
    });
  });

  test('a late answer for an older page never replaces the newer page', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize }));
      const gate = await holdLeaderboardRequests(page, (url) => url.searchParams.get('page') === '2');
      await page.locator('nav.pagination button[data-page="2"]').click();
      const slow = await gate.next();
      // While page 2 is on its way the list still shows page 1's neighbours; the last page
      // is always offered.
      const first = await suite.server.leaderboard({ pageSize });
      const lastPage = String(first.totalPages || Math.ceil(first.totalResults / pageSize));
      await page.locator(`nav.pagination button[data-page="${lastPage}"]`).click();
      const last = await suite.server.leaderboard({ pageSize, page: lastPage });
      await waitForRowsOf(page, last, `last page ${lastPage}`);
      await slow.release();
      await nextFrames(page, 3);
      assert.deepEqual((await readRows(page)).map((r) => r.id), last.scores.map((e) => e.score.id));
      assert.equal(
        await page.locator('nav.pagination button[aria-current="page"]').getAttribute('data-page'),
        lastPage,
      );
    });
  });

  test('an HTML 500 page and malformed JSON end in a readable error state, and retry then loads rows', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      let broken = 0;
      await page.route(
        (url) => url.pathname === LEADERBOARD_PATH,
        async (route) => {
          broken += 1;
          if (broken === 1) {
            await route.fulfill({ status: 500, contentType: 'text/html', body: '<html><body><h1>500 Internal Server Error</h1></body></html>' });
          } else if (broken === 2) {
            await route.fulfill({ status: 200, contentType: 'application/json', body: '{"scores": [{"rank": 1, "score": ' });
          } else {
            await route.continue();
          }
        },
      );
      await page.goto(`${suite.server.origin}/`);
      await readableErrorText(page);
      await waitUntil(
        async () => {
          await clickRetryIfShown(page);
          return broken;
        },
        (n) => n >= 2,
        { what: 'a second (malformed JSON) attempt' },
      );
      await waitUntil(
        async () => {
          await clickRetryIfShown(page);
          return page.locator('tbody tr[data-entry-id]').count();
        },
        (rows) => rows > 0,
        { what: 'real rows after the broken answers' },
      );
      assert.ok(broken >= 3, 'the real answer came after both broken ones');
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize: await currentPageSize(page) }));
    });
  });

  test('when the function is down the error state offers retry, and retry recovers after it restarts on the same port', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize }));
      const port = suite.server.port;

      await suite.server.stop();
      const requests = recordLeaderboardRequests(page);
      await page.locator('nav.pagination button[rel="next"]').click();
      await readableErrorText(page);
      const retry = page.locator('.state-error button.retry');
      await retry.waitFor({ state: 'visible' });

      // Retry while still down: another attempt is made and the error state stays.
      const before = requests.length;
      await retry.click();
      await waitUntil(() => requests.length, (n) => n > before, { what: 'retry to send a request' });
      await readableErrorText(page);

      await suite.server.restart();
      assert.equal(suite.server.port, port, 'restarted on the same port');
      const expected = await suite.server.leaderboard({ pageSize, page: 2 });
      await waitUntil(
        async () => {
          await clickRetryIfShown(page);
          return (await readRows(page)).map((r) => r.id);
        },
        (ids) => JSON.stringify(ids) === JSON.stringify(expected.scores.map((e) => e.score.id)),
        { what: 'page 2 after the function came back' },
      );
      await waitForRowsOf(page, expected, 'page 2 after recovery');
      await page.locator('.state-error').waitFor({ state: 'detached' });
    });
  });

  test('after an outage the widget recovers by itself (automatic retry with backoff), without a click', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize }));

      await suite.server.stop();
      const requests = recordLeaderboardRequests(page);
      await page.locator('button[data-sort="player"]').click();
      await readableErrorText(page);
      const failedAttempts = requests.length;

      await suite.server.restart();
      const expected = await suite.server.leaderboard({ pageSize, sort: 'player', order: 'asc' });
      // Backoff may have grown while the function was down: allow a few of its steps.
      await waitForRowsOf(page, expected, 'rows sorted by player once the function is back', { timeout: 45000 });
      assert.ok(requests.length > failedAttempts, 'a new request was made without any click');
      assert.equal(await page.locator('.state-error').count(), 0, 'error state gone');
    });
  });
});
