/**
 * People and complaints as people read them: staff by name (GET /api/people/names), complaints
 * by their short number. Full internal ids (`staff-032`, `cmp-<uuid>`, user ids) stay out of sight.
 */
import { api } from './api';

/**
 * A complaint as lists and headings show it: its number (`C-000123`, assigned at intake) when
 * the data carries it; a complaint filed before numbers by the first 8 hex digits of its id
 * (cmp-0b8f3c1e-… → #0B8F3C1E).
 */
export const complaintNumber = (id: string, number?: string | null): string =>
  number ?? `#${id.replace(/^cmp-/, '').slice(0, 8).toUpperCase()}`;

/** The complaint number a process carries in its `complaintNumber` variable, if any. */
export const numberOf = (variables: Record<string, unknown> | undefined): string | null =>
  (typeof variables?.complaintNumber === 'string' ? variables.complaintNumber : null);

/** A business key as shown: a complaint's by its number, any other (a designer's own key) as it is. */
export const readableKey = (businessKey: string, number?: string | null): string =>
  (/^cmp-[0-9a-f-]{36}$/.test(businessKey) ? complaintNumber(businessKey, number) : businessKey);

/** Names already asked for this session (staff names do not change under a page). */
const known = new Map<string, string | null>();

/**
 * The names of the given user ids / staff ids (optionally `staff:`-prefixed); an id without a
 * name (a customer, someone unknown, or the lookup failing) maps to nothing.
 */
export async function loadNames(ids: Iterable<string | null | undefined>): Promise<ReadonlyMap<string, string>> {
  const wanted = [...new Set([...ids].filter((x): x is string => typeof x === 'string' && /^[A-Za-z0-9_.:@-]{1,200}$/.test(x)))];
  const missing = wanted.filter((x) => !known.has(x));
  for (let i = 0; i < missing.length; i += 200) {
    const chunk = missing.slice(i, i + 200);
    try {
      const { names } = await api.get<{ names: Record<string, string> }>('/api/people/names', { ids: chunk.join(',') });
      for (const id of chunk) known.set(id, names[id] ?? null);
    } catch {
      // Names are a courtesy: without them the pages say "a colleague".
    }
  }
  const answer = new Map<string, string>();
  for (const id of wanted) {
    const name = known.get(id);
    if (name) answer.set(id, name);
  }
  return answer;
}
