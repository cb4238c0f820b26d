// Embed sizes, raw / gzip -9 / brotli q11, of the widget and of the minimal yew app (the
// floor), both built the same way by scripts/bench.sh into target/bench/embed/{widget,floor}/;
// of the published embed (www/dist/ from `npm run build` in www/, when www/ builds one); and
// of the Trunk-built dist/ files the native page serves. Writes results/sizes.json.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { BENCH_DIR, REPO, progress, writeResult } from './common.mjs';

function sizes(path) {
  const bytes = readFileSync(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

function kind(file) {
  if (file === 'space-leaderboard.js') return 'loader (script tag)';
  if (file === 'index.js') return 'ESM entry';
  if (file.endsWith('.wasm')) return 'wasm';
  if (file.endsWith('.js')) return 'JS glue';
  if (file.endsWith('.css')) return 'CSS';
  if (file.endsWith('.html')) return 'HTML';
  return 'other';
}

/** Every shipped file of a directory (no TypeScript declarations), with its sizes. */
function embed(dir) {
  const files = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile() && !f.endsWith('.d.ts'))
    .sort()
    .map((file) => ({ file, kind: kind(file), ...sizes(join(dir, file)) }));
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files.filter((f) => f.kind !== 'HTML')) {
    for (const k of Object.keys(total)) total[k] += f[k];
  }
  return { dir, files, total };
}

progress('measuring embed sizes (gzip -9, brotli q11)');
const widget = embed(join(BENCH_DIR, 'embed', 'widget'));
const floor = embed(join(BENCH_DIR, 'embed', 'floor'));
const dist = embed(join(REPO, 'dist'));
// The embed as published (www/: `npm run build`): loader, ESM entry, glue and wasm.
const wwwDist = join(REPO, 'www', 'dist');
const shipped = existsSync(join(wwwDist, 'space-leaderboard-core_bg.wasm')) ? embed(wwwDist) : null;
const cssInWasm = readFileSync(join(REPO, 'src', 'styles', 'widget.css'));
writeResult('sizes', {
  widget,
  floor,
  dist,
  shipped,
  widgetCss: { source: 'src/styles/widget.css', note: 'compiled into the wasm (include_str!)', raw: cssInWasm.length },
  ratioToFloor: {
    raw: widget.total.raw / floor.total.raw,
    gzip: widget.total.gzip / floor.total.gzip,
    brotli: widget.total.brotli / floor.total.brotli,
  },
});
