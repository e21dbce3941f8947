#!/usr/bin/env node
// Transpiles the server (workflows, activities, processes, server, bench) to dist/ with swc:
// the same files and layout `tsc -p tsconfig.build.json` emits, in a second or two instead of
// a minute, because nothing is type-checked. `npm start` builds this way; the type check stays
// in `npm test` (`npm run typecheck`) and `npm run build` (tsc) — decision 0016.
//
// Usage: node scripts/buildServer.cjs
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist');
/** tsconfig.build.json's include; its exclude (tests) is the *.test.ts filter below. */
const folders = ['workflows', 'activities', 'processes', 'server', 'bench'];

function sources(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(file, found);
    else if (entry.name.endsWith('.json') || (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts'))) found.push(file);
  }
  return found;
}

/** The options tsconfig.json implies: ES2022, CommonJS with esModuleInterop, source maps. */
const options = (file) => ({
  filename: file,
  sourceMaps: true,
  sourceFileName: path.relative(path.dirname(path.join(outDir, path.relative(root, file))), file),
  swcrc: false,
  configFile: false,
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
  module: { type: 'commonjs' },
});

async function emit(file) {
  const target = path.join(outDir, path.relative(root, file));
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  // JSON modules (resolveJsonModule) are copied, as tsc does.
  if (file.endsWith('.json')) return fs.promises.copyFile(file, target);
  const js = target.replace(/\.ts$/, '.js');
  const { code, map } = await swc.transformFile(file, options(file));
  await Promise.all([
    fs.promises.writeFile(js, `${code}\n//# sourceMappingURL=${path.basename(js)}.map\n`),
    fs.promises.writeFile(`${js}.map`, map),
  ]);
}

async function main() {
  const started = Date.now();
  const files = folders.flatMap((f) => sources(path.join(root, f)));
  await Promise.all(files.map(emit));
  process.stdout.write(`swc: ${files.length} files to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
