/**
 * Timer start events as Camunda 8 fires them, through the HTTP API on a time-skipping Temporal
 * server (the clock moves only when the test sleeps): a repeating interval (`R/PT20S`), a cron
 * expression (hourly) and a date start instances at their due times, once each; a
 * newer version without timer start events stops them.
 */
import { startScenarioStack, type ScenarioStack } from '../support/scenarioStack';
import { eventually } from '../support/stack';

const timerProcess = (id: string, starts: Array<{ id: string; kind: 'timeCycle' | 'timeDate' | 'timeDuration'; value: string }>) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d-${id}" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    ${starts.map((s) => `<bpmn:startEvent id="${s.id}"><bpmn:outgoing>f-${s.id}</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:${s.kind} xsi:type="bpmn:tFormalExpression">${s.value}</bpmn:${s.kind}></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:sequenceFlow id="f-${s.id}" sourceRef="${s.id}" targetRef="check" />`).join('\n    ')}
    <bpmn:userTask id="check" name="Check"><bpmn:outgoing>f-end</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f-end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f-end" sourceRef="check" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const withoutTimers = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d-${id}" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="manual"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="check2" name="Check again"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="manual" targetRef="check2" />
    <bpmn:sequenceFlow id="f2" sourceRef="check2" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

interface ListPage { items: Array<{ id: string; definition: { key: string; version: number }; activeElements: string[] }>; total: number }

const HOUR = 3_600_000;

describe('timer start events (time skipping)', () => {
  let stack: ScenarioStack;

  beforeAll(async () => {
    stack = await startScenarioStack({ temporal: 'timeSkipping' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const instancesOf = async (key: string) => (await stack.api<ListPage>('GET', `/api/instances?key=${key}&pageSize=100`)).body;
  const deploy = async (xml: string) => {
    const proposed = await stack.api<{ id: string }>('POST', '/api/definitions', xml, 'application/xml');
    // A new version of a process with running instances waits for a second publisher (four-eyes, decision 0021).
    const res = proposed.status === 202 ? await stack.as({ roles: ['designer'] })('POST', `/api/definition-proposals/${proposed.body.id}/approve`) : proposed;
    expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ status: 201, body: null });
  };

  it('fires a repeating interval, a cron expression and a date at their due times, once each, and stops with a newer version without them', async () => {
    const deployedAt = Date.now();
    await deploy(timerProcess('ts-cycle', [{ id: 'every20s', kind: 'timeCycle', value: 'R/PT20S' }]));
    await deploy(timerProcess('ts-three', [{ id: 'thrice', kind: 'timeCycle', value: 'R3/PT30M' }]));
    await deploy(timerProcess('ts-cron', [{ id: 'hourly', kind: 'timeCycle', value: '0 0 * * * *' }]));
    await deploy(timerProcess('ts-once', [{ id: 'atDate', kind: 'timeDate', value: new Date(deployedAt + 2 * HOUR).toISOString() }]));
    // Deploying the same document again (as a second API process might) adds no second schedule.
    const again = await stack.api<{ deployed: Array<{ version: number }> }>('POST', '/api/definitions', timerProcess('ts-cycle', [{ id: 'every20s', kind: 'timeCycle', value: 'R/PT20S' }]), 'application/xml');
    expect(again.status).toBeLessThan(300);

    // R/PT20S: an instance of version 1 at each of +20 s, +40 s, +60 s.
    await stack.sleep(65_000);
    await eventually<ListPage>(stack, '/api/instances?key=ts-cycle', (p) => p.total >= 3, 'three R/PT20S instances');
    await stack.services.drainProjections();
    const cycle = await instancesOf('ts-cycle');
    expect(cycle.total).toBe(3);
    expect(cycle.items.every((i) => i.definition.version === 1 && i.activeElements.includes('check'))).toBe(true);

    // A newer version without timer start events: the cycle stops.
    await deploy(withoutTimers('ts-cycle'));
    await stack.sleep(1_000);

    await stack.sleep(3 * HOUR);
    await eventually<ListPage>(stack, '/api/instances?key=ts-three', (p) => p.total >= 3, 'three R3/PT30M instances');
    await eventually<ListPage>(stack, '/api/instances?key=ts-cron', (p) => p.total >= 3, 'three hourly instances');
    await eventually<ListPage>(stack, '/api/instances?key=ts-once', (p) => p.total >= 1, 'the instance at the date');
    const manual = await stack.api<{ instanceId: string }>('POST', '/api/processes/ts-cycle/instances', {});
    expect(manual.status).toBe(201);
    await eventually<ListPage>(stack, '/api/instances?key=ts-cycle', (p) => p.items.some((i) => i.id === manual.body.instanceId), 'the manual instance');
    await stack.services.drainProjections();

    // R3/PT30M: three, then no more; hourly cron over three hours: three (each full hour); the date: one.
    expect((await instancesOf('ts-three')).total).toBe(3);
    const cron = await instancesOf('ts-cron');
    expect(cron.total).toBe(3);
    expect(new Set(cron.items.map((i) => i.id)).size).toBe(3);
    expect((await instancesOf('ts-once')).total).toBe(1);
    // ts-cycle: the three of version 1 and the manual one of version 2, nothing more in three hours.
    const after = await instancesOf('ts-cycle');
    expect(after.total).toBe(4);
    expect(after.items.filter((i) => i.definition.version === 2).map((i) => i.id)).toEqual([manual.body.instanceId]);
  });
});

// On the dev server (real time): the time-skipping test server does not hand a stopped worker's
// sticky workflow tasks to another worker, which a restart needs.
describe('timer start events across a worker restart (dev server)', () => {
  let stack: ScenarioStack;

  beforeAll(async () => {
    stack = await startScenarioStack({ temporal: 'dev' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('starts one instance per due time across a worker restart, catching up the ones due while no worker ran', async () => {
    const key = `ts-restart-${Date.now().toString(36)}`;
    expect((await stack.api('POST', '/api/definitions', timerProcess(key, [{ id: 'fiveTimes', kind: 'timeCycle', value: 'R5/PT2S' }]), 'application/xml')).status).toBe(201);
    await eventually<ListPage>(stack, `/api/instances?key=${key}`, (p) => p.total >= 1, 'the first instance');
    await stack.restartWorker();
    await eventually<ListPage>(stack, `/api/instances?key=${key}`, (p) => p.total >= 5, 'five instances after the restart', 60_000);
    // R5: every due time started exactly one instance, none twice.
    await stack.services.drainProjections();
    const list = (await stack.api<ListPage>('GET', `/api/instances?key=${key}&pageSize=100`)).body;
    expect(list.total).toBe(5);
    expect(new Set(list.items.map((i) => i.id)).size).toBe(5);
  });
});
