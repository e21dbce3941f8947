import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__testServers ?? []).map((server) => server.stop(3000)));
  const dir = process.env.TEST_DIR;
  if (dir && dir.includes('complaint-bpm-test-')) fs.rmSync(dir, { recursive: true, force: true });
}
