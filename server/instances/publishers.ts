/**
 * Who may publish a message (decision 0021): a definition declares the roles per message
 * (processes/compiler/messagePublishers.ts); a publish through the API must come from one of them
 * for every definition the message would reach — the waiting instances' versions and the
 * processes it starts. Versions never change, so their declarations are cached (bounded).
 */
import { declaredPublishers } from '../definitions/declaredPublishers';
import type { DefinitionsService } from '../definitions/service';
import { Forbidden } from '../domain/errors';
import { subscriptionKey, type ProjectionModels } from '../projections/models';
import type { StartRegistry } from '../starts/registry';

export function messagePublisherRule(deps: { definitions: DefinitionsService; projections: ProjectionModels; starts?: StartRegistry }) {
  const { projections } = deps;
  /** The declared publishers of each message of a version (cached per version). */
  const publishersOf = declaredPublishers(deps.definitions);

  /** 403 unless the version declares no publishers for the message or allows one of `roles`. */
  async function check(definition: { key: string; version: number }, name: string, roles: readonly string[]): Promise<void> {
    const allowed = (await publishersOf(definition.key, definition.version)).get(name);
    if (allowed && !allowed.some((role) => roles.includes(role))) {
      throw new Forbidden('forbidden', allowed.length
        ? `Message '${name}' may be published only by the roles ${allowed.join(', ')}`
        : `Message '${name}' is delivered by the service itself only`);
    }
  }

  return {
    check,
    /** The rule for a publish: every definition the message would reach now must allow one of `roles`. */
    async authorize(message: { name: string; correlationKey?: string }, roles: readonly string[]): Promise<void> {
      const waiting = await projections.instances
        .find({ status: 'active', subscriptionKeys: subscriptionKey(message.name, message.correlationKey ?? null) })
        .select({ definitionKey: 1, definitionVersion: 1 })
        .limit(20)
        .lean();
      const starting = deps.starts ? await deps.starts.byMessage(message.name) : [];
      const targets = new Map<string, { key: string; version: number }>();
      for (const w of waiting) targets.set(`${w.definitionKey}@${w.definitionVersion}`, { key: w.definitionKey, version: w.definitionVersion });
      for (const s of starting) targets.set(`${s.key}@${s.version}`, { key: s.key, version: s.version });
      for (const target of targets.values()) await check(target, message.name, roles);
    },
  };
}
