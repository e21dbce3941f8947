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
import { refuseDuplicatedExtensions } from './translate/common';
import { executionListenersOf } from './translate/listeners';

/** Translates and validates one bpmn:Process; problems go to `ctx`. */
export function compileProcess(process: MProcess, fallbackName: string | undefined, ctx: CompileContext): ProcessModel {
  const id = process.id ?? '';
  refuseDuplicatedExtensions(process, ctx);
  const executionListeners = executionListenersOf(process, ctx);
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
    ...(executionListeners ? { executionListeners } : {}),
  };
  return { ...unhashed, hash: sha256Hex(unhashed) };
}

