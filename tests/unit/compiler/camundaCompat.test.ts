import type { ElementDef } from '../../../processes/model';
import { about, around, compile } from './helpers';

// Diagrams Camunda 8 deploys as written by Camunda Modeler (the public corpus under conformance).

function element(result: Awaited<ReturnType<typeof compile>>, id: string): ElementDef {
  const found = result.document?.processes[0]?.elements.find((e) => e.id === id);
  if (!found) throw new Error(`no element ${id}`);
  return found;
}

describe('Camunda-compatible diagrams', () => {
  it('compiles an input mapping whose string literal spans lines and keeps the line breaks', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X"><bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" />
        <zeebe:ioMapping><zeebe:input source="=&quot;You are a helpful agent.&#10;Answer briefly.&quot;" target="prompt" /></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:serviceTask>`), { taskTypes: null });
    expect(about(result, 'X')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(element(result, 'X').inputs).toEqual([{ target: 'prompt', source: '"You are a helpful agent.\nAnswer briefly."' }]);
  });

  it('still refuses a broken multi-line mapping on its element', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X"><bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" />
        <zeebe:ioMapping><zeebe:input source="=&quot;one&#10;two&quot; +" target="prompt" /></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:serviceTask>`), { taskTypes: null });
    expect(about(result, 'X')).toEqual([expect.stringMatching(/zeebe:input mapping to 'prompt' is not valid FEEL/)]);
  });

  it('reads an input without a source as null, as Camunda does (camunda/camunda#12961)', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X"><bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" />
        <zeebe:ioMapping><zeebe:input target="threadId" /><zeebe:input source="=1" target="n" /></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:serviceTask>`), { taskTypes: null });
    expect(about(result, 'X')).toEqual([]);
    expect(element(result, 'X').inputs).toEqual([{ target: 'threadId', source: 'null' }, { target: 'n', source: '1' }]);
  });

  it('still refuses an output without a source, on its element', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X"><bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" />
        <zeebe:ioMapping><zeebe:output target="answer" /></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:serviceTask>`), { taskTypes: null });
    expect(about(result, 'X')).toEqual([
      "error: zeebe:output mapping to 'answer' has no source (only an input may leave it out, meaning null)",
    ]);
  });

  it('compiles a job type and retries given as FEEL, keeping the catalog for routing the evaluated type', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X"><bpmn:extensionElements>
        <zeebe:taskDefinition type="=&quot;http.&quot; + kind" retries="=tries" />
      </bpmn:extensionElements></bpmn:serviceTask>`), { taskTypes: new Set(['http.request', 'email.send']) });
    expect(about(result, 'X')).toEqual([]);
    const x = element(result, 'X');
    expect(x.kind === 'serviceTask' && x.job).toEqual({
      type: '="http." + kind',
      typeExpression: '"http." + kind',
      retries: 3,
      retriesExpression: 'tries',
      headers: [],
      catalogTypes: ['email.send', 'http.request'],
    });
  });

  it('refuses a job type expression that is not FEEL, on its element', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X"><bpmn:extensionElements>
        <zeebe:taskDefinition type="=&quot;http." />
      </bpmn:extensionElements></bpmn:serviceTask>`), { taskTypes: null });
    expect(about(result, 'X')).toEqual([expect.stringMatching(/^error: zeebe:taskDefinition type is not valid FEEL/)]);
  });

  it('refuses a retries expression that is not FEEL, on its element', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X"><bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" retries="=(" />
      </bpmn:extensionElements></bpmn:serviceTask>`), { taskTypes: null });
    expect(about(result, 'X')).toEqual([expect.stringMatching(/^error: zeebe:taskDefinition retries is not valid FEEL/)]);
  });
});
