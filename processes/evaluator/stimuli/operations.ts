import { ownVariables } from '../json';
import { activate, complete } from '../lifecycle';
import type { Run } from '../run';
import type { Stimulus } from '../types';
import { mergeVariables, setLocalVariables } from '../variables';
import { ACCEPTED, rejected } from './outcome';
import type { Outcome } from './outcome';

type Of<T extends Stimulus['type']> = Extract<Stimulus, { type: T }>;

/** Retries the step that failed; if it fails again a new incident is raised. */
export function resolveIncident(run: Run, s: Of<'resolveIncident'>): Outcome {
  const incident = run.state.incidents[s.incidentId];
  if (!incident) return rejected(`no open incident '${s.incidentId}'`);
  const inst = run.state.instances[incident.elementInstanceKey];
  if (!inst) throw new Error(`incident ${incident.id} outlived its instance`);
  delete run.state.incidents[incident.id];
  inst.incidentId = null;
  run.commands.push({ type: 'incidentResolved', incidentId: incident.id });
  // A catch element without stored trigger variables must wait again, not fire.
  const trigger = incident.variables === null ? null : { variables: incident.variables };
  if (incident.resume === 'complete') complete(run, inst, incident.variables ?? {});
  else activate(run, inst.key, trigger, incident.resume);
  return ACCEPTED;
}

/** Operator edits: local to `scopeKey` when given, else into the process scope. */
export function setVariables(run: Run, s: Of<'setVariables'>): Outcome {
  const key = s.scopeKey ?? run.state.rootKey;
  const scope = key === null ? undefined : run.state.instances[key];
  if (!scope) return rejected(`no element instance '${String(key)}'`);
  if (s.scopeKey === undefined) mergeVariables(run, scope.key, ownVariables(s.variables));
  else setLocalVariables(scope, ownVariables(s.variables));
  return ACCEPTED;
}
