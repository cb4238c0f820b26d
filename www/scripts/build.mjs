// Builds the embed into www/dist/.
//
// The wasm and its glue come from the native page's build, unchanged: `trunk build --release`
// on the repo's index.html, whose `<link data-trunk rel="rust">` holds every wasm build
// setting (cargo profile, wasm-opt level, passes and features). Then, for the embed only:
//
// 1. The glue and the wasm are renamed `space-leaderboard-core.js` / `..._bg.wasm`
//    (`space-leaderboard.js` is the loader).
// 2. binaryen's `--minify-imports-and-exports-and-modules` gives the names on the JS/wasm
//    boundary one or two letters, and the glue is rewritten from the mapping it prints
//    (only the embed's glue can follow it: Trunk's page loads its own glue).
// 3. The entries are bundled with the implementation (esbuild): the ESM entry `index.js`
//    (the glue stays a separate module) and the classic loader `space-leaderboard.js`.
// 4. Every JS file is minified by terser (no eval, nothing a strict CSP refuses).
//
//   node scripts/build.mjs           build (npm run build)
//   node scripts/build.mjs --check   only check that dist/ is complete (npm pack's prepack)
//
// The board embed (what the function's board page loads with --embed-dir): the same build
// with the widget's `board` feature, into another folder:
//   TRUNK_BUILD_FEATURES=board EMBED_OUT_DIR=../target/board-embed node scripts/build.mjs

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const WWW = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(WWW, '..');
const DIST = process.env.EMBED_OUT_DIR ? resolve(WWW, process.env.EMBED_OUT_DIR) : join(WWW, 'dist');
/** What Trunk names the glue and the wasm (the package name). */
const TRUNK_NAME = 'space-leaderboard';
/** What the embed names them. */
const CORE = 'space-leaderboard-core';

const LOADER = 'space-leaderboard.js';
const ENTRY = 'index.js';
const GLUE = `${CORE}.js`;
const WASM = `${CORE}_bg.wasm`;
const TYPES = 'index.d.ts';
/** Everything dist/ holds. */
const EXPECTED = [LOADER, ENTRY, TYPES, GLUE, WASM];

class BuildError extends Error {}

/** node_modules/.bin of www/ and of the repo, where wasm-opt (binaryen) is. */
const NODE_BINS = [join(WWW, 'node_modules', '.bin'), join(REPO, 'node_modules', '.bin')];
const PATH = [...NODE_BINS, join(process.env.HOME ?? '', '.cargo', 'bin'), process.env.PATH ?? ''].join(delimiter);

function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  try {
    return execFileSync(command, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PATH },
      maxBuffer: 64 * 1024 * 1024,
      ...options,
    })?.toString();
  } catch (error) {
    throw new BuildError(`${command} failed (${error.status ?? error.code ?? error.message})`);
  }
}

function checkDist() {
  const missing = EXPECTED.filter((file) => !existsSync(join(DIST, file)));
  if (missing.length > 0) {
    throw new BuildError(
      `www/dist/ is incomplete (missing ${missing.join(', ')}): run \`npm run build\` in www/ first`,
    );
  }
}

