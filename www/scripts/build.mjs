// Builds the embed into www/dist/: the widget crate compiled to wasm (cargo, release profile),
// its JS glue (wasm-bindgen --target web, the CLI of the exact version Cargo.lock pins), the
// wasm shrunk by wasm-opt (WASM_OPT_LEVEL below) and its import names shortened on both sides
// (short-import-names.mjs), then the hand-written loader and ESM entry copied beside it;
// every JS file is minified with terser (no eval, nothing a strict CSP refuses). Trunk is not used here: its generated page starts the app with an inline script,
// which a strict Content-Security-Policy refuses.
//
//   node scripts/build.mjs           build (npm run build)
//   node scripts/build.mjs --check   only check that dist/ is complete (npm pack's prepack)
//   EMBED_WASM_OPT=-Oz node scripts/build.mjs   another wasm-opt level, to compare sizes

import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync } from 'node:zlib';

import { shortenImportNames } from './short-import-names.mjs';

const WWW = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(WWW, '..');
const DIST = join(WWW, 'dist');
const CRATE = 'space-leaderboard';
/** Base name of the wasm-bindgen output: `space-leaderboard-core.js` + `..._bg.wasm`. */
const CORE = 'space-leaderboard-core';

/** Everything dist/ must hold, and where the hand-written files come from. */
const COPIED = [
  ['src/loader.js', 'space-leaderboard.js'],
  ['src/index.js', 'index.js'],
  ['src/index.d.ts', 'index.d.ts'],
];
const GENERATED = [`${CORE}.js`, `${CORE}_bg.wasm`];
const EXPECTED = [...COPIED.map(([, to]) => to), ...GENERATED];

// The wasm-opt level of the shipped embed, the same as index.html's data-wasm-opt (Trunk) and
// scripts/bench.sh. Not -Oz: -Oz gives the fewest raw bytes, -O1 the fewest gzip and brotli
// bytes (4-5 KB less gzip: less inlining, more repeated code that compresses well; measured
// in bench/analysis.md). --converge repeats it while it still shrinks (0.3 KB); the strip
// flags drop the names, producers and target_features sections nothing at run time reads.
const WASM_OPT_LEVEL = '-O1';
const WASM_OPT_PASSES = ['--converge', '--strip-debug', '--strip-producers', '--strip-target-features'];

// The wasm features rustc's wasm32 target emits; wasm-opt must be told it may keep them
// (the same list as the native page's Trunk build in index.html).
const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-reference-types',
  '--enable-multivalue',
];

class BuildError extends Error {}

function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  try {
    return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options })
      ?.toString();
  } catch (error) {
    throw new BuildError(`${command} failed (${error.status ?? error.code ?? error.message})`);
  }
}

/** The first existing executable named `name` in `dirs`, then on PATH. */
function findTool(name, dirs) {
  const path = (process.env.PATH || '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, ...path]) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** The wasm-bindgen version Cargo.lock pins: the CLI must be the same version exactly. */
function lockedWasmBindgenVersion() {
  const lock = readFileSync(join(REPO, 'Cargo.lock'), 'utf8');
  const match = /\[\[package\]\]\s*name = "wasm-bindgen"\s*version = "([^"]+)"/.exec(lock);
  if (!match) throw new BuildError('Cargo.lock has no wasm-bindgen package');
  return match[1];
}

function packageVersion() {
  return JSON.parse(readFileSync(join(WWW, 'package.json'), 'utf8')).version;
}

function checkDist() {
  const missing = EXPECTED.filter((file) => !existsSync(join(DIST, file)));
  if (missing.length > 0) {
    throw new BuildError(
      `www/dist/ is incomplete (missing ${missing.join(', ')}): run \`npm run build\` in www/ first`,
    );
  }
}

