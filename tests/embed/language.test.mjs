// The loader starts a widget's language file with its wasm: a German page has asked for
// `i18n/de.json` before the wasm has even arrived, and the widget takes that answer (one
// request); an English page asks for no language file at all.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, TEST_OPTIONS, recordRequests, useEmbedSuite, waitUntil, withPage } from './harness.mjs';

const suite = useEmbedSuite();

const read = (lang) => JSON.parse(readFileSync(join(REPO, 'src', 'i18n', `${lang}.json`), 'utf8'));

/**
 * Opens the blank test page in language `pageLang` with one auto-mounted host and the
 * loader tag after it, the wasm held until `releaseWasm` resolves.
 */
async function openWithLoader(page, pageLang, releaseWasm) {
  await page.route('**/space-leaderboard-core_bg.wasm', async (route) => {
    await releaseWasm;
    await route.continue().catch(() => {});
  });
  await page.goto(suite.page('test-blank.html'));
  await page.evaluate(
    ([lang, src, endpoint]) => {
      document.documentElement.lang = lang;
      const host = document.createElement('div');
      host.setAttribute('data-space-leaderboard', '');
      host.dataset.endpoint = endpoint;
      const script = document.createElement('script');
      script.src = src;
      document.getElementById('app').append(host, script);
    },
    [pageLang, suite.cdn.url('space-leaderboard.js'), suite.endpoint],
  );
}

const rankHeader = (page) =>
  page
    .locator('#app [data-space-leaderboard] th.rank')
    .textContent()
    .then((text) => text.trim());

describe('the language file with the wasm', () => {
  test('a German page asks for its language file while the wasm loads, once', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const asked = recordRequests(page, '/i18n/de.json');
      let release;
      const wasmHeld = new Promise((resolve) => {
        release = resolve;
      });
      const before = suite.cdn.count('/i18n/de.json');
      await openWithLoader(page, 'de', wasmHeld);
      // The wasm is held: only the loader can have asked.
      await waitUntil(() => asked.length, (count) => count === 1, { what: 'the loader to ask for de.json' });
      release();
      const german = read('de');
      await waitUntil(() => rankHeader(page), (text) => text === german.rank, { what: 'the German widget' });
      assert.equal(suite.cdn.count('/i18n/de.json') - before, 1, 'the widget took the loader’s answer');
      assert.equal(asked.length, 1);
    });
  });

  test('an English page asks for no language file', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      const asked = recordRequests(page, '.json');
      await openWithLoader(page, 'en', Promise.resolve());
      await waitUntil(() => rankHeader(page), (text) => text === read('en').rank, { what: 'the English widget' });
      assert.deepEqual(
        asked.filter((url) => url.pathname.includes('/i18n/')).map(String),
        [],
      );
    });
  });
});
