/**
 * The projection writer's memory of what it wrote (decision 0057), on FerretDB: the commands a
 * flush sends are counted with the driver's command monitoring.
 */
import type { Connection } from 'mongoose';
import type { SlaClockView } from '../../processes/evaluator';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { projectionModels, type ProjectionModels } from '../../server/projections/models';
import type { SlaWriteObserver } from '../../server/sla/events';
import { slaProjectionPart } from '../../server/projections/slaWriter';
import { projectionWriter, type ProjectionObserver, type ProjectionWriterOptions } from '../../server/projections/writer';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import { testEnv, uniqueName } from '../support/servers';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

/** The instance's resolution clock: started at step 2, at risk (50 %) from step 6, breached from step 8. */
function resolutionClock(sequence: number): SlaClockView {
  return {
    clockKey: 'resolution', policyId: 'resolve-8h', calendarId: null, metric: 'resolution', elementId: null, taskKey: null,
    state: sequence >= 8 ? 'breached' : sequence >= 6 ? 'at_risk' : 'ok', paused: false, severity: 'high', customerTier: null,
    startedAt: T0 + 2000, targetMs: 8 * HOUR, dueAt: T0 + 2000 + 8 * HOUR, remainingMs: null, consumedMs: 0, runningSince: T0 + 2000,
    pausedSince: null, pausedMs: 0,
    warnings: sequence >= 6 ? [{ threshold: 50, at: T0 + 6000 }] : [],
    breach: sequence >= 8 ? { dueAt: T0 + 2000 + 8 * HOUR, at: T0 + 8000, escalatedTo: ['sup-1'] } : null,
    metAt: null, elapsedMs: null, next: null,
  };
}

/**
 * One snapshot per step: the clock starts at 2, task T opens at 3, bob claims it at 5, an
 * incident is raised at 7, T is completed at 10, the instance completes at 11. Every step
 * changes the variables and reports one element event; steps 4, 7 and 9 leave T and the clock as they were.
 */
const LAST = 11;
function step(instanceId: string, sequence: number): InstanceSnapshot {
  const claimed = sequence >= 5;
  return {
    instanceId,
    sequence,
    updatedAt: T0 + sequence * 1000,
    status: sequence === LAST ? 'completed' : 'active',
    definition: { key: 'memory-test', version: 1 },
    businessKey: null,
    activeElements: [`at-${sequence}`],
    variables: { step: sequence },
    tasks: sequence >= 3 && sequence < 10 ? [{
      key: 'T', elementId: 'Review', name: 'Review', state: claimed ? 'claimed' : 'open', assignee: claimed ? 'bob' : null,
      candidateGroups: ['reviewers'], candidateUsers: [], dueDate: null, followUpDate: null, formKey: null, createdAt: T0 + 3000,
    }] : [],
    incidents: sequence >= 7 && sequence < LAST ? [{ id: 'inc-1', elementId: 'Notify', type: 'jobFailed', message: 'no answer', createdAt: T0 + 7000 }] : [],
    timers: [],
    subscriptions: [],
    closedTasks: sequence === 10 ? [{ key: 'T', reason: 'completed' }] : [],
    events: [{ index: sequence, elementId: `e${sequence}`, elementType: 'bpmn:Task', event: 'activated', time: T0 + sequence }],
    ...(sequence >= 2 ? { slaClocks: [resolutionClock(sequence)] } : {}),
  } as InstanceSnapshot;
}

