/**
 * Diagram coverage on the real servers: `npm run coverage:bpmn` (the built command, as a child
 * process) over production instances of a deployed process, and the test-suite report that the
 * integration run's globalTeardown prints, both from element events in FerretDB.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectionModels, type ElementEventRecord } from '../../server/projections/models';
import { suiteCoverage } from '../support/bpmnCoverage';
import { testEnv } from '../support/servers';
import { startStack, type Stack } from '../support/stack';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../dist/server/simulations/coverageCli.js');
const NOW = Date.now();
const DAY = 86_400_000;

describe('diagram coverage', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await stack.services.definitions.deploy({ bytes: readFileSync(path.resolve(__dirname, '../../processes/commitment-fulfilment.bpmn')), resourceName: 'commitment-fulfilment.bpmn' });
    // one instance that completed the commitment (40 days ago), one still at the user task (yesterday)
    const { instances, elementEvents } = projectionModels(stack.mongo);
    const events: ElementEventRecord[] = [];
    const seed = async (id: string, startedAt: number, path: string[]) => {
      await instances.create({ _id: id, definitionKey: 'commitment-fulfilment', definitionVersion: 1, businessKey: null, status: 'active', activeElements: [], variables: {}, incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 0, sequence: 1, startedAt: new Date(startedAt), updatedAt: new Date(NOW) });
      let index = 0;
      for (const [n, elementId] of path.entries()) {
        events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType: 'x', event: 'activated', time: new Date(startedAt + n) });
        if (n < path.length - 1 || elementId === 'CommitmentFulfilled') events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType: 'x', event: 'completed', time: new Date(startedAt + n) });
      }
    };
    await seed('pi-cov-old', NOW - 40 * DAY, ['CommitmentMade', 'FulfilCommitment', 'MarkFulfilled', 'CommitmentFulfilled']);
    await seed('pi-cov-new', NOW - DAY, ['CommitmentMade', 'FulfilCommitment']);
    await elementEvents.insertMany(events);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], {
    env: { ...process.env, MONGODB_URI: testEnv.mongoUri, MONGODB_DATABASE: stack.mongo.name },
  });

  it('prints the coverage of the instances started in the period, with the untaken ids', async () => {
    // when
    const recent = await cli('--key', 'commitment-fulfilment');
    const all = await cli('--since', new Date(NOW - 60 * DAY).toISOString().slice(0, 10));
    // then
    expect(recent.stdout).toContain('bpmn_coverage_commitment-fulfilment: 42.8 %\n');
    expect(recent.stdout).toContain('  elements 2/4 (50 %), flows 1/3 (33.3 %), from 1 instances\n');
    expect(recent.stdout).toContain('  untaken elements: MarkFulfilled, CommitmentFulfilled\n');
    expect(recent.stdout).toContain('  untaken flows: c2, c3\n');
    expect(all.stdout).toContain('bpmn_coverage_commitment-fulfilment: 100 %\n');
  });

  it('refuses a date it cannot read, and names an undeployed process', async () => {
    // when
    const badDate = await cli('--since', 'last tuesday').then(() => null, (err: { code: number; stderr: string }) => err);
    const unknown = await cli('--key', 'no-such-process').then(() => null, (err: { code: number; stderr: string }) => err);
    // then
    expect(badDate).toMatchObject({ code: 2, stderr: expect.stringContaining("--since must be a date or date-time (ISO 8601), not 'last tuesday'") });
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining("No deployed process 'no-such-process'") });
  });

  it('reports the suite\'s coverage of every shipped process from the databases it is given', async () => {
    // when
    const reports = await suiteCoverage(testEnv.mongoUri, [stack.mongo.name]);
    // then
    expect(reports.map((r) => r.processId)).toEqual(['complaint-handling', 'low-score-alert', 'commitment-fulfilment']);
    expect(reports.find((r) => r.processId === 'commitment-fulfilment')).toMatchObject({
      instances: 2, elements: { taken: 4, total: 4, untaken: [] }, flows: { taken: 3, total: 3, untaken: [] },
    });
    expect(reports.find((r) => r.processId === 'complaint-handling')).toMatchObject({ instances: 0, elements: { taken: 0 } });
  });
});
