import type { IntegrationManifest } from '../../catalog/types';
import { robotTemplateFields } from '../../notifications/robotTemplate';

export const notifyFeishuManifest: IntegrationManifest = {
  type: 'notify.feishu',
  description: 'Post a text or markdown message to a Feishu / Lark (飞书) group bot, signed when it has a secret',
  defaults: { startToCloseTimeoutMs: 90_000, retries: 5, retryInitialIntervalMs: 5_000, retryBackoff: 2 },
  templateFields: robotTemplateFields('Feishu', { mobiles: false }),
};
