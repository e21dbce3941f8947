/**
 * Starting an embedded server on a port: a port another program holds is refused before the
 * start (and named with the setting that moves it), a server that dies is reported at once with
 * its last lines, and test ports come from a range the OS does not hand out.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startAndWaitForPort } from '../../../server/infra/embeddedServers';
import { ManagedProcess } from '../../../server/infra/managedProcess';
import { freePortIn } from '../../../server/infra/ports';
import { testPort } from '../../support/ports';

const listenOn = (port: number) => new Promise<net.Server>((resolve, reject) => {
  const server = net.createServer((socket) => socket.destroy());
  server.once('error', reject);
  server.listen(port, '127.0.0.1', () => resolve(server));
});
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('embedded server ports', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-ports-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A stand-in server: node listening on `port` (or exiting at once with `exitCode`). */
  const server = (port: number, exitCode?: number) => new ManagedProcess({
    name: 'Stand-in server',
    command: process.execPath,
    args: ['-e', exitCode === undefined
      ? `require('net').createServer(s => s.destroy()).listen(${port}, '127.0.0.1')`
      : `console.error('listen tcp 127.0.0.1:${port}: bind: address already in use'); process.exit(${exitCode})`],
    logFile: path.join(dir, 'server.log'),
  });

  it('refuses a port another program already listens on, naming the setting, and starts nothing', async () => {
    const port = await testPort();
    const other = await listenOn(port);
    const proc = server(port);
    try {
      await expect(startAndWaitForPort(proc, port, 5000, 'EMBEDDED_FERRETDB_PORT')).rejects.toThrow(
        `Stand-in server cannot listen on 127.0.0.1:${port}: another program already uses that port; set EMBEDDED_FERRETDB_PORT to a free port`);
      expect(proc.running).toBe(false);
    } finally {
      await close(other);
    }
  });

  it('waits for a free port to be served by the started server', async () => {
    const port = await testPort();
    const proc = server(port);
    try {
      await startAndWaitForPort(proc, port, 10_000);
      expect(proc.running).toBe(true);
    } finally {
      await proc.stop(2000);
    }
  });

  it('reports a server that exits before listening at once, with its last lines, not after the wait', async () => {
    const port = await testPort();
    // Waiting out the 10 minutes would fail this test on jest's 15 s.
    await expect(startAndWaitForPort(server(port, 1), port, 600_000)).rejects.toThrow(
      /Stand-in server exited with code 1:[\s\S]*address already in use/);
  }, 15_000);

  it('picks test ports below the ephemeral range and never the same one twice in a row', async () => {
    const ports = [await testPort(), await testPort(), await testPort()];
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) expect(port).toBeLessThan(32_768);
  });

  it('skips a taken port of a range and says when the whole range is taken', async () => {
    const first = await testPort();
    const held = await listenOn(first);
    try {
      expect(await freePortIn(first, first + 1)).toBe(first + 1);
      await expect(freePortIn(first, first)).rejects.toThrow(`no free port on 127.0.0.1 between ${first} and ${first}`);
    } finally {
      await close(held);
    }
  });
});
