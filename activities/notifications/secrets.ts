/** Credential look-up and secret hygiene shared by the notification channels. */
import { credentialEnvPrefix } from '../catalog/credentials';
import { PermanentError, TransientError } from '../catalog/errors';
import type { IntegrationContext } from '../catalog/types';

/** The credential's fields; a missing credential fails at once, naming what to set. */
export function credentialFields(name: string, ctx: IntegrationContext): Readonly<Record<string, string>> {
  const fields = ctx.deps.credentials.get(name);
  if (!fields) {
    throw new PermanentError('CredentialNotFound', `credential '${name}' is not set (set ${credentialEnvPrefix(name)}<FIELD> variables)`);
  }
  return fields;
}

export function missingField(name: string, field: string, what: string): PermanentError {
  return new PermanentError(
    'CredentialNotFound',
    `credential '${name}' has no '${field}' field: ${what} (set ${credentialEnvPrefix(name)}${field.toUpperCase()})`,
  );
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((acc, secret) => acc.split(secret).join('***'), text);
}

/**
 * The same failure with every secret replaced by `***`. Transport messages name origin and
 * path, and some robot addresses carry their key in the path (Feishu's /hook/<key>).
 */
export function withoutSecrets(err: unknown, secrets: ReadonlyArray<string | undefined>): unknown {
  const live = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (live.length === 0) return err;
  if (err instanceof PermanentError) {
    const details = err.details && (JSON.parse(scrub(JSON.stringify(err.details), live)) as Record<string, unknown>);
    return new PermanentError(err.type, scrub(err.message, live), details);
  }
  if (err instanceof TransientError) {
    const { details, retryAfterMs } = err.options;
    return new TransientError(err.type, scrub(err.message, live), {
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(details ? { details: JSON.parse(scrub(JSON.stringify(details), live)) as Record<string, unknown> } : {}),
    });
  }
  return err;
}
