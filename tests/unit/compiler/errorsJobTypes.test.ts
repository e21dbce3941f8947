/**
 * Compile errors of elements served by jobs: a task definition and its type (against the
 * catalog or options.taskTypes), retries, scripts and called processes.
 */
import { CATALOG_TASK_TYPES } from '../../../processes/catalogTaskTypes';
import { about, allAbout, around, compile, errors, JOB } from './helpers';

const withJob = (attrs: string) => `<bpmn:extensionElements><zeebe:taskDefinition ${attrs} /></bpmn:extensionElements>`;

describe('job types', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['service task without taskDefinition', '<bpmn:serviceTask id="X" name="x" />', /^bpmn:ServiceTask needs zeebe:taskDefinition with a type$/],
    ['send task with an empty type', `<bpmn:sendTask id="X" name="x">${withJob('type=""')}</bpmn:sendTask>`, /^bpmn:SendTask needs zeebe:taskDefinition with a type$/],
    ['business rule task with a type expression that is not FEEL', `<bpmn:businessRuleTask id="X" name="x">${withJob('type="=kind("')}</bpmn:businessRuleTask>`, /zeebe:taskDefinition type is not valid FEEL/],
    ['message throw event without taskDefinition', '<bpmn:intermediateThrowEvent id="X"><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>', /^bpmn:IntermediateThrowEvent needs zeebe:taskDefinition/],
    ['retries that are not a number', `<bpmn:serviceTask id="X" name="x">${withJob('type="http.request" retries="many"')}</bpmn:serviceTask>`, /retries must be a whole number, not 'many'/],
    ['retries written empty (Zeebe: mandatory once written)', `<bpmn:serviceTask id="X" name="x">${withJob('type="http.request" retries=" "')}</bpmn:serviceTask>`, /^zeebe:taskDefinition retries must not be empty; leave the attribute out for the default of 3$/],
  ];

  it.each(cases)('refuses a %s', async (_what, element, message) => {
    const result = await compile(around(element));
    expect(errors(result).filter((p) => p.elementId === 'X').map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });

  it('compiles a type outside the catalog as a job for external workers, with a warning on the element', async () => {
    const xml = around(`<bpmn:serviceTask id="X" name="x">${withJob('type="fax.send"')}</bpmn:serviceTask>`);
    const result = await compile(xml, { taskTypes: CATALOG_TASK_TYPES });
    expect(result.ok).toBe(true);
    expect(allAbout(result, 'X')).toEqual([expect.stringMatching(/^warning: task type 'fax\.send' is served by an external worker/)]);
    const job = (r: typeof result) => r.document?.processes[0]?.elements.find((e) => e.id === 'X');
    expect(job(result)).toMatchObject({ kind: 'serviceTask', job: { type: 'fax.send', worker: 'external' } });
    // a message end event's job too
    const end = await compile(around('<bpmn:endEvent id="X"><bpmn:extensionElements><zeebe:taskDefinition type="sms" /></bpmn:extensionElements><bpmn:messageEventDefinition /></bpmn:endEvent>'));
    expect(end.ok).toBe(true);
    expect(allAbout(end, 'X')).toEqual([expect.stringMatching(/^warning: task type 'sms' is served by an external worker/)]);
  });

  it('checks against options.taskTypes, or not at all with null', async () => {
    const xml = around(`<bpmn:serviceTask id="X" name="x">${withJob('type="fax.send"')}</bpmn:serviceTask>`);
    const known = await compile(xml, { taskTypes: new Set(['fax.send']) });
    expect(allAbout(known, 'X')).toEqual([]);
    expect(known.document?.processes[0]?.elements.find((e) => e.id === 'X')).not.toHaveProperty('job.worker');
    expect(allAbout(await compile(xml, { taskTypes: null }), 'X')).toEqual([]);
  });

  it('requires zeebe:script with a result variable on script tasks', async () => {
    const missing = await compile(around('<bpmn:scriptTask id="X" name="x" />'));
    expect(about(missing, 'X')).toEqual(['error: script task needs zeebe:script with a FEEL expression and a resultVariable']);
    const noResult = await compile(around('<bpmn:scriptTask id="X" name="x"><bpmn:extensionElements><zeebe:script expression="=1" /></bpmn:extensionElements></bpmn:scriptTask>'));
    expect(about(noResult, 'X')).toEqual(['error: zeebe:script resultVariable is missing']);
  });

  it('requires a called process id on call activities', async () => {
    const result = await compile(around('<bpmn:callActivity id="X" name="x" />'));
    expect(about(result, 'X')).toEqual(['error: call activity needs zeebe:calledElement with a processId']);
  });
});

it('uses the job fixture constant as a valid task', async () => {
  // Guards the helper itself: a valid service task compiles, so the refusals above are meaningful.
  const result = await compile(around(`<bpmn:serviceTask id="X" name="x">${JOB}</bpmn:serviceTask>`));
  expect(result.ok).toBe(true);
});

describe('single-use zeebe extension elements given twice', () => {
  it('refuses a second task definition, io mapping or job priority instead of taking the first', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X" name="x"><bpmn:extensionElements>
      <zeebe:taskDefinition type="http.request" /><zeebe:taskDefinition type="other.type" />
      <zeebe:ioMapping><zeebe:input source="=1" target="a" /></zeebe:ioMapping>
      <zeebe:ioMapping><zeebe:input source="=2" target="b" /></zeebe:ioMapping>
      <zeebe:jobPriorityDefinition priority="10" /><zeebe:jobPriorityDefinition priority="20" />
      <zeebe:properties><zeebe:property name="k" value="1" /></zeebe:properties>
      <zeebe:properties><zeebe:property name="k" value="2" /></zeebe:properties>
    </bpmn:extensionElements></bpmn:serviceTask>`));
    expect(about(result, 'X')).toEqual([
      'error: zeebe:taskDefinition is defined 2 times; Camunda 8 allows only one per element',
      'error: zeebe:ioMapping is defined 2 times; Camunda 8 allows only one per element',
      'error: zeebe:jobPriorityDefinition is defined 2 times; Camunda 8 allows only one per element',
    ]);
  });

  it('refuses a second zeebe:loopCharacteristics in a multi-instance marker, on the activity', async () => {
    const result = await compile(around(`<bpmn:serviceTask id="X" name="x">${JOB}
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=items" /><zeebe:loopCharacteristics inputCollection="=others" />
      </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`));
    expect(about(result, 'X')).toEqual(['error: zeebe:loopCharacteristics is defined 2 times in the multi-instance marker; Camunda 8 allows only one']);
  });

  it('refuses a second version tag on the process', async () => {
    const result = await compile(around(`<bpmn:task id="X" name="x" />`).replace('<bpmn:process id="p" isExecutable="true">',
      '<bpmn:process id="p" isExecutable="true"><bpmn:extensionElements><zeebe:versionTag value="1" /><zeebe:versionTag value="2" /></bpmn:extensionElements>'));
    expect(about(result, 'p')).toEqual(['error: zeebe:versionTag is defined 2 times; Camunda 8 allows only one per element']);
  });
});
