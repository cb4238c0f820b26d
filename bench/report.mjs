// Writes BENCHMARKS.md from target/bench/results/*.json, target/criterion and the machine.
// bench/analysis.md (written by hand: what limits each missed budget) is included as is.
//
//   node bench/report.mjs [elapsed-seconds]     (the last step of scripts/bench.sh)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { QUICK, REPO, RESULTS_DIR, readResult } from './common.mjs';

const BUDGET = {
  ratioToHealth: 0.5,
  p99Ms: 10,
  coldSampleMs: 50,
  coldBigMs: 2000,
  coldSnapshotMs: 300,
  rssBigMB: 400,
  rssSnapshotMB: 300,
  embedGzipKB: 120,
  firstRowsMs: 150,
  tenWidgetsMs: 300,
  layoutShift: 0.01,
  mobileTbtMs: 150,
  boardFirstRowsMs: 100,
};

const fn = readResult('function');
const sizes = readResult('sizes');
const browser = readResult('browser');
const lighthouse = readResult('lighthouse');
const boardBrowser = readResult('board-browser');
const elapsed = Number(process.argv[2]) || null;

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n, digits = 2) => `${n.toFixed(digits)} ms`;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const mb = (kib) => `${(kib * 1024 / 1e6).toFixed(0)} MB`;
const ratio = (n) => `${n.toFixed(2)}×`;
const mark = (ok) => (ok ? '✅ met' : '❌ **missed**');

function shell(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    return (error.stdout || error.message || '').toString().trim();
  }
}

