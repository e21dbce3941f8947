/**
 * Hands a deployed version's timer start events to its key's `timerStarts` workflow
 * (workflows/timerStarts.ts, decision 0031): started with the first version that has any,
 * replaced by each newer version, ended by a newer version without them. Signal-with-start on
 * a fixed workflow id, so any API process may deploy and there is one scheduler per key.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ProcessModel } from '../../processes/model/types';
import { replaceTimerStartsSignal, type TimerStartsInput } from '../../workflows/timerStarts';
import type { TimerStart } from './registry';

export const timerStartsWorkflowId = (key: string) => `timer-starts-${key}`;

export async function scheduleTimerStarts(
  temporal: Client,
  taskQueue: string,
  version: { key: string; version: number; model: ProcessModel; deployedAt: Date },
  timers: TimerStart[],
): Promise<void> {
  const input: TimerStartsInput = {
    key: version.key,
    version: version.version,
    model: version.model,
    timers: timers.map((t) => ({ startEventId: t.startEventId, kind: t.kind, value: t.value })),
    anchor: version.deployedAt.getTime(),
  };
  const workflowId = timerStartsWorkflowId(version.key);
  if (timers.length === 0) {
    // No timer start events (any more): end a scheduler of an older version, if one runs.
    try {
      await temporal.workflow.getHandle(workflowId).signal(replaceTimerStartsSignal, input);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    return;
  }
  await temporal.workflow.signalWithStart('timerStarts', {
    workflowId,
    taskQueue,
    args: [input],
    signal: replaceTimerStartsSignal,
    signalArgs: [input],
  });
}
