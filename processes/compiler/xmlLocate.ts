/**
 * Finds the element ids that enclose positions in an XML text. moddle reports unparsable
 * content with a line and column only; this turns that into the nearest element id so
 * the problem points at something the designer can click. The text has already been
 * through the XML parser, so a small tag scanner (comments, CDATA, PIs, quoted attributes)
 * is enough. One linear pass for all positions, so many warnings cost no more than one.
 */
export interface XmlPosition {
  line: number;
  column: number;
}

export function enclosingIds(xml: string, positions: readonly XmlPosition[]): Array<string | null> {
  const lineStarts = lineStartOffsets(xml);
  const offsets = positions.map((p) => (lineStarts[p.line] ?? xml.length) + p.column);
  const order = offsets.map((_, k) => k).sort((a, b) => (offsets[a] ?? 0) - (offsets[b] ?? 0));
  const result: Array<string | null> = positions.map(() => null);
  const stack: Array<string | null> = [];
  let next = 0;
  let i = xml.indexOf('<');
  const settle = (upTo: number, tagId: string | null): void => {
    while (next < order.length && (offsets[order[next] ?? 0] ?? 0) <= upTo) {
      const k = order[next] ?? 0;
      result[k] = (offsets[k] === upTo ? tagId : null) ?? innermost(stack);
      next += 1;
    }
  };
  while (i !== -1 && next < order.length) {
    if (xml.startsWith('<!--', i)) i = skipPast(xml, i, '-->');
    else if (xml.startsWith('<![CDATA[', i)) i = skipPast(xml, i, ']]>');
    else if (xml.startsWith('<?', i) || xml.startsWith('<!', i)) i = skipPast(xml, i, '>');
    else if (xml.startsWith('</', i)) {
      settle(i - 1, null);
      stack.pop();
      i = skipPast(xml, i, '>');
    } else {
      settle(i - 1, null);
      const end = tagEnd(xml, i);
      const tag = xml.slice(i, end);
      const id = /\sid\s*=\s*(["'])(.*?)\1/.exec(tag)?.[2] ?? null;
      settle(i, id);
      if (!tag.endsWith('/>')) stack.push(id);
      i = end;
    }
    i = xml.indexOf('<', i);
  }
  settle(Number.MAX_SAFE_INTEGER, null);
  return result;
}

function innermost(stack: ReadonlyArray<string | null>): string | null {
  for (let k = stack.length - 1; k >= 0; k -= 1) {
    const id = stack[k];
    if (id) return id;
  }
  return null;
}

function lineStartOffsets(xml: string): number[] {
  const starts = [0];
  for (let at = xml.indexOf('\n'); at !== -1; at = xml.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

function skipPast(xml: string, from: number, token: string): number {
  const at = xml.indexOf(token, from);
  return at === -1 ? xml.length : at + token.length;
}

/** Index just past the `>` that closes the tag at `from`, ignoring `>` inside quotes. */
function tagEnd(xml: string, from: number): number {
  let quote: string | null = null;
  for (let i = from + 1; i < xml.length; i += 1) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return xml.length;
}
