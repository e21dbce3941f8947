import type { CompileResult } from '../../../processes/compiler';
import type { FileCheck } from '../../../processes/conformance/check';
import {
  CONFORMANCE_MAX_BYTES, causeOf, checkBpmn, checkFile, contractViolations, lintViolations,
} from '../../../processes/conformance/check';
import path from 'node:path';
import { bytes, FIXTURES } from './helpers';

const options = { maxBytes: CONFORMANCE_MAX_BYTES };
const errorsOf = (check: FileCheck) => check.problems.filter((p) => p.severity === 'error');

describe('conformance check of one file', () => {
  it('a diagram that compiles is compiled, without violations', async () => {
    const check = await checkBpmn(bytes('precise/compiles.bpmn'), options);
    expect(check).toEqual({ status: 'compiled', problems: [], violations: [] });
  });

  it('a refused diagram names its element, and its cause has the element-specific parts taken out', async () => {
    // given a service task with an output mapping without a source (Camunda refuses it too)
    // when
    const check = await checkBpmn(bytes('precise/refused.bpmn'), options);
    // then
    expect(check.status).toBe('refused');
    expect(check.violations).toEqual([]);
    expect(errorsOf(check)).toEqual([expect.objectContaining({
      elementId: 'Fax', elementType: 'bpmn:ServiceTask',
      message: "zeebe:output mapping to 'fax' has no source (only an input may leave it out, meaning null)",
      cause: "zeebe:output mapping to '…' has no source (only an input may leave it out, meaning null)",
    })]);
  });

  it('malformed XML is refused without an element, which is a violation', async () => {
    const check = await checkBpmn(bytes('malformed/malformed.bpmn'), options);
    expect(check.status).toBe('refused');
    expect(errorsOf(check)).toEqual([expect.objectContaining({ elementId: null, message: expect.stringMatching(/^document-level: XML cannot be read/) })]);
    expect(check.violations).toEqual([expect.stringMatching(/^refused without naming an element: document-level: XML cannot be read/)]);
  });

  it('a file that cannot be read is crashed, not thrown', async () => {
    const check = await checkFile(path.join(FIXTURES, 'no-such.bpmn'), options);
    expect(check).toEqual({ status: 'crashed', problems: [], violations: [], crash: expect.stringMatching(/^threw: ENOENT/) });
  });

  it('holds the file to its expectation: status, errors included, exact errors, processes without the task-type check', async () => {
    // given the expectations the refused fixture meets
    const met = await checkBpmn(bytes('precise/refused.bpmn'), {
      ...options,
      expect: {
        status: 'refused',
        errorsInclude: [{ elementId: 'Fax', elementType: 'bpmn:ServiceTask', messageStartsWith: "zeebe:output mapping to 'fax' has no source" }],
        errors: [{ elementId: 'Fax', messageStartsWith: "zeebe:output mapping to 'fax' has no source" }],
      },
    });
    // and ones it does not meet
    const unmet = await checkBpmn(bytes('precise/refused.bpmn'), {
      ...options,
      expect: {
        status: 'compiled',
        errorsInclude: [{ elementId: 'Fax', message: 'something else' }],
        errors: [],
        withoutTaskTypeCheck: { processes: ['other'] },
      },
    });
    // then
    expect(met.violations).toEqual([]);
    expect(unmet.violations).toEqual([
      'expected to be compiled, was refused',
      'expected error missing: Fax: something else',
      expect.stringMatching(/^expected exactly 0 error\(s\) \[\], got 1 \[Fax: zeebe:output mapping to 'fax' has no source/),
      expect.stringMatching(/^without the task-type check expected to compile, refused: Fax: zeebe:output mapping to 'fax' has no source/),
    ]);
  });
});

describe('the compiler contract', () => {
  const result = (r: Partial<CompileResult>): CompileResult => ({ ok: false, problems: [], ...r });

  it('accepts a refusal whose errors name bpmn: elements and whose element-less warnings are document-level', () => {
    expect(contractViolations(result({
      problems: [
        { elementId: 'T', elementType: 'bpmn:Task', message: 'bad', severity: 'error' },
        { elementId: null, elementType: null, message: 'document-level: encoding', severity: 'warning' },
        { elementId: 'T_di', elementType: 'bpmndi:BPMNShape', message: 'unresolved reference <Gone> (diagram interchange only)', severity: 'warning' },
      ],
    }))).toEqual([]);
  });

  it('reports an error on a diagram-interchange element: those are warnings', () => {
    expect(contractViolations(result({
      problems: [{ elementId: 'T_di', elementType: 'bpmndi:BPMNShape', message: 'unresolved reference <Gone>', severity: 'error' }],
    }))).toEqual(['problem on T_di has element type bpmndi:BPMNShape, not bpmn:…: unresolved reference <Gone>']);
  });

  it('reports each broken promise', () => {
    expect(contractViolations(result({
      ok: true,
      problems: [
        { elementId: null, elementType: null, message: 'document-level: unreadable', severity: 'error' },
        { elementId: null, elementType: null, message: 'loose warning', severity: 'warning' },
        { elementId: 'X', elementType: 'triso:Thing', message: 'odd', severity: 'error' },
      ],
    }))).toEqual([
      'ok is true but there are errors',
      'ok is true but the compiled document is missing',
      'refused without naming an element: document-level: unreadable',
      'warning without an element is not marked document-level: loose warning',
      'problem on X has element type triso:Thing, not bpmn:…: odd',
    ]);
  });

  it('a lint rule that failed, or a lint problem without an element, is a violation', () => {
    expect(lintViolations([
      { elementId: 'T', elementType: 'bpmn:Task', message: 'Element is missing label/name', severity: 'warning', rule: 'label-required' },
      { elementId: 'G', elementType: 'bpmn:ExclusiveGateway', message: "lint rule 'fake-join' failed on this element and could not check it: boom", severity: 'warning', rule: 'fake-join' },
      { elementId: null, elementType: null, message: 'document-level: odd', severity: 'warning', rule: 'r' },
    ])).toEqual([
      "lint rule fake-join failed on G: lint rule 'fake-join' failed on this element and could not check it: boom",
      'lint problem without an element (r): document-level: odd',
    ]);
  });
});

describe('the cause of a problem', () => {
  const known = { ids: new Set(['Gateway_1', 'Flow_9', 'Message_1']), names: new Set(['Check invoice']) };

  it('replaces quoted ids and names, the own id anywhere, ids in <…> and positions', () => {
    expect(causeOf({ elementId: 'Flow_9', message: "Flow out of gateway 'Gateway_1' has no condition" }, known))
      .toBe("Flow out of gateway '<id>' has no condition");
    expect(causeOf({ elementId: 'T', message: "task 'Check invoice' repeats T, see \"Message_1\"" }, known))
      .toBe("task '<name>' repeats <id>, see \"<id>\"");
    expect(causeOf({ elementId: 'X', message: 'unresolved reference <foo:bar>' }, known)).toBe('unresolved reference <id>');
    expect(causeOf({ elementId: 'X', message: 'unparsable content <Gateway_1> at line 12' }, known)).toBe('unparsable content <id> at line N');
    expect(causeOf({ elementId: null, message: 'XML cannot be read\n\tline: 3\n\tcolumn: 4' }, known)).toBe('XML cannot be read');
  });

  it('replaces cleanly quoted values but keeps wording and values with quotes inside', () => {
    expect(causeOf({ elementId: 'F', message: "must start with '=' but is the static value 'true'" }, known))
      .toBe("must start with '=' but is the static value '…'");
    expect(causeOf({ elementId: 'F', message: "the static value '${x == 'yes'}'" }, known)).toBe("the static value '${x == 'yes'}'");
    expect(causeOf({ elementId: 'P', message: 'process is not marked isExecutable="true"' }, known)).toBe('process is not marked isExecutable="true"');
  });

  it('gives two elements with the same problem the same cause', () => {
    const a = causeOf({ elementId: 'Fax', message: "task type 'fax.send' is not in the activity catalog" }, known);
    const b = causeOf({ elementId: 'Telex', message: "task type 'telex.send' is not in the activity catalog" }, known);
    expect(a).toBe(b);
  });
});
