// The npm package for real: `npm pack` in www/, a fresh Vite app in a temp dir installs the
// tarball from the file (only Vite itself comes from the registry, through npm's cache),
// `import { mount } from 'space-leaderboard'`, `vite build`, then the built app, served from
// its own origin, renders the function's rows; so does Vite's dev server with the README's
// config. Also: the tarball holds exactly the embed, and its TypeScript declarations name
// every option.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  StaticServer,
  TEST_OPTIONS,
  WAIT_MS,
  WWW,
  recordRequests,
  startEmbedSuite,
  waitForRowsIn,
  withPage,
} from './harness.mjs';

const execFileAsync = promisify(execFile);
/** Vite 7, as the brief asks; `EMBED_VITE_VERSION=8.3.8` passes as well. */
const VITE_VERSION = process.env.EMBED_VITE_VERSION || '7.3.8';
const NPM_TIMEOUT_MS = 5 * 60 * 1000;

let suite;
let workDir;
let tarball;
let app;
before(async () => {
  suite = await startEmbedSuite();
  workDir = mkdtempSync(join(tmpdir(), 'slb-embed-npm-'));
  const packDir = join(workDir, 'pack');
  mkdirSync(packDir);
  await npm(['pack', '--pack-destination', packDir], WWW);
  const packed = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
  assert.deepEqual(packed, ['space-leaderboard-0.1.0.tgz']);
  tarball = join(packDir, packed[0]);
});
after(async () => {
  await app?.stop();
  await suite?.teardown();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function npm(args, cwd) {
  try {
    return await execFileAsync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd,
      timeout: NPM_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}: ${error.message}\n${error.stdout}\n${error.stderr}`);
  }
}

/** A minimal Vite app using the package the way its README says. */
function writeViteApp(dir) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'slb-vite-consumer',
        private: true,
        type: 'module',
        scripts: { build: 'vite build' },
        dependencies: { 'space-leaderboard': `file:${tarball}` },
        devDependencies: { vite: VITE_VERSION },
      },
      null,
      2,
    ),
  );
  // The endpoint comes from a data attribute the test server rewrites, like the examples.
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Vite app using space-leaderboard</title></head>
<body>
  <div id="board" data-endpoint="http://127.0.0.1:8080/api/LeaderboardFunction"></div>
  <space-leaderboard id="element" endpoint="http://127.0.0.1:8080/api/LeaderboardFunction" region="Pinwheel" page-size="4"></space-leaderboard>
  <script type="module" src="/src/main.js"></script>
</body>
</html>
`,
  );
  // What the README tells Vite users (needed by the dev server, harmless for builds).
  writeFileSync(
    join(dir, 'vite.config.js'),
    "export default { optimizeDeps: { exclude: ['space-leaderboard'] } };\n",
  );
  writeFileSync(
    join(dir, 'src', 'main.js'),
    `import { mount, defineElement } from 'space-leaderboard';

// The endpoint: ?endpoint= (the dev-server test), else the page's data attribute.
const endpoint = new URLSearchParams(location.search).get('endpoint');
const host = document.getElementById('board');
window.board = mount(host, { endpoint: endpoint ?? host.dataset.endpoint, mode: 'Duo', pageSize: 5, theme: 'light' });
if (endpoint) document.getElementById('element').setAttribute('endpoint', endpoint);
defineElement();
`,
  );
}

let installing = null;
/** The Vite app, written and installed once for the tests that need it. */
function installedApp() {
  installing ??= (async () => {
    const dir = join(workDir, 'vite-app');
    writeViteApp(dir);
    // The tarball is a file; Vite and its dependencies come from npm's cache when there.
    await npm(['install', '--prefer-offline'], dir);
    return dir;
  })();
  return installing;
}

/** Starts `vite` (the dev server) in `dir` on a free port; resolves to { url, stop }. */
async function startViteDevServer(dir) {
  const child = spawn(join(dir, 'node_modules', '.bin', 'vite'), ['--host', '127.0.0.1', '--port', '0'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  let output = '';
  try {
    const url = await new Promise((resolveUrl, rejectUrl) => {
      const timer = setTimeout(() => rejectUrl(new Error(`vite printed no URL:\n${output}`)), WAIT_MS * 2);
      const read = (chunk) => {
        output += chunk;
        const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[0]);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        rejectUrl(new Error(`vite exited (${code}):\n${output}`));
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

describe('npm package', () => {
  test('the tarball holds the ESM entry, its types, the glue, the wasm and the loader, and no sources', TEST_OPTIONS, async () => {
    const { stdout } = await execFileAsync('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').sort();
    // The language files but English (compiled into the wasm), beside the glue.
    const languages = readdirSync(join(WWW, '..', 'src', 'i18n'))
      .filter((file) => file.endsWith('.json') && file !== 'en.json')
      .map((file) => `package/dist/i18n/${file}`);
    assert.deepEqual(files, [
      'package/README.md',
      'package/dist/api.d.ts',
      ...languages,
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/dist/space-leaderboard-core.js',
      'package/dist/space-leaderboard-core_bg.wasm',
      'package/dist/space-leaderboard.js',
      'package/package.json',
    ].sort());
    const manifest = JSON.parse(readFileSync(join(WWW, 'package.json'), 'utf8'));
    assert.equal(manifest.name, 'space-leaderboard');
    assert.equal(manifest.exports['.'].types, './dist/index.d.ts');
    // The JSON API's types, generated from the OpenAPI document (scripts/api-types.sh).
    assert.equal(manifest.exports['./api'].types, './dist/api.d.ts');
    const apiTypes = readFileSync(join(WWW, 'dist', 'api.d.ts'), 'utf8');
    for (const name of ['LeaderboardResponse', 'LeaderboardMeta', 'HealthResponse', 'ScorePost', 'PostedScore', 'ApiErrorBody']) {
      assert.match(apiTypes, new RegExp(`export type ${name} = `), name);
    }
    // One options type: the types declare every option the entry knows ...
    const types = readFileSync(join(WWW, 'dist', 'index.d.ts'), 'utf8');
    const options = /export interface LeaderboardOptions \{([\s\S]*?)\n\}/.exec(types)[1];
    const declared = [...options.matchAll(/^\s+(\w+)\?:/gm)].map((m) => m[1]);
    const entry = await import(pathToFileURL(join(WWW, 'dist', 'index.js')).href);
    assert.deepEqual([...entry.OPTION_NAMES], declared);
    // ... and both are the options of src/options.rs, from which www/src/options.js is
    // generated (`cargo test -p space-leaderboard --test generated` fails while it differs).
    const generated = await import(pathToFileURL(join(WWW, 'src', 'options.js')).href);
    assert.deepEqual([...entry.OPTION_NAMES], [...generated.OPTION_NAMES], 'the options of src/options.rs');
    assert.ok(declared.length >= 17, declared.join(', '));
  });

  test('a fresh Vite app installs the tarball, imports { mount }, builds, and its build renders rows', { timeout: NPM_TIMEOUT_MS * 2 }, async (t) => {
    const dir = await installedApp();
    assert.ok(existsSync(join(dir, 'node_modules', 'space-leaderboard', 'dist', 'space-leaderboard-core_bg.wasm')));
    await npm(['run', 'build'], dir);
    const built = join(dir, 'dist');
    const assets = readdirSync(join(built, 'assets'));
    assert.ok(assets.some((name) => name.endsWith('.wasm')), `Vite emitted the wasm: ${assets.join(', ')}`);

    app = new StaticServer({
      root: built,
      rewrite: (html) => html.replaceAll('http://127.0.0.1:8080', suite.fn.origin),
    });
    await app.start();
    await withPage(t, suite.browser, {}, async (page) => {
      const wasm = recordRequests(page, '.wasm');
      await page.goto(`${app.origin}/`);
      await waitForRowsIn(page.locator('#board'), await suite.fn.leaderboard({ mode: 'Duo', pageSize: 5 }), 'the mounted board');
      await waitForRowsIn(page.locator('#element'), await suite.fn.leaderboard({ region: 'Pinwheel', pageSize: 4 }), 'the element');
      assert.match(await page.locator('#board .slb').getAttribute('class'), /theme-light/);
      await page.evaluate(() => window.board.update({ mode: 'Solo' }));
      await waitForRowsIn(page.locator('#board'), await suite.fn.leaderboard({ mode: 'Solo', pageSize: 5 }), 'after update');
      assert.equal(wasm.length, 1, `wasm fetched once: ${wasm.join(', ')}`);
      assert.equal(wasm[0].origin, app.origin, 'the wasm comes from the app build');
    });
  });

  test("Vite's dev server, configured as the README says, serves the package and renders rows", { timeout: NPM_TIMEOUT_MS * 2 }, async (t) => {
    const dir = await installedApp();
    const dev = await startViteDevServer(dir);
    try {
      await withPage(t, suite.browser, {}, async (page) => {
        // The dev server serves index.html itself: the endpoint goes in the query string.
        await page.goto(`${dev.url}?endpoint=${encodeURIComponent(suite.endpoint)}`);
        await waitForRowsIn(page.locator('#board'), await suite.fn.leaderboard({ mode: 'Duo', pageSize: 5 }), 'the dev-server board');
        await waitForRowsIn(page.locator('#element'), await suite.fn.leaderboard({ region: 'Pinwheel', pageSize: 4 }), 'the dev-server element');
      });
    } finally {
      await dev.stop();
    }
  });
});
