// Boards that reset, in the browser: the period tabs (All time, This month, This week, Today),
// "Last week" (the previous period), "Resets in …", the "Best per player" switch and the
// `period` / `lockPeriod` / `view` options, against a function serving timed scores. Expected
// rows come from the function's own API for the same query; nothing is mocked. The time is
// injected, never waited for: the browser's by Playwright's `page.clock`, the function's by its
// `--test-clock-file`, moved together across midnight. The row's layout is checked by its
// boxes in every language at narrow widths.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACTS,
  AXE_PATH,
  REPO,
  TEST_OPTIONS,
  collectLayoutShifts,
  currentPageSize,
  expectedRange,
  layoutShiftTotal,
  recordLeaderboardRequests,
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

/**
 * The function's clock (its hidden `--test-clock-file`): absent, the system clock; a test
 * that moves the time writes it and removes it when done.
 */
const CLOCK_DIR = mkdtempSync(join(tmpdir(), 'slb-e2e-clock-'));
const CLOCK_FILE = join(CLOCK_DIR, 'now');
after(() => rmSync(CLOCK_DIR, { recursive: true, force: true }));

const suite = useSuite({ prepareData: plantTimes, server: { extraArgs: ['--test-clock-file', CLOCK_FILE] } });

/** Every language file, by tag: `{ de: { periodWeek: 'Diese Woche', ... }, ... }`. */
const LANGUAGES = Object.fromEntries(
  readdirSync(join(REPO, 'src', 'i18n'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file.slice(0, -'.json'.length), JSON.parse(readFileSync(join(REPO, 'src', 'i18n', file), 'utf8'))]),
);

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
      // A narrow widget: the tablist scrolls sideways.
      await page.setViewportSize({ width: 320, height: 900 });
      await page.locator('.periods .previous').click();
      await page.locator('.periods .previous[aria-pressed="false"]').waitFor();
      await waitForAnyRows(page);
      assert.equal(await page.getByRole('tablist').evaluate((list) => list.scrollWidth > list.clientWidth), true, 'the tabs scroll');
      assert.deepEqual(await scan(), [], 'this week at 320 px');
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
    ['narrow phone', { width: 360, height: 740 }],
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

describe('the periods row follows the clock', () => {
  test('"Resets in" counts the minutes down, and at midnight the board moves to the new day by itself', TEST_OPTIONS, async (t) => {
    // Both clocks a little before the last midnight: the browser's (Playwright's clock) and
    // the function's (its clock file). The day before and the day since both hold scores.
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const start = midnight - 2 * MINUTE;
    writeFileSync(CLOCK_FILE, new Date(start).toISOString());
    try {
      await withPage(t, suite.browser, {}, async (page) => {
        await page.clock.install({ time: start });
        // The page's pending timeouts (after the fake clock's, so they are its timers).
        await page.addInitScript(() => {
          const pending = new Set();
          window.pendingTimeouts = pending;
          const { setTimeout: set, clearTimeout: clear } = window;
          window.setTimeout = (handler, ms, ...rest) => {
            const id = set((...args) => {
              pending.delete(id);
              handler(...args);
            }, ms, ...rest);
            pending.add(id);
            return id;
          };
          window.clearTimeout = (id) => {
            pending.delete(id);
            clear(id);
          };
        });
        const pendingTimeouts = () => page.evaluate(() => window.pendingTimeouts.size);
        await serveNativePageWith(page, { 'data-period': 'day' });
        await page.goto(`${suite.server.origin}/`);
        await waitForAnyRows(page);
        const yesterday = await expected(page, { period: 'day' });
        assert.equal(Date.parse(yesterday.periodEnd), midnight, 'the function reads the day before midnight');
        await waitForRowsOf(page, yesterday, 'the day before midnight');
        await page.locator('.periods:not(.pending) .resets').waitFor();
        // Time stands still from here: it moves only as the test says.
        await page.clock.pauseAt(start + 30_000);
        const resets = page.locator('.periods .resets');
        assert.equal(await resets.textContent(), 'Resets in 2 min');
        const requests = recordLeaderboardRequests(page);

        // (A second more: the timer was set while the clock still ran, a few ms after the render
        // that computed it.)
        await page.clock.runFor(31_000);
        await waitUntil(() => resets.textContent(), (text) => text === 'Resets in 1 min', {
          what: 'the time left a minute later',
        });
        assert.equal(requests.length, 0, 'counting down asks the server nothing');

        // Midnight: the function's clock half a minute past it, the browser's a second past.
        writeFileSync(CLOCK_FILE, new Date(midnight + 30_000).toISOString());
        const today = await expected(page, { period: 'day' });
        assert.equal(Date.parse(today.periodStart), midnight, 'the function reads the new day');
        assert.notEqual(today.totalResults, yesterday.totalResults, 'the two days differ');
        await page.clock.runFor(60_000);
        await waitForRowsOf(page, today, 'the new day, without a click');
        assert.equal(requests.length, 1, `one request at midnight: ${requests.join(' ')}`);
        assert.equal(requests[0].searchParams.get('period'), 'day');
        assert.equal(requests[0].searchParams.get('at'), null, 'the current day, as the function names it');
        assert.equal(await tab(page, 'day').getAttribute('aria-selected'), 'true');
        await waitUntil(() => resets.textContent(), (text) => text === 'Resets in 1 d', {
          what: 'the new day\'s time left',
        });
        assert.equal(await page.locator('.periods .previous').textContent(), 'Yesterday');
        // Screen readers hear the new day's count (the table's live region).
        assert.equal(
          await page.locator('.slb [role="status"]').textContent(),
          `${expectedRange(1, today.pageSize, today.totalResults)} scores`,
        );

        assert.equal(await pendingTimeouts(), 1, 'the clock\'s timer');

        // All time never resets: no timer, nothing asked however long the page stays open.
        await tab(page, 'all').click();
        await waitForRowsOf(page, await expected(page, {}), 'all time');
        assert.equal(await pendingTimeouts(), 0, 'no timer on all time');
        const asked = requests.length;
        await page.clock.runFor(HOUR);
        assert.equal(requests.length, asked, 'no request on the all-time tab');
        assert.equal(await resets.count(), 0);

        // A destroyed widget leaves no timer behind (its host removed: auto-mount destroys it).
        await tab(page, 'day').click();
        await resets.waitFor();
        await waitUntil(pendingTimeouts, (count) => count === 1, { what: 'the clock\'s timer again' });
        await page.evaluate(() => document.querySelector('[data-space-leaderboard]').remove());
        await waitUntil(pendingTimeouts, (count) => count === 0, { what: 'no timer after the widget is destroyed' });
      });
    } finally {
      rmSync(CLOCK_FILE, { force: true });
    }
  });
});

