/**
 * Complaint photos in the database (GridFS layout, chunks read by `_id`) and the one-time
 * import of the files earlier versions kept under DATA_DIR/attachments, on the real FerretDB.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { mongo as driver, type Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { ATTACHMENT_BUCKET, ATTACHMENT_CHUNK_BYTES, AttachmentConflict, attachmentStore } from '../../server/complaints/attachmentStore';
import { importLegacyAttachments } from '../../server/complaints/attachmentImport';
import { complaintModels } from '../../server/complaints/model';
import { testEnv, uniqueName } from '../support/servers';

const log = createLogger('silent');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

describe('attachment store', () => {
  let mongo: Connection;

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('attachments').replace(/-/g, '_'));
  });

  afterAll(async () => {
    await mongo?.close();
  });

  it('streams back a file of several chunks, in a layout any GridFS reader understands', async () => {
    // given a photo of 2.5 chunks
    const store = attachmentStore(mongo);
    const body = jpeg(Math.floor(2.5 * ATTACHMENT_CHUNK_BYTES));
    const id = `att-${randomUUID()}`;
    // when it is stored
    const file = await store.put(id, body, { filename: 'kettle.jpg', complaintId: 'cmp-1', contentType: 'image/jpeg', uploadDate: new Date() });
    // then our reader streams the same bytes, chunk by chunk
    expect(file).toMatchObject({ length: body.length, chunkSize: ATTACHMENT_CHUNK_BYTES, metadata: { sha256: sha256(body), contentType: 'image/jpeg' } });
    const opened = await store.open(id);
    expect((await drain(opened!.stream)).equals(body)).toBe(true);
    expect(await mongo.collection(`${ATTACHMENT_BUCKET}.chunks`).countDocuments({ files_id: id })).toBe(3);
    // and so does the driver's own GridFSBucket
    const bucket = new driver.GridFSBucket(mongo.db!, { bucketName: ATTACHMENT_BUCKET });
    expect((await drain(bucket.openDownloadStream(id as never))).equals(body)).toBe(true);
    // and an unknown id is no file
    expect(await store.open(`att-${randomUUID()}`)).toBeUndefined();
  });

  it('accepts the same bytes under the same id again, and refuses different ones', async () => {
    const store = attachmentStore(mongo);
    const body = jpeg(5000);
    const id = `att-${randomUUID()}`;
    const info = { filename: 'a.jpg', complaintId: 'cmp-2', contentType: 'image/jpeg', uploadDate: new Date() };
    await Promise.all([store.put(id, body, info), store.put(id, body, info)]);
    expect(await store.checksum(id)).toEqual({ length: 5000, sha256: sha256(body) });
    await expect(store.put(id, jpeg(5000), info)).rejects.toBeInstanceOf(AttachmentConflict);
  });

  it('fails the stream, not silently, when a chunk has gone missing', async () => {
    const store = attachmentStore(mongo);
    const id = `att-${randomUUID()}`;
    await store.put(id, jpeg(ATTACHMENT_CHUNK_BYTES + 10), { filename: 'b.jpg', complaintId: 'cmp-3', contentType: 'image/jpeg', uploadDate: new Date() });
    await mongo.collection(`${ATTACHMENT_BUCKET}.chunks`).deleteOne({ _id: `${id}:1` as never });
    await expect(drain((await store.open(id))!.stream)).rejects.toThrow(/chunk 1 is missing/);
  });
});

describe('import of the attachments folder of earlier versions', () => {
  let mongo: Connection;
  let second: Connection;
  let dataDir: string;

  beforeAll(async () => {
    const name = uniqueName('attachment_import').replace(/-/g, '_');
    mongo = await connectMongo(testEnv.mongoUri, name);
    second = await connectMongo(testEnv.mongoUri, name);
    dataDir = fs.mkdtempSync(path.join(testEnv.dir, 'legacy-data-'));
  });

  afterAll(async () => {
    await second?.close();
    await mongo?.close();
  });

  it('imports every referenced file once, verified, and renames the folder only when all are verified', async () => {
    // given an attachments folder as an earlier version left it: two complaints, three photos
    // (one larger than a chunk), one file no complaint mentions, and one file damaged on disk
    const dir = path.join(dataDir, 'attachments');
    const complaints = complaintModels(mongo).complaints;
    const photos = [
      { complaintId: `cmp-${randomUUID()}`, id: `att-${randomUUID()}`, body: jpeg(ATTACHMENT_CHUNK_BYTES + 4321) },
      { complaintId: '', id: `att-${randomUUID()}`, body: jpeg(2048) },
      { complaintId: '', id: `att-${randomUUID()}`, body: jpeg(3000) },
    ];
    photos[1]!.complaintId = photos[0]!.complaintId;
    photos[2]!.complaintId = `cmp-${randomUUID()}`;
    for (const p of photos) {
      fs.mkdirSync(path.join(dir, p.complaintId), { recursive: true });
      fs.writeFileSync(path.join(dir, p.complaintId, p.id), p.body);
    }
    for (const complaintId of new Set(photos.map((p) => p.complaintId))) {
      await complaints.collection.insertOne({
        _id: complaintId as never, status: 'open',
        attachments: photos.filter((p) => p.complaintId === complaintId).map((p) => ({
          id: p.id, filename: `${p.id}.jpg`, size: p.body.length, sha256: sha256(p.body), contentType: 'image/jpeg', geo: null, takenAt: null, uploadedAt: new Date('2026-01-02T03:04:05Z'),
        })),
      });
    }
    const stray = `att-${randomUUID()}`;
    fs.writeFileSync(path.join(dir, photos[0]!.complaintId, stray), jpeg(100));
    const damaged = photos[2]!;
    fs.writeFileSync(path.join(dir, damaged.complaintId, damaged.id), Buffer.concat([damaged.body.subarray(0, 2000), Buffer.alloc(1000)]));
    const run = (connection: Connection) => importLegacyAttachments({ dir, files: attachmentStore(connection), complaints: complaintModels(connection).complaints, log });

    // when the service starts
    const first = await run(mongo);
    // then the two good photos are in the database with their bytes, the damaged one is not, and the folder stays
    expect(first).toEqual({ imported: 2, present: 0, unreferenced: 1, failed: 1 });
    expect(fs.existsSync(dir)).toBe(true);
    const store = attachmentStore(mongo);
    for (const p of photos.slice(0, 2)) expect((await drain((await store.open(p.id))!.stream)).equals(p.body)).toBe(true);
    expect(await store.stat(damaged.id)).toBeUndefined();
    expect(await store.stat(stray)).toBeUndefined();

    // when the damaged file is restored and two processes sharing the folder start at the same moment
    fs.writeFileSync(path.join(dir, damaged.complaintId, damaged.id), damaged.body);
    const [a, b] = await Promise.all([run(mongo), run(second)]);
    // then neither fails, every photo is verified in the database, and the folder was renamed once, with every file still in it
    for (const report of [a, b]) expect(report?.failed ?? 0).toBe(0);
    const renamed = [a?.renamedTo, b?.renamedTo].filter(Boolean);
    expect(renamed).toHaveLength(1);
    expect(fs.existsSync(dir)).toBe(false);
    for (const p of photos) {
      expect(await store.checksum(p.id)).toEqual({ length: p.body.length, sha256: sha256(p.body) });
      expect(fs.readFileSync(path.join(renamed[0]!, p.complaintId, p.id)).equals(p.body)).toBe(true);
    }
    expect(fs.existsSync(path.join(renamed[0]!, photos[0]!.complaintId, stray))).toBe(true);
    // and a later start has nothing to do
    expect(await run(mongo)).toBeUndefined();
  });

  it('stops quietly when another process renames the folder between listing it and reading a complaint folder', async () => {
    // given a legacy folder with one referenced photo
    const dir = path.join(fs.mkdtempSync(path.join(testEnv.dir, 'legacy-race-')), 'attachments');
    const complaintId = `cmp-${randomUUID()}`;
    const id = `att-${randomUUID()}`;
    const body = jpeg(1500);
    fs.mkdirSync(path.join(dir, complaintId), { recursive: true });
    fs.writeFileSync(path.join(dir, complaintId, id), body);
    const complaints = complaintModels(mongo).complaints;
    await complaints.collection.insertOne({
      _id: complaintId as never, status: 'open',
      attachments: [{ id, filename: 'x.jpg', size: body.length, sha256: sha256(body), contentType: 'image/jpeg', geo: null, takenAt: null, uploadedAt: new Date() }],
    });
    // and another process that renames the folder the moment this one looks up the complaint
    const moved = `${dir}.imported-by-the-other-process`;
    const racing = new Proxy(complaints, {
      get(target, key, receiver) {
        if (key !== 'findById') return Reflect.get(target, key, receiver) as unknown;
        return (...args: Parameters<typeof target.findById>) => {
          if (fs.existsSync(dir)) fs.renameSync(dir, moved);
          return target.findById(...args);
        };
      },
    });
    // when this process imports
    const report = await importLegacyAttachments({ dir, files: attachmentStore(mongo), complaints: racing, log });
    // then it reports nothing failed and renames nothing, and the other process's folder is intact
    expect(report).toEqual({ imported: 0, present: 0, unreferenced: 0, failed: 0 });
    expect(fs.readFileSync(path.join(moved, complaintId, id)).equals(body)).toBe(true);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
