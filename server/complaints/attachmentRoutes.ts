/** Photos of a complaint: upload as the raw body, download as an attachment. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Router } from 'express';
import { z } from 'zod';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import type { OwnComplaint } from './access';
import { ATTACHMENT_TYPES } from './attachments';
import type { ComplaintsApi } from './router';
import { AttachmentParams, AttachmentQuery, ComplaintParams } from './schemas';

const TAGS = ['complaints'];
const missing = errorResponse('No such complaint');

export function attachmentRoutes(router: Router, registry: OpenAPIRegistry, api: Pick<ComplaintsApi, 'attachments' | 'attachmentMaxBytes'>, own: OwnComplaint): void {
  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/attachments', operationId: 'addComplaintAttachment', tags: TAGS,
    summary: `Upload a photo as the raw body (${Object.keys(ATTACHMENT_TYPES).join(', ')})`,
    params: ComplaintParams,
    query: AttachmentQuery,
    rawBody: { required: true, content: Object.fromEntries(Object.keys(ATTACHMENT_TYPES).map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }])) },
    responses: {
      201: { description: 'Stored' }, 400: validationErrorResponse, 404: missing,
      413: errorResponse('Larger than ATTACHMENT_MAX_BYTES'), 415: errorResponse('Not an allowed image type'),
    },
    before: [express.raw({ type: () => true, limit: api.attachmentMaxBytes })],
  }, async ({ params, query }, req, res) => {
    await own(req, params.id);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const contentType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const meta = await api.attachments.add(params.id, contentType, body, query);
    res.status(201).json({ ...meta, takenAt: meta.takenAt?.toISOString() ?? null, uploadedAt: meta.uploadedAt.toISOString() });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/complaints/{id}/attachments/{attachmentId}', operationId: 'getComplaintAttachment', tags: TAGS,
    summary: 'Download an attachment: the stored file with its content type, as a download (Content-Disposition: attachment)',
    params: AttachmentParams,
    responses: {
      200: { description: 'The file', content: Object.fromEntries(Object.keys(ATTACHMENT_TYPES).map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }])) },
      400: validationErrorResponse, 404: errorResponse('No such complaint or attachment'),
    },
  }, async ({ params }, req, res) => {
    await own(req, params.id);
    const { meta, size, stream } = await api.attachments.open(params.id, params.attachmentId);
    res.status(200).set({
      'Content-Type': meta.contentType,
      'Content-Length': String(size),
      // The stored name is a plain file name (checked at upload); quoted all the same.
      'Content-Disposition': `attachment; filename="${meta.filename.replace(/["\\]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    stream.on('error', (err) => res.destroy(err));
    stream.pipe(res);
  });
}
