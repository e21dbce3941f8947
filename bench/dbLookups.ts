/**
 * bench:db — what one look-up by `_id` costs on the embedded database (FerretDB on PostgreSQL)
 * as a collection grows, with the GIN containment twins written directly (what the keeper makes,
 * decision 0059) and, for comparison, with GIN's default pending list (as before 0059). Starts
 * its own servers in a temp folder, loads `BENCH_DOCUMENTS` (100,000) documents of ~2.5 KB in
 * batches of 100 with the twins as before, runs `BENCH_LOOKUPS` (1,500) rounds of a find by
 * `_id`, every third round an update by `_id` and every fifth a find by an indexed field, on
 * random documents, one at a time; then lets the keeper pass once (it switches the twins and
 * merges their pending lists) and runs the same rounds again.
 *
 *   npm run build && npm run bench:db
 *
 * Prints `name: value unit` lines per variant: the mean round trip per command, PostgreSQL's CPU
 * (all its processes) per command, and how many entries waited in the pending lists.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { containmentIndexName, syncContainmentIndexes } from '../server/infra/containmentIndexes';
import { startTemporaryServers } from '../server/infra/temporaryServers';

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 100_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 1_500);
const DB = 'benchdb';

/** CPU seconds (user + system) of every PostgreSQL process of this cluster. */
function postgresCpuSeconds(dataDir: string): number {
  const pids = execFileSync('pgrep', ['-f', 'postgres'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  let ticks = 0;
  for (const pid of pids) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const parent = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The postmaster names the data folder; its backends are its children.
      const fields = parent.slice(parent.lastIndexOf(')') + 2).split(' ');
      const ppid = fields[1]!;
      const ours = cmd.includes(dataDir) || fs.readFileSync(`/proc/${ppid}/cmdline`, 'utf8').includes(dataDir);
      if (ours) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

async function main() {
  // The keeper would switch the twins back within a second: this bench runs its passes itself.
  const servers = await startTemporaryServers({ prefix: 'bench-db-', containmentKeeper: false });
  const mongo = await MongoClient.connect(servers.mongoUri, { maxPoolSize: 4 });
  const client = new pg.Client({ connectionString: servers.postgresUrl });
  await client.connect();
  try {
    const docs = mongo.db(DB).collection<{ _id: string; instanceId: string; status: string; note: string; seq: number }>('docs');
    await docs.createIndex({ instanceId: 1 });
    await syncContainmentIndexes(client);
    const table = (await client.query<{ table: string }>(`SELECT _jsonb->>'table' AS table FROM "${DB}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'docs'`)).rows[0]!.table;
    const twins = ['_id', 'instanceId'].map((field) => ({ field, name: `"${DB}"."${containmentIndexName(table, field)}"` }));
    const note = 'x'.repeat(2500);

    const load = async (from: number, to: number) => {
      for (let i = from; i < to; i += 100) {
        await docs.insertMany(Array.from({ length: Math.min(100, to - i) }, (_, j) => ({ _id: `d-${i + j}`, instanceId: `pi-${i + j}`, status: 'closed', note, seq: 0 })));
      }
    };
    const pending = async () => {
      await client.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
      let total = 0;
      for (const twin of twins) total += Number((await client.query<{ n: string }>('SELECT pending_tuples AS n FROM pgstatginindex($1::regclass)', [twin.name])).rows[0]!.n);
      return total;
    };
    const rounds = async (variant: string) => {
      const cpu0 = postgresCpuSeconds(servers.dir);
      let commands = 0;
      const t0 = performance.now();
      for (let i = 0; i < LOOKUPS; i += 1) {
        const n = Math.floor(Math.random() * DOCUMENTS);
        await docs.findOne({ _id: `d-${n}` });
        commands += 1;
        if (i % 3 === 0) { await docs.updateOne({ _id: `d-${n}` }, { $set: { seq: i } }); commands += 1; }
        if (i % 5 === 0) { await docs.findOne({ instanceId: `pi-${Math.floor(Math.random() * DOCUMENTS)}` }); commands += 1; }
      }
      const ms = performance.now() - t0;
      const cpu = postgresCpuSeconds(servers.dir) - cpu0;
      console.log(`db_${variant}_round_trip_mean: ${(ms / commands).toFixed(2)} ms`);
      console.log(`db_${variant}_postgresql_cpu_per_command: ${((cpu * 1000) / commands).toFixed(2)} ms`);
    };

    console.log(`# ${DOCUMENTS} documents, ${LOOKUPS} rounds per variant; load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    // As before decision 0059: GIN's default, new entries waiting in the pending list.
    for (const twin of twins) await client.query(`ALTER INDEX ${twin.name} SET (fastupdate = on)`);
    await load(0, DOCUMENTS);
    console.log(`db_pending_list_pending_entries: ${await pending()} count`);
    await rounds('pending_list');
    // The keeper's next pass switches the twins to direct writes and merges their pending lists.
    await syncContainmentIndexes(client);
    console.log(`db_direct_pending_entries: ${await pending()} count`);
    await rounds('direct');
  } finally {
    await client.end();
    await mongo.close();
    await servers.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
