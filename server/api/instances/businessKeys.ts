/**
 * At most one running instance per (process key, business key), without transactions:
 * a claim document with a unique _id is inserted before the workflow starts. A claim whose
 * instance has ended is taken over with a compare-and-set on its instance id.
 */
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

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

export async function claimBusinessKey(
  claims: Model<BusinessKeyClaim>,
  id: string,
  instanceId: string,
  isRunning: (instanceId: string) => Promise<boolean>,
): Promise<ClaimResult> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await claims.create({ _id: id, instanceId, claimedAt: new Date() });
      return { ok: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    const current = await claims.findById(id).lean();
    if (!current) continue;
    if (await isRunning(current.instanceId)) return { ok: false, runningInstanceId: current.instanceId };
    const taken = await claims.updateOne({ _id: id, instanceId: current.instanceId }, { $set: { instanceId, claimedAt: new Date() } });
    if (taken.modifiedCount === 1) return { ok: true };
  }
  throw new Error('could not claim the business key: too much contention');
}

export async function releaseBusinessKey(claims: Model<BusinessKeyClaim>, id: string, instanceId: string): Promise<void> {
  await claims.deleteOne({ _id: id, instanceId });
}
