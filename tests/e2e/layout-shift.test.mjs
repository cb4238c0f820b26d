// Layout stability of the native page: from navigation until the first page's rows, the
// facets and the avatars have all arrived, the page must not move (cumulative layout shift
// ≤ 0.01, the "good" threshold is 0.1). Layout-shift entries are collected by a
// PerformanceObserver installed before the page's first script, as a real user's browser
// would report them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_OPTIONS,
  collectLayoutShifts,
  layoutShiftTotal,
  serveNativePageWith,
  useSuite,
  waitForRowsOf,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useSuite();
const MAX_SHIFT = 0.01;

/** Opens the native page with `attributes` and returns the layout shift until it settles. */
async function shiftOfNativePage(page, attributes, pageSize) {
  await collectLayoutShifts(page);
  if (attributes) await serveNativePageWith(page, attributes);
  await page.goto(`${suite.server.origin}/`);
  await waitForRowsOf(page, await suite.server.leaderboard({ pageSize }));
  await waitUntil(
    () => page.locator('select option').count(),
    (count) => count > 2,
    { what: 'the mode and region facets' },
  );
  await waitUntil(
    () => page.locator('img').evaluateAll((imgs) => imgs.every((img) => img.complete)),
    (done) => done,
    { what: 'avatar images settled' },
  );
  return layoutShiftTotal(page);
}

for (const [name, viewport] of [
  ['desktop', { width: 1350, height: 940 }],
  ['phone', { width: 412, height: 823 }],
]) {
  test(`the native page does not move while the widget loads (${name})`, TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, { viewport }, async (page) => {
      const { total, entries } = await shiftOfNativePage(page, null, 10);
      assert.ok(total <= MAX_SHIFT, `layout shift ${total} > ${MAX_SHIFT}: ${JSON.stringify(entries)}`);
    });
  });
}

test('a compact board of 25 rows reserves its height too', TEST_OPTIONS, async (t) => {
  await withPage(t, suite.browser, { viewport: { width: 1350, height: 940 } }, async (page) => {
    const { total, entries } = await shiftOfNativePage(
      page,
      { 'data-page-size': '25', 'data-compact': 'true' },
      25,
    );
    assert.ok(total <= MAX_SHIFT, `layout shift ${total} > ${MAX_SHIFT}: ${JSON.stringify(entries)}`);
  });
});
