import type { IntegrationManifest } from '../../catalog/types';

export const complaintClassifyManifest: IntegrationManifest = {
  type: 'complaint.classify',
  description: 'Category, severity and departments of a complaint from the rule table and the customer tier',
  defaults: { startToCloseTimeoutMs: 10_000, retries: 3, retryInitialIntervalMs: 1_000, local: true },
  templateFields: [
    { name: 'complaintId', label: 'Complaint id', type: 'string', binding: { type: 'zeebe:input', name: 'complaintId' }, feel: 'required' },
    { name: 'customerTier', label: 'Customer tier', type: 'string', binding: { type: 'zeebe:input', name: 'customerTier' }, feel: 'optional', optional: true },
  ],
};
