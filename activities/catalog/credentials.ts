/**
 * Credentials referenced by name, backed by environment variables for now:
 * `CREDENTIAL_<NAME>_<FIELD>`, where NAME is the credential name upper-cased with every run
 * of non-alphanumerics turned into `_`, and FIELD becomes the lower-cased field name.
 * E.g. `CREDENTIAL_CRM_API_AUTHORIZATION=Bearer x` gives credential `crm-api` the field
 * `authorization`. Avoid names where one is a prefix of another (`crm` and `crm-api`).
 */
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
