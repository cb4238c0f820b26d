// The widget in the reader's language: every language file's strings on the rows and
// controls, English readers fetch no language file, Arabic and Hebrew laid out right to
// left, every language within 320 and 412 px with whole column headers (the longest one kept
// as a screenshot), a runtime `lang` change re-rendering in place, and axe-core in German,
// Japanese and Arabic.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS,
  AXE_PATH,
  REPO,
  TEST_OPTIONS,
  serveNativePageWith,
  useSuite,
  waitForAnyRows,
  waitUntil,
  withPage,
} from './harness.mjs';

const suite = useSuite();

const I18N = join(REPO, 'src', 'i18n');
/** Every language file, by tag: `{ de: { rank: 'Rang', ... }, ... }`. */
const LANGUAGES = Object.fromEntries(
  readdirSync(I18N)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file.slice(0, -'.json'.length), JSON.parse(readFileSync(join(I18N, file), 'utf8'))]),
);

/** The language whose controls take the most room: the longest labels in total. */
function longestLanguage() {
  const keys = ['title', 'mode', 'allModes', 'region', 'allRegions', 'player', 'rank', 'score', 'searchPlaceholder', 'perPage', 'range'];
  const width = (lang) => keys.reduce((sum, key) => sum + [...LANGUAGES[lang][key]].length, 0);
  return Object.keys(LANGUAGES).sort((a, b) => width(b) - width(a))[0];
}

/** Opens the native page with the widget's attributes set; resolves once rows are shown. */
async function openWith(page, attributes) {
  const languageFiles = [];
  page.on('request', (request) => {
    if (/\/i18n\/[^/]+\.json$/.test(new URL(request.url()).pathname)) languageFiles.push(request.url());
  });
  await serveNativePageWith(page, attributes);
  await page.goto(`${suite.server.origin}/`);
  await waitForAnyRows(page);
  return languageFiles;
}

/** Waits until the widget's root says `lang` and its rank header reads `rank`. */
async function waitForLanguage(page, lang) {
  const strings = LANGUAGES[lang];
  return waitUntil(
    () =>
      page.locator('div.slb').evaluate((root) => ({
        lang: root.getAttribute('lang'),
        dir: root.getAttribute('dir'),
        rank: root.querySelector('th.rank')?.textContent.trim(),
      })),
    (shown) => shown.lang === lang && shown.rank === strings.rank,
    { what: `the widget in ${lang}` },
  );
}

/** What the controls say, read from the widget. */
const controls = (page) =>
  page.locator('div.slb').evaluate((root) => {
    const text = (selector) => root.querySelector(selector)?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    const attribute = (selector, name) => root.querySelector(selector)?.getAttribute(name) ?? null;
    return {
      title: text('caption .title'),
      rank: text('th.rank'),
      player: text('th.player .sort')?.replace(/[↕↑↓]/g, '').trim(),
      score: text('th.score .sort')?.replace(/[↕↑↓]/g, '').trim(),
      searchLabel: text('label.search .field-label'),
      searchPlaceholder: attribute('input[type="search"]', 'placeholder'),
      allModes: text('select[name="mode"] option[value=""]'),
      perPage: text('label.page-size .field-label'),
      pages: attribute('nav.pagination', 'aria-label'),
      previous: attribute('nav.pagination [rel="prev"]', 'aria-label'),
      next: attribute('nav.pagination [rel="next"]', 'aria-label'),
      range: text('.footer .range'),
      rows: root.querySelectorAll('tbody tr[data-entry-id]').length,
    };
  });

