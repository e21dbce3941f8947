/** The routes of a video's poster frame (evidence.ts, decision 0051): the browser captures it at upload and sends it here. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Router } from 'express';
import { z } from 'zod';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import type { currentUser } from '../auth/context';
import { ATTACHMENT_TYPES, type createAttachments } from './attachments';
import { THUMBNAIL_MAX_BYTES } from './evidence';
import { AttachmentParams } from './schemas';

const images = () => Object.fromEntries(Object.keys(ATTACHMENT_TYPES).map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }]));

export function evidenceRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  attachments: ReturnType<typeof createAttachments>,
  own: (req: Parameters<typeof currentUser>[0], id: string) => Promise<void>,
): void {
  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/attachments/{attachmentId}/thumbnail', operationId: 'addAttachmentThumbnail', tags: ['complaints'],
    summary: `A video attachment's poster frame as the raw body (${Object.keys(ATTACHMENT_TYPES).join(', ')}, at most ${THUMBNAIL_MAX_BYTES} bytes), taken by the browser at upload`,
    params: AttachmentParams,
    rawBody: { required: true, content: images() },
    responses: {
      201: { description: 'Stored: the attachment with its `thumbnail`' }, 400: validationErrorResponse, 404: errorResponse('No such complaint or attachment'),
      409: errorResponse('The attachment is a photo (`not_a_video`) or has its thumbnail already (`thumbnail_exists`)'),
      413: errorResponse('Larger than the thumbnail limit'), 415: errorResponse('Not an image, or the content is not of its type'),
    },
    before: [express.raw({ type: () => true, limit: THUMBNAIL_MAX_BYTES * 2 })],
  }, async ({ params }, req, res) => {
    await own(req, params.id);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const contentType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const meta = await attachments.addThumbnail(params.id, params.attachmentId, contentType, body);
    res.status(201).json({ id: meta.id, contentType: meta.contentType, thumbnail: meta.thumbnail ?? null });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/complaints/{id}/attachments/{attachmentId}/thumbnail', operationId: 'getAttachmentThumbnail', tags: ['complaints'],
    summary: "A video attachment's poster frame",
    params: AttachmentParams,
    responses: { 200: { description: 'The image', content: images() }, 400: validationErrorResponse, 404: errorResponse('No such complaint or attachment, or it has no thumbnail') },
  }, async ({ params }, req, res) => {
    await own(req, params.id);
    const { contentType, size, stream } = await attachments.openThumbnail(params.id, params.attachmentId);
    res.status(200).set({ 'Content-Type': contentType, 'Content-Length': String(size), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store' });
    stream.on('error', (err) => res.destroy(err));
    stream.pipe(res);
  });
}
