/**
 * Staff counters (directory load and satisfaction) follow the complaint: dispatch adds one to
 * the engineer's load, closing takes it off, an evaluation naming an engineer adds its stars.
 * Each such change is first written on the complaint as a `StaffUpdate` with a deterministic id
 * (in the same compare-and-set as the timeline entry that causes it, store.ts), then claimed
 * (pending -> applying, compare-and-set: one claimer wins; all pending updates of the complaint
 * in one), applied to the directory and marked applied (all in one compare-and-set again). A
 * retry finds it applied and does nothing; a failed application goes back to pending and is
 * retried by the next step that records on the complaint; a claim older than STALE_CLAIM_MS
 * (its claimer died, or could not write the outcomes) may be taken over, the one case that can
 * apply twice (decision 0058).
 */
import { StaffNotFound, type DirectoryService } from '../domain/directory';
import type { ComplaintModels, ComplaintRecord, StaffUpdate } from './model';

export const STALE_CLAIM_MS = 60_000;

/** What the store needs of the directory: its two counters. */
export type StaffCounters = Pick<DirectoryService, 'adjustLoad' | 'recordEvaluation'>;

interface StaffUpdateDeps {
  complaints: ComplaintModels['complaints'];
  /** The store's compare-and-set under the complaint's document lock (here: of its staff updates only). */
  mutate(id: string, fn: (doc: ComplaintRecord) => { set: Pick<ComplaintRecord, 'staffUpdates'> } | null): Promise<ComplaintRecord | undefined>;
  now: () => Date;
  directory?: StaffCounters;
}

export function staffUpdates({ complaints, mutate, now, directory }: StaffUpdateDeps) {
  /** A staff update nobody is applying: pending, or claimed longer ago than STALE_CLAIM_MS (its claimer died). */
  const claimableAt = (at: Date) => (u: StaffUpdate) => u.state === 'pending'
    || (u.state === 'applying' && (u.claimedAt === null || at.getTime() - new Date(u.claimedAt).getTime() > STALE_CLAIM_MS));

  /**
   * Claims every claimable staff update of the complaint in one compare-and-set (under the
   * document lock, so of two concurrent claimers only one sees them claimable): they become
   * `applying` at `claimedAt`. The updates this call claimed, as they were claimed.
   */
  async function claimStaffUpdates(id: string, claimedAt: Date): Promise<StaffUpdate[]> {
    let claimed: StaffUpdate[] = [];
    await mutate(id, (doc) => {
      const claimable = claimableAt(claimedAt);
      const list = doc.staffUpdates ?? [];
      claimed = list.filter(claimable);
      if (claimed.length === 0) return null;
      const ids = new Set(claimed.map((u) => u.id));
      return { set: { staffUpdates: list.map((u) => (ids.has(u.id) ? { ...u, state: 'applying' as const, claimedAt } : u)) } };
    });
    return claimed;
  }

  /** Sets the outcome of each update this caller claimed at `claimedAt` (still its claim), in one compare-and-set. */
  async function settleStaffUpdates(id: string, claimedAt: Date, outcome: ReadonlyMap<string, Partial<StaffUpdate>>): Promise<void> {
    const mine = (u: StaffUpdate) => u.state === 'applying' && u.claimedAt !== null && new Date(u.claimedAt).getTime() === claimedAt.getTime();
    await mutate(id, (doc) => {
      const list = doc.staffUpdates ?? [];
      if (!list.some((u) => outcome.has(u.id) && mine(u))) return null;
      return { set: { staffUpdates: list.map((u) => (outcome.has(u.id) && mine(u) ? { ...u, ...outcome.get(u.id) } : u)) } };
    });
  }

  /**
   * Applies the complaint's pending staff updates to the directory, each once (see the file
   * comment): all of them claimed in one compare-and-set, applied one by one, their outcomes
   * written in one more. A staff member the directory does not know is skipped, not an error:
   * engineers may be plain user ids. On another failure, the updates applied so far are marked
   * and the failed one and those after it go back to pending; the failure is thrown.
   * `known`: the complaint as a mutation just returned it, which saves reading it to learn
   * whether anything is pending.
   */
  async function applyStaffUpdates(id: string, known?: Pick<ComplaintRecord, 'staffUpdates'>): Promise<void> {
    if (!directory) return;
    const doc = known ?? await complaints.findById(id).select({ staffUpdates: 1 }).lean<Pick<ComplaintRecord, 'staffUpdates'>>();
    if (!(doc?.staffUpdates ?? []).some(claimableAt(now()))) return;
    const claimedAt = now();
    const claimed = await claimStaffUpdates(id, claimedAt);
    if (claimed.length === 0) return; // someone else has them
    const outcome = new Map<string, Partial<StaffUpdate>>();
    let failed = false;
    let failure: unknown;
    for (const update of claimed) {
      if (failed) {
        outcome.set(update.id, { state: 'pending', claimedAt: null });
        continue;
      }
      try {
        if (update.kind === 'load') await directory.adjustLoad(update.staffId, update.amount);
        else await directory.recordEvaluation(update.staffId, update.amount, update.review ? { id: update.id, tags: update.review.tags, comment: update.review.comment, at: new Date(update.review.at) } : undefined);
        outcome.set(update.id, { state: 'applied' });
      } catch (err) {
        if (err instanceof StaffNotFound) {
          outcome.set(update.id, { state: 'skipped' });
        } else {
          failed = true;
          failure = err;
          outcome.set(update.id, { state: 'pending', claimedAt: null });
        }
      }
    }
    await settleStaffUpdates(id, claimedAt, outcome);
    if (failed) throw failure;
  }

  return { applyStaffUpdates };
}
