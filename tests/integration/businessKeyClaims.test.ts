/**
 * Business-key claims taken by several API processes (one connection each) against one
 * FerretDB: the takeover of an ended instance's key is exclusive, and a claim whose instance
 * has not reached Temporal yet is not mistaken for an abandoned one.
 */
import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { businessKeyClaims, CLAIM_START_GRACE_MS, claimBusinessKey, type ClaimedInstanceState } from '../../server/instances/businessKeys';
import { testEnv, uniqueName } from '../support/servers';

describe('business-key claims across processes', () => {
  const connections: Connection[] = [];

  beforeAll(async () => {
    const name = uniqueName('bk_claims').replace(/-/g, '_');
    for (let i = 0; i < 4; i += 1) connections.push(await connectMongo(testEnv.mongoUri, name));
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
  });

  it('lets exactly one of several processes take over the key of an ended instance', async () => {
    // given a key held by an instance that has ended
    const claims = connections.map((c) => businessKeyClaims(c));
    await claims[0]!.create({ _id: 'key-ended', instanceId: 'pi-old', claimedAt: new Date(Date.now() - 3_600_000) });
    const started = new Set<string>();
    const state = async (id: string): Promise<ClaimedInstanceState> => (id === 'pi-old' ? 'ended' : started.has(id) ? 'running' : 'unknown');
    // when four processes claim it at the same moment for new instances, each starting its instance once claimed
    const results = await Promise.all(claims.map(async (model, i) => {
      const outcome = await claimBusinessKey(model, 'key-ended', `pi-new-${i}`, state);
      if (outcome.ok) started.add(`pi-new-${i}`);
      return outcome;
    }));
    // then one wins, the others are told which instance runs, and the claim names the winner
    const winners = results.flatMap((r, i) => (r.ok ? [`pi-new-${i}`] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.runningInstanceId).toBe(winners[0]);
    expect((await claims[0]!.findById('key-ended').lean())?.instanceId).toBe(winners[0]);
  });

  it('treats a fresh claim whose instance Temporal does not know yet as starting, and an old one as abandoned', async () => {
    // given a claim taken a moment ago whose workflow has not started yet
    const model = businessKeyClaims(connections[0]!);
    const unknown = async (): Promise<ClaimedInstanceState> => 'unknown';
    await model.create({ _id: 'key-fresh', instanceId: 'pi-starting', claimedAt: new Date() });
    // when another process claims it, it is refused
    expect(await claimBusinessKey(model, 'key-fresh', 'pi-second', unknown)).toEqual({ ok: false, runningInstanceId: 'pi-starting' });
    // and once the grace has passed without the instance ever appearing, the key is free again
    const later = () => Date.now() + CLAIM_START_GRACE_MS + 1000;
    expect(await claimBusinessKey(model, 'key-fresh', 'pi-third', unknown, later)).toEqual({ ok: true });
    expect((await model.findById('key-fresh').lean())?.instanceId).toBe('pi-third');
  });
});
