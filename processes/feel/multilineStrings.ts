/**
 * Raw line breaks inside FEEL string literals.
 *
 * Camunda's FEEL engine (feel-scala) accepts a string literal that spans lines and keeps the
 * line breaks in the value (camunda/feel-scala#715), and Camunda Modeler writes long texts,
 * such as an AI agent's system prompt, that way. feelin's grammar refuses a raw line break in a
 * string, but reads the escapes `\n` and `\r`. So before parsing, each raw CR or LF inside a
 * string literal becomes its escape; everything outside string literals (line breaks between
 * tokens, comments) stays as written. The value keeps its line breaks.
 */

export interface NormalizedSource {
  /** The source feelin parses. */
  source: string;
  /** Offsets (in `source`) where one raw character became a two-character escape, ascending. */
  widenedAt: number[];
}

/** Rewrites raw line breaks inside string literals as `\n` / `\r` escapes. */
export function escapeLineBreaksInStrings(source: string): NormalizedSource {
  if (!source.includes('\n') && !source.includes('\r')) return { source, widenedAt: [] };
  let out = '';
  const widenedAt: number[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop);
      i = stop;
    } else if (ch === '"') {
      out += ch;
      i += 1;
      while (i < source.length && source[i] !== '"') {
        const c = source[i];
        if (c === '\\' && i + 1 < source.length) {
          out += c + source[i + 1];
          i += 2;
        } else if (c === '\n' || c === '\r') {
          widenedAt.push(out.length);
          out += c === '\n' ? '\\n' : '\\r';
          i += 1;
        } else {
          out += c;
          i += 1;
        }
      }
      if (i < source.length) {
        out += '"';
        i += 1;
      }
    } else {
      out += ch;
      i += 1;
    }
  }
  return { source: out, widenedAt };
}

/** The offset in the written source of an offset in the normalized one (for error messages). */
export function writtenOffset(normalized: NormalizedSource, offset: number): number {
  let shift = 0;
  for (const at of normalized.widenedAt) {
    if (at < offset) shift += 1;
    else break;
  }
  return offset - shift;
}
