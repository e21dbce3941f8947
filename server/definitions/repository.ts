/**
 * Storage of definition versions. Only queries FerretDB 1.24 runs: plain finds and sorts,
 * and `$group` by key without accumulators (it has no `$first`/`$max`), so "latest of each
 * key" is one grouped page of keys plus one indexed find per key on that page.
 *
 * Starting instances asks for the latest version of a key often (every complaint intake); that
 * goes through a per-key pointer read by `_id` (heads.ts), not through the query. Versions are
 * immutable, so the version document it points to (XML and model: decoding it cost FerretDB
 * ~80 ms) is kept in memory, the last VERSION_CACHE_MAX of them; a version removed to undo a
 * failed deployment leaves this process's memory with it (other processes: see heads.ts).
 * Reads of one stated version (every task form, signal and migration check names the
 * instance's version) are kept the same way, by key and version: they were the slowest read of
 * the complaint bench (405 reads of ~145 ms for 90 complaints). Only a version undone by a
 * failed deployment is ever removed, and no instance runs on one.
 */
import type { Connection, Types } from 'mongoose';
import { definitionHeads } from './heads';
import { definitionVersionModel, type DefinitionVersionRecord } from './model';

export type VersionMeta = Omit<DefinitionVersionRecord, 'xml' | 'model'>;

export interface DefinitionRepository {
  /** Creates the indexes the versioning relies on; memoised, retried after a failure. */
  ensureIndexes(): Promise<void>;
  /** Inserts a version; 'duplicate' when (key, version) is taken. */
  insert(record: DefinitionVersionRecord): Promise<'inserted' | 'duplicate'>;
  /** Removes one version (only to undo a partly failed deployment). */
  remove(key: string, version: number): Promise<void>;
  /** The latest version by query over all versions of the key: what deployments compare with. */
  latest(key: string): Promise<DefinitionVersionRecord | null>;
  /**
   * The latest version through the key's pointer document (two `_id` reads); rebuilt from
   * `latest` when missing or stale. What starting an instance uses.
   */
  current(key: string): Promise<DefinitionVersionRecord | null>;
  /** Raises the key's pointer to `record` (a stored version) unless it is at that version or higher. */
  raiseHead(record: DefinitionVersionRecord): Promise<void>;
  find(key: string, version: number): Promise<DefinitionVersionRecord | null>;
  /** Every version of a key without xml and model, newest first. */
  versions(key: string): Promise<VersionMeta[]>;
  countKeys(): Promise<number>;
  /** The latest version of each key on one page of keys, in key order. */
  latestPerKey(skip: number, limit: number): Promise<VersionMeta[]>;
}

const META_PROJECTION = { xml: 0, model: 0, _id: 0 } as const;
const DUPLICATE_KEY = 11000;

const isDuplicateKey = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;

type Stored = DefinitionVersionRecord & { _id: Types.ObjectId };

const VERSION_CACHE_MAX = 100;

/** The record without its storage `_id` (records go out to the API as they are). */
const withoutId = ({ _id, ...record }: Stored): DefinitionVersionRecord => {
  void _id;
  return record;
};

export function createDefinitionRepository(connection: Connection): DefinitionRepository {
  const Versions = definitionVersionModel(connection);
  const heads = definitionHeads(connection);
  let indexes: Promise<void> | undefined;
  /** Version documents read through the pointer, by their `_id` (hex); insertion order = age. */
  const versionCache = new Map<string, DefinitionVersionRecord>();
  const remember = (id: string, record: DefinitionVersionRecord) => {
    if (versionCache.size >= VERSION_CACHE_MAX) versionCache.delete(versionCache.keys().next().value!);
    versionCache.set(id, record);
    return record;
  };

  /** Stated versions by `key@version`, for `find`; insertion order = age. */
  const statedCache = new Map<string, DefinitionVersionRecord>();
  const statedKey = (key: string, version: number) => `${key}@${version}`;

  const latestStored = (key: string) => Versions.findOne({ key }).sort({ version: -1 }).lean<Stored>().exec();
  const headOf = (v: Stored) => ({ version: v.version, hash: v.hash, versionId: v._id });
  const rebuild = async (key: string) => {
    const latest = await heads.rebuild(key, async () => {
      const stored = await latestStored(key);
      return stored && { ...headOf(stored), stored };
    });
    return latest ? withoutId(latest.stored) : null;
  };

  const latestMeta = (key: string) =>
    Versions.findOne({ key }, META_PROJECTION).sort({ version: -1 }).lean<VersionMeta>().exec();

  return {
    ensureIndexes() {
      indexes ??= Versions.createIndexes().then(
        () => undefined,
        (err: unknown) => {
          indexes = undefined;
          throw err;
        },
      );
      return indexes;
    },

    async insert(record) {
      await this.ensureIndexes();
      let stored;
      try {
        stored = await Versions.create(record);
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate';
        throw err;
      }
      // After the version document: a reader that follows the pointer always finds its target.
      await heads.raise(record.key, { version: record.version, hash: record.hash, versionId: stored._id });
      return 'inserted';
    },

    async remove(key, version) {
      await Versions.deleteOne({ key, version }).exec();
      for (const [id, record] of versionCache) if (record.key === key && record.version === version) versionCache.delete(id);
      statedCache.delete(statedKey(key, version));
      await rebuild(key);
    },

    latest: (key) => Versions.findOne({ key }, { _id: 0 }).sort({ version: -1 }).lean<DefinitionVersionRecord>().exec(),

    async current(key) {
      const head = await heads.read(key);
      if (head) {
        const id = head.versionId.toHexString();
        const cached = versionCache.get(id);
        if (cached && cached.version === head.version) return cached;
        const stored = await Versions.findById(head.versionId).lean<Stored>().exec();
        if (stored && stored.version === head.version) return remember(id, withoutId(stored));
      }
      return rebuild(key);
    },

    async raiseHead(record) {
      const head = await heads.read(record.key);
      if (head && head.version >= record.version) return;
      const stored = await Versions.findOne({ key: record.key, version: record.version }, { _id: 1 }).lean<{ _id: Types.ObjectId }>().exec();
      if (stored) await heads.raise(record.key, { version: record.version, hash: record.hash, versionId: stored._id });
    },

    async find(key, version) {
      const cacheKey = statedKey(key, version);
      const cached = statedCache.get(cacheKey);
      if (cached) return cached;
      const record = await Versions.findOne({ key, version }, { _id: 0 }).lean<DefinitionVersionRecord>().exec();
      if (!record) return null;
      if (statedCache.size >= VERSION_CACHE_MAX) statedCache.delete(statedCache.keys().next().value!);
      statedCache.set(cacheKey, record);
      return record;
    },

    versions: (key) => Versions.find({ key }, META_PROJECTION).sort({ version: -1 }).lean<VersionMeta[]>().exec(),

    async countKeys() {
      const [row] = await Versions.aggregate<{ n: number }>([{ $group: { _id: '$key' } }, { $count: 'n' }]).exec();
      return row?.n ?? 0;
    },

    async latestPerKey(skip, limit) {
      const keys = await Versions.aggregate<{ _id: string }>([
        { $group: { _id: '$key' } },
        { $sort: { _id: 1 } },
        { $skip: skip },
        { $limit: limit },
      ]).exec();
      const latest = await Promise.all(keys.map(({ _id }) => latestMeta(_id)));
      return latest.filter((v): v is VersionMeta => v !== null);
    },
  };
}
