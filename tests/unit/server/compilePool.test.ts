import { compileBpmn } from '../../../processes/compiler';
import { CompileTimeout, createCompilePool } from '../../../server/compile/pool';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';
const chain = (n: number) => `<?xml version="1.0"?><bpmn:definitions ${NS} id="D" targetNamespace="t"><bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="S" />${
  Array.from({ length: n }, (_, i) => `<bpmn:task id="T${i}" name="t" />`).join('')}<bpmn:endEvent id="E" />${
  Array.from({ length: n - 1 }, (_, i) => `<bpmn:sequenceFlow id="F${i}" sourceRef="T${i}" targetRef="T${i + 1}" />`).join('')
}<bpmn:sequenceFlow id="In" sourceRef="S" targetRef="T0" /><bpmn:sequenceFlow id="Out" sourceRef="T${n - 1}" targetRef="E" /></bpmn:process></bpmn:definitions>`;
const options = { maxBytes: 8 * 1024 * 1024, minTimerCycleMs: 60_000, taskTypes: null };

describe('compile pool (worker thread)', () => {
  const pools: Array<ReturnType<typeof createCompilePool>> = [];
  const createPool = (o?: Parameters<typeof createCompilePool>[0]) => {
    const pool = createCompilePool(o);
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('gives the same result as compiling on this thread', async () => {
    const xml = Buffer.from(chain(50));
    const pool = createPool();
    expect(await pool.compile(xml, options)).toEqual(await compileBpmn(xml, options));
    const refused = Buffer.from(chain(3).replace('targetRef="T1"', 'targetRef="Nowhere"'));
    expect(await pool.compile(refused, options)).toEqual(await compileBpmn(refused, options));
  });

  it('keeps this thread free while a large document compiles', async () => {
    const pool = createPool();
    await pool.compile(Buffer.from(chain(2)), options); // the thread is up
    const order: string[] = [];
    const big = pool.compile(Buffer.from(chain(5_000)), options).then(() => order.push('compiled'));
    // timers on this thread keep firing while the worker compiles
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        ticks += 1;
        if (ticks === 3) {
          order.push('three ticks');
          clearInterval(t);
          resolve();
        }
      }, 1);
    });
    await big;
    expect(order).toEqual(['three ticks', 'compiled']);
  });

  it('ends a compilation over its time limit, and the next one gets a fresh thread', async () => {
    const pool = createPool({ timeoutMs: 1000 });
    await pool.compile(Buffer.from(chain(2)), options); // thread start is not counted
    await expect(pool.compile(Buffer.from(chain(20_000)), options)).rejects.toBeInstanceOf(CompileTimeout);
    const after = await pool.compile(Buffer.from(chain(2)), options);
    expect(after.ok).toBe(true);
  });
});
