import type { UserTaskDef, ValueOrExpression } from '../../model/types';
import { formatDateTime, parseDateTime } from '../../timers';
import { evalAt } from '../feelEval';
import type { Evaluated } from '../feelEval';
import { raiseIncident } from '../incidents';
import { nextKey } from '../run';
import type { Run } from '../run';
import type { ElementInstance, UserTaskInfo } from '../types';
import { visibleVariables } from '../variables';

type Kind = 'string' | 'list' | 'date' | 'priority';

/** Reads an assignment attribute; a wrong type is an incident, an unset one is null. */
function read(run: Run, key: string, value: ValueOrExpression | undefined, kind: Kind, what: string): Evaluated<unknown> {
  if (value === undefined) return { ok: true, value: null };
  let raw: unknown;
  if ('static' in value) {
    raw = value.static;
  } else {
    const r = evalAt(run, key, value.feel);
    if (!r.ok) return r;
    raw = r.value;
  }
  if (kind === 'list') {
    // Static lists are comma separated (`sales, support`); FEEL gives a list of strings.
    const list = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter((s) => s !== '') : raw;
    if (Array.isArray(list) && list.every((s) => typeof s === 'string')) return { ok: true, value: list };
    return { ok: false, error: `${what} must be a list of strings` };
  }
  if (kind === 'priority') {
    // Static ones were checked at deploy; FEEL must give a whole number from 0 to 100 (a string of digits too, as a static one).
    const value = typeof raw === 'string' && /^\d{1,3}$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100) return { ok: true, value };
    return { ok: false, error: `${what} must be a whole number from 0 to 100, not ${JSON.stringify(raw)}` };
  }
  if (kind === 'date') {
    const text = raw !== null && typeof raw === 'object' && raw.constructor?.name === 'FeelDateTime' ? String(raw) : raw;
    const at = typeof text === 'string' ? parseDateTime(text) : null;
    if (at?.ok) return { ok: true, value: formatDateTime(at.value) };
    return { ok: false, error: `${what} must be a date-time with a zone offset${at && !at.ok ? `: ${at.error}` : ''}` };
  }
  if (typeof raw === 'string' && raw !== '') return { ok: true, value: raw };
  return { ok: false, error: `${what} must be a non-empty string` };
}

export function userTask(run: Run, inst: ElementInstance, def: UserTaskDef): void {
  const fields: Array<[keyof UserTaskInfo, ValueOrExpression | undefined, Kind]> = [
    ['assignee', def.assignee, 'string'],
    ['candidateGroups', def.candidateGroups, 'list'],
    ['candidateUsers', def.candidateUsers, 'list'],
    ['dueDate', def.dueDate, 'date'],
    ['followUpDate', def.followUpDate, 'date'],
    ['priority', def.priority, 'priority'],
  ];
  const task: UserTaskInfo = {
    name: def.name ?? null,
    assignee: null,
    candidateGroups: [],
    candidateUsers: [],
    dueDate: null,
    followUpDate: null,
    formKey: def.formKey ?? null,
  };
  for (const [field, value, kind] of fields) {
    const r = read(run, inst.key, value, kind, field);
    if (!r.ok) {
      raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', r.error, 'behaviour');
      return;
    }
    if (r.value !== null) (task as unknown as Record<string, unknown>)[field] = r.value;
  }
  const key = nextKey(run);
  run.state.waits[key] = { type: 'userTask', key, ownerKey: inst.key, elementId: def.id, task };
  run.commands.push({
    type: 'openUserTask',
    key,
    elementId: def.id,
    elementInstanceKey: inst.key,
    ...task,
    variables: visibleVariables(run, inst.key),
  });
}
