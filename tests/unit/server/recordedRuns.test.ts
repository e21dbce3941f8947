/**
 * Reading an engine history back into the stimuli the workflow's inbox applied (decision 0053):
 * the time of each is its workflow task's; signals and updates before results within a task;
 * duplicate messages, retried external-job failures and support activities are not stimuli.
 */
import { recordedHistory } from '../../../server/api/migrations/recordedRuns';
import type { EngineEvent } from '../../../server/compliance/engineHistory';

const T = Date.UTC(2026, 5, 1, 8);
const at = (s: number) => new Date(T + s * 1000).toISOString();
let id = 0;
const ev = (type: string, time: number, attributes: unknown = {}): EngineEvent => ({ id: String(++id), time: at(time), type, attributes });
const task = (time: number) => [ev('WORKFLOW_TASK_SCHEDULED', time), ev('WORKFLOW_TASK_STARTED', time), ev('WORKFLOW_TASK_COMPLETED', time)];
const model = { schemaVersion: 1, id: 'p', hash: 'h', elements: [], flows: [] };

describe('recorded stimuli from an engine history', () => {
  it('orders and times what the inbox applied, and leaves out what never reached it', () => {
    // given a run: start; a timer and a message arrive together; a task completion by update; duplicates and non-stimuli
    const job = ev('ACTIVITY_TASK_SCHEDULED', 0, { activityId: 'job-4' });
    const support = ev('ACTIVITY_TASK_SCHEDULED', 0, { activityId: '7' });
    const events = [
      ev('WORKFLOW_EXECUTION_STARTED', 0, { input: { payloads: [{ definition: { key: 'p', version: 1 }, model, variables: { a: 1 } }] } }),
      ...task(0),
      ev('MARKER_RECORDED', 0, { markerName: 'core_patch', details: { 'patch-data': { payloads: [{ id: 'bounded-execution', deprecated: false }] } } }),
      ev('TIMER_STARTED', 0, { timerId: '1' }),
      job,
      support,
      ev('TIMER_FIRED', 5, { timerId: '1' }),
      ev('WORKFLOW_EXECUTION_SIGNALED', 5, { signalName: 'correlateMessage', input: { payloads: [{ name: 'paid', correlationKey: 'o-1', variables: { amount: 3 }, messageId: 'm-1' }] } }),
      ev('WORKFLOW_EXECUTION_SIGNALED', 5, { signalName: 'correlateMessage', input: { payloads: [{ name: 'paid', correlationKey: 'o-1', messageId: 'm-1' }] } }),
      ev('ACTIVITY_TASK_COMPLETED', 5, { scheduledEventId: support.id, result: { payloads: [{ resolved: true }] } }),
      ...task(6),
      ev('WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 6, { acceptedRequest: { input: { name: 'completeTask', args: { payloads: [{ taskKey: '9', variables: { ok: true } }] } } } }),
      ev('ACTIVITY_TASK_COMPLETED', 8, { scheduledEventId: job.id, result: { payloads: [{ variables: { fee: 2 } }] } }),
      ev('WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 6, { acceptedRequest: { input: { name: 'failJob', args: { payloads: [{ jobKey: '11', retries: 2 }] } } } }),
      ev('WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 6, { acceptedRequest: { input: { name: 'claimTask', args: { payloads: [{ taskKey: '9', assignee: 'u' }] } } } }),
      ...task(9),
      ev('ACTIVITY_TASK_FAILED', 12, { scheduledEventId: job.id, failure: { message: 'no', applicationFailureInfo: { type: 'BpmnError', details: { payloads: [{ errorCode: 'E1', variables: { why: 'x' } }] } } } }),
      ...task(13),
      // (after the last workflow task: not applied yet)
      ev('TIMER_FIRED', 20, { timerId: '2' }),
    ];

    // when
    const history = recordedHistory({ instanceId: 'pi-1', decrypted: true, runs: 1, events, truncated: false });

    // then
    expect(history.complete).toBe(true);
    const [run] = history.runs;
    expect(run).toMatchObject({ version: 1, carried: null, feelStrict: true });
    expect(run?.limits).not.toBeNull();
    expect(run?.inputs).toEqual([
      { kind: 'stimulus', time: T, body: { type: 'start', variables: { a: 1 } } },
      // the second workflow task: the message (signal) before the timer; the support activity '7' is no stimulus
      { kind: 'stimulus', time: T + 6000, body: { type: 'messageReceived', name: 'paid', correlationKey: 'o-1', variables: { amount: 3 }, messageId: 'm-1' } },
      // the update accepted after it completed was applied in it: after the signals, before the results
      { kind: 'stimulus', time: T + 6000, body: { type: 'userTaskCompleted', key: '9', variables: { ok: true } } },
      { kind: 'timerFired', time: T + 6000, timerSeq: 1 },
      // the third task: the job's result (the retried failure and the claim are not stimuli)
      { kind: 'stimulus', time: T + 9000, body: { type: 'jobCompleted', key: '4', variables: { fee: 2 } } },
      // a BPMN error the integration raised
      { kind: 'stimulus', time: T + 13000, body: { type: 'jobThrewError', key: '4', errorCode: 'E1', message: 'no', variables: { why: 'x' } } },
    ]);
  });

  it('reads local jobs from their markers: the job key from the result or the failure, the time from their completion, after the task\'s own stimuli', () => {
    // given a run whose local jobs resolved within workflow tasks (decision 0061)
    const marker = (completedAt: number, outcome: Record<string, unknown>) => ev('MARKER_RECORDED', completedAt, {
      markerName: 'core_local_activity',
      details: { data: { payloads: [{ seq: 1, attempt: 1, activity_id: '1', activity_type: 'runJob', complete_time: { seconds: (T + completedAt * 1000) / 1000, nanos: 250_000_000 } }] }, ...outcome },
    });
    const events = [
      ev('WORKFLOW_EXECUTION_STARTED', 0, { input: { payloads: [{ definition: { key: 'p', version: 1 }, model, variables: {} }] } }),
      ...task(0),
      marker(1, { result: { payloads: [{ variables: { category: 'billing' }, jobKey: '5' }] } }),
      ...task(4),
      ev('WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 4, { acceptedRequest: { input: { name: 'completeTask', args: { payloads: [{ taskKey: '9', variables: {} }] } } } }),
      ev('MARKER_RECORDED', 4, { markerName: 'core_patch', details: { 'patch-data': { payloads: [{ id: 'local-store-jobs', deprecated: false }] } } }),
      ev('MARKER_RECORDED', 4, { markerName: 'core_local_activity', details: { result: { payloads: [{ variables: {}, jobKey: '6' }] } } }),
      marker(5, { }),
    ];
    (events.at(-1)!.attributes as { failure?: unknown }).failure = {
      message: 'not in stock', cause: { message: 'not in stock', applicationFailureInfo: { type: 'BpmnError', details: { payloads: [{ errorCode: 'STOCK' }, { jobKey: '7' }] } } },
    };

    // when
    const history = recordedHistory({ instanceId: 'pi-2', decrypted: true, runs: 1, events, truncated: false });

    // then each job is named by its key and applied when it completed (a marker without data: the task's time)
    expect(history.complete).toBe(true);
    expect(history.runs[0]?.inputs).toEqual([
      { kind: 'stimulus', time: T, body: { type: 'start', variables: {} } },
      { kind: 'stimulus', time: T + 1250, body: { type: 'jobCompleted', key: '5', variables: { category: 'billing' } } },
      { kind: 'stimulus', time: T + 4000, body: { type: 'userTaskCompleted', key: '9', variables: {} } },
      { kind: 'stimulus', time: T + 4000, body: { type: 'jobCompleted', key: '6', variables: {} } },
      { kind: 'stimulus', time: T + 5250, body: { type: 'jobThrewError', key: '7', errorCode: 'STOCK', message: 'not in stock' } },
    ]);

    // and a local activity whose job no marker names (a timeout: the worker's failure) makes the history incomplete
    const timedOut = ev('MARKER_RECORDED', 6, { markerName: 'core_local_activity', details: {}, failure: { message: 'timed out', timeoutFailureInfo: { timeoutType: 'START_TO_CLOSE' } } });
    expect(recordedHistory({ instanceId: 'pi-2', decrypted: true, runs: 1, events: [...events, ...task(6), timedOut], truncated: false }).complete).toBe(false);
  });
});
