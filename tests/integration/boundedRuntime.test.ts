/**
 * Issue 12, bounded execution, through the real API, Temporal dev server and FerretDB: a
 * runaway becomes an incident on its element, limits on multi-instance, parallel fan-out and
 * call depth, and FEEL regex and ranges bounded in the worker.
 */
import { waitUntil } from '../../server/infra/ports';
import { instanceStateQuery } from '../../workflows/processInstance/messages';
import { boundedCalls, chain, diagram, type Detail, startBoundedStack } from '../support/boundedExecution';
import { eventually, type Stack } from '../support/stack';

describe('bounded execution: limits on a running instance', () => {
  let stack: Stack;
  const { deploy, start } = boundedCalls(() => stack);

  beforeAll(async () => {
    stack = await startBoundedStack();
  });

  afterAll(async () => {
    await stack?.stop();
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
});