function machine() {
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  const loadStart = existsSync(join(RESULTS_DIR, 'load-start.txt'))
    ? readFileSync(join(RESULTS_DIR, 'load-start.txt'), 'utf8').trim() : 'n/a';
  const loadEnd = existsSync(join(RESULTS_DIR, 'load-end.txt'))
    ? readFileSync(join(RESULTS_DIR, 'load-end.txt'), 'utf8').trim() : 'n/a';
  return [
    ['CPUs (`nproc`)', shell('nproc', [])],
    ['CPU model', cpuModel],
    ['memory', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['kernel', shell('uname', ['-sr'])],
    ['rustc', shell('rustc', ['-V'])],
    ['node', process.version],
    ['wrk', shell('wrk', ['-v']).split('\n')[0].replace(/ Copyright.*/, '')],
    ['Chromium', browser?.chromium ?? 'n/a'],
    ['load average (1, 5, 15 min) at start', loadStart],
    ['load average around the wrk rounds', fn ? `${fn.loadAverage.before.join(' ')} → ${fn.loadAverage.after.join(' ')}` : 'n/a'],
    ['load average at end', loadEnd],
  ];
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------

function criterion() {
  const dir = join(REPO, 'target', 'criterion');
  const estimate = (group, fnId) => {
    const path = join(dir, group, fnId, 'new', 'estimates.json');
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).median.point_estimate : NaN;
  };
  const names = ['page_1', 'mode_region_filtered', 'deep_page_50000', 'sort_player', 'q_prefix_by_score', 'around_player'];
  const rows = names.map((name) => {
    const engine = estimate(`query_${name}`, 'engine');
    const reference = estimate(`query_${name}`, 'reference');
    return { name, engine, reference, speedUp: reference / engine };
  });
  const build = estimate('build', 'engine_1m');
  // Estimates older than this run's start come from an earlier run (BENCH_SKIP_CRITERION).
  const started = join(RESULTS_DIR, 'load-start.txt');
  const sample = join(dir, 'query_page_1', 'engine', 'new', 'estimates.json');
  const measuredAt = existsSync(sample) ? statSync(sample).mtime : null;
  const stale = measuredAt && existsSync(started) && measuredAt < statSync(started).mtime;
  return { rows, build, measuredAt, stale };
}

function budgets() {
  const rows = [];
  if (fn) {
    for (const s of fn.summary.filter((s) => s.budgeted)) {
      rows.push([`${s.label}: req/s vs health`, `≥ ${BUDGET.ratioToHealth}`, ratio(s.ratioToHealth), mark(s.ratioToHealth >= BUDGET.ratioToHealth)]);
      rows.push([`${s.label}: p99`, `< ${BUDGET.p99Ms} ms`, ms(s.p99Ms), mark(s.p99Ms < BUDGET.p99Ms)]);
    }
    rows.push(['cold start to first 200, sample data', `≤ ${BUDGET.coldSampleMs} ms`, ms(fn.cold.sample.firstOkMs, 1), mark(fn.cold.sample.firstOkMs <= BUDGET.coldSampleMs)]);
    rows.push(['cold start to first 200, 1,000,000 scores, from the data files (`--snapshot off`)', `≤ ${BUDGET.coldBigMs} ms`, ms(fn.cold.big.firstOkMs, 0), mark(fn.cold.big.firstOkMs <= BUDGET.coldBigMs)]);
    if (fn.cold.bigSnapshot) {
      const snap = fn.cold.bigSnapshot;
      rows.push(['cold start to first 200, 1,000,000 scores, from the index snapshot', `≤ ${BUDGET.coldSnapshotMs} ms`, ms(snap.firstOkMs, 0), mark(snap.firstOkMs <= BUDGET.coldSnapshotMs)]);
      rows.push(['resident memory after a start from the index snapshot (VmRSS), 1,000,000 scores', `≤ ${BUDGET.rssSnapshotMB} MB`, `${mb(snap.vmRSSKiB)} (peak VmHWM ${mb(snap.vmHWMKiB)})`, mark(snap.vmRSSKiB * 1024 / 1e6 <= BUDGET.rssSnapshotMB)]);
    }
    const rss = fn.memoryAfterLoad.vmRSS;
    rows.push(['resident memory after load (VmRSS), 1,000,000 scores', `≤ ${BUDGET.rssBigMB} MB`, `${mb(rss)} (peak VmHWM ${mb(fn.memoryAfterLoad.vmHWM)})`, mark(rss * 1024 / 1e6 <= BUDGET.rssBigMB && fn.memoryAfterLoad.vmHWM * 1024 / 1e6 <= BUDGET.rssBigMB)]);
  }
  if (sizes) {
    const paths = sizes.shipped?.paths;
    if (paths) {
      // A page downloads the loader (script tag) or the ESM entry (npm), never both.
      const worst = Math.max(paths.scriptTag.gzip, paths.npm.gzip);
      rows.push(['embed a page downloads (www/dist: loader or ESM entry, + glue + wasm; CSS inside the wasm), gzip', `≤ ${BUDGET.embedGzipKB} KB`, `${kb(paths.scriptTag.gzip)} script tag, ${kb(paths.npm.gzip)} npm (all four files: ${kb(sizes.shipped.total.gzip)})`, mark(worst <= BUDGET.embedGzipKB * 1000)]);
    } else {
      const embed = sizes.widget;
      rows.push(['embed total (wasm + JS glue; CSS inside the wasm), gzip', `≤ ${BUDGET.embedGzipKB} KB`, kb(embed.total.gzip), mark(embed.total.gzip <= BUDGET.embedGzipKB * 1000)]);
    }
  }
  if (browser) {
    rows.push(['first rows, one widget (median of 10 cold loads)', `≤ ${BUDGET.firstRowsMs} ms`, ms(browser.indexPage.fromScriptMs, 0), mark(browser.indexPage.fromScriptMs <= BUDGET.firstRowsMs)]);
    rows.push(['first rows, ten widgets on a page', `≤ ${BUDGET.tenWidgetsMs} ms`, ms(browser.tenWidgets.fromScriptMs, 0), mark(browser.tenWidgets.fromScriptMs <= BUDGET.tenWidgetsMs)]);
    rows.push(['ten widgets: wasm fetches / instantiations', '1 / 1', `${browser.tenWidgets.wasmRequests} / ${browser.tenWidgets.instantiations}`, mark(browser.tenWidgets.wasmRequests === 1 && browser.tenWidgets.instantiations === 1)]);
    rows.push(['live refresh with unchanged data: rows re-rendered', '0', String(browser.refresh.rowsAdded + browser.refresh.rowsChangedInPlace), mark(browser.refresh.rowsAdded + browser.refresh.rowsChangedInPlace === 0)]);
  }
  if (boardBrowser) {
    const first = boardBrowser.serverOnly.firstRowsMs;
    rows.push(['board page: first rows painted (the rows come with the HTML)', `≤ ${BUDGET.boardFirstRowsMs} ms`, ms(first, 0), mark(first <= BUDGET.boardFirstRowsMs && boardBrowser.serverOnly.rowsInHtml > 0)]);
    if (boardBrowser.floor) rows.push(['the same cold load of a one-line page (the browser\'s floor, for scale)', 'reported', ms(boardBrowser.floor.firstRowsMs, 0), '']);
    if (boardBrowser.takeover) rows.push(['board page: interactive (the wasm took over)', 'reported', ms(boardBrowser.takeover.interactiveMs, 0), '']);
  }
  if (lighthouse) {
    for (const preset of ['desktop', 'mobile']) {
      const cls = lighthouse[preset].metrics.cls;
      rows.push([`Lighthouse ${preset}: cumulative layout shift, native page`, `≤ ${BUDGET.layoutShift}`, cls.toFixed(3), mark(cls <= BUDGET.layoutShift)]);
    }
    const tbt = lighthouse.mobile.metrics.tbtMs;
    rows.push(['Lighthouse mobile: total blocking time, native page', `≤ ${BUDGET.mobileTbtMs} ms`, ms(tbt, 0), mark(tbt <= BUDGET.mobileTbtMs)]);
    for (const preset of ['desktop', 'mobile']) {
      const { accessibility, 'best-practices': practices, seo } = lighthouse[preset].scores;
      rows.push([`Lighthouse ${preset}: accessibility / best practices / SEO`, '100 / 100 / 100', `${accessibility} / ${practices} / ${seo}`, mark(accessibility === 100 && practices === 100 && seo === 100)]);
    }
  }
  return table(['budget', 'target', 'measured', ''], rows);
}

function lighthouseSection() {
  if (!lighthouse) return '### Lighthouse\n\nNot measured (bench/lighthouse.mjs did not run).\n';
  const out = ['### Lighthouse (native page)', ''];
  out.push(`Lighthouse ${lighthouse.desktop.lighthouse} (npm, \`scripts/install-tools.sh lighthouse\`) on Debian Chromium, desktop and mobile presets (mobile: Lighthouse's simulated throttling), against the release function on 1,000,000 scores serving the Trunk-built dist/. One run each.`);
  out.push('');
  out.push(table(
    ['preset', 'performance', 'accessibility', 'best practices', 'SEO', 'CLS', 'TBT', 'LCP', 'FCP'],
    ['desktop', 'mobile'].map((preset) => {
      const { scores, metrics } = lighthouse[preset];
      return [preset, scores.performance, scores.accessibility, scores['best-practices'], scores.seo, metrics.cls.toFixed(3), ms(metrics.tbtMs, 0), ms(metrics.lcpMs, 0), ms(metrics.fcpMs, 0)].map(String);
    })));
  out.push('');
  return out.join('\n');
}

function functionSection() {
  if (!fn) return '## The function\n\nNot measured (bench/function.mjs did not run).\n';
  const w = fn.wrk;
  const out = [];
  out.push('## The function');
  out.push('');
  out.push(`Binary: \`target/release/leaderboard-function\` (\`cargo build --release\`), data generated by \`leaderboard-function generate --scores ${fn.bigData.scores} --profiles ${fn.bigData.profiles} --seed ${fn.bigData.seed}${fn.bigData.playedOverDays ? ` --played-over-days ${fn.bigData.playedOverDays} --played-until ${fn.bigData.playedUntil}` : ''}\`${fn.bigData.playedUntil ? ` (timed scores over a year; every server's clock set to ${fn.bigData.playedUntil} with \`LEADERBOARD_TEST_NOW\`, so this day, week and month hold the data's last days)` : ''}. Its per-request log goes to \`/dev/null\` (written, not read).`);
  out.push('');
  out.push(`### Throughput and latency (wrk, loopback)`);
  out.push('');
  out.push(`\`wrk -t${w.threads} -c${w.connections} -d${w.seconds}s --latency -s bench/wrk-report.lua URL\`, after a ${w.warmupSeconds} s warm-up of every case; ${w.rounds} rounds, each running every case in turn, so each ratio compares runs seconds apart. Figures are medians over the rounds; the ratio is the median of the per-round ratios. wrk itself runs on the same 2 cores, so the ceiling is the machine, not the server alone. No errors or non-2xx/3xx answers unless the errors column says so.`);
  out.push('');
  out.push(table(
    ['request', 'URL', 'req/s', 'ratio to health (range)', 'p50', 'p99', 'bytes/resp', 'errors'],
    fn.summary.map((s) => [
      s.label + (s.budgeted ? '' : (s.key === 'health' ? '' : ' *(extra)*')),
      `\`${s.path.replace(`around=${fn.aroundId}`, `around=${fn.aroundId}`)}\`${s.headers.length ? ` + \`${s.headers.join(', ').replace(/"[^"]*"/, '"…"')}\`` : ''}`,
      int(s.rps),
      s.key === 'health' ? '1' : `${ratio(s.ratioToHealth)} (${s.ratioRange.map((r) => r.toFixed(2)).join('–')})`,
      ms(s.p50Ms), ms(s.p99Ms), int(s.bytesPerResponse), String(s.errors),
    ])));
  out.push('');
  out.push('wrk sends no `Accept-Encoding`, so the budgeted rows are identity-encoded. Each budgeted row repeats one URL, so after its first request it is answered from the function\'s response cache (the serialised page per data version; `--response-cache`, 32 MB by default). The *extra* rows show a browser\'s `gzip` and `br` (the compressed page is cached too), a revalidation answered `304` without running the query, and, with `-s bench/wrk-rotate.lua URL -- 100000`, a run where every request asks for a page not asked for before (page 1, 2, 3, … of 100,000), which the cache cannot answer: the cost of a miss (query and serialisation).');
  out.push('');
  out.push('### Cold start and memory');
  out.push('');
  out.push('Process start (node `spawn`) to the first `200` of `GET /api/LeaderboardFunction`: the binary loads the data (from the data files with `--snapshot off`: parse, check and index at every start; or from the index snapshot, written first by `leaderboard-function snapshot` and checked against the files\' data version at every start), binds, prints `listening on …`, and the request is sent at once. One untimed warm-up start first (the data files are then in the page cache, as on a warm host).');
  out.push('');
  const c = fn.cold;
  const coldRow = (label, run, digits) => run && [label, run.runs.length, ms(run.firstOkMs, digits), run.firstOkRangeMs.map((v) => v.toFixed(digits)).join('–') + ' ms', ms(run.listeningMs, digits), ms(run.loadMs, 0), mb(run.vmRSSKiB), mb(run.vmHWMKiB)];
  out.push(table(
    ['data', 'starts', 'first 200 (median)', 'range', 'to `listening` line', 'load (its own log)', 'VmRSS after first 200', 'VmHWM'],
    [
      coldRow(`sample (${int(fn.sampleCount)} scores), from the data files`, c.sample, 1),
      coldRow(`sample (${int(fn.sampleCount)} scores), from the index snapshot`, c.sampleSnapshot, 1),
      coldRow('1,000,000 scores, 100,000 players, from the data files', c.big, 0),
      coldRow('1,000,000 scores, 100,000 players, from the index snapshot', c.bigSnapshot, 0),
    ].filter(Boolean)));
  out.push('');
  out.push(`After the wrk rounds (1,000,000 scores, steady state): VmRSS ${mb(fn.memoryAfterLoad.vmRSS)}, VmHWM (peak, reached while loading) ${mb(fn.memoryAfterLoad.vmHWM)}. MB = 10⁶ bytes.`);
  out.push('');
  out.push('### Bytes on the wire, a typical page');
  out.push('');
  out.push('`GET /api/LeaderboardFunction` (page 1, 10 rows, 1,000,000 scores), counted on a raw socket: head (status line and headers) + body as sent.');
  out.push('');
  out.push(table(['request', 'status', 'Content-Encoding', 'head', 'body', 'total'],
    fn.wire.map((w) => [w.label === 'br, revalidated: 304' ? '`Accept-Encoding: br` + `If-None-Match: <etag>`' : w.label === 'identity' ? 'no `Accept-Encoding`' : `\`Accept-Encoding: ${w.label}\``, w.status, w.encoding, int(w.headBytes), int(w.bodyBytes), int(w.totalBytes)])));
  out.push('');
  return out.join('\n');
}

