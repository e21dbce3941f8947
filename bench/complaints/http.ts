/** Loopback HTTP for the complaints bench: serving the app, JSON requests with a bearer token, error counts. */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import type { Express } from 'express';
import { outlastClientKeepAlive } from '../../server/http/keepAlive';

export type Api = <T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: T }>;

/** Unexpected answers by `METHOD route status`, and failed requests; printed at the end. */
export const httpErrors = new Map<string, number>();

export function countError(what: string): void {
  httpErrors.set(what, (httpErrors.get(what) ?? 0) + 1);
}

/** Serves `app` on a free loopback port. */
export async function serve(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await new Promise<http.Server>((resolve, reject) => {
    // As the service serves (server/supervisor/http.ts).
    const s = outlastClientKeepAlive(app.listen(0, '127.0.0.1', () => resolve(s)));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** JSON requests against `baseUrl`, with a bearer token when given. */
export function apiClient(baseUrl: string, token?: string): Api {
  return async <T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = { ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/** The route without ids or query, for error counts. */
export const routeOf = (path: string) => path.split('?')[0]!.replace(/\/(cmp-|pi-)[^/]+/g, '/{id}');