/** Commands sent on the connection, by `<command> <collection>`. */
function commandCounter(connection: Connection) {
  const counts = new Map<string, number>();
  connection.getClient().on('commandStarted', (e) => {
    const target = e.command[e.commandName] as unknown;
    const key = `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return {
    of: (key: string) => counts.get(key) ?? 0,
    /** The counts of the given `<command> <collection>` keys (0 for none sent). */
    pick: (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, counts.get(k) ?? 0])),
    reset: () => counts.clear(),
  };
}

function countingObservers() {
  const counts = { started: 0, ended: 0, opened: 0, completed: 0, incidents: 0, clocksWritten: 0, warnings: [] as number[], breaches: 0 };
  const observer: ProjectionObserver = {
    instanceStarted: () => { counts.started += 1; },
    instanceEnded: () => { counts.ended += 1; },
    taskOpened: () => { counts.opened += 1; },
    taskCompleted: () => { counts.completed += 1; },
    incidentRaised: () => { counts.incidents += 1; },
  };
  const sla: SlaWriteObserver = {
    clockWritten: () => { counts.clocksWritten += 1; },
    warningFired: (_record, threshold) => { counts.warnings.push(threshold); },
    breachRecorded: () => { counts.breaches += 1; },
  };
  return { counts, observer, sla };
}

const READS = ['find instances', 'find tasks', 'find sla_clocks'];
const startedAt = new Date(T0);

describe('the projection writer remembers what it wrote', () => {
  let mongo: Connection;
  let models: ProjectionModels;
  let commands: ReturnType<typeof commandCounter>;
  const log = createLogger('silent');
  const writers: Array<{ stop(): void }> = [];
  const writer = (opts: ProjectionWriterOptions & { sla?: SlaWriteObserver } = {}) => {
    const w = projectionWriter(models, log, { ...opts, parts: [slaProjectionPart(models.sla, opts.sla)] });
    writers.push(w);
    return w;
  };

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('projection_memory').replace(/-/g, '_'), { monitorCommands: true });
    models = projectionModels(mongo);
    commands = commandCounter(mongo);
  });

  afterAll(async () => {
    for (const w of writers) w.stop();
    await mongo?.close();
  });

  it('writes a second snapshot without reading back, and only what changed', async () => {
    // given an instance written at step 3 (task T open, the clock running)
    const w = writer();
    w.accept(step('pi-mem-1', 3), startedAt);
    await w.drain();
    // when step 4 arrives (only the variables changed)
    commands.reset();
    w.accept(step('pi-mem-1', 4), startedAt);
    await w.drain();
    // then nothing was read, T and the clock were left alone, the instance moved on
    expect(commands.pick(...READS, 'update tasks', 'update open_tasks', 'update sla_clocks', 'update instances')).toEqual({
      'find instances': 0, 'find tasks': 0, 'find sla_clocks': 0, 'update tasks': 0, 'update open_tasks': 0, 'update sla_clocks': 0, 'update instances': 1,
    });
    expect(await models.instances.findById('pi-mem-1').lean()).toMatchObject({ sequence: 4, variables: { step: 4 } });
    // when bob claims T (step 5)
    commands.reset();
    w.accept(step('pi-mem-1', 5), startedAt);
    await w.drain();
    // then T and its inbox copy are written, still without a read
    expect(commands.pick(...READS, 'update tasks', 'update open_tasks', 'update sla_clocks')).toEqual({
      'find instances': 0, 'find tasks': 0, 'find sla_clocks': 0, 'update tasks': 1, 'update open_tasks': 1, 'update sla_clocks': 0,
    });
    expect(await models.tasks.findById('pi-mem-1.T').lean()).toMatchObject({ state: 'claimed', assignee: 'bob', sequence: 5 });
    expect(await models.openTasks.findById('pi-mem-1.T').lean()).toMatchObject({ state: 'claimed', assignee: 'bob', sequence: 5 });
    // and an older snapshot arriving late (step 4 again) reads and writes nothing
    commands.reset();
    w.accept(step('pi-mem-1', 4), startedAt);
    await w.drain();
    expect(commands.pick(...READS, 'update instances', 'update tasks')).toEqual({
      'find instances': 0, 'find tasks': 0, 'find sla_clocks': 0, 'update instances': 0, 'update tasks': 0,
    });
    expect(await models.instances.findById('pi-mem-1').lean()).toMatchObject({ sequence: 5, variables: { step: 5 } });
  });

  it('counts every transition once, and writes a clock only when it changed', async () => {
    // given a writer with metrics and SLA observers
    const { counts, observer, sla } = countingObservers();
    const w = writer({ observer, sla });
    // when the instance goes through its whole life, one flush per step
    commands.reset();
    for (let seq = 1; seq <= LAST; seq += 1) {
      w.accept(step('pi-mem-2', seq), startedAt);
      await w.drain();
    }
    // then each transition was told once: the clock was written when it started, at risk and breached
    expect(counts).toEqual({ started: 1, ended: 1, opened: 1, completed: 1, incidents: 1, clocksWritten: 3, warnings: [50], breaches: 1 });
    // and only the first step read the instance, the breach was looked up once
    expect(commands.pick('find instances', 'find tasks', 'find sla_clocks', 'find sla_breaches')).toEqual({
      'find instances': 1, 'find tasks': 0, 'find sla_clocks': 0, 'find sla_breaches': 1,
    });
    expect(await models.tasks.findById('pi-mem-2.T').lean()).toMatchObject({ state: 'completed', assignee: 'bob', sequence: 10 });
    expect(await models.openTasks.findById('pi-mem-2.T').lean()).toBeNull();
    expect(await models.sla.clocks.findById('pi-mem-2.resolution').lean()).toMatchObject({ state: 'breached', warningsFired: [50], sequence: 8 });
    expect(await models.instances.findById('pi-mem-2').lean()).toMatchObject({ status: 'completed', sequence: LAST });
    // when a worker replays the whole history afterwards
    for (let seq = 1; seq <= LAST; seq += 1) w.accept(step('pi-mem-2', seq), startedAt, true);
    await w.drain();
    // then nothing is counted again
    expect(counts).toEqual({ started: 1, ended: 1, opened: 1, completed: 1, incidents: 1, clocksWritten: 3, warnings: [50], breaches: 1 });
  });

  it('reads what is stored for a replayed snapshot, and leaves another writer\'s newer one in place', async () => {
    // given this writer wrote the instance up to step 5
    const here = writer();
    for (const seq of [3, 5]) {
      here.accept(step('pi-mem-3', seq), startedAt);
      await here.drain();
    }
    // and the workflow moved to another worker, which replayed it and wrote step 7
    const other = writer();
    for (let seq = 1; seq <= 6; seq += 1) other.accept(step('pi-mem-3', seq), startedAt, true);
    other.accept(step('pi-mem-3', 7), startedAt);
    await other.drain();
    // when it comes back here, replayed: step 6 arrives during the replay
    commands.reset();
    here.accept(step('pi-mem-3', 6), startedAt, true);
    await here.drain();
    // then this writer read the stored instance and wrote nothing over step 7
    expect(commands.of('find instances')).toBeGreaterThanOrEqual(1);
    expect(commands.pick('update instances', 'update tasks', 'update sla_clocks')).toEqual({ 'update instances': 0, 'update tasks': 0, 'update sla_clocks': 0 });
    expect(await models.instances.findById('pi-mem-3').lean()).toMatchObject({ sequence: 7, variables: { step: 7 } });
    expect(await models.sla.clocks.findById('pi-mem-3.resolution').lean()).toMatchObject({ sequence: 7, state: 'at_risk' });
    // and its next live step is written over the stored one
    here.accept(step('pi-mem-3', 8), startedAt);
    await here.drain();
    expect(await models.instances.findById('pi-mem-3').lean()).toMatchObject({ sequence: 8, variables: { step: 8 } });
    expect(await models.sla.clocks.findById('pi-mem-3.resolution').lean()).toMatchObject({ sequence: 8, state: 'breached' });
  });

  it('reads what is stored again after a write another writer\'s insert refused', async () => {
    // given this writer wrote step 2 (no task yet), and another wrote step 3 (it inserted T)
    const here = writer();
    here.accept(step('pi-mem-4', 2), startedAt);
    await here.drain();
    const other = writer();
    other.accept(step('pi-mem-4', 3), startedAt);
    await other.drain();
    // when step 5 reaches this writer (which takes T for new)
    commands.reset();
    here.accept(step('pi-mem-4', 5), startedAt);
    await here.drain();
    // then its insert of T was refused, and it read what is stored and wrote step 5 over it
    expect(commands.of('find instances')).toBeGreaterThanOrEqual(1);
    expect(commands.of('find tasks')).toBeGreaterThanOrEqual(1);
    expect(await models.tasks.findById('pi-mem-4.T').lean()).toMatchObject({ state: 'claimed', assignee: 'bob', sequence: 5 });
    expect(await models.openTasks.findById('pi-mem-4.T').lean()).toMatchObject({ state: 'claimed', sequence: 5 });
    expect(await models.instances.findById('pi-mem-4').lean()).toMatchObject({ sequence: 5 });
  });

  it('reads what is stored after a failed flush and for a snapshot of another run', async () => {
    // given a writer whose SLA part fails once, at step 4
    let failed = false;
    const w = projectionWriter(models, log, {
      parts: [{ name: 'fails once', write: async (applied) => {
        if (!failed && applied.some((a) => a.snapshot.sequence === 4)) {
          failed = true;
          throw new Error('database went away');
        }
      } }],
    });
    writers.push(w);
    w.accept(step('pi-mem-5', 3), startedAt, false, 'run-1');
    await w.drain();
    // when step 4 fails once and is written again
    commands.reset();
    w.accept(step('pi-mem-5', 4), startedAt, false, 'run-1');
    await w.drain();
    // then the second try read what the first left behind (step 4 stored: nothing more to write)
    expect(failed).toBe(true);
    expect(commands.of('find instances')).toBe(1);
    expect(await models.instances.findById('pi-mem-5').lean()).toMatchObject({ sequence: 4 });
    // and the next step reads too (nothing remembered since), the one after it no more
    commands.reset();
    w.accept(step('pi-mem-5', 5), startedAt, false, 'run-1');
    await w.drain();
    expect(commands.of('find instances')).toBe(1);
    w.accept(step('pi-mem-5', 6), startedAt, false, 'run-1');
    await w.drain();
    expect(commands.of('find instances')).toBe(1);
    // while the first snapshot of a new run (continue-as-new: it may have run elsewhere) reads again
    w.accept(step('pi-mem-5', 7), startedAt, false, 'run-2');
    await w.drain();
    expect(commands.of('find instances')).toBe(2);
    expect(await models.instances.findById('pi-mem-5').lean()).toMatchObject({ sequence: 7 });
  });
});
