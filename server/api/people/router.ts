/**
 * GET /api/people/names: staff by name instead of by id, for the pages that show who did
 * what (inbox, task panel, timeline, instance viewer). An id may be a user id, a staff id
 * (`staff-032`, what dispatch assigns) or either prefixed `staff:` (how timelines and comments
 * name the author). Customers are never named here: the pages say "the customer".
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { Connection } from 'mongoose';
import { trusted } from 'mongoose';
import { z } from 'zod';
import { authModels } from '../../auth/model';
import { directoryModels } from '../../domain/directory/models';
import { addRoute } from '../../http/route';
import { validationErrorResponse } from '../../http/responses';

const PersonRef = z.string().min(1).max(200).regex(/^[A-Za-z0-9_.:@-]+$/, 'a user id or staff id, optionally prefixed staff:');
export const NamesQuery = z.object({
  ids: z.string().max(10_000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(PersonRef).min(1).max(200))
    .meta({ description: 'Comma-separated user ids or staff ids (at most 200), each optionally prefixed `staff:`' }),
});
const NamesResponse = z.object({
  names: z.record(z.string(), z.string()).meta({ description: 'Each asked id (as asked) that names someone, with their name; unknown ids are left out' }),
}).meta({ id: 'PeopleNames' });

export function createPeopleNames(connection: Connection) {
  const users = authModels(connection).users;
  const staff = directoryModels(connection).staff;
  return async (refs: string[]): Promise<Record<string, string>> => {
    const bare = [...new Set(refs.map((r) => r.replace(/^staff:/, '')))];
    const [byUser, byStaff] = await Promise.all([
      users.find({ $or: [{ _id: trusted({ $in: bare }) }, { staffId: trusted({ $in: bare }) }] }).select({ name: 1, staffId: 1, roles: 1 }).lean(),
      staff.find({ _id: trusted({ $in: bare }) }).select({ name: 1 }).lean(),
    ]);
    const name = new Map<string, string>();
    for (const s of byStaff) name.set(s._id, s.name);
    for (const u of byUser) {
      if (u.roles.length === 1 && u.roles[0] === 'customer') continue;
      name.set(u._id, u.name);
      if (u.staffId && !name.has(u.staffId)) name.set(u.staffId, u.name);
    }
    const answer: Record<string, string> = {};
    for (const ref of refs) {
      const found = name.get(ref.replace(/^staff:/, ''));
      if (found) answer[ref] = found;
    }
    return answer;
  };
}

export function peopleRouter(names: ReturnType<typeof createPeopleNames>, registry: OpenAPIRegistry): Router {
  const router = Router();
  addRoute(router, registry, {
    method: 'get', path: '/api/people/names', operationId: 'getPeopleNames', tags: ['directory'],
    summary: 'Names of staff by user id or staff id (customers are not named)',
    query: NamesQuery,
    responses: { 200: { description: 'The names found', content: { 'application/json': { schema: NamesResponse } } }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    res.json({ names: await names(query.ids) });
  });
  return router;
}
