/**
 * One Temporal dev server and one FerretDB per test run, on free ports in a temp folder, plus
 * one workflow bundle that every test worker reuses (bundling takes seconds). Addresses reach
 * the test files through environment variables (jest workers inherit them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { embeddedFerretdb, embeddedTemporal, startAndWaitForPort } from '../../server/infra/embeddedServers';
import type { ManagedProcess } from '../../server/infra/managedProcess';
import { freePort } from '../../server/infra/ports';
import { resolveTools } from '../../server/infra/toolchain';
import { connectClient, ensureSearchAttributes } from '../../server/temporal/connection';

declare global {
  var __testServers: ManagedProcess[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const tools = resolveTools();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-bpm-test-'));
  const [temporalPort, ferretPort] = [await freePort(), await freePort()];
  const temporal = embeddedTemporal({
    binary: tools.temporalCli,
    dataDir: dir,
    port: temporalPort,
    ui: false,
    namespace: 'default',
    // Suggest continue-as-new early, so long-running tests exercise it for real.
    dynamicConfig: ['limit.historyCount.suggestContinueAsNew=1000'],
  });
  const ferret = await embeddedFerretdb({ binary: tools.ferretdb, dataDir: dir, port: ferretPort });
  globalThis.__testServers = [temporal, ferret];
  const bundling = bundleWorkflowCode({
    workflowsPath: require.resolve('./testWorkflows'),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  await Promise.all([
    startAndWaitForPort(temporal, temporalPort, 60_000),
    startAndWaitForPort(ferret, ferretPort, 30_000),
  ]);
  const client = await connectClient({ address: `127.0.0.1:${temporalPort}`, namespace: 'default' });
  await ensureSearchAttributes(client, 'default');
  await client.connection.close();
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, (await bundling).code);

  process.env.TEST_DIR = dir;
  process.env.TEST_TEMPORAL_ADDRESS = `127.0.0.1:${temporalPort}`;
  process.env.TEST_MONGODB_URI = `mongodb://127.0.0.1:${ferretPort}/`;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TEMPORAL_TEST_SERVER = tools.temporalTestServer;
}
