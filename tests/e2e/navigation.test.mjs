// Moving around the board: pagination to a deep page, the profile dialog by keyboard and by
// mouse, "Show on leaderboard" (around=), the `player` option's "find me", and avatars.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_OPTIONS,
  achievementCounts,
  currentPage,
  currentPageSize,
  expectedRange,
  focusedInWidget,
  rangeText,
  readRows,
  serveNativePageWith,
  useSuite,
  waitForAnyRows,
  waitForRowsOf,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useSuite();


const isDisabled = (locator) =>
  locator.evaluate((el) => el.disabled === true || el.getAttribute('aria-disabled') === 'true');

/** Page numbers and ellipses of the pagination, in order (`…` for an ellipsis). */
const pageList = (page) =>
  page.locator('nav.pagination').evaluate((nav) =>
    [...nav.querySelectorAll('button[data-page], span.ellipsis')].map((el) =>
      el.matches('span.ellipsis') ? '…' : Number(el.getAttribute('data-page')),
    ),
  );

const dialog = (page) => page.locator('[role="dialog"][aria-modal="true"]');

describe('navigating the board', () => {
  test('pagination reaches the last and a deep page with a condensed page list and correct range text', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      const first = await suite.server.leaderboard({ pageSize });
      const total = first.totalResults;
      const lastPage = Math.ceil(total / pageSize);
      assert.ok(lastPage >= 20, `enough pages to condense (${lastPage})`);
      await waitForRowsOf(page, first, 'page 1');

      const prev = page.locator('nav.pagination button[rel="prev"]');
      const next = page.locator('nav.pagination button[rel="next"]');
      assert.equal(await currentPage(page), 1);
      assert.ok(await isDisabled(prev), 'previous is disabled on page 1');
      assert.equal(await rangeText(page), expectedRange(1, pageSize, total));

      await next.click();
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, page: 2 }), 'page 2 after next');
      assert.equal(await currentPage(page), 2);
      assert.equal(await rangeText(page), expectedRange(2, pageSize, total));

      // Condensed: the first and last page are always offered, with ellipses for the gaps.
      const list = await pageList(page);
      assert.ok(list.includes(1) && list.includes(lastPage), `page list ${JSON.stringify(list)} offers 1 and ${lastPage}`);
      assert.ok(list.includes('…'), `page list ${JSON.stringify(list)} condenses with an ellipsis`);
      assert.ok(list.filter((p) => p !== '…').length <= 9, `page list ${JSON.stringify(list)} is short`);

      await page.locator(`nav.pagination button[data-page="${lastPage}"]`).click();
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, page: lastPage }), `last page ${lastPage}`);
      assert.equal(await currentPage(page), lastPage);
      assert.ok(await isDisabled(next), 'next is disabled on the last page');
      assert.equal(await rangeText(page), expectedRange(lastPage, pageSize, total));

      // Deep page: step back twice from the end, then jump with a page button near it.
      await prev.click();
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, page: lastPage - 1 }), `page ${lastPage - 1}`);
      await prev.click();
      const deep = lastPage - 2;
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, page: deep }), `page ${deep}`);
      const around = await pageList(page);
      for (const neighbour of [1, deep - 1, deep, deep + 1, lastPage]) {
        assert.ok(around.includes(neighbour), `page list ${JSON.stringify(around)} offers ${neighbour} around ${deep}`);
      }
      assert.deepEqual(around.slice(0, 2), [1, '…'], `a gap after page 1 in ${JSON.stringify(around)}`);
      await page.locator(`nav.pagination button[data-page="${deep - 1}"]`).click();
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, page: deep - 1 }), `page ${deep - 1} by its button`);
      assert.equal(await currentPage(page), deep - 1);
      assert.equal(await rangeText(page), expectedRange(deep - 1, pageSize, total));
      assert.equal(
        await page.locator('nav.pagination button[aria-current="page"]').count(),
        1,
        'exactly one page button is current',
      );
    });
  });

  test('changing the page size shows that many rows of the API page and keeps the range text right', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const sizes = await page.locator('select[name="pageSize"] option').evaluateAll((o) => o.map((x) => x.value));
      const current = String(await currentPageSize(page));
      const other = sizes.find((s) => s !== current);
      assert.ok(other, `page size offers another choice than ${current}: ${sizes}`);
      await page.locator('select[name="pageSize"]').selectOption(other);
      const pageSize = Number(other);
      const shownPage = await waitUntil(() => currentPage(page), (p) => p >= 1, { what: 'a current page' });
      const expected = await suite.server.leaderboard({ pageSize, page: shownPage });
      const rows = await waitForRowsOf(page, expected, `pageSize=${pageSize}`);
      assert.equal(rows.length, Math.min(pageSize, expected.totalResults));
      assert.equal(await rangeText(page), expectedRange(shownPage, pageSize, expected.totalResults));
    });
  });

  test('profile dialog opens with Enter on a name, lists achievements de-duplicated with counts, traps focus, and Esc returns focus', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      let pageSize = await currentPageSize(page);
      let expected = await suite.server.leaderboard({ pageSize });
      const repeats = (entry) => [...achievementCounts(entry.profile.achievements).values()].some((n) => n > 1);
      if (!expected.scores.some(repeats)) {
        await page.locator('select[name="pageSize"]').selectOption('50');
        pageSize = 50;
        expected = await suite.server.leaderboard({ pageSize });
      }
      await waitForRowsOf(page, expected);
      const target = expected.scores.find(repeats);
      assert.ok(target, 'a player on the first page with a repeated achievement');

      // Tab from the top of the document to the target's name button.
      await page.locator('body').focus();
      await waitUntil(
        async () => {
          await page.keyboard.press('Tab');
          return focusedInWidget(page);
        },
        (focused) => focused?.entryId === target.score.id && focused.className.includes('player-name'),
        { what: `Tab to reach ${target.profile.userName}'s name`, interval: 0 },
      );
      await page.keyboard.press('Enter');

      const box = dialog(page);
      await box.waitFor({ state: 'visible' });
      assert.equal((await box.locator('h2').textContent()).trim(), target.profile.userName);
      const rankText = await box.locator('.dialog-rank').textContent();
      assert.ok(rankText.replace(/[^\d]/g, ' ').split(' ').includes(String(target.rank)), `dialog rank "${rankText}" shows ${target.rank}`);
      assert.ok((await box.locator('img, .avatar-placeholder').count()) >= 1, 'dialog shows an avatar or its placeholder');

      const shown = await box.locator('ul.achievements li').evaluateAll((items) =>
        items.map((li) => {
          const count = li.querySelector('.count')?.textContent.trim() ?? null;
          const copy = li.cloneNode(true);
          copy.querySelectorAll('.count').forEach((n) => n.remove());
          return { name: copy.textContent.replace(/\s+/g, ' ').trim(), count };
        }),
      );
      const counts = achievementCounts(target.profile.achievements);
      assert.deepEqual(shown.map((a) => a.name).sort(), [...counts.keys()].sort(), 'each achievement listed once');
      for (const { name, count } of shown) {
        const n = counts.get(name);
        if (n > 1) assert.equal(count, `×${n}`, `${name} earned ${n} times`);
        else assert.ok(count === null || count === '×1', `${name} earned once shows "${count}"`);
      }

      // Focus moved into the dialog and cannot leave it with Tab or Shift+Tab.
      await waitUntil(() => focusedInWidget(page), (f) => f?.inDialog === true, { what: 'focus inside the dialog' });
      for (const key of ['Tab', 'Shift+Tab']) {
        for (let i = 0; i < 8; i += 1) {
          await page.keyboard.press(key);
          const focused = await focusedInWidget(page);
          assert.equal(focused?.inDialog, true, `after ${i + 1}× ${key} focus is on ${JSON.stringify(focused)}`);
        }
      }

      await page.keyboard.press('Escape');
      await box.waitFor({ state: 'hidden' });
      const back = await focusedInWidget(page);
      assert.equal(back?.entryId, target.score.id, `focus returned to the opener, not ${JSON.stringify(back)}`);
      assert.ok(back.className.includes('player-name'));
    });
  });

  test('profile dialog closes on a click outside it and returns focus to the name', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      const expected = await suite.server.leaderboard({ pageSize });
      await waitForRowsOf(page, expected);
      const entry = expected.scores[2];
      await page.locator(`tr[data-entry-id="${entry.score.id}"] button.player-name`).click();
      await dialog(page).waitFor({ state: 'visible' });
      assert.equal((await dialog(page).locator('h2').textContent()).trim(), entry.profile.userName);
      await page.mouse.click(4, 4);
      await dialog(page).waitFor({ state: 'hidden' });
      const back = await focusedInWidget(page);
      assert.equal(back?.entryId, entry.score.id, `focus returned to the opener, not ${JSON.stringify(back)}`);
    });
  });

  test('"Show on leaderboard" in the dialog clears the search and opens the page holding that player, highlighted', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      // A player whose best entry sits deep in the board.
      const deepPage = await suite.server.leaderboard({ pageSize, page: 20 });
      let player;
      let around;
      for (const entry of deepPage.scores) {
        const answer = await suite.server.leaderboard({ pageSize, around: entry.profile.id });
        if (answer.page > 1) {
          player = entry.profile;
          around = answer;
          break;
        }
      }
      assert.ok(player, 'a player whose best entry is beyond page 1');

      await page.locator('input[type="search"][name="q"]').fill(player.userName);
      const found = await suite.server.leaderboard({ pageSize, q: player.userName });
      await waitForRowsOf(page, found, `search for ${player.userName}`);
      const theirs = found.scores.find((e) => e.profile.id === player.id);
      assert.ok(theirs, `${player.userName} on the first page of their own search`);
      await page.locator(`tr[data-entry-id="${theirs.score.id}"] button.player-name`).click();
      await dialog(page).waitFor({ state: 'visible' });
      await dialog(page).locator('button.locate').click();

      await waitForRowsOf(page, around, `around=${player.id} (page ${around.page})`);
      assert.equal(await page.locator('input[type="search"][name="q"]').inputValue(), '', 'search cleared');
      assert.equal(await currentPage(page), around.page);
      assert.equal(await rangeText(page), expectedRange(around.page, pageSize, around.totalResults));
      await dialog(page).waitFor({ state: 'hidden' });

      const best = around.scores.find((e) => e.profile.id === player.id);
      const owner = new Map(around.scores.map((e) => [e.score.id, e.profile.id]));
      const rows = await waitUntil(
        () => readRows(page),
        (shown) => shown.some((r) => r.id === best.score.id && r.current === 'true'),
        { what: `row ${best.score.id} of ${player.userName} to carry aria-current="true"` },
      );
      for (const row of rows.filter((r) => r.current === 'true')) {
        assert.equal(owner.get(row.id), player.id, `highlighted row ${row.id} belongs to ${player.userName}`);
      }
    });
  });

  test('the player option shows "find me", which loads the page holding that player, highlighted', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const pageSize = 10;
      const deepPage = await suite.server.leaderboard({ pageSize, page: 30 });
      const player = deepPage.scores[0].profile;
      // The native page with the `player` option set, as a site would for its signed-in player.
      await serveNativePageWith(page, { 'data-player': player.id, 'data-page-size': String(pageSize) });
      await suite.openBoard(page);
      assert.equal(await currentPageSize(page), pageSize);
      const around = await suite.server.leaderboard({ pageSize, around: player.id });
      await page.locator('button.find-me').click();
      await waitForRowsOf(page, around, `around=${player.id}`);
      assert.equal(await currentPage(page), around.page);
      const best = around.scores.find((e) => e.profile.id === player.id);
      await waitUntil(
        () => readRows(page),
        (shown) => shown.some((r) => r.id === best.score.id && r.current === 'true'),
        { what: `row ${best.score.id} highlighted` },
      );
    });
  });

  test('avatars that fail to load fall back to initials, never a broken image', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page, context) => {
      await context.route('**/*', (route) =>
        route.request().resourceType() === 'image' ? route.abort('failed') : route.continue(),
      );
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      const expected = await suite.server.leaderboard({ pageSize });
      await waitForRowsOf(page, expected);
      const cells = await waitUntil(
        () =>
          page.locator('tbody tr[data-entry-id] td.player').evaluateAll((tds) =>
            tds.map((td) => {
              const visible = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
              const img = td.querySelector('img');
              return {
                brokenImage: Boolean(img && visible(img) && img.complete && img.naturalWidth === 0),
                initials: visible(td.querySelector('.avatar-placeholder'))
                  ? td.querySelector('.avatar-placeholder').textContent.trim()
                  : null,
              };
            }),
          ),
        (shown) => shown.length === expected.scores.length && shown.every((c) => !c.brokenImage && c.initials),
        { what: 'every avatar replaced by its initials' },
      );
      cells.forEach((cell, i) => {
        const name = expected.scores[i].profile.userName;
        assert.ok(cell.initials.length <= 3, `initials "${cell.initials}" for ${name}`);
        if (/^[A-Za-z0-9]/.test(name)) {
          assert.equal(cell.initials[0].toUpperCase(), name[0].toUpperCase(), `initials "${cell.initials}" start like ${name}`);
        }
      });
    });
  });
});
