import type { IntegrationManifest } from '../../catalog/types';
import { robotTemplateFields } from '../../notifications/robotTemplate';

export const notifyWecomManifest: IntegrationManifest = {
  type: 'notify.wecom',
  description: 'Post a text or markdown message to a WeCom (企业微信) group robot',
  defaults: { startToCloseTimeoutMs: 90_000, retries: 5, retryInitialIntervalMs: 5_000, retryBackoff: 2 },
  templateFields: robotTemplateFields('WeCom', { mobiles: true }),
};
