import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import type { HealthReport } from '../../server/health';
import { createApp } from '../../server/http/app';
import { createLogger } from '../../server/log';
import { apiClient, serveAsAdmin, type AdminServer, type Api } from '../support/auth';
import { testEnv, uniqueName } from '../support/servers';

const healthy = async (): Promise<HealthReport> => ({ status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' });

describe('/api/auth and /api/users', () => {
  let mongo: Connection;
  let server: AdminServer;
  let admin: Api;
  let anonymous: Api;

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('auth_api').replace(/-/g, '_'));
    server = await serveAsAdmin(createApp({ log: createLogger('silent'), health: healthy, mongo }), mongo);
    admin = apiClient(server.url, server.token);
    anonymous = apiClient(server.url);
  });

  afterAll(async () => {
    await server?.close();
    await mongo?.db?.dropDatabase();
    await mongo?.close();
  });

  const newAgent = async () => {
    const email = `${uniqueName('agent')}@example.com`;
    const created = await admin<{ id: string }>('POST', '/api/users', {
      email, name: 'Ann Agent', password: 'a long enough password', roles: ['agent'], groups: ['after-sales'], staffId: 'S-7',
    });
    expect(created.status).toBe(201);
    return { email, id: created.body.id };
  };

  it('signs in a user the admin created, and tells them who they are', async () => {
    // given
    const { email, id } = await newAgent();
    // when
    const login = await anonymous<{ token: string; expiresAt: string; user: unknown }>('POST', '/api/auth/login', { email, password: 'a long enough password' });
    const me = await apiClient(server.url, login.body.token)('GET', '/api/auth/me');
    // then
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
      user: { id, email, name: 'Ann Agent', roles: ['agent'] },
    });
    expect(Date.parse(login.body.expiresAt) - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect(me).toEqual({ status: 200, body: { id, email, name: 'Ann Agent', roles: ['agent'], departments: [], groups: ['after-sales'], staffId: 'S-7', customerId: null } });
  });

  it('answers one 401 for an unknown address and for a wrong password', async () => {
    // given
    const { email } = await newAgent();
    // when
    const wrong = await anonymous('POST', '/api/auth/login', { email, password: 'not the password' });
    const unknown = await anonymous('POST', '/api/auth/login', { email: 'nobody@example.com', password: 'not the password' });
    // then
    expect(wrong).toEqual({ status: 401, body: { error: 'invalid_credentials', message: expect.any(String), requestId: expect.any(String) } });
    // the same answer, but for each request's own id
    const withoutId = (r: { status: number; body: unknown }) => ({ status: r.status, body: { ...(r.body as Record<string, unknown>), requestId: null } });
    expect(withoutId(unknown)).toEqual(withoutId(wrong));
  });

  it('answers 400 with field paths for a malformed login', async () => {
    // when
    const res = await anonymous<{ fields: Array<{ path: string }> }>('POST', '/api/auth/login', { email: 'x@example.com' });
    // then
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path)).toEqual(['password']);
  });

  it('ends the session at logout', async () => {
    // given
    const { email } = await newAgent();
    const { body } = await anonymous<{ token: string }>('POST', '/api/auth/login', { email, password: 'a long enough password' });
    const asAgent = apiClient(server.url, body.token);
    // when
    const out = await asAgent('POST', '/api/auth/logout');
    // then
    expect(out.status).toBe(204);
    expect(await asAgent('GET', '/api/auth/me')).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
  });

  it('asks for a token, with WWW-Authenticate, when none or a bad one is sent', async () => {
    // when
    const none = await fetch(`${server.url}/api/auth/me`);
    const bad = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: 'Bearer not-a-token' } });
    const basic = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: 'Basic YTpi' } });
    // then
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toMatchObject({ error: 'unauthenticated' });
    expect([bad.status, basic.status]).toEqual([401, 401]);
    expect(await bad.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('lets only admins manage users, and never shows password hashes', async () => {
    // given
    const { email } = await newAgent();
    const { body } = await anonymous<{ token: string }>('POST', '/api/auth/login', { email, password: 'a long enough password' });
    const asAgent = apiClient(server.url, body.token);
    // when
    const agentCreates = await asAgent('POST', '/api/users', { email: 'x@example.com', name: 'X', password: 'a long enough password', roles: ['admin'] });
    const agentLists = await asAgent('GET', '/api/users');
    const list = await admin<{ items: Array<Record<string, unknown>>; total: number }>('GET', '/api/users?pageSize=200');
    // then
    expect(agentCreates).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect(agentLists.status).toBe(403);
    expect(list.status).toBe(200);
    expect(list.body.items.map((u) => u.email)).toContain(email);
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|scrypt/);
    expect(await mongo.collection('users').countDocuments({ email: 'x@example.com' })).toBe(0);
  });

  it('refuses invalid users with field paths and duplicate addresses with 409, storing nothing', async () => {
    // given
    const { email } = await newAgent();
    const before = await mongo.collection('users').countDocuments({});
    // when
    const invalid = await admin<{ fields: Array<{ path: string }> }>('POST', '/api/users', {
      email: 'not-an-address', name: 'C', password: 'short', roles: ['customer', 'wizard'],
    });
    const customer = await admin<{ fields: Array<{ path: string }> }>('POST', '/api/users', {
      email: 'c@example.com', name: 'C', password: 'a long enough password', roles: ['customer'],
    });
    const duplicate = await admin('POST', '/api/users', { email: email.toUpperCase(), name: 'Twin', password: 'a long enough password', roles: ['agent'] });
    // then
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields.map((f) => f.path).sort()).toEqual(['email', 'password', 'roles.1']);
    expect(customer.status).toBe(400);
    expect(customer.body.fields.map((f) => f.path)).toEqual(['customerId']);
    expect(duplicate).toMatchObject({ status: 409, body: { error: 'email_taken' } });
    expect(await mongo.collection('users').countDocuments({})).toBe(before);
  });
});
