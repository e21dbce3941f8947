import type { ProcessModel } from '../model/types';
import { MODEL_SCHEMA_VERSION } from '../model/types';
import { compileSla } from '../sla/compile';
import { assemble } from './assemble';
import { linkCompensation } from './compensation';
import type { CompileContext } from './context';
import { sha256Hex } from './hash';
import type { MProcess } from './moddleTypes';
import { checkUserTaskForms } from './forms';
import { checkConnections } from './validate/connections';
import { checkLinks } from './validate/links';
import { checkStraightThroughLoops } from './validate/loops';
import { checkAdHocScopes } from './validate/adHoc';
import { checkReachability } from './validate/reachability';
import { checkStartEvents } from './validate/scopes';
import { walkProcess } from './walk';
import { errorAt } from './context';
import { zeebeExt } from './zeebe';

/** Translates and validates one bpmn:Process; problems go to `ctx`. */
export function compileProcess(process: MProcess, fallbackName: string | undefined, ctx: CompileContext): ProcessModel {
  const id = process.id ?? '';
  refuseProcessListeners(process, ctx);
  const walk = walkProcess(process.flowElements ?? [], ctx);
  assemble(walk, ctx);
  linkCompensation(process, walk, ctx);
  const { elements, flows } = walk;
  checkStartEvents(id, elements, walk.seen, ctx);
  checkAdHocScopes(elements, walk.seen, ctx);
  checkConnections(elements, flows, ctx);
  checkLinks(elements, ctx);
  checkReachability(elements, flows, walk.seen, ctx);
  checkStraightThroughLoops(elements, flows, ctx);
  checkUserTaskForms(process, elements, ctx);
  const sla = compileSla({
    process,
    elements,
    calendars: ctx.calendars,
    taskTypes: ctx.taskTypes,
    error: (elementId, elementType, message) => ctx.problems.error(elementId, elementType, message),
  });
  const name = process.name ?? fallbackName;
  const unhashed = {
    schemaVersion: MODEL_SCHEMA_VERSION,
    id,
    ...(name ? { name } : {}),
    elements,
    flows,
    ...(sla ? { sla } : {}),
  };
  return { ...unhashed, hash: sha256Hex(unhashed) };
}

/**
 * Listeners of the process itself would run around the whole instance (before its start
 * event, after its last token); the evaluator runs listeners of flow nodes only, so a diagram
 * with them is refused rather than run without them (decision 0055).
 */
function refuseProcessListeners(process: MProcess, ctx: CompileContext): void {
  const listeners = zeebeExt(process, 'zeebe:ExecutionListeners')?.listeners;
  if (Array.isArray(listeners) && listeners.length > 0) {
    errorAt(ctx, process, 'execution listeners of the process are not supported; put start listeners on the element after the start event and end listeners on the end events');
  }
}
