/**
 * Searching work orders (issue 14 item 5): the text, department and creation-date filters that
 * the task list (GET /api/tasks) and the complaint list (GET /api/complaints) share, validated
 * by zod (400 with the field paths), and the database filter they become. Decision 0051 says
 * which of them FerretDB answers from an index and which it filters after reading.
 */
import { trusted } from 'mongoose';
import { z } from 'zod';
import { formatComplaintNumber, parseComplaintNumber } from '../domain/complaintNumber';

/** A day (`2026-12-05`, the whole day in UTC) or an instant with its offset. */
const Instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const WorkOrderSearch = z.object({
  q: z.string().trim().min(1).max(100).optional()
    .meta({ description: "Case-insensitive text (literal, not a pattern): in a task's name, element id or business key, in a complaint's title; a complaint number (`C-000123`, `c123`) finds that complaint and its tasks" }),
  department: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a department or group id (lower case, digits, -)').optional()
    .meta({ description: 'Tasks: offered to this candidate group (after-sales, technical, …)' }),
  createdFrom: Instant.optional().meta({ description: 'Created at or after: an ISO 8601 instant with offset, or a day (from its start, UTC)' }),
  createdTo: Instant.optional().meta({ description: 'Created at or before: an ISO 8601 instant with offset, or a day (to its end, UTC)' }),
});
export type WorkOrderSearch = z.output<typeof WorkOrderSearch>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The first millisecond a `createdFrom` admits. */
export const fromInstant = (v: string) => new Date(DAY.test(v) ? `${v}T00:00:00.000Z` : v);
/** The last millisecond a `createdTo` admits (a day: its last millisecond, UTC). */
export const toInstant = (v: string) => new Date(DAY.test(v) ? `${v}T23:59:59.999Z` : v);

/** zod refinement: a range that ends before it starts is refused, naming `createdTo`. */
export function createdRangeInOrder(q: { createdFrom?: string; createdTo?: string }, ctx: z.RefinementCtx): void {
  if (q.createdFrom && q.createdTo && toInstant(q.createdTo) < fromInstant(q.createdFrom)) {
    ctx.addIssue({ code: 'custom', path: ['createdTo'], message: 'must not be before createdFrom' });
  }
}

export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `createdAt` within the range: our own operators over validated dates. */
export function createdWithin(search: Pick<WorkOrderSearch, 'createdFrom' | 'createdTo'>): Record<string, unknown> {
  if (!search.createdFrom && !search.createdTo) return {};
  return {
    createdAt: trusted({
      ...(search.createdFrom ? { $gte: fromInstant(search.createdFrom) } : {}),
      ...(search.createdTo ? { $lte: toInstant(search.createdTo) } : {}),
    }),
  };
}

/**
 * The task filter of a search. The department is an equality on `candidateGroups` (indexed:
 * FerretDB on PostgreSQL pushes it down as containment); the text and the range are filtered
 * after that read. The text is one `$or` of escaped, case-insensitive patterns, so it goes in
 * an `$and` beside the scope's own `$or`.
 */
export function taskSearchFilter(search: WorkOrderSearch): { equality: Record<string, unknown>; rest: Record<string, unknown>[] } {
  const equality = search.department ? { candidateGroups: search.department } : {};
  const rest: Record<string, unknown>[] = [];
  const range = createdWithin(search);
  if (Object.keys(range).length) rest.push(range);
  if (search.q) {
    const text = new RegExp(escapeRegex(search.q), 'i');
    // A complaint number (`C-000123`) finds the tasks of that complaint's processes: their
    // projection carries it from the `complaintNumber` variable (decision 0050 addendum).
    const n = parseComplaintNumber(search.q);
    rest.push({ $or: [{ name: text }, { elementId: text }, { 'owner.businessKey': text }, ...(n === null ? [] : [{ 'owner.complaintNumber': formatComplaintNumber(n) }])] });
  }
  return { equality, rest };
}
