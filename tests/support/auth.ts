/**
 * Signing in for the test stacks: an admin account in the stack's own database (its token is
 * what `stack.api` sends), and `as(role or user)` / `login(email, password)` to act as others.
 */
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { AuthUser } from '../../server/auth/context';
import type { Role } from '../../server/auth/roles';
import { createAuthService } from '../../server/auth/service';
import type { ScryptParams } from '../../server/auth/password';
import { serve } from './http';

export type Api = <T = unknown>(method: string, path: string, body?: unknown, contentType?: string) => Promise<{ status: number; body: T }>;

export interface UserSpec {
  roles: Role[];
  email?: string;
  name?: string;
  password?: string;
  departments?: string[];
  groups?: string[];
  staffId?: string;
  customerId?: string;
}

export interface Session {
  token: string;
  user: AuthUser;
  api: Api;
}

export interface StackAuth {
  /** Requests with the stack admin's token. */
  admin: Api;
  /** Requests as a user with this role (one user per role, created on first use) or as a new user like `spec`. */
  as: (who: Role | UserSpec) => Api;
  /** Signs in through POST /api/auth/login; throws unless it answers 200. */
  login: (email: string, password: string) => Promise<Session>;
  /** Creates a user directly in the database; returns it with its password. */
  createUser: (spec: UserSpec) => Promise<AuthUser & { password: string }>;
}

export const STACK_ADMIN_PASSWORD = 'stack-admin-password';
export const TEST_PASSWORD = 'test-user-password';
// Hashes written by the tests are cheap; verification reads the parameters from the hash.
const CHEAP: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

/** JSON (or text) requests against a served app, with a bearer token when given; JSON bodies are parsed. */
export function apiClient(baseUrl: string, token?: string): Api {
  return async (method, path, body, contentType) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (e.g. XML)
    }
    return { status: res.status, body: parsed as never };
  };
}

let counter = 0;

export async function stackAuth(mongo: Connection, baseUrl: string): Promise<StackAuth> {
  const users = createAuthService({ mongo, hashParams: CHEAP });

  const login = async (email: string, password: string): Promise<Session> => {
    const res = await apiClient(baseUrl)<{ token: string }>('POST', '/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login as ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
    const api = apiClient(baseUrl, res.body.token);
    const me = await api<AuthUser>('GET', '/api/auth/me');
    return { token: res.body.token, user: me.body, api };
  };

  const createUser = async (spec: UserSpec) => {
    counter += 1;
    const password = spec.password ?? TEST_PASSWORD;
    const email = spec.email ?? `${spec.roles.join('-') || 'nobody'}-${process.pid}-${counter}@stack.test`;
    const user = await users.createUser({ name: spec.name ?? email, ...spec, email, password });
    return { ...user, password };
  };

  /** An Api that signs in on its first request. */
  const lazy = (spec: UserSpec): Api => {
    let session: Promise<Session> | undefined;
    return async <T>(method: string, path: string, body?: unknown, contentType?: string) => {
      session ??= createUser(spec).then((u) => login(u.email, u.password));
      return (await session).api<T>(method, path, body, contentType);
    };
  };

  const stackAdmin = await createUser({ roles: ['admin'], name: 'Stack admin', password: STACK_ADMIN_PASSWORD });
  const admin = (await login(stackAdmin.email, stackAdmin.password)).api;
  const byRole = new Map<Role, Api>();
  const as = (who: Role | UserSpec): Api => {
    if (typeof who !== 'string') return lazy(who);
    let api = byRole.get(who);
    if (!api) {
      api = lazy({ roles: [who] });
      byRole.set(who, api);
    }
    return api;
  };
  return { admin, as, login, createUser };
}

export interface AdminServer {
  url: string;
  token: string;
  /** fetch(url + path) with the admin's token. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  close: () => Promise<void>;
}

/** Serves an app built by a test itself, with an admin signed in to the app's database. */
export async function serveAsAdmin(app: Express, mongo: Connection): Promise<AdminServer> {
  const server = await serve(app);
  const users = createAuthService({ mongo, hashParams: CHEAP });
  counter += 1;
  const email = `admin-${process.pid}-${counter}@server.test`;
  await users.createUser({ email, name: 'Test admin', password: STACK_ADMIN_PASSWORD, roles: ['admin'] });
  const { token } = await users.login(email, STACK_ADMIN_PASSWORD);
  return {
    ...server,
    token,
    fetch: (path, init = {}) => fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } }),
  };
}
