import type { ElementDef, StartEventDef, SubProcessDef } from '../model/types';
import type { Run } from './run';
import type { ElementInstance } from './types';

/** The element of an instance, or null for the process instance. */
export function elementOf(run: Run, inst: ElementInstance): ElementDef | null {
  return inst.role === 'process' ? null : run.index.element(inst.elementId);
}

/** Instances that hold tokens of their own and event subprocesses: process and (event) subprocesses. */
export function isScopeInstance(run: Run, inst: ElementInstance): boolean {
  if (inst.role === 'process') return true;
  if (inst.role === 'body') return false;
  const kind = run.index.element(inst.elementId).kind;
  return kind === 'subProcess' || kind === 'eventSubProcess';
}

/** The model scope id whose children run inside this instance (null = process level). */
export function scopeElementId(inst: ElementInstance): string | null {
  return inst.role === 'process' ? null : inst.elementId;
}

/** Event subprocesses directly inside a scope, each with its (single) start event. */
export function eventSubprocessesOf(
  run: Run,
  scopeId: string | null,
): Array<{ esp: SubProcessDef; start: StartEventDef }> {
  const out: Array<{ esp: SubProcessDef; start: StartEventDef }> = [];
  for (const child of run.index.children(scopeId)) {
    if (child.kind !== 'eventSubProcess') continue;
    const start = run.index.children(child.id).find((e): e is StartEventDef => e.kind === 'startEvent');
    if (start) out.push({ esp: child, start });
  }
  return out;
}
