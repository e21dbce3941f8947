/**
 * Issue 12, bounded execution, through the real API, Temporal dev server and FerretDB: what
 * can never wait is refused at deploy, a runaway becomes an incident on its element, limits on
 * multi-instance and call depth, deploy size limits with a capped problem list, 400 for
 * over-deep variables, and a cancel that ends even an instance whose workflow cannot take it.
 */
import { randomUUID } from 'node:crypto';
import { compileBpmn } from '../../processes/compiler';
import { DEFAULT_EXECUTION_LIMITS } from '../../server/limits';
import { waitUntil } from '../../server/infra/ports';
import { instanceStateQuery } from '../../workflows/processInstance/messages';
import type { ProcessInstanceInput } from '../../workflows/processInstance/types';
import { eventually, startStack, type Stack } from '../support/stack';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const diagram = (id: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="D" targetNamespace="t"><bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
const chain = (id: string, n: number, name = 't') => diagram(id, `<bpmn:startEvent id="S" />${
  Array.from({ length: n }, (_, i) => `<bpmn:task id="T${i}" name="${name}" />`).join('')}<bpmn:endEvent id="E" />${
  Array.from({ length: n - 1 }, (_, i) => `<bpmn:sequenceFlow id="F${i}" sourceRef="T${i}" targetRef="T${i + 1}" />`).join('')
}<bpmn:sequenceFlow id="In" sourceRef="S" targetRef="T0" /><bpmn:sequenceFlow id="Out" sourceRef="T${n - 1}" targetRef="E" />`);

interface Detail { status: string; incidents: Array<{ id: string; elementId: string; type: string; message: string }>; tasks: Array<{ key: string; elementId: string }> }
interface Problems { error: string; message: string; errors: Array<{ elementId: string | null; message: string }> }

describe('bounded execution', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      limits: {
        limits: { ...DEFAULT_EXECUTION_LIMITS, maxActivationsPerStep: 20, maxMultiInstanceCardinality: 3, maxCallDepth: 2, maxLiveInstances: 12 },
        deployLimits: { maxElements: 100, maxModelBytes: 64 * 1024, minTimerCycleMs: 60_000 },
        cancelGraceMs: 1500,
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const deploy = (xml: string) => stack.api<Problems>('POST', '/api/definitions', xml, 'application/xml');
  const start = async (key: string, variables: Record<string, unknown> = {}) => {
    const res = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables });
    expect(res.status).toBe(201);
    return res.body.instanceId;
  };

  it('refuses a straight-through loop at deploy, naming its elements, and stores nothing', async () => {
    const res = await deploy(diagram('spin', `
      <bpmn:startEvent id="Start" />
      <bpmn:scriptTask id="Count" name="c"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="n" /></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:exclusiveGateway id="Again" default="Back" />
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Count" />
      <bpmn:sequenceFlow id="F2" sourceRef="Count" targetRef="Again" />
      <bpmn:sequenceFlow id="Back" sourceRef="Again" targetRef="Count" />
      <bpmn:sequenceFlow id="Out" sourceRef="Again" targetRef="End"><bpmn:conditionExpression>=n &gt; 1</bpmn:conditionExpression></bpmn:sequenceFlow>`));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ elementId: 'Count', message: expect.stringMatching(/straight-through loop: 'Count', 'Again'/) })]);
    expect((await stack.api('GET', '/api/definitions/spin/versions')).status).toBe(404);
  });

  it('caps the problem list of a refusal and says how many more there are', async () => {
    // 600 elements the engine cannot run: 600 errors (and their warnings), 100 of each listed
    const body = Array.from({ length: 600 }, (_, i) => `<bpmn:complexGateway id="G${i}" />`).join('');
    const res = await stack.api<Problems & { warnings: unknown[] }>('POST', '/api/definitions', diagram('many', `<bpmn:startEvent id="S" />${body}`), 'application/xml');
    expect(res.status).toBe(422);
    const total = Number(/^The BPMN document has (\d+) errors$/.exec(res.body.message)?.[1]);
    expect(total).toBeGreaterThanOrEqual(600);
    expect(res.body.errors).toHaveLength(101);
    expect(res.body.errors.slice(0, 100).every((p) => p.elementId !== null)).toBe(true);
    expect(res.body.errors[100]).toEqual({ elementId: null, elementType: null, severity: 'error', message: `document-level: ${total - 100} more errors not listed` });
    expect(res.body.warnings.length).toBeLessThanOrEqual(101);
  });

  it('refuses a process over the element limit and a model over the workflow-input limit with 413, naming the process', async () => {
    const many = await deploy(chain('long', 120));
    expect(many.status).toBe(413);
    expect(many.body.errors).toEqual([expect.objectContaining({ elementId: 'long', message: "process 'long' has 122 elements; the limit is 100 (BPMN_MAX_ELEMENTS)" })]);
    // 60 elements with long names: under the element limit, over 64 KiB compiled
    const big = await deploy(chain('heavy', 60, 'n'.repeat(2000)));
    expect(big.status).toBe(413);
    expect(big.body.errors[0]!.message).toMatch(/^process 'heavy' compiles to \d+ bytes; every instance carries it in its workflow input, which Temporal refuses over 2 MB; the limit is 65536/);
    expect((await deploy(chain('short', 20))).status).toBe(201);
  });

  it('refuses a document with more XML elements than the limit allows (nested 2,000 deep) with 413 before parsing, storing nothing', async () => {
    // 12 start tags per allowed flow element: 1,200 here; 2,000 nested extension elements are over it
    const deep = `<bpmn:extensionElements>${'<x:a xmlns:x="urn:x">'.repeat(2000)}${'</x:a>'.repeat(2000)}</bpmn:extensionElements>`;
    const res = await stack.api<{ error: string; message: string }>('POST', '/api/definitions', diagram('deepxml', `${deep}<bpmn:startEvent id="S" />`), 'application/xml');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large', message: expect.stringMatching(/more than 1200 XML elements; a process may have at most 100 \(BPMN_MAX_ELEMENTS\); it was not parsed/) });
    expect((await stack.api('GET', '/api/definitions/deepxml/versions')).status).toBe(404);
    // the same document nested within the limit deploys
    const shallow = `<bpmn:extensionElements>${'<x:a xmlns:x="urn:x">'.repeat(50)}${'</x:a>'.repeat(50)}</bpmn:extensionElements>`;
    expect((await deploy(diagram('deepxml', `${shallow}<bpmn:startEvent id="S" />`))).status).toBe(201);
  });

  it('turns a runaway into an incident on the element; resolving it continues with a fresh budget', async () => {
    expect((await deploy(chain('runaway', 30))).status).toBe(201);
    const id = await start('runaway');
    const stuck = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.incidents.length === 1, 'the step-budget incident');
    expect(stuck.status).toBe('active');
    expect(stuck.incidents[0]).toMatchObject({ elementId: 'T19', type: 'LIMIT_EXCEEDED', message: expect.stringMatching(/more than 20 element activations without waiting/) });
    expect((await stack.api('POST', `/api/instances/${id}/incidents/${stuck.incidents[0]!.id}/resolve`)).status).toBe(204);
    await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'completed', 'the chain to complete');
  });

  it('refuses a multi-instance collection over the limit as an incident on the element', async () => {
    expect((await deploy(diagram('fanout', `<bpmn:startEvent id="S" />
      <bpmn:userTask id="Vote" name="v"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=voters" inputElement="voter" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
      <bpmn:endEvent id="E" /><bpmn:sequenceFlow id="A" sourceRef="S" targetRef="Vote" /><bpmn:sequenceFlow id="B" sourceRef="Vote" targetRef="E" />`))).status).toBe(201);
    const id = await start('fanout', { voters: ['a', 'b', 'c', 'd'] });
    const detail = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.incidents.length === 1, 'the cardinality incident');
    expect(detail.incidents[0]).toMatchObject({ elementId: 'Vote', type: 'LIMIT_EXCEEDED', message: 'input collection has 4 items; the multi-instance limit is 3' });
    expect(detail.tasks).toEqual([]);
  });

  it('bounds parallel fan-out: a split wider than the live-element limit opens no branch, each is an incident, and cancel ends it', async () => {
    // (5,000 parallel user tasks wedged the database; here the limit is 12 live element instances)
    const n = 15; // (17 activations in the step: under this stack's step budget of 20)
    expect((await deploy(diagram('fork15', `<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />${
      Array.from({ length: n }, (_, i) => `<bpmn:userTask id="U${i}" name="u" />`).join('')}<bpmn:endEvent id="E" /><bpmn:sequenceFlow id="In" sourceRef="S" targetRef="Fork" />${
      Array.from({ length: n }, (_, i) => `<bpmn:sequenceFlow id="O${i}" sourceRef="Fork" targetRef="U${i}" /><bpmn:sequenceFlow id="X${i}" sourceRef="U${i}" targetRef="E" />`).join('')}`))).status).toBe(201);
    const id = await start('fork15');
    const detail = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.incidents.length === n, 'an incident on every branch');
    // the branches are created together, so each one's activation already sees all of them alive
    expect(detail.incidents.map((i) => i.elementId).sort()).toEqual(Array.from({ length: n }, (_, i) => `U${i}`).sort());
    expect(new Set(detail.incidents.map((i) => `${i.type}: ${i.message}`))).toEqual(new Set(['LIMIT_EXCEEDED: more than 12 element instances alive at once (parallel fan-out limit)']));
    expect(detail.tasks).toEqual([]);
    const inbox = async () => (await stack.api<{ items: Array<{ instanceId: string }> }>('GET', '/api/tasks?state=open&pageSize=100')).body.items.filter((t) => t.instanceId === id);
    expect(await inbox()).toEqual([]);
    // resolving one runs it against the same count: it is raised again
    expect((await stack.api('POST', `/api/instances/${id}/incidents/${detail.incidents[0]!.id}/resolve`)).status).toBe(204);
    const again = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.incidents.length === n && !d.incidents.some((i) => i.id === detail.incidents[0]!.id), 'the incident raised again');
    expect(again.tasks).toEqual([]);
    // and cancel ends the instance
    expect((await stack.api<{ status: string }>('DELETE', `/api/instances/${id}`)).body).toEqual({ status: 'canceled' });
    await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'canceled', 'the canceled fan-out');
  });

  it('stops a process that calls itself at the call-depth limit, with an incident on the call activity', async () => {
    expect((await deploy(diagram('selfcall', `<bpmn:startEvent id="S" />
      <bpmn:callActivity id="Again" name="again"><bpmn:extensionElements><zeebe:calledElement processId="selfcall" /></bpmn:extensionElements></bpmn:callActivity>
      <bpmn:endEvent id="E" /><bpmn:sequenceFlow id="A" sourceRef="S" targetRef="Again" /><bpmn:sequenceFlow id="B" sourceRef="Again" targetRef="E" />`))).status).toBe(201);
    const id = await start('selfcall');
    // root (depth 0) -> child (1) -> grandchild (2), whose call is refused. Child ids are
    // `<parent>.call-<key>`; the key is the evaluator's, so look for it.
    const childOf = async (parent: string): Promise<string> => {
      let found = '';
      await waitUntil(`a child of ${parent}`, async () => {
        for (let k = 1; k <= 10 && !found; k += 1) {
          try {
            await stack.client.workflow.getHandle(`${parent}.call-${k}`).describe();
            found = `${parent}.call-${k}`;
          } catch {
            // not this key
          }
        }
        return found !== '';
      }, 20_000, 100);
      return found;
    };
    const deepest = await childOf(await childOf(id));
    // (child ids are not pi-<uuid>, so the API does not serve them: ask the workflow)
    const view = async (workflowId: string) => stack.client.workflow.getHandle(workflowId).query(instanceStateQuery);
    await waitUntil('the call-depth incident', async () => {
      try {
        return (await view(deepest)).incidents.length === 1;
      } catch {
        return false;
      }
    }, 20_000, 100);
    expect((await view(deepest)).incidents[0]).toMatchObject({ elementId: 'Again', type: 'CHILD_FAILED', message: expect.stringMatching(/call depth 3 is over the limit of 2/) });
    const grandchildKey = deepest.slice(deepest.lastIndexOf('.call-'));
    await expect(stack.client.workflow.getHandle(`${deepest}${grandchildKey}`).describe()).rejects.toThrow(/not found/i);
  });

  it('runs FEEL regex on RE2 in the worker: a catastrophic pattern completes, a huge range is an incident', async () => {
    const script = (key: string, expr: string) => deploy(diagram(key, `<bpmn:startEvent id="S" />
      <bpmn:scriptTask id="Work" name="w"><bpmn:extensionElements><zeebe:script expression="${expr}" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:userTask id="Look" name="look" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="A" sourceRef="S" targetRef="Work" /><bpmn:sequenceFlow id="B" sourceRef="Work" targetRef="Look" /><bpmn:sequenceFlow id="C" sourceRef="Look" targetRef="E" />`));
    expect((await script('regex', '=matches(s, &quot;(a+)+$&quot;)')).status).toBe(201);
    const id = await start('regex', { s: `${'a'.repeat(40)}!` });
    const detail = await eventually<Detail & { variables: Record<string, unknown> }>(stack, `/api/instances/${id}`, (d) => d.tasks.length === 1, 'the script to finish');
    expect(detail.variables.r).toBe(false);
    expect((await script('range', '=for x in 1..n return x')).status).toBe(201);
    const ranged = await start('range', { n: 100_000_000 });
    const stopped = await eventually<Detail>(stack, `/api/instances/${ranged}`, (d) => d.incidents.length === 1, 'the iteration incident');
    expect(stopped.incidents[0]).toMatchObject({ elementId: 'Work', message: expect.stringMatching(/limit exceeded: .*would iterate 100000000 times; the limit is 100000/) });
  });

  it('answers 400 with the field path for 8,000-deep variables, and starts nothing', async () => {
    const body = `{"variables":{"deep":${'{"a":'.repeat(8000)}1${'}'.repeat(8000)}}}`;
    const res = await stack.api<{ error: string; fields: Array<{ path: string; message: string }> }>('POST', '/api/processes/short/instances', body, 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.fields[0]!.path).toMatch(/^variables\.deep(\.a)+/);
    expect(res.body.fields[0]!.message).toBe('nested deeper than 32 levels (LIMIT_VARIABLE_DEPTH)');
  });

  it('ends an instance whose workflow cannot take the cancel: GET still answers, DELETE terminates, the inbox follows', async () => {
    // A user task and a receive task side by side; after the message an element the evaluator
    // cannot run, so every workflow task from then on fails (as a runaway or a lost worker would).
    const compiled = await compileBpmn(diagram('wedge', `<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />
      <bpmn:userTask id="Review" name="review" />
      <bpmn:receiveTask id="Wait" name="w" messageRef="Go" />
      <bpmn:task id="Boom" name="boom" /><bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />
      <bpmn:sequenceFlow id="W1" sourceRef="S" targetRef="Fork" /><bpmn:sequenceFlow id="W2" sourceRef="Fork" targetRef="Review" />
      <bpmn:sequenceFlow id="W3" sourceRef="Fork" targetRef="Wait" /><bpmn:sequenceFlow id="W4" sourceRef="Wait" targetRef="Boom" />
      <bpmn:sequenceFlow id="W5" sourceRef="Boom" targetRef="E1" /><bpmn:sequenceFlow id="W6" sourceRef="Review" targetRef="E2" />`)
      .replace('</bpmn:definitions>', '<bpmn:message id="Go" name="go"><bpmn:extensionElements><zeebe:subscription correlationKey="=&quot;k&quot;" /></bpmn:extensionElements></bpmn:message></bpmn:definitions>'), { taskTypes: null });
    expect(compiled.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const model = compiled.document!.processes[0]!;
    const broken = { ...model, elements: model.elements.map((e) => (e.id === 'Boom' ? { ...e, kind: 'not-a-kind' } : e)) } as ProcessInstanceInput['model'];
    const id = `pi-${randomUUID()}`;
    await stack.client.workflow.start('processInstance', {
      taskQueue: stack.taskQueue, workflowId: id,
      args: [{ definition: { key: 'wedge', version: 1 }, model: broken, variables: {} } satisfies ProcessInstanceInput],
    });
    await eventually<{ items: Array<{ instanceId: string }> }>(stack, '/api/tasks?state=open', (p) => p.items.some((t) => t.instanceId === id), 'the review task in the inbox');
    expect((await stack.api('POST', '/api/messages', { name: 'go', correlationKey: 'k' })).status).toBe(200);
    // The workflow task that applies the message fails from now on; the read model still answers.
    const during = await stack.api<Detail>('GET', `/api/instances/${id}`);
    expect(during.status).toBe(200);
    expect(during.body.status).toBe('active');

    const cancel = await stack.api<{ status: string }>('DELETE', `/api/instances/${id}`);
    expect(cancel.status).toBe(202);
    expect(cancel.body).toEqual({ status: 'terminated' });
    expect((await stack.client.workflow.getHandle(id).describe()).status.name).toBe('TERMINATED');
    const after = await stack.api<Detail>('GET', `/api/instances/${id}`);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('terminated');
    const inbox = await stack.api<{ items: Array<{ instanceId: string }> }>('GET', '/api/tasks?state=open');
    expect(inbox.body.items.filter((t) => t.instanceId === id)).toEqual([]);
    const listed = await stack.api<{ items: Array<{ id: string; status: string }> }>('GET', '/api/instances?status=terminated');
    expect(listed.body.items.map((i) => i.id)).toContain(id);
  });

  it('cancels an instance that takes the cancel within the grace period as canceled', async () => {
    expect((await deploy(diagram('hold', `<bpmn:startEvent id="S" /><bpmn:userTask id="Hold" name="h" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="A" sourceRef="S" targetRef="Hold" /><bpmn:sequenceFlow id="B" sourceRef="Hold" targetRef="E" />`))).status).toBe(201);
    const id = await start('hold');
    await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.tasks.length === 1, 'the vote task');
    const cancel = await stack.api<{ status: string }>('DELETE', `/api/instances/${id}`);
    expect(cancel.body).toEqual({ status: 'canceled' });
    await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'canceled' && d.tasks.length === 0, 'the canceled instance');
  });
});
