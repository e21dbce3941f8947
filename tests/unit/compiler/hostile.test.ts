import { allAbout, about, compile, doc, errors } from './helpers';
import { chain, nested } from './generate';

const DEFS = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><bpmn:process id="p" isExecutable="true"><bpmn:task id="T" name="&lol9;" /></bpmn:process></bpmn:definitions>';

describe('hostile input', () => {
  it('rejects an entity bomb before parsing', async () => {
    // given a billion-laughs DTD
    const lols = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${lols}]>${DEFS}`;
    // when
    const result = await compile(xml);
    // then
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{
      elementId: null, elementType: null, severity: 'error',
      message: 'document-level: document contains a DOCTYPE declaration; DTDs and entities are not accepted',
    }]);
  });

  it('rejects an external entity and never reads the file', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${DEFS.replace('&lol9;', '&xxe;')}`;
    const result = await compile(xml);
    expect(about(result, null)).toEqual(['error: document-level: document contains a DOCTYPE declaration; DTDs and entities are not accepted']);
    expect(JSON.stringify(result)).not.toMatch(/root:/);
  });

  it('rejects an ENTITY declaration even without a DOCTYPE keyword in front', async () => {
    const result = await compile(`<!ENTITY x "y">${DEFS}`);
    expect(about(result, null)).toEqual(['error: document-level: document contains an ENTITY declaration; DTDs and entities are not accepted']);
  });

  it('refuses a 50 MB document by size, as string and as bytes', async () => {
    // given 50 MB of otherwise plausible XML, generated here rather than committed
    const padding = '<bpmn:task id="Pad" name="x" />'.repeat(Math.ceil((50 * 1024 * 1024) / 31));
    const xml = doc(padding);
    // when
    const asString = await compile(xml);
    const asBytes = await compile(Buffer.from(xml));
    // then
    for (const result of [asString, asBytes]) {
      expect(about(result, null)).toEqual(['error: document-level: document is larger than the limit of 2097152 bytes; it was not parsed']);
    }
  });

  it('counts the limit in UTF-8 bytes, not characters', async () => {
    const xml = doc(`<bpmn:startEvent id="S" name="${'é'.repeat(600)}" />`);
    expect(xml.length).toBeLessThan(1000);
    expect(errors(await compile(xml, { maxBytes: 1000 }))[0]?.message).toMatch(/larger than the limit of 1000 bytes/);
  });

  it('compiles a 100k-element document when the limit allows it', async () => {
    // given a chain of 50 000 tasks and 50 001 flows (about 5.5 MB)
    const xml = chain(50_000);
    // when
    const result = await compile(xml, { maxBytes: 64 * 1024 * 1024 });
    // then (the jest timeout bounds the time; figures are in processes/compiler/README.md)
    expect(result.problems).toEqual([]);
    const model = result.document!.processes[0]!;
    expect(model.elements).toHaveLength(50_002);
    expect(model.flows).toHaveLength(50_001);
    expect(model.elements[50_000]).toMatchObject({ id: 'T49999', incoming: ['F49999'], outgoing: ['Last'] });
  });

  it('rejects the same 100k-element document by size with the default limit', async () => {
    const result = await compile(chain(50_000));
    expect(about(result, null)).toEqual([expect.stringMatching(/larger than the limit/)]);
  });

  it('compiles subprocesses nested 500 deep without overflowing the stack', async () => {
    const result = await compile(nested(500));
    expect(errors(result)).toEqual([]);
    const elements = result.document!.processes[0]!.elements;
    expect(elements.find((e) => e.id === 'S0')).toMatchObject({ parentId: 'Sub1' });
    expect(elements.find((e) => e.id === 'Sub1')).toMatchObject({ parentId: 'Sub2' });
    expect(elements.find((e) => e.id === 'Sub500')).toMatchObject({ parentId: null });
  });

  it('keeps ids like __proto__ and constructor as plain data and leaves Object.prototype untouched', async () => {
    // given ids and header keys that collide with Object.prototype members
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const xml = doc(`
      <bpmn:startEvent id="__proto__" name="s" />
      <bpmn:task id="constructor" name="c" />
      <bpmn:serviceTask id="toString" name="t"><bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" />
        <zeebe:taskHeaders><zeebe:header key="__proto__" value="polluted" /><zeebe:header key="constructor" value="x" /></zeebe:taskHeaders>
        <zeebe:ioMapping><zeebe:input source="=1" target="__proto__.polluted" /></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:endEvent id="hasOwnProperty" name="e" />
      <bpmn:sequenceFlow id="valueOf" sourceRef="__proto__" targetRef="constructor" />
      <bpmn:sequenceFlow id="isPrototypeOf" sourceRef="constructor" targetRef="toString" />
      <bpmn:sequenceFlow id="prototype" sourceRef="toString" targetRef="hasOwnProperty" />`);
    // when
    const result = await compile(xml);
    // then
    expect(result.problems).toEqual([]);
    const model = result.document!.processes[0]!;
    expect(model.elements.map((e) => [e.id, e.kind, e.incoming, e.outgoing])).toEqual([
      ['__proto__', 'startEvent', [], ['valueOf']],
      ['constructor', 'task', ['valueOf'], ['isPrototypeOf']],
      ['toString', 'serviceTask', ['isPrototypeOf'], ['prototype']],
      ['hasOwnProperty', 'endEvent', ['prototype'], []],
    ]);
    expect(model.elements[2]).toMatchObject({
      job: { headers: [{ key: '__proto__', value: 'polluted' }, { key: 'constructor', value: 'x' }] },
      inputs: [{ source: '1', target: '__proto__.polluted' }],
    });
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof Object.prototype.toString).toBe('function');
  });

  it('reports problems on hostile ids without confusing them with prototype members', async () => {
    const result = await compile(doc('<bpmn:startEvent id="__proto__" /><bpmn:eventBasedGateway id="constructor" /><bpmn:sequenceFlow id="f" sourceRef="__proto__" targetRef="constructor" />'));
    expect(allAbout(result, 'constructor')).toContain('error: an event-based gateway needs at least two outgoing sequence flows');
  });

  it('never throws for arbitrary garbage', async () => {
    for (const input of ['', '<', '\u0000\u0001', '<?xml version="1.0"?>', new Uint8Array([0, 159, 146, 150]), '<a><b></a>']) {
      const result = await compile(input);
      expect(result.ok).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
    }
  });
});
