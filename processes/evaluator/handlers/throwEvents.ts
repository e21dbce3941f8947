import type { EndEventDef, IntermediateCatchEventDef, IntermediateThrowEventDef } from '../../model/types';
import { throwCompensation } from '../compensation';
import { raiseIncident } from '../incidents';
import { enterElement } from '../instances';
import { activateJob } from '../jobs';
import { childrenOf } from '../instances';
import type { Run } from '../run';
import { throwEvent } from '../throw';
import { throwSignal } from '../signals';
import type { ElementInstance } from '../types';

type ThrowingDef = EndEventDef | IntermediateThrowEventDef;

/** End events and intermediate throw events, by what they throw. */
export function throwing(run: Run, inst: ElementInstance, def: ThrowingDef): void {
  const result = def.result;
  switch (result.type) {
    case 'none':
      run.dispatch.complete(run, inst, {});
      return;
    case 'message':
      // Camunda 8 sends messages through a job, like a send task.
      if (result.job) activateJob(run, inst, result.job);
      else run.dispatch.complete(run, inst, {});
      return;
    case 'terminate':
      terminateScope(run, inst);
      return;
    case 'error':
      if (!throwEvent(run, inst, 'error', result.errorCode, { variables: {} })) {
        const message = `no catch for error '${result.errorCode}'${result.errorMessage ? `: ${result.errorMessage}` : ''}`;
        raiseIncident(run, inst, 'UNHANDLED_ERROR_EVENT', message, 'behaviour');
      }
      return;
    case 'escalation':
      throwEvent(run, inst, 'escalation', result.escalationCode, { variables: {} });
      // Unless an interrupting catch ended the thrower's scope, the thrower goes on.
      if (run.state.instances[inst.key]) run.dispatch.complete(run, inst, {});
      return;
    case 'signal':
      throwSignal(run, inst, def.id, result.signalName);
      return;
    case 'link':
      enterElement(run, parentOf(inst), linkTarget(run, def, result.linkName), { variables: {} });
      run.dispatch.complete(run, inst, {}, []);
      return;
    case 'compensation':
      throwCompensation(run, inst, result.activityRef);
      return;
  }
}

/** Terminate end: every other token in the scope ends, then the scope completes normally. */
function terminateScope(run: Run, inst: ElementInstance): void {
  const scopeKey = parentOf(inst);
  for (const sibling of childrenOf(run, scopeKey)) if (sibling.key !== inst.key) run.dispatch.terminate(run, sibling);
  run.state.joins = run.state.joins.filter((j) => j.scopeKey !== scopeKey);
  run.dispatch.complete(run, inst, {});
}

function parentOf(inst: ElementInstance): string {
  if (inst.parentKey === null) throw new Error('flow node outside a scope');
  return inst.parentKey;
}

function linkTarget(run: Run, def: ThrowingDef, name: string): IntermediateCatchEventDef {
  const target = run.index
    .children(def.parentId)
    .find((e): e is IntermediateCatchEventDef => e.kind === 'intermediateCatchEvent' && e.trigger.type === 'link' && e.trigger.linkName === name);
  if (!target) throw new Error(`link '${name}' thrown by '${def.id}' has no catch event in its scope`);
  return target;
}
