/**
 * The HTTP server keeps an idle connection open longer than clients and proxies keep theirs
 * (65 s, and says so in the Keep-Alive header), so a client reusing its pooled connection never
 * writes into one the server is closing: at Node's default of 5 s, a reused connection was
 * reset under load.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEEP_ALIVE_MS, outlastClientKeepAlive } from '../../../server/http/keepAlive';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HTTP keep-alive', () => {
  let server: http.Server;
  let agent: http.Agent;
  beforeEach(async () => {
    server = outlastClientKeepAlive(http.createServer((req, res) => res.end(String(req.socket.remotePort))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterEach(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const get = () => new Promise<{ clientPort: string; keepAlive: string }>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ clientPort: body, keepAlive: String(res.headers['keep-alive']) }));
    }).on('error', reject);
  });

  it('announces the longer timeout and still serves a connection idle past Node\'s default 5 s', async () => {
    const first = await get();
    expect(first.keepAlive).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
    // when the pooled connection idles past Node's default
    await sleep(5_500);
    const second = await get();
    // then the same connection served it
    expect(second.clientPort).toBe(first.clientPort);
  }, 20_000);
});
