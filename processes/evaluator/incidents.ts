import { nextKey } from './run';
import type { Run } from './run';
import type { ElementInstance, Incident, IncidentType, ResumeStage, Variables } from './types';

/**
 * Stops the token at `inst`: the instance stays (so its scope cannot complete) and
 * waits for `resolveIncident`, which resumes at `resume`.
 */
export function raiseIncident(
  run: Run,
  inst: ElementInstance,
  type: IncidentType,
  message: string,
  resume: ResumeStage,
  variables: Variables | null = null,
): void {
  const incident: Incident = {
    id: nextKey(run),
    type,
    message,
    elementId: inst.elementId,
    elementInstanceKey: inst.key,
    createdAt: run.time,
    resume,
    variables,
  };
  run.state.incidents[incident.id] = incident;
  inst.incidentId = incident.id;
  run.commands.push({ type: 'raiseIncident', incident });
}

/** Drops the incident of an instance that is terminated: nothing is left to resolve. */
export function dropIncident(run: Run, inst: ElementInstance): void {
  if (inst.incidentId === null) return;
  delete run.state.incidents[inst.incidentId];
  run.commands.push({ type: 'incidentResolved', incidentId: inst.incidentId });
  inst.incidentId = null;
}
