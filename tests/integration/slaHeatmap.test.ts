/**
 * The SLA heat map over HTTP on the real servers: instances and their element events seeded
 * straight into FerretDB, medians and p90 checked against what the test computes itself.
 */
import { projectionModels, type ElementEventRecord } from '../../server/projections/models';
import { middle, query, random } from '../support/slaSeed';
import { startStack, type Stack } from '../support/stack';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.now();

describe('SLA heat map', () => {
  let stack: Stack;
  /** Per element, the durations seeded (ms). */
  const expected = new Map<string, number[]>();

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    const { instances, elementEvents } = projectionModels(stack.mongo);
    const next = random(11);
    const events: ElementEventRecord[] = [];
    for (let i = 0; i < 30; i++) {
      const id = `pi-heat-${i}`;
      const version = i < 25 ? 1 : 2;
      await instances.create({ _id: id, definitionKey: 'heat', definitionVersion: version, businessKey: null, status: 'completed', activeElements: [], variables: {}, incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 0, sequence: 1, startedAt: new Date(NOW - (i + 1) * HOUR), updatedAt: new Date(NOW) });
      let t = NOW - (i + 1) * HOUR;
      let index = 0;
      const add = (elementId: string, elementType: string, event: ElementEventRecord['event'], time: number) =>
        events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType, event, time: new Date(time) });
      // review runs twice (a loop back), repair once, and a cancelled wait counts nothing
      for (const [elementId, type, runs] of [['review', 'userTask', 2], ['repair', 'serviceTask', 1]] as const) {
        for (let r = 0; r < runs; r++) {
          const ms = Math.floor(next() * 50_000) + 1000;
          add(elementId, type, 'activated', t);
          add(elementId, type, 'completed', t + ms);
          t += ms;
          if (version === 1) expected.set(elementId, [...(expected.get(elementId) ?? []), ms]);
        }
      }
      add('wait', 'receiveTask', 'activated', t);
      add('wait', 'receiveTask', 'terminated', t + 5);
    }
    // stored out of order: pairing follows the history index
    await elementEvents.insertMany(events.reverse());
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('gives count, median and p90 per element of one version', async () => {
    // when
    const res = await stack.api<{ instances: number; elements: Array<{ elementId: string; elementType: string; count: number; medianMs: number; p90Ms: number }> }>(
      'GET', `/api/sla/heatmap?${query({ definitionKey: 'heat', version: '1', from: new Date(NOW - 2 * DAY).toISOString(), to: new Date(NOW + HOUR).toISOString() })}`);
    // then
    expect(res.status).toBe(200);
    expect(res.body.instances).toBe(25);
    const nearestRank = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];
    const want = [...expected].map(([elementId, ms]) => ({
      elementId, elementType: elementId === 'review' ? 'userTask' : 'serviceTask', count: ms.length, medianMs: middle(ms), p90Ms: nearestRank(ms, 90),
    }));
    expect(res.body.elements.sort((a, b) => a.elementId.localeCompare(b.elementId))).toEqual(want.sort((a, b) => a.elementId.localeCompare(b.elementId)));
    expect(want.find((e) => e.elementId === 'review')?.count).toBe(50);
  });

  it('reads all versions when none is named, and nothing outside the period', async () => {
    // when
    const all = await stack.api<{ instances: number }>('GET', '/api/sla/heatmap?definitionKey=heat');
    const before = await stack.api<{ instances: number; elements: unknown[] }>('GET', `/api/sla/heatmap?${query({ definitionKey: 'heat', to: new Date(NOW - 40 * HOUR).toISOString() })}`);
    // then
    expect(all.body.instances).toBe(30);
    expect(before.body).toMatchObject({ instances: 0, elements: [] });
  });
});
