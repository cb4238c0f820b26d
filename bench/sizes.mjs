// Embed sizes, raw / gzip -9 / brotli q11: the widget's wasm and glue and those of the
// smallest yew app (the floor), both Trunk builds with index.html's settings, copied by
// scripts/bench.sh into target/bench/embed/{widget,floor}/; the published embed (www/dist/,
// `npm run build` in www/); and the Trunk-built dist/ files the native page serves. Writes
// results/sizes.json.

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

/** The newest build.rs output of the widget's release wasm build (null when none). */
function minifiedCss() {
  const build = join(REPO, 'target', 'wasm32-unknown-unknown', 'release', 'build');
  if (!existsSync(build)) return null;
  const candidates = readdirSync(build)
    .filter((dir) => dir.startsWith('space-leaderboard-'))
    .map((dir) => join(build, dir, 'out', 'widget.min.css'))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates.length > 0 ? readFileSync(candidates[0]) : null;
}

progress('measuring embed sizes (gzip -9, brotli q11)');
const widget = embed(join(BENCH_DIR, 'embed', 'widget'));
const floor = embed(join(BENCH_DIR, 'embed', 'floor'));
const dist = embed(join(REPO, 'dist'));
// The embed as published (www/: `npm run build`): loader, ESM entry, glue and wasm.
const wwwDist = join(REPO, 'www', 'dist');
const shipped = existsSync(join(wwwDist, 'space-leaderboard-core_bg.wasm')) ? embed(wwwDist) : null;
if (shipped) {
  // What one page downloads: a page takes the script-tag loader or the npm ESM entry, never
  // both, plus the glue and the wasm. The budget is judged on the larger of the two.
  const sum = (kinds) => {
    const total = { raw: 0, gzip: 0, brotli: 0 };
    for (const f of shipped.files.filter((f) => kinds.includes(f.kind))) {
      for (const k of Object.keys(total)) total[k] += f[k];
    }
    return total;
  };
  shipped.paths = {
    scriptTag: sum(['loader (script tag)', 'JS glue', 'wasm']),
    npm: sum(['ESM entry', 'JS glue', 'wasm']),
  };
}
// The language files (www/dist/i18n/): what a reader of a language other than English
// downloads more, once (English is compiled into the wasm).
const i18nDir = join(wwwDist, 'i18n');
const languages = existsSync(i18nDir) ? embed(i18nDir).files.map(({ file, raw, gzip, brotli }) => ({ lang: file.replace(/\.json$/, ''), raw, gzip, brotli })) : null;
const cssSource = readFileSync(join(REPO, 'src', 'styles', 'widget.css'));
// What ships: build.rs minifies the stylesheet into OUT_DIR, which the wasm includes.
const cssInWasm = minifiedCss() ?? cssSource;
writeResult('sizes', {
  widget,
  floor,
  dist,
  shipped,
  languages,
  widgetCss: {
    source: 'src/styles/widget.css',
    note: 'minified by build.rs, compiled into the wasm (include_str!)',
    raw: cssInWasm.length,
    sourceRaw: cssSource.length,
  },
  ratioToFloor: {
    raw: widget.total.raw / floor.total.raw,
    gzip: widget.total.gzip / floor.total.gzip,
    brotli: widget.total.brotli / floor.total.brotli,
  },
});
