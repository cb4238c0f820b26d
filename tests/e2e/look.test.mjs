// Look and accessibility: light and dark themes (prefers-color-scheme with theme=auto; the
// native page is served with data-theme="auto" so the emulated preference decides),
// phone widths, screenshots kept as artifacts, and axe-core scans of the whole document
// including the widget's shadow DOM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  TEST_OPTIONS,
  ARTIFACTS,
  FunctionServer,
  AXE_PATH,
  LEADERBOARD_PATH,
  currentPageSize,
  generateData,
  serveNativePageWith,
  useSuite,
  waitForAnyRows,
  waitForRowsOf,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useSuite();

/** Opens the board and waits until it shows the API's first page and is not busy. */
async function openSettledBoard(page, attributes = { 'data-theme': 'auto' }) {
  await serveNativePageWith(page, attributes);
  await page.goto(`${suite.server.origin}/`);
  await waitForAnyRows(page);
  const pageSize = await currentPageSize(page);
  const expected = await suite.server.leaderboard({ pageSize });
  await waitForRowsOf(page, expected);
  await waitUntil(
    () => page.locator('[aria-busy="true"]').count(),
    (busy) => busy === 0,
    { what: 'nothing busy' },
  );
  // Images settle (loaded or replaced by initials) before pixels are judged.
  await waitUntil(
    () => page.locator('img').evaluateAll((imgs) => imgs.every((img) => img.complete)),
    (done) => done,
    { what: 'avatar images settled' },
  );
  return expected;
}

async function screenshot(page, name) {
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  assert.ok(statSync(path).size > 1000, `${path} written`);
}

/** Relative luminance of a computed CSS colour (`rgb(...)`/`rgba(...)`). */
function luminance(color) {
  const [r, g, b] = color.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The widget root's theme class and the colours it paints behind and on a player's name. */
const themeOf = (page) =>
  page.locator('div.slb').evaluate((root) => {
    const cell = root.querySelector('tbody td.player') ?? root;
    // The painted background: the first non-transparent one from the cell outwards (the
    // root itself may be transparent over a card inside it).
    let element = cell;
    let background = 'rgba(0, 0, 0, 0)';
    while (element) {
      background = getComputedStyle(element).backgroundColor;
      if (!/rgba\(.*,\s*0\)$/.test(background) && background !== 'transparent') break;
      element = element.parentElement ?? element.getRootNode().host ?? null;
    }
    return {
      classes: [...root.classList],
      part: root.getAttribute('part'),
      background,
      text: getComputedStyle(cell.querySelector('.player-name') ?? cell).color,
    };
  });

/** Runs axe-core on the whole document (it descends into open shadow roots). */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE_PATH });
  }
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, summary: n.failureSummary })),
    }));
  });
}

const describeViolations = (violations) =>
  violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)}: ${n.summary}`).join('\n')}`)
    .join('\n');

