import type { IntegrationManifest } from '../../catalog/types';
import { robotTemplateFields } from '../../notifications/robotTemplate';

export const notifyDingtalkManifest: IntegrationManifest = {
  type: 'notify.dingtalk',
  description: 'Post a text or markdown message to a DingTalk (钉钉) group robot, signed when it has a secret',
  defaults: { startToCloseTimeoutMs: 90_000, retries: 5, retryInitialIntervalMs: 5_000, retryBackoff: 2 },
  templateFields: robotTemplateFields('DingTalk', { mobiles: true }),
};
