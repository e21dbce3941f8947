import { proxyActivities } from '@temporalio/workflow';
import type { ProbeActivities } from '../activities/probe';

const { healthProbeEcho } = proxyActivities<ProbeActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});

/**
 * Proves the worker really runs workflows and activities: the health endpoint starts this with
 * a fresh nonce and expects it back through an activity.
 */
export async function healthProbe(nonce: string): Promise<string> {
  return await healthProbeEcho(nonce);
}
