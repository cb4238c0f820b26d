// Live updates end to end: a widget with live refresh is on screen, the game's server posts
// a new top score (POST /api/scores with the ingest key), and the new player's row appears
// at rank 1 without a reload. Expected rows come from the function's own API.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DIST,
  TEST_OPTIONS,
  currentPageSize,
  format,
  readRows,
  startSuite,
  waitForAnyRows,
  waitForRowsOf,
  waitUntil,
  withPage,
  withWidgetAttributes,
} from './harness.mjs';

const SCORES_PATH = '/api/scores';
const INGEST_KEY = randomBytes(24).toString('hex');

// The native page with live refresh, served as a file: no request interception, which
// would turn the browser's HTTP cache off and hide what this file tests.
let liveDist;
let suite;
before(async () => {
  liveDist = mkdtempSync(join(tmpdir(), 'slb-live-dist-'));
  cpSync(DIST, liveDist, { recursive: true });
  const index = join(liveDist, 'index.html');
  writeFileSync(index, withWidgetAttributes(readFileSync(index, 'utf8'), { 'data-refresh': '1' }));
  suite = await startSuite({
    server: {
      staticDir: liveDist,
      env: { LEADERBOARD_INGEST_KEY: INGEST_KEY },
      // Browsers may cache answers for an hour here: a live refresh must still reach the
      // function (the widget revalidates refreshes: If-None-Match, a cheap 304 until a post
      // moves the ETag on). Answered from the browser cache, the new row would never come.
      extraArgs: ['--max-age', '3600'],
    },
  });
});
after(async () => {
  await suite?.teardown();
  if (liveDist) rmSync(liveDist, { recursive: true, force: true });
});

/** POSTs scores as a game server does (node, not the page: browsers never hold the key). */
async function postScores(body) {
  const response = await fetch(`${suite.server.origin}${SCORES_PATH}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${INGEST_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('live posted scores', () => {
  test('a score posted after the widget rendered shows at rank 1 on the next live refresh, without a reload', TEST_OPTIONS, async (t) => {
    await withPage(t, suite.browser, {}, async (page) => {
      await page.goto(`${suite.server.origin}/`);
      await waitForAnyRows(page);
      const pageSize = await currentPageSize(page);
      const before = await suite.server.leaderboard({ pageSize });
      await waitForRowsOf(page, before, 'the rows before the post');
      const previousBest = before.scores[0];
      await page.evaluate(() => {
        window.__e2eSameDocument = true;
      });

      const suffix = randomBytes(4).toString('hex');
      const post = {
        id: `live-${suffix}`,
        profileId: `live-player-${suffix}`,
        score: previousBest.score.score + 1000,
        gameMode: previousBest.score.gameMode,
        gameRegion: previousBest.score.gameRegion,
        profile: { userName: `Live Newcomer ${suffix}` },
      };
      const posted = await postScores(post);
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      assert.equal(posted.body.created, true);
      assert.deepEqual(posted.body.ranks.map((r) => r.rank), [1, 1, 1, 1]);

      const rows = await waitUntil(
        () => readRows(page),
        (shown) => shown[0]?.id === post.id,
        { what: 'the posted score in the first row' },
      );
      assert.equal(rows[0].rank.replace(/[^\d]/g, ''), '1');
      assert.equal(rows[0].player, post.profile.userName);
      assert.equal(rows[0].score, format(post.score));
      assert.equal(rows[1]?.id, previousBest.score.id, 'the previous best moved to rank 2');

      // The whole page is now exactly what the API answers, and it was the same document.
      const afterPost = await suite.server.leaderboard({ pageSize });
      assert.equal(afterPost.totalResults, before.totalResults + 1);
      await waitForRowsOf(page, afterPost, 'the rows after the post');
      assert.equal(await page.evaluate(() => window.__e2eSameDocument), true, 'no reload');
    });
  });
});