function criterionSection() {
  const { rows, build, measuredAt, stale } = criterion();
  const out = ['### The query engine alone (criterion)', ''];
  if (rows.every((r) => Number.isNaN(r.engine))) {
    out.push('Not measured (no target/criterion estimates).');
    return out.join('\n');
  }
  out.push('`cargo bench -p leaderboard-engine --bench query` (`[profile.bench]`: opt-level 3, thin LTO): `Engine::query` against `reference::query`, the naive filter + sort + skip + take the original function ran per request, on 1,000,000 synthetic scores and 100,000 profiles (engine/benches/support/synthetic.rs). Medians from `target/criterion/*/new/estimates.json`.');
  out.push('');
  const time = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${(ns / 1e3).toFixed(2)} µs`);
  out.push(table(['query', 'reference (naive)', 'engine', 'speed-up'],
    rows.map((r) => [r.name, time(r.reference), time(r.engine), `${int(r.speedUp)}×`])));
  out.push('');
  if (Number.isFinite(build)) out.push(`\`Engine::build\` of 1,000,000 scores: ${(build / 1e6).toFixed(0)} ms (median).`);
  if (stale) out.push(`**These criterion figures are from an earlier run (${measuredAt.toISOString()}).**`);
  out.push('');
  return out.join('\n');
}

