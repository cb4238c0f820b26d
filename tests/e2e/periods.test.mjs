// Boards that reset, in the browser: the period tabs (All time, This month, This week, Today),
// "Last week" (the previous period), "Resets in …", the "Best per player" switch and the
// `period` / `lockPeriod` / `view` options, against a function serving timed scores. Expected
// rows come from the function's own API for the same query; nothing is mocked.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS,
  AXE_PATH,
  TEST_OPTIONS,
  collectLayoutShifts,
  currentPageSize,
  layoutShiftTotal,
  serveNativePageWith,
  useSuite,
  waitForAnyRows,
  waitForRowsOf,
  waitUntil,
  withPage,
} from './harness.mjs';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Gives the generated scores a `playedAt` spread over the last 45 days (every fifth stays
 * untimed: it counts for all time only), relative to the clock when the data is planted, so
 * the current day, week and month and the previous ones all hold scores. A few are played in
 * the last seconds, so today is never empty.
 */
function plantTimes(dir) {
  const path = join(dir, 'scores.json');
  const scores = JSON.parse(readFileSync(path, 'utf8'));
  const now = Date.now();
  scores.forEach((score, i) => {
    if (i % 5 === 4) return;
    const ago = i % 45 === 0 ? (i % 30) * 1000 : (i % 45) * DAY + (i % 24) * HOUR + (i % 60) * MINUTE;
    score.playedAt = new Date(now - ago).toISOString();
  });
  writeFileSync(path, JSON.stringify(scores));
}

const suite = useSuite({ prepareData: plantTimes });

const tab = (page, period) => page.locator(`[role="tablist"] [role="tab"][data-period="${period}"]`);

/** The page's first rows for `params` as the API answers them, at the widget's page size. */
async function expected(page, params) {
  return suite.server.leaderboard({ pageSize: await currentPageSize(page), ...params });
}

/** The date (YYYY-MM-DD) of the day before `start` (an ISO time): in the previous period. */
function dayBefore(start) {
  return new Date(Date.parse(start) - 1).toISOString().slice(0, 10);
}

