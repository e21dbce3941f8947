import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitUntil } from '../../server/infra/ports';
import { testPort } from '../support/ports';
import { createMetrics } from '../../server/metrics';
import { newPayloadKey } from '../../server/temporal/payloadCodec';
import { spawnService, workerScript, type RunningService } from '../support/serviceProcess';
import { testEnv, uniqueName } from '../support/servers';

const TOKEN = randomBytes(24).toString('hex');

/** Metric family names of a Prometheus text page (its `# TYPE` lines). */
const families = (text: string) => new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));

describe('npm run worker: Prometheus metrics and Temporal logs through pino', () => {
  let dir: string;
  let worker: RunningService;
  let url: string;
  let page = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-obs-'));
    const port = await testPort();
    url = `http://127.0.0.1:${port}/metrics`;
    worker = spawnService({
      TEMPORAL_ADDRESS: testEnv.temporalAddress,
      MONGODB_URI: testEnv.mongoUri,
      MONGODB_DATABASE: uniqueName('workerobs'),
      TEMPORAL_TASK_QUEUE: uniqueName('workerobs'),
      CUSTOMER_LINK_KEY: randomBytes(32).toString('hex'),
      // A scale-out worker needs the payload keys of its API processes (decision 0023).
      PAYLOAD_KEYS: newPayloadKey(),
      DATA_DIR: dir,
      NODE_ENV: 'test',
      // debug: the SDK's own info lines (worker state) and the core's forwarded lines are logged too.
      LOG_LEVEL: 'debug',
      WORKER_METRICS_PORT: String(port),
      METRICS_TOKEN: TOKEN,
    }, workerScript);
    // The SDK's metrics appear once its worker polls.
    await waitUntil('worker metrics with the SDK part', async () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited early:\n${worker.output()}`);
      const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } }).catch(() => undefined);
      page = res?.status === 200 ? await res.text() : '';
      return /^temporal_\w+/m.test(page);
    }, 120_000, 500);
  }, 150_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGTERM');
    await worker?.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves our metrics under the names the API process uses, and the SDK worker metrics', async () => {
    // given
    const apiNames = (await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name);

    // then
    const served = families(page);
    expect(apiNames.length).toBeGreaterThan(10);
    expect(apiNames.filter((name) => !served.has(name))).toEqual([]);
    expect([...served].filter((name) => name.startsWith('temporal_'))).toEqual(expect.arrayContaining([expect.stringMatching(/^temporal_/)]));
  });

  it('refuses a scrape without the token', async () => {
    // when
    const res = await fetch(url);

    // then
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('complaint_bpm_');
  });

  it('writes every log line as pino JSON, the SDK and its core included', () => {
    // given
    const lines = worker.output().split('\n').filter((l) => l.trim() !== '');
    // The one plain line the worker prints on purpose, and Node's own process warnings.
    const plain = (l: string) => l.startsWith('Temporal worker running: ') || l.startsWith('(node:') || l.startsWith('(Use `node --trace-');

    // then
    expect(lines.filter((l) => !plain(l) && !l.startsWith('{'))).toEqual([]);
    const temporal = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { part?: string; msg?: string }).filter((l) => l.part === 'temporal');
    expect(temporal.length).toBeGreaterThan(0);
    expect(worker.output()).not.toContain(TOKEN);
  });
});
