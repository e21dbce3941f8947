import { envCredentials } from './credentials';
import type { IntegrationDeps } from './types';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Fills what the caller left out. The default allow-list is empty: no outbound HTTP until
 * the service passes HTTP_ALLOWED_HOSTS, so a forgotten setting fails closed.
 */
export function integrationDeps(overrides: Partial<IntegrationDeps> = {}): IntegrationDeps {
  return {
    allowedHosts: [],
    fetch: (input, init) => globalThis.fetch(input, init),
    credentials: envCredentials(),
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    ...overrides,
  };
}
