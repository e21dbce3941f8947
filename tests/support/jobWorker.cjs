/**
 * An external job worker in a process of its own, as an integration would run one: the built
 * client (dist/server/jobs/client.js) against the HTTP API. Fails each instance's first
 * attempt, completes the second with what it computed and its own pid (to prove who did it).
 * Env: JOB_API_URL, JOB_API_TOKEN, JOB_TYPE. Stops on SIGTERM.
 */
const path = require('node:path');
const { JobClient, startJobWorker } = require(path.resolve(__dirname, '../../dist/server/jobs/client.js'));

const client = new JobClient({ baseUrl: process.env.JOB_API_URL, token: process.env.JOB_API_TOKEN });
const attempts = new Map();
const worker = startJobWorker(client, {
  type: process.env.JOB_TYPE,
  worker: `child-${process.pid}`,
  timeout: 30_000,
  requestTimeout: 2_000,
  retryBackOff: 100,
  fetchVariable: ['amount'],
  async handler(job) {
    const attempt = (attempts.get(job.processInstanceId) ?? 0) + 1;
    attempts.set(job.processInstanceId, attempt);
    if (attempt === 1) throw new Error(`first attempt of ${job.elementId} fails on purpose`);
    return { score: Number(job.variables.amount) * 2, attempts: attempt, handledBy: process.pid, retriesSeen: job.retries, sawOtherVariables: Object.keys(job.variables).length !== 1 };
  },
  onError(err) { process.stderr.write(`worker error: ${err instanceof Error ? err.message : String(err)}\n`); },
});
process.stdout.write('worker started\n');
process.on('SIGTERM', () => {
  void worker.stop().then(() => process.exit(0));
});
