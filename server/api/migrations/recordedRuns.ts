/**
 * The stimuli an instance's workflow applied, read back from its Temporal event history (every
 * run, decrypted with the service's codec: compliance/engineHistory.ts) for the replay dry run
 * (processes/migration, decision 0053). This mirrors what the adapter (workflows/processInstance)
 * puts into its inbox:
 *
 * - the run's input: the model it ran, the start (variables, start event) or the carried state;
 *   which patches the run recorded decides the limits, SLA clocks and FEEL mode, as there;
 * - signals `correlateMessage` and `bpmnSignal` (de-duplicated by message and signal id);
 * - accepted updates that go through the inbox (`completeTask`, `completeJob`, `failJob` without
 *   retries left, `throwJobError`, `resolveIncident`, `setVariables`, `modifyInstance`);
 * - results of job activities (`job-<key>`: completed, BPMN error, failed) and of local job
 *   activities (markers whose result or failure names the job, decision 0061), fired timers (by
 *   their sequence in the run), ended call-activity children (`….call-<key>`), a cancel request.
 *
 * Time is the workflow's: the start of the workflow task that applied the stimulus. Within one
 * workflow task, signals and updates come before results of activities, timers and children,
 * as the SDK orders an activation's jobs; results of local jobs come last, in the order of their
 * markers, as they resolve within the task after its first activation.
 */
import type { EvaluatorLimits, State, Variables } from '../../../processes/evaluator';
import type { RecordedHistory, RecordedInput, RecordedRun, StimulusBody } from '../../../processes/migration';
import type { ProcessModel } from '../../../processes/model';
import type { EngineEvent, EngineHistory } from '../../compliance/engineHistory';
import { DEFAULT_EXECUTION_LIMITS } from '../../../workflows/processInstance/limits';
import type { ProcessInstanceInput } from '../../../workflows/processInstance/types';

type Attributes = Record<string, unknown>;
type Pending = { first: boolean; input: RecordedInput | { kind: 'body'; body: StimulusBody } };

const payload = (holder: unknown): Record<string, unknown> | undefined => {
  const list = (holder as { payloads?: unknown[] } | undefined)?.payloads;
  const value = Array.isArray(list) ? list[0] : undefined;
  return value !== null && typeof value === 'object' ? value as Record<string, unknown> : undefined;
};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const vars = (v: unknown): Variables | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Variables : undefined);

/** The stimulus of an accepted update, or null when the update does not go through the inbox. */
function updateStimulus(name: string | undefined, arg: Record<string, unknown>): StimulusBody | null {
  switch (name) {
    case 'completeTask':
      return { type: 'userTaskCompleted', key: String(arg.taskKey), variables: vars(arg.variables) ?? {} };
    case 'completeJob':
      return { type: 'jobCompleted', key: String(arg.jobKey), variables: vars(arg.variables) ?? {}, ...(arg.adHoc ? { adHoc: arg.adHoc as never } : {}) };
    case 'failJob':
      return typeof arg.retries === 'number' && arg.retries > 0 ? null
        : { type: 'jobFailed', key: String(arg.jobKey), message: str(arg.errorMessage) ?? 'the job failed with no retries left', retriesLeft: 0 };
    case 'throwJobError':
      return { type: 'jobThrewError', key: String(arg.jobKey), errorCode: String(arg.errorCode), ...(arg.errorMessage ? { message: String(arg.errorMessage) } : {}), variables: vars(arg.variables) ?? {} };
    case 'resolveIncident':
      return { type: 'resolveIncident', incidentId: String(arg.incidentId) };
    case 'setVariables':
      return { type: 'setVariables', variables: vars(arg.variables) ?? {} };
    case 'modifyInstance':
      return { type: 'modify', instructions: (arg.instructions ?? []) as never };
    default:
      return null;
  }
}

/** The stimulus of a job activity's failure: a BPMN error the integration raised, or a failure. */
function jobFailure(key: string, failure: Attributes | undefined): StimulusBody {
  const info = failure?.applicationFailureInfo as { type?: string; details?: unknown } | undefined;
  const message = str(failure?.message) ?? 'the job failed';
  if (info?.type === 'BpmnError') {
    const detail = payload(info.details) ?? {};
    return { type: 'jobThrewError', key, errorCode: str(detail.errorCode) ?? 'unknown', message: str(detail.message) ?? message, ...(vars(detail.variables) ? { variables: vars(detail.variables) } : {}) } as StimulusBody;
  }
  return { type: 'jobFailed', key, message, retriesLeft: 0 };
}

/**
 * The stimulus of a local job's marker (decision 0061): runJob puts the job key into its result
 * and as the last detail of its failure; null when neither names it.
 */
