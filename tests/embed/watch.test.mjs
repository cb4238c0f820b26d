// The page is watched after load: `[data-space-leaderboard]` elements added later are
// mounted, removed ones destroyed (nothing left: no nodes, stylesheet, timers or requests),
// and `theme=auto` widgets follow a colour-scheme change live.

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

/** Loads the embed into the blank test page and waits until its wasm runs. */
async function openBlankPageWithLoader(page) {
  await page.goto(suite.page('test-blank.html'));
  await page.evaluate(
    () =>
      new Promise((done, fail) => {
        const app = document.getElementById('app');
        const script = document.createElement('script');
        script.src = app.dataset.loader;
        script.onload = () => window.SpaceLeaderboard.ready.then(done, fail);
        script.onerror = () => fail(new Error('the loader did not load'));
        document.head.append(script);
      }),
  );
}

/** Appends `<div data-space-leaderboard id=... data-*>` to the page's #app. */
function appendAutoHost(page, id, data) {
  return page.evaluate(
    ([hostId, attributes, endpoint]) => {
      const host = document.createElement('div');
      host.id = hostId;
      host.setAttribute('data-space-leaderboard', '');
      host.setAttribute('data-endpoint', endpoint);
      for (const [name, value] of Object.entries(attributes)) host.setAttribute(`data-${name}`, value);
      document.getElementById('app').append(host);
    },
    [id, data, suite.endpoint],
  );
}

const pageRequestsFor = (requests, mode) => requests.filter((url) => url.searchParams.get('mode') === mode).length;

describe('auto-mount watches the page', () => {
  test('a data-space-leaderboard element added after load renders; removing it destroys the widget and its timers', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const requests = recordRequests(page, '/api/LeaderboardFunction');
      await openBlankPageWithLoader(page);
      assert.equal(await page.evaluate(() => window.SpaceLeaderboard.ready.then((m) => m.mountedCount())), 0);

      // Two boards added by "the app" after load, both refreshing every second.
      await appendAutoHost(page, 'late-a', { mode: 'Solo', 'page-size': '3', refresh: '1' });
      await appendAutoHost(page, 'late-b', { mode: 'Trio', 'page-size': '3', refresh: '1' });
      const a = page.locator('#late-a');
      await waitForRowsIn(a, await suite.fn.leaderboard({ mode: 'Solo', pageSize: 3 }), 'the board added after load');
      await waitForRowsIn(page.locator('#late-b'), await suite.fn.leaderboard({ mode: 'Trio', pageSize: 3 }), 'the second board');
      await waitUntil(() => pageRequestsFor(requests, 'Solo'), (n) => n >= 2, { what: 'a live refresh of the added board' });

      // Removed by the app: nothing of it is left, and it asks for nothing more.
      await page.evaluate(() => {
        const host = document.getElementById('late-a');
        window['kept-late-a'] = host;
        host.remove();
      });
      await waitUntil(() => leftovers(page, '#late-a', 'kept-late-a'), (s) => s.shadowNodes === 0 && s.adoptedSheets === 0 && s.live === 1, {
        what: 'the removed board destroyed (no nodes, no stylesheet, one live widget left)',
      });
      const soloAtRemoval = pageRequestsFor(requests, 'Solo');
      const trioAtRemoval = pageRequestsFor(requests, 'Trio');
      await waitUntil(() => pageRequestsFor(requests, 'Trio'), (n) => n >= trioAtRemoval + 3, {
        what: 'three more refreshes of the board that stayed',
      });
      assert.equal(pageRequestsFor(requests, 'Solo'), soloAtRemoval, 'the removed board made no request after removal');

      // Put back, it is a fresh widget again; moved within one task, it stays mounted.
      await page.evaluate(() => document.getElementById('app').append(window['kept-late-a']));
      await waitForRowsIn(a, await suite.fn.leaderboard({ mode: 'Solo', pageSize: 3 }), 'the board put back');
      await page.evaluate(() => document.getElementById('app').prepend(window['kept-late-a']));
      await waitUntil(() => leftovers(page, '#late-a', 'kept-late-a'), (s) => s.shadowNodes === 1 && s.adoptedSheets === 1 && s.live === 2, {
        what: 'one widget in the moved board',
      });
      await waitForRowsIn(a, await suite.fn.leaderboard({ mode: 'Solo', pageSize: 3 }), 'the moved board');

      // An element that gains the attribute later is mounted too.
      await page.evaluate((endpoint) => {
        const host = document.createElement('div');
        host.id = 'flagged-later';
        host.dataset.endpoint = endpoint;
        host.dataset.region = 'Andromeda';
        host.dataset.pageSize = '4';
        document.getElementById('app').append(host);
        host.setAttribute('data-space-leaderboard', '');
      }, suite.endpoint);
      await waitForRowsIn(
        page.locator('#flagged-later'),
        await suite.fn.leaderboard({ region: 'Andromeda', pageSize: 4 }),
        'the element that gained data-space-leaderboard',
      );
    });
  });
});

describe('theme=auto follows the colour scheme live', () => {
  test('switching prefers-color-scheme switches the theme class of auto widgets only', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, { colorScheme: 'light' }, async (page) => {
      await openBlankPageWithLoader(page);
      await appendAutoHost(page, 'auto', { theme: 'auto', 'page-size': '3' });
      await appendAutoHost(page, 'fixed', { theme: 'dark', 'page-size': '3' });
      const expected = await suite.fn.leaderboard({ pageSize: 3 });
      await waitForRowsIn(page.locator('#auto'), expected, 'the auto-theme board');
      await waitForRowsIn(page.locator('#fixed'), expected, 'the dark board');
      const themes = () =>
        page.evaluate(() =>
          ['auto', 'fixed'].map((id) => {
            const root = document.getElementById(id).shadowRoot.querySelector('.slb');
            return [...root.classList].filter((c) => c.startsWith('theme-')).join(' ');
          }),
        );
      assert.deepEqual(await themes(), ['theme-light', 'theme-dark']);

      await page.emulateMedia({ colorScheme: 'dark' });
      await waitUntil(themes, (seen) => seen[0] === 'theme-dark', { what: 'the auto board in the dark theme' });
      assert.deepEqual(await themes(), ['theme-dark', 'theme-dark']);
      // The dark theme's colours apply (the class is not just a name).
      const background = () =>
        page.evaluate(() => getComputedStyle(document.getElementById('auto').shadowRoot.querySelector('.slb')).backgroundColor);
      assert.equal(await background(), 'rgb(11, 16, 38)');

      await page.emulateMedia({ colorScheme: 'light' });
      await waitUntil(themes, (seen) => seen[0] === 'theme-light', { what: 'the auto board back in the light theme' });
      assert.deepEqual(await themes(), ['theme-light', 'theme-dark'], 'a fixed theme never follows the system');
      assert.equal(await background(), 'rgb(247, 248, 252)');

      // A re-render after the switch keeps the live theme (yew and the listener agree).
      await page.locator('#auto button[data-sort="player"]').click();
      await waitForRowsIn(page.locator('#auto'), await suite.fn.leaderboard({ pageSize: 3, sort: 'player', order: 'asc' }), 'sorted by player');
      assert.deepEqual(await themes(), ['theme-light', 'theme-dark']);
      await page.emulateMedia({ colorScheme: 'dark' });
      await waitUntil(themes, (seen) => seen[0] === 'theme-dark', { what: 'dark again after a re-render' });
    });
  });
});
