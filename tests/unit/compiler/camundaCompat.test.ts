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
});
