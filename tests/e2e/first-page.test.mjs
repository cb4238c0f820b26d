// The native page asks for the widget's first page and facets while the wasm loads
// (index.html's preload links), and the widget takes those answers: one request each.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, useSuite, waitForRowsOf, waitUntil, withPage } from './harness.mjs';

const suite = useSuite();

test('the first page and the facets are fetched once, started before the wasm', TEST_OPTIONS, async (t) => {
  await withPage(t, suite.browser, {}, async (page) => {
    const api = [];
    let wasmAskedAt = null;
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/LeaderboardFunction')) api.push({ path: url.pathname + url.search, at: Date.now() });
      if (url.pathname.endsWith('_bg.wasm')) wasmAskedAt ??= Date.now();
    });
    // Hold the wasm: the page's own requests must not wait for it.
    let release;
    const held = new Promise((resolveHeld) => (release = resolveHeld));
    await page.route(/_bg\.wasm$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${suite.server.origin}/`, { waitUntil: 'domcontentloaded' });
    await waitUntil(() => api.length, (count) => count === 2, { what: 'the two preloads, with the wasm held' });
    release();
    await waitForRowsOf(page, await suite.server.leaderboard());
    await waitUntil(() => page.locator('select[name="mode"] option').count(), (count) => count > 1, { what: 'the facets' });
    assert.deepEqual(api.map((request) => request.path).sort(), ['/api/LeaderboardFunction', '/api/LeaderboardFunction/meta']);
    assert.ok(wasmAskedAt !== null);
  });
});
