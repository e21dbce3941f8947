/**
 * Issue 12, item 1 (bounded input): a start whose workflow input Temporal would refuse ("Blob
 * data size exceeds limit", 2 MB) is a 413 naming the sizes, before anything is written — not
 * a 500 after the business key was claimed. With the default limits (BPMN_MAX_MODEL_BYTES
 * 1.5 MiB, JSON bodies up to 1 MB) a large model and large variables together pass both
 * limits apart. Real API, Temporal dev server and FerretDB.
 */
import { eventually, startStack, type Stack } from '../support/stack';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';
/** A chain of `n` tasks with long names: about n × nameLength bytes compiled. */
const heavyChain = (id: string, n: number, nameLength: number) => `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="D" targetNamespace="t"><bpmn:process id="${id}" isExecutable="true"><bpmn:startEvent id="S" />${
  Array.from({ length: n }, (_, i) => `<bpmn:task id="T${i}" name="${'n'.repeat(nameLength)}" />`).join('')}<bpmn:userTask id="Hold" name="hold" /><bpmn:endEvent id="E" />${
  Array.from({ length: n - 1 }, (_, i) => `<bpmn:sequenceFlow id="F${i}" sourceRef="T${i}" targetRef="T${i + 1}" />`).join('')
}<bpmn:sequenceFlow id="In" sourceRef="S" targetRef="T0" /><bpmn:sequenceFlow id="ToHold" sourceRef="T${n - 1}" targetRef="Hold" /><bpmn:sequenceFlow id="Out" sourceRef="Hold" targetRef="E" /></bpmn:process></bpmn:definitions>`;

describe('starting an instance whose workflow input is too large for Temporal', () => {
  let stack: Stack;

  beforeAll(async () => {
    // the service's default limits
    stack = await startStack();
    const xml = heavyChain('heavy-start', 500, 2400);
    expect(Buffer.byteLength(xml)).toBeLessThan(2 * 1024 * 1024);
    const deployed = await stack.api('POST', '/api/definitions', xml, 'application/xml');
    expect(deployed.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 413 naming the sizes, claims no business key and starts nothing; a smaller start of the same model runs', async () => {
    // when a start carries 950 KB of variables (under the 1 MB body limit) with a 1.2 MB model
    const big = { businessKey: 'BK-heavy', variables: { note: 'x'.repeat(950_000) } };
    const refused = await stack.api<{ error: string; message: string }>('POST', '/api/processes/heavy-start/instances', big);
    // then it is refused as too large, not a 500
    expect(refused.status).toBe(413);
    expect(refused.body.error).toBe('payload_too_large');
    expect(refused.body.message).toMatch(/^The instance's workflow input would be \d+ bytes \(the model \d+, its variables \d+\); Temporal refuses more than 2 MB/);
    // and nothing was started or claimed: the same business key starts the instance with smaller variables
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/heavy-start/instances', { businessKey: 'BK-heavy', variables: { note: 'x'.repeat(1000) } });
    expect(started.status).toBe(201);
    const listed = await stack.api<{ items: Array<{ id: string }>; total: number }>('GET', '/api/instances?key=heavy-start');
    expect(listed.body.items.map((i) => i.id).filter((id) => id !== started.body.instanceId)).toEqual([]);
    const description = await stack.client.workflow.getHandle(started.body.instanceId).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('refuses a call whose child input would be over 2 MB as an incident on the call activity; the parent stays active', async () => {
    // given a large called model (about 240 KB) and a parent whose variables grow to about 1.9 MB a part at a time
    // (a completion carries at most 256 KB and may not bring the parent past its own cap, 2,015,232 bytes), then call the child with all of them
    expect((await stack.api('POST', '/api/definitions', heavyChain('big-child', 100, 2400), 'application/xml')).status).toBe(201);
    const xml = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="t">
      <bpmn:process id="big-parent" isExecutable="true"><bpmn:startEvent id="S" />
        <bpmn:userTask id="Add" name="add"><bpmn:extensionElements><zeebe:ioMapping>
          <zeebe:output source="=part" target="part" /><zeebe:output source="=append(parts, part)" target="parts" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>
        <bpmn:exclusiveGateway id="Enough" default="More" />
        <bpmn:callActivity id="Call" name="call"><bpmn:extensionElements><zeebe:calledElement processId="big-child" /></bpmn:extensionElements></bpmn:callActivity>
        <bpmn:endEvent id="E" />
        <bpmn:sequenceFlow id="p1" sourceRef="S" targetRef="Add" /><bpmn:sequenceFlow id="p2" sourceRef="Add" targetRef="Enough" />
        <bpmn:sequenceFlow id="More" sourceRef="Enough" targetRef="Add" />
        <bpmn:sequenceFlow id="p3" sourceRef="Enough" targetRef="Call"><bpmn:conditionExpression>=count(parts) &gt;= 3</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="p4" sourceRef="Call" targetRef="E" /></bpmn:process></bpmn:definitions>`;
    expect((await stack.api('POST', '/api/definitions', xml, 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/big-parent/instances', { variables: { a: 'a'.repeat(900_000), parts: [] } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    interface Detail { status: string; tasks: Array<{ key: string; elementId: string }>; incidents: Array<{ elementId: string; type: string; message: string }> }
    const done = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      const detail = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.tasks.some((t) => t.elementId === 'Add' && !done.has(t.key)), `part ${i + 1}`, 30_000);
      const key = detail.tasks.find((t) => t.elementId === 'Add' && !done.has(t.key))!.key;
      done.add(key);
      expect((await stack.api('POST', `/api/tasks/${id}.${key}/complete`, { variables: { part: String(i).repeat(250_000) } })).status).toBe(200);
    }
    // then the call is an incident naming the size, no child is started, and the parent is still there to fix
    const stuck = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.incidents.length === 1, 'the call incident', 30_000);
    expect(stuck.status).toBe('active');
    expect(stuck.incidents[0]).toMatchObject({ elementId: 'Call', type: 'CHILD_FAILED', message: expect.stringMatching(/limit exceeded: the called process's input would be \d+ bytes; Temporal refuses more than 2 MB/) });
    expect((await stack.client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');
  });
});
