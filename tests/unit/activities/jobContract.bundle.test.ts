import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

describe('job contract in the workflow sandbox', () => {
  it('bundles for workflow code without pulling in integration code or disallowed modules', async () => {
    // given
    const workflowsPath = path.join(__dirname, 'fixtures', 'jobContractWorkflow.ts');
    const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

    // when
    const bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });

    // then
    expect(bundle.code).toContain('startToCloseTimeoutMs');
    expect(bundle.code).not.toContain('sendHttp');
    expect(bundle.code).not.toContain('ZodObject');
  });
});
