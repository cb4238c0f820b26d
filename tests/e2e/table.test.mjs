// The table against the real function: rows, sorting, filters, search, empty state and the
// URL-synced filters of the native page. Expected rows always come from the function's own
// JSON API for the same query, so every assertion is about real names, ranks and order.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_OPTIONS,
  LEADERBOARD_PATH,
  currentPageSize,
  expectedRange,
  focusedInWidget,
  format,
  nextFrames,
  rangeText,
  recordLeaderboardRequests,
  serveNativePageWith,
  useSuite,
  waitForAnyRows,
  waitForRowsOf,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useSuite();


const header = (page, key) =>
  page.locator('th[scope="col"]').filter({ has: page.locator(`button[data-sort="${key}"]`) });

async function ariaSortByKey(page) {
  return page.locator('th[scope="col"]').evaluateAll((headers) =>
    Object.fromEntries(
      headers.map((th) => [
        th.querySelector('button[data-sort]')?.getAttribute('data-sort') ?? 'rank',
        th.getAttribute('aria-sort'),
      ]),
    ),
  );
}

describe('leaderboard table', () => {
  test('first page renders rank, player, mode, region and formatted score of the API rows', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      assert.ok(pageSize >= 1 && pageSize <= 50, `page size control shows ${pageSize}`);
      const expected = await suite.server.leaderboard({ pageSize });
      assert.ok(expected.scores.length > 0, 'generated data has scores');
      const rows = await waitForRowsOf(page, expected, 'the first page');
      assert.equal(rows.length, Math.min(pageSize, expected.totalResults));

      // Semantic table: caption, five column headers, the rank header without a sort button.
      assert.ok((await page.locator('table caption').textContent()).trim().length > 0, 'caption has text');
      const headers = await page.locator('thead th[scope="col"]').evaluateAll((ths) =>
        ths.map((th) => th.querySelector('button[data-sort]')?.getAttribute('data-sort') ?? null),
      );
      assert.deepEqual([...headers].sort(), [null, 'mode', 'player', 'region', 'score'].sort());
      assert.equal(headers.filter((h) => h === null).length, 1, 'exactly one header (rank) has no sort button');

      // The polite live region announces the result count.
      const status = page.locator('[role="status"][aria-live="polite"]');
      await waitUntil(
        () => status.textContent(),
        (text) => text.includes(format(expected.totalResults)),
        { what: `the live region to announce ${format(expected.totalResults)} results` },
      );
      assert.equal(await rangeText(page), expectedRange(1, pageSize, expected.totalResults));
    });
  });

  test('each column header sorts the whole board on the server, sets aria-sort and toggles order', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize }), 'the default order');
      assert.equal((await ariaSortByKey(page)).score, 'descending', 'score is the initial, descending sort');

      // The first click on a column sorts by its natural order (names and places A to Z);
      // score starts active (best first), so its first click reverses it.
      const firstClickOrder = { score: 'asc', player: 'asc', mode: 'asc', region: 'asc' };
      for (const key of ['score', 'player', 'mode', 'region']) {
        for (const order of [firstClickOrder[key], firstClickOrder[key] === 'asc' ? 'desc' : 'asc']) {
          await header(page, key).locator('button').click();
          const expected = await suite.server.leaderboard({ pageSize, sort: key, order });
          await waitForRowsOf(page, expected, `sort=${key} order=${order}`);
          const ariaSort = await ariaSortByKey(page);
          assert.equal(ariaSort[key], order === 'asc' ? 'ascending' : 'descending', `aria-sort of ${key}`);
          for (const [other, value] of Object.entries(ariaSort)) {
            if (other !== key) assert.ok(value === null || value === 'none', `${other} header still has aria-sort=${value}`);
          }
        }
      }
    });
  });

  test('mode and region filters list the meta facets with counts and show only matching rows', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      const meta = await suite.server.meta();
      assert.ok(meta.modes.length >= 2 && meta.regions.length >= 2, 'generated data has several modes and regions');

      for (const [name, facets] of [['mode', meta.modes], ['region', meta.regions]]) {
        const options = await page.locator(`select[name="${name}"] option`).evaluateAll((opts) =>
          opts.map((o) => ({ value: o.value, label: o.textContent.trim() })),
        );
        assert.equal(options[0]?.value, '', `the first ${name} option is "All" (value "")`);
        assert.deepEqual(
          options.map((o) => o.value).slice(1).sort(),
          facets.map((f) => f.name).sort(),
          `${name} options are exactly the meta ${name}s`,
        );
        for (const facet of facets) {
          const label = options.find((o) => o.value === facet.name)?.label ?? '';
          assert.ok(label.includes(facet.name) && label.includes(format(facet.count)), `${name} option label "${label}" shows ${facet.name} and ${format(facet.count)}`);
        }
      }

      // A mode, then a region with a space in its name (encoding), then back to all modes.
      const mode = meta.modes[1].name;
      const region = (meta.regions.find((r) => r.name.includes(' ')) ?? meta.regions[0]).name;
      const steps = [
        { mode, region: '' },
        { mode, region },
        { mode: '', region },
      ];
      for (const step of steps) {
        await page.locator('select[name="mode"]').selectOption(step.mode);
        await page.locator('select[name="region"]').selectOption(step.region);
        const expected = await suite.server.leaderboard({ pageSize, mode: step.mode, region: step.region });
        assert.ok(expected.totalResults > 0, `data has scores for ${JSON.stringify(step)}`);
        const rows = await waitForRowsOf(page, expected, `filter ${JSON.stringify(step)}`);
        for (const row of rows) {
          if (step.mode) assert.equal(row.mode, step.mode);
          if (step.region) assert.equal(row.region, step.region);
        }
        assert.equal(await rangeText(page), expectedRange(1, pageSize, expected.totalResults));
      }
    });
  });

  test('search box sends a debounced q and shows only names starting with it, any case', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      const top = await suite.server.leaderboard({ pageSize: 50 });
      // A three-letter prefix typed in the opposite case of the real name.
      const name = top.scores.map((e) => e.profile.userName).find((n) => /^[A-Za-z]{3}/.test(n));
      assert.ok(name, 'a player name starting with three letters');
      const prefix = [...name.slice(0, 3)]
        .map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))
        .join('');
      const expected = await suite.server.leaderboard({ pageSize, q: prefix });
      assert.ok(expected.totalResults > 0 && expected.totalResults < top.totalResults);

      const requests = recordLeaderboardRequests(page);
      const box = page.locator('input[type="search"][name="q"]');
      const typingStarted = Date.now();
      await box.pressSequentially(prefix);
      const typingTook = Date.now() - typingStarted;

      const rows = await waitForRowsOf(page, expected, `q=${prefix}`);
      for (const row of rows) {
        assert.ok(row.player.toLowerCase().startsWith(prefix.toLowerCase()), `${row.player} starts with ${prefix}`);
      }
      assert.equal(await rangeText(page), expectedRange(1, pageSize, expected.totalResults));

      const qs = requests.map((url) => url.searchParams.get('q')).filter((q) => q !== null);
      assert.equal(qs.at(-1), prefix, 'the last request carries the whole prefix');
      // Keys typed well inside the ~250 ms debounce must not each fire a request. (Only
      // judged when the browser really typed that fast; a starved machine can't show it.)
      if (typingTook < 150) {
        assert.deepEqual(qs, [prefix], `requests while typing "${prefix}" in ${typingTook} ms: ${JSON.stringify(qs)}`);
      } else {
        t.diagnostic(`typing took ${typingTook} ms; debounce count not judged`);
      }
    });
  });

  test('a search matching nothing shows the empty state naming the filters, and reset restores rows', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      const meta = await suite.server.meta();
      const mode = meta.modes.find((m) => m.name === 'Duo')?.name ?? meta.modes[0].name;
      const region = meta.regions.find((r) => r.name === 'Pinwheel')?.name ?? meta.regions[0].name;
      const q = 'zzqxj';
      assert.equal((await suite.server.leaderboard({ mode, region, q })).totalResults, 0, `no name starts with ${q}`);

      await page.locator('select[name="mode"]').selectOption(mode);
      await page.locator('select[name="region"]').selectOption(region);
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, mode, region }), `${mode} in ${region}`);
      await page.locator('input[type="search"][name="q"]').fill(q);

      const empty = page.locator('.state-empty');
      await empty.waitFor({ state: 'visible' });
      const text = (await empty.textContent()).replace(/\s+/g, ' ');
      assert.match(text, /no scores match/i);
      assert.ok(text.includes(mode) && text.includes(region), `empty state names ${mode} and ${region}: "${text}"`);
      assert.equal(await page.locator('tbody tr[data-entry-id]').count(), 0, 'no rows next to the empty state');

      await empty.locator('button.reset').click();
      await empty.waitFor({ state: 'detached' });
      assert.equal(await page.locator('input[type="search"][name="q"]').inputValue(), '', 'reset clears the search');
      const shownMode = await page.locator('select[name="mode"]').inputValue();
      const shownRegion = await page.locator('select[name="region"]').inputValue();
      await waitForRowsOf(
        page,
        await suite.server.leaderboard({ pageSize, mode: shownMode, region: shownRegion }),
        'rows after reset',
      );
    });
  });

  test('syncUrl: a link with mode and region pre-selects the filters, and a change updates the URL', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const meta = await suite.server.meta();
      for (const wanted of [['modes', 'Solo'], ['regions', 'Milky Way']]) {
        assert.ok(meta[wanted[0]].some((f) => f.name === wanted[1]), `generated data has ${wanted[1]}`);
      }
      await suite.openBoard(page, '/?mode=Solo&region=Milky%20Way#leaderboard');
      const pageSize = await currentPageSize(page);
      assert.equal(await page.locator('select[name="mode"]').inputValue(), 'Solo');
      assert.equal(await page.locator('select[name="region"]').inputValue(), 'Milky Way');
      const rows = await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, mode: 'Solo', region: 'Milky Way' }), 'Solo in Milky Way from the URL');
      assert.ok(rows.every((r) => r.mode === 'Solo' && r.region === 'Milky Way'));

      const otherRegion = meta.regions.find((r) => r.name !== 'Milky Way').name;
      await page.locator('select[name="region"]').selectOption(otherRegion);
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, mode: 'Solo', region: otherRegion }), `Solo in ${otherRegion}`);
      const url = await waitUntil(
        () => new URL(page.url()),
        (u) => u.searchParams.get('region') === otherRegion && u.searchParams.get('mode') === 'Solo',
        { what: `the URL to carry mode=Solo and region=${otherRegion}` },
      );
      assert.equal(url.pathname, '/');

      // The updated URL is a working link: a reload shows the same board.
      await page.reload();
      await waitForAnyRows(page);
      assert.equal(await page.locator('select[name="region"]').inputValue(), otherRegion);
      await waitForRowsOf(page, await suite.server.leaderboard({ pageSize, mode: 'Solo', region: otherRegion }), 'the same board after reload');
    });
  });

  test('live refresh re-fetches on its interval and updates rows in place, keeping focus and without flicker', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await serveNativePageWith(page, { 'data-refresh': '1' });
      await suite.openBoard(page);
      const pageSize = await currentPageSize(page);
      const expected = await suite.server.leaderboard({ pageSize });
      await waitForRowsOf(page, expected);
      const focusedEntry = expected.scores[3].score.id;
      await page.locator(`tr[data-entry-id="${focusedEntry}"] button.player-name`).focus();

      // Watch the table: a refresh must not remove rows (flicker) or show the skeleton.
      await page.evaluate(() => {
        const root = document.querySelector('[data-space-leaderboard]').shadowRoot;
        window.__e2eRowChurn = 0;
        for (const row of root.querySelectorAll('tbody tr[data-entry-id]')) row.__e2eSeen = true;
        new MutationObserver((records) => {
          for (const record of records) {
            for (const node of [...record.removedNodes, ...record.addedNodes]) {
              if (node.nodeType === 1 && (node.matches('tr, tbody') || node.querySelector?.('tr'))) window.__e2eRowChurn += 1;
            }
          }
        }).observe(root, { childList: true, subtree: true });
      });
      let refreshes = 0;
      page.on('requestfinished', (request) => {
        if (new URL(request.url()).pathname === LEADERBOARD_PATH) refreshes += 1;
      });
      await waitUntil(() => refreshes, (n) => n >= 2, { what: 'two live refreshes' });
      await nextFrames(page, 3);

      const focused = await focusedInWidget(page);
      assert.equal(focused?.entryId, focusedEntry, `focus stays on the name, not ${JSON.stringify(focused)}`);
      assert.ok(focused.className.includes('player-name'));
      const after = await page.evaluate(() => {
        const root = document.querySelector('[data-space-leaderboard]').shadowRoot;
        const rows = [...root.querySelectorAll('tbody tr[data-entry-id]')];
        return { churn: window.__e2eRowChurn, sameNodes: rows.every((row) => row.__e2eSeen === true), count: rows.length };
      });
      assert.equal(after.churn, 0, 'no rows removed or added by an unchanged refresh');
      assert.ok(after.sameNodes, 'the same row elements stay on screen');
      await waitForRowsOf(page, expected, 'the same rows after refreshing');
    });
  });
});
