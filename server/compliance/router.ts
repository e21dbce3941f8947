/**
 * Compliance routes: search, the complete record, the diagram of the version a complaint ran
 * (read-only), and streamed exports (JSON lines or an HTML document). Declared with addRoute:
 * validated, documented and access-checked (server/auth/policy.ts).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { COMPLAINT_STATUSES } from '../../activities/integrations/complaintsPort';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { currentUser, type AuthUser } from '../auth/context';
import type { Role } from '../auth/roles';
import { ComplaintId, ComplaintParams } from '../complaints/schemas';
import type { Logger } from '../log';
import { htmlHead, htmlRecord, htmlTail } from './html';
import type { ComplianceService } from './service';

/** Who sees the engine's payloads decrypted (decision 0023, 0037); others see `{ encrypted: true }`. */
export const ENGINE_PAYLOAD_READERS: readonly Role[] = ['compliance', 'admin'];
export const MAX_EXPORT = 5000;

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['compliance'];
const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.coerce.date().meta({ description: 'ISO 8601 date or date-time' });
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const Criteria = {
  q: text(200).optional().meta({ description: 'Words of the title, description, product, comments, evaluations, commitments or the customer\'s name (all must appear); or a complaint id (cmp-…) or instance id (pi-…)' }),
  customer: text(100).optional().meta({ description: 'Customer reference' }),
  engineer: text(200).optional().meta({ description: 'Engineer (staff id) assigned' }),
  department: text(100).optional(),
  status: z.enum(COMPLAINT_STATUSES).optional(),
  category: text(100).optional(),
  severity: z.enum(['low', 'medium', 'high']).optional(),
  process: text(200).optional().meta({ description: 'Key of a process that served it (its own or a commitment\'s), e.g. complaint-handling' }),
  person: text(200).optional().meta({ description: 'A user or staff id who acted on the complaint (timeline, task, comment)' }),
  from: instant.optional(),
  to: instant.optional(),
};
export const ComplianceSearchQuery = z.object({
  ...Criteria,
  page: z.coerce.number().int().min(1).max(100).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});
export const ComplianceExportQuery = z.object({
  ...Criteria,
  complaintId: ComplaintId.optional(),
  format: z.enum(['json', 'html']).default('json'),
  engine: flag.optional().meta({ description: "Include the engine's history (default: true for one complaint, false for a period)" }),
});
const RecordQuery = z.object({ engine: flag.default(true) });
const DiagramQuery = z.object({ instanceId: z.string().regex(/^pi-[0-9a-f-]{36}$/).optional() });

const SearchHit = z.object({
  id: z.string(), title: z.string(), customerId: z.string(), customerName: z.string().nullable(), engineer: z.string().nullable(),
  departments: z.array(z.string()), status: z.string(), category: z.string().nullable(), createdAt: z.string(), instanceIds: z.array(z.string()),
}).meta({ id: 'ComplianceSearchHit' });

const mayDecrypt = (user: AuthUser) => user.roles.some((r) => ENGINE_PAYLOAD_READERS.includes(r));

