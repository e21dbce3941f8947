import type { IntegrationManifest } from '../../catalog/types';

export const notifyWebhookManifest: IntegrationManifest = {
  type: 'notify.webhook',
  description: 'POST a JSON notification to a webhook on an allowed host',
  defaults: { startToCloseTimeoutMs: 90_000, retries: 5, retryInitialIntervalMs: 2_000, retryBackoff: 2 },
  templateFields: [
    { name: 'url', label: 'Webhook URL', type: 'string', binding: { type: 'zeebe:input', name: 'url' }, optional: true, feel: 'optional', description: 'Leave empty to use the url field of the credential' },
    { name: 'credential', label: 'Credential', type: 'string', binding: { type: 'zeebe:input', name: 'credential' }, optional: true, description: 'Name of a credential with `url`, `authorization` and/or `secret` (HMAC signature)' },
    { name: 'subject', label: 'Subject', type: 'string', binding: { type: 'zeebe:input', name: 'subject' }, optional: true, feel: 'optional' },
    { name: 'text', label: 'Text', type: 'string', binding: { type: 'zeebe:input', name: 'text' }, feel: 'optional' },
    { name: 'markdown', label: 'Markdown', type: 'string', binding: { type: 'zeebe:input', name: 'markdown' }, optional: true, feel: 'optional' },
    { name: 'data', label: 'Data', type: 'string', binding: { type: 'zeebe:input', name: 'data' }, optional: true, feel: 'required', description: 'FEEL context sent as `data`, e.g. ={ event: "complaint.opened", complaintId: id }' },
  ],
};