/**
 * The periods row's layout boxes, in the page: what lies outside the widget's box (a tab
 * scrolled out of the tablist's view counts by what it shows), text wider than its box,
 * controls under 24 px, items drawn over each other, the tabs' lines, the selected tab's view.
 */
function measurePeriodsRow() {
  const host = document.querySelector('[data-space-leaderboard]');
  const root = host.shadowRoot.querySelector('div.slb');
  const box = root.getBoundingClientRect();
  const row = root.querySelector('.periods');
  const tablist = row.querySelector('[role="tablist"]');
  const view = tablist.getBoundingClientRect();
  const name = (el) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}[${el.textContent.trim().slice(0, 30)}]`;
  /** What of `el` is drawn: a tab is clipped by the scrolling tablist. */
  const shown = (el) => {
    const rect = el.getBoundingClientRect();
    if (!tablist.contains(el) || el === tablist) return rect;
    const left = Math.max(rect.left, view.left);
    const right = Math.min(rect.right, view.right);
    return { left, right, top: rect.top, bottom: rect.bottom, width: Math.max(0, right - left), height: rect.height };
  };
  const outside = [];
  const spilled = [];
  for (const el of row.querySelectorAll('*')) {
    const rect = shown(el);
    if (rect.width <= 1 || rect.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
    if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5) {
      outside.push(`${name(el)} [${Math.round(rect.left)}, ${Math.round(rect.right)}] in [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
    // The tablist holds more than it shows on purpose: it scrolls.
    if (el !== tablist && el.scrollWidth > el.clientWidth + 1) spilled.push(`${name(el)} ${el.scrollWidth} > ${el.clientWidth}`);
  }
  const items = [tablist, ...row.querySelectorAll('.resets, .previous, .best')];
  const rects = items.map((el) => el.getBoundingClientRect());
  const overlaps = [];
  rects.forEach((a, i) => {
    rects.slice(i + 1).forEach((b, j) => {
      const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      // The tablist's box reaches 4 px into its neighbours' gap (room for focus rings).
      if (width > 4.5 && height > 4.5) overlaps.push(`${name(items[i])} × ${name(items[i + 1 + j])}`);
    });
  });
  const small = [...row.querySelectorAll('[role="tab"], .previous, .best')]
    .filter((el) => el.getBoundingClientRect().width < 24 || el.getBoundingClientRect().height < 24)
    .map(name);
  const tabs = [...tablist.querySelectorAll('[role="tab"]')].map((el) => el.getBoundingClientRect());
  const selected = tablist.querySelector('[aria-selected="true"]').getBoundingClientRect();
  const bottom = (el) => el.getBoundingClientRect().bottom;
  const top = (el) => el.getBoundingClientRect().top;
  const [resets, previous, best] = ['.resets', '.previous', '.best'].map((selector) => row.querySelector(selector));
  return {
    outside,
    spilled,
    overlaps,
    small,
    tabLines: new Set(tabs.map((rect) => Math.round(rect.top))).size,
    selectedInView: selected.left >= view.left - 0.5 && selected.right <= view.right + 0.5,
    scrolls: tablist.scrollWidth > tablist.clientWidth,
    // The narrow layout: the tabs, the time left, the buttons, each below the one before.
    stacked: Boolean(resets && previous) && top(resets) >= bottom(tablist) - 4 && top(previous) >= bottom(resets) && top(best) >= bottom(resets),
    documentScroll: document.documentElement.scrollWidth,
    viewport: innerWidth,
    widget: Math.round(box.width),
  };
}

