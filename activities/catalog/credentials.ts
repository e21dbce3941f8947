/**
 * Credentials referenced by name, backed by environment variables for now:
 * `CREDENTIAL_<NAME>_<FIELD>`, where NAME is the credential name upper-cased with every run
 * of non-alphanumerics turned into `_`, and FIELD becomes the lower-cased field name.
 * E.g. `CREDENTIAL_CRM_API_AUTHORIZATION=Bearer x` gives credential `crm-api` the field
 * `authorization`. Avoid names where one is a prefix of another (`crm` and `crm-api`).
 *
 * A credential is bound to the hosts it belongs to: its `hosts` field (HTTP_ALLOWED_HOSTS
 * syntax, comma-separated: `api.example.com`, `*.example.com`, `host:port`), else the host of
 * its own `url` field. A diagram cannot send it to any other host (docs/security.md).
 */
import { PermanentError } from './errors';
import { isHostAllowed } from '../transport/hostAllowList';
import type { CredentialStore } from './types';

export function credentialEnvPrefix(name: string): string {
  return `CREDENTIAL_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_`;
}

/** Reads `env` at each lookup, so a value set after start-up is seen without a rebuild. */
export function envCredentials(env: NodeJS.ProcessEnv = process.env): CredentialStore {
  return {
    get(name) {
      const prefix = credentialEnvPrefix(name);
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(env)) {
        if (key.startsWith(prefix) && key.length > prefix.length && value) {
          fields[key.slice(prefix.length).toLowerCase()] = value;
        }
      }
      return Object.keys(fields).length > 0 ? Object.freeze(fields) : undefined;
    },
  };
}

/**
 * Refuses (PermanentError `CredentialHostNotAllowed`, before anything is sent) to send the
 * credential `name` to `url` when it is not one of the credential's own hosts.
 */
export function assertCredentialHost(name: string, fields: Readonly<Record<string, string>>, url: URL): void {
  const bound = fields.hosts !== undefined
    ? fields.hosts.split(',').map((h) => h.trim()).filter(Boolean)
    : fields.url !== undefined && URL.canParse(fields.url) ? [new URL(fields.url).host] : [];
  if (bound.length > 0 && isHostAllowed(url, bound)) return;
  throw new PermanentError('CredentialHostNotAllowed', bound.length === 0
    ? `credential '${name}' is bound to no host: set ${credentialEnvPrefix(name)}HOSTS (or a 'url' field)`
    : `credential '${name}' may not be sent to ${url.host}: it belongs to ${bound.join(', ')}`, { host: url.host });
}
