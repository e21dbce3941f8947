import type { IntegrationManifest } from '../../catalog/types';

export const alertNotifyOwnerManifest: IntegrationManifest = {
  type: 'alert.notify-owner',
  description: "Tell a low-score alert's owner group by SMS and e-mail (ALERT_SMS_TO, ALERT_EMAIL_TO); no contacts, no message",
  // SMS gateways answer in seconds; a 429 or 5xx is retried 2 s, 6 s, 18 s.
  defaults: { startToCloseTimeoutMs: 60_000, retries: 4, retryInitialIntervalMs: 2_000, retryBackoff: 3 },
  templateFields: [
    { name: 'feedbackId', label: 'Feedback id', type: 'string', binding: { type: 'zeebe:input', name: 'feedbackId' }, feel: 'required' },
    { name: 'ownerGroup', label: 'Owner group', type: 'string', binding: { type: 'zeebe:input', name: 'ownerGroup' }, feel: 'required' },
    { name: 'touchpoint', label: 'Touchpoint', type: 'string', binding: { type: 'zeebe:input', name: 'touchpoint' }, feel: 'required' },
    { name: 'score', label: 'Score', type: 'string', binding: { type: 'zeebe:input', name: 'score' }, feel: 'required' },
  ],
};
