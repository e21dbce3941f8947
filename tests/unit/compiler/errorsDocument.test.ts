/**
 * Compile errors of the document as a whole: XML that does not parse or is not BPMN, no
 * executable process, over maxBytes, a wrong encoding; and moddle's import warnings, reported
 * as errors on the element they are about.
 */
import { about, around, compile, doc, errors } from './helpers';

describe('document-level errors', () => {
  it('rejects XML that does not parse', async () => {
    // given
    const xml = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p">';
    // when
    const result = await compile(xml);
    // then
    expect(result.ok).toBe(false);
    expect(result.document).toBeUndefined();
    expect(about(result, null)).toEqual([expect.stringMatching(/^error: document-level: XML cannot be read: /)]);
  });

  it('rejects a document whose root is not bpmn:definitions', async () => {
    const result = await compile('<?xml version="1.0"?><html><body/></html>');
    expect(result.ok).toBe(false);
    expect(errors(result)[0]?.message).toMatch(/document-level: XML cannot be read/);
  });

  it('rejects a document with no executable process, naming each process', async () => {
    const xml = doc('<bpmn:startEvent id="S" />').replace('isExecutable="true"', 'isExecutable="false"');
    const result = await compile(xml);
    expect(about(result, 'p')).toContain(`error: no executable process: process 'p' is not marked isExecutable="true"`);
  });

  it('rejects a document without any process', async () => {
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><bpmn:message id="M" name="x" /></bpmn:definitions>`;
    const result = await compile(xml);
    expect(about(result, null)).toEqual(['error: document-level: the document contains no process']);
  });

  it('refuses documents over maxBytes before parsing', async () => {
    const xml = around('<bpmn:task id="X" name="x" />');
    const result = await compile(xml, { maxBytes: 100 });
    expect(about(result, null)).toEqual(['error: document-level: document is larger than the limit of 100 bytes; it was not parsed']);
  });

  it('rejects bytes that are not valid in the declared encoding', async () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><a>'), Buffer.from([0xff, 0xfe]), Buffer.from('</a>')]);
    const result = await compile(bytes);
    expect(errors(result)[0]?.message).toMatch(/cannot be decoded as UTF-8/);
  });
});

describe('moddle import warnings are errors on the element', () => {
  const xml = doc(`
    <bpmn:startEvent id="S" name="s" />
    <bpmn:task id="T" name="t" foo="1">
      <bpmn:extensionElements>
        <zeebe:bogus a="b"/>
      </bpmn:extensionElements>
    </bpmn:task>
    <bpmn:bogus id="B" />
    <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="Nope" />
    <bpmn:sequenceFlow id="G" sourceRef="S" targetRef="T" />`);

  it('reports unknown attributes', async () => {
    const result = await compile(xml);
    expect(about(result, 'T')).toContain('error: unknown attribute <foo>');
  });

  it('reports unknown extension elements on the element that contains them', async () => {
    const result = await compile(xml);
    expect(about(result, 'T')).toContain('error: unparsable content <zeebe:bogus> detected at line 7: unknown type <zeebe:Bogus>');
  });

  it('reports unknown BPMN elements by their own id and tag', async () => {
    const result = await compile(xml);
    expect(result.problems.filter((p) => p.elementId === 'B')).toEqual([{
      elementId: 'B', elementType: 'bpmn:bogus', severity: 'error',
      message: 'unparsable content <bpmn:bogus> detected at line 10: unknown type <bpmn:Bogus>',
    }]);
  });

  it('reports unresolved references and the flow target they leave missing', async () => {
    const result = await compile(xml);
    expect(about(result, 'F')).toEqual([
      'error: unresolved reference <Nope>',
      "error: sequence flow 'F' has no target element (targetRef missing or unresolved)",
    ]);
  });

  it('reports a missing flow source', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="F" targetRef="E" /><bpmn:sequenceFlow id="G" sourceRef="S" targetRef="E" />`));
    expect(about(result, 'F')).toEqual(["error: sequence flow 'F' has no source element (sourceRef missing or unresolved)"]);
  });

  it('names the duplicated id when moddle aborts', async () => {
    const result = await compile(doc('<bpmn:task id="Twice" /><bpmn:task id="Twice" />'));
    expect(result.problems[0]).toMatchObject({ elementId: 'Twice', severity: 'error', message: expect.stringMatching(/duplicate ID <Twice>/) });
  });
});
