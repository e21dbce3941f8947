import { indexModel } from '../../../processes/model';
import { CALLED_DECISION_TASK_TYPE } from '../../../processes/dmn/calledDecision';
import { about, around, compile, warnings } from '../compiler/helpers';

const task = (attrs: string) => `<bpmn:businessRuleTask id="X" name="x"><bpmn:extensionElements><zeebe:calledDecision ${attrs} /></bpmn:extensionElements></bpmn:businessRuleTask>`;

async function element(attrs: string) {
  const result = await compile(around(task(attrs)));
  if (!result.ok || !result.document) throw new Error(JSON.stringify(result.problems));
  return indexModel(result.document.processes[0]!).element('X');
}

describe('business rule task with zeebe:calledDecision', () => {
  it('compiles to a job of the reserved type whose headers name the decision (latest binding by default)', async () => {
    expect(await element('decisionId="route" resultVariable="queue"')).toMatchObject({
      kind: 'serviceTask',
      bpmnType: 'bpmn:BusinessRuleTask',
      calledDecision: { decisionId: { static: 'route' }, resultVariable: 'queue', bindingType: 'latest' },
      job: {
        type: CALLED_DECISION_TASK_TYPE,
        headers: [{ key: 'decisionId', value: 'route' }, { key: 'resultVariable', value: 'queue' }, { key: 'bindingType', value: 'latest' }],
      },
    });
  });

  it('keeps a FEEL decision id and a version tag binding', async () => {
    const def = await element('decisionId="=&quot;route_&quot; + region" resultVariable="queue" bindingType="versionTag" versionTag="v2"');
    expect(def).toMatchObject({ calledDecision: { decisionId: { feel: '"route_" + region' }, bindingType: 'versionTag', versionTag: 'v2' } });
    expect(def).not.toHaveProperty('job.worker');
  });

  it('gives no external-job warning (it is no job worker type)', async () => {
    const result = await compile(around(task('decisionId="route" resultVariable="queue"')));
    expect(warnings(result).filter((w) => w.elementId === 'X')).toEqual([]);
  });

  it.each([
    ['resultVariable="r"', /needs a decisionId/],
    ['decisionId="d"', /needs a resultVariable/],
    ['decisionId="d" resultVariable="r" bindingType="version"', /bindingType must be one of latest, deployment, versionTag, not 'version'/],
    ['decisionId="d" resultVariable="r" bindingType="versionTag"', /needs a versionTag/],
    ['decisionId="=1 +" resultVariable="r"', /decisionId is not valid FEEL/],
  ])('refuses %s, naming the task', async (attrs, message) => {
    const result = await compile(around(task(attrs)));
    expect(about(result, 'X')).toEqual([expect.stringMatching(message)]);
  });

  it('a business rule task with zeebe:taskDefinition stays a job worker task', async () => {
    const result = await compile(around('<bpmn:businessRuleTask id="X" name="x"><bpmn:extensionElements><zeebe:taskDefinition type="variables.set" /></bpmn:extensionElements></bpmn:businessRuleTask>'));
    const def = indexModel(result.document!.processes[0]!).element('X');
    expect(def).toMatchObject({ kind: 'serviceTask', job: { type: 'variables.set' } });
    expect(def).not.toHaveProperty('calledDecision');
  });
});