function sizes() {
  const rows = EXPECTED.map((file) => {
    const bytes = readFileSync(join(DIST, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes).length,
    };
  });
  const total = (key) => rows.reduce((sum, row) => sum + row[key], 0);
  rows.push({ file: 'total', raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') });
  console.log('\nwww/dist/ (bytes)');
  console.log(`${'file'.padEnd(34)}${'raw'.padStart(10)}${'gzip -9'.padStart(10)}${'brotli'.padStart(10)}`);
  for (const row of rows) {
    console.log(
      `${row.file.padEnd(34)}${String(row.raw).padStart(10)}${String(row.gzip).padStart(10)}${String(row.brotli).padStart(10)}`,
    );
  }
}

/** Renames the wasm's imports from the glue to short names, on both sides (about 6 KB gzip). */
function shortenImports(dir) {
  const wasmPath = join(dir, `${CORE}_bg.wasm`);
  const gluePath = join(dir, `${CORE}.js`);
  const result = shortenImportNames(
    readFileSync(wasmPath),
    readFileSync(gluePath, 'utf8'),
    `./${CORE}_bg.js`,
  );
  if (result.skipped) {
    console.log(`import names kept as wasm-bindgen wrote them: ${result.skipped}`);
    return;
  }
  writeFileSync(wasmPath, result.wasm);
  writeFileSync(gluePath, result.glue);
  console.log(`shortened the names of ${result.renamed} wasm imports`);
}

/**
 * Minifies the shipped JS in place: the loader is a classic script, the entry and the glue are
 * ES modules (their import paths and `new URL(..., import.meta.url)` stay literal, so
 * bundlers still find the glue and the wasm). The entry keeps its line breaks, spaces around
 * `=` and single quotes: its exported `OPTION_NAMES` list stays readable to tools that read it
 * (tests/embed/npm.test.mjs); that costs it about 90 bytes of gzip.
 */
async function minifyScripts(dir) {
  let terser;
  try {
    terser = await import('terser');
  } catch {
    throw new BuildError('terser not found: npm install (devDependency) in www/ or the repo root');
  }
  const scripts = [
    ['space-leaderboard.js', { module: false }],
    ['index.js', { module: true, format: { beautify: true, indent_level: 0, quote_style: 1 } }],
    [`${CORE}.js`, { module: true }],
  ];
  for (const [file, { module, format = {} }] of scripts) {
    const path = join(dir, file);
    let result;
    try {
      result = await terser.minify(readFileSync(path, 'utf8'), {
        module,
        ecma: 2020,
        compress: { passes: 2 },
        mangle: true,
        format: { comments: false, ...format },
      });
    } catch (error) {
      throw new BuildError(`terser could not minify ${file}: ${error.message}`);
    }
    writeFileSync(path, result.code);
  }
}

async function build() {
  const metadata = JSON.parse(
    run('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: REPO }),
  );
  const wasmIn = join(
    metadata.target_directory,
    'wasm32-unknown-unknown',
    'release',
    `${CRATE.replaceAll('-', '_')}.wasm`,
  );

  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', CRATE], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (!existsSync(wasmIn)) throw new BuildError(`cargo did not produce ${wasmIn}`);

  const locked = lockedWasmBindgenVersion();
  const wasmBindgen = findTool('wasm-bindgen', [join(homedir(), '.cargo', 'bin')]);
  if (!wasmBindgen) {
    throw new BuildError(
      `wasm-bindgen not found: cargo install wasm-bindgen-cli --version ${locked}`,
    );
  }
  const cliVersion = run(wasmBindgen, ['--version']).trim().split(/\s+/).pop();
  if (cliVersion !== locked) {
    throw new BuildError(
      `wasm-bindgen CLI is ${cliVersion} but Cargo.lock pins ${locked}: cargo install wasm-bindgen-cli --version ${locked}`,
    );
  }
  const wasmOpt = findTool('wasm-opt', [
    join(WWW, 'node_modules', '.bin'),
    join(REPO, 'node_modules', '.bin'),
  ]);
  if (!wasmOpt) {
    throw new BuildError('wasm-opt not found: npm install (binaryen) in www/ or the repo root');
  }

  // Build into a scratch folder and swap it in at the end: a failed build never leaves a
  // half-written dist/ behind.
  const scratch = mkdtempSync(join(tmpdir(), 'slb-embed-'));
  try {
    run(wasmBindgen, [
      '--target', 'web',
      '--no-typescript',
      '--out-dir', scratch,
      '--out-name', CORE,
      wasmIn,
    ]);
    const bindgenWasm = join(scratch, `${CORE}_bg.wasm`);
    const optimised = join(scratch, `${CORE}_bg.opt.wasm`);
    const level = process.env.EMBED_WASM_OPT || WASM_OPT_LEVEL;
    run(wasmOpt, [level, ...WASM_OPT_PASSES, ...WASM_FEATURES, bindgenWasm, '-o', optimised]);
    renameSync(optimised, bindgenWasm);
    shortenImports(scratch);
    for (const [from, to] of COPIED) copyFileSync(join(WWW, from), join(scratch, to));
    const loader = join(scratch, 'space-leaderboard.js');
    writeFileSync(loader, readFileSync(loader, 'utf8').replaceAll('__VERSION__', packageVersion()));
    await minifyScripts(scratch);

    rmSync(DIST, { recursive: true, force: true });
    mkdirSync(DIST, { recursive: true });
    for (const file of EXPECTED) copyFileSync(join(scratch, file), join(DIST, file));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  checkDist();
  const wasmBytes = statSync(join(DIST, `${CORE}_bg.wasm`)).size;
  console.log(`\nbuilt ${DIST} (wasm ${wasmBytes} bytes after wasm-opt ${process.env.EMBED_WASM_OPT || WASM_OPT_LEVEL})`);
  sizes();
}

try {
  if (process.argv.includes('--check')) {
    checkDist(); // quiet: `npm pack --json` prints to stdout after this
  } else {
    await build();
  }
} catch (error) {
  if (error instanceof BuildError) {
    console.error(`build: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
