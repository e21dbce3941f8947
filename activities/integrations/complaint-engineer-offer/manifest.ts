import type { IntegrationManifest } from '../../catalog/types';

export const complaintEngineerOfferManifest: IntegrationManifest = {
  type: 'complaint.engineer-offer',
  description: 'Offer the recommended engineers to the customer (recommendations), or end a waiting offer (outcome timed_out)',
  defaults: { startToCloseTimeoutMs: 10_000, retries: 5, retryInitialIntervalMs: 1_000, local: true },
  templateFields: [
    { name: 'complaintId', label: 'Complaint id', type: 'string', binding: { type: 'zeebe:input', name: 'complaintId' }, feel: 'required' },
    { name: 'recommendations', label: 'Recommendations', type: 'string', optional: true, binding: { type: 'zeebe:input', name: 'recommendations' }, feel: 'required', description: 'The output of dispatch.recommend' },
    { name: 'outcome', label: 'Outcome', type: 'dropdown', optional: true, binding: { type: 'zeebe:input', name: 'outcome' }, choices: [{ name: 'timed out', value: 'timed_out' }] },
  ],
};