function localJobOutcome(marker: Attributes): StimulusBody | null {
  const details = (marker.details ?? {}) as Attributes;
  const result = payload(details.result);
  if (result) return typeof result.jobKey === 'string' ? { type: 'jobCompleted', key: result.jobKey, variables: vars(result.variables) ?? {} } : null;
  let failure = marker.failure as Attributes | undefined;
  while (failure && !failure.applicationFailureInfo && failure.cause) failure = failure.cause as Attributes;
  const list = ((failure?.applicationFailureInfo as { details?: { payloads?: unknown[] } } | undefined)?.details?.payloads ?? []);
  const last = list.at(-1) as { jobKey?: unknown } | undefined;
  return failure && typeof last?.jobKey === 'string' ? jobFailure(last.jobKey, failure) : null;
}

/** When a local activity completed, in the workflow's time (its marker's data). */
function completeTime(marker: Attributes): number | undefined {
  const at = (payload((marker.details as Attributes | undefined)?.data) as { complete_time?: { seconds?: number | string; nanos?: number } } | undefined)?.complete_time;
  return at?.seconds === undefined ? undefined : Number(at.seconds) * 1000 + Math.floor((at.nanos ?? 0) / 1e6);
}

function childKey(attributes: Attributes): string | undefined {
  const id = str((attributes.workflowExecution as { workflowId?: unknown } | undefined)?.workflowId);
  const at = id?.lastIndexOf('.call-') ?? -1;
  return id && at >= 0 ? id.slice(at + '.call-'.length) : undefined;
}

function withoutSla(model: ProcessModel): ProcessModel {
  const { sla: _sla, ...rest } = model;
  return rest;
}

