/**
 * A postmaster.pid naming a dead or zombie process is removed before PostgreSQL starts (chaos,
 * SIGTERM under load: the supervisor's forced exit left a killed postmaster unreaped, and every
 * later start failed on its lock file); a live one's is kept.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeStaleLock } from '../../../server/infra/embeddedPostgres';

/** Folders this file made, removed after it. */
const made: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-lock-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const lockIn = (pid: number) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${pid}\n${dir}\n1796476159\n5432\n`);
  return dir;
};
const exists = (dir: string) => fs.existsSync(path.join(dir, 'postmaster.pid'));
const stateOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};

describe('the stale PostgreSQL lock file', () => {
  it('is removed when its process is a zombie nobody reaps', async () => {
    // given a process that exited and whose parent (a shell exec'd into sleep) never reaps it
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
      for (let i = 0; i < 50 && stateOf(pid) !== 'Z'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(stateOf(pid)).toBe('Z');
      const dir = lockIn(pid);
      // when it is checked, then the lock file is gone
      expect(removeStaleLock(dir)).toBe(true);
      expect(exists(dir)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('is removed when its process is gone', () => {
    const gone = spawn('true');
    const dir = lockIn(gone.pid!);
    return new Promise<void>((resolve) => gone.once('exit', () => {
      expect(removeStaleLock(dir)).toBe(true);
      expect(exists(dir)).toBe(false);
      resolve();
    }));
  });

  it('is kept while its process runs', () => {
    const dir = lockIn(process.pid);
    expect(removeStaleLock(dir)).toBe(false);
    expect(exists(dir)).toBe(true);
  });

  it('is left alone when there is none', () => {
    const dir = tempDir();
    expect(removeStaleLock(dir)).toBe(false);
  });
});
