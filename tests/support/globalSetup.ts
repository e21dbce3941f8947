/**
 * One Temporal dev server and one FerretDB per test run, on free ports in a temp folder, plus
 * one workflow bundle that every test worker reuses (bundling takes seconds). Addresses reach
 * the test files through environment variables (jest workers inherit them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startTemporaryServers, type TemporaryServers } from '../../server/infra/temporaryServers';
import { resolveTools } from '../../server/infra/toolchain';
import { workflowBundleOptions } from '../../server/workflowBundle';
import { testPort } from './ports';

declare global {
  var __testServers: TemporaryServers | undefined;
}

export default async function globalSetup(): Promise<void> {
  // As the service bundles its workflows (shared modules preloaded), with a few test workflows.
  const bundling = bundleWorkflowCode(workflowBundleOptions(
    { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
    require.resolve('./testWorkflows'),
  ));
  const servers = await startTemporaryServers({
    prefix: 'complaint-bpm-test-',
    port: testPort,
    // Suggest continue-as-new early, so long-running tests exercise it for real.
    dynamicConfig: ['limit.historyCount.suggestContinueAsNew=1000'],
  });
  globalThis.__testServers = servers;
  const bundlePath = path.join(servers.dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, (await bundling).code);

  process.env.TEST_DIR = servers.dir;
  process.env.TEST_TEMPORAL_ADDRESS = servers.temporalAddress;
  process.env.TEST_MONGODB_URI = servers.mongoUri;
  process.env.TEST_POSTGRES_URL = servers.postgresUrl;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TEMPORAL_TEST_SERVER = resolveTools().temporalTestServer;
}
