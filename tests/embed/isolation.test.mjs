// What a host page cannot break: hostile CSS does not reach into the shadow roots, a strict
// Content-Security-Policy (no inline script or style) is enough, and a bad attribute shows
// its message in that widget only.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CDN_PATH,
  EMBED_DIST,
  StaticServer,
  TEST_OPTIONS,
  useEmbedSuite,
  waitForRowsIn,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useEmbedSuite();

/** Records CSP violations (events and console reports) from the first script on. */
async function watchCsp(page) {
  const console = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return {
    console,
    events: () => page.evaluate(() => window.__cspViolations),
  };
}

describe('isolation from the host page', () => {
  test('hostile CSS (all: unset, display: none on tables and buttons) leaves a visible, working table', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(suite.page('test-hostile-css.html'));
      const board = page.locator('#board');
      const element = page.locator('#element');
      await waitForRowsIn(board, await suite.fn.leaderboard({ mode: 'Duo', pageSize: 5 }), 'the div board');
      await waitForRowsIn(element, await suite.fn.leaderboard({ region: 'Andromeda', pageSize: 5 }), 'the element board');
      for (const host of [board, element]) {
        assert.equal(await host.locator('table').isVisible(), true, 'table visible');
        assert.equal(await host.locator('tbody tr').first().isVisible(), true, 'rows visible');
        assert.equal(await host.locator('button[data-sort="score"]').isVisible(), true, 'sort buttons visible');
        const box = await host.locator('table').boundingBox();
        assert.ok(box.height > 150 && box.width > 300, `table box ${JSON.stringify(box)}`);
        // The page's red 40px serif does not reach the cells.
        const cell = await host.locator('td.score').first().evaluate((td) => {
          const style = getComputedStyle(td);
          return { color: style.color, fontSize: style.fontSize, display: style.display, background: style.backgroundColor };
        });
        assert.notEqual(cell.color, 'rgb(255, 0, 0)', JSON.stringify(cell));
        assert.notEqual(cell.fontSize, '40px', JSON.stringify(cell));
        assert.equal(cell.display, 'table-cell');
        assert.notEqual(cell.background, 'rgb(255, 255, 0)', JSON.stringify(cell));
      }
      // And it still works: sorting by player through the header button.
      await board.locator('button[data-sort="player"]').click();
      await waitForRowsIn(
        board,
        await suite.fn.leaderboard({ mode: 'Duo', pageSize: 5, sort: 'player', order: 'asc' }),
        'sorted by player',
      );
    });
  });

  test('a strict CSP (no inline script or style) renders every kind of embed with zero violations', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const csp = await watchCsp(page);
      await page.goto(suite.page('test-strict-csp.html'));
      const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/, policy);
      assert.match(policy, new RegExp(`script-src 'self' ${suite.cdn.origin} 'wasm-unsafe-eval'`), policy);
      assert.match(policy, new RegExp(`connect-src 'self' ${suite.cdn.origin} ${suite.fn.origin}`), policy);
      // Nothing for styles: the widget's CSS is a constructable stylesheet made by the wasm.
      assert.match(policy, /style-src 'self';/, policy);

      await waitForRowsIn(page.locator('#loader + div[data-space-leaderboard]'), await suite.fn.leaderboard({ mode: 'Solo', pageSize: 5 }), 'script-tag board');
      await waitForRowsIn(page.locator('#data-board'), await suite.fn.leaderboard({ region: 'Andromeda', pageSize: 5 }), 'div board');
      await waitForRowsIn(page.locator('#element'), await suite.fn.leaderboard({ mode: 'Duo', pageSize: 5 }), 'custom element');
      await waitForRowsIn(page.locator('#board'), await suite.fn.leaderboard({ pageSize: 5 }), 'JS API board');
      // Interaction under the CSP too: a profile dialog (avatars load from the function's origin).
      const host = page.locator('#data-board');
      await host.locator('button.player-name').first().click();
      await host.locator('[role="dialog"]').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await page.locator('#toggle-theme').click();
      await waitUntil(() => page.locator('#board .slb').getAttribute('class'), (c) => /theme-light/.test(c), { what: 'theme toggled' });

      assert.deepEqual(await csp.events(), [], 'securitypolicyviolation events');
      assert.deepEqual(csp.console, [], 'CSP console reports');
    });
  });

  test("the same page without 'wasm-unsafe-eval' is refused by the CSP and says so in each widget", TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const csp = await watchCsp(page);
      await page.goto(suite.page('test-strict-csp.html?csp-without=wasm-unsafe-eval'));
      const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.doesNotMatch(policy, /wasm-unsafe-eval/);
      const message = page.locator('#data-board [role="alert"]');
      await waitUntil(() => message.textContent(), (text) => /could not load/.test(text), { what: 'the load failure message' });
      await waitUntil(() => csp.events(), (events) => events.some((e) => /script-src/.test(e)), { what: 'a script-src violation' });
      assert.equal(await page.locator('#data-board tbody tr').count(), 0);
    });
  });

  test('connect-src without the embed origin refuses the wasm fetch (so the README CSP lists it)', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const csp = await watchCsp(page);
      await page.goto(suite.page('test-strict-csp.html?csp-connect=function-only'));
      const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(policy, new RegExp(`connect-src 'self' ${suite.fn.origin};`), policy);
      const message = page.locator('#data-board [role="alert"]');
      await waitUntil(() => message.textContent(), (text) => /could not load/.test(text), { what: 'the load failure message' });
      const events = await csp.events();
      assert.ok(events.some((e) => /connect-src blocked .*_bg\.wasm/.test(e)), events.join('\n'));
    });
  });

  test('an embed host without CORS headers: the loader runs, the modules are refused, each widget says so', TEST_OPTIONS, async (t) => {
    const bareHost = new StaticServer({ root: EMBED_DIST, prefix: CDN_PATH, cors: false });
    await bareHost.start();
    try {
      await withPage(t, suite.browser, {}, async (page) => {
        await page.goto(suite.page('test-blank.html'));
        await page.evaluate(
          ([src, endpoint]) => {
            const script = document.createElement('script');
            script.src = src;
            script.dataset.endpoint = endpoint;
            document.getElementById('app').append(script);
          },
          [bareHost.url('space-leaderboard.js'), suite.endpoint],
        );
        const message = page.locator('#app [data-space-leaderboard] [role="alert"]');
        await waitUntil(() => message.textContent(), (text) => /could not load/.test(text), { what: 'the load failure message' });
        assert.equal(await page.evaluate(() => typeof window.SpaceLeaderboard), 'object', 'the loader itself ran');
        assert.deepEqual(
          { wasm: bareHost.count('_bg.wasm'), glue: bareHost.count('space-leaderboard-core.js') },
          { wasm: 1, glue: 1 },
          'both modules were requested',
        );
      });
    } finally {
      await bareHost.stop();
    }
  });

  test('a bad attribute shows a readable message in that widget only; the others and the page work', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(suite.page('test-bad-attribute.html'));
      await waitForRowsIn(page.locator('#good-before'), await suite.fn.leaderboard({ mode: 'Solo', pageSize: 5 }), 'the board before');
      await waitForRowsIn(page.locator('#good-after'), await suite.fn.leaderboard({ mode: 'Duo', pageSize: 5 }), 'the board after');

      const messages = {
        'bad-page-size': /Invalid option pageSize \(data-page-size\): expected a whole number from 1 to 50, got "lots"/,
        'bad-theme': /Invalid option theme \(data-theme\): expected light, dark or auto, got "purple"/,
        'bad-element': /Invalid option endpoint \(data-endpoint\)/,
      };
      for (const [id, pattern] of Object.entries(messages)) {
        const alert = page.locator(`#${id} [role="alert"]`);
        await waitUntil(() => alert.textContent(), (text) => pattern.test(text), { what: `the message of #${id}` });
        assert.equal(await alert.isVisible(), true, `#${id} message visible`);
        assert.equal(await page.locator(`#${id} table`).count(), 0, `#${id} shows no table`);
      }
      // The good boards still react to the reader.
      await page.locator('#good-after select[name="region"]').selectOption('Pinwheel');
      await waitForRowsIn(
        page.locator('#good-after'),
        await suite.fn.leaderboard({ mode: 'Duo', region: 'Pinwheel', pageSize: 5 }),
        'the good board filtered',
      );
      assert.equal(await page.locator('#page-still-works').isVisible(), true);
      assert.deepEqual(errors, []);
      // Fixing the attribute of the bad element brings its board.
      await page.locator('#bad-element').evaluate((element, endpoint) => element.setAttribute('endpoint', endpoint), suite.endpoint);
      await waitForRowsIn(page.locator('#bad-element'), await suite.fn.leaderboard({ pageSize: 10 }), 'the fixed element');
    });
  });
});
