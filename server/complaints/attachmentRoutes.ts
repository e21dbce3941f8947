/** Photos and video clips of a complaint: upload as the raw body (recorded as the signed-in uploader's), download as an attachment. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Router } from 'express';
import { z } from 'zod';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { isCustomer, type OwnComplaint } from './access';
import { currentUser } from '../auth/context';
import { EVIDENCE_TYPES } from './attachments';
import { actorOf } from './evidence';
import type { ComplaintsApi } from './router';
import { AttachmentParams, AttachmentQuery, ComplaintParams } from './schemas';

const TAGS = ['complaints'];
const missing = errorResponse('No such complaint');

export function attachmentRoutes(router: Router, registry: OpenAPIRegistry, api: Pick<ComplaintsApi, 'complaints' | 'attachments' | 'attachmentMaxBytes' | 'videoMaxBytes'>, own: OwnComplaint): void {
  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/attachments', operationId: 'addComplaintAttachment', tags: TAGS,
    summary: `Upload a photo or video clip as the raw body (${Object.keys(EVIDENCE_TYPES).join(', ')}); recorded as the signed-in uploader's`,
    params: ComplaintParams,
    query: AttachmentQuery,
    rawBody: { required: true, content: Object.fromEntries(Object.keys(EVIDENCE_TYPES).map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }])) },
    responses: {
      201: { description: 'Stored' }, 400: validationErrorResponse, 404: missing,
      413: errorResponse('A photo larger than ATTACHMENT_MAX_BYTES, a video larger than ATTACHMENT_VIDEO_MAX_BYTES'), 415: errorResponse('Not an allowed image or video type, or the content is not of its type'),
    },
    before: [express.raw({ type: () => true, limit: Math.max(api.attachmentMaxBytes, api.videoMaxBytes ?? 0) })],
  }, async ({ params, query }, req, res) => {
    await own(req, params.id);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const contentType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const user = currentUser(req);
    // Who uploaded it comes from the session: a customer (signed in or through a link) as the complaint's customer, staff by name.
    const customer = isCustomer(user);
    const customerId = customer ? user.customerId ?? (await api.complaints.load(params.id)).customerId : '';
    const meta = await api.attachments.add(params.id, contentType, body, query, actorOf(user, customerId, customer));
    res.status(201).json({ ...meta, takenAt: meta.takenAt?.toISOString() ?? null, uploadedAt: meta.uploadedAt.toISOString(), ...(customer ? { by: null, byName: null } : {}) });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/complaints/{id}/attachments/{attachmentId}', operationId: 'getComplaintAttachment', tags: TAGS,
    summary: 'Download an attachment: the stored file with its content type, as a download (Content-Disposition: attachment)',
    params: AttachmentParams,
    responses: {
      200: { description: 'The file', content: Object.fromEntries(Object.keys(EVIDENCE_TYPES).map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }])) },
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
