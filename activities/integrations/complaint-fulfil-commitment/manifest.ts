import type { IntegrationManifest } from '../../catalog/types';

export const complaintFulfilCommitmentManifest: IntegrationManifest = {
  type: 'complaint.fulfil-commitment',
  description: 'Mark a commitment made to the customer as fulfilled',
  defaults: { startToCloseTimeoutMs: 10_000, retries: 5, retryInitialIntervalMs: 1_000, local: true },
  templateFields: [
    { name: 'complaintId', label: 'Complaint id', type: 'string', binding: { type: 'zeebe:input', name: 'complaintId' }, feel: 'required' },
    { name: 'commitmentId', label: 'Commitment id', type: 'string', binding: { type: 'zeebe:input', name: 'commitmentId' }, feel: 'required' },
  ],
};
