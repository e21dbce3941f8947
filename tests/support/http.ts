import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type http from 'node:http';
import { outlastClientKeepAlive } from '../../server/http/keepAlive';

/** Serves `app` on a free loopback port; returns its base URL and a closer. */
export async function serve(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await new Promise<http.Server>((resolve) => {
    const s = outlastClientKeepAlive(app.listen(0, '127.0.0.1', () => resolve(s)));
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
