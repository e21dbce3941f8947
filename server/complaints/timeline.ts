/**
 * A complaint's timeline is kept in two places (decision 0060). Entries that go with a change of
 * the complaint's fields are embedded in the complaint document, written in its compare-and-set
 * (store.ts). Entries that change nothing else on the complaint (a task completed through the
 * API, a comment, a transfer) are documents of their own in `complaint_timeline`, appended with
 * one insert: no lock, no read or rewrite of the complaint. Their `_id` is
 * `<complaintId>:<entryId>`, so a retried request writes one (the duplicate key says it is
 * there). Whoever shows, exports, seals or counts a timeline reads both (`mergeTimeline`):
 * one equality read on `complaintId`, the only kind of filter FerretDB answers from an index
 * (decision 0013).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ComplaintRecord, TimelineEntry } from './model';

/** A timeline entry appended beside its complaint. */
export interface AppendedEntry extends TimelineEntry {
  /** `<complaintId>:<entry id>` */
  _id: string;
  complaintId: string;
}

const appendedEntrySchema = new Schema<AppendedEntry>({
  _id: String,
  complaintId: { type: String, required: true, index: true },
  id: { type: String, required: true },
  who: { type: String, required: true },
  name: String,
  what: { type: String, required: true },
  when: { type: Date, required: true },
}, { versionKey: false });

export function timelineModel(connection: Connection): Model<AppendedEntry> {
  return (connection.models.ComplaintTimelineEntry as Model<AppendedEntry> | undefined)
    ?? connection.model<AppendedEntry>('ComplaintTimelineEntry', appendedEntrySchema, 'complaint_timeline');
}

export type TimelineModel = ReturnType<typeof timelineModel>;

export const appendedEntryId = (complaintId: string, entryId: string) => `${complaintId}:${entryId}`;

/** The entry as the embedded timeline holds it (the name only when there is one). */
const asEntry = (e: AppendedEntry): TimelineEntry => ({ id: e.id, who: e.who, ...(e.name ? { name: e.name } : {}), what: e.what, when: new Date(e.when) });

const at = (e: TimelineEntry) => new Date(e.when).getTime();
/** `a` before `b`: earlier, or as early with the smaller id. */
const before = (a: TimelineEntry, b: TimelineEntry) => at(a) < at(b) || (at(a) === at(b) && a.id < b.id);

/**
 * The embedded entries and the appended ones as one timeline, ordered by `when`, then id: the
 * appended ones sorted so and merged into the embedded ones, which keep the order they were
 * written in (a complaint without appended entries reads as before). An id found in both places
 * (it is never written so, but a repaired document might be) counts once: the embedded entry.
 */
export function mergeTimeline(embedded: readonly TimelineEntry[], appended: readonly AppendedEntry[]): TimelineEntry[] {
  const ids = new Set(embedded.map((e) => e.id));
  const beside = appended.filter((e) => !ids.has(e.id)).map(asEntry).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const merged: TimelineEntry[] = [];
  let i = 0;
  for (const e of embedded) {
    while (i < beside.length && before(beside[i]!, e)) merged.push(beside[i++]!);
    merged.push(e);
  }
  return [...merged, ...beside.slice(i)];
}

/** Reads a complaint's appended entries. */
export function appendedEntries(timeline: TimelineModel, complaintId: string): Promise<AppendedEntry[]> {
  return timeline.find({ complaintId }).lean<AppendedEntry[]>();
}

/** The complaint with its whole timeline: the embedded entries and those appended beside it. */
export async function withWholeTimeline(timeline: TimelineModel, complaint: ComplaintRecord): Promise<ComplaintRecord> {
  return { ...complaint, timeline: mergeTimeline(complaint.timeline, await appendedEntries(timeline, complaint._id)) };
}
