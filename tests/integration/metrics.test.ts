import fs from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../../server/infra/ports';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

interface TaskPage { items: Array<{ id: string; state: string }> }

/** The value of the sample `name{labels}`, whatever the label order; undefined when absent. */
function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of body.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ metricsToken: METRICS_TOKEN });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('counts one instance and its task from start to end, with templated route labels only', async () => {
    // given a deployed process and one instance of it run to the end
    expect((await stack.api('POST', '/api/definitions', fixture('support-ticket.bpmn'), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/support-ticket/instances', { variables: { amount: 250, ticketId: 'T-M1' } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.length === 1, 'review task');
    expect((await stack.api('POST', `/api/tasks/${inbox.items[0]!.id}/complete`, { variables: { resolution: 'refund' } })).status).toBe(200);
    await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}`, (p) => p.items[0]?.state === 'completed', 'completed task');
    await eventually<{ activeElements: string[] }>(stack, `/api/instances/${id}`, (i) => i.activeElements.includes('wait-for-customer'), 'waiting for the customer');
    expect((await stack.api('POST', '/api/messages', { name: 'customer-confirmed', correlationKey: 'T-M1', variables: { confirmed: true } })).status).toBe(200);
    await eventually<{ status: string }>(stack, `/api/instances/${id}`, (i) => i.status === 'completed', 'completed instance');

    // when an admin reads the metrics (once the end is counted)
    let res = await stack.api<string>('GET', '/metrics');
    await waitUntil('instance end counted', async () => {
      res = await stack.api<string>('GET', '/metrics');
      return sample(res.body, 'complaint_bpm_instances_completed_total', { process: 'support-ticket', status: 'completed' }) !== undefined;
    }, 20_000, 100);

    // then every transition counted exactly once
    expect(res.status).toBe(200);
    const body = res.body;
    const process = { process: 'support-ticket' };
    expect({
      started: sample(body, 'complaint_bpm_instances_started_total', process),
      completed: sample(body, 'complaint_bpm_instances_completed_total', { ...process, status: 'completed' }),
      tasksOpened: sample(body, 'complaint_bpm_tasks_opened_total', process),
      tasksCompleted: sample(body, 'complaint_bpm_tasks_completed_total', process),
    }).toEqual({ started: 1, completed: 1, tasksOpened: 1, tasksCompleted: 1 });
    // and the service task was timed
    expect(sample(body, 'complaint_bpm_activity_duration_seconds_count', { task_type: 'variables.set', outcome: 'ok' })).toBe(1);
    // and the requests are labelled by route template, never by URL
    expect(sample(body, 'complaint_bpm_http_request_duration_seconds_bucket', { le: '+Inf', method: 'POST', route: '/api/definitions', status: '201' })).toBe(1);
    expect(sample(body, 'complaint_bpm_http_request_duration_seconds_count', { method: 'GET', route: '/api/instances/{id}', status: '200' })).toBeGreaterThan(0);
    expect(body).not.toContain('pi-');
    expect(body).not.toContain('T-M1');
    // and the process metrics are there too
    expect(body).toContain('complaint_bpm_process_cpu_seconds_total');
  });

  it('answers in the Prometheus text format', async () => {
    // when
    const res = await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    // then
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is refused without a token (401), to an agent (403), and to a wrong scrape token (401)', async () => {
    // when
    const statuses = {
      anonymous: (await stack.anonymous('GET', '/metrics')).status,
      agent: (await stack.as('agent')('GET', '/metrics')).status,
      wrongToken: (await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status,
      operator: (await stack.as('operator')('GET', '/metrics')).status,
      scraper: (await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status,
    };
    // then
    expect(statuses).toEqual({ anonymous: 401, agent: 403, wrongToken: 401, operator: 200, scraper: 200 });
  });
});