/** Writes a chunk and waits when the client reads slower than we write. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
  return !res.destroyed;
}

export function complianceRouter(service: ComplianceService, registry: OpenAPIRegistry, log: Logger): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'get', path: '/api/compliance/complaints', operationId: 'searchCompliance', tags: TAGS,
    summary: 'Search complaints and their instances by customer, engineer, department, period, state, category, severity, process, person or text; newest first, bounded pages',
    query: ComplianceSearchQuery,
    responses: { 200: { description: 'A page of matches', ...json(z.object({ items: z.array(SearchHit), page: z.number(), pageSize: z.number(), hasMore: z.boolean() })) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    res.json(await service.search(query));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/compliance/complaints/{id}', operationId: 'getComplianceRecord', tags: TAGS,
    summary: "The complete record of a complaint in order: who did what and when (by name and role), tasks with form data and comments, commitments, evaluations, photos, SLA clocks, process versions and paths, the engine's history, and the audit chain's state",
    params: ComplaintParams,
    query: RecordQuery,
    responses: { 200: { description: 'The record (engine payloads decrypted for compliance and admin only)', ...json(z.record(z.string(), z.unknown())) }, 400: validationErrorResponse, 404: errorResponse('No such complaint') },
  }, async ({ params, query }, req, res) => {
    const user = currentUser(req);
    const record = await service.record(params.id, { engine: query.engine, decrypt: mayDecrypt(user) });
    log.info({ user: user.id, complaintId: params.id, decrypted: record.engine.some((h) => h.decrypted) }, 'compliance: record read');
    res.json(record);
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/compliance/complaints/{id}/diagram', operationId: 'getComplianceDiagram', tags: TAGS,
    summary: 'The BPMN diagram of the process version an instance of the complaint ran (default its own), with the path it took: read-only',
    params: ComplaintParams,
    query: DiagramQuery,
    responses: {
      200: { description: 'The diagram', ...json(z.object({ instanceId: z.string(), definitionKey: z.string(), definitionVersion: z.number(), name: z.string(), xml: z.string(), path: z.array(z.string()), completed: z.array(z.string()) })) },
      400: validationErrorResponse, 404: errorResponse('No such complaint, instance or definition version'),
    },
  }, async ({ params, query }, _req, res) => {
    res.json(await service.diagram(params.id, query.instanceId));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/compliance/export', operationId: 'exportCompliance', tags: TAGS,
    summary: `Export one complaint (complaintId) or a period (from, to, and any search criteria; at most ${MAX_EXPORT} complaints) as JSON lines or an HTML document, streamed`,
    description: 'Progress: the `X-Export-Total` header gives the number of complaints before the first; each JSON line of type `complaint` carries `index` and `total`, each HTML `<article>` `data-index` and `data-total`. '
      + 'The last JSON line (`type: end`) and the HTML footer carry the sha256 digest of the audit chain heads of the exported complaints.',
    query: ComplianceExportQuery,
    responses: {
      200: { description: 'The export', content: { 'application/x-ndjson': { schema: z.string() }, 'text/html': { schema: z.string() } } },
      400: validationErrorResponse, 404: errorResponse('No such complaint'), 413: errorResponse(`More than ${MAX_EXPORT} complaints match (\`export_too_large\`)`),
    },
  }, async ({ query }, req, res) => {
    const user = currentUser(req);
    const ids = await service.exportPlan(query, MAX_EXPORT);
    const engine = query.engine ?? query.complaintId !== undefined;
    const decrypt = mayDecrypt(user);
    const exportedAt = new Date().toISOString();
    const name = query.complaintId ?? `complaints-${query.from?.toISOString().slice(0, 10)}-${query.to?.toISOString().slice(0, 10)}`;
    res.status(200).set({
      'Content-Type': query.format === 'html' ? 'text/html; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.${query.format === 'html' ? 'html' : 'jsonl'}"`,
      'Cache-Control': 'private, no-store',
      'X-Export-Total': String(ids.length),
      'X-Content-Type-Options': 'nosniff',
    });
    log.info({ user: user.id, complaints: ids.length, format: query.format, engine, decrypted: engine && decrypt }, 'compliance: export started');
    const meta = { exportedAt, exportedBy: user.id, total: ids.length, period: query.complaintId ? null : { from: query.from, to: query.to }, engineHistory: engine, decrypted: engine && decrypt };
    if (query.format === 'html') {
      if (!await write(res, htmlHead(`Complaint record export (${ids.length})`, { 'Exported at': exportedAt, 'Exported by': user.id, Complaints: String(ids.length), Period: query.complaintId ? query.complaintId : `${query.from?.toISOString()} – ${query.to?.toISOString()}` }))) return;
    } else if (!await write(res, `${JSON.stringify({ type: 'export', ...meta })}\n`)) return;
    const heads: string[] = [];
    for (const [i, id] of ids.entries()) {
      let chunk: string;
      try {
        const record = await service.record(id, { engine, decrypt });
        heads.push(`${id}:${record.audit.head ?? ''}`);
        chunk = query.format === 'html' ? htmlRecord(record, i + 1, ids.length) : `${JSON.stringify({ type: 'complaint', index: i + 1, total: ids.length, record })}\n`;
      } catch (err) {
        // The status line is sent: the export ends with an error entry and without its end line or footer.
        log.warn({ user: user.id, complaintId: id, err: err instanceof Error ? err.message : String(err) }, 'compliance: export stopped');
        const message = `The export stopped at complaint ${i + 1} of ${ids.length}; it is incomplete: retry it`;
        await write(res, query.format === 'html' ? `<p class="bad" role="alert" data-export-error="true">${message}</p></body></html>\n` : `${JSON.stringify({ type: 'error', index: i + 1, total: ids.length, message })}\n`);
        res.end();
        return;
      }
      if (!await write(res, chunk)) return;
    }
    const digest = service.digest(heads);
    await write(res, query.format === 'html' ? htmlTail(ids.length, digest) : `${JSON.stringify({ type: 'end', count: ids.length, digest })}\n`);
    res.end();
  });

  return router;
}
