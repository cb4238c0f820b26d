// The custom element and the JS API over a widget's life: attributes and update() change
// it, removal and destroy() leave nothing behind (no nodes, no stylesheet, no timers: no
// request after destroy), and calls made before the wasm has loaded are queued in order.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_OPTIONS,
  leftovers,
  recordRequests,
  useEmbedSuite,
  waitForRowsIn,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useEmbedSuite();

/** Leaderboard requests (not /meta) for one mode, to tell widgets apart. */
function leaderboardRequestsFor(requests, mode) {
  return requests.filter((url) => url.searchParams.get('mode') === mode).length;
}

describe('<space-leaderboard> custom element', () => {
  test('attribute changes update the widget and a bad value shows its message until fixed', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('space-game.html'));
      const host = page.locator('space-leaderboard#leaderboard');
      await waitForRowsIn(host, await suite.fn.leaderboard({ pageSize: 10 }), 'the initial board');

      const set = (name, value) =>
        host.evaluate((element, [n, v]) => (v === null ? element.removeAttribute(n) : element.setAttribute(n, v)), [name, value]);
      await set('mode', 'Duo');
      await waitForRowsIn(host, await suite.fn.leaderboard({ mode: 'Duo', pageSize: 10 }), 'mode="Duo"');
      await set('page-size', '5');
      await set('region', 'Andromeda');
      await waitForRowsIn(host, await suite.fn.leaderboard({ mode: 'Duo', region: 'Andromeda', pageSize: 5 }), 'Duo in Andromeda, 5 a page');
      await set('mode', null);
      await waitForRowsIn(host, await suite.fn.leaderboard({ region: 'Andromeda', pageSize: 5 }), 'mode removed: all modes');
      await set('theme', 'light');
      await waitUntil(() => host.locator('.slb').getAttribute('class'), (c) => /theme-light/.test(c), { what: 'light theme' });
      // The element's `lang` attribute is the language: its file comes from the CDN, beside
      // the glue, and the widget re-renders in place, right to left for Arabic.
      const language = () =>
        host.locator('.slb').evaluate((root) => [root.getAttribute('lang'), root.getAttribute('dir'), root.querySelector('th.rank').textContent.trim()]);
      await set('lang', 'de');
      await waitUntil(language, ([lang, dir, rank]) => lang === 'de' && dir === 'ltr' && rank === 'Rang', { what: 'German' });
      await set('lang', 'ar');
      await waitUntil(language, ([lang, dir, rank]) => lang === 'ar' && dir === 'rtl' && rank === 'المرتبة', { what: 'Arabic, right to left' });
      await set('lang', null);
      await waitUntil(language, ([lang, , rank]) => lang === 'en' && rank === 'Rank', { what: 'back to the page language' });

      await set('page-size', 'lots');
      const message = host.locator('.state-error');
      await waitUntil(() => message.textContent(), (text) => /pageSize/.test(text) && /data-page-size/.test(text), {
        what: 'the bad page-size message',
      });
      await set('page-size', '3');
      await waitForRowsIn(host, await suite.fn.leaderboard({ region: 'Andromeda', pageSize: 3 }), 'fixed page-size');

    });
  });

  test('a removed element leaves no nodes, stylesheet or widget, and renders again when re-inserted', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('space-game.html'));
      const host = page.locator('space-leaderboard#leaderboard');
      await waitForRowsIn(host, await suite.fn.leaderboard({ pageSize: 10 }), 'the initial board');
      const kept = await page.evaluateHandle(() => {
        const element = document.getElementById('leaderboard');
        element.remove();
        return element;
      });
      const state = () =>
        page.evaluate(async (element) => {
          const entry = await window.SpaceLeaderboard.ready;
          return {
            shadowNodes: element.shadowRoot.childNodes.length,
            adoptedSheets: element.shadowRoot.adoptedStyleSheets.length,
            live: entry.mountedCount(),
          };
        }, kept);
      await waitUntil(state, (s) => s.live === 0 && s.shadowNodes === 0 && s.adoptedSheets === 0, {
        what: 'the removed element to be empty',
      });
      // Re-inserted (a moved element): a fresh widget with the same attributes.
      await page.evaluate((element) => document.querySelector('main').append(element), kept);
      await waitForRowsIn(host, await suite.fn.leaderboard({ pageSize: 10 }), 'the re-inserted board');
      assert.deepEqual(await state(), { shadowNodes: 1, adoptedSheets: 1, live: 1 });
      // Moving it within the page (disconnect + connect in one task) keeps one working widget.
      await page.evaluate((element) => document.body.prepend(element), kept);
      await waitForRowsIn(host, await suite.fn.leaderboard({ pageSize: 10 }), 'the moved board');
      await waitUntil(state, (s) => s.live === 1 && s.shadowNodes === 1 && s.adoptedSheets === 1, {
        what: 'one widget after the move',
      });
    });
  });

  test('an element created by script renders with its attributes', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('space-game.html'));
      await page.evaluate(async (endpoint) => {
        await window.SpaceLeaderboard.ready;
        const element = document.createElement('space-leaderboard');
        element.id = 'scripted';
        element.setAttribute('endpoint', endpoint);
        element.setAttribute('mode', 'Trio');
        element.setAttribute('sort', 'region');
        element.setAttribute('page-size', '6');
        document.body.append(element);
      }, suite.endpoint);
      await waitForRowsIn(
        page.locator('#scripted'),
        await suite.fn.leaderboard({ mode: 'Trio', sort: 'region', pageSize: 6 }),
        'the scripted element',
      );
    });
  });
});

