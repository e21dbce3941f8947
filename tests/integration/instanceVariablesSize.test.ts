/**
 * Issue 12, an instance's own variables over its life: each completion carries at most 256 KB,
 * but the sum used to grow past what Temporal can carry to the next run (continue-as-new over
 * 2 MB is refused, the instance stalled with no incident). A completion or setVariables that
 * would bring the instance past its cap (2,015,232 bytes of model and variables) is a 413 and
 * changes nothing; setting large variables to null is always allowed. Real API, Temporal dev
 * server and FerretDB.
 */
import { eventually, startStack, type Stack } from '../support/stack';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
/** A user task `Add` repeated until a completion sets `done`; each completion's `part` is kept in `parts`. */
const GROWING = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="D" targetNamespace="t">
  <bpmn:process id="growing" isExecutable="true"><bpmn:startEvent id="S" />
    <bpmn:userTask id="Add" name="add"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=part" target="part" />
      <zeebe:output source="=append(parts, part)" target="parts" /><zeebe:output source="=done" target="done" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>
    <bpmn:exclusiveGateway id="Done" default="More" /><bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Add" /><bpmn:sequenceFlow id="f2" sourceRef="Add" targetRef="Done" />
    <bpmn:sequenceFlow id="More" sourceRef="Done" targetRef="Add" />
    <bpmn:sequenceFlow id="f3" sourceRef="Done" targetRef="E"><bpmn:conditionExpression>=done = true</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:process></bpmn:definitions>`;

interface Detail { status: string; variables: Record<string, unknown>; tasks: Array<{ key: string; elementId: string }> }

describe('an instance whose variables grow towards what Temporal can carry', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    expect((await stack.api('POST', '/api/definitions', GROWING, 'application/xml')).status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 413 to the completion that would cross the cap, changes nothing, and still completes with a small one', async () => {
    // given an instance started with 900 KB of variables, grown by three 250 KB completions kept twice (part, parts): about 1.9 MB
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/growing/instances', { variables: { a: 'a'.repeat(900_000), parts: [] } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    const done = new Set<string>();
    const nextTask = async (what: string) => {
      const detail = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.tasks.some((t) => !done.has(t.key)), what, 30_000);
      return detail.tasks.find((t) => !done.has(t.key))!.key;
    };
    const complete = async (key: string, variables: Record<string, unknown>) => {
      const answer = await stack.api<{ error: string; message: string }>('POST', `/api/tasks/${id}.${key}/complete`, { variables });
      if (answer.status === 200) done.add(key);
      return answer;
    };
    for (let i = 0; i < 3; i += 1) expect((await complete(await nextTask(`task ${i + 1}`), { part: String(i).repeat(250_000) })).status).toBe(200);
    const key = await nextTask('task 4');

    // when a fourth 250 KB completion would bring it past the cap
    const refused = await complete(key, { part: '3'.repeat(250_000) });

    // then it is refused as too large, naming the sizes, and the instance is unchanged
    expect(refused.status).toBe(413);
    expect(refused.body.error).toBe('payload_too_large');
    const sizes = /^variables: the instance would hold (\d+) bytes \(now (\d+), these variables add 250011\); an instance may hold at most 2015232 bytes of model and variables$/.exec(refused.body.message);
    expect(sizes).not.toBeNull();
    expect(Number(sizes![2])).toBeGreaterThan(1_900_000);
    expect(Number(sizes![1])).toBe(Number(sizes![2]) + 250_011);
    const unchanged = await stack.api<Detail>('GET', `/api/instances/${id}`);
    expect(unchanged.body.status).toBe('active');
    expect(unchanged.body.tasks.map((t) => t.key)).toEqual([key]);
    expect(unchanged.body.variables.parts).toEqual(['0', '1', '2'].map((c) => c.repeat(250_000)));
    // and so is a new variable of that size set through the instance
    const viaInstance = await stack.api('PUT', `/api/instances/${id}/variables`, { variables: { extra: 'x'.repeat(250_000) } });
    expect(viaInstance.status).toBe(413);
    expect((await stack.api<Detail>('GET', `/api/instances/${id}`)).body.variables).not.toHaveProperty('extra');

    // when an operator replaces a large variable by null (always allowed: it shrinks the instance), the same completion fits
    expect((await stack.api('PUT', `/api/instances/${id}/variables`, { variables: { a: null } })).status).toBe(204);
    expect((await complete(key, { part: '3'.repeat(250_000) })).status).toBe(200);

    // and a small completion finishes the instance
    expect((await complete(await nextTask('task 5'), { part: 'x', done: true })).status).toBe(200);
    const finished = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'completed', 'completion', 30_000);
    expect(finished.variables).toMatchObject({ a: null, done: true, part: 'x' });
    expect(finished.variables.parts).toHaveLength(5);
  });
});
