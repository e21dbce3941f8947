/**
 * Staff counters (directory load and satisfaction) follow the complaint: dispatch adds one to
 * the engineer's load, closing takes it off, an evaluation naming an engineer adds its stars.
 * Each such change is written on the complaint as a `StaffUpdate` with a deterministic id (in
 * the same compare-and-set as the timeline entry that causes it, store.ts), applied to the
 * directory and marked applied (one compare-and-set for all of them).
 *
 * Who applies it is decided under the complaint's document lock, against the stored document:
 * the mutation that creates an update writes it already claimed by its caller (`applying` at
 * the mutation's time, `createdAs`) when that caller applies it right after (it has a
 * directory); leftovers (pending after a failure, or a claim gone stale) are claimed in a
 * compare-and-set of their own (pending -> applying; one claimer wins; all of the complaint's
 * in one). A retry finds an update applied and does nothing; a failed application goes back to
 * pending and is retried by the next step that records on the complaint; a claim older than
 * STALE_CLAIM_MS (its claimer died between creating or claiming and settling, or could not write
 * the outcomes) may be taken over, the one case that can apply twice (decision 0058).
 *
 * A complaint's next step takes over what was left; a complaint that has no next step (its
 * close was the last) is found by the reconciler's sweep (`sweepStaffUpdates`, every pass): the
 * complaints whose `staffUpdatesOpen` flag is set, with an update pending or claimed longer ago
 * than STALE_CLAIM_MS.
 */
import { StaffNotFound, type DirectoryService } from '../domain/directory';
import type { ComplaintModels, ComplaintRecord, StaffUpdate } from './model';

