/**
 * Decisions deployed beside a diagram (multipart POST /api/definitions): the checks of the
 * business rule tasks that bind to them, and the pinning of `bindingType="deployment"`.
 * Camunda refuses a deployment whose deployment-bound decision is not part of it; the version
 * deployed with the process is written into the task's job headers (and the model re-hashed),
 * so the process version carries it to every instance (decision 0036).
 */
import type { Problem } from '../../../processes/compiler';
import { sha256Hex } from '../../../processes/compiler/hash';
import { decisionHeaders } from '../../../processes/compiler/translate/calledDecision';
import type { ProcessModel } from '../../../processes/model/types';
import type { DecisionFile, DeployedDecision } from './store';

/** Business rule tasks bound to `deployment` whose decision is not in this deployment. */
export function deploymentBindingProblems(processes: readonly ProcessModel[], files: readonly DecisionFile[]): Problem[] {
  const given = new Set(files.flatMap((f) => f.graph.decisions.map((d) => d.id)));
  const problems: Problem[] = [];
  for (const model of processes) {
    for (const element of model.elements) {
      if (element.kind !== 'serviceTask' || element.calledDecision?.bindingType !== 'deployment') continue;
      const id = element.calledDecision.decisionId;
      if (!('static' in id)) {
        problems.push({ elementId: element.id, elementType: element.bpmnType, severity: 'error', message: 'zeebe:calledDecision bindingType="deployment" needs a static decisionId (the decision is looked up at deploy time)' });
      } else if (!given.has(id.static)) {
        problems.push({ elementId: element.id, elementType: element.bpmnType, severity: 'error', message: `zeebe:calledDecision bindingType="deployment": the decision '${id.static}' is not part of this deployment; deploy its .dmn file with the diagram (multipart/form-data)` });
      }
    }
  }
  return problems;
}

/** The model with the versions of its deployment-bound decisions pinned, re-hashed; the same model when it has none. */
export function pinDeploymentBindings(model: ProcessModel, deployed: readonly DeployedDecision[]): ProcessModel {
  const versionOf = new Map(deployed.map((d) => [d.record.decisionId, d.record.version]));
  let changed = false;
  const elements = model.elements.map((element) => {
    if (element.kind !== 'serviceTask' || element.calledDecision?.bindingType !== 'deployment') return element;
    const id = element.calledDecision.decisionId;
    const version = 'static' in id ? versionOf.get(id.static) : undefined;
    if (version === undefined) return element;
    changed = true;
    const calledDecision = { ...element.calledDecision, decisionVersion: version };
    return { ...element, calledDecision, job: { ...element.job, headers: decisionHeaders(calledDecision) } };
  });
  if (!changed) return model;
  const { hash: _old, ...rest } = model;
  const unhashed = { ...rest, elements };
  return { ...unhashed, hash: sha256Hex(unhashed) };
}
