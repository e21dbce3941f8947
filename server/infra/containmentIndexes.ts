/**
 * Indexes FerretDB's PostgreSQL backend can actually use (decision 0013).
 *
 * FerretDB 1.24 pushes an equality filter down as `_jsonb->$key @> $value` (JSON containment),
 * but builds its own indexes (unique `_id`, and every createIndex) as btree on `_jsonb->'key'`,
 * which containment cannot use: every find, even by `_id`, was a sequential scan (30,000
 * complaints of 3 KB: 194 ms per findOne by `_id`). A GIN index with `jsonb_path_ops` on the
 * same expression answers that containment (3.5 ms), once PostgreSQL plans each execution with
 * its values (`plan_cache_mode=force_custom_plan`, set on the embedded cluster): with a generic
 * plan the key is a parameter and no expression index matches.
 *
 * The keeper reads FerretDB's own metadata (per MongoDB database a PostgreSQL schema with a
 * `_ferretdb_database_metadata` table: collection → table and its declared indexes) and gives
 * every collection a GIN twin for `_id` and for each top-level field of each declared index.
 * It runs at start and then every few seconds, so collections and indexes created later (by
 * mongoose, a migration, a test) get theirs too. FerretDB never sees these indexes; dropping a
 * collection drops its table and them with it.
 *
 * The twins are built with `fastupdate = off`. With GIN's default, new entries first go to a
 * pending list (up to 4 MB) that every search reads from start to end until a vacuum merges it:
 * after 100,000 inserts 85,000 entries waited there and a find by `_id` cost PostgreSQL 7× the
 * CPU it costs once the list is merged (decision 0059). Written directly into the tree, an entry
 * of one scalar value costs an insert little more, and searches stay logarithmic. Twins made
 * before (with the default) are switched and their pending list merged by the next pass.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { syncRevisionGuards } from './revisionGuards';

const METADATA_TABLE = '_ferretdb_database_metadata';

export interface ContainmentIndexKeeper {
  /** One pass now; resolves with the indexes it created. */
  sync(): Promise<string[]>;
  stop(): Promise<void>;
}

interface CollectionMeta { collection: string; table: string; fields: string[] }

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Our index name: the table's, a marker and a hash of the field (≤ 63 bytes). */
export const containmentIndexName = (table: string, field: string) =>
  `${table.slice(0, 40)}_gin_${createHash('sha256').update(field).digest('hex').slice(0, 12)}`;

/** Top-level fields of FerretDB's declared index keys ("a.b" and "$**" are skipped). */
function fieldsOf(indexes: unknown): string[] {
  const fields = new Set<string>(['_id']);
  for (const index of Array.isArray(indexes) ? indexes : []) {
    const key = (index as { key?: Record<string, unknown> }).key;
    for (const field of Object.keys(key ?? {})) {
      if (!field.includes('.') && !field.startsWith('$')) fields.add(field);
    }
  }
  return [...fields];
}

async function collectionsOf(client: pg.Client, schema: string): Promise<CollectionMeta[]> {
  const res = await client.query<{ collection: string; table: string; indexes: unknown }>(
    `SELECT _jsonb->>'_id' AS collection, _jsonb->>'table' AS table, _jsonb->'indexes' AS indexes FROM ${quoteIdent(schema)}.${quoteIdent(METADATA_TABLE)}`,
  );
  return res.rows
    .filter((r) => typeof r.table === 'string' && typeof r.collection === 'string')
    .map((r) => ({ collection: r.collection, table: r.table, fields: fieldsOf(r.indexes) }));
}

/** Creates what is missing in every FerretDB schema of the cluster; returns the names created. */
export async function syncContainmentIndexes(client: pg.Client): Promise<string[]> {
  const schemas = await client.query<{ schema: string }>(
    'SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = $1', [METADATA_TABLE],
  );
  const created: string[] = [];
  for (const { schema } of schemas.rows) {
    const existing = await indexesOf(client, schema);
    for (const { table, fields } of await collectionsOf(client, schema)) {
      for (const field of fields) {
        const name = containmentIndexName(table, field);
        const known = existing.get(name);
        try {
          if (known === undefined) {
            await client.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${quoteIdent(schema)}.${quoteIdent(table)} USING gin ((_jsonb -> ${quoteLiteral(field)}) jsonb_path_ops) WITH (fastupdate = off)`);
            created.push(`${schema}.${table}.${field}`);
          } else if (!known.directUpdates) {
            await mergePendingList(client, `${quoteIdent(schema)}.${quoteIdent(name)}`);
          }
        } catch (err) {
          // The collection (or the index with it) was dropped between the metadata read and now: nothing to index.
          if ((err as { code?: string }).code !== '42P01') throw err;
        }
      }
    }
  }
  return created;
}

/** The schema's indexes, and for each whether GIN writes it directly (`fastupdate = off`). */
async function indexesOf(client: pg.Client, schema: string): Promise<Map<string, { directUpdates: boolean }>> {
  const res = await client.query<{ name: string; options: string[] | null }>(
    `SELECT c.relname AS name, c.reloptions AS options FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'i'`, [schema]);
  return new Map(res.rows.map((r) => [r.name, { directUpdates: (r.options ?? []).includes('fastupdate=off') }]));
}

/** Switches a twin made with GIN's default to direct updates and merges what waits in its pending list. */
async function mergePendingList(client: pg.Client, qualifiedName: string): Promise<void> {
  await client.query(`ALTER INDEX ${qualifiedName} SET (fastupdate = off)`);
  await client.query('SELECT gin_clean_pending_list($1::regclass)', [qualifiedName]);
}

/**
 * Keeps the indexes (and the revision guards, revisionGuards.ts) in step with FerretDB's
 * collections: a pass at once, then every `intervalMs`. A failed pass is reported and retried
 * at the next tick; it never stops the service.
 */
export async function startContainmentIndexKeeper(options: {
  url: string;
  intervalMs?: number;
  onError?: (err: unknown) => void;
  onCreated?: (names: string[]) => void;
}): Promise<ContainmentIndexKeeper> {
  const client = new pg.Client({ connectionString: options.url, application_name: 'complaint-bpm index keeper' });
  client.on('error', (err) => options.onError?.(err));
  await client.connect();
  let running: Promise<string[]> | undefined;
  const sync = () => {
    // The revision guards of decision 0067 ride along: same cluster, same cadence.
    running ??= syncContainmentIndexes(client)
      .then(async (names) => [...names, ...(await syncRevisionGuards(client)).map((name) => `${name} (revision guard)`)])
      .then((names) => {
        if (names.length) options.onCreated?.(names);
        return names;
      })
      .finally(() => { running = undefined; });
    return running;
  };
  await sync();
  const timer = setInterval(() => {
    sync().catch((err: unknown) => options.onError?.(err));
  }, options.intervalMs ?? 5000);
  timer.unref();
  return {
    sync,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
