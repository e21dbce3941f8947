#!/usr/bin/env node
// `npm run bench:start`: how long `npm start` takes on a fresh clone until GET /api/health
// answers 200 with status "ok". Prints `start_cold: N s` and `start_warm: N s`.
//
//   cold  a fresh clone (git clone of HEAD into a temp folder), an EMPTY npm cache
//         (npm_config_cache in the temp folder) and an EMPTY tools folder (TOOLS_DIR in the
//         temp folder): npm ci downloads every package, pip installs the Temporal servers,
//         FerretDB is compiled. Go's module and build caches and pip's download cache are the
//         machine's own (GOMODCACHE, GOCACHE, ~/.cache/pip) and are not emptied.
//   warm  another fresh clone using the npm cache and tools folder the cold run filled:
//         node_modules is hard-linked from the tools folder, nothing is downloaded or built
//         but dist/ (swc) and web/dist/ (esbuild).
//
// Each run also checks that `git status` of the clone is clean after start and stop.
// Usage: node scripts/benchStart.cjs [--runs N]   (N warm runs, default 1)
//   BENCH_KEEP=1          keep the temp folder (clones, logs, caches) and print its path
//   BENCH_WORK=<folder>   a folder kept by an earlier run: its caches are warm, so only the
//                         warm runs are made (no start_cold line)
'use strict';
/* global fetch, AbortSignal, setTimeout */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const runsAt = process.argv.indexOf('--runs');
const warmRuns = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 1;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function healthy(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200 && (await res.json()).status === 'ok';
  } catch {
    return false;
  }
}

/** Clones HEAD, runs `npm start` until healthy, stops it; returns seconds to healthy. */
async function startOnce(label, work, env) {
  const clone = path.join(work, label);
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone]);
  const port = await freePort();
  const ports = {
    PORT: String(port),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    EMBEDDED_FERRETDB_PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_UI: 'false',
  };
  const logFile = path.join(work, `${label}.log`);
  const log = fs.openSync(logFile, 'w');
  const started = Date.now();
  const child = spawn('npm', ['start'], { cwd: clone, env: { ...process.env, ...env, ...ports }, stdio: ['ignore', log, log], detached: true });
  let exited = null;
  child.on('exit', (code, signal) => { exited = signal || code; });
  const limitMs = 15 * 60_000;
  while (!(await healthy(port))) {
    if (exited !== null) throw new Error(`${label}: npm start exited with ${exited} before healthy; see ${logFile}`);
    if (Date.now() - started > limitMs) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (Date.now() - started) / 1000;
  // Stop the whole group (npm, node, the embedded servers) and wait for the exit.
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  const stopBy = Date.now() + 60_000;
  while (exited === null && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 200));
  if (exited === null) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
  fs.closeSync(log);
  if (Date.now() - started > limitMs) throw new Error(`${label}: not healthy within ${limitMs / 60_000} min; see ${logFile}`);
  const dirty = execFileSync('git', ['status', '--porcelain', '--ignored=no'], { cwd: clone, encoding: 'utf8' }).trim();
  if (dirty) throw new Error(`${label}: git status is not clean after npm start:\n${dirty}`);
  return seconds;
}

async function main() {
  const reuse = process.env.BENCH_WORK;
  const work = reuse ? path.resolve(reuse) : fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  // PostgreSQL runs as 'postgres' when we are root and must reach the clone's data folder.
  fs.chmodSync(work, 0o755);
  const env = {
    npm_config_cache: path.join(work, 'npm-cache'),
    TOOLS_DIR: path.join(work, 'tools'),
  };
  process.stdout.write(`bench:start in ${work} (HEAD of ${root}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
  let ok = false;
  try {
    if (!reuse) process.stdout.write(`start_cold: ${(await startOnce('cold', work, env)).toFixed(1)} s\n`);
    for (let i = 1; i <= warmRuns; i += 1) {
      const label = reuse ? `warm-${Date.now()}` : `warm${i}`;
      process.stdout.write(`start_warm: ${(await startOnce(label, work, env)).toFixed(1)} s\n`);
    }
    process.stdout.write(`load_average_after: ${os.loadavg()[0].toFixed(1)} 1\n`);
    ok = true;
  } finally {
    // Kept after a failure (the logs are there) or with BENCH_KEEP=1.
    if (ok && !process.env.BENCH_KEEP && !reuse) fs.rmSync(work, { recursive: true, force: true });
    else process.stdout.write(`kept: ${work}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
