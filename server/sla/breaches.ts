/**
 * The breach records (`sla_breaches`), newest first, paged by an opaque keyset cursor
 * (breachedAt and _id of the last item), so a page never repeats or skips a breach written
 * meanwhile behind the cursor.
 */
import { trusted } from 'mongoose';
import { Invalid } from '../domain/errors';
import { clockLabels, type SlaBreachRecord, type SlaModels } from '../projections/slaModels';

export interface BreachQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  department?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface BreachItem extends Omit<SlaBreachRecord, '_id' | 'dueAt' | 'breachedAt'> {
  id: string;
  dueAt: string;
  breachedAt: string;
}

interface Cursor { at: number; id: string }

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.at, c.id]), 'utf8').toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && typeof value[1] === 'string') {
      return { at: value[0] as number, id: value[1] };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new Invalid('invalid_request', 'The request is not valid', {
    fields: [{ path: 'cursor', message: 'not a cursor this API returned' }],
  });
}

export async function listBreaches(models: SlaModels, q: BreachQuery): Promise<{ items: BreachItem[]; nextCursor: string | null }> {
  const cursor = q.cursor !== undefined ? decodeCursor(q.cursor) : undefined;
  const range = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
  const and: object[] = [];
  // sanitizeFilter strips operators from request data; each of ours is marked as trusted.
  if (Object.keys(range).length) and.push({ breachedAt: trusted(range) });
  if (q.department !== undefined) and.push({ department: q.department });
  if (cursor) {
    const at = new Date(cursor.at);
    and.push(trusted({ $or: [{ breachedAt: trusted({ $lt: at }) }, { breachedAt: at, _id: trusted({ $lt: cursor.id }) }] }));
  }
  const filter = and.length ? trusted({ $and: and }) : {};
  const docs = await models.breaches.find(filter).sort({ breachedAt: -1, _id: -1 }).limit(q.limit + 1).lean<SlaBreachRecord[]>();
  const page = docs.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(({ _id, dueAt, breachedAt, ...rest }) => ({
      id: _id,
      ...clockLabels(rest),
      definitionKey: rest.definitionKey,
      dueAt: new Date(dueAt).toISOString(),
      breachedAt: new Date(breachedAt).toISOString(),
      escalatedTo: rest.escalatedTo ?? [],
    })),
    nextCursor: docs.length > q.limit && last ? encodeCursor({ at: new Date(last.breachedAt).getTime(), id: last._id }) : null,
  };
}
