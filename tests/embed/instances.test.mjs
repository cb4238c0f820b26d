// Many widgets on one page: ten with different options (and two loader tags) each show the
// rows the function gives for their own options, work independently, and share one wasm
// module fetched and instantiated once.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CDN_PATH,
  TEST_OPTIONS,
  apiQueryFor,
  dataOptionsOf,
  recordRequests,
  useEmbedSuite,
  waitForRowsIn,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useEmbedSuite();

const BOARDS = Array.from({ length: 10 }, (_, i) => `b${i + 1}`);

describe('many widgets on one page', () => {
  test('ten widgets with different options each show the function rows for their own options', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const wasmRequests = recordRequests(page, '_bg.wasm');
      const pageRequests = recordRequests(page, '/api/LeaderboardFunction');
      const entryRequests = recordRequests(page, `${CDN_PATH}index.js`);
      const glueRequests = recordRequests(page, 'space-leaderboard-core.js');
      const cdnWasmBefore = suite.cdn.count('_bg.wasm');
      await page.goto(suite.page('test-many.html'));

      const queries = new Set();
      for (const id of BOARDS) {
        const host = page.locator(`#${id}`);
        const query = apiQueryFor(await dataOptionsOf(host));
        queries.add(JSON.stringify(query));
        const expected = await suite.fn.leaderboard(query);
        assert.ok(expected.scores.length > 0, `${id}: the data has rows for ${JSON.stringify(query)}`);
        await waitForRowsIn(host, expected, `${id} (${JSON.stringify(query)})`);
      }
      assert.equal(queries.size, BOARDS.length, 'every board asks for something different');
      // Each board's first page is asked for once: the hosts on the page when the loader ran
      // take the answers it started early (www/src/prefetch.js builds the URLs as the wasm does).
      const asked = pageRequests.map((url) => url.search);
      assert.equal(new Set(asked).size, asked.length, `a first page asked twice: ${asked.join(' ')}`);
      assert.equal(await page.evaluate(() => window.SpaceLeaderboard.ready.then((m) => m.mountedCount())), 10);

      // Once per page, although two loader tags ran.
      assert.equal(await page.locator('script[src*="space-leaderboard.js"]').count(), 2);
      assert.equal(wasmRequests.length, 1, `wasm requests: ${wasmRequests.join(', ')}`);
      // The loader holds the implementation: a script-tag page never needs the ESM entry.
      assert.equal(entryRequests.length, 0, `entry module requests: ${entryRequests.join(', ')}`);
      assert.equal(glueRequests.length, 1, `glue requests: ${glueRequests.join(', ')}`);
      assert.equal(suite.cdn.count('_bg.wasm') - cdnWasmBefore, 1, 'the CDN served the wasm once');
      // From the CDN origin, not the page's.
      assert.equal(wasmRequests[0].origin, suite.cdn.origin);
    });
  });

  test('ten widgets on one endpoint send one /meta request between them, even when their pages answer first', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      // Routed requests skip the browser's HTTP cache: every request a widget sends is counted.
      const metaRequests = [];
      let releaseMeta;
      const metaHeld = new Promise((resolve) => {
        releaseMeta = resolve;
      });
      await page.route(
        (url) => url.pathname.endsWith('/api/LeaderboardFunction/meta'),
        async (route) => {
          metaRequests.push(route.request().url());
          await metaHeld;
          await route.continue().catch(() => {});
        },
      );
      await page.goto(suite.page('test-many.html'));
      for (const id of BOARDS) {
        const host = page.locator(`#${id}`);
        const expected = await suite.fn.leaderboard(apiQueryFor(await dataOptionsOf(host)));
        await waitForRowsIn(host, expected, id);
      }
      // Every page answer is in while the facets are still held: a widget that restarted its
      // facets request on a page load would have sent another by now.
      releaseMeta();
      const meta = await suite.fn.meta();
      const allLabel = `All modes (${new Intl.NumberFormat('en-US').format(meta.totalScores)})`;
      let boardsWithModeFilter = 0;
      for (const id of BOARDS) {
        const select = page.locator(`#${id} select[name="mode"]`);
        if ((await select.count()) === 0) continue;
        boardsWithModeFilter += 1;
        await waitUntil(
          () => select.locator('option').first().textContent(),
          (text) => text?.trim() === allLabel,
          { what: `${id}: the mode filter's counts from /meta` },
        );
      }
      assert.ok(boardsWithModeFilter >= 5, `boards with a mode filter: ${boardsWithModeFilter}`);
      assert.deepEqual(metaRequests, [`${suite.endpoint}/meta`]);
    });
  });

  test('widgets work independently: changing one board leaves the other nine as they were', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('test-many.html'));
      const expectedOf = new Map();
      for (const id of BOARDS) {
        const host = page.locator(`#${id}`);
        const expected = await suite.fn.leaderboard(apiQueryFor(await dataOptionsOf(host)));
        expectedOf.set(id, expected);
        await waitForRowsIn(host, expected, id);
      }
      // Board 1 (mode Solo): switch its mode control to Trio and sort by player.
      const first = page.locator('#b1');
      await first.locator('select[name="mode"]').selectOption('Trio');
      await waitForRowsIn(first, await suite.fn.leaderboard({ mode: 'Trio', pageSize: 10 }), 'b1 on Trio');
      await first.locator('button[data-sort="player"]').click();
      await waitForRowsIn(
        first,
        await suite.fn.leaderboard({ mode: 'Trio', pageSize: 10, sort: 'player', order: 'asc' }),
        'b1 on Trio by player',
      );
      for (const id of BOARDS.slice(1)) {
        await waitForRowsIn(page.locator(`#${id}`), expectedOf.get(id), `${id} unchanged`);
      }
      // The other Solo board still filters Solo.
      assert.equal(await page.locator('#b7 select[name="mode"]').inputValue(), 'Solo');
    });
  });
});