function widgetSection() {
  const out = ['## The widget', ''];
  if (!sizes) {
    out.push('Not measured: the widget did not build.');
    return out.join('\n');
  }
  out.push('### Embed size');
  out.push('');
  out.push('Built by Trunk with the settings of index.html\'s `<link data-trunk rel="rust">` (`wasm-opt -O1 --shrink-level=1 --converge --rse --precompute-propagate --strip-debug --strip-producers`, the module\'s own features) and `[profile.wasm-release]` (opt-level "z" for the widget\'s crates and "s" for its dependencies, fat LTO, 1 codegen unit, panic=abort, strip = "debuginfo"): the widget is the native page\'s `trunk build --release`; the floor is the smallest yew app (bench/floor.rs: one function component), an example of the same package built the same way (`trunk build --release --example yew-floor`). The published embed is www/\'s `npm run build` (the same Trunk build, plus the names on the JS/wasm boundary minified by binaryen, the glue bundled with the JS the wasm imports (src/i18n.js) and the entries bundled by esbuild, all minified by terser). gzip -9 and brotli q11 (node zlib). The widget\'s CSS is minified by build.rs (lightningcss) and compiled into the wasm (`include_str!`, ' + int(sizes.widgetCss.raw) + ' bytes raw), so there is no CSS file to fetch.');
  out.push('');
  const rows = [];
  const builds = [['widget', sizes.widget], ['floor (minimal yew app)', sizes.floor]];
  if (sizes.shipped) builds.push(['published embed (www/dist)', sizes.shipped]);
  for (const [who, e] of builds) {
    for (const f of e.files) rows.push([who, `${f.kind} \`${f.file}\``, int(f.raw), int(f.gzip), int(f.brotli)]);
    rows.push([`**${who} total**`, '', `**${int(e.total.raw)}**`, `**${int(e.total.gzip)}**`, `**${int(e.total.brotli)}**`]);
  }
  rows.push(['**widget ÷ floor** (wasm + glue, same build)', '', ratio(sizes.ratioToFloor.raw), ratio(sizes.ratioToFloor.gzip), ratio(sizes.ratioToFloor.brotli)]);
  if (sizes.shipped) {
    const r = (k) => ratio(sizes.shipped.total[k] / sizes.floor.total[k]);
    rows.push(['**published embed ÷ floor**', '', r('raw'), r('gzip'), r('brotli')]);
    for (const [who, total] of [['script tag: loader + glue + wasm', sizes.shipped.paths?.scriptTag], ['npm: ESM entry + glue + wasm', sizes.shipped.paths?.npm]]) {
      if (total) rows.push([`**what a page downloads, ${who}**`, '', int(total.raw), int(total.gzip), int(total.brotli)]);
    }
  }
  out.push(table(['', 'file', 'raw bytes', 'gzip', 'brotli'], rows));
  out.push('');
  if (sizes.languages) {
    const files = sizes.languages.map((l) => `${l.lang} ${int(l.gzip)}`).join(', ');
    out.push(`A reader of another language than English downloads its language file once more (www/dist/i18n/, gzip -9 bytes): ${files}.`);
    out.push('');
  }
  const dist = sizes.dist.files.map((f) => `\`${f.file}\` ${int(f.raw)} / ${int(f.gzip)} / ${int(f.brotli)}`).join('; ');
  out.push(`The Trunk-built native page (dist/, raw / gzip / brotli bytes): ${dist}. Over the wire the function compresses these itself (br for Chromium).`);
  out.push('');
  if (!browser) {
    out.push('Browser figures not measured.');
    return out.join('\n');
  }
  out.push('### Time to first rows (headless Chromium)');
  out.push('');
  out.push(`Chromium ${browser.chromium} (playwright-core, /usr/bin/chromium, \`${browser.flags.join(' ')}\`), viewport 1280×900, each load in a fresh context (empty HTTP cache: a first visit), against the local function on 1,000,000 scores serving the Trunk-built dist/. Start = \`startTime\` of the widget script's Resource Timing entry (the script starting to load); end = the frame after the last widget's first data row (\`tr[data-entry-id]\`, seen by a MutationObserver on its shadow root) entered the DOM has been painted (a task queued from the next \`requestAnimationFrame\`). Medians of ${browser.indexPage.loads.length} loads.`);
  out.push('');
  const b = (x) => x.breakdownMs;
  out.push(table(
    ['page', 'first rows (median)', 'range', 'from navigation', 'script → wasm loaded', 'wasm loaded → first API request', 'API requests → last response', 'last response → rows in DOM', 'rows in DOM → painted', 'wasm fetches / instantiations', 'API requests'],
    [['dist/index.html (1 widget)', browser.indexPage], ['10 widgets (`ten-widgets.html`)', browser.tenWidgets]].map(([name, x]) => [
      name, ms(x.fromScriptMs, 0), x.fromScriptRangeMs.map((v) => v.toFixed(0)).join('–') + ' ms', ms(x.fromNavigationMs, 0),
      ms(b(x).scriptStartToWasmLoaded, 0), ms(b(x).wasmLoadedToFirstApiRequest, 0), ms(b(x).firstApiRequestToLastApiResponse, 0),
      ms(b(x).lastApiResponseToRowsInDom, 0), ms(b(x).rowsInDomToPainted, 0), `${x.wasmRequests} / ${x.instantiations}`, String(x.apiRequests),
    ])));
  out.push('');
  out.push('The ten-widget page is dist/index.html with ten `data-space-leaderboard` divs (different modes, regions, page sizes, a `sort=player` and a compact one) in place of the one.');
  out.push('');
  out.push('### Rendering cost');
  out.push('');
  const p = browser.pageChange;
  const r = browser.refresh;
  out.push(`A MutationObserver on the widget's shadow root (subtree, attributes, text) counts what each change touches. Page change: \`button[rel="next"]\` clicked ${p.samples.length} times (one widget, 10 rows a page), medians per click. Live refresh: \`data-refresh="1"\`, ${r.refreshes} refreshes observed (each ends when \`aria-busy\` leaves the table), totals.`);
  out.push('');
  out.push(table(
    ['change', 'click → rows in DOM', 'click → painted', 'mutation records', 'nodes added / removed', 'rows added / removed', 'rows changed in place', 'attribute changes (of which table busy state)'],
    [
      ['next page', ms(p.clickToRowsMs, 1), ms(p.clickToPaintedMs, 1), int(p.records), `${int(p.nodesAdded)} / ${int(p.nodesRemoved)}`, `${p.rowsAdded} / ${p.rowsRemoved}`, String(p.rowsChangedInPlace), `${p.attributes} (${p.tableBusyToggles})`],
      [`${r.refreshes} live refreshes, unchanged data`, '', '', int(r.records), `${int(r.nodesAdded)} / ${int(r.nodesRemoved)}`, `${r.rowsAdded} / ${r.rowsRemoved}`, String(r.rowsChangedInPlace), `${r.attributes} (${r.tableBusyToggles})`],
    ]));
  out.push('');
  out.push(`Refresh requests seen: ${r.fetches}, of which answered from the browser's HTTP cache without a request: ${r.fetchesFromHttpCache} (the function's \`Cache-Control: max-age=10\` applies to the widget's own refreshes).`);
  out.push('');
  return out.join('\n');
}

