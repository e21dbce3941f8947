/**
 * The analytics recorder starts its compare-and-set from the fact it last read or wrote
 * (server/analytics/recorder.ts) instead of reading it each time. Two recorders on two
 * connections stand for two processes: when one counted a complaint after the other last saw
 * its fact, the other's remembered `rev` is stale, its write matches nothing, and it reads the
 * fact again and counts on top of it. Every milestone ends up counted exactly once.
 */
import type { Connection } from 'mongoose';
import { createAnalyticsRecorder } from '../../server/analytics/recorder';
import { analyticsModels, type FactRecord, type RollupRecord } from '../../server/analytics/model';
import type { ComplaintRecord } from '../../server/complaints/model';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import type { SlaClockRecord } from '../../server/projections/slaModels';
import { testEnv, uniqueName } from '../support/servers';

describe('the analytics recorder in two processes', () => {
  const dbName = uniqueName('analytics_recorder').replace(/-/g, '_');
  let processA: Connection;
  let processB: Connection;

  beforeAll(async () => {
    // A's commands are watched: the second test counts its reads of facts.
    [processA, processB] = await Promise.all([connectMongo(testEnv.mongoUri, dbName, { monitorCommands: true }), connectMongo(testEnv.mongoUri, dbName)]);
  });
  afterAll(async () => {
    await processA?.dropDatabase();
    await Promise.all([processA?.close(), processB?.close()]);
  });

  const filedAt = new Date();
  const complaint = (status: string): ComplaintRecord => ({
    _id: 'cmp-recorder', customerId: 'cust-1', category: 'appliance', departments: ['after-sales'], engineer: null,
    status, evaluations: [], createdAt: filedAt, instanceId: null,
  }) as unknown as ComplaintRecord;
  const clock = (id: string): SlaClockRecord => ({
    _id: id, instanceId: 'inst-1', complaintId: 'cmp-recorder', state: 'met', targetMs: 60_000, metAt: new Date(), breachedAt: null,
  }) as unknown as SlaClockRecord;

  /** The `all` day rollups' counter summed over every cell. */
  const total = async (counter: 'in' | 'cl' | 'sm') => {
    const docs = await analyticsModels(processA).rollups.find({ grain: 'day', dim: 'all' }).lean<RollupRecord[]>();
    return docs.reduce((sum, d) => sum + Object.values(d.c ?? {}).reduce((s, cell) => s + (cell[counter] ?? 0), 0), 0);
  };

  it('counts on top of what another process counted since it last saw the fact', async () => {
    const log = createLogger('silent');
    const a = createAnalyticsRecorder(processA, log);
    const b = createAnalyticsRecorder(processB, log);

    // A counts the intake and remembers the fact it created (rev 1).
    a.complaintChanged(complaint('in_progress'));
    await a.drain();
    // B counts the close: it reads the fact (rev 1) and writes rev 2.
    b.complaintChanged(complaint('closed'));
    await b.drain();
    // A is told of a settled SLA clock: its remembered fact (rev 1) is stale.
    a.clockWritten(clock('clock-1'));
    await a.drain();
    // And again of the close: already counted by B.
    a.complaintChanged(complaint('closed'));
    await a.drain();

    const fact = await analyticsModels(processA).facts.findById('cmp-recorder').lean<FactRecord>();
    expect([...fact!.counted].sort()).toEqual(['closed', 'dept:after-sales', 'intake', 'sla:clock-1']);
    expect(fact!.rev).toBe(3);
    expect({ intake: await total('in'), closed: await total('cl'), slaMet: await total('sm') }).toEqual({ intake: 1, closed: 1, slaMet: 1 });
  });

  it('reads no fact for a change that reaches no new milestone, nor for a clock of a complaint it counted', async () => {
    const log = createLogger('silent');
    const recorder = createAnalyticsRecorder(processA, log);
    const finds: string[] = [];
    const client = processA.getClient();
    const listener = (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'find' && e.command.find === 'analytics_facts') finds.push(String((e.command.filter as { _id?: unknown })?._id));
    };
    client.on('commandStarted', listener);
    try {
      const other = { ...complaint('in_progress'), _id: 'cmp-quiet' } as ComplaintRecord;
      recorder.complaintChanged(other);
      await recorder.drain();
      expect(finds).toEqual(['cmp-quiet']); // the first time: is there a fact yet?
      recorder.complaintChanged(other);
      recorder.clockWritten({ ...clock('clock-2'), complaintId: 'cmp-quiet' });
      await recorder.drain();
      expect(finds).toEqual(['cmp-quiet']);
      const fact = await analyticsModels(processB).facts.findById('cmp-quiet').lean<FactRecord>();
      expect(fact!.counted).toContain('sla:clock-2');
    } finally {
      client.off('commandStarted', listener);
    }
  });
});
