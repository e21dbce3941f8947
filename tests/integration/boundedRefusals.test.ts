/**
 * Issue 12, bounded execution, through the real API, Temporal dev server and FerretDB: what is
 * refused at the door. What can never wait is refused at deploy, deploy size limits with a
 * capped problem list, and 400 for over-deep variables.
 */
import { boundedCalls, chain, diagram, type Problems, startBoundedStack } from '../support/boundedExecution';
import { type Stack } from '../support/stack';

describe('bounded execution: refusals at deploy and start', () => {
  let stack: Stack;
  const { deploy } = boundedCalls(() => stack);

  beforeAll(async () => {
    stack = await startBoundedStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

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

  it('answers 400 with the field path for 8,000-deep variables, and starts nothing', async () => {
    const body = `{"variables":{"deep":${'{"a":'.repeat(8000)}1${'}'.repeat(8000)}}}`;
    const res = await stack.api<{ error: string; fields: Array<{ path: string; message: string }> }>('POST', '/api/processes/short/instances', body, 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.fields[0]!.path).toMatch(/^variables\.deep(\.a)+/);
    expect(res.body.fields[0]!.message).toBe('nested deeper than 32 levels (LIMIT_VARIABLE_DEPTH)');
  });
});
