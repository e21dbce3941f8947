/**
 * The SLA dashboard says what the instances say (issue 7): 200 instances of a process whose
 * clocks settle within seconds of real time in mixed states (breached, at risk, ok, met,
 * paused) are started over HTTP; once the engine has put each one in its state, the counts
 * computed here from `GET /api/instances/{id}` (each instance's `slaClocks`, grouped by the
 * instance's department and the clock's severity, as the overview groups them) equal
 * `GET /api/sla/overview`, and the breach list holds exactly the breached clocks.
 *
 * The overview is asked once before any instance starts, so its in-memory index has been read
 * (empty) and only the projection writer's SLA part can bring the clocks to it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../server/infra/ports';
import { startStack, type Stack } from '../support/stack';

const INSTANCES = 200;
const CONCURRENCY = 8;
const DEFINITION = 'sla-mix';
type State = 'ok' | 'at_risk' | 'breached' | 'met';
type Counts = Record<State, number>;
interface Group extends Counts { key: string | null }
interface ApiClock { clockKey: string; state: State; paused: boolean; severity: string | null }
interface InstanceBody { variables: Record<string, unknown>; slaClocks?: ApiClock[] }
interface Overview {
  clocks: number; totals: Counts; byDepartment: Group[]; bySeverity: Group[];
  breachingNext: Array<{ instanceId: string; clockKey: string; state: State; dueAt: string }>;
}
interface BreachPage { items: Array<{ instanceId: string; clockKey: string }>; nextCursor: string | null }

/** What each instance is started to become, by its index: route and severity pick it. */
const KINDS = ['breached', 'at_risk', 'ok', 'met', 'paused'] as const;
type Kind = (typeof KINDS)[number];
const DEPARTMENTS = ['after-sales', 'technical', 'finance', null];
const SEVERITIES = ['critical', 'high', 'low', null];
/** A met clock is answered 0.2 s after its start: not with the 1-second target of `critical`. */
const MET_SEVERITIES = ['high', 'low', null];

function plan(i: number): { kind: Kind; variables: Record<string, unknown> } {
  const kind = KINDS[i % KINDS.length]!;
  const department = DEPARTMENTS[Math.floor(i / KINDS.length) % DEPARTMENTS.length];
  const round = Math.floor(i / (KINDS.length * DEPARTMENTS.length));
  const severity = {
    breached: 'critical', at_risk: 'high', ok: i % 2 ? 'low' : null,
    met: MET_SEVERITIES[round % MET_SEVERITIES.length], paused: SEVERITIES[round % SEVERITIES.length],
  }[kind];
  const route = kind === 'met' ? 'answer' : kind === 'paused' ? 'hold' : 'work';
  return { kind, variables: { route, ...(department ? { department } : {}), ...(severity ? { severity } : {}) } };
}

/** The engine has put the instance in its planned state (the first-response clock decides). */
function settled(kind: Kind, body: InstanceBody): boolean {
  const first = body.slaClocks?.find((c) => c.clockKey === 'first-response');
  if (!first || !body.slaClocks?.some((c) => c.clockKey === 'resolution')) return false;
  return kind === 'paused' ? first.paused && first.state === 'ok' : first.state === kind && !first.paused;
}

/**
 * Runs `fn` over `items`, at most `limit` at a time. After a failure no item starts and
 * `stopped()` turns true (long waits end early), and the first error is thrown once every
 * lane has finished, so nothing calls the stack after it is stopped.
 */
async function pooled<T, R>(items: T[], limit: number, fn: (item: T, stopped: () => boolean) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const stopped = () => failure !== undefined;
  const lane = async () => {
    while (next < items.length && !stopped()) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, stopped);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
  return out;
}

const zero = (): Counts => ({ ok: 0, at_risk: 0, breached: 0, met: 0 });
function countBy(rows: Array<{ state: State; key: string | null }>): Map<string | null, Counts> {
  const out = new Map<string | null, Counts>();
  for (const { state, key } of rows) {
    const counts = out.get(key) ?? zero();
    counts[state] += 1;
    out.set(key, counts);
  }
  return out;
}
const asMap = (groups: Group[]) => new Map(groups.map(({ key, ...counts }) => [key, counts]));

