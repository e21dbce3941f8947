/**
 * The name of the policy each SLA clock runs by ("First response", "Resolution"), for the SLA
 * card beside a task: the clock records keep only the policy id; the name is in the deployed
 * version's model (versions are immutable and the definitions service keeps them in memory).
 */
export type PolicyNames = (definitionKey: string, version: number) => Promise<ReadonlyMap<string, string>>;

/** Adds `policyName` (the policy's name, else its id) to each clock; drops the definition fields it read. */
export async function withPolicyNames<T extends { policyId: string; definitionKey: string; definitionVersion: number }>(
  clocks: T[],
  names: PolicyNames | undefined,
): Promise<Array<Omit<T, 'definitionKey' | 'definitionVersion'> & { policyName: string }>> {
  const byVersion = new Map<string, Promise<ReadonlyMap<string, string>>>();
  const namesOf = (key: string, version: number) => {
    const id = `${key}@${version}`;
    let found = byVersion.get(id);
    if (!found) {
      // A version that cannot be read (removed) still shows its clocks, by policy id.
      found = names ? names(key, version).catch(() => new Map<string, string>()) : Promise.resolve(new Map<string, string>());
      byVersion.set(id, found);
    }
    return found;
  };
  return Promise.all(clocks.map(async ({ definitionKey, definitionVersion, ...clock }) => ({
    ...clock,
    policyName: (await namesOf(definitionKey, definitionVersion)).get(clock.policyId) ?? clock.policyId,
  })));
}

/** From a definition version's model: policy id -> name (policies without a name are left out). */
export function policyNamesOf(model: { sla?: { policies?: Array<{ id: string; name: string | null }> } | null }): ReadonlyMap<string, string> {
  return new Map((model.sla?.policies ?? []).flatMap((p) => (p.name ? [[p.id, p.name] as const] : [])));
}
