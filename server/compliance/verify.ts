/**
 * Verification of the audit chains: every chain link and hash (`verifyEntries`), then, for each
 * sealed fact whose source is still stored, that the record says what was sealed (an entry of
 * the complaint's timeline, a comment, a task… changed in the database after sealing shows
 * here). Reports the first problem of each chain; chains are read one complaint at a time by
 * equality on `complaintId` (decision 0013).
 */
import type { Connection } from 'mongoose';
import { complaintModels, type ComplaintRecord } from '../complaints/model';
import { auditChain, entryId, fieldHashesOf, storable, verifyEntries, type ChainProblem } from './auditChain';
import { canonicalJson } from './canonical';
import { factsOf } from './facts';

export interface VerifyReport { chains: number; entries: number; problems: ChainProblem[] }

export function auditVerifier(mongo: Connection, loadSources: (c: ComplaintRecord) => Promise<Parameters<typeof factsOf>[0]>) {
  const chain = auditChain(mongo);
  const complaints = complaintModels(mongo).complaints;

  async function verifyComplaint(complaintId: string): Promise<{ entries: number; problem: ChainProblem | null }> {
    const entries = await chain.read(complaintId);
    const linked = verifyEntries(complaintId, entries);
    if (linked) return { entries: entries.length, problem: linked };
    const complaint = await complaints.findById(complaintId).lean<ComplaintRecord>();
    if (!complaint) {
      return entries.length === 0 ? { entries: 0, problem: null }
        : { entries: entries.length, problem: { complaintId, seq: 0, entryId: entryId(complaintId, 0), field: 'complaint', message: 'the complaint is no longer stored' } };
    }
    const live = new Map(factsOf(await loadSources(complaint)).map((f) => [f.key, f]));
    for (const e of entries) {
      const fact = live.get(e.key);
      if (!fact) continue;
      const now = fieldHashesOf(JSON.parse(canonicalJson(storable(fact.data))) as Record<string, unknown>);
      const sealed = fieldHashesOf(JSON.parse(canonicalJson(e.data)) as Record<string, unknown>);
      const changed = [...new Set([...Object.keys(now), ...Object.keys(sealed)])].sort().find((k) => now[k] !== sealed[k]);
      if (changed) return { entries: entries.length, problem: { complaintId, seq: e.seq, entryId: e._id, field: `data.${changed}`, message: `the stored record (${e.key}) no longer says what was sealed` } };
    }
    return { entries: entries.length, problem: null };
  }

  return {
    verifyComplaint,
    /** Every chain (read through `audit_heads`, one document per complaint). */
    async verifyAll(onChain?: (complaintId: string, done: number) => void): Promise<VerifyReport> {
      const report: VerifyReport = { chains: 0, entries: 0, problems: [] };
      for await (const head of chain.models.heads.find({}, { _id: 1 }).lean<Array<{ _id: string }>>().cursor()) {
        const { entries, problem } = await verifyComplaint(head._id);
        report.chains += 1;
        report.entries += entries;
        if (problem) report.problems.push(problem);
        onChain?.(head._id, report.chains);
      }
      return report;
    },
  };
}
