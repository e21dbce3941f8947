/**
 * The signals service: broadcasts (from the API and from the activity of a signal throw) and
 * who may broadcast through the API. The rule of messages (decision 0021) applies to signals:
 * a `publishers` zeebe:property on the bpmn:Signal of a version the broadcast would reach
 * (a waiting instance's version, or the latest version it starts) names the roles allowed;
 * without one the route's policy holds. A signal thrown by a process is the service's own
 * broadcast and is not checked. Decision 0034.
 */
import { declaredPublishers } from '../definitions/declaredPublishers';
import type { DefinitionsService } from '../definitions/service';
import { Forbidden } from '../domain/errors';
import { broadcastSignal, type BroadcastDeps, type BroadcastRequest, type BroadcastResult } from './broadcast';

export interface SignalsServiceDeps extends BroadcastDeps {
  definitions: Pick<DefinitionsService, 'resolveDefinition'>;
}

export function createSignalsService(deps: SignalsServiceDeps) {
  /** The declared broadcasters of each signal of a version (cached per version). */
  const publishersOf = declaredPublishers(deps.definitions, 'bpmn:Signal');

  return {
    broadcast: (request: BroadcastRequest): Promise<BroadcastResult> => broadcastSignal(deps, request),

    /** 403 unless every definition the broadcast reaches allows one of `roles` (when it declares publishers). */
    async authorizeBroadcaster(signalName: string, roles: readonly string[]): Promise<void> {
      const targets = new Map<string, { key: string; version: number }>();
      const filter = { status: 'active' as const, signalNames: signalName };
      for (const key of await deps.projections.instances.distinct('definitionKey', filter).exec()) {
        for (const version of await deps.projections.instances.distinct('definitionVersion', { ...filter, definitionKey: key }).exec()) {
          targets.set(`${key}@${version}`, { key, version });
        }
      }
      for (const s of await deps.starts.bySignal(signalName)) targets.set(`${s.key}@${s.version}`, { key: s.key, version: s.version });
      for (const { key, version } of targets.values()) {
        const allowed = (await publishersOf(key, version)).get(signalName);
        if (allowed && !allowed.some((role) => roles.includes(role))) {
          throw new Forbidden('forbidden', allowed.length
            ? `Signal '${signalName}' may be broadcast only by the roles ${allowed.join(', ')}`
            : `Signal '${signalName}' is broadcast by the service itself only`);
        }
      }
    },
  };
}

export type SignalsService = ReturnType<typeof createSignalsService>;
