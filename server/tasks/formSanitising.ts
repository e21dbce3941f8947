/**
 * The markup a designer can put into a form-js form (`text` components' markdown/HTML,
 * `html` components' content) is sanitised on the server with sanitize-html before the inbox
 * gets the schema: event handlers, scripts, iframes, forms and `javascript:` URLs never reach
 * the browser, not even the detached nodes form-js parses them into (which Chromium's CSP
 * reported as blocked inline handlers). FEEL expressions (`=…`) are left to form-js, which
 * sanitises what they evaluate to. docs/security.md, "Abuse protection".
 */
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img'],
  allowedAttributes: { ...sanitizeHtml.defaults.allowedAttributes, '*': ['id', 'class', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
};

const clean = (markup: unknown) =>
  typeof markup === 'string' && !markup.trimStart().startsWith('=') ? sanitizeHtml(markup, OPTIONS) : markup;

/** A sanitised deep copy of a form-js schema (the stored one stays as deployed). */
export function sanitiseFormSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = visit(v);
    if (out.type === 'text') out.text = clean(out.text);
    if (out.type === 'html') out.content = clean(out.content);
    return out;
  };
  return visit(schema) as Record<string, unknown>;
}