describe('the periods row at narrow widths', () => {
  test('in every language at 320 and 360 px: the tabs on one line, nothing outside the widget or over anything, targets ≥ 24 px (screenshots)', TEST_OPTIONS, async (t) => {
    // And at 600 px (a widget of about 545 px, just wider than the narrow layout).
    const widths = [320, 360, 600];
    const scrolled = [];
    for (const [lang, strings] of Object.entries(LANGUAGES)) {
      await withPage(t, suite.browser, { viewport: { width: 320, height: 900 } }, async (page) => {
        // The last tab selected from the start, and "Best per player" pressed (bold: its
        // widest).
        await serveNativePageWith(page, { 'data-lang': lang, 'data-period': 'day', 'data-view': 'best' });
        await page.goto(`${suite.server.origin}/`);
        await waitForAnyRows(page);
        await waitUntil(() => tab(page, 'week').textContent(), (text) => text === strings.periodWeek, {
          what: `the week tab in ${lang}`,
        });
        await page.locator('.periods:not(.pending) .resets').waitFor();
        const first = await page.evaluate(measurePeriodsRow);
        assert.ok(first.selectedInView, `${lang}: the selected tab in view from the start`);
        const path = join(ARTIFACTS, `periods-${lang}-320px.png`);
        await page.locator('.periods').screenshot({ path });
        assert.ok(statSync(path).size > 500, `${path} written`);
        // Keyboard: Home selects the first tab, scrolled into view with its focus.
        await tab(page, 'day').focus();
        await page.keyboard.press('Home');
        await page.locator('.periods [data-period="all"][aria-selected="true"]').waitFor();
        assert.ok((await page.evaluate(measurePeriodsRow)).selectedInView, `${lang}: Home shows the first tab`);
        // The day's time left is the longest ("23 h 59 min"), the week's previous period
        // mostly the longest label.
        for (const period of ['day', 'week']) {
          await tab(page, period).click();
          await page.locator(`.periods:not(.pending) [data-period="${period}"][aria-selected="true"]`).waitFor();
          await page.locator('.periods .resets').waitFor();
          for (const width of widths) {
            await page.setViewportSize({ width, height: 900 });
            const layout = await page.evaluate(measurePeriodsRow);
            const at = `${lang}, ${period}, ${width} px (widget ${layout.widget} px)`;
            assert.deepEqual(layout.outside, [], `${at}: every part of the row within the widget`);
            assert.deepEqual(layout.spilled, [], `${at}: no text wider than its box`);
            assert.deepEqual(layout.overlaps, [], `${at}: nothing drawn over anything`);
            assert.deepEqual(layout.small, [], `${at}: every control at least 24 × 24 px`);
            assert.ok(layout.documentScroll <= layout.viewport, `${at}: the page scrolls sideways (${layout.documentScroll}px)`);
            assert.equal(layout.tabLines, 1, `${at}: the tabs on one line`);
            if (width < 600) assert.ok(layout.stacked, `${at}: tabs, then the time left, then the buttons`);
            if (layout.scrolls) scrolled.push(`${lang} ${width}`);
            if (period === 'day' && width === 360) {
              const wide = join(ARTIFACTS, `periods-${lang}-360px.png`);
              await page.locator('.periods').screenshot({ path: wide });
            }
          }
          await page.setViewportSize({ width: 320, height: 900 });
        }
      });
    }
    t.diagnostic(`tabs scrolling sideways: ${[...new Set(scrolled)].join(', ')}`);
  });
});
