/**
 * `npm run audit:verify [complaint id…]`: checks every complaint's audit chain (or the ones
 * named) in the configured MongoDB (MONGODB_URI / MONGODB_DATABASE) or the embedded FerretDB of
 * a running `npm start`. Prints the first altered entry of each broken chain (complaint,
 * sequence number, field) and exits 1; exits 0 when every chain is whole.
 */
import { ConfigError, loadConfig } from '../config';
import { connectMongo } from '../db/mongo';
import { createLogger } from '../log';
import { createSealer } from './sealer';
import { auditVerifier } from './verify';

async function main(argv: string[]): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) { process.stderr.write(`${err.message}\n`); return 2; }
    throw err;
  }
  const uri = config.MONGODB_URI ?? `mongodb://127.0.0.1:${config.EMBEDDED_FERRETDB_PORT}/`;
  let mongo;
  try {
    mongo = await connectMongo(uri, config.MONGODB_DATABASE);
  } catch {
    process.stderr.write(config.MONGODB_URI
      ? 'Cannot reach the MongoDB of MONGODB_URI.\n'
      : `Cannot reach the embedded FerretDB on port ${config.EMBEDDED_FERRETDB_PORT}: it runs while \`npm start\` does (or set MONGODB_URI).\n`);
    return 2;
  }
  try {
    const sealer = createSealer(mongo, createLogger('silent'));
    const verifier = auditVerifier(mongo, sealer.sources);
    const problems = [];
    let chains = 0;
    let entries = 0;
    if (argv.length > 0) {
      for (const id of argv) {
        const result = await verifier.verifyComplaint(id);
        chains += 1;
        entries += result.entries;
        if (result.problem) problems.push(result.problem);
      }
    } else {
      const report = await verifier.verifyAll((_id, done) => { if (done % 1000 === 0) process.stderr.write(`verified ${done} chains…\n`); });
      ({ chains, entries } = report);
      problems.push(...report.problems);
    }
    for (const p of problems) {
      process.stdout.write(`ALTERED complaint ${p.complaintId} entry ${p.seq} (${p.entryId}) field ${p.field}: ${p.message}\n`);
    }
    process.stdout.write(`${problems.length === 0 ? 'OK' : 'FAILED'}: ${chains} chain(s), ${entries} entries, ${problems.length} altered\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await mongo.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`audit:verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
