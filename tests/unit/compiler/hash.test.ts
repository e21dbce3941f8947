import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../processes/compiler/hash';
import { compile, fixture } from './helpers';

async function hashOf(xml: string): Promise<string> {
  const result = await compile(xml);
  expect(result.ok).toBe(true);
  return result.document!.processes[0]!.hash;
}

describe('model hash', () => {
  it('is the sha256 of the canonical JSON of the model without the hash field', async () => {
    // given
    const result = await compile(fixture('zeebe-rich.bpmn'));
    const { hash, ...rest } = result.document!.processes[0]!;
    // when
    const expected = createHash('sha256').update(canonicalJson(rest)).digest('hex');
    // then
    expect(hash).toBe(expected);
  });

  it('is stable for the same input', async () => {
    const xml = fixture('zeebe-rich.bpmn');
    expect(await hashOf(xml)).toBe(await hashOf(xml));
  });

  it('ignores whitespace, attribute order and diagram layout', async () => {
    // given the same model re-indented, with attributes reordered and a DI section added
    const xml = fixture('simple.bpmn');
    const reformatted = xml
      .replace(/\n\s*/g, '\n')
      .replace('<bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Notify" />', '<bpmn:sequenceFlow targetRef="Notify" sourceRef="Start" id="F1"/>')
      .replace('</bpmn:definitions>', `<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Di">
        <bpmndi:BPMNPlane id="Plane" bpmnElement="simple">
          <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
        </bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>`);
    // when / then
    expect(await hashOf(reformatted)).toBe(await hashOf(xml));
  });

  it('changes when the model changes', async () => {
    const xml = fixture('simple.bpmn');
    expect(await hashOf(xml.replace('name="Notify customer"', 'name="Notify the customer"'))).not.toBe(await hashOf(xml));
  });

  it('serialises with sorted keys at every level and without undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"z":1}]},"b":1}');
  });
});
