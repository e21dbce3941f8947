import type { IntegrationManifest } from '../../catalog/types';

export const notifyEmailManifest: IntegrationManifest = {
  type: 'notify.email',
  description: 'Send an e-mail through the SMTP server of SMTP_URL (or a named credential)',
  // SMTP 4xx replies (greylisting, a busy relay) want minutes, not seconds: 5 s, 15 s, 45 s, 135 s.
  defaults: { startToCloseTimeoutMs: 90_000, retries: 5, retryInitialIntervalMs: 5_000, retryBackoff: 3 },
  templateFields: [
    { name: 'to', label: 'To', type: 'string', binding: { type: 'zeebe:input', name: 'to' }, feel: 'optional', description: 'An address, or a FEEL list of addresses' },
    { name: 'cc', label: 'Cc', type: 'string', binding: { type: 'zeebe:input', name: 'cc' }, optional: true, feel: 'optional' },
    { name: 'bcc', label: 'Bcc', type: 'string', binding: { type: 'zeebe:input', name: 'bcc' }, optional: true, feel: 'optional' },
    { name: 'replyTo', label: 'Reply-To', type: 'string', binding: { type: 'zeebe:input', name: 'replyTo' }, optional: true, feel: 'optional' },
    { name: 'subject', label: 'Subject', type: 'string', binding: { type: 'zeebe:input', name: 'subject' }, feel: 'optional' },
    { name: 'text', label: 'Text', type: 'string', binding: { type: 'zeebe:input', name: 'text' }, feel: 'optional', description: 'Plain-text body' },
    { name: 'html', label: 'HTML', type: 'string', binding: { type: 'zeebe:input', name: 'html' }, optional: true, feel: 'optional', description: 'HTML alternative to the text' },
    { name: 'credential', label: 'SMTP credential', type: 'string', binding: { type: 'zeebe:input', name: 'credential' }, optional: true, description: 'Name of a credential with `url` (and `from`) to use instead of SMTP_URL' },
  ],
};
