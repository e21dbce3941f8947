import type { IntegrationManifest } from '../../catalog/types';

export const httpRequestManifest: IntegrationManifest = {
  type: 'http.request',
  description: 'Call a JSON HTTP API on an allowed host and return status, headers and body',
  // The request's own timeout (at most 60 s) ends well inside the activity's.
  defaults: { startToCloseTimeoutMs: 90_000, retries: 3, retryInitialIntervalMs: 1_000, retryBackoff: 2 },
  templateFields: [
    { name: 'url', label: 'URL', type: 'string', binding: { type: 'zeebe:input', name: 'url' }, feel: 'optional' },
    {
      name: 'method', label: 'Method', type: 'dropdown', binding: { type: 'zeebe:input', name: 'method' }, optional: true,
      choices: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ name: m, value: m })),
    },
    { name: 'headers', label: 'Headers', type: 'string', binding: { type: 'zeebe:input', name: 'headers' }, optional: true, feel: 'required', description: 'FEEL context of header name to value' },
    { name: 'body', label: 'Body', type: 'string', binding: { type: 'zeebe:input', name: 'body' }, optional: true, feel: 'required', description: 'Sent as JSON; not allowed with GET' },
    { name: 'timeoutMs', label: 'Timeout (ms)', type: 'number', binding: { type: 'zeebe:input', name: 'timeoutMs' }, optional: true },
    { name: 'credential', label: 'Credential', type: 'string', binding: { type: 'zeebe:input', name: 'credential' }, optional: true, description: 'Name of a credential whose `authorization` field is sent as the Authorization header' },
  ],
};
