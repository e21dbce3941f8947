import type { IntegrationManifest } from '../../catalog/types';

export const complaintRecordManifest: IntegrationManifest = {
  type: 'complaint.record',
  description: 'Write an entry on the complaint timeline, optionally changing its status, engineer or the departments that must act',
  defaults: { startToCloseTimeoutMs: 10_000, retries: 5, retryInitialIntervalMs: 1_000, local: true },
  templateFields: [
    { name: 'complaintId', label: 'Complaint id', type: 'string', binding: { type: 'zeebe:input', name: 'complaintId' }, feel: 'required' },
    { name: 'event', label: 'What happened', type: 'string', binding: { type: 'zeebe:input', name: 'event' }, feel: 'optional' },
    { name: 'status', label: 'New status', type: 'dropdown', optional: true, binding: { type: 'zeebe:input', name: 'status' },
      choices: ['open', 'in_progress', 'awaiting_evaluation', 'closed', 'reopened'].map((s) => ({ name: s, value: s })) },
    { name: 'engineer', label: 'Engineer', type: 'string', optional: true, binding: { type: 'zeebe:input', name: 'engineer' }, feel: 'optional' },
    { name: 'departments', label: 'Departments that must act (a FEEL list)', type: 'string', optional: true, binding: { type: 'zeebe:input', name: 'departments' }, feel: 'required' },
  ],
};
