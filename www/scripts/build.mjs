// Builds the embed into www/dist/: the widget crate compiled to wasm (cargo, release profile),
// its JS glue (wasm-bindgen --target web, the CLI of the exact version Cargo.lock pins), the
// wasm shrunk by `wasm-opt -Oz`, then the hand-written loader and ESM entry copied beside it.
// Trunk is not used here: its generated page starts the app with an inline script, which a
// strict Content-Security-Policy refuses.
//
//   node scripts/build.mjs           build (npm run build)
//   node scripts/build.mjs --check   only check that dist/ is complete (npm pack's prepack)
//   EMBED_WASM_OPT=-O1 node scripts/build.mjs   another wasm-opt level than -Oz

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

function build() {
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
    // -Oz by default; EMBED_WASM_OPT=-O1 (say) to compare: -Oz gives the fewest raw bytes,
    // which is not always the fewest gzip/brotli bytes (measured in the size table below).
    const level = process.env.EMBED_WASM_OPT || '-Oz';
    run(wasmOpt, [level, '--strip-debug', '--strip-producers', ...WASM_FEATURES, bindgenWasm, '-o', optimised]);
    renameSync(optimised, bindgenWasm);
    for (const [from, to] of COPIED) copyFileSync(join(WWW, from), join(scratch, to));
    const loader = join(scratch, 'space-leaderboard.js');
    writeFileSync(loader, readFileSync(loader, 'utf8').replaceAll('__VERSION__', packageVersion()));

    rmSync(DIST, { recursive: true, force: true });
    mkdirSync(DIST, { recursive: true });
    for (const file of EXPECTED) copyFileSync(join(scratch, file), join(DIST, file));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  checkDist();
  const wasmBytes = statSync(join(DIST, `${CORE}_bg.wasm`)).size;
  console.log(`\nbuilt ${DIST} (wasm ${wasmBytes} bytes after wasm-opt ${process.env.EMBED_WASM_OPT || '-Oz'})`);
  sizes();
}

try {
  if (process.argv.includes('--check')) {
    checkDist(); // quiet: `npm pack --json` prints to stdout after this
  } else {
    build();
  }
} catch (error) {
  if (error instanceof BuildError) {
    console.error(`build: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
