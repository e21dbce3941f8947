import type { IntegrationManifest } from '../../catalog/types';

export const complaintNotifyCustomerManifest: IntegrationManifest = {
  type: 'complaint.notify-customer',
  description: 'Send the customer the resolution notice with their signed link; BPMN error CUSTOMER_NOT_REACHABLE when it cannot be sent',
  // As notify.email: SMTP 4xx replies want minutes (5 s, 15 s, 45 s, 135 s).
  defaults: { startToCloseTimeoutMs: 90_000, retries: 5, retryInitialIntervalMs: 5_000, retryBackoff: 3 },
  templateFields: [
    { name: 'complaintId', label: 'Complaint id', type: 'string', binding: { type: 'zeebe:input', name: 'complaintId' }, feel: 'required' },
    { name: 'channel', label: 'Channel', type: 'dropdown', binding: { type: 'zeebe:input', name: 'channel' }, choices: [{ name: 'e-mail', value: 'email' }] },
  ],
};
