import type { ElementDef, ElementKind } from '../../model/types';
import type { Run, Trigger } from '../run';
import type { ElementInstance } from '../types';
import { catchEvent, passTrigger } from './events';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway, parallelGateway } from './gateways';
import { callActivity, subProcess } from './scopes';
import { passThrough, receiveTask, scriptTask, serviceTask } from './tasks';
import { throwing } from './throwEvents';
import { userTask } from './userTask';

type Handler<K extends ElementKind> = (
  run: Run,
  inst: ElementInstance,
  def: Extract<ElementDef, { kind: K }>,
  trigger: Trigger | null,
) => void;

/** The behaviour of each element kind once its inputs and boundary events are in place. */
const HANDLERS: { [K in ElementKind]: Handler<K> } = {
  startEvent: passTrigger,
  boundaryEvent: passTrigger,
  intermediateCatchEvent: catchEvent,
  intermediateThrowEvent: throwing,
  endEvent: throwing,
  serviceTask,
  scriptTask,
  userTask,
  receiveTask,
  manualTask: passThrough,
  task: passThrough,
  exclusiveGateway,
  inclusiveGateway,
  parallelGateway,
  eventBasedGateway,
  subProcess,
  eventSubProcess: subProcess,
  callActivity,
};

export function runHandler(run: Run, inst: ElementInstance, def: ElementDef, trigger: Trigger | null): void {
  const handler = HANDLERS[def.kind] as Handler<ElementKind> | undefined;
  if (!handler) throw new Error(`no evaluator behaviour for element kind '${def.kind}' ('${def.id}')`);
  handler(run, inst, def as never, trigger);
}
