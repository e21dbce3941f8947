/**
 * Checks that run on the raw document before any XML parser sees it: the size limit (so a
 * huge upload costs no parsing time) and the ban on DTDs (so entity expansion, billion-laughs
 * bombs and external entities such as file:///etc/passwd can never happen, whatever the
 * parser underneath would do with them).
 */
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

export type GuardResult = { ok: true; xml: string } | { ok: false; message: string };

const DTD = /<!\s*(DOCTYPE|ENTITY)/i;
const DECLARED_ENCODING = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

export function guardXml(input: string | Uint8Array, maxBytes: number): GuardResult {
  const size = typeof input === 'string' ? utf8Length(input, maxBytes) : input.byteLength;
  if (size > maxBytes) {
    return { ok: false, message: `document is larger than the limit of ${maxBytes} bytes; it was not parsed` };
  }
  const decoded = typeof input === 'string' ? { ok: true as const, xml: input } : decode(input);
  if (!decoded.ok) return decoded;
  const dtd = DTD.exec(decoded.xml)?.[1]?.toUpperCase();
  if (dtd) {
    const what = dtd === 'ENTITY' ? 'an ENTITY' : 'a DOCTYPE';
    return { ok: false, message: `document contains ${what} declaration; DTDs and entities are not accepted` };
  }
  return decoded;
}

/** Bytes of `text` in UTF-8, stopping early once past `limit` (no need to count 50 MB). */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  return Buffer.byteLength(text, 'utf8');
}

/** Bytes are decoded with the encoding the XML declaration names (miwg files use ISO-8859-1). */
function decode(bytes: Uint8Array): GuardResult {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const encoding = DECLARED_ENCODING.exec(head)?.[1] ?? 'utf-8';
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return { ok: true, xml: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `document cannot be decoded as ${encoding}: ${reason}` };
  }
}
