/**
 * Storage of definition versions. Only queries FerretDB 1.24 runs: plain finds and sorts,
 * and `$group` by key without accumulators (it has no `$first`/`$max`), so "latest of each
 * key" is one grouped page of keys plus one indexed find per key on that page.
 */
import type { Connection } from 'mongoose';
import { definitionVersionModel, type DefinitionVersionRecord } from './model';

export type VersionMeta = Omit<DefinitionVersionRecord, 'xml' | 'model'>;

export interface DefinitionRepository {
  /** Creates the indexes the versioning relies on; memoised, retried after a failure. */
  ensureIndexes(): Promise<void>;
  /** Inserts a version; 'duplicate' when (key, version) is taken. */
  insert(record: DefinitionVersionRecord): Promise<'inserted' | 'duplicate'>;
  /** Removes one version (only to undo a partly failed deployment). */
  remove(key: string, version: number): Promise<void>;
  latest(key: string): Promise<DefinitionVersionRecord | null>;
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

export function createDefinitionRepository(connection: Connection): DefinitionRepository {
  const Versions = definitionVersionModel(connection);
  let indexes: Promise<void> | undefined;

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
      try {
        await Versions.create(record);
        return 'inserted';
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate';
        throw err;
      }
    },

    async remove(key, version) {
      await Versions.deleteOne({ key, version }).exec();
    },

    latest: (key) => Versions.findOne({ key }, { _id: 0 }).sort({ version: -1 }).lean<DefinitionVersionRecord>().exec(),

    find: (key, version) => Versions.findOne({ key, version }, { _id: 0 }).lean<DefinitionVersionRecord>().exec(),

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
