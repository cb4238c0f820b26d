// Real consumers of a pasted board URL against the real function on loopback:
// @extractus/oembed-extractor (auto-discovery from the pasted board URL) and micawber
// (Python; discovery by micawber_consumer.py, then micawber's own request and text
// replacement) must each get a rich embed whose iframe shows the board; open-graph-scraper
// (what link-unfurling bots use) must get the board's card: its title, canonical URL and a
// description naming its first rows. Run by scripts/test.sh (node --test).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { extract } from '@extractus/oembed-extractor';
import ogs from 'open-graph-scraper';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = process.env.E2E_FUNCTION_BIN || join(REPO, 'target', 'debug', 'leaderboard-function');
const PYTHON = process.env.OEMBED_PYTHON || join(REPO, 'target', 'tools', 'python', 'bin', 'python');

const server = spawn(BIN, ['--data-dir', join(REPO, 'data', 'sample'), '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
after(() => server.kill('SIGTERM'));
const base = await new Promise((resolvePort, reject) => {
  server.once('exit', (code) => reject(new Error(`the function exited (${code})`)));
  createInterface({ input: server.stdout }).on('line', (line) => {
    const match = /^listening on (http:\/\/\S+)$/.exec(line);
    if (match) resolvePort(match[1]);
  });
});

const BOARD = `${base}/api/board?mode=Solo&pageSize=5&title=Solo%20stars`;

function checkEmbed(answer, maxwidth) {
  assert.equal(answer.type, 'rich');
  assert.equal(answer.version, '1.0');
  assert.equal(answer.title, 'Solo stars');
  assert.equal(answer.provider_name, 'Space Game leaderboard');
  assert.equal(answer.provider_url, `${base}/`);
  assert.ok(Number(answer.cache_age) >= 0);
  assert.equal(answer.width, Math.min(640, maxwidth));
  assert.ok(answer.height > 0);
  assert.match(answer.html, /^<iframe /);
  // The iframe shows the board: the same page and options (discovery hands out the
  // board's canonical URL, whose parameters may come in another order).
  const src = /src="([^"]*)"/.exec(answer.html)[1].replaceAll('&amp;', '&');
  const sorted = (url) => [...new URL(url).searchParams].sort().join('&');
  assert.equal(new URL(src).origin + new URL(src).pathname, `${base}/api/board`);
  assert.equal(sorted(src), sorted(BOARD));
  assert.ok(answer.html.includes('title="Solo stars"'), answer.html);
  assert.ok(answer.html.includes('loading="lazy"'), answer.html);
}

test('@extractus/oembed-extractor discovers the embed from the board URL', async () => {
  const answer = await extract(BOARD, { maxwidth: 400 });
  assert.equal(answer.method, 'auto-discovery');
  checkEmbed(answer, 400);
});

test('micawber gets the embed through the discovered endpoint', async () => {
  const { stdout } = await promisify(execFile)(PYTHON, [join(REPO, 'tests', 'oembed', 'micawber_consumer.py'), BOARD]);
  const { endpoint, answer, text } = JSON.parse(stdout);
  assert.equal(endpoint, `${base}/api/oembed`);
  checkEmbed(answer, 480);
  // micawber puts the iframe in place of a URL pasted on its own line.
  assert.ok(text.startsWith('Our board:\n<iframe '), text);
  assert.ok(!text.includes(BOARD), text);
});

test('open-graph-scraper unfurls the board URL into its card', async () => {
  const { error, result } = await ogs({ url: BOARD, timeout: 10 });
  assert.equal(error, false);
  assert.equal(result.ogTitle, 'Solo stars');
  assert.equal(result.ogType, 'website');
  assert.equal(result.ogSiteName, 'Space Game leaderboard');
  assert.equal(result.twitterCard, 'summary');
  const sorted = (url) => [...new URL(url).searchParams].sort().join('&');
  assert.equal(sorted(result.ogUrl), sorted(BOARD));
  // The description names the first rows as the API ranks them.
  const api = await (await fetch(`${base}/api/LeaderboardFunction?mode=Solo&pageSize=5`)).json();
  for (const entry of api.scores.slice(0, 3)) {
    assert.ok(result.ogDescription.includes(`#${entry.rank} ${entry.profile.userName} (`), result.ogDescription);
  }
  assert.equal(result.ogDescription, result.twitterDescription);
});
