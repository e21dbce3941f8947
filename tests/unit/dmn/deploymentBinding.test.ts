import { deploymentBindingProblems, pinDeploymentBindings } from '../../../server/api/decisions/beside';
import type { DecisionFile, DeployedDecision } from '../../../server/api/decisions/store';
import { parseDmn } from '../../../processes/dmn/parse';
import { around, compile } from '../compiler/helpers';
import { dmnDocument, literalDecision } from '../../support/dmnXml';

const task = (attrs: string) => `<bpmn:businessRuleTask id="X" name="x"><bpmn:extensionElements><zeebe:calledDecision ${attrs} /></bpmn:extensionElements></bpmn:businessRuleTask>`;

async function model(attrs: string) {
  const result = await compile(around(task(attrs)));
  return result.document!.processes[0]!;
}

async function file(): Promise<DecisionFile> {
  const parsed = await parseDmn(dmnDocument([literalDecision({ id: 'd', expression: '1' })]));
  if (!parsed.ok) throw new Error('fixture');
  return { graph: parsed.graph, hash: 'h', xml: '', resourceName: 'd.dmn' };
}

const deployed = (version: number): DeployedDecision[] => [{ created: true, record: { decisionId: 'd', version } as DeployedDecision['record'] }];

describe('bindingType="deployment"', () => {
  it('needs the decision in the deployment, naming the task', async () => {
    expect(deploymentBindingProblems([await model('decisionId="d" resultVariable="r" bindingType="deployment"')], [])).toEqual([
      expect.objectContaining({ elementId: 'X', message: expect.stringMatching(/the decision 'd' is not part of this deployment/) }),
    ]);
    expect(deploymentBindingProblems([await model('decisionId="d" resultVariable="r" bindingType="deployment"')], [await file()])).toEqual([]);
    expect(deploymentBindingProblems([await model('decisionId="d" resultVariable="r"')], [])).toEqual([]);
  });

  it('pins the deployed version into the job headers and re-hashes the model', async () => {
    const bound = await model('decisionId="d" resultVariable="r" bindingType="deployment"');
    const pinned = pinDeploymentBindings(bound, deployed(4));
    expect(pinned.elements.find((e) => e.id === 'X')).toMatchObject({
      calledDecision: { decisionVersion: 4 },
      job: { headers: expect.arrayContaining([{ key: 'decisionVersion', value: '4' }]) },
    });
    expect(pinned.hash).not.toBe(bound.hash);
    expect(pinDeploymentBindings(bound, deployed(4)).hash).toBe(pinned.hash);
    expect(pinDeploymentBindings(bound, deployed(5)).hash).not.toBe(pinned.hash);
  });

  it('leaves a model without deployment bindings as it is', async () => {
    const latest = await model('decisionId="d" resultVariable="r"');
    expect(pinDeploymentBindings(latest, deployed(4))).toBe(latest);
  });
});
