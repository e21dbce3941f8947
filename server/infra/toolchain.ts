/**
 * Run-time view of scripts/toolchain.cjs: the pinned server binaries and where they are.
 * The .cjs file is the single source, because provisioning must run before TypeScript does.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ToolPaths {
  temporalCli: string;
  temporalTestServer: string;
  ferretdb: string;
  /** PostgreSQL's server binary; initdb sits beside it. */
  postgres: string;
}

interface ToolchainModule {
  versions: { temporalCli: string; temporalTestServer: string; ferretdb: string; postgres: string };
  toolPaths(env?: NodeJS.ProcessEnv): ToolPaths;
  chromiumPath(env?: NodeJS.ProcessEnv): string;
}

/** The project root: the nearest folder above this file that has scripts/toolchain.cjs. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'scripts', 'toolchain.cjs'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`scripts/toolchain.cjs not found above ${from}`);
    dir = parent;
  }
  return dir;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const toolchain = require(path.join(projectRoot(), 'scripts', 'toolchain.cjs')) as ToolchainModule;

export const toolVersions = toolchain.versions;

/** Debian's chromium for browser tests and bench:web (CHROMIUM_PATH overrides). */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const file = toolchain.chromiumPath(env);
  if (!fs.existsSync(file)) throw new Error(`Chromium not found at ${file}: run \`npm run provision -- --with-browser\` as root (apt-get) or set CHROMIUM_PATH`);
  return file;
}

/** Paths of the binaries, failing with the remedy when one is missing. */
export function resolveTools(env: NodeJS.ProcessEnv = process.env): ToolPaths {
  const paths = toolchain.toolPaths(env);
  for (const [name, file] of Object.entries(paths)) {
    if (!fs.existsSync(file)) {
      throw new Error(`${name} not found at ${file}: run \`npm run provision\` (or set its *_PATH variable)`);
    }
  }
  return paths;
}
