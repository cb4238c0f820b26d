// The first words a reader sees are in their language: a widget whose language file is on
// its way shows its loading skeleton (no words) until the file arrives, never English first;
// when the file fails (404) or takes too long, English after a bounded wait; a right-to-left
// language is laid out right to left from the first render. And Chromium's
// Intl.PluralRules picks the plural categories node's does, which tests/i18n.rs pins to the
// board page's server (ICU4X).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, TEST_OPTIONS, serveNativePageWith, useSuite, waitForAnyRows, waitUntil, withPage } from './harness.mjs';

const suite = useSuite();

const I18N = join(REPO, 'src', 'i18n');
const read = (lang) => JSON.parse(readFileSync(join(I18N, `${lang}.json`), 'utf8'));
const ENGLISH = read('en');
const GERMAN = read('de');
/** Every language with a file, `en` first. */
const LANGUAGES = ['en', ...readdirSync(I18N).filter((f) => f.endsWith('.json') && f !== 'en.json').map((f) => f.slice(0, -5))];

/** Each text of a message: its template, or each of its plural forms. */
const forms = (value) => (typeof value === 'string' ? [value] : Object.values(value ?? {}));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * English UI texts German says otherwise, each as a whole-text pattern (a `{name}`
 * placeholder stands for any text): a shown text or attribute matching one is English.
 */
const ENGLISH_ONLY = Object.entries(ENGLISH)
  .filter(([key]) => key !== 'dir')
  .flatMap(([key, value]) => {
    const german = new Set(forms(GERMAN[key]));
    return forms(value).filter((text) => !german.has(text) && /[A-Za-z]/.test(text.replace(/\{\w+\}/g, '')));
  })
  .map((text) => new RegExp(`^${text.split(/\{\w+\}/).map(escape).join('.+')}$`));

/**
 * Records, from the very start, every text and text-bearing attribute that any shadow root
 * of the page shows: `attachShadow` is wrapped before the page's scripts run, and each new
 * root is observed at once (a MutationObserver's records arrive before the next paint, so no
 * state the reader could see escapes it).
 */
async function recordShadowTexts(page) {
  await page.addInitScript(() => {
    const shown = new Set();
    window.__shownTexts = shown;
    const ATTRIBUTES = ['aria-label', 'placeholder', 'title', 'alt', 'value'];
    const snapshot = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeType === Node.TEXT_NODE) {
          const text = node.data.trim();
          if (text) shown.add(text);
        } else if (node.localName !== 'style') {
          for (const name of ATTRIBUTES) {
            const value = node.getAttribute(name)?.trim();
            if (value) shown.add(value);
          }
        }
      }
    };
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function attachShadow(init) {
      const root = attach.call(this, init);
      new MutationObserver(() => snapshot(root)).observe(root, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      snapshot(root);
      return root;
    };
  });
}

const shownTexts = (page) => page.evaluate(() => [...window.__shownTexts]);

/** Opens the native page with `data-lang` set. */
async function openIn(page, lang) {
  await serveNativePageWith(page, { 'data-lang': lang });
  await page.goto(`${suite.server.origin}/`);
}

/** Waits until the widget's rank header reads `rank` and rows are shown. */
async function waitForHeader(page, rank) {
  await waitForAnyRows(page);
  return waitUntil(
    () => page.locator('div.slb th.rank').textContent().then((text) => text.trim()),
    (shown) => shown === rank,
    { what: `the rank header to read ${rank}` },
  );
}

describe('the first text a reader sees', () => {
  test('a German page never shows an English word, from the first render on', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await recordShadowTexts(page);
      await openIn(page, 'de');
      await waitForHeader(page, GERMAN.rank);
      const shown = await shownTexts(page);
      // The recording saw the widget: its German words and its rows.
      assert.ok(shown.includes(GERMAN.rank) && shown.includes(GERMAN.searchPlaceholder), shown.join(' | '));
      const english = shown.filter((text) => ENGLISH_ONLY.some((pattern) => pattern.test(text)));
      assert.deepEqual(english, [], 'English texts shown before German');
    });
  });

  test('the check would see English: an English page shows its words', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await recordShadowTexts(page);
      await openIn(page, 'en');
      await waitForHeader(page, ENGLISH.rank);
      const shown = await shownTexts(page);
      assert.ok(shown.some((text) => ENGLISH_ONLY.some((pattern) => pattern.test(text))), shown.join(' | '));
    });
  });

  test('a language file that 404s: English rows', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const asked = [];
      await page.route('**/i18n/de.json', (route) => {
        asked.push(route.request().url());
        return route.fulfill({ status: 404, body: 'not here' });
      });
      await openIn(page, 'de');
      await waitForHeader(page, ENGLISH.rank);
      assert.equal(asked.length, 1);
      assert.equal(await page.locator('div.slb th.player .sort').first().textContent().then((t) => t.replace(/[↕↑↓]/g, '').trim()), ENGLISH.player);
    });
  });

  test('a language file that never arrives: English rows after a bounded wait', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      let held = 0;
      // Never answered: the widget must not wait for it for ever.
      await page.route('**/i18n/de.json', () => {
        held += 1;
      });
      await openIn(page, 'de');
      await waitForHeader(page, ENGLISH.rank);
      assert.equal(held, 1);
    });
  });

  test('a right-to-left page is right to left while its file is on its way, so nothing flips when it arrives', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/i18n/ar.json', async (route) => {
        await held;
        await route.continue();
      });
      await openIn(page, 'ar');
      // The wordless skeleton, waiting for Arabic: already laid out right to left.
      const waiting = await waitUntil(
        () => page.evaluate(() => {
          const root = document.querySelector('[data-space-leaderboard]')?.shadowRoot?.querySelector('div.slb');
          return root && { dir: root.getAttribute('dir'), busy: root.querySelector('[aria-busy="true"]') !== null };
        }),
        (state) => state?.busy,
        { what: 'the skeleton while ar.json is held' },
      );
      assert.equal(waiting.dir, 'rtl');
      release();
      await waitForHeader(page, read('ar').rank);
      assert.equal(await page.locator('div.slb').first().getAttribute('dir'), 'rtl');
    });
  });

  test('Chromium’s Intl.PluralRules picks the categories node’s does, in every language', TEST_OPTIONS, async (t) => {
    const counts = [...Array(1201).keys(), 10_000, 100_000, 1_000_000, 1_000_001, 2_000_000, 1_000_000_000];
    const categories = (languages, counts) =>
      languages.map((lang) => counts.map((count) => new Intl.PluralRules(lang).select(count)));
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(`${suite.server.origin}/`);
      const chromium = await page.evaluate(([languages, counts]) =>
        languages.map((lang) => counts.map((count) => new Intl.PluralRules(lang).select(count))), [LANGUAGES, counts]);
      assert.deepEqual(chromium, categories(LANGUAGES, counts));
    });
  });
});