/** One run's inputs, from its events (the run's first event is its WORKFLOW_EXECUTION_STARTED). */
function readRun(events: EngineEvent[], seen: { messages: Set<string>; signals: Set<string> }): { run: RecordedRun; unreadable: boolean } | null {
  const input = payload((events[0]?.attributes as Attributes | null)?.input) as unknown as ProcessInstanceInput | undefined;
  if (!input?.model) return null;
  const patches = new Set<string>();
  for (const e of events) {
    const marker = e.type === 'MARKER_RECORDED' ? e.attributes as Attributes | null : null;
    if (marker?.markerName !== 'core_patch') continue;
    // Core names the detail `patch-data`; whatever its name, its payload carries the patch id.
    for (const detail of Object.values((marker.details ?? {}) as Attributes)) {
      const id = payload(detail)?.id;
      if (typeof id === 'string') patches.add(id);
    }
  }
  const carried: State | null = input.carried?.state ?? null;
  const inputs: RecordedInput[] = [];
  const activities = new Map<string, string>();
  // What arrived since the last workflow task completed, and the stimuli of the last completed task.
  let inbound: Pending[] = [];
  let group: { time: number; stimuli: Pending[]; updates: StimulusBody[]; local: Array<{ body: StimulusBody; time: number | undefined }> } | null = null;
  let taskTime = 0;
  // A local activity whose job this reader cannot name (one timed out: its failure is the
  // worker's, without the job key runJob adds): the history is then not read entirely.
  let unreadable = false;
  const close = () => {
    if (!group) return;
    const { time, stimuli, updates } = group;
    const ordered = [
      ...stimuli.filter((p) => p.first), ...updates.map((body): Pending => ({ first: true, input: { kind: 'body', body } })), ...stimuli.filter((p) => !p.first),
    ];
    for (const p of ordered) inputs.push(p.input.kind === 'body' ? { kind: 'stimulus', time, body: p.input.body } : { ...p.input, time });
    // A local job's result moves the workflow's clock on to when it completed (its marker says).
    for (const l of group.local) inputs.push({ kind: 'stimulus', time: Math.max(time, l.time ?? time), body: l.body });
    group = null;
  };
  const add = (first: boolean, body: StimulusBody) => inbound.push({ first, input: { kind: 'body', body } });
  for (const e of events) {
    const a = (e.attributes ?? {}) as Attributes;
    switch (e.type) {
      case 'WORKFLOW_TASK_STARTED':
        taskTime = e.time ? Date.parse(e.time) : taskTime;
        break;
      case 'WORKFLOW_TASK_COMPLETED':
        close();
        // The first task of a first run applies the start before anything else.
        if (!carried && inputs.length === 0) inputs.push({ kind: 'stimulus', time: taskTime, body: { type: 'start', variables: input.variables ?? {}, ...(input.startEventId ? { startEventId: input.startEventId } : {}) } });
        group = { time: taskTime, stimuli: inbound, updates: [], local: [] };
        inbound = [];
        break;
      case 'WORKFLOW_EXECUTION_SIGNALED': {
        const arg = payload(a.input) ?? {};
        if (a.signalName === 'correlateMessage') {
          const id = str(arg.messageId);
          if (id && seen.messages.has(id)) break;
          if (id) seen.messages.add(id);
          add(true, { type: 'messageReceived', name: String(arg.name), ...(arg.correlationKey !== undefined ? { correlationKey: String(arg.correlationKey) } : {}), ...(vars(arg.variables) ? { variables: vars(arg.variables) } : {}), ...(id ? { messageId: id } : {}) });
        } else if (a.signalName === 'bpmnSignal') {
          const id = str(arg.signalId);
          if (id && seen.signals.has(id)) break;
          if (id) seen.signals.add(id);
          add(true, { type: 'signalReceived', name: String(arg.name), variables: vars(arg.variables) ?? {} });
        }
        break;
      }
      case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        // Applied in the workflow task that just completed (its event follows that task's completion).
        const request = (a.acceptedRequest as { input?: { name?: string; args?: unknown } } | undefined)?.input;
        const body = updateStimulus(request?.name, payload(request?.args) ?? {});
        if (body) group?.updates.push(body);
        break;
      }
      case 'WORKFLOW_EXECUTION_CANCEL_REQUESTED':
        add(true, { type: 'cancel' });
        break;
      case 'ACTIVITY_TASK_SCHEDULED':
        activities.set(e.id, String(a.activityId ?? ''));
        break;
      case 'ACTIVITY_TASK_COMPLETED':
      case 'ACTIVITY_TASK_FAILED':
      case 'ACTIVITY_TASK_TIMED_OUT': {
        const activityId = activities.get(String(a.scheduledEventId)) ?? '';
        if (!activityId.startsWith('job-')) break;
        const key = activityId.slice('job-'.length);
        if (e.type === 'ACTIVITY_TASK_COMPLETED') add(false, { type: 'jobCompleted', key, variables: vars(payload(a.result)?.variables) ?? {} });
        else add(false, jobFailure(key, a.failure as Attributes | undefined));
        break;
      }
      case 'MARKER_RECORDED': {
        // A local job's outcome, resolved within the workflow task that just completed (its
        // marker follows that task's completion), after that task's other stimuli.
        if (a.markerName !== 'core_local_activity') break;
        const body = localJobOutcome(a);
        if (body) group?.local.push({ body, time: completeTime(a) });
        else unreadable = true;
        break;
      }
      case 'TIMER_FIRED':
        inbound.push({ first: false, input: { kind: 'timerFired', time: 0, timerSeq: Number(a.timerId) } });
        break;
      case 'CHILD_WORKFLOW_EXECUTION_COMPLETED': {
        const key = childKey(a);
        if (key) add(false, { type: 'childCompleted', key, variables: vars(payload(a.result)?.variables) ?? {} });
        break;
      }
      case 'CHILD_WORKFLOW_EXECUTION_FAILED':
      case 'CHILD_WORKFLOW_EXECUTION_TIMED_OUT':
      case 'CHILD_WORKFLOW_EXECUTION_TERMINATED': {
        const key = childKey(a);
        const message = str((a.failure as Attributes | undefined)?.message) ?? (e.type === 'CHILD_WORKFLOW_EXECUTION_TERMINATED' ? 'Terminated' : 'the called process failed');
        if (key) add(false, { type: 'childFailed', key, message });
        break;
      }
      default:
        break;
    }
  }
  close();
  const bounded = patches.has('bounded-execution');
  const run: RecordedRun = {
    model: input.model.sla && !patches.has('sla-clocks') ? withoutSla(input.model) : input.model,
    version: input.definition.version,
    carried,
    limits: bounded ? (input.limits ?? DEFAULT_EXECUTION_LIMITS) as EvaluatorLimits : null,
    ...(!carried && !patches.has('feel-null-friendly') ? { feelStrict: true } : {}),
    inputs,
  };
  return { run, unreadable };
}

/** The recorded runs of an instance, oldest first. */
export function recordedHistory(history: EngineHistory): RecordedHistory {
  const runs: EngineEvent[][] = [];
  for (const e of history.events) {
    if (e.type === 'WORKFLOW_EXECUTION_STARTED') runs.push([e]);
    else runs.at(-1)?.push(e);
  }
  const seen = { messages: new Set<string>(), signals: new Set<string>() };
  const read = runs.map((events) => readRun(events, seen)).filter((r) => r !== null);
  const complete = !history.truncated && read.length > 0 && read[0]?.run.carried === null && read.length === runs.length && read.every((r) => !r.unreadable);
  return { runs: read.map((r) => r.run), complete };
}
