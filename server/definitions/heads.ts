/**
 * The latest version of each process key as a small pointer document, `_id` = key: FerretDB
 * 1.24 on SQLite answers only an exact `{ _id }` filter from an index, so "latest version of a
 * key" as a query (`{ key }` sorted by version) reads every version document — with its XML and
 * model — on every intake (decision 0008). The pointer names the version document's `_id`, so
 * resolving the latest version is two `_id` reads.
 *
 * The version documents stay the truth; the pointer is a cache of "the highest version". It is
 * raised after a version is inserted, under the document lock (FerretDB's conditional updates
 * are not atomic between writers), and only ever upwards, so deployments racing each other
 * leave it at the highest version. A pointer that is missing (a database from before) or names
 * a removed version is rebuilt from the query, also under the lock.
 */
import type { Connection, Types } from 'mongoose';
import { documentLock } from '../db/documentLock';

export const HEADS_COLLECTION = 'definition_heads';

export interface DefinitionHead {
  /** The process key. */
  _id: string;
  version: number;
  hash: string;
  /** `_id` of the version document in definition_versions. */
  versionId: Types.ObjectId;
  updatedAt: Date;
}

export type HeadTarget = Pick<DefinitionHead, 'version' | 'hash' | 'versionId'>;

export function definitionHeads(connection: Connection) {
  const heads = () => connection.collection<DefinitionHead>(HEADS_COLLECTION);
  const withLock = documentLock(connection);
  const lockKey = (key: string) => `definition-head:${key}`;

  /** Writes the pointer by `_id` alone (the lock makes this caller its only writer). */
  const write = (key: string, target: HeadTarget) =>
    heads().replaceOne(
      { _id: key },
      { version: target.version, hash: target.hash, versionId: target.versionId, updatedAt: new Date() },
      { upsert: true },
    );

  return {
    read: (key: string) => heads().findOne({ _id: key }),

    /** Points the key at `target` unless it already points at that version or a higher one. */
    raise(key: string, target: HeadTarget): Promise<void> {
      return withLock(lockKey(key), async () => {
        const current = await heads().findOne({ _id: key });
        if (current && current.version >= target.version) return;
        await write(key, target);
      });
    },

    /**
     * Sets the pointer to what `findLatest` (the authoritative query) answers, or removes it
     * when the key has no version left. Run under the lock, so a deployment's raise either
     * comes after this (and raises further) or before it (and the query sees its version).
     */
    rebuild<T extends HeadTarget>(key: string, findLatest: () => Promise<T | null>): Promise<T | null> {
      return withLock(lockKey(key), async () => {
        const latest = await findLatest();
        if (latest) await write(key, latest);
        else await heads().deleteOne({ _id: key });
        return latest;
      });
    },
  };
}