describe('look and accessibility', () => {
  test('light and dark themes follow prefers-color-scheme and are saved as screenshots', TEST_OPTIONS, async (t) => {
    const seen = {};
    for (const scheme of ['light', 'dark']) {
      await withPage(t, suite.browser, { colorScheme: scheme }, async (page) => {
        await openSettledBoard(page);
        const theme = await themeOf(page);
        assert.ok(theme.classes.includes(`theme-${scheme}`), `root classes ${theme.classes} include theme-${scheme}`);
        assert.equal(theme.part, 'root');
        seen[scheme] = theme;
        await screenshot(page, `leaderboard-${scheme}.png`);
      });
    }
    const light = luminance(seen.light.background);
    const dark = luminance(seen.dark.background);
    assert.ok(light > 0.5, `light theme paints a light background (${seen.light.background})`);
    assert.ok(dark < 0.2, `dark theme paints a dark background (${seen.dark.background})`);
    assert.ok(luminance(seen.dark.text) > luminance(seen.dark.background), `dark theme has light text (${seen.dark.text})`);
    assert.ok(luminance(seen.light.text) < luminance(seen.light.background), `light theme has dark text (${seen.light.text})`);
  });

  for (const width of [360, 320]) {
    test(`at ${width}px wide nothing overflows horizontally and rank, name and score stay visible`, TEST_OPTIONS, async (t) => {
      await withPage(t, suite.browser, { colorScheme: 'dark', viewport: { width, height: 800 }, isMobile: false }, async (page) => {
        const expected = await openSettledBoard(page);
        const layout = await page.evaluate((viewportWidth) => {
          const host = document.querySelector('[data-space-leaderboard]');
          const root = host.shadowRoot.querySelector('div.slb');
          const outside = [];
          for (const el of host.shadowRoot.querySelectorAll('*')) {
            const rect = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (rect.width <= 1 || rect.height <= 1 || style.visibility === 'hidden') continue;
            if (rect.right > viewportWidth + 0.5 || rect.left < -0.5) {
              outside.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} [${Math.round(rect.left)}, ${Math.round(rect.right)}]`);
            }
          }
          return {
            documentScroll: document.documentElement.scrollWidth,
            rootScroll: root.scrollWidth,
            rootClient: root.clientWidth,
            outside: outside.slice(0, 10),
          };
        }, width);
        assert.ok(layout.documentScroll <= width, `document scrolls horizontally: ${layout.documentScroll}px > ${width}px`);
        assert.ok(layout.rootScroll <= layout.rootClient + 1, `widget content ${layout.rootScroll}px wider than its box ${layout.rootClient}px`);
        assert.deepEqual(layout.outside, [], 'every visible element of the widget lies within the viewport');

        for (const entry of expected.scores) {
          const row = page.locator(`tr[data-entry-id="${entry.score.id}"]`);
          for (const cell of ['td.rank', 'td.player button.player-name', 'td.score']) {
            const box = await row.locator(cell).boundingBox();
            assert.ok(box && box.width > 0 && box.x >= 0 && box.x + box.width <= width + 0.5, `${cell} of ${entry.profile.userName} visible within ${width}px: ${JSON.stringify(box)}`);
          }
        }
        await screenshot(page, `leaderboard-${width}px.png`);

        // The profile dialog fits a phone too.
        await page.locator('tbody button.player-name').first().click();
        const dialog = page.locator('[role="dialog"][aria-modal="true"]');
        await dialog.waitFor({ state: 'visible' });
        const box = await dialog.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `dialog within ${width}px: ${JSON.stringify(box)}`);
        await screenshot(page, `leaderboard-${width}px-dialog.png`);
      });
    });
  }

  for (const scheme of ['light', 'dark']) {
    test(`axe-core finds no accessibility violations in the ${scheme} theme, table and open dialog`, TEST_OPTIONS, async (t) => {
      await withPage(t, suite.browser, { colorScheme: scheme }, async (page) => {
        await openSettledBoard(page);
        const onTable = await axeViolations(page);
        assert.equal(onTable.length, 0, `violations on the table (${scheme}):\n${describeViolations(onTable)}`);

        await page.locator('tbody button.player-name').first().click();
        await page.locator('[role="dialog"][aria-modal="true"]').waitFor({ state: 'visible' });
        const onDialog = await axeViolations(page);
        assert.equal(onDialog.length, 0, `violations with the dialog open (${scheme}):\n${describeViolations(onDialog)}`);
      });
    });
  }

  test('axe-core finds no accessibility violations in the empty and error states', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, { colorScheme: 'dark' }, async (page) => {
      await openSettledBoard(page);
      await page.locator('input[type="search"][name="q"]').fill('zzqxj');
      await page.locator('.state-empty').waitFor({ state: 'visible' });
      const onEmpty = await axeViolations(page);
      assert.equal(onEmpty.length, 0, `violations in the empty state:\n${describeViolations(onEmpty)}`);

      // Every later leaderboard answer is a 503: the error state replaces the empty one.
      await page.route(
        (url) => url.pathname === LEADERBOARD_PATH,
        (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"the leaderboard store is unavailable"}' }),
      );
      await page.locator('input[type="search"][name="q"]').fill('');
      await page.locator('.state-error').waitFor({ state: 'visible' });
      const onError = await axeViolations(page);
      assert.equal(onError.length, 0, `violations in the error state:\n${describeViolations(onError)}`);
    });
  });
  // Ranks of six figures and more (a deep page of a board of 100,000+ scores) in the narrow
  // layouts' fixed rank column: each rank stays whole inside its cell, clear of the avatar.
  test('a deep page of a big board keeps its long ranks inside their column at 320, 412 and 600 px', TEST_OPTIONS, async (t) => {
    const dataDir = await generateData({ scores: 120000, profiles: 2000, seed: 7 });
    const big = new FunctionServer(dataDir);
    await big.start();
    t.after(() => big.stop());
    const total = (await big.leaderboard({ pageSize: 1 })).totalResults;
    const last = Math.ceil(total / 10);
    for (const width of [320, 412, 600]) {
      await withPage(t, suite.browser, { colorScheme: 'dark', viewport: { width, height: 800 } }, async (page) => {
        await page.goto(`${big.origin}/?page=${last}`);
        const expected = await big.leaderboard({ page: last, pageSize: 10 });
        await waitForRowsOf(page, expected);
        const cells = await page.evaluate(() => [...document.querySelector('[data-space-leaderboard]').shadowRoot
          .querySelectorAll('tbody tr[data-entry-id]')].map((row) => {
          const rank = row.querySelector('td.rank');
          const avatar = row.querySelector('td.player .avatar, td.player img, td.player .avatar-fallback') ?? row.querySelector('td.player');
          const text = document.createRange();
          text.selectNodeContents(rank);
          const box = text.getBoundingClientRect();
          const cell = rank.getBoundingClientRect();
          return { rank: rank.textContent, textLeft: box.left, textRight: box.right, cellLeft: cell.left, cellRight: cell.right, avatarLeft: avatar.getBoundingClientRect().left };
        }));
        assert.ok(cells.length > 0 && cells.every((c) => c.rank.replace(/\D/g, '').length >= 6), `six-figure ranks on the last page: ${cells.map((c) => c.rank)}`);
        for (const c of cells) {
          assert.ok(c.textLeft >= c.cellLeft - 0.5 && c.textRight <= c.cellRight + 0.5, `rank ${c.rank} inside its cell at ${width} px: ${JSON.stringify(c)}`);
          assert.ok(c.textRight <= c.avatarLeft, `rank ${c.rank} clear of the avatar at ${width} px: ${JSON.stringify(c)}`);
        }
        if (width === 320) await screenshot(page, 'leaderboard-320px-deep-page.png');
      });
    }
  });
});
