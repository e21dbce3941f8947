import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as ThreadPoolModule from '../../../server/infra/threadPool';

const compileDir = path.resolve(__dirname, '../../../server/compile');
const poolSource = path.join(compileDir, 'pool.ts');

/** A fresh copy of the module, as a new process (or jest worker) would load it: its in-process map is empty. */
function freshModule(): typeof ThreadPoolModule {
  let loaded: typeof ThreadPoolModule | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module needs require in isolation
    loaded = require('../../../server/infra/threadPool') as typeof ThreadPoolModule;
  });
  return loaded!;
}

describe('workerScript from TypeScript sources (worker.ts bundled with esbuild)', () => {
  // The test looks at a temporary folder of its own, not the shared one (jest gives a test file a
  // copy of process.env, so TMPDIR would not reach node:os; the module object is shared).
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'thread-pool-test-'));
    jest.spyOn(os, 'tmpdir').mockReturnValue(tmp);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('gives the built worker.js when the pool module is compiled JavaScript', () => {
    const { workerScript } = freshModule();
    expect(workerScript('/srv/dist/server/compile', '/srv/dist/server/compile/pool.js', 'compile')).toBe('/srv/dist/server/compile/worker.js');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('shares one content-addressed file between loads and leaves no folder per process', () => {
    const first = freshModule().workerScript(compileDir, poolSource, 'compile');
    const written = fs.statSync(first);
    const second = freshModule().workerScript(compileDir, poolSource, 'compile');

    expect(second).toBe(first);
    expect(fs.statSync(second).ino).toBe(written.ino); // reused, not written again
    expect(fs.readdirSync(tmp)).toEqual(['complaint-bpm-bundles']);
    expect(fs.readdirSync(path.join(tmp, 'complaint-bpm-bundles'))).toEqual([path.basename(first)]); // no partial file left behind
    const digest = createHash('sha256').update(fs.readFileSync(first)).digest('hex');
    expect(first).toBe(path.join(tmp, 'complaint-bpm-bundles', `compile-${digest.slice(0, 16)}.cjs`));
  });

  it('bundles once per process', () => {
    const { workerScript } = freshModule();
    const file = workerScript(compileDir, poolSource, 'compile');
    fs.rmSync(file);
    expect(workerScript(compileDir, poolSource, 'compile')).toBe(file);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('replaces a file at that name whose bytes differ (a run cut short, a stray write)', () => {
    const file = freshModule().workerScript(compileDir, poolSource, 'compile');
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, good.subarray(0, good.length >> 1));

    expect(freshModule().workerScript(compileDir, poolSource, 'compile')).toBe(file);
    expect(fs.readFileSync(file).equals(good)).toBe(true);
  });

  it('removes bundles of the same name unused for over a week when it writes one, and keeps the others', () => {
    const folder = path.join(tmp, 'complaint-bpm-bundles');
    fs.mkdirSync(folder);
    const weekAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    const stale = path.join(folder, 'compile-0000000000000000.cjs');
    const recent = path.join(folder, 'compile-1111111111111111.cjs');
    const otherPool = path.join(folder, 'simulation-2222222222222222.cjs');
    for (const file of [stale, recent, otherPool]) fs.writeFileSync(file, 'old');
    fs.utimesSync(stale, weekAgo, weekAgo);
    fs.utimesSync(otherPool, weekAgo, weekAgo);

    const written = freshModule().workerScript(compileDir, poolSource, 'compile');

    expect(fs.readdirSync(folder).sort()).toEqual([path.basename(written), path.basename(recent), path.basename(otherPool)].sort());
  });

  it('marks a reused bundle as used, so it is not taken for stale', () => {
    const file = freshModule().workerScript(compileDir, poolSource, 'compile');
    const weekAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    fs.utimesSync(file, weekAgo, weekAgo);

    expect(freshModule().workerScript(compileDir, poolSource, 'compile')).toBe(file);
    expect(Date.now() - fs.statSync(file).mtimeMs).toBeLessThan(24 * 60 * 60 * 1000);
  });
});
