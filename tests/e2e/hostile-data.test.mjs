// Names, achievements and avatar URLs come from players: the widget must show them as text,
// never run or load them, and keep its layout with absurd lengths. The generated data gets
// three planted players at the top of the board before the function loads it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TEST_OPTIONS,
  currentPageSize,
  startSuite,
  waitForAnyRows,
  waitUntil,
  withPage,
} from './harness.mjs';

const MARKUP_NAME = '<img src=x onerror="window.__pwned=1">Zed';
const QUOTES_NAME = `Bob'); DROP TABLE scores;--"<b>bold</b>&amp;`;
const LONG_NAME = `Z${'x'.repeat(299)}`;
const SCRIPT_ACHIEVEMENT = '<script>window.__pwned=3</script>';

let suite;
let planted;
before(async () => {
  suite = await startSuite({
    prepareData(dir) {
      const profilesPath = join(dir, 'profiles.json');
      const scoresPath = join(dir, 'scores.json');
      const profiles = JSON.parse(readFileSync(profilesPath, 'utf8'));
      const scores = JSON.parse(readFileSync(scoresPath, 'utf8'));
      const plant = [
        { name: MARKUP_NAME, avatarUrl: 'javascript:window.__pwned=2', achievements: [SCRIPT_ACHIEVEMENT, SCRIPT_ACHIEVEMENT, 'Cruiser'] },
        { name: QUOTES_NAME, avatarUrl: 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=4"/>', achievements: [] },
        { name: LONG_NAME, avatarUrl: 'images/avatars/does-not-exist.png', achievements: ['Cruiser'] },
      ];
      planted = plant.map((p, i) => {
        const profile = profiles[i];
        profile.userName = p.name;
        profile.avatarUrl = p.avatarUrl;
        profile.achievements = p.achievements;
        // Each gets the best score of the board so all three sit on page 1.
        const score = scores[i];
        score.profileId = profile.id;
        score.score = 99_999_999 - i;
        return { profileId: profile.id, scoreId: score.id, name: p.name };
      });
      writeFileSync(profilesPath, JSON.stringify(profiles));
      writeFileSync(scoresPath, JSON.stringify(scores));
    },
  });
});
after(async () => {
  await suite?.teardown();
});

/** What the widget holds for a row: its name text and every element and URL inside it. */
const inspectRow = (page, scoreId) =>
  page.locator(`tr[data-entry-id="${scoreId}"]`).evaluate((row) => ({
    name: row.querySelector('button.player-name .name')?.textContent ?? null,
    buttonText: row.querySelector('button.player-name')?.textContent ?? '',
    tags: [...row.querySelectorAll('*')].map((el) => el.tagName.toLowerCase()),
    imageSources: [...row.querySelectorAll('img')].map((img) => img.getAttribute('src')),
    placeholder: row.querySelector('.avatar-placeholder')?.textContent.trim() ?? null,
  }));

describe('untrusted data', () => {
  test('markup in names, achievements and avatar URLs is shown as text and never runs or loads', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const blocked = [];
      page.on('request', (request) => {
        const url = request.url();
        if (/^(javascript|data):/i.test(url) || /\/x$/.test(url)) blocked.push(url);
      });
      await page.goto(`${suite.server.origin}/`);
      await waitForAnyRows(page);
      const pageSize = await currentPageSize(page);
      const api = await suite.server.leaderboard({ pageSize });
      assert.deepEqual(
        api.scores.slice(0, 3).map((e) => e.score.id),
        planted.map((p) => p.scoreId),
        'the planted players top the board',
      );
      await waitUntil(
        () => page.locator('tbody tr[data-entry-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-entry-id'))),
        (ids) => JSON.stringify(ids) === JSON.stringify(api.scores.map((e) => e.score.id)),
        { what: 'the first page with the planted players' },
      );

      for (const { scoreId, name } of planted.slice(0, 2)) {
        const row = await inspectRow(page, scoreId);
        // Long names may be clipped with an ellipsis; what is shown must be the name's own text.
        const shown = (row.name ?? row.buttonText).trim();
        const asText = shown === name || shown.includes(name) || (shown.endsWith('…') && shown.length > 4 && name.startsWith(shown.slice(0, -1)));
        assert.ok(asText, `row ${scoreId} shows ${JSON.stringify(name)} as text, not ${JSON.stringify(shown)}`);
        assert.ok(!row.tags.includes('b') && !row.tags.includes('script'), `no markup from the name in row ${scoreId}: ${row.tags}`);
        for (const src of row.imageSources) {
          assert.doesNotMatch(src ?? '', /^(javascript|data):|^x$/i, `row ${scoreId} loads no unsafe avatar URL`);
        }
      }

      // The markup player's profile: name and achievements as text, counted.
      await page.locator(`tr[data-entry-id="${planted[0].scoreId}"] button.player-name`).click();
      const dialog = page.locator('[role="dialog"][aria-modal="true"]');
      await dialog.waitFor({ state: 'visible' });
      assert.equal((await dialog.locator('h2').textContent()).trim(), MARKUP_NAME);
      const items = await dialog.locator('ul.achievements li').allTextContents();
      const scriptItem = items.find((text) => text.includes(SCRIPT_ACHIEVEMENT));
      assert.ok(scriptItem && scriptItem.includes('×2'), `achievement shown as text with ×2: ${JSON.stringify(items)}`);
      assert.equal(await dialog.locator('script, img[src="x"]').count(), 0);
      for (const src of await dialog.locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')))) {
        assert.doesNotMatch(src ?? '', /^(javascript|data):/i, 'dialog avatar URL is safe');
      }

      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing from the data ran');
      assert.deepEqual(blocked, [], 'no request to a URL taken from markup or an unsafe avatar');
    });
  });

  test('a 300-character name is clipped inside its cell and does not widen the table', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, { viewport: { width: 1024, height: 800 } }, async (page) => {
      await page.goto(`${suite.server.origin}/`);
      await waitForAnyRows(page);
      const long = planted[2];
      const row = page.locator(`tr[data-entry-id="${long.scoreId}"]`);
      await row.waitFor({ state: 'visible' });
      const layout = await page.evaluate(() => {
        const root = document.querySelector('[data-space-leaderboard]').shadowRoot.querySelector('div.slb');
        return {
          documentScroll: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          rootScroll: root.scrollWidth,
          rootClient: root.clientWidth,
          tableRight: root.querySelector('table').getBoundingClientRect().right,
          rootRight: root.getBoundingClientRect().right,
        };
      });
      assert.ok(layout.documentScroll <= layout.viewport, `page scrolls sideways: ${JSON.stringify(layout)}`);
      assert.ok(layout.rootScroll <= layout.rootClient + 1, `widget content overflows: ${JSON.stringify(layout)}`);
      assert.ok(layout.tableRight <= layout.rootRight + 0.5, `table wider than the widget: ${JSON.stringify(layout)}`);
      const scoreBox = await row.locator('td.score').boundingBox();
      assert.ok(scoreBox && scoreBox.x + scoreBox.width <= 1024, `score cell visible: ${JSON.stringify(scoreBox)}`);
      // The avatar that 404s falls back to initials.
      await waitUntil(
        () => inspectRow(page, long.scoreId),
        (r) => r.placeholder && r.placeholder.toUpperCase().startsWith('Z'),
        { what: 'initials for the missing avatar' },
      );
    });
  });
});
