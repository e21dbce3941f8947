/**
 * At most one running instance per (process key, business key), without transactions:
 * a claim document with a unique _id is inserted before the workflow starts. A claim whose
 * instance has ended is taken over under the key's document lock.
 */
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { documentLock } from '../db/documentLock';

interface BusinessKeyClaim {
  _id: string;
  instanceId: string;
  claimedAt: Date;
}

const schema = new Schema<BusinessKeyClaim>({ _id: String, instanceId: String, claimedAt: Date }, { versionKey: false });

export function businessKeyClaims(connection: Connection): Model<BusinessKeyClaim> {
  return (connection.models.BusinessKeyClaim as Model<BusinessKeyClaim>) ??
    connection.model<BusinessKeyClaim>('BusinessKeyClaim', schema, 'business_key_claims');
}

/** Business keys may be meaningful to people; ids and search attributes carry only a hash. */
export function businessKeyHash(processKey: string, businessKey: string): string {
  return createHash('sha256').update(`${processKey}\u0000${businessKey}`).digest('hex').slice(0, 32);
}

export type ClaimResult = { ok: true } | { ok: false; runningInstanceId: string };

/** What Temporal says of a claim's instance: `unknown` = no such workflow (yet). */
export type ClaimedInstanceState = 'running' | 'ended' | 'unknown';

/**
 * A claim is written before its workflow starts; until then Temporal does not know the
 * instance. A claim younger than this whose instance is unknown counts as starting, not as
 * abandoned (a start that failed frees its key after this long).
 */
export const CLAIM_START_GRACE_MS = 30_000;

/**
 * Takes the key for `instanceId`: an insert when nobody holds it (atomic against the unique
 * `_id`), else a takeover when its instance has ended. The takeover is read, check, write —
 * not atomic on FerretDB, where a conditional update is "query, then write" (decision 0008),
 * so two API processes taking over one ended key at the same moment could both succeed and
 * start two instances. It therefore runs under the key's document lock (server/db/documentLock.ts),
 * which holds across processes.
 */
export async function claimBusinessKey(
  claims: Model<BusinessKeyClaim>,
  id: string,
  instanceId: string,
  instanceState: (instanceId: string) => Promise<ClaimedInstanceState>,
  now: () => number = Date.now,
): Promise<ClaimResult> {
  const insert = async () => {
    try {
      await claims.create({ _id: id, instanceId, claimedAt: new Date(now()) });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      return false;
    }
  };
  if (await insert()) return { ok: true };
  return documentLock(claims.db)(`business-key:${id}`, async (): Promise<ClaimResult> => {
    // Claims are never deleted, so a claim seen once stays; under the lock nobody else takes it over.
    const current = await claims.findById(id).lean();
    if (!current) {
      if (await insert()) return { ok: true };
      throw new Error('could not claim the business key: its claim vanished');
    }
    const state = await instanceState(current.instanceId);
    const starting = state === 'unknown' && now() - new Date(current.claimedAt).getTime() < CLAIM_START_GRACE_MS;
    if (state === 'running' || starting) return { ok: false, runningInstanceId: current.instanceId };
    await claims.updateOne({ _id: id }, { $set: { instanceId, claimedAt: new Date(now()) } });
    return { ok: true };
  });
}