export const STALE_CLAIM_MS = 60_000;
/** Complaints one sweep looks at; the rest wait for the next pass. */
const SWEEP_LIMIT = 200;

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
  const sameTime = (a: Date | null, b: Date) => a !== null && new Date(a).getTime() === b.getTime();

  /**
   * The state a mutation at `at` creates its staff updates in. With a directory, its caller
   * applies them right after the mutation (`applyStaffUpdates` with them as `held`), so they are
   * written claimed by it, which saves the claim's compare-and-set; if it dies before settling
   * them, they wait STALE_CLAIM_MS for a takeover, like updates whose claimer died while
   * applying. Without a directory they are pending, for whoever applies next.
   */
  function createdAs(at: Date): Pick<StaffUpdate, 'state' | 'claimedAt'> {
    return directory ? { state: 'applying', claimedAt: at } : { state: 'pending', claimedAt: null };
  }

  /**
   * Claims every claimable staff update of the complaint (but `except`) in one compare-and-set
   * (under the document lock, so of two concurrent claimers only one sees them claimable): they
   * become `applying` at `claimedAt`. The updates this call claimed, as claimed.
   */
  async function claimStaffUpdates(id: string, claimedAt: Date, except: ReadonlySet<string>): Promise<StaffUpdate[]> {
    let claimed: StaffUpdate[] = [];
    await mutate(id, (doc) => {
      const claimable = claimableAt(claimedAt);
      const list = doc.staffUpdates ?? [];
      claimed = list.filter((u) => claimable(u) && !except.has(u.id)).map((u) => ({ ...u, state: 'applying' as const, claimedAt }));
      if (claimed.length === 0) return null;
      const ids = new Map(claimed.map((u) => [u.id, u]));
      return { set: { staffUpdates: list.map((u) => ids.get(u.id) ?? u) } };
    });
    return claimed;
  }

  /**
   * Sets the outcome of each update this caller holds (still claimed at the `claimedAt` it
   * holds it by: nobody took it over), in one compare-and-set.
   */
  async function settleStaffUpdates(id: string, outcome: ReadonlyMap<string, { claimedAt: Date; change: Partial<StaffUpdate> }>): Promise<void> {
    const mine = (u: StaffUpdate) => {
      const held = outcome.get(u.id);
      return held !== undefined && u.state === 'applying' && sameTime(u.claimedAt, held.claimedAt);
    };
    await mutate(id, (doc) => {
      const list = doc.staffUpdates ?? [];
      if (!list.some(mine)) return null;
      return { set: { staffUpdates: list.map((u) => (mine(u) ? { ...u, ...outcome.get(u.id)?.change } : u)) } };
    });
  }

  /**
   * Applies the complaint's staff updates to the directory, each once (see the file comment):
   * `held`, those the caller's mutation just created claimed (`createdAs`), and every other
   * claimable one, claimed first in one compare-and-set (none when there is none); applied one
   * by one (leftovers first, as they are older), their outcomes written in one more. A staff
   * member the directory does not know is skipped, not an error: engineers may be plain user
   * ids. On another failure, the updates applied so far are marked and the failed one and those
   * after it go back to pending; the failure is thrown.
   * `known`: the complaint as a mutation just returned it, which saves reading it to learn
   * whether anything is claimable.
   */
  async function applyStaffUpdates(id: string, known?: Pick<ComplaintRecord, 'staffUpdates'>, held: readonly StaffUpdate[] = []): Promise<void> {
    if (!directory) return;
    const heldIds = new Set(held.map((u) => u.id));
    const doc = known ?? await complaints.findById(id).select({ staffUpdates: 1 }).lean<Pick<ComplaintRecord, 'staffUpdates'>>();
    const leftover = (doc?.staffUpdates ?? []).some((u) => claimableAt(now())(u) && !heldIds.has(u.id));
    // What this caller holds, each with the claim time it holds it by.
    const claimed = [...(leftover ? await claimStaffUpdates(id, now(), heldIds) : []), ...held]
      .flatMap((update) => (update.state === 'applying' && update.claimedAt !== null ? [{ update, claimedAt: new Date(update.claimedAt) }] : []));
    if (claimed.length === 0) return; // someone else has them
    const outcome = new Map<string, { claimedAt: Date; change: Partial<StaffUpdate> }>();
    let failed = false;
    let failure: unknown;
    for (const { update, claimedAt } of claimed) {
      const settle = (change: Partial<StaffUpdate>) => outcome.set(update.id, { claimedAt, change });
      if (failed) {
        settle({ state: 'pending', claimedAt: null });
        continue;
      }
      try {
        if (update.kind === 'load') await directory.adjustLoad(update.staffId, update.amount);
        else await directory.recordEvaluation(update.staffId, update.amount, update.review ? { id: update.id, tags: update.review.tags, comment: update.review.comment, at: new Date(update.review.at) } : undefined);
        settle({ state: 'applied' });
      } catch (err) {
        if (err instanceof StaffNotFound) {
          settle({ state: 'skipped' });
        } else {
          failed = true;
          failure = err;
          settle({ state: 'pending', claimedAt: null });
        }
      }
    }
    await settleStaffUpdates(id, outcome);
    if (failed) throw failure;
  }

  /**
   * Applies the staff updates stopped processes left: of up to `limit` complaints with unsettled
   * updates, those where one is claimable (pending, or claimed longer ago than STALE_CLAIM_MS).
   * A claim younger than that is left to its claimer. Returns how many complaints it applied;
   * one that fails is left for the next pass.
   */
  async function sweepStaffUpdates(limit = SWEEP_LIMIT): Promise<number> {
    if (!directory) return 0;
    const open = await complaints.find({ staffUpdatesOpen: true }).select({ staffUpdates: 1 }).limit(limit)
      .lean<Array<Pick<ComplaintRecord, '_id' | 'staffUpdates'>>>();
    let applied = 0;
    let failure: unknown;
    for (const doc of open) {
      if (!(doc.staffUpdates ?? []).some(claimableAt(now()))) continue;
      try {
        await applyStaffUpdates(doc._id);
        applied += 1;
      } catch (err) {
        failure ??= err;
      }
    }
    // The others were applied; the failed ones are pending again, for the next pass.
    if (failure !== undefined) throw failure;
    return applied;
  }

  return { applyStaffUpdates, createdAs, sweepStaffUpdates };
}
