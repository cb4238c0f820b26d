// Shared set-up of the board page's browser tests: the real function on the sample data
// (with extra flags), headless Chromium as the e2e suites launch it, both stopped after the
// calling file's tests.

import { after } from 'node:test';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO, WAIT_MS, launchBrowser, waitUntil } from '../e2e/harness.mjs';

export { REPO, WAIT_MS, waitUntil };
export const BIN = process.env.E2E_FUNCTION_BIN || join(REPO, 'target', 'debug', 'leaderboard-function');

/**
 * Starts the function (`--data-dir data/sample`, or `dataDir`, `--port 0`, then `args`) and a
 * browser; resolves to `{ port, base, browser }` once the function listens. Both stop after
 * the file's tests, then `cleanup` runs.
 */
export async function startBoardSuite(args = [], cleanup = () => {}, dataDir = join(REPO, 'data', 'sample')) {
  const server = spawn(BIN, ['--data-dir', dataDir, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const browser = await launchBrowser();
  after(async () => {
    await browser.close();
    server.kill('SIGTERM');
    cleanup();
  });
  const base = await new Promise((resolveBase, reject) => {
    server.once('exit', (code) => reject(new Error(`the function exited (${code})`)));
    createInterface({ input: server.stdout }).on('line', (line) => {
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match) resolveBase(match[1]);
    });
  });
  return { base, port: new URL(base).port, browser };
}
