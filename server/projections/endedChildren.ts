/**
 * Children of a parent that was cancelled or terminated (a call activity's instances, ids
 * `<parent>.call-<key>`, nested ones included) are terminated by Temporal when the parent
 * closes (parent close policy TERMINATE) before they run their own cancellation, so they never
 * report their end. This part reports it for them: when a parent's snapshot says it ended that
 * way, each child still `active` in the read model gets a `terminated` snapshot (no tasks,
 * incidents, timers, subscriptions or jobs), written through the writer like any other, so its
 * tasks are cancelled, its jobs removed and it leaves /api/incidents.
 */
import { trusted } from 'mongoose';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import type { AppliedSnapshot, ProjectionPart } from './flush';
import type { InstanceRecord, ProjectionModels } from './models';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function terminatedChildSnapshot(child: InstanceRecord, parent: InstanceSnapshot): InstanceSnapshot {
  return {
    instanceId: child._id,
    status: 'terminated',
    definition: { key: child.definitionKey, version: child.definitionVersion },
    businessKey: child.businessKey,
    activeElements: [],
    variables: child.variables,
    tasks: [],
    incidents: [],
    timers: [],
    subscriptions: [],
    jobs: [],
    sequence: child.sequence + 1,
    updatedAt: Math.max(parent.updatedAt, child.updatedAt?.getTime() ?? 0),
    closedTasks: [],
    events: [],
  };
}

export function endedChildrenPart(models: ProjectionModels, accept: (snapshot: InstanceSnapshot, startedAt: Date) => void): ProjectionPart {
  return {
    name: 'ended-children',
    async write(applied: AppliedSnapshot[]) {
      for (const { snapshot, before } of applied) {
        if (snapshot.status !== 'canceled' && snapshot.status !== 'terminated') continue;
        if (before && before.status !== 'active') continue;
        const children = await models.instances
          .find({ status: 'active', _id: trusted({ $regex: `^${escapeRegex(snapshot.instanceId)}\\.call-` }) as never })
          .lean<InstanceRecord[]>();
        for (const child of children) accept(terminatedChildSnapshot(child, snapshot), child.startedAt ?? new Date(snapshot.updatedAt));
      }
    },
  };
}
