/**
 * Shared by the projection-writer tests (projectionWriter, projectionWriterOrdering): the
 * snapshots of the one lifecycle every test instance goes through, an observer that counts what
 * the writer reports, and a projection database of the test's own on the test FerretDB.
 */
import { trusted, type Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { projectionModels, type ProjectionModels } from '../../server/projections/models';
import type { ProjectionObserver } from '../../server/projections/writer';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import { testEnv, uniqueName } from './servers';

/**
 * The lifecycle every test instance goes through, one snapshot per step: task T opens at
 * step 3, is claimed by bob at 5, completed at 8; the instance completes at 10. Every step
 * reports one element event.
 */
export const LAST = 10;
export function step(instanceId: string, sequence: number): InstanceSnapshot {
  const taskOpen = sequence >= 3 && sequence < 8;
  return {
    instanceId,
    sequence,
    updatedAt: 1_700_000_000_000 + sequence * 1000,
    status: sequence === LAST ? 'completed' : 'active',
    definition: { key: 'writer-test', version: 1 },
    businessKey: null,
    activeElements: [`at-${sequence}`],
    variables: { step: sequence },
    tasks: taskOpen ? [{
      key: 'T', elementId: 'Review', name: 'Review', state: sequence >= 5 ? 'claimed' : 'open', assignee: sequence >= 5 ? 'bob' : null,
      candidateGroups: ['reviewers'], candidateUsers: [], dueDate: null, followUpDate: null, formKey: null, createdAt: 1_700_000_003_000,
    }] : [],
    incidents: [],
    timers: [],
    subscriptions: [],
    closedTasks: sequence === 8 ? [{ key: 'T', reason: 'completed' }] : [],
    events: [{ index: sequence, elementId: `e${sequence}`, elementType: 'bpmn:Task', event: 'activated', time: 1_700_000_000_000 + sequence }],
  } as InstanceSnapshot;
}

export function countingObserver() {
  const counts = { started: 0, ended: 0, opened: 0, completed: 0, incidents: 0 };
  const observer: ProjectionObserver = {
    instanceStarted: () => { counts.started += 1; },
    instanceEnded: () => { counts.ended += 1; },
    taskOpened: () => { counts.opened += 1; },
    taskCompleted: () => { counts.completed += 1; },
    incidentRaised: () => { counts.incidents += 1; },
  };
  return { counts, observer };
}

export const among = (ids: string[]) => trusted({ $in: ids }) as never;
export const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const startedAt = new Date(1_700_000_000_000);

/** A projection database of its own (named after `prefix`) and the writer's models on it. */
export async function connectProjections(prefix: string): Promise<{ mongo: Connection; models: ProjectionModels }> {
  const mongo = await connectMongo(testEnv.mongoUri, uniqueName(prefix).replace(/-/g, '_'));
  return { mongo, models: projectionModels(mongo) };
}
