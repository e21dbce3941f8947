/**
 * The element history of an instance derived from its Temporal event history, the
 * authoritative record: every run of the instance (continue-as-new chains) is replayed through
 * the current workflow code, and the element events the evaluator emits are collected from the
 * projection sink. Because the evaluator is deterministic, this reproduces exactly what
 * happened, independent of the MongoDB projection.
 */
import type { Client } from '@temporalio/client';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { ElementEvent, InstanceSnapshot } from '../../workflows/processInstance/types';

type History = temporal.api.history.v1.IHistory;

/** Histories of every run, oldest first, following continuedExecutionRunId back. */
async function runHistories(client: Client, instanceId: string, maxRuns: number): Promise<History[]> {
  const histories: History[] = [];
  let runId: string | undefined;
  for (let i = 0; i < maxRuns; i += 1) {
    const history = await client.workflow.getHandle(instanceId, runId).fetchHistory();
    histories.unshift(history);
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runId = started?.continuedExecutionRunId ?? undefined;
    if (!runId) return histories;
  }
  throw new Error(`instance ${instanceId} has more than ${maxRuns} runs; history derivation stopped`);
}

export async function elementHistoryFromTemporal(
  client: Client,
  workflowBundle: NonNullable<ReplayWorkerOptions['workflowBundle']>,
  instanceId: string,
  maxRuns = 200,
): Promise<ElementEvent[]> {
  const histories = await runHistories(client, instanceId, maxRuns);
  const byIndex = new Map<number, ElementEvent>();
  for (const history of histories) {
    await Worker.runReplayHistory({
      workflowBundle,
      // The histories are encrypted (decision 0023): replayed with the client's keys.
      ...(client.options.dataConverter ? { dataConverter: client.options.dataConverter } : {}),
      replayName: 'history-export',
      sinks: {
        projection: {
          instanceChanged: {
            callDuringReplay: true,
            fn: (_info: unknown, snapshot: InstanceSnapshot) => {
              for (const event of snapshot.events) byIndex.set(event.index, event);
            },
          },
        },
      },
    }, history, instanceId);
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}
