import type { EventTrigger, ProcessModel } from '../model/types';

/**
 * Process-level start events and their triggers, for whoever creates instances: a timer
 * start is scheduled by the adapter's scheduler, a message start by the message API.
 */
export function startEvents(model: ProcessModel): Array<{ id: string; trigger: EventTrigger }> {
  return model.elements
    .filter((e) => e.kind === 'startEvent' && e.parentId === null)
    .map((e) => ({ id: e.id, trigger: e.kind === 'startEvent' ? e.trigger : { type: 'none' } }));
}
