// Shared helpers of the benchmark scripts (scripts/bench.sh runs them): paths, statistics,
// progress lines, results files, child processes that never outlive us, free ports.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DIR = join(REPO, 'target', 'bench');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const FUNCTION_BIN =
  process.env.BENCH_FUNCTION_BIN || join(REPO, 'target', 'release', 'leaderboard-function');

/** `BENCH_QUICK=1`: one round, short runs; for checking the scripts, not for figures. */
export const QUICK = process.env.BENCH_QUICK === '1';

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function minMax(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  return [Math.min(...finite), Math.max(...finite)];
}

/** A progress line on stderr, so a terminal shows where the run is. */
export function progress(message) {
  const time = new Date().toISOString().slice(11, 19);
  process.stderr.write(`  [${time}] ${message}\n`);
}

export function writeResult(name, value) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
}

export function readResult(name) {
  const path = join(RESULTS_DIR, `${name}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

/** A free loopback port (the kernel picks it; we close and hand it on at once). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

// Every child we start is killed when we exit, however we exit.
const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

/** Spawns a tracked child; `exited` resolves with { code, signal }. */
export function spawnTracked(command, args, options = {}) {
  const child = spawn(command, args, options);
  liveChildren.add(child);
  child.exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolveExit({ code, signal });
    });
  });
  return child;
}

/** Stops a tracked child (SIGTERM, then SIGKILL after 5 s) and waits for it. */
export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await child.exited;
  clearTimeout(timer);
}

/** Runs a command to completion; resolves with { code, stdout, stderr }. */
export function run(command, args, options = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawnTracked(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.exited.then(({ code }) => resolveRun({ code, stdout, stderr }));
  });
}

/** Resident memory of a live process from /proc/PID/status, in KiB. */
export function memoryKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { vmRSS: field('VmRSS'), vmHWM: field('VmHWM') };
}

export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}
