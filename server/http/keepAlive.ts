/**
 * How long the HTTP server keeps an idle connection open. Node closes it after 5 s, while a
 * client that reuses its pooled connection at that moment writes a request into a socket the
 * server is closing and gets ECONNRESET (a test run lost a request that way). Load balancers
 * and proxies in front of the service reuse connections for up to 60 s (AWS ALB's default), so
 * the server outlasts them: whoever closes an idle connection first should be the client.
 */
import type http from 'node:http';

export const KEEP_ALIVE_MS = 65_000;

export function outlastClientKeepAlive(server: http.Server): http.Server {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // A request's headers may take as long as before, counted from a reused connection's idle end.
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  return server;
}
