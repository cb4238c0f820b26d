// Lighthouse 12.2 (npm, installed by scripts/install-tools.sh lighthouse) on the native page:
// desktop and mobile presets, against the release function on 1,000,000 scores serving the
// Trunk-built dist/. Writes target/bench/results/lighthouse.json; bench/report.mjs turns it
// into BENCHMARKS.md's Lighthouse table. A few diagnostic audits error on this Chromium's trace
// format; the category scores and the metrics below don't depend on them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, REPO, progress, run, stopChild, writeResult } from './common.mjs';
import { CHROMIUM_FLAGS } from './browser.mjs';
import { ensureBigData, startServer } from './function.mjs';

const LIGHTHOUSE = join(REPO, 'target', 'tools', 'lighthouse', 'node_modules', '.bin', 'lighthouse');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const METRICS = {
  cls: 'cumulative-layout-shift',
  tbtMs: 'total-blocking-time',
  lcpMs: 'largest-contentful-paint',
  fcpMs: 'first-contentful-paint',
};

async function audit(url, preset) {
  const out = join(BENCH_DIR, `lighthouse-${preset}.json`);
  const args = [
    url, '--quiet', '--output=json', `--output-path=${out}`,
    `--only-categories=${CATEGORIES.join(',')}`,
    `--chrome-flags=${CHROMIUM_FLAGS.join(' ')}`,
  ];
  if (preset === 'desktop') args.push('--preset=desktop');
  const { code, stderr } = await run(LIGHTHOUSE, args, { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' } });
  if (code !== 0) throw new Error(`lighthouse (${preset}) failed: ${stderr.slice(-2000)}`);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const scores = Object.fromEntries(CATEGORIES.map((id) => [id, Math.round((report.categories[id]?.score ?? NaN) * 100)]));
  const metrics = Object.fromEntries(Object.entries(METRICS).map(([key, id]) => [key, report.audits[id]?.numericValue]));
  return { scores, metrics, lighthouse: report.lighthouseVersion, userAgent: report.environment?.hostUserAgent };
}

const server = await startServer(await ensureBigData(), ['--static-dir', join(REPO, 'dist')]);
try {
  const url = `http://127.0.0.1:${server.port}/`;
  const result = {};
  for (const preset of ['desktop', 'mobile']) {
    progress(`lighthouse ${preset} on ${url}`);
    result[preset] = await audit(url, preset);
    progress(`${preset}: ${JSON.stringify(result[preset].scores)} ${JSON.stringify(result[preset].metrics)}`);
  }
  writeResult('lighthouse', result);
} finally {
  await stopChild(server.child);
}
