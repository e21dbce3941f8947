/**
 * A promise rejected with nobody listening (a background task meeting a closed connection while
 * the service stops) no longer ends the service with exit 1: it is logged, without the data.
 * Real node processes running the built service modules.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const dist = path.join(__dirname, '../../dist/server');
const script = (withHandler: boolean, stopping: boolean) => `
  const { createLogger } = require(${JSON.stringify(path.join(dist, 'log.js'))});
  const { logUnhandledRejections } = require(${JSON.stringify(path.join(dist, 'infra/unhandled.js'))});
  if (${withHandler}) logUnhandledRejections(createLogger('info'), () => ${stopping});
  Promise.reject(new Error('flush failed: connection closed'));
  setTimeout(() => process.exit(0), 300);
`;
const run = (withHandler: boolean, stopping: boolean) =>
  spawnSync(process.execPath, ['-e', script(withHandler, stopping)], { encoding: 'utf8', timeout: 20_000 });
const lines = (out: string) => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string; err?: string });

describe('a rejected promise nobody handles', () => {
  it('ends a plain node process with exit 1 (what the service did)', () => {
    expect(run(false, false).status).toBe(1);
  });

  it('is logged as an error while running, and the process goes on', () => {
    const result = run(true, false);
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([expect.objectContaining({ level: 50, err: 'Error: flush failed: connection closed', msg: expect.stringMatching(/keeps running/) })]);
  });

  it('is a warning while stopping', () => {
    const result = run(true, true);
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([expect.objectContaining({ level: 40, err: 'Error: flush failed: connection closed', msg: 'a background task failed while stopping' })]);
  });
});
