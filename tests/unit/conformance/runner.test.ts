import path from 'node:path';
import { CONFORMANCE_MAX_BYTES } from '../../../processes/conformance/check';
import type { Runner } from '../../../processes/conformance/runner';
import { workerRunner } from '../../../processes/conformance/runner';
import { FIXTURES } from './helpers';

// The stub speaks worker.ts's protocol and hangs, throws or exits when the file's name says so.
const STUB = path.join(FIXTURES, 'stubs', 'worker.cjs');
const job = (name: string) => ({ file: path.join(FIXTURES, name), options: { maxBytes: CONFORMANCE_MAX_BYTES } });
const COMPILED = { status: 'compiled', problems: [], violations: [] };

describe('worker runner', () => {
  let runner: Runner | undefined;
  afterEach(async () => {
    await runner?.close();
    runner = undefined;
  });

  it('a file over the time limit is crashed, and the next file runs in a new worker', async () => {
    // given
    runner = workerRunner({ script: STUB, timeoutMs: 300 });
    // when one file never answers
    const started = Date.now();
    const hung = await runner.run(job('hang.bpmn'));
    const next = await runner.run(job('fine.bpmn'));
    // then
    expect(hung).toEqual({ status: 'crashed', problems: [], violations: [], crash: 'no result within 300 ms (time limit)' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(next).toEqual(COMPILED);
  });

  it('a file whose check throws past the checker, or ends the thread, is crashed', async () => {
    runner = workerRunner({ script: STUB, timeoutMs: 5_000 });
    expect(await runner.run(job('throw.bpmn'))).toEqual(expect.objectContaining({ status: 'crashed', crash: 'threw: stub failure' }));
    expect(await runner.run(job('exit.bpmn'))).toEqual(expect.objectContaining({ status: 'crashed', crash: 'the checking worker exited with code 3' }));
    expect(await runner.run(job('fine.bpmn'))).toEqual(COMPILED);
  });

  it('runs files handed over together one at a time, so a crash does not take the others with it', async () => {
    runner = workerRunner({ script: STUB, timeoutMs: 300 });
    const results = await Promise.all(['a.bpmn', 'hang.bpmn', 'c.bpmn'].map(async (name) => runner!.run(job(name))));
    expect(results.map((r) => r.status)).toEqual(['compiled', 'crashed', 'compiled']);
  });

  it('a worker that cannot start makes the file crashed with the reason', async () => {
    runner = workerRunner({ script: path.join(FIXTURES, 'stubs', 'worker-broken.cjs'), timeoutMs: 5_000 });
    expect(await runner.run(job('fine.bpmn'))).toEqual(expect.objectContaining({
      status: 'crashed', crash: 'the checking worker did not start: cannot load the checker',
    }));
  });
});