describe('SpaceLeaderboard.mount JS API', () => {
  test('calls made before the wasm has loaded are queued and applied in order', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('test-blank.html'));
      // Add the loader, and mount + update the moment it has run (the wasm is not loaded yet).
      const before = await page.evaluate(
        () =>
          new Promise((done) => {
            const app = document.getElementById('app');
            const script = document.createElement('script');
            script.src = app.dataset.loader;
            script.onload = () => {
              const host = document.createElement('div');
              host.id = 'queued';
              app.append(host);
              const handle = window.SpaceLeaderboard.mount(host, { endpoint: app.dataset.endpoint, mode: 'Solo' });
              const pendingBeforeLoad = host.shadowRoot === null;
              handle.update({ mode: 'Duo', pageSize: 4 });
              const updated = handle.update({ sort: 'player' });
              window.queuedHandle = handle;
              updated.then(() => done({ pendingBeforeLoad }));
            };
            document.head.append(script);
          }),
      );
      assert.equal(before.pendingBeforeLoad, true, 'mount returned before the wasm was ready');
      await waitForRowsIn(
        page.locator('#queued'),
        await suite.fn.leaderboard({ mode: 'Duo', pageSize: 4, sort: 'player', order: 'asc' }),
        'both queued updates applied',
      );
    });
  });

  test('update changes options, a bad value rejects with its message, destroy leaves no nodes or timers', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const requests = recordRequests(page, '/api/LeaderboardFunction');
      await page.goto(suite.page('js-api.html'));
      await page.evaluate(async (endpoint) => {
        await window.SpaceLeaderboard.ready;
        for (const [id, mode] of [['live-a', 'Solo'], ['live-b', 'Trio']]) {
          const host = document.createElement('div');
          host.id = id;
          document.body.append(host);
          window[id] = window.SpaceLeaderboard.mount(host, { endpoint, mode, pageSize: 3, refresh: 1 });
        }
        await Promise.all([window['live-a'].ready, window['live-b'].ready]);
      }, suite.endpoint);
      const a = page.locator('#live-a');
      await waitForRowsIn(a, await suite.fn.leaderboard({ mode: 'Solo', pageSize: 3 }), 'board A');
      // The live refresh runs: A asks again on its own.
      await waitUntil(() => leaderboardRequestsFor(requests, 'Solo'), (n) => n >= 2, { what: 'a refresh of A' });

      // update(): a bad value rejects with a readable message and the widget shows it.
      const rejected = await page.evaluate(() =>
        window['live-a'].update({ pageSize: 0 }).then(
          () => null,
          (error) => ({ message: error.message, shown: window['live-a'].error }),
        ),
      );
      assert.match(rejected.message, /Invalid option pageSize \(data-page-size\)/);
      assert.equal(rejected.shown, rejected.message);
      assert.match(await a.locator('[role="alert"]').textContent(), /pageSize/);
      await page.evaluate(() => window['live-a'].update({ pageSize: 4 }));
      await waitForRowsIn(a, await suite.fn.leaderboard({ mode: 'Solo', pageSize: 4 }), 'A after a good update');

      // destroy(): nothing left, and no more requests from A while B keeps refreshing.
      await page.evaluate(() => window['live-a'].destroy());
      assert.deepEqual(await leftovers(page, '#live-a'), { shadowNodes: 0, adoptedSheets: 0, live: 2 });
      const soloAfterDestroy = leaderboardRequestsFor(requests, 'Solo');
      const trioAtDestroy = leaderboardRequestsFor(requests, 'Trio');
      await waitUntil(() => leaderboardRequestsFor(requests, 'Trio'), (n) => n >= trioAtDestroy + 3, {
        what: 'three more refreshes of B',
      });
      assert.equal(leaderboardRequestsFor(requests, 'Solo'), soloAfterDestroy, 'A made no request after destroy');
      // Idempotent, and a destroyed handle refuses updates.
      const afterDestroy = await page.evaluate(async () => {
        await window['live-a'].destroy();
        return window['live-a'].update({ mode: 'Duo' }).then(() => 'resolved', (e) => e.message);
      });
      assert.match(afterDestroy, /destroyed/);
      await page.evaluate(() => window['live-b'].destroy());
      assert.deepEqual(await leftovers(page, '#live-b'), { shadowNodes: 0, adoptedSheets: 0, live: 1 });
    });
  });
});
