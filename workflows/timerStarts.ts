/**
 * Timer start events of one process key (decision 0031): one long-running workflow per key,
 * `timer-starts-<key>`, holds the timer start events of the latest deployed version and starts
 * an instance of that version at each due time. Deterministic: due times come from the
 * deployment time and processes/timers (ISO 8601 date, duration, repeating interval, cron), and
 * each instance's workflow id is derived from (key, version, start event, due time), so a due
 * time starts exactly one instance across worker restarts, replays and several processes.
 * A deployment signals the new version's timers (none: the workflow ends).
 */
import {
  condition,
  continueAsNew,
  defineSignal,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ProcessModel } from '../processes/model';
import { addDuration, nextDueAt, parseCycle, parseDateTime, parseDuration } from '../processes/timers';
import { workflowNow } from './clock';
import { processInstance } from './processInstance';
import { BPMN_PROCESS_ID, BPMN_PROCESS_VERSION } from './searchAttributes';

export interface TimerStartDef {
  startEventId: string;
  kind: 'date' | 'duration' | 'cycle';
  value: string;
}

/** Per start event: occurrences fired, and the time the next is counted from (rolls forward for cron). */
export interface TimerProgress {
  startEventId: string;
  occurrence: number;
  anchor: number;
}

export interface TimerStartsInput {
  key: string;
  version: number;
  model: ProcessModel;
  timers: TimerStartDef[];
  /** When the version was deployed (epoch ms): durations and cycles count from here. */
  anchor: number;
  /** Carried across continue-as-new. */
  progress?: TimerProgress[];
}

/** A newer version's timer start events (an empty list stops the workflow). */
export const replaceTimerStartsSignal = defineSignal<[TimerStartsInput]>('replaceTimerStarts');

const FIRINGS_PER_RUN = 200;

/** When occurrence `p.occurrence` of a timer start event is due, or null when it never is (again). */
export function timerStartDue(def: TimerStartDef, p: TimerProgress): number | null {
  if (def.kind === 'date') {
    const at = parseDateTime(def.value);
    return at.ok && p.occurrence === 0 ? at.value : null;
  }
  if (def.kind === 'duration') {
    const d = parseDuration(def.value);
    return d.ok && p.occurrence === 0 ? addDuration(p.anchor, d.value) : null;
  }
  const cycle = parseCycle(def.value);
  if (!cycle.ok) return null;
  return 'cron' in cycle.value ? nextDueAt(cycle.value, p.anchor, 0) : nextDueAt(cycle.value, p.anchor, p.occurrence);
}

/** A UUID-shaped id from text (four FNV-1a rounds): deterministic, no Node built-ins in the sandbox. */
export function idFromText(text: string): string {
  const words: string[] = [];
  for (const seed of [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]) {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i += 1) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    words.push(h.toString(16).padStart(8, '0'));
  }
  const hex = words.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export async function timerStarts(input: TimerStartsInput): Promise<void> {
  let current = input;
  let pending: TimerStartsInput | null = null;
  // Only a newer version replaces the timers (a repeated deployment of the same version changes nothing).
  setHandler(replaceTimerStartsSignal, (next) => {
    if (next.version > (pending ?? current).version) pending = next;
  });
  const fresh = (i: TimerStartsInput): TimerProgress[] => i.timers.map((t) => ({ startEventId: t.startEventId, occurrence: 0, anchor: i.anchor }));
  let progress = input.progress ?? fresh(input);
  let firings = 0;

  for (;;) {
    if (pending) {
      current = pending;
      pending = null;
      progress = fresh(current);
    }
    if (current.timers.length === 0) return;
    const dues = current.timers.map((t, i) => timerStartDue(t, progress[i]!));
    const known = dues.filter((d): d is number => d !== null);
    if (known.length === 0) {
      // Every timer has fired its last occurrence: wait for a newer version.
      await condition(() => pending !== null);
      continue;
    }
    const next = Math.min(...known);
    const now = workflowNow();
    if (next > now && (await condition(() => pending !== null, next - now))) continue;
    for (let i = 0; i < current.timers.length; i += 1) {
      const due = dues[i];
      if (due === null || due === undefined || due > workflowNow()) continue;
      const def = current.timers[i]!;
      await startInstance(current, def.startEventId, due);
      const p = progress[i]!;
      // Cron counts from the occurrence that fired; ISO 8601 cycles count occurrences from the deployment.
      progress[i] = isCron(def) ? { ...p, occurrence: p.occurrence + 1, anchor: due } : { ...p, occurrence: p.occurrence + 1 };
      firings += 1;
    }
    if (!pending && (firings >= FIRINGS_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof timerStarts>({ ...current, progress });
    }
  }
}

function isCron(def: TimerStartDef): boolean {
  if (def.kind !== 'cycle') return false;
  const cycle = parseCycle(def.value);
  return cycle.ok && 'cron' in cycle.value;
}

async function startInstance(def: TimerStartsInput, startEventId: string, due: number): Promise<void> {
  const workflowId = `pi-${idFromText(`${def.key}\u0000${def.version}\u0000${startEventId}\u0000${due}`)}`;
  try {
    await startChild(processInstance, {
      workflowId,
      args: [{ definition: { key: def.key, version: def.version }, model: def.model, startEventId, variables: {} }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: BPMN_PROCESS_ID, value: def.key },
        { key: BPMN_PROCESS_VERSION, value: def.version },
      ],
    });
  } catch (err) {
    // Already started for this due time (a run before a restart got that far): exactly once.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
