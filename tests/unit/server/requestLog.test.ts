import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { HealthReport } from '../../../server/health';
import { createApp } from '../../../server/http/app';

/** The service's app on a real port, logging JSON lines into `lines`. */
async function serve(lines: Array<Record<string, unknown>>): Promise<{ url: string; server: Server }> {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const health = async (): Promise<HealthReport> => ({ status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' });
  const app = createApp({ log: pino({ level: 'info' }, sink), health });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('request log and request id (pino-http)', () => {
  const lines: Array<Record<string, unknown>> = [];
  let url: string;
  let server: Server;
  beforeAll(async () => ({ url, server } = await serve(lines)));
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const logOf = (id: string) => lines.filter((l) => (l.req as { id?: string } | undefined)?.id === id);

  it('keeps an incoming X-Request-Id: in the response header, the error body and the log line', async () => {
    // when
    const res = await fetch(`${url}/api/nowhere?q=secret-search`, { headers: { 'X-Request-Id': 'edge-4711.a' } });
    const body = (await res.json()) as Record<string, unknown>;

    // then
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('edge-4711.a');
    expect(body).toEqual({ error: 'not_found', message: expect.any(String), requestId: 'edge-4711.a' });
    expect(logOf('edge-4711.a')).toEqual([expect.objectContaining({
      level: 30, req: { id: 'edge-4711.a', method: 'GET', path: '/api/nowhere' }, res: { statusCode: 404 }, responseTime: expect.any(Number),
    })]);
    // The query (search text, tokens) never reaches the log.
    expect(JSON.stringify(lines)).not.toContain('secret-search');
  });

  it('makes an id when there is none or it is not a plain token, also for refused requests', async () => {
    // when
    const none = await fetch(`${url}/metrics`);
    const odd = await fetch(`${url}/metrics`, { headers: { 'X-Request-Id': 'two words {"level":60}' } });

    // then
    for (const res of [none, odd]) {
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(((await res.json()) as { requestId?: string }).requestId).toBe(id);
      expect(logOf(id!)).toHaveLength(1);
    }
    expect(none.headers.get('x-request-id')).not.toBe(odd.headers.get('x-request-id'));
  });

  it('leaves successful bodies alone and logs health probes at debug only', async () => {
    // when
    const res = await fetch(`${url}/api/health`, { headers: { 'X-Request-Id': 'probe-1' } });

    // then
    expect(await res.json()).toEqual({ status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' });
    expect(res.headers.get('x-request-id')).toBe('probe-1');
    expect(logOf('probe-1')).toEqual([]);
  });
});
