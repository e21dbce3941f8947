/**
 * Who hears of a low-score alert, per owner group: ALERT_SMS_TO and ALERT_EMAIL_TO, each a
 * comma-separated list of `group=address` (repeat a group for several addresses). Parsed by the
 * service's configuration at start (a bad entry stops start-up) and by the integration at each
 * run (so the worker's environment is the only source, as with SMTP_URL).
 */
import { z } from 'zod';

const GROUP = /^[a-z][a-z0-9-]{0,63}$/;
const PHONE = /^\+[1-9][0-9]{6,14}$/;
const EMAIL = z.email();

export type Recipients = Readonly<Record<string, readonly string[]>>;

/** `group=address,…` into group → addresses; throws naming the first bad entry. */
export function parseRecipients(value: string | undefined, kind: 'sms' | 'email'): Recipients {
  const out: Record<string, string[]> = {};
  for (const entry of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    const group = entry.slice(0, at).trim();
    const address = entry.slice(at + 1).trim();
    if (at < 0 || !GROUP.test(group)) throw new Error(`entries are group=${kind === 'sms' ? '+number' : 'address'} (group: lower case, digits, -)`);
    const ok = kind === 'sms' ? PHONE.test(address) : EMAIL.safeParse(address).success;
    // The entry is not echoed: it is a phone number or an address.
    if (!ok) throw new Error(`the ${kind === 'sms' ? 'number (E.164, e.g. +8613800000000)' : 'e-mail address'} of group '${group}' is not valid`);
    const list = Object.prototype.hasOwnProperty.call(out, group) ? out[group]! : [];
    if (!list.includes(address)) list.push(address);
    Object.defineProperty(out, group, { value: list, enumerable: true, configurable: true });
  }
  return out;
}

export function recipientsOf(recipients: Recipients, group: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(recipients, group) ? recipients[group]! : [];
}
