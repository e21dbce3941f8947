import type { IntegrationManifest } from '../../catalog/types';

export const variablesSetManifest: IntegrationManifest = {
  type: 'variables.set',
  description: 'Set process variables from a FEEL context (no I/O)',
  defaults: { startToCloseTimeoutMs: 10_000, retries: 1, local: true },
  templateFields: [
    { name: 'variables', label: 'Variables', type: 'string', binding: { type: 'zeebe:input', name: 'variables' }, feel: 'required', description: 'e.g. ={ status: "open" }' },
  ],
};
