import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBpmn } from '../../../processes/compiler/parse';
import { lintBpmn } from '../../../processes/lint';

async function definitionsOf(rule: string, variant: 'valid' | 'invalid'): Promise<unknown> {
  const xml = readFileSync(path.join(__dirname, 'fixtures', rule, `${variant}.bpmn`), 'utf8');
  const parsed = await parseBpmn(xml);
  if (!parsed.ok) throw new Error(parsed.message);
  expect(parsed.warnings).toEqual([]);
  return parsed.definitions;
}

/** Lints with only `rule` enabled, so each fixture tests exactly one rule. */
async function lintWith(rule: string, variant: 'valid' | 'invalid') {
  const config = { rules: { [`complaint/${rule}`]: 'error' } };
  return lintBpmn(await definitionsOf(rule, variant), { config });
}

const cases: Array<[string, Array<{ elementId: string; message: string }>]> = [
  ['gateway-flow-conditions', [{ elementId: 'Bare', message: "Flow out of gateway 'Gateway' has no condition and is not the default flow" }]],
  ['default-flow-without-condition', [{ elementId: 'Otherwise', message: "Default flow of 'Gateway' has a condition that is never evaluated" }]],
  ['condition-after-gateway', [{
    elementId: 'Yes',
    message: "Condition on a flow out of bpmn:ParallelGateway 'Gateway' is never evaluated; only exclusive and inclusive gateways evaluate conditions",
  }]],
  ['gateway-flow-label', [{ elementId: 'Yes', message: "Flow out of gateway 'Gateway' has no label" }]],
  ['task-label-required', [{ elementId: 'Review', message: 'bpmn:UserTask has no name' }]],
  ['sla-policy-complete', [
    { elementId: 'p', message: "SLA policy 'resolution': needs a fallback target without severity and tier" },
    { elementId: 'Review', message: "SLA policy 'review': unknown calendar 'mars-office' (known: berlin-office, shanghai-office, around-the-clock)" },
  ]],
  ['external-job-type', [{ elementId: 'Send', message: expect.stringMatching(/^task type 'acme\.fax' is served by an external worker/) as unknown as string }]],
];

describe.each(cases)('lint rule %s', (rule, expected) => {
  it('accepts its valid fixture', async () => {
    // given the valid fixture  // when
    const problems = await lintWith(rule, 'valid');
    // then
    expect(problems).toEqual([]);
  });

  it('reports its invalid fixture on the offending element', async () => {
    const problems = await lintWith(rule, 'invalid');
    expect(problems.map(({ elementId, message }) => ({ elementId, message }))).toEqual(expected);
    expect(problems.every((p) => p.rule === `complaint/${rule}` && p.severity === 'error')).toBe(true);
  });
});

describe('lintBpmn', () => {
  it('runs the shipped config with the configured severities', async () => {
    const problems = await lintBpmn(await definitionsOf('gateway-flow-conditions', 'invalid'));
    expect(problems).toContainEqual({
      elementId: 'Bare', elementType: 'bpmn:SequenceFlow', severity: 'error', rule: 'complaint/gateway-flow-conditions',
      message: "Flow out of gateway 'Gateway' has no condition and is not the default flow",
    });
  });

  it('turns a rule that throws into a warning on the element, and keeps the other rules running', async () => {
    // given a tree on which bpmnlint's no-implicit-end throws (compensation boundary + association without source)
    const xml = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
      <bpmn:process id="p" isExecutable="true">
        <bpmn:startEvent id="S" /><bpmn:task id="T" /><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />
        <bpmn:boundaryEvent id="C" attachedToRef="T"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
        <bpmn:association id="A" targetRef="T" />
      </bpmn:process></bpmn:definitions>`;
    const parsed = await parseBpmn(xml);
    if (!parsed.ok) throw new Error(parsed.message);
    // when
    const problems = await lintBpmn(parsed.definitions, { config: { rules: { 'no-implicit-end': 'error', 'complaint/task-label-required': 'warn' } } });
    // then
    expect(problems).toContainEqual(expect.objectContaining({
      elementId: 'C', severity: 'warning', rule: 'no-implicit-end',
      message: expect.stringMatching(/^lint rule 'no-implicit-end' failed on this element and could not check it: /),
    }));
    expect(problems).toContainEqual(expect.objectContaining({ elementId: 'T', rule: 'complaint/task-label-required' }));
    expect(problems).toContainEqual(expect.objectContaining({ elementId: 'T', rule: 'no-implicit-end', severity: 'error' }));
  });

  it('reports an unknown rule in the config as a document-level warning instead of throwing', async () => {
    const problems = await lintBpmn(await definitionsOf('task-label-required', 'valid'), { config: { rules: { 'nope/missing': 'error' } } });
    expect(problems).toEqual([{
      elementId: null, elementType: null, severity: 'warning', message: 'document-level: linter failed: unknown rule <nope/missing>',
    }]);
  });

  it('ignores reports about processes outside onlyWithin', async () => {
    const definitions = await definitionsOf('task-label-required', 'invalid');
    expect(await lintBpmn(definitions, { onlyWithin: [{ id: 'other' }], config: { rules: { 'complaint/task-label-required': 'warn' } } })).toEqual([]);
    expect(await lintBpmn(definitions, { onlyWithin: [{ id: 'p' }], config: { rules: { 'complaint/task-label-required': 'warn' } } })).toHaveLength(1);
  });
});
