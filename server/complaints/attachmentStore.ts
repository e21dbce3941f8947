/**
 * Attachment bytes in the database, so every API process serves every photo: the GridFS
 * layout (bucket `attachments`: `attachments.files` and `attachments.chunks`, readable by any
 * GridFS tool), written and read by us so that every read is by `_id`.
 *
 * Why not GridFSBucket itself: it works on FerretDB 1.24, but it reads a file's chunks with
 * `find({ files_id }).sort({ n: 1 })`, which FerretDB on SQLite answers by decoding every chunk
 * of every file in Go (measured: one 1 MiB download took 1.0 s with 40 MiB stored and 2.5 s
 * with 100 MiB). Its chunk `_id`s are random ObjectIds, so they cannot be read by `_id` either.
 * Here a chunk's `_id` is `<file id>:<n>` (n from 0), the one filter FerretDB hands to its
 * backend (decision 0014). Chunks are 1 MiB (GridFS allows any size below 16 MiB): every
 * FerretDB read costs about the same whatever its size, so fewer, larger chunks are cheaper.
 *
 * A file is complete when its `files` document exists: chunks are written first, the files
 * document last. Writes are idempotent: writing the same bytes under the same id again (an
 * import run twice, by two processes at once) meets duplicate keys and checks that what is
 * stored is the same.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { mongo, type Connection } from 'mongoose';

type Binary = InstanceType<typeof mongo.Binary>;

export const ATTACHMENT_BUCKET = 'attachments';
export const ATTACHMENT_CHUNK_BYTES = 1024 * 1024;

export interface AttachmentFile {
  _id: string;
  length: number;
  chunkSize: number;
  uploadDate: Date;
  filename: string;
  metadata: { complaintId: string; contentType: string; sha256: string };
}

interface AttachmentChunk {
  _id: string;
  files_id: string;
  n: number;
  data: Binary;
}

export interface StoredAttachment {
  file: AttachmentFile;
  /** The bytes, read chunk by chunk as the consumer pulls them. */
  stream: Readable;
}

export class AttachmentConflict extends Error {
  constructor(id: string, what: string) {
    super(`attachment ${id}: ${what} differs from what is stored`);
    this.name = 'AttachmentConflict';
  }
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;
const chunkId = (fileId: string, n: number) => `${fileId}:${n}`;
const bytesOf = (chunk: AttachmentChunk | null) => (chunk ? Buffer.from(chunk.data.value()) : undefined);

export function attachmentStore(connection: Connection) {
  const db = () => {
    if (!connection.db) throw new Error('MongoDB is not connected');
    return connection.db;
  };
  const files = () => db().collection<AttachmentFile>(`${ATTACHMENT_BUCKET}.files`);
  const chunks = () => db().collection<AttachmentChunk>(`${ATTACHMENT_BUCKET}.chunks`);
  let indexes: Promise<unknown> | undefined;
  /** The indexes GridFS tools expect; the unique one also refuses a second chunk n of a file. */
  const ensureIndexes = () => {
    indexes ??= Promise.all([
      chunks().createIndex({ files_id: 1, n: 1 }, { unique: true }),
      files().createIndex({ filename: 1, uploadDate: 1 }),
    ]).catch((err: unknown) => {
      indexes = undefined;
      throw err;
    });
    return indexes;
  };

  async function readChunk(fileId: string, n: number): Promise<Buffer | undefined> {
    return bytesOf(await chunks().findOne({ _id: chunkId(fileId, n) }));
  }

  async function* chunksOf(file: AttachmentFile): AsyncGenerator<Buffer> {
    const count = Math.ceil(file.length / file.chunkSize);
    for (let n = 0; n < count; n += 1) {
      const data = await readChunk(file._id, n);
      const expected = n === count - 1 ? file.length - n * file.chunkSize : file.chunkSize;
      if (!data || data.length !== expected) throw new Error(`attachment ${file._id}: chunk ${n} is missing or has the wrong size`);
      yield data;
    }
  }

  return {
    ensureIndexes,

    /** The files document (size, type, checksum), or undefined when no complete file has this id. */
    async stat(id: string): Promise<AttachmentFile | undefined> {
      return (await files().findOne({ _id: id })) ?? undefined;
    },

    /** The file and a stream of its bytes, or undefined when no complete file has this id. */
    async open(id: string): Promise<StoredAttachment | undefined> {
      const file = await files().findOne({ _id: id });
      if (!file) return undefined;
      return { file, stream: Readable.from(chunksOf(file), { objectMode: false }) };
    },

    /** SHA-256 (hex) of the stored bytes, read back chunk by chunk. */
    async checksum(id: string): Promise<{ length: number; sha256: string } | undefined> {
      const file = await files().findOne({ _id: id });
      if (!file) return undefined;
      const hash = createHash('sha256');
      let length = 0;
      for await (const data of chunksOf(file)) {
        hash.update(data);
        length += data.length;
      }
      return { length, sha256: hash.digest('hex') };
    },

    /**
     * Stores `body` under `id`. Idempotent: the same bytes under the same id again succeed;
     * different ones are an AttachmentConflict.
     */
    async put(id: string, body: Buffer, info: { filename: string; complaintId: string; contentType: string; uploadDate: Date }): Promise<AttachmentFile> {
      await ensureIndexes();
      const sha256 = createHash('sha256').update(body).digest('hex');
      const count = Math.max(1, Math.ceil(body.length / ATTACHMENT_CHUNK_BYTES));
      // One chunk per command: a command carries at most 1 MiB of data.
      for (let n = 0; n < count; n += 1) {
        const data = body.subarray(n * ATTACHMENT_CHUNK_BYTES, (n + 1) * ATTACHMENT_CHUNK_BYTES);
        try {
          await chunks().insertOne({ _id: chunkId(id, n), files_id: id, n, data: new mongo.Binary(data) });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          if (!(await readChunk(id, n))?.equals(data)) throw new AttachmentConflict(id, `chunk ${n}`);
        }
      }
      const file: AttachmentFile = {
        _id: id, length: body.length, chunkSize: ATTACHMENT_CHUNK_BYTES, uploadDate: info.uploadDate, filename: info.filename,
        metadata: { complaintId: info.complaintId, contentType: info.contentType, sha256 },
      };
      try {
        await files().insertOne(file);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const stored = await files().findOne({ _id: id });
        if (stored?.length !== file.length || stored.metadata.sha256 !== sha256) throw new AttachmentConflict(id, 'the file');
        return stored;
      }
      return file;
    },
  };
}

export type AttachmentStore = ReturnType<typeof attachmentStore>;
