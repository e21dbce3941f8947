/**
 * Personal data (issue 12, item 3) against `npm start` as users run it: the built service with
 * its embedded Temporal, PostgreSQL and FerretDB, on a DATA_DIR that an earlier version left
 * readable to everyone, is made private: the folder 0700, every folder in it 0700, every file 0600.
 */
import fs from 'node:fs';
import path from 'node:path';
import { postgresAccount } from '../../server/infra/embeddedPostgres';
import { startOnLooseDataDir, stopService } from '../support/personalDataService';
import type { RunningService, ServiceEnv } from '../support/serviceProcess';

describe('personal data under npm start', () => {
  let service: RunningService;
  let env: ServiceEnv;

  beforeAll(async () => {
    ({ service, env } = await startOnLooseDataDir());
  }, 240_000);

  afterAll(async () => {
    await stopService(service);
  }, 30_000);

  it('keeps DATA_DIR private: the folder 0700, every folder in it 0700 and every file 0600', () => {
    const root = env.DATA_DIR;
    const pg = postgresAccount();
    const rootStat = fs.statSync(root);
    // PostgreSQL runs as another account when we are root: it may pass through DATA_DIR, nobody else may.
    if (pg) {
      expect([(rootStat.mode & 0o777).toString(8), rootStat.gid]).toEqual(['710', pg.gid]);
    } else {
      expect((rootStat.mode & 0o777).toString(8)).toBe('700');
    }
    const loose: string[] = [];
    const seen: string[] = [];
    const visit = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        const rel = path.relative(root, full);
        if (entry.isSymbolicLink()) continue;
        const mode = fs.lstatSync(full).mode & 0o777;
        const inPostgres = rel === 'postgres' || rel.startsWith(`postgres${path.sep}`);
        // PostgreSQL's own folder: 0700 owned by its account; inside, nothing for others at all.
        const allowed = inPostgres ? (mode & 0o007) === 0 && (rel !== 'postgres' || mode === 0o700) : mode === (entry.isDirectory() ? 0o700 : 0o600);
        if (!allowed) loose.push(`${rel} ${mode.toString(8)}`);
        seen.push(rel);
        if (entry.isDirectory()) visit(full);
      }
    };
    visit(root);
    expect(loose).toEqual([]);
    // the parts the service made are there (so the walk saw them): the databases, the logs, the password
    expect(seen).toEqual(expect.arrayContaining([
      'postgres', 'postgres.password', path.join('temporal', 'temporal.db'), path.join('logs', 'temporal.log'),
      path.join('logs', 'postgres.log'), path.join('logs', 'ferretdb.log'), 'customer-link.key', 'payload.keys', 'ferretdb-state',
      path.join('ferretdb-sqlite-migrated', 'complaint_bpm.sqlite'),
    ]));
    if (pg) expect(fs.statSync(path.join(root, 'postgres')).uid).toBe(pg.uid);
  });
});
