/**
 * DATA_DIR holds personal data (complaints in PostgreSQL, the Temporal database, photos of
 * older versions) and secrets (the PostgreSQL password, the customer-link and payload keys):
 * nobody but the service's account may read any of it (docs/security.md, "Personal data").
 *
 * - `restrictNewFiles` sets the process umask to 077 before anything is created, so every file
 *   and folder this process and its children (Temporal dev server, FerretDB) create is 0600 / 0700;
 * - `secureDataDir` tightens what is already there at start: folders 0700, files 0600 (symbolic
 *   links are not followed).
 *   PostgreSQL's own folder is left to PostgreSQL (it keeps it 0700 itself, owned by the account
 *   it runs as). When that account is not ours (the service runs as root), DATA_DIR is 0710 with
 *   that account's group, so it can pass through to its folder and list nothing.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Folders directly in DATA_DIR that their own server keeps (and may own). */
const SELF_MANAGED = new Set(['postgres']);

/** From now on this process and its children create files 0600 and folders 0700. */
export function restrictNewFiles(): void {
  process.umask(0o077);
}

export interface SecureReport {
  /** Paths (relative to DATA_DIR) whose mode was tightened. */
  tightened: string[];
}

function tighten(file: string, mode: number, root: string, report: SecureReport): void {
  const st = fs.lstatSync(file);
  if ((st.mode & 0o777) === mode) return;
  fs.chmodSync(file, mode);
  report.tightened.push(path.relative(root, file) || '.');
}

function walk(dir: string, root: string, report: SecureReport): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (dir === root && SELF_MANAGED.has(entry.name)) continue;
    // Symbolic links are not followed: their mode means nothing and their target is not ours.
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      tighten(full, 0o700, root, report);
      walk(full, root, report);
    } else if (entry.isFile()) {
      tighten(full, 0o600, root, report);
    }
  }
}

/**
 * Creates DATA_DIR (0700) if missing and tightens everything in it. `passThroughGid`: the group of
 * the account PostgreSQL runs as when it is not this process's (DATA_DIR becomes 0710 for it).
 */
export function secureDataDir(dataDir: string, passThroughGid?: number): SecureReport {
  const root = path.resolve(dataDir);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const report: SecureReport = { tightened: [] };
  if (passThroughGid !== undefined) {
    const st = fs.statSync(root);
    if (st.gid !== passThroughGid) fs.chownSync(root, st.uid, passThroughGid);
    tighten(root, 0o710, root, report);
  } else if ((fs.statSync(root).mode & 0o777) !== 0o710) {
    // 0710 is what `npm start` leaves for PostgreSQL's account; a worker sharing DATA_DIR keeps it.
    tighten(root, 0o700, root, report);
  }
  walk(root, root, report);
  return report;
}