const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const doc = [];
doc.push('# Benchmarks');
doc.push('');
doc.push(`Written by \`scripts/bench.sh\` on ${now}${elapsed ? ` (the run took ${Math.round(elapsed / 60)} min)` : ''}; do not edit by hand, rerun it. How to run it and what each figure means: bench/README.md.${QUICK ? ' **BENCH_QUICK=1 run: short, single-round figures, not for keeps.**' : ''}`);
doc.push('');
// A report rewritten after a partial re-run (one measurement run again, the others kept)
// says which parts come from when.
{
  const stamps = ['sizes', 'function', 'browser', 'lighthouse', 'board-browser', 'redis', 'redis-periods']
    .map((name) => [name, join(RESULTS_DIR, `${name}.json`)])
    .filter(([, path]) => existsSync(path))
    .map(([name, path]) => [name, statSync(path).mtime]);
  const times = stamps.map(([, time]) => time.getTime());
  if (times.length && Math.max(...times) - Math.min(...times) > 60 * 60 * 1000) {
    doc.push(`**Not one run:** the parts were measured at different times (${stamps.map(([name, time]) => `${name} ${time.toISOString().slice(0, 16)}Z`).join(', ')}); only the later ones were re-run.`);
    doc.push('');
  }
}
doc.push('The machine is shared (2 cores, other builds and tests running): absolute figures move from run to run; the ratios (same server, same rounds) are the comparable ones. See the load averages below.');
doc.push('');
doc.push('## Budgets');
doc.push('');
doc.push(budgets());
doc.push('');
doc.push('## Machine');
doc.push('');
doc.push(table(['', ''], machine()));
doc.push('');
doc.push('## Commands');
doc.push('');
doc.push('```sh');
doc.push('scripts/bench.sh      # installs tools, builds, measures, writes this file');
doc.push('# which runs:');
doc.push('cargo build --release -p leaderboard-function');
doc.push('trunk build --release                                    # the native page (and the widget sizes)');
doc.push('trunk build --release --example yew-floor --filehash false  # the floor');
doc.push('npm run build --prefix www                                # the published embed');
doc.push('node bench/sizes.mjs');
doc.push('cargo bench -p leaderboard-engine --bench query');
doc.push('node bench/function.mjs   # generate 1M data, cold starts, wrk rounds, bytes on the wire');
doc.push('node bench/browser.mjs    # headless Chromium');
doc.push('node bench/lighthouse.mjs # Lighthouse 12.2, native page, desktop and mobile');
doc.push('node bench/board.mjs      # the board page in Chromium: first rows, takeover');
doc.push('node bench/report.mjs     # this file');
doc.push('```');
doc.push('');
doc.push(functionSection());
doc.push(criterionSection());
doc.push(widgetSection());
doc.push(lighthouseSection());
const analysis = join(REPO, 'bench', 'analysis.md');
if (existsSync(analysis)) {
  doc.push(readFileSync(analysis, 'utf8').trim());
  doc.push('');
}
writeFileSync(join(REPO, 'BENCHMARKS.md'), doc.join('\n'));
process.stderr.write(`wrote ${join(REPO, 'BENCHMARKS.md')}\n`);
