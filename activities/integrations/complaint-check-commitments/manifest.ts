import type { IntegrationManifest } from '../../catalog/types';

export const complaintCheckCommitmentsManifest: IntegrationManifest = {
  type: 'complaint.check-commitments',
  description: 'Throws BPMN error COMMITMENTS_OPEN while a commitment to the customer is unfulfilled',
  defaults: { startToCloseTimeoutMs: 10_000, retries: 3, retryInitialIntervalMs: 1_000, local: true },
  templateFields: [
    { name: 'complaintId', label: 'Complaint id', type: 'string', binding: { type: 'zeebe:input', name: 'complaintId' }, feel: 'required' },
  ],
};
