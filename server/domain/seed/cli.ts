/**
 * `npm run seed`: loads the demo directory into the configured MongoDB (MONGODB_URI /
 * MONGODB_DATABASE), or into the embedded FerretDB of a running `npm start`, then files demo
 * complaints in every state through the running service's API (http://HOST:PORT, signed in as
 * ADMIN_EMAIL / ADMIN_PASSWORD). It starts no server of its own: when nothing answers it says
 * what to do and exits 1.
 */
import { ConfigError, loadConfig } from '../../config';
import { connectMongo } from '../../db/mongo';
import { seedDirectory, demoDirectory } from '.';
import { demoHistory, seedAnalyticsHistory } from '../../analytics/history';
import { seedDemoComplaints } from './complaints';

async function main(): Promise<number> {
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
  const where = config.MONGODB_URI ? 'the MongoDB of MONGODB_URI' : `the embedded FerretDB on port ${config.EMBEDDED_FERRETDB_PORT}`;
  let connection;
  try {
    connection = await connectMongo(uri, config.MONGODB_DATABASE);
  } catch {
    // The URI is not printed: it may carry credentials.
    process.stderr.write(
      `Cannot reach ${where}.\n` +
        (config.MONGODB_URI
          ? 'Check MONGODB_URI and that the server is up.\n'
          : 'The embedded FerretDB only runs while the service does: start `npm start` in another terminal, then run `npm run seed` again (or set MONGODB_URI).\n'),
    );
    return 1;
  }
  try {
    const report = await seedDirectory(connection);
    process.stdout.write(
      `Seeded database "${config.MONGODB_DATABASE}" on ${where}: ${report.departments} departments, ${report.outlets} outlets, ` +
        `${report.staff} staff, ${report.customers} customers (${report.inserted} new; existing records updated, their load, duty and ratings kept).\n`,
    );
    // A year of seasonal complaint volume for the workload analytics and the forecast (server/analytics/history.ts).
    const written = await seedAnalyticsHistory(connection, demoHistory(demoDirectory()));
    process.stdout.write(written ? `Analytics history: a year of simulated complaint volume (${written} rollup documents).\n` : 'Analytics history: seeded before, kept.\n');
  } finally {
    await connection.close();
  }
  const baseUrl = `http://${config.HOST}:${config.PORT}`;
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }),
  }).catch(() => undefined);
  if (login?.status !== 200) {
    process.stderr.write(`Demo complaints need the running service at ${baseUrl} and the admin's sign-in (ADMIN_EMAIL / ADMIN_PASSWORD); ${login ? `the login answered ${login.status}` : 'nothing answered'}.\n`);
    return 1;
  }
  const { token } = (await login.json()) as { token: string };
  const made = await seedDemoComplaints({ baseUrl, token, progress: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`Demo complaints filed through ${baseUrl}: ${Object.keys(made).join(', ')}.\n`);
  return 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`Seeding failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
