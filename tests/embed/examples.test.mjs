// The example pages of www/examples, each served from another origin than both the function
// and the embed (a CDN path on a third origin): every way of embedding renders the rows the
// function's JSON API gives for the same options.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_OPTIONS,
  apiQueryFor,
  collectLayoutShifts,
  dataOptionsOf,
  layoutShiftTotal,
  recordRequests,
  useEmbedSuite,
  waitForRowsIn,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useEmbedSuite();

describe('example pages', () => {
  test('blog post: the script tag alone renders its widget right after itself with its data-* options', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('blog-post.html'));
      const host = page.locator('script[src$="space-leaderboard.js"] + div[data-space-leaderboard]');
      const expected = await suite.fn.leaderboard({ mode: 'Solo', pageSize: 5 });
      await waitForRowsIn(host, expected, 'the Solo board after the script tag');
      // Options copied from the tag: light theme and the given caption.
      assert.equal(await host.locator('.slb').getAttribute('class').then((c) => /theme-light/.test(c)), true);
      assert.match(await host.locator('caption').textContent(), /Solo leaderboard/);
      // Still inside the article, between the two paragraphs.
      const position = await host.evaluate((element) => ({
        parent: element.parentElement.tagName,
        next: element.nextElementSibling?.textContent.trim().slice(0, 9),
      }));
      assert.deepEqual(position, { parent: 'ARTICLE', next: 'Next week' });
    });
  });

  for (const [name, viewport] of [
    ['desktop', { width: 1350, height: 940 }],
    ['phone', { width: 412, height: 823 }],
  ]) {
    test(`blog post: the article does not move when the widget appears (${name})`, TEST_OPTIONS, async (t) => {
      await withPage(t, suite.browser, { viewport }, async (page) => {
        await collectLayoutShifts(page);
        await page.goto(suite.page('blog-post.html'));
        const host = page.locator('script[src$="space-leaderboard.js"] + div[data-space-leaderboard]');
        await waitForRowsIn(host, await suite.fn.leaderboard({ mode: 'Solo', pageSize: 5 }), 'the Solo board');
        await host.locator('img').evaluateAll((imgs) => Promise.all(imgs.map((img) => img.decode().catch(() => {}))));
        const { total, entries } = await layoutShiftTotal(page);
        assert.ok(total <= 0.01, `layout shift ${total} > 0.01: ${JSON.stringify(entries)}`);
      });
    });
  }

  test('the embed never blocks the page: it loads and reads while the wasm is still on its way', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      let release;
      const held = new Promise((resolveHeld) => {
        release = resolveHeld;
      });
      let asked;
      const wasmAsked = new Promise((resolveAsked) => {
        asked = resolveAsked;
      });
      await page.route(/_bg\.wasm$/, async (route) => {
        asked();
        await held;
        await route.continue();
      });
      const pages = recordRequests(page, '/api/LeaderboardFunction');
      // `load` fires with the wasm held back.
      await page.goto(suite.page('blog-post.html'), { waitUntil: 'load' });
      await wasmAsked;
      // The loader asked for the first page while the wasm is still on its way.
      await waitUntil(() => pages.length, (count) => count === 1, { what: 'the first page asked for by the loader' });
      assert.equal(await page.evaluate(() => document.readyState), 'complete');
      assert.equal(await page.locator('article p').last().isVisible(), true);
      assert.equal(await page.locator('tbody tr[data-entry-id]').count(), 0, 'no rows before the wasm');
      release();
      const host = page.locator('script[src$="space-leaderboard.js"] + div[data-space-leaderboard]');
      await waitForRowsIn(host, await suite.fn.leaderboard({ mode: 'Solo', pageSize: 5 }), 'rows once the wasm arrived');
      // ...and the widget used that answer instead of asking again.
      assert.deepEqual(pages.map((url) => url.search), ['?pageSize=5&mode=Solo']);
    });
  });

  test('gaming review: three dark, compact boards locked to Solo and a region, side by side', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const wasm = recordRequests(page, '_bg.wasm');
      await page.goto(suite.page('gaming-review.html'));
      const boxes = [];
      for (const id of ['board-milky-way', 'board-andromeda', 'board-pinwheel']) {
        const host = page.locator(`#${id}`);
        const query = apiQueryFor(await dataOptionsOf(host));
        assert.equal(query.mode, 'Solo');
        await waitForRowsIn(host, await suite.fn.leaderboard(query), id);
        const root = host.locator('.slb');
        const classes = await root.getAttribute('class');
        assert.match(classes, /theme-dark/, `${id} is dark`);
        assert.match(classes, /compact/, `${id} is compact`);
        // Locked: the reader cannot change the mode or region, and there is no search box.
        assert.equal(await host.locator('select[name="mode"]').count(), 0, `${id} has no mode control`);
        assert.equal(await host.locator('select[name="region"]').count(), 0, `${id} has no region control`);
        assert.equal(await host.locator('input[name="q"]').count(), 0, `${id} has no search`);
        boxes.push(await host.boundingBox());
      }
      // Side by side at 1280 px: same top, increasing left.
      assert.ok(boxes.every((box) => Math.abs(box.y - boxes[0].y) < 2), JSON.stringify(boxes));
      assert.ok(boxes[0].x < boxes[1].x && boxes[1].x < boxes[2].x, JSON.stringify(boxes));
      assert.equal(wasm.length, 1, 'the wasm is fetched once for three boards');
    });
  });

  test('Space Game page: the <space-leaderboard> element renders the whole leaderboard', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('space-game.html'));
      const host = page.locator('space-leaderboard#leaderboard');
      await waitForRowsIn(host, await suite.fn.leaderboard({ pageSize: 10 }), 'the full board');
      assert.equal(await host.locator('select[name="mode"]').count(), 1, 'filters are shown');
      assert.match(await host.locator('.slb').getAttribute('class'), /theme-dark/);
    });
  });

  test('JS API page: SpaceLeaderboard.mount renders, and its buttons update and destroy the widget', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('js-api.html'));
      const host = page.locator('#board');
      await waitForRowsIn(host, await suite.fn.leaderboard({ pageSize: 5 }), 'the mounted board');
      await page.locator('#show-duo').click();
      await waitForRowsIn(host, await suite.fn.leaderboard({ mode: 'Duo', pageSize: 5 }), 'Duo after update');
      await page.locator('#remove').click();
      await page.waitForFunction(() => document.getElementById('board').shadowRoot.childNodes.length === 0);
    });
  });
});
