import endEventRequired from 'bpmnlint/rules/end-event-required';
import fakeJoin from 'bpmnlint/rules/fake-join';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination';
import conditionAfterGateway from './rules/condition-after-gateway';
import defaultFlowWithoutCondition from './rules/default-flow-without-condition';
import gatewayFlowConditions from './rules/gateway-flow-conditions';
import gatewayFlowLabel from './rules/gateway-flow-label';
import slaPolicyComplete from './rules/sla-policy-complete';
import taskLabelRequired from './rules/task-label-required';
import externalJobType from './rules/external-job-type';

/**
 * Every rule the config may name, keyed `<package>/<rule>` as bpmnlint resolves them. An
 * explicit table (no directory scan, no package lookup) so a bundler can include exactly
 * these modules for the browser modeler too.
 */
const RULES: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['bpmnlint-plugin-complaint/gateway-flow-conditions', gatewayFlowConditions],
  ['bpmnlint-plugin-complaint/default-flow-without-condition', defaultFlowWithoutCondition],
  ['bpmnlint-plugin-complaint/condition-after-gateway', conditionAfterGateway],
  ['bpmnlint-plugin-complaint/gateway-flow-label', gatewayFlowLabel],
  ['bpmnlint-plugin-complaint/task-label-required', taskLabelRequired],
  ['bpmnlint-plugin-complaint/sla-policy-complete', slaPolicyComplete],
  ['bpmnlint-plugin-complaint/external-job-type', externalJobType],
  ['bpmnlint/end-event-required', endEventRequired],
  ['bpmnlint/fake-join', fakeJoin],
  ['bpmnlint/no-duplicate-sequence-flows', noDuplicateSequenceFlows],
  ['bpmnlint/no-gateway-join-fork', noGatewayJoinFork],
  ['bpmnlint/no-implicit-end', noImplicitEnd],
  ['bpmnlint/no-implicit-split', noImplicitSplit],
  ['bpmnlint/superfluous-gateway', superfluousGateway],
  ['bpmnlint/superfluous-termination', superfluousTermination],
]);

export const resolver = {
  resolveRule(pkg: string, ruleName: string): unknown {
    return RULES.get(`${pkg}/${ruleName}`) ?? null;
  },
  resolveConfig(): unknown {
    return null;
  },
};