/** `template` with `{name}` parts turned into "anything": a pattern for a filled message. */
const templatePattern = (template) =>
  new RegExp(`^${template.split(/\{[a-z]+\}/i).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);

async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE_PATH });
  }
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
}

describe('the widget in the reader’s language', () => {
  test('the shipped language files (dist/i18n/) are the sources’ values in en.json’s key order', () => {
    const keys = Object.keys(LANGUAGES.en);
    for (const [lang, strings] of Object.entries(LANGUAGES)) {
      const shipped = join(REPO, 'dist', 'i18n', `${lang}.json`);
      if (lang === 'en') continue; // compiled into the wasm
      assert.deepEqual(JSON.parse(readFileSync(shipped, 'utf8')), keys.map((key) => strings[key]), lang);
    }
  });

  test('each language renders rows and controls with its strings; English fetches no language file', TEST_OPTIONS, async (t) => {
    for (const [lang, strings] of Object.entries(LANGUAGES)) {
      await withPage(t, suite.browser, {}, async (page) => {
        const fetched = await openWith(page, { 'data-lang': lang });
        await waitForLanguage(page, lang);
        const shown = await controls(page);
        assert.ok(shown.rows > 0, `${lang}: rows shown`);
        assert.deepEqual(
          {
            title: shown.title,
            rank: shown.rank,
            player: shown.player,
            score: shown.score,
            searchLabel: shown.searchLabel,
            searchPlaceholder: shown.searchPlaceholder,
            perPage: shown.perPage,
            pages: shown.pages,
            previous: shown.previous,
            next: shown.next,
          },
          {
            title: strings.title,
            rank: strings.rank,
            player: strings.player,
            score: strings.score,
            searchLabel: strings.player,
            searchPlaceholder: strings.searchPlaceholder,
            perPage: strings.perPage,
            pages: strings.pages,
            previous: strings.previousPage,
            next: strings.nextPage,
          },
          `${lang}: controls`,
        );
        assert.ok(shown.allModes.startsWith(strings.allModes), `${lang}: "${shown.allModes}" starts with "${strings.allModes}"`);
        assert.match(shown.range, templatePattern(strings.range), `${lang}: range "${shown.range}"`);
        if (lang === 'en') assert.deepEqual(fetched, [], 'an English reader fetches no language file');
        else assert.equal(fetched.length, 1, `${lang}: one language file fetched (${fetched})`);
      });
    }
  });

  test('the host’s nearest lang picks the language; the lang option wins over it', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, { locale: 'fr-FR' }, async (page) => {
      await openWith(page, { lang: 'ko' });
      await waitForLanguage(page, 'ko');
    });
    await withPage(t, suite.browser, {}, async (page) => {
      await openWith(page, { lang: 'ko', 'data-lang': 'pl' });
      await waitForLanguage(page, 'pl');
    });
    // The native page says <html lang="en">: nearer than the browser's language.
    await withPage(t, suite.browser, { locale: 'ja-JP' }, async (page) => {
      await openWith(page, {});
      const shown = await waitForLanguage(page, 'en');
      assert.equal(shown.dir, 'ltr');
    });
  });

  for (const lang of ['ar', 'he']) {
    test(`${lang} lays out right to left: rank on the right, "next" on the left pointing left`, TEST_OPTIONS, async (t) => {
      await withPage(t, suite.browser, {}, async (page) => {
        await openWith(page, { 'data-lang': lang });
        const shown = await waitForLanguage(page, lang);
        assert.equal(shown.dir, 'rtl');
        const layout = await page.locator('div.slb').evaluate((root) => {
          const box = (selector) => root.querySelector(selector).getBoundingClientRect();
          const next = root.querySelector('nav.pagination [rel="next"]');
          return {
            rank: box('th.rank'),
            score: box('th.score'),
            previous: box('nav.pagination [rel="prev"]'),
            next: next.getBoundingClientRect(),
            nextTransform: getComputedStyle(next).transform,
            nextGlyph: next.textContent.trim(),
          };
        });
        assert.ok(layout.rank.left > layout.score.right, `rank column (${layout.rank.left}) right of the score column (${layout.score.right})`);
        assert.ok(layout.next.right <= layout.previous.left, `"next" (${layout.next.right}) left of "previous" (${layout.previous.left})`);
        // "›" drawn flipped: pointing left.
        assert.equal(layout.nextGlyph, '›');
        assert.equal(layout.nextTransform, 'matrix(-1, 0, 0, 1, 0, 0)');
        const path = join(ARTIFACTS, `i18n-${lang}-rtl.png`);
        await page.screenshot({ path, fullPage: true });
        assert.ok(statSync(path).size > 1000, `${path} written`);
      });
    });
  }

  // 320 px and 412 px: one width in each of the narrow layouts (the stylesheet's 400 px and
  // 620 px container rules), where the columns have fixed widths.
  test('no language overflows at 320 or 412 px, no column header is cut, the longest language kept as a screenshot', TEST_OPTIONS, async (t) => {
    const longest = longestLanguage();
    for (const width of [320, 412]) for (const lang of Object.keys(LANGUAGES)) {
      await withPage(t, suite.browser, { viewport: { width, height: 800 } }, async (page) => {
        await openWith(page, { 'data-lang': lang });
        await waitForLanguage(page, lang);
        const layout = await page.evaluate((width) => {
          const host = document.querySelector('[data-space-leaderboard]');
          const root = host.shadowRoot.querySelector('div.slb');
          const outside = [];
          const spilled = [];
          const cut = [];
          for (const el of host.shadowRoot.querySelectorAll('*')) {
            const rect = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (rect.width <= 1 || rect.height <= 1 || style.visibility === 'hidden') continue;
            const name = `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`;
            if (rect.right > width + 0.5 || rect.left < -0.5) outside.push(`${name} [${Math.round(rect.left)}, ${Math.round(rect.right)}]`);
            // Text wider than its own box (a header over its neighbour, a label under the
            // edge), unless the box cuts it with an ellipsis on purpose.
            const labelled = el.matches('th, button, label, .field-label, .range, caption, .title, .sort, a');
            if (labelled && el.scrollWidth > el.clientWidth + 1 && style.textOverflow !== 'ellipsis') {
              spilled.push(`${name} "${el.textContent.trim().slice(0, 30)}" ${el.scrollWidth} > ${el.clientWidth}`);
            }
            // A column header is never cut, not even with an ellipsis: "RA…" hides what the
            // column is, a cut arrow which way it is sorted.
            if (el.matches('th, th .sort') && el.scrollWidth > el.clientWidth + 1) {
              cut.push(`${name} "${el.textContent.trim()}" ${el.scrollWidth} > ${el.clientWidth}`);
            }
          }
          const wrap = root.querySelector('.table-wrap');
          return {
            documentScroll: document.documentElement.scrollWidth,
            rootScroll: root.scrollWidth,
            rootClient: root.clientWidth,
            tableScroll: wrap.scrollWidth,
            tableClient: wrap.clientWidth,
            outside: outside.slice(0, 10),
            spilled: spilled.slice(0, 10),
            cut,
          };
        }, width);
        if (lang === longest && width === 320) {
          const path = join(ARTIFACTS, `i18n-${lang}-320px.png`);
          await page.screenshot({ path, fullPage: true });
          assert.ok(statSync(path).size > 1000, `${path} written`);
        }
        assert.ok(layout.documentScroll <= width, `${lang} at ${width} px: document scrolls horizontally (${layout.documentScroll}px)`);
        assert.ok(layout.rootScroll <= layout.rootClient + 1, `${lang}: widget content ${layout.rootScroll}px wider than its box ${layout.rootClient}px`);
        assert.ok(layout.tableScroll <= layout.tableClient + 1, `${lang}: the table scrolls sideways (${layout.tableScroll}px in ${layout.tableClient}px)`);
        assert.deepEqual(layout.outside, [], `${lang}: every visible element within ${width} px`);
        assert.deepEqual(layout.spilled, [], `${lang} at ${width} px: no text wider than its box`);
        assert.deepEqual(layout.cut, [], `${lang} at ${width} px: every column header whole`);
      });
    }
  });

  test('a runtime lang change re-renders in place', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await openWith(page, { 'data-lang': 'de' });
      await waitForLanguage(page, 'de');
      // The native page's widget is auto-mounted; a second one through the JS API can be
      // changed at runtime (the embed's handles and the custom element call the same export).
      await page.evaluate(() => {
        const host = document.createElement('div');
        host.id = 'runtime-widget';
        document.querySelector('main').append(host);
        window.runtimeWidget = window.wasmBindings.mount(host, { lang: 'de', endpoint: '/api/LeaderboardFunction' });
      });
      const widget = page.locator('#runtime-widget');
      await widget.locator('tbody tr[data-entry-id]').first().waitFor({ state: 'visible' });
      const table = await widget.locator('table').elementHandle();
      for (const lang of ['ja', 'ar', 'en', 'fr']) {
        await page.evaluate((lang) => window.wasmBindings.updateWidget(window.runtimeWidget, { lang }), lang);
        await waitUntil(
          () => widget.locator('div.slb').evaluate((root) => [root.getAttribute('lang'), root.querySelector('th.rank').textContent.trim()]),
          ([shownLang, rank]) => shownLang === lang && rank === LANGUAGES[lang].rank,
          { what: `the runtime widget in ${lang}` },
        );
      }
      // In place: the same table element, its rows still there.
      assert.ok(await table.evaluate((element) => element.isConnected), 'the table was kept');
      assert.ok((await widget.locator('tbody tr[data-entry-id]').count()) > 0);
    });
  });

  test('several widgets in one language fetch its file once', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      // The file is held back until every widget has asked for its language.
      let release;
      const held = new Promise((resolve) => {
        release = resolve;
      });
      await page.route('**/i18n/fr.json', async (route) => {
        await held;
        await route.continue();
      });
      const fetched = await openWith(page, { 'data-lang': 'fr' });
      await page.evaluate(() => {
        const main = document.querySelector('main');
        for (let index = 0; index < 3; index += 1) {
          const host = document.createElement('div');
          host.className = 'more-fr';
          host.setAttribute('data-space-leaderboard', '');
          host.setAttribute('data-lang', 'fr-CA');
          main.append(host);
        }
        const host = document.createElement('div');
        host.className = 'more-fr';
        main.append(host);
        window.wasmBindings.mount(host, { lang: 'fr' });
      });
      await waitUntil(() => page.evaluate(() => window.wasmBindings.mountedCount()), (count) => count === 5, {
        what: 'five widgets mounted',
      });
      release();
      await waitUntil(
        () =>
          page.evaluate(() =>
            [...document.querySelectorAll('[data-space-leaderboard], .more-fr')].map((host) => [
              host.shadowRoot?.querySelector('div.slb')?.getAttribute('lang'),
              host.shadowRoot?.querySelector('th.rank')?.textContent.trim(),
            ]),
          ),
        (shown) => shown.length === 5 && shown.every(([lang, rank]) => lang === 'fr' && rank === LANGUAGES.fr.rank),
        { what: 'every widget in French' },
      );
      assert.equal(fetched.length, 1, `one fetch of fr.json for five widgets (${fetched})`);
    });
  });

  test('a bad option is reported in the reader’s language', TEST_OPTIONS, async (t) => {
    /** `template` with its `{name}`s filled from `values`. */
    const fill = (template, values) => template.replace(/\{([a-z]+)\}/gi, (whole, name) => values[name] ?? whole);
    const expected = (lang, option, attribute, what, value) => {
      const strings = LANGUAGES[lang];
      const problem = fill(strings.optionExpected, { what, value });
      return fill(strings.notShown, { message: fill(strings.optionInvalid, { option, attribute, problem }) });
    };
    // The lang option, and the host's own lang.
    for (const [attributes, lang, option, attribute, what, value] of [
      [{ 'data-lang': 'de', 'data-page-size': 'lots' }, 'de', 'pageSize', 'page-size', fill(LANGUAGES.de.expectPageSize, { max: '50' }), 'lots'],
      [{ lang: 'ja', 'data-theme': 'purple' }, 'ja', 'theme', 'theme', LANGUAGES.ja.expectTheme, 'purple'],
    ]) {
      await withPage(t, suite.browser, {}, async (page) => {
        await serveNativePageWith(page, attributes);
        await page.goto(`${suite.server.origin}/`);
        const wanted = expected(lang, option, attribute, what, value);
        await waitUntil(
          () => page.evaluate(() => document.querySelector('[data-space-leaderboard]').shadowRoot?.querySelector('.config-error [role="alert"]')?.textContent ?? null),
          (text) => text === wanted,
          { what: `the message in ${lang}: ${wanted}` },
        );
      });
    }
  });

  for (const lang of ['de', 'ja', 'ar']) {
    test(`axe-core finds no violations in ${lang}, table and open dialog`, TEST_OPTIONS, async (t) => {
      await withPage(t, suite.browser, {}, async (page) => {
        await openWith(page, { 'data-lang': lang });
        await waitForLanguage(page, lang);
        const onTable = await axeViolations(page);
        assert.deepEqual(onTable, [], `${lang}: violations on the table`);
        await page.locator('tbody button.player-name').first().click();
        const dialog = page.locator('[role="dialog"][aria-modal="true"]');
        await dialog.waitFor({ state: 'visible' });
        assert.equal(await dialog.locator('.achievements-title').textContent(), LANGUAGES[lang].achievements);
        const onDialog = await axeViolations(page);
        assert.deepEqual(onDialog, [], `${lang}: violations with the dialog open`);
      });
    });
  }
});
