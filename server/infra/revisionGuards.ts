/**
 * Makes a compare-and-set on `rev` atomic under FerretDB's PostgreSQL backend (decision 0067).
 *
 * FerretDB 1.24 runs `updateOne({ _id, rev: n }, { $set: { …, rev: n + 1 } })` as a query, a
 * change in Go and then `UPDATE … SET _jsonb = … WHERE _id = …` in a transaction of its own: two
 * writers that both read `rev: n` both write, and the second silently overwrites the first.
 * A row trigger on the collection's table closes that gap where it happens: an update of a
 * guarded collection must raise `rev` by exactly one over the row it replaces, or PostgreSQL
 * refuses it and FerretDB answers the writer with an error naming the guard, with nothing
 * written. The writer then reads again and retries (server/db/revisionGuard.ts). Measured before
 * this: 12 writers × 10 compare-and-set increments on one document kept 72 of 120; with it, 120.
 *
 * Every write of a guarded collection must therefore go through such a compare-and-set; for
 * `complaints` every one does (server/complaints/writes.ts). Inserts are not touched.
 *
 * The keeper of the containment indexes (containmentIndexes.ts) runs this in each pass, in every
 * FerretDB schema, so a database or collection created later is guarded within one interval.
 */
import type pg from 'pg';

/** The collections whose every update is a `rev` compare-and-set. */
export const GUARDED_COLLECTIONS = ['complaints'] as const;

const METADATA_TABLE = '_ferretdb_database_metadata';
const FUNCTION_NAME = 'complaint_bpm_revision_guard';
const TRIGGER_NAME = 'complaint_bpm_revision_guard';
/** What the refusal says; the writer recognises a lost race by it (server/db/revisionGuard.ts). */
export const REVISION_GUARD_MARK = 'complaint-bpm revision guard';

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

const guardFunction = (schema: string) => `
CREATE OR REPLACE FUNCTION ${quoteIdent(schema)}.${FUNCTION_NAME}() RETURNS trigger LANGUAGE plpgsql AS $guard$
BEGIN
  IF (NEW._jsonb->>'rev')::numeric IS DISTINCT FROM (OLD._jsonb->>'rev')::numeric + 1 THEN
    RAISE EXCEPTION '${REVISION_GUARD_MARK}: rev % does not follow the stored %', NEW._jsonb->>'rev', OLD._jsonb->>'rev'
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$guard$`;

/** Guards every guarded collection of every FerretDB schema that lacks it; returns `schema.collection` of those it guarded. */
export async function syncRevisionGuards(client: pg.Client): Promise<string[]> {
  const guarded: string[] = [];
  const schemas = await client.query<{ schema: string }>(
    'SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = $1', [METADATA_TABLE]);
  for (const { schema } of schemas.rows) {
    const rows = await client.query<{ collection: string; table: string; guarded: boolean }>(
      `SELECT m._jsonb->>'_id' AS collection, m._jsonb->>'table' AS table,
              EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = $1 AND c.relname = m._jsonb->>'table' AND t.tgname = $2) AS guarded
         FROM ${quoteIdent(schema)}.${quoteIdent(METADATA_TABLE)} m
        WHERE m._jsonb->>'_id' = ANY($3)`, [schema, TRIGGER_NAME, [...GUARDED_COLLECTIONS]]);
    for (const row of rows.rows) {
      if (row.guarded || typeof row.table !== 'string') continue;
      try {
        await client.query(guardFunction(schema));
        await client.query(`CREATE TRIGGER ${TRIGGER_NAME} BEFORE UPDATE ON ${quoteIdent(schema)}.${quoteIdent(row.table)} FOR EACH ROW EXECUTE FUNCTION ${quoteIdent(schema)}.${FUNCTION_NAME}()`);
        guarded.push(`${schema}.${row.collection}`);
      } catch (err) {
        const code = (err as { code?: string }).code;
        // Dropped since the metadata read (42P01), or guarded by a concurrent pass (42710): nothing to do.
        if (code !== '42P01' && code !== '42710') throw err;
      }
    }
  }
  return guarded;
}