describe('period tabs', () => {
  test('the meta says the data holds timed scores', TEST_OPTIONS, async () => {
    const meta = await suite.server.meta();
    assert.ok(meta.periods, 'meta.periods present');
    assert.ok(meta.periods.week.withData.length >= 2, JSON.stringify(meta.periods.week));
  });

  test('each tab shows its period as the API answers it, keeping filters, from page 1', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(`${suite.server.origin}/`);
      await waitForAnyRows(page);
      await waitForRowsOf(page, await expected(page, {}), 'all time');
      await page.getByRole('tablist').waitFor();
      assert.deepEqual(
        await page.locator('[role="tablist"] [role="tab"]').evaluateAll((tabs) => tabs.map((t) => t.dataset.period)),
        ['all', 'month', 'week', 'day'],
      );
      assert.equal(await tab(page, 'all').getAttribute('aria-selected'), 'true');

      // A filter and page 2, then a tab: the filter stays, the page is the first.
      await page.locator('select[name="mode"]').selectOption('Solo');
      await waitForRowsOf(page, await expected(page, { mode: 'Solo' }), 'Solo, all time');
      await page.locator('nav.pagination button[data-page="2"]').click();
      await waitForRowsOf(page, await expected(page, { mode: 'Solo', page: 2 }), 'Solo, page 2');

      for (const period of ['week', 'month', 'day']) {
        await tab(page, period).click();
        const answer = await expected(page, { mode: 'Solo', period });
        assert.equal(answer.period, period);
        await waitForRowsOf(page, answer, `Solo, this ${period}`);
        assert.equal(await tab(page, period).getAttribute('aria-selected'), 'true');
        assert.equal(await tab(page, 'all').getAttribute('aria-selected'), 'false');
        assert.match(await page.locator('.periods .resets').textContent(), /^Resets in \d+ (d|h|min)/);
      }
      const allTime = await expected(page, { mode: 'Solo' });
      const week = await expected(page, { mode: 'Solo', period: 'week' });
      assert.ok(week.totalResults < allTime.totalResults, 'a week holds fewer scores than all time');

      // Keyboard: arrows move along the tablist and select.
      await tab(page, 'day').focus();
      await page.keyboard.press('ArrowLeft');
      await waitForRowsOf(page, week, 'this week by keyboard');
      assert.equal(await tab(page, 'week').getAttribute('aria-selected'), 'true');

      await tab(page, 'all').click();
      await waitForRowsOf(page, allTime, 'back to all time');
      assert.equal(await page.locator('.periods .resets').count(), 0, 'all time never resets');
    });
  });

  test('"Last week" shows the previous week, and pressed again the current one', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(`${suite.server.origin}/`);
      await waitForAnyRows(page);
      await tab(page, 'week').click();
      const current = await expected(page, { period: 'week' });
      await waitForRowsOf(page, current, 'this week');
      const previousButton = page.locator('.periods .previous');
      assert.equal(await previousButton.textContent(), 'Last week');
      assert.equal(await previousButton.getAttribute('aria-pressed'), 'false');

      assert.equal(await page.locator('caption .subtitle').textContent(), 'This week');
      await previousButton.click();
      const lastWeek = await expected(page, { period: 'week', at: dayBefore(current.periodStart) });
      assert.equal(lastWeek.periodEnd, current.periodStart, 'the week just before');
      assert.ok(lastWeek.totalResults > 0, 'last week holds scores');
      await waitForRowsOf(page, lastWeek, 'last week');
      assert.equal(await previousButton.getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('.periods .resets').count(), 0, 'a past period does not reset');
      assert.equal(await page.locator('caption .subtitle').textContent(), 'Last week');

      await previousButton.click();
      await waitForRowsOf(page, current, 'this week again');
      assert.equal(await previousButton.getAttribute('aria-pressed'), 'false');

      await tab(page, 'day').click();
      assert.equal(await previousButton.textContent(), 'Yesterday');
      await previousButton.click();
      const today = await expected(page, { period: 'day' });
      await waitForRowsOf(page, await expected(page, { period: 'day', at: dayBefore(today.periodStart) }), 'yesterday');
    });
  });

  test('"Best per player" lists each player once, as view=best answers', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(`${suite.server.origin}/`);
      await waitForAnyRows(page);
      const best = page.locator('.periods .best');
      assert.equal(await best.getAttribute('aria-pressed'), 'false');
      await best.click();
      const answer = await expected(page, { view: 'best' });
      assert.equal(answer.view, 'best');
      await waitForRowsOf(page, answer, 'best per player');
      assert.equal(await best.getAttribute('aria-pressed'), 'true');
      const players = answer.scores.map((entry) => entry.profile.id);
      assert.equal(new Set(players).size, players.length, 'one row per player');
      const meta = await suite.server.meta();
      assert.equal(answer.totalResults, meta.totalPlayers);

      // Within a period too.
      await tab(page, 'month').click();
      await waitForRowsOf(page, await expected(page, { view: 'best', period: 'month' }), 'best this month');
      assert.equal(await page.locator('caption .subtitle').textContent(), 'This month · Best per player');
      await best.click();
      await waitForRowsOf(page, await expected(page, { period: 'month' }), 'every score this month');
    });
  });

  test('period, lockPeriod and view options: the initial tab, no tabs when locked', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await serveNativePageWith(page, { 'data-period': 'day', 'data-view': 'best' });
      await page.goto(`${suite.server.origin}/`);
      await waitForRowsOf(page, await suite.server.leaderboard({ period: 'day', view: 'best' }), 'today, best');
      await page.getByRole('tablist').waitFor();
      assert.equal(await tab(page, 'day').getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('.periods .best').getAttribute('aria-pressed'), 'true');
    });
    await withPage(t, suite.browser, {}, async (page) => {
      await serveNativePageWith(page, { 'data-lock-period': 'week' });
      await page.goto(`${suite.server.origin}/`);
      await waitForRowsOf(page, await suite.server.leaderboard({ period: 'week' }), 'this week, locked');
      await waitUntil(
        () => page.locator('.periods .resets').count(),
        (count) => count === 1,
        { what: 'the periods row (without tabs)' },
      );
      assert.equal(await page.getByRole('tablist').count(), 0, 'no tabs when the period is locked');
    });
  });

  test('axe-core finds no violations with the periods row, on a current and a past period', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, { viewport: { width: 900, height: 900 } }, async (page) => {
      await page.goto(`${suite.server.origin}/`);
      await waitForAnyRows(page);
      await tab(page, 'week').click();
      await waitForRowsOf(page, await expected(page, { period: 'week' }), 'this week');
      await page.addScriptTag({ path: AXE_PATH });
      const scan = () =>
        page.evaluate(async () => {
          const result = await window.axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target) }));
        });
      assert.deepEqual(await scan(), [], 'this week');
      await page.screenshot({ path: join(ARTIFACTS, 'leaderboard-periods.png') });
      await page.locator('.periods .previous').click();
      await page.locator('.periods .previous[aria-pressed="true"]').waitFor();
      await page.locator('.periods .best').click();
      await page.locator('.periods .best[aria-pressed="true"]').waitFor();
      await waitForAnyRows(page);
      assert.deepEqual(await scan(), [], 'last week, best per player');
    });
  });

  test('right to left (Hebrew), the left arrow moves to the next tab; the row speaks Hebrew', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await serveNativePageWith(page, { 'data-lang': 'he' });
      await page.goto(`${suite.server.origin}/`);
      await waitForAnyRows(page);
      await page.getByRole('tablist').waitFor();
      // Until Hebrew's file has arrived the widget shows English, then itself again.
      await waitUntil(() => tab(page, 'week').textContent(), (text) => text === 'השבוע', {
        what: 'the week tab in Hebrew',
      });
      await tab(page, 'all').focus();
      await page.keyboard.press('ArrowLeft');
      await waitForRowsOf(page, await expected(page, { period: 'month' }), 'this month by the left arrow');
      assert.equal(await tab(page, 'month').getAttribute('aria-selected'), 'true');
      assert.match(await page.locator('.periods .resets').textContent(), /^איפוס בעוד /);
    });
  });

  for (const [name, viewport] of [
    ['desktop', { width: 1350, height: 940 }],
    ['phone', { width: 412, height: 823 }],
  ]) {
    test(`a host naming a period gets the periods row from the first render: nothing moves when the meta arrives (${name})`, TEST_OPTIONS, async (t) => {
      await withPage(t, suite.browser, { viewport }, async (page) => {
        await collectLayoutShifts(page);
        await serveNativePageWith(page, { 'data-period': 'week' });
        await page.goto(`${suite.server.origin}/`);
        await waitForRowsOf(page, await suite.server.leaderboard({ period: 'week' }), 'this week');
        await page.locator('.periods:not(.pending) .resets').waitFor();
        await waitUntil(
          () => page.locator('img').evaluateAll((imgs) => imgs.every((img) => img.complete)),
          (done) => done,
          { what: 'avatar images settled' },
        );
        const { total, entries } = await layoutShiftTotal(page);
        assert.ok(total <= 0.01, `layout shift ${total}: ${JSON.stringify(entries)}`);
      });
    });
  }

  test('a bad period option shows the readable message', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await serveNativePageWith(page, { 'data-period': 'year' });
      await page.goto(`${suite.server.origin}/`);
      await waitUntil(
        () => page.getByText('Invalid option period (data-period): expected all, day, week or month, got "year"').count(),
        (count) => count === 1,
        { what: 'the option error' },
      );
    });
  });
});
