/**
 * Versions before the database attachment store kept photos under
 * DATA_DIR/attachments/<complaint id>/<attachment id>. At start, each such file is imported
 * once into the store (attachmentStore.ts), checked against what the complaint says of it
 * (size and SHA-256, before and after the copy). Only when every file the complaints refer to
 * is verified in the database is the folder renamed to `attachments.imported-<time>` — kept,
 * never deleted, so nothing is lost if something went wrong. Otherwise it stays and the next
 * start tries again.
 *
 * Safe to run twice, and by two processes sharing one DATA_DIR at the same time: the store's
 * writes are idempotent by id, and the rename happens once.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';
import type { AttachmentStore } from './attachmentStore';
import type { ComplaintModels } from './model';

export interface ImportReport {
  /** Files copied into the database by this run. */
  imported: number;
  /** Files the database already held, identical. */
  present: number;
  /** Files no complaint refers to (kept in the renamed folder, not imported). */
  unreferenced: number;
  /** Files that did not match their complaint's size or checksum, or could not be verified. */
  failed: number;
  /** Where the folder went, when everything was verified. */
  renamedTo?: string;
}

const COMPLAINT_DIR = /^cmp-[0-9a-f-]{36}$/;
const ATTACHMENT_FILE = /^att-[0-9a-f-]{36}$/;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** True when `err` says a file is gone because another process renamed the whole folder. */
async function folderMovedAway(err: unknown, dir: string): Promise<boolean> {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' && !(await isDirectory(dir));
}

const MOVED_AWAY = 'legacy attachments: another process moved the folder while this one imported it';

export async function importLegacyAttachments(deps: {
  dir: string;
  files: AttachmentStore;
  complaints: ComplaintModels['complaints'];
  log: Logger;
  now?: () => Date;
}): Promise<ImportReport | undefined> {
  const { dir, files, complaints, log } = deps;
  let complaintIds: string[];
  try {
    complaintIds = (await readdir(dir)).sort();
  } catch (err) {
    // No folder (or another process renamed it a moment ago): nothing to import.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
  const report: ImportReport = { imported: 0, present: 0, unreferenced: 0, failed: 0 };
  for (const complaintId of complaintIds) {
    const folder = path.join(dir, complaintId);
    if (!COMPLAINT_DIR.test(complaintId) || !(await isDirectory(folder))) continue;
    const complaint = await complaints.findById(complaintId).select({ attachments: 1 }).lean();
    let names: string[];
    try {
      names = (await readdir(folder)).sort();
    } catch (err) {
      // Between the check above and this read, another process may have renamed DATA_DIR/attachments.
      if (!(await folderMovedAway(err, dir))) throw err;
      log.info(MOVED_AWAY);
      return report;
    }
    for (const attachmentId of names) {
      if (!ATTACHMENT_FILE.test(attachmentId)) continue;
      const meta = complaint?.attachments.find((a) => a.id === attachmentId);
      if (!meta) {
        report.unreferenced += 1;
        continue;
      }
      // Ids only in logs: file names and complaint content may be personal.
      const where = { complaintId, attachmentId };
      try {
        const body = await readFile(path.join(folder, attachmentId));
        const sha256 = createHash('sha256').update(body).digest('hex');
        if (body.length !== meta.size || sha256 !== meta.sha256) {
          report.failed += 1;
          log.warn(where, 'legacy attachment does not match its size or checksum on the complaint: not imported');
          continue;
        }
        const before = await files.stat(attachmentId);
        await files.put(attachmentId, body, { filename: meta.filename, complaintId, contentType: meta.contentType, uploadDate: new Date(meta.uploadedAt) });
        const stored = await files.checksum(attachmentId);
        if (stored?.length !== meta.size || stored.sha256 !== meta.sha256) {
          report.failed += 1;
          log.warn(where, 'legacy attachment read back from the database does not match: folder kept');
          continue;
        }
        if (before) report.present += 1;
        else report.imported += 1;
      } catch (err) {
        if (await folderMovedAway(err, dir)) {
          log.info(MOVED_AWAY);
          return report;
        }
        report.failed += 1;
        log.warn({ ...where, err: errorText(err) }, 'legacy attachment not imported');
      }
    }
  }
  if (report.failed === 0) {
    const stamp = (deps.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const target = `${dir}.imported-${stamp}`;
    try {
      await rename(dir, target);
      report.renamedTo = target;
    } catch (err) {
      // Another process sharing DATA_DIR renamed it first.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const level = report.failed > 0 ? 'warn' : 'info';
  log[level]({ ...report }, report.failed > 0
    ? 'legacy attachments: some could not be imported; DATA_DIR/attachments is kept and the next start tries again'
    : 'legacy attachments imported into the database; the old folder is kept under its new name');
  return report;
}
