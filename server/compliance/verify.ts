/**
 * Verification of the audit chains: every chain link and hash (`verifyEntries`), then, for each
 * sealed fact of the complaint's own record (its whole timeline, embedded and appended beside it;
 * commitments, evaluations, photos, the intake) and each comment, that the stored record still
 * says what was sealed, and that no sealed timeline entry is gone. Reports the first problem of
 * each chain; chains are read one complaint at a time by equality on `complaintId` (decision 0013).
 */
import type { Connection } from 'mongoose';
import { complaintModels, type ComplaintRecord } from '../complaints/model';
import { auditChain, entryId, fieldHashesOf, storable, verifyEntries, type ChainProblem } from './auditChain';
import { canonicalJson } from './canonical';
import { factsOf } from './facts';

/**
 * The facts whose source no step rewrites: the complaint's own record and task comments. Read
 * models (tasks, element events, SLA clocks) may be rewritten by the projection or repaired by
 * the reconciler from the engine (decision 0025); for those the chain alone is the evidence.
 */
const SOURCE_CHECKED = new Set(['complaint.filed', 'timeline', 'commitment.made', 'commitment.fulfilled', 'evaluation', 'photo', 'comment']);

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
      // A timeline entry is never taken back: one sealed and no longer stored was deleted (an
      // appended one is a document of its own, decision 0060).
      if (!fact && e.kind === 'timeline') return { entries: entries.length, problem: { complaintId, seq: e.seq, entryId: e._id, field: 'key', message: `the stored record no longer holds ${e.key}` } };
      if (!fact || !SOURCE_CHECKED.has(e.kind)) continue;
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