/** Every file of dist/ with its sizes; the total is what pages download (not the types). */
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
  const shipped = rows.filter((row) => row.file !== TYPES);
  const total = (key) => shipped.reduce((sum, row) => sum + row[key], 0);
  rows.push({ file: `total (all but ${TYPES})`, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') });
  console.log('\nwww/dist/ (bytes)');
  console.log(`${'file'.padEnd(34)}${'raw'.padStart(10)}${'gzip -9'.padStart(10)}${'brotli'.padStart(10)}`);
  for (const row of rows) {
    console.log(
      `${row.file.padEnd(34)}${String(row.raw).padStart(10)}${String(row.gzip).padStart(10)}${String(row.brotli).padStart(10)}`,
    );
  }
}

/** The native page's wasm and glue, built by Trunk into `dir`. */
function trunkBuild(dir) {
  run('trunk', ['build', '--release', '--filehash', 'false', '--dist', dir], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (const file of [`${TRUNK_NAME}.js`, `${TRUNK_NAME}_bg.wasm`]) {
    if (!existsSync(join(dir, file))) throw new BuildError(`trunk did not produce ${file}`);
  }
}

/** `text` with `from` replaced by `to`, where `from` must occur exactly `count` times. */
function replaceExactly(text, from, to, count, what) {
  const found = text.split(from).length - 1;
  if (found !== count) throw new BuildError(`${what}: expected ${count} × ${JSON.stringify(from)} in the glue, found ${found}`);
  return text.replaceAll(from, to);
}

/**
 * Minifies the names on the JS/wasm boundary: binaryen renames the wasm's imports, exports
 * and import module and prints the mapping; the glue's import object keys and its `wasm.<export>`
 * uses are renamed from it.
 */
function minifyBoundary(wasmIn, wasmOut, glue) {
  // The module's features come from its target_features section, dropped here.
  const printed = run('wasm-opt', [
    wasmIn,
    '--minify-imports-and-exports-and-modules',
    '--strip-target-features',
    '-o',
    wasmOut,
  ]);
  let mapping;
  try {
    mapping = JSON.parse(printed);
  } catch {
    throw new BuildError(`wasm-opt printed no mapping: ${printed.slice(0, 200)}`);
  }
  // The renamed module, as the browser will see it: one import module, every name renamed.
  const imported = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmOut)));
  const modules = new Set(imported.map((entry) => entry.module));
  if (modules.size !== 1) throw new BuildError(`the wasm imports from ${[...modules].join(', ')}, expected the glue only`);
  const [from] = new Set(mapping.imports.map(([module]) => module));
  const [to] = modules;
  let out = replaceExactly(glue, `"${from}": import0`, `"${to}": import0`, 1, 'the import module');
  for (const [, name, short] of mapping.imports) {
    // An import is one key of the glue's import object: `name: function (…`.
    const key = new RegExp(`(?<=[\\s{,])${name.replaceAll('$', '\\$')}(?=: )`, 'g');
    const found = out.match(key)?.length ?? 0;
    if (found !== 1) throw new BuildError(`an import: expected 1 key ${name} in the glue, found ${found}`);
    out = out.replace(key, short);
  }
  if (imported.length !== mapping.imports.length) {
    throw new BuildError(`the wasm has ${imported.length} imports, the mapping ${mapping.imports.length}`);
  }
  const exports = new Map(mapping.exports);
  out = out.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (_, name) => {
    if (!exports.has(name)) throw new BuildError(`the glue uses wasm.${name}, which the wasm does not export`);
    return `wasm.${exports.get(name)}`;
  });
  return { glue: out, imports: mapping.imports.length, exports: exports.size };
}

/** A node package of the build (www's devDependencies, or the repo root's). */
async function importTool(name) {
  try {
    return await import(name);
  } catch {
    throw new BuildError(`${name} not found: npm install (devDependency) in www/ or the repo root`);
  }
}

/** The entries bundled with embed.js and options.js; the glue stays a module of its own. */
async function bundleEntries(dir) {
  const esbuild = await importTool('esbuild');
  const common = { bundle: true, target: 'es2022', charset: 'utf8', logLevel: 'warning', legalComments: 'none' };
  await esbuild.build({
    ...common,
    entryPoints: [join(WWW, 'src', 'index.js')],
    format: 'esm',
    external: [`./${GLUE}`],
    outfile: join(dir, ENTRY),
  });
  await esbuild.build({
    ...common,
    entryPoints: [join(WWW, 'src', 'loader.js')],
    format: 'iife',
    outfile: join(dir, LOADER),
  });
}

/**
 * Minifies the shipped JS in place: the loader is a classic script, the entry and the glue
 * are ES modules (their import paths and `new URL(..., import.meta.url)` stay literal, so
 * bundlers still find the glue and the wasm).
 */
async function minifyScripts(dir) {
  const terser = await importTool('terser');
  for (const [file, module] of [[LOADER, false], [ENTRY, true], [GLUE, true]]) {
    const path = join(dir, file);
    let result;
    try {
      result = await terser.minify(readFileSync(path, 'utf8'), {
        module,
        ecma: 2020,
        compress: { passes: 2 },
        mangle: true,
        format: { comments: false },
      });
    } catch (error) {
      throw new BuildError(`terser could not minify ${file}: ${error.message}`);
    }
    writeFileSync(path, result.code);
  }
}

async function build() {
  // Build into a scratch folder and swap it in at the end: a failed build never leaves a
  // half-written dist/ behind.
  const scratch = mkdtempSync(join(tmpdir(), 'slb-embed-'));
  try {
    const trunkDist = join(scratch, 'trunk');
    trunkBuild(trunkDist);
    const out = join(scratch, 'out');
    mkdirSync(out);

    const glue = replaceExactly(
      readFileSync(join(trunkDist, `${TRUNK_NAME}.js`), 'utf8'),
      `'${TRUNK_NAME}_bg.wasm'`,
      `'${WASM}'`,
      1,
      'the default wasm URL',
    );
    const minified = minifyBoundary(join(trunkDist, `${TRUNK_NAME}_bg.wasm`), join(out, WASM), glue);
    console.log(`boundary names minified: ${minified.imports} imports, ${minified.exports} exports`);
    writeFileSync(join(out, GLUE), minified.glue);
    await bundleEntries(out);
    copyFileSync(join(WWW, 'src', TYPES), join(out, TYPES));
    await minifyScripts(out);

    rmSync(DIST, { recursive: true, force: true });
    mkdirSync(DIST, { recursive: true });
    for (const file of EXPECTED) copyFileSync(join(out, file), join(DIST, file));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  checkDist();
  console.log(`\nbuilt ${DIST}`);
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
