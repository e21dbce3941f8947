/**
 * `npm run coverage:bpmn -- [--since DATE] [--key KEY]`: diagram coverage of the deployed
 * processes from the production instances started since DATE (default 30 days ago), read from
 * the configured MongoDB (MONGODB_URI / MONGODB_DATABASE) or the embedded FerretDB of a
 * running `npm start`. Prints per process `bpmn_coverage_<key>: N %`, the element and flow
 * figures and the untaken ids (docs/operations.md, "Diagram coverage").
 */
import { parseArgs } from 'node:util';
import { formatCoverage } from '../../processes/simulation';
import { createDefinitionRepository } from '../definitions/repository';
import { ConfigError, loadConfig } from '../config';
import { connectMongo } from '../db/mongo';
import { projectionModels } from '../projections/models';
import { historyCoverage } from './history';
import { defaultSince } from './schemas';
import { MAX_HISTORY_INSTANCES } from './service';

const USAGE = 'usage: npm run coverage:bpmn -- [--since 2026-11-01] [--key complaint-handling]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { since: { type: 'string' }, key: { type: 'string', multiple: true } } }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const since = args.since === undefined ? defaultSince(new Date()) : new Date(args.since);
  if (Number.isNaN(since.getTime())) {
    process.stderr.write(`--since must be a date or date-time (ISO 8601), not '${args.since}'\n${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const uri = config.MONGODB_URI ?? `mongodb://127.0.0.1:${config.EMBEDDED_FERRETDB_PORT}/`;
  let connection;
  try {
    connection = await connectMongo(uri, config.MONGODB_DATABASE);
  } catch {
    // The URI is not printed: it may carry credentials.
    process.stderr.write(config.MONGODB_URI
      ? 'Cannot reach the MongoDB of MONGODB_URI; check it and that the server is up.\n'
      : `Cannot reach the embedded FerretDB on port ${config.EMBEDDED_FERRETDB_PORT}: it only runs while \`npm start\` does.\n`);
    return 1;
  }
  try {
    const repository = createDefinitionRepository(connection);
    const keys = args.key ?? (await repository.latestPerKey(0, 1000)).map((m) => m.key);
    const projections = projectionModels(connection);
    process.stdout.write(`Diagram coverage of the instances started since ${since.toISOString()}\n`);
    let missing = 0;
    for (const key of keys) {
      const record = await repository.current(key);
      if (!record) {
        process.stderr.write(`No deployed process '${key}'\n`);
        missing++;
        continue;
      }
      const report = await historyCoverage(projections, record.model, { definitionKey: key, from: since, to: new Date(Date.now() + 1) }, MAX_HISTORY_INSTANCES);
      process.stdout.write(`${formatCoverage({ ...report, processId: key }).join('\n')}\n`);
    }
    return missing > 0 ? 1 : 0;
  } finally {
    await connection.close();
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
