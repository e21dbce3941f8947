/** When seals run: after a quiet spell, at most `concurrency` at once, a due complaint queued once. */
import { createSealQueue, type SealQueueOptions } from '../../../server/compliance/sealQueue';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A queue whose seals are recorded and, with `hold`, wait until released. */
function harness(options: Partial<SealQueueOptions> & { hold?: boolean } = {}) {
  const sealed: string[] = [];
  const failures: string[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const releases: Array<() => void> = [];
  const queue = createSealQueue({
    debounceMs: 20, maxWaitMs: 1000, concurrency: 1,
    failed: (id) => failures.push(id),
    seal: async (id) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        if (options.hold) await new Promise<void>((resolve) => releases.push(resolve));
        else await sleep(5);
        if (id.startsWith('bad')) throw new Error('database gone');
        sealed.push(id);
      } finally {
        running -= 1;
      }
    },
    ...options,
  });
  return { queue, sealed, failures, mostAtOnce: () => mostAtOnce, release: () => releases.splice(0).forEach((r) => r()) };
}

describe('seal queue', () => {
  it('seals a burst of writes to one complaint once, after the quiet spell', async () => {
    const h = harness({ debounceMs: 200 });
    for (let i = 0; i < 5; i += 1) {
      h.queue.schedule('c1');
      await sleep(5);
    }
    expect(h.sealed).toEqual([]);
    for (let waited = 0; h.sealed.length === 0 && waited < 2000; waited += 20) await sleep(20);
    await sleep(100);
    expect(h.sealed).toEqual(['c1']);
    expect(h.queue.size()).toEqual({ waiting: 0, due: 0, sealing: 0 });
  });

  it('seals a complaint written without pause at the latest maxWaitMs after its first write', async () => {
    // The quiet spell (10 s) never comes: only the cap (100 ms) can seal it within the test.
    const h = harness({ debounceMs: 10_000, maxWaitMs: 100 });
    const started = Date.now();
    while (h.sealed.length === 0 && Date.now() - started < 3000) {
      h.queue.schedule('busy');
      await sleep(10);
    }
    expect(h.sealed).toEqual(['busy']);
    expect(Date.now() - started).toBeLessThan(3000);
    h.queue.stop();
  });

  it('runs at most `concurrency` seals at once and each due complaint once', async () => {
    const h = harness({ concurrency: 2, debounceMs: 0 });
    const ids = Array.from({ length: 8 }, (_, i) => `c${i}`);
    for (const id of ids) h.queue.schedule(id);
    await h.queue.flush();
    expect(h.mostAtOnce()).toBe(2);
    expect([...h.sealed].sort()).toEqual(ids);
  });

  it('does not queue a complaint twice while it waits in line: its one seal reads every write before it', async () => {
    const h = harness({ hold: true, debounceMs: 0 });
    h.queue.schedule('first');
    await sleep(10);
    // 'first' is being sealed and holds the only slot; 'second' becomes due and waits in line.
    h.queue.schedule('second');
    await sleep(10);
    expect(h.queue.size()).toEqual({ waiting: 0, due: 1, sealing: 1 });
    for (let i = 0; i < 5; i += 1) {
      h.queue.schedule('second');
      await sleep(5);
    }
    expect(h.queue.size()).toEqual({ waiting: 0, due: 1, sealing: 1 });
    h.release();
    await sleep(10);
    h.release();
    await h.queue.flush();
    expect(h.sealed).toEqual(['first', 'second']);
  });

  it('waits again for a write that came while the complaint was being sealed', async () => {
    const h = harness({ hold: true, debounceMs: 0 });
    h.queue.schedule('c1');
    await sleep(10);
    h.queue.schedule('c1'); // written during its seal: the running seal may have missed it
    expect(h.queue.size().sealing).toBe(1);
    h.release();
    await sleep(10);
    h.release();
    await h.queue.flush();
    expect(h.sealed).toEqual(['c1', 'c1']);
  });

  it('drops a complaint from the line when a seal outside it covers it', async () => {
    const h = harness({ hold: true, debounceMs: 0 });
    h.queue.schedule('first');
    await sleep(10);
    h.queue.schedule('read');
    await sleep(10);
    h.queue.coveredBy('read');
    expect(h.queue.size().due).toBe(0);
    h.release();
    await h.queue.flush();
    expect(h.sealed).toEqual(['first']);
  });

  it('reports a failed seal and seals the complaint at its next write', async () => {
    const h = harness({ debounceMs: 0 });
    h.queue.schedule('bad-1');
    await h.queue.flush();
    expect(h.failures).toEqual(['bad-1']);
    h.queue.schedule('c2');
    await h.queue.flush();
    expect(h.sealed).toEqual(['c2']);
  });

  it('flush seals the complaints still in their quiet spell; stop drops them', async () => {
    const h = harness({ debounceMs: 10_000 });
    h.queue.schedule('a');
    h.queue.schedule('b');
    expect(h.queue.size().waiting).toBe(2);
    await h.queue.flush();
    expect([...h.sealed].sort()).toEqual(['a', 'b']);
    h.queue.schedule('c');
    h.queue.stop();
    h.queue.schedule('d');
    await h.queue.flush();
    expect(h.sealed).toHaveLength(2);
    expect(h.queue.size()).toEqual({ waiting: 0, due: 0, sealing: 0 });
  });
});