describe('SLA dashboard against the instances', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('counts by state, department and severity as the instances say, and lists exactly the breached clocks', async () => {
    // given: the process, and the overview's index read while no clock exists
    const xml = readFileSync(join(__dirname, 'fixtures', 'sla-mix.bpmn'), 'utf8');
    const deployed = await stack.api('POST', '/api/definitions', xml, 'application/xml');
    expect(deployed.status).toBe(201);
    const empty = await stack.api<Overview>('GET', `/api/sla/overview?definitionKey=${DEFINITION}`);
    expect(empty.status).toBe(200);
    expect(empty.body.clocks).toBe(0);

    // when: 200 instances start, and the engine puts each one in its state
    const plans = Array.from({ length: INSTANCES }, (_, i) => plan(i));
    const started = await pooled(plans, CONCURRENCY, async ({ kind, variables }) => {
      const res = await stack.api<{ instanceId: string }>('POST', `/api/processes/${DEFINITION}/instances`, { variables });
      expect(res.status).toBe(201);
      return { id: res.body.instanceId, kind };
    });
    const instances = await pooled(started, CONCURRENCY, async ({ id, kind }, stopped) => {
      let last: InstanceBody | undefined;
      await waitUntil(`instance ${id} ${kind}`, async () => {
        if (stopped()) return true;
        const res = await stack.api<InstanceBody>('GET', `/api/instances/${id}`);
        last = res.body;
        return res.status === 200 && settled(kind, res.body);
      }, 90_000, 250).catch((err: Error) => {
        throw new Error(`${err.message}; last body: ${JSON.stringify(last?.slaClocks)}`);
      });
      if (stopped()) throw new Error('stopped after another instance failed');
      return { id, body: last! };
    });
    // The snapshots behind those answers reached the writer before the answers; let it finish.
    await stack.services.drainProjections();

    // then: the counts over the instance API ...
    const clocks = instances.flatMap(({ id, body }) => body.slaClocks!.map((clock) => ({
      id: `${id}.${clock.clockKey}`, clock, department: typeof body.variables.department === 'string' ? body.variables.department : null,
    })));
    const expected = {
      totals: countBy(clocks.map(({ clock }) => ({ state: clock.state, key: 'all' }))).get('all'),
      byDepartment: countBy(clocks.map(({ clock, department }) => ({ state: clock.state, key: department }))),
      bySeverity: countBy(clocks.map(({ clock }) => ({ state: clock.state, key: clock.severity }))),
    };
    expect(clocks).toHaveLength(2 * INSTANCES);
    for (const state of ['ok', 'at_risk', 'breached', 'met'] as const) expect(expected.totals![state]).toBeGreaterThan(0);
    expect(clocks.filter(({ clock }) => clock.paused).length).toBeGreaterThan(0);

    // ... equal the overview's
    const overview = await stack.api<Overview>('GET', `/api/sla/overview?definitionKey=${DEFINITION}&limit=200`);
    expect(overview.status).toBe(200);
    expect(overview.body.clocks).toBe(clocks.length);
    expect(overview.body.totals).toEqual(expected.totals);
    expect(asMap(overview.body.byDepartment)).toEqual(expected.byDepartment);
    expect(asMap(overview.body.bySeverity)).toEqual(expected.bySeverity);

    // What breaches next: only clocks the instances show running (not paused, neither met nor breached).
    const byId = new Map(clocks.map((c) => [c.id, c.clock]));
    const running = clocks.filter(({ clock }) => (clock.state === 'ok' || clock.state === 'at_risk') && !clock.paused);
    expect(overview.body.breachingNext).toHaveLength(Math.min(200, running.length));
    for (const next of overview.body.breachingNext) {
      const clock = byId.get(`${next.instanceId}.${next.clockKey}`);
      expect({ id: `${next.instanceId}.${next.clockKey}`, state: clock?.state, paused: clock?.paused }).toEqual({ id: `${next.instanceId}.${next.clockKey}`, state: next.state, paused: false });
    }

    // The breach list: exactly the breached clocks, each once.
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: BreachPage } = await stack.api<BreachPage>('GET', `/api/sla/breaches?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      listed.push(...page.body.items.map((b) => `${b.instanceId}.${b.clockKey}`));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    const breached = clocks.filter(({ clock }) => clock.state === 'breached').map((c) => c.id);
    expect(listed.sort()).toEqual(breached.sort());
  }, 180_000);
});
