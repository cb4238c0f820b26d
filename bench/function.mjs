// The function's figures: wrk throughput and latency per query shape as ratios to
// /api/health measured in the same rounds, cold start (process start to first 200; from the
// data files and from the index snapshot), resident memory, and bytes on the wire per
// encoding. Writes target/bench/results/function.json.
//
//   node bench/function.mjs              (scripts/bench.sh runs it after building the binary)
//   BENCH_ONLY=board node bench/function.mjs  # the board page's wrk rounds and health alone
//   BENCH_ONLY=periods node bench/function.mjs  # the period and view rounds, page 1, health
//   BENCH_ONLY=cold node bench/function.mjs   # the cold starts alone, printed and written to
//                                             # target/bench/results/cold.json

import { existsSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

import {
  BENCH_DIR, FUNCTION_BIN, QUICK, REPO, freePort, loadAverage, median, memoryKiB, minMax,
  progress, run, spawnTracked, stopChild, writeResult,
} from './common.mjs';

// Timed scores, played over the year before `playedUntil` (issue 14: periods and views are
// measured on a year of data); the servers' clock stands at that instant
// (`LEADERBOARD_TEST_NOW`), so "this week" and "this month" hold the data's last days.
export const BIG_DATA = {
  scores: 1_000_000, profiles: 100_000, seed: 42, playedOverDays: 365,
  playedUntil: '2026-12-03T12:00:00Z',
};
export const BIG_DATA_DIR = join(
  BENCH_DIR,
  `data-${BIG_DATA.scores}-${BIG_DATA.profiles}-s${BIG_DATA.seed}-t${BIG_DATA.playedOverDays}`);
/** The environment of every server on the big data: its clock at the data's end. */
const CLOCK_ENV = { LEADERBOARD_TEST_NOW: BIG_DATA.playedUntil };
const SAMPLE_DATA_DIR = join(REPO, 'data', 'sample');

const WRK = {
  threads: 2,
  connections: 64,
  seconds: QUICK ? 1 : 4,
  warmupSeconds: 1,
  rounds: QUICK ? 1 : 3,
};
const COLD_STARTS = { sample: QUICK ? 2 : 9, big: QUICK ? 1 : 5 };
const LEADERBOARD = '/api/LeaderboardFunction';
/** Pages the cache-defeating row cycles through: all of them at 10 rows a page. */
const ROTATING_PAGES = BIG_DATA.scores / 10;
const BOARD = '/api/board';

/** The wrk cases; `around` is filled in with a real profile id from the served data. */
function wrkCases(aroundId, etag, weekAroundId) {
  return [
    { key: 'health', label: '`/api/health` (the ceiling)', path: '/api/health' },
    { key: 'page1', label: 'page 1, unfiltered', path: LEADERBOARD, budgeted: true },
    { key: 'filtered', label: 'mode + region filtered', path: `${LEADERBOARD}?mode=Duo&region=Andromeda`, budgeted: true },
    { key: 'deep', label: 'deep page 50,000', path: `${LEADERBOARD}?page=50000`, budgeted: true },
    { key: 'player', label: '`sort=player`', path: `${LEADERBOARD}?sort=player&page=7`, budgeted: true },
    { key: 'q', label: '`q=` prefix', path: `${LEADERBOARD}?q=nova`, budgeted: true },
    { key: 'around', label: '`around=` a player', path: `${LEADERBOARD}?around=${aroundId}`, budgeted: true },
    // Periods and views (issue 14), on the year of timed scores: each its own board.
    { key: 'day', label: '`period=day` (today)', path: `${LEADERBOARD}?period=day`, budgeted: true, periods: true },
    { key: 'week', label: '`period=week` (this ISO week)', path: `${LEADERBOARD}?period=week`, budgeted: true, periods: true },
    { key: 'month', label: '`period=month` (this month)', path: `${LEADERBOARD}?period=month`, budgeted: true, periods: true },
    { key: 'last_week', label: '`period=week&at=` last week, `mode=Solo`', path: `${LEADERBOARD}?period=week&at=2026-11-25&mode=Solo`, budgeted: true, periods: true },
    { key: 'month_q', label: '`period=month&q=nova`', path: `${LEADERBOARD}?period=month&q=nova`, budgeted: true, periods: true },
    { key: 'best', label: '`view=best` (all time)', path: `${LEADERBOARD}?view=best`, budgeted: true, periods: true },
    { key: 'best_filtered', label: '`view=best`, mode + region', path: `${LEADERBOARD}?view=best&mode=Duo&region=Andromeda`, budgeted: true, periods: true },
    {
      // The miss paths of a period's board and of the best view: every request a page not
      // asked for before (last month, November, holds about 82,000 scores, 8,200 pages; the
      // best view one row per player, 10,000 pages).
      key: 'month_rotating', label: '`period=month&at=` last month, every page in turn (defeats the response cache)',
      path: `${LEADERBOARD}?period=month&at=2026-11-01&page=1…8000`, wrkPath: `${LEADERBOARD}?period=month&at=2026-11-01`,
      script: 'wrk-rotate.lua', scriptArgs: ['8000'], periods: true,
    },
    {
      key: 'best_rotating', label: '`view=best`, every page in turn (defeats the response cache)',
      path: `${LEADERBOARD}?view=best&page=1…10000`, wrkPath: `${LEADERBOARD}?view=best`,
      script: 'wrk-rotate.lua', scriptArgs: ['10000'], periods: true,
    },
    { key: 'best_week_around', label: '`period=week&view=best&around=` a player', path: `${LEADERBOARD}?period=week&view=best&around=${weekAroundId}`, budgeted: true, periods: true },
    {
      key: 'page1_gzip', label: 'page 1, `Accept-Encoding: gzip`', path: LEADERBOARD,
      headers: ['Accept-Encoding: gzip'],
    },
    {
      key: 'page1_br', label: 'page 1, `Accept-Encoding: br` (as browsers ask)', path: LEADERBOARD,
      headers: ['Accept-Encoding: br'],
    },
    {
      key: 'page1_304', label: 'page 1, `If-None-Match` → 304', path: LEADERBOARD,
      headers: [`If-None-Match: ${etag}`],
    },
    // The board page (issue 12): the HTML an iframe or a shared link gets, first page rendered
    // on the server; as browsers ask, and the same without compression (the bytes row).
    {
      key: 'board', label: 'board page `/api/board?mode=Solo` (HTML, as browsers ask: br)', path: `${BOARD}?mode=Solo`,
      headers: ['Accept-Encoding: br'], html: true, budgeted: true,
    },
    { key: 'board_gzip', label: 'board page, `Accept-Encoding: gzip`', path: `${BOARD}?mode=Solo`, headers: ['Accept-Encoding: gzip'], html: true },
    {
      // Every request a page not asked for before in the run (page=1, 2, 3, ... of
      // 100,000): the response cache cannot answer, so this is the miss path (query and
      // serialisation) that the budgeted rows, repeating one URL, no longer show.
      key: 'pages_rotating', label: 'every page in turn, 1 to 100,000 (defeats the response cache)',
      path: `${LEADERBOARD}?page=1…100000`, wrkPath: LEADERBOARD,
      script: 'wrk-rotate.lua', scriptArgs: [String(ROTATING_PAGES)],
    },
  ];
}

/** One HTTP/1.1 request over a raw socket, so the byte counts are exactly what was sent. */
export function rawGet(port, path, headers = {}) {
  return new Promise((resolveGet, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    socket.setTimeout(30000, () => socket.destroy(new Error(`timeout on ${path}`)));
    socket.on('connect', () => {
      const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no response head for ${path}`));
      const head = raw.subarray(0, split).toString('latin1').split('\r\n');
      const status = Number(head[0].split(' ')[1]);
      const responseHeaders = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        responseHeaders[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = raw.subarray(split + 4);
      const bodyOnWire = body.length;
      if (/chunked/i.test(responseHeaders['transfer-encoding'] || '')) body = dechunk(body);
      resolveGet({
        status, headers: responseHeaders, headBytes: split + 4, bodyOnWire, body,
        totalBytes: raw.length,
      });
    });
  });
}

function dechunk(buffer) {
  const parts = [];
  let at = 0;
  while (at < buffer.length) {
    const lineEnd = buffer.indexOf('\r\n', at);
    const size = parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export async function ensureBigData() {
  if (existsSync(join(BIG_DATA_DIR, 'scores.json')) && existsSync(join(BIG_DATA_DIR, 'profiles.json'))) {
    return BIG_DATA_DIR;
  }
  progress(`generating ${BIG_DATA.scores} scores / ${BIG_DATA.profiles} players into ${BIG_DATA_DIR}`);
  const { code, stderr } = await run(FUNCTION_BIN, [
    'generate', '--scores', String(BIG_DATA.scores), '--profiles', String(BIG_DATA.profiles),
    '--seed', String(BIG_DATA.seed), '--played-over-days', String(BIG_DATA.playedOverDays),
    '--played-until', BIG_DATA.playedUntil, '--out', BIG_DATA_DIR,
  ]);
  if (code !== 0) throw new Error(`generate failed: ${stderr}`);
  return BIG_DATA_DIR;
}

/**
 * The function on a free port with stdout (its per-request log) going to /dev/null, so the
 * log costs what writing it costs and nothing reads it; ready once /api/health answers.
 */
export async function startServer(dataDir, extraArgs = []) {
  const port = await freePort();
  const devNull = openSync('/dev/null', 'w');
  const child = spawnTracked(
    FUNCTION_BIN, ['--data-dir', dataDir, '--port', String(port), ...extraArgs],
    { stdio: ['ignore', devNull, 'pipe'], env: { ...process.env, ...CLOCK_ENV, FUNCTIONS_CUSTOMHANDLER_PORT: '' } });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`function exited early:\n${stderr}`);
    try {
      const { status } = await rawGet(port, '/api/health');
      if (status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`function did not answer within 60 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, port, stderr: () => stderr };
}

/** Process start to the first 200 of a leaderboard page, timed from node. */
async function coldStart(dataDir, extraArgs) {
  const started = performance.now();
  const child = spawnTracked(FUNCTION_BIN, ['--data-dir', dataDir, '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...CLOCK_ENV, FUNCTIONS_CUSTOMHANDLER_PORT: '' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    const port = await new Promise((resolvePort, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', (line) => {
        const match = /listening on http:\/\/[^:]+:(\d+)/.exec(line);
        if (match) resolvePort(Number(match[1]));
        else reject(new Error(`unexpected first line: ${line}`));
        child.stdout.resume();
      });
      child.exited.then(() => reject(new Error(`function exited before listening:\n${stderr}`)));
    });
    const listeningMs = performance.now() - started;
    const response = await rawGet(port, LEADERBOARD);
    const firstOkMs = performance.now() - started;
    if (response.status !== 200) throw new Error(`first request answered ${response.status}`);
    const memory = memoryKiB(child.pid);
    const loadSeconds = Number(/ in ([\d.]+)s/.exec(stderr)?.[1]);
    return { firstOkMs, listeningMs, loadMs: loadSeconds * 1000, ...memory };
  } finally {
    await stopChild(child);
  }
}

/**
 * Cold starts on `dataDir`, `from` the data files (`--snapshot off`: load, parse and index
 * at every start) or from the index snapshot (written first by the `snapshot` command, then
 * read at every start).
 */
async function coldStarts(label, dataDir, count, from) {
  let extraArgs = ['--snapshot', 'off'];
  if (from === 'snapshot') {
    const { code, stderr } = await run(FUNCTION_BIN, ['snapshot', '--data-dir', dataDir]);
    if (code !== 0) throw new Error(`snapshot failed: ${stderr}`);
    extraArgs = [];
  }
  label = `${label}, from the ${from === 'snapshot' ? 'index snapshot' : 'data files'}`;
  progress(`cold start on ${label}: 1 warm-up + ${count} timed starts`);
  await coldStart(dataDir, extraArgs); // warms the page cache and the binary; not counted
  const runs = [];
  for (let i = 0; i < count; i++) {
    const result = await coldStart(dataDir, extraArgs);
    progress(`  ${label} start ${i + 1}/${count}: first 200 after ${result.firstOkMs.toFixed(1)} ms`);
    runs.push(result);
  }
  const pick = (field) => runs.map((r) => r[field]);
  return {
    runs,
    firstOkMs: median(pick('firstOkMs')),
    firstOkRangeMs: minMax(pick('firstOkMs')),
    listeningMs: median(pick('listeningMs')),
    loadMs: median(pick('loadMs')),
    vmRSSKiB: median(pick('vmRSS')),
    vmHWMKiB: Math.max(...pick('vmHWM')),
  };
}

async function wrk(port, testCase, seconds) {
  const args = [
    `-t${WRK.threads}`, `-c${WRK.connections}`, `-d${seconds}s`, '--latency',
    '-s', join(REPO, 'bench', testCase.script || 'wrk-report.lua'),
  ];
  for (const header of testCase.headers || []) args.push('-H', header);
  args.push(`http://127.0.0.1:${port}${testCase.wrkPath || testCase.path}`);
  if (testCase.scriptArgs) args.push('--', ...testCase.scriptArgs);
  const { code, stdout, stderr } = await run('wrk', args);
  const line = stdout.split('\n').find((l) => l.startsWith('WRK-JSON '));
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${stdout}\n${stderr}`);
  return JSON.parse(line.slice('WRK-JSON '.length));
}

async function checkCase(port, testCase) {
  const headers = Object.fromEntries((testCase.headers || []).map((h) => h.split(': ')));
  const response = await rawGet(port, testCase.wrkPath || testCase.path, headers);
  const expected = testCase.key === 'page1_304' ? 304 : 200;
  if (response.status !== expected) {
    throw new Error(`${testCase.path} answered ${response.status}, expected ${expected}`);
  }
  if (testCase.html) {
    // Compressed on the wire: the check asks again without, to see the rows in the markup.
    const html = (await rawGet(port, testCase.path)).body.toString('utf8');
    const rows = html.split('data-entry-id=').length - 1;
    if (rows === 0) throw new Error(`${testCase.path} rendered no rows`);
    return { rows, htmlBytes: html.length };
  }
  if (testCase.budgeted) {
    const page = JSON.parse(response.body.toString('utf8'));
    if (!page.scores?.length) throw new Error(`${testCase.path} returned no rows`);
    return { totalResults: page.totalResults, rows: page.scores.length, page: page.page };
  }
  return {};
}

/**
 * Waits for the embedded store's warm-up at start (its stderr line "built N boards ahead of
 * their first reads in S s"), so that the first reads below time the boards as a reader finds
 * them once the server has settled. `null` when no such line comes (a store without warm-up).
 */
async function warmUp(server) {
  const deadline = Date.now() + 30000;
  for (;;) {
    const match = /built (\d+) boards ahead of their first reads in ([\d.]+)s/.exec(server.stderr());
    if (match) {
      return { boards: Number(match[1]), seconds: Number(match[2]), memory: memoryKiB(server.child.pid) };
    }
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function throughput(dataDir) {
  const server = await startServer(dataDir);
  try {
    const { port } = server;
    const warm = await warmUp(server);
    if (warm) progress(`warm-up at start: ${warm.boards} boards in ${warm.seconds} s, VmRSS ${(warm.memory.vmRSS * 1.024 / 1000).toFixed(0)} MB`);
    // A real player for `around`: the first of page 10,000 (a middling best score).
    const middle = JSON.parse((await rawGet(port, `${LEADERBOARD}?page=10000`)).body.toString('utf8'));
    const aroundId = middle.scores[0].score.profileId;
    const etag = (await rawGet(port, LEADERBOARD)).headers.etag;
    // A player with a score this week (the first of its page 100), for `around` in it.
    const week = JSON.parse((await rawGet(port, `${LEADERBOARD}?period=week&page=100`)).body.toString('utf8'));
    const weekAroundId = week.scores[0]?.score.profileId ?? aroundId;
    const keep = {
      board: (testCase) => ['health', 'board', 'board_gzip'].includes(testCase.key),
      periods: (testCase) => ['health', 'page1'].includes(testCase.key) || testCase.periods,
    }[process.env.BENCH_ONLY] || (() => true);
    const cases = wrkCases(aroundId, etag, weekAroundId).filter(keep);
    const checks = {};
    // The check is each case's first read, timed: a board the warm-up did not build (a past
    // period, the best view of all time by mode or region) is built by it.
    for (const testCase of cases) {
      const started = performance.now();
      checks[testCase.key] = await checkCase(port, testCase);
      checks[testCase.key].firstMs = performance.now() - started;
    }

    progress(`wrk warm-up: ${cases.length} cases × ${WRK.warmupSeconds} s`);
    for (const testCase of cases) await wrk(port, testCase, WRK.warmupSeconds);

    const rounds = [];
    for (let round = 1; round <= WRK.rounds; round++) {
      const results = {};
      for (const testCase of cases) {
        const result = await wrk(port, testCase, WRK.seconds);
        results[testCase.key] = result;
        progress(`round ${round}/${WRK.rounds} ${testCase.key.padEnd(9)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${(result.p50_us / 1000).toFixed(2)} ms  p99 ${(result.p99_us / 1000).toFixed(2)} ms`);
      }
      rounds.push(results);
    }
    const memoryAfterLoad = memoryKiB(server.child.pid);

    const summary = cases.map((testCase) => {
      const per = rounds.map((r) => r[testCase.key]);
      const ratios = rounds.map((r) => r[testCase.key].rps / r.health.rps);
      const errors = per.reduce((sum, r) => sum + Object.values(r.errors).reduce((a, b) => a + b, 0), 0);
      return {
        key: testCase.key,
        label: testCase.label,
        path: testCase.path,
        script: testCase.script || 'wrk-report.lua',
        headers: testCase.headers || [],
        budgeted: Boolean(testCase.budgeted),
        check: checks[testCase.key],
        rps: median(per.map((r) => r.rps)),
        rpsRange: minMax(per.map((r) => r.rps)),
        p50Ms: median(per.map((r) => r.p50_us / 1000)),
        p99Ms: median(per.map((r) => r.p99_us / 1000)),
        p99MaxMs: Math.max(...per.map((r) => r.p99_us / 1000)),
        bytesPerResponse: median(per.map((r) => r.bytes / r.requests)),
        ratioToHealth: median(ratios),
        ratioRange: minMax(ratios),
        errors,
      };
    });

    progress('bytes on the wire for a typical page (page 1, 10 rows)');
    const wire = [];
    for (const [label, headers] of [
      ['identity', {}],
      ['gzip', { 'Accept-Encoding': 'gzip' }],
      ['br', { 'Accept-Encoding': 'br' }],
      ['br, revalidated: 304', { 'Accept-Encoding': 'br', 'If-None-Match': etag }],
    ]) {
      const response = await rawGet(port, LEADERBOARD, headers);
      wire.push({
        label, status: response.status, encoding: response.headers['content-encoding'] || 'identity',
        headBytes: response.headBytes, bodyBytes: response.bodyOnWire, totalBytes: response.totalBytes,
      });
    }
    return { aroundId, wrk: WRK, rounds, summary, memoryAfterLoad, warm, wire };
  } finally {
    await stopChild(server.child);
  }
}

async function allColdStarts(dataDir) {
  const sample = 'the sample data (5,000 scores)';
  const big = '1,000,000 scores';
  return {
    sample: await coldStarts(sample, SAMPLE_DATA_DIR, COLD_STARTS.sample, 'files'),
    big: await coldStarts(big, dataDir, COLD_STARTS.big, 'files'),
    sampleSnapshot: await coldStarts(sample, SAMPLE_DATA_DIR, COLD_STARTS.sample, 'snapshot'),
    bigSnapshot: await coldStarts(big, dataDir, COLD_STARTS.big, 'snapshot'),
  };
}

async function main() {
  const loadBefore = loadAverage();
  const dataDir = await ensureBigData();
  if (process.env.BENCH_ONLY === 'board' || process.env.BENCH_ONLY === 'periods') {
    const load = await throughput(dataDir);
    writeResult(process.env.BENCH_ONLY, { quick: QUICK, loadAverage: { before: loadBefore, after: loadAverage() }, ...load });
    console.log(JSON.stringify(load.summary ?? load, null, 2));
    return;
  }
  const cold = await allColdStarts(dataDir);
  if (process.env.BENCH_ONLY === 'cold') {
    const summary = Object.fromEntries(Object.entries(cold).map(([key, c]) => [key, {
      starts: c.runs.length, firstOkMs: c.firstOkMs, firstOkRangeMs: c.firstOkRangeMs,
      listeningMs: c.listeningMs, loadMs: c.loadMs, vmRSSMB: c.vmRSSKiB * 1.024 / 1000,
      vmHWMMB: c.vmHWMKiB * 1.024 / 1000,
    }]));
    writeResult('cold', { quick: QUICK, loadAverage: { before: loadBefore, after: loadAverage() }, cold: summary });
    console.log(JSON.stringify({ loadAverage: { before: loadBefore, after: loadAverage() }, ...summary }, null, 2));
    return;
  }
  const sampleCount = JSON.parse(readFileSync(join(SAMPLE_DATA_DIR, 'scores.json'), 'utf8')).length;
  progress(`wrk: ${WRK.rounds} rounds × every case × ${WRK.seconds} s at ${WRK.connections} connections`);
  const load = await throughput(dataDir);
  writeResult('function', {
    quick: QUICK, dataDir, bigData: BIG_DATA, sampleCount, cold, ...load,
    loadAverage: { before: loadBefore, after: loadAverage() },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
