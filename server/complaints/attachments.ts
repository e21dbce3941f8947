/**
 * Photo attachments of a complaint: the raw body (Content-Type image/jpeg, image/png or
 * image/webp, at most ATTACHMENT_MAX_BYTES) is checked against the type's magic bytes, stored
 * in the database under its attachment id (never under the client's file name; see
 * attachmentStore.ts), and described on the complaint: filename, size, sha256, content type,
 * optional geo and takenAt. Any API process can serve any attachment.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { Invalid, NotFound, UnsupportedMediaType } from '../domain/errors';
import type { AttachmentStore } from './attachmentStore';
import type { AttachmentMeta } from './model';
import type { AttachmentQuery } from './schemas';
import type { ComplaintStore } from './store';

export const ATTACHMENT_TYPES: Readonly<Record<string, (b: Buffer) => boolean>> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

export function createAttachments(deps: { store: ComplaintStore; files: AttachmentStore }) {
  return {
    async add(complaintId: string, contentType: string, body: Buffer, query: z.output<typeof AttachmentQuery>): Promise<AttachmentMeta> {
      const check = Object.prototype.hasOwnProperty.call(ATTACHMENT_TYPES, contentType) ? ATTACHMENT_TYPES[contentType] : undefined;
      if (!check) throw new UnsupportedMediaType('unsupported_media_type', `Attachments must be one of ${Object.keys(ATTACHMENT_TYPES).join(', ')}`);
      if (body.length === 0) throw new Invalid('empty_body', 'The attachment is empty');
      if (!check(body)) throw new UnsupportedMediaType('unsupported_media_type', `The content is not ${contentType}`);
      const existing = await deps.store.get(complaintId);
      if (!existing) throw new NotFound('complaint_not_found', `No complaint '${complaintId}'`);
      const meta: AttachmentMeta = {
        id: `att-${randomUUID()}`,
        filename: query.filename,
        size: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
        contentType,
        geo: query.lat !== undefined && query.lon !== undefined ? { lat: query.lat, lon: query.lon } : null,
        takenAt: query.takenAt ? new Date(query.takenAt) : null,
        uploadedAt: new Date(),
      };
      await deps.files.put(meta.id, body, { filename: meta.filename, complaintId, contentType, uploadDate: meta.uploadedAt });
      await deps.store.mutate(complaintId, (doc) => ({
        set: { attachments: [...doc.attachments, meta] },
        entry: { id: meta.id, who: `customer:${doc.customerId}`, what: `attachment added (${contentType}, ${meta.size} bytes)` },
      }));
      return meta;
    },

    /** The stored bytes of one attachment (streamed) with its metadata; 404 for an unknown complaint or attachment, or a missing file. */
    async open(complaintId: string, attachmentId: string): Promise<{ meta: AttachmentMeta; size: number; stream: Readable }> {
      const doc = await deps.store.get(complaintId);
      if (!doc) throw new NotFound('complaint_not_found', `No complaint '${complaintId}'`);
      const meta = doc.attachments.find((a) => a.id === attachmentId);
      const missing = () => new NotFound('attachment_not_found', `No attachment '${attachmentId}' on complaint '${complaintId}'`);
      if (!meta) throw missing();
      const stored = await deps.files.open(attachmentId);
      if (stored?.file.metadata.complaintId !== complaintId) throw missing();
      return { meta, size: stored.file.length, stream: stored.stream };
    },
  };
}
