import type { ElementDef } from '../../model/types';
import type { CompileContext, ElementCommon } from '../context';
import type { MFlowNode } from '../moddleTypes';
import { boundaryEvent, endEvent, intermediateCatchEvent, intermediateThrowEvent, startEvent } from './events';
import { adHocSubProcess } from './adHoc';
import { callActivity, gateway, subProcess } from './containers';
import { manualTask, plainTask, receiveTask, scriptTask, serviceTask, userTask } from './tasks';

export type Translator = (node: MFlowNode, common: ElementCommon, ctx: CompileContext) => ElementDef | undefined;

/** One translator per supported BPMN type, matched on the exact type (no subtyping). */
export const TRANSLATORS: ReadonlyMap<string, Translator> = new Map<string, Translator>([
  ['bpmn:StartEvent', startEvent],
  ['bpmn:EndEvent', endEvent],
  ['bpmn:IntermediateCatchEvent', intermediateCatchEvent],
  ['bpmn:IntermediateThrowEvent', intermediateThrowEvent],
  ['bpmn:BoundaryEvent', boundaryEvent],
  ['bpmn:ServiceTask', serviceTask],
  ['bpmn:SendTask', serviceTask],
  ['bpmn:BusinessRuleTask', serviceTask],
  ['bpmn:ScriptTask', scriptTask],
  ['bpmn:UserTask', userTask],
  ['bpmn:ReceiveTask', receiveTask],
  ['bpmn:ManualTask', manualTask],
  ['bpmn:Task', plainTask],
  ['bpmn:ExclusiveGateway', gateway],
  ['bpmn:InclusiveGateway', gateway],
  ['bpmn:ParallelGateway', gateway],
  ['bpmn:EventBasedGateway', gateway],
  ['bpmn:SubProcess', subProcess],
  ['bpmn:AdHocSubProcess', adHocSubProcess],
  ['bpmn:CallActivity', callActivity],
]);

/** Flow elements that carry no execution semantics here and are skipped without a word. */
export const IGNORED: ReadonlySet<string> = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

/** Why a known BPMN type is refused; any other unknown type is refused generically. */
export const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['bpmn:Transaction', 'transactions (with cancel and compensation semantics) are not supported'],
  ['bpmn:ComplexGateway', 'complex gateways are not supported; use exclusive, inclusive or parallel gateways'],
  ['bpmn:ImplicitThrowEvent', 'implicit throw events are not supported'],
  ['bpmn:ChoreographyTask', 'choreographies are not executable'],
  ['bpmn:SubChoreography', 'choreographies are not executable'],
  ['bpmn:CallChoreography', 'choreographies are not executable'],
]);
