/**
 * Photo and video attachments of a complaint: the raw body (Content-Type image/jpeg, image/png
 * or image/webp, at most ATTACHMENT_MAX_BYTES; video/mp4, video/webm or video/quicktime, at
 * most ATTACHMENT_VIDEO_MAX_BYTES, evidence.ts) is checked against the type's magic bytes, stored
 * in the database under its attachment id (never under the client's file name; see
 * attachmentStore.ts), and described on the complaint: filename, size, sha256, content type,
 * optional geo and takenAt. Any API process can serve any attachment.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { Conflict, Invalid, NotFound, TooLarge, UnsupportedMediaType } from '../domain/errors';
import type { AttachmentStore } from './attachmentStore';
import type { AttachmentMeta } from './model';
import type { AttachmentQuery } from './schemas';
import type { ComplaintStore } from './store';
import { entryBy, isVideoType, THUMBNAIL_MAX_BYTES, thumbnailFileId, VIDEO_TYPES, type Actor } from './evidence';

export const ATTACHMENT_TYPES: Readonly<Record<string, (b: Buffer) => boolean>> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/** Every type an attachment may have: photos and video clips. */
export const EVIDENCE_TYPES: Readonly<Record<string, (b: Buffer) => boolean>> = { ...ATTACHMENT_TYPES, ...VIDEO_TYPES };

const own = (types: Readonly<Record<string, (b: Buffer) => boolean>>, contentType: string) =>
  (Object.prototype.hasOwnProperty.call(types, contentType) ? types[contentType] : undefined);

export interface AttachmentLimits {
  /** ATTACHMENT_MAX_BYTES */
  photoMaxBytes: number;
  /** ATTACHMENT_VIDEO_MAX_BYTES */
  videoMaxBytes: number;
}

export function createAttachments(deps: { store: ComplaintStore; files: AttachmentStore; limits?: AttachmentLimits }) {
  const limits = deps.limits ?? { photoMaxBytes: 10 * 1024 * 1024, videoMaxBytes: 50 * 1024 * 1024 };
  return {
    /** `actor` is who uploads (from the session); without it (older callers) the complaint's customer. */
    async add(complaintId: string, contentType: string, body: Buffer, query: z.output<typeof AttachmentQuery>, actor?: Actor): Promise<AttachmentMeta> {
      const check = own(EVIDENCE_TYPES, contentType);
      if (!check) throw new UnsupportedMediaType('unsupported_media_type', `Attachments must be one of ${Object.keys(EVIDENCE_TYPES).join(', ')}`);
      if (body.length === 0) throw new Invalid('empty_body', 'The attachment is empty');
      const video = isVideoType(contentType);
      const max = video ? limits.videoMaxBytes : limits.photoMaxBytes;
      if (body.length > max) throw new TooLarge('payload_too_large', `A ${video ? 'video' : 'photo'} may have at most ${max} bytes`);
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
        ...(actor ? { by: actor.who, byName: actor.name } : {}),
        ...(video ? { thumbnail: null } : {}),
      };
      await deps.files.put(meta.id, body, { filename: meta.filename, complaintId, contentType, uploadDate: meta.uploadedAt });
      await deps.store.mutate(complaintId, (doc) => ({
        set: { attachments: [...doc.attachments, meta] },
        entry: { id: meta.id, ...(actor ? entryBy(actor) : { who: `customer:${doc.customerId}` }), what: `attachment added (${contentType}, ${meta.size} bytes)` },
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

    /**
     * A video's poster frame (jpeg, png or webp, at most THUMBNAIL_MAX_BYTES, sniffed): stored
     * beside the video, then named on it. Only for a video attachment; a second one replaces
     * nothing (409): the frame is taken once, at upload.
     */
    async addThumbnail(complaintId: string, attachmentId: string, contentType: string, body: Buffer): Promise<AttachmentMeta> {
      const check = own(ATTACHMENT_TYPES, contentType);
      if (!check) throw new UnsupportedMediaType('unsupported_media_type', `A thumbnail must be one of ${Object.keys(ATTACHMENT_TYPES).join(', ')}`);
      if (body.length === 0) throw new Invalid('empty_body', 'The thumbnail is empty');
      if (body.length > THUMBNAIL_MAX_BYTES) throw new TooLarge('payload_too_large', `A thumbnail may have at most ${THUMBNAIL_MAX_BYTES} bytes`);
      if (!check(body)) throw new UnsupportedMediaType('unsupported_media_type', `The content is not ${contentType}`);
      const doc = await deps.store.get(complaintId);
      if (!doc) throw new NotFound('complaint_not_found', `No complaint '${complaintId}'`);
      const meta = doc.attachments.find((a) => a.id === attachmentId);
      if (!meta) throw new NotFound('attachment_not_found', `No attachment '${attachmentId}' on complaint '${complaintId}'`);
      if (!isVideoType(meta.contentType)) throw new Conflict('not_a_video', `Attachment '${attachmentId}' is a photo: only videos have a thumbnail`);
      if (meta.thumbnail) throw new Conflict('thumbnail_exists', `Attachment '${attachmentId}' has its thumbnail already`);
      // Bytes first, then the name on the complaint: a failure in between leaves a file nobody names, never a name without its file.
      await deps.files.put(thumbnailFileId(attachmentId), body, { filename: `${meta.filename}.thumbnail`, complaintId, contentType, uploadDate: new Date() });
      const thumbnail = { contentType, size: body.length };
      const saved = await deps.store.mutate(complaintId, (d) => ({
        set: { attachments: d.attachments.map((a) => (a.id === attachmentId ? { ...a, thumbnail } : a)) },
      }));
      return saved?.attachments.find((a) => a.id === attachmentId) ?? { ...meta, thumbnail };
    },

    /** A video's poster frame; 404 when the attachment has none. */
    async openThumbnail(complaintId: string, attachmentId: string): Promise<{ contentType: string; size: number; stream: Readable }> {
      const doc = await deps.store.get(complaintId);
      if (!doc) throw new NotFound('complaint_not_found', `No complaint '${complaintId}'`);
      const meta = doc.attachments.find((a) => a.id === attachmentId);
      const missing = () => new NotFound('thumbnail_not_found', `Attachment '${attachmentId}' on complaint '${complaintId}' has no thumbnail`);
      if (!meta?.thumbnail) throw missing();
      const stored = await deps.files.open(thumbnailFileId(attachmentId));
      if (stored?.file.metadata.complaintId !== complaintId) throw missing();
      return { contentType: meta.thumbnail.contentType, size: stored.file.length, stream: stored.stream };
    },
  };
}
