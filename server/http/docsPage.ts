/**
 * The OpenAPI document as one self-contained HTML page: a linked list of operations with
 * their parameters, bodies and responses, and every named schema. No script and nothing
 * loaded from elsewhere; everything from the document is HTML-escaped.
 */

export interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}

interface MediaTypes {
  content?: Record<string, { schema?: unknown }>;
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: OpenApiParameter[];
  requestBody?: MediaTypes & { description?: string; required?: boolean };
  responses?: Record<string, MediaTypes & { description?: string }>;
}

export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: Array<{ name: string; description?: string }>;
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
const SCHEMA_REF = '#/components/schemas/';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped text with `code` spans, as in the descriptions. */
const prose = (text: string | undefined) => (text ? escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>') : '');

export const anchor = (prefix: string, name: string) => `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** Pretty JSON as HTML, with every schema `$ref` a link to that schema on the page. */
export function jsonHtml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + jsonHtml(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    const lines = entries.map(([k, v]) => {
      const rendered =
        k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF)
          ? `<a href="#${anchor('schema', v.slice(SCHEMA_REF.length))}">${escapeHtml(JSON.stringify(v))}</a>`
          : jsonHtml(v, inner);
      return `${inner}${escapeHtml(JSON.stringify(k))}: ${rendered}`;
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return escapeHtml(JSON.stringify(value) ?? 'null');
}

const schemaBlock = (schema: unknown) => `<pre>${jsonHtml(schema)}</pre>`;

function contentHtml(media: MediaTypes): string {
  return Object.entries(media.content ?? {})
    .map(([type, { schema }]) => `<p class="media">${escapeHtml(type)}</p>${schema === undefined ? '' : schemaBlock(schema)}`)
    .join('');
}

function parametersHtml(parameters: OpenApiParameter[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td>` +
        `<td>${prose(p.description)}${p.schema === undefined ? '' : schemaBlock(p.schema)}</td></tr>`,
    )
    .join('');
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th></tr></thead><tbody>${rows}</tbody></table>`;
}

interface Op {
  method: string;
  path: string;
  op: OpenApiOperation;
  id: string;
}

function operations(doc: OpenApiDoc): Op[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => {
      const op = item[method] as OpenApiOperation;
      return { method, path, op, id: anchor('op', op.operationId ?? `${method}-${path}`) };
    }),
  );
}

function operationHtml({ method, path, op, id }: Op): string {
  const body = op.requestBody
    ? `<h4>Request body${op.requestBody.required ? ' (required)' : ''}</h4><p>${prose(op.requestBody.description)}</p>${contentHtml(op.requestBody)}`
    : '';
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => `<div class="response"><h5><span class="status">${escapeHtml(status)}</span> ${prose(r.description)}</h5>${contentHtml(r)}</div>`)
    .join('');
  return (
    `<section class="operation" id="${id}">` +
    `<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>` +
    `<p class="summary">${prose(op.summary)}${op.operationId ? ` <small>(${escapeHtml(op.operationId)})</small>` : ''}</p>` +
    (op.description ? `<p>${prose(op.description)}</p>` : '') +
    parametersHtml(op.parameters ?? []) +
    body +
    `<h4>Responses</h4>${responses}</section>`
  );
}

export const DOCS_CSS = [
  'body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1d2330}',
  'code,pre{font:13px/1.4 ui-monospace,monospace}',
  'pre{background:#f5f6f8;padding:.6rem;overflow:auto;border-radius:4px}',
  'table{border-collapse:collapse;width:100%}td,th{border:1px solid #dde;padding:.3rem;vertical-align:top;text-align:left}',
  '.operation{border-top:1px solid #ccd;padding-top:.5rem;margin-top:1.5rem}',
  '.method{display:inline-block;min-width:4.5rem;text-align:center;color:#fff;border-radius:3px;padding:0 .4rem;background:#666}',
  '.get{background:#1f6feb}.post{background:#2da44e}.put,.patch{background:#bf8700}.delete{background:#cf222e}',
  '.status{font-weight:bold}.media{margin:.2rem 0;color:#555}',
].join('\n');

/** The page and its stylesheet (the stylesheet's hash goes into the page's CSP). */
export function renderDocsPage(doc: OpenApiDoc): { html: string; css: string } {
  const ops = operations(doc);
  const tagNames = [...new Set([...(doc.tags ?? []).map((t) => t.name), ...ops.flatMap((o) => o.op.tags ?? [])])];
  const groups = [...tagNames.map((tag) => ({ tag, ops: ops.filter((o) => o.op.tags?.includes(tag)) })), { tag: 'other', ops: ops.filter((o) => !o.op.tags?.length) }].filter((g) => g.ops.length > 0);
  const tagDescription = (tag: string) => doc.tags?.find((t) => t.name === tag)?.description;

  const toc = groups
    .map(
      (g) =>
        `<li>${escapeHtml(g.tag)}<ul>${g.ops
          .map((o) => `<li><a href="#${o.id}"><code>${escapeHtml(o.method.toUpperCase())} ${escapeHtml(o.path)}</code></a> ${prose(o.op.summary)}</li>`)
          .join('')}</ul></li>`,
    )
    .join('');
  const sections = groups
    .map((g) => `<h2>${escapeHtml(g.tag)}</h2><p>${prose(tagDescription(g.tag))}</p>${g.ops.map(operationHtml).join('')}`)
    .join('');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<section id="${anchor('schema', name)}"><h3>${escapeHtml(name)}</h3>${schemaBlock(schema)}</section>`)
    .join('');

  const title = `${doc.info.title} ${doc.info.version}`;
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${DOCS_CSS}</style></head><body>` +
    `<h1>${escapeHtml(title)}</h1><p>${prose(doc.info.description)}</p>` +
    `<p>OpenAPI ${escapeHtml(doc.openapi)} document: <a href="openapi.json">openapi.json</a></p>` +
    `<nav><h2>Operations</h2><ul>${toc}</ul><p><a href="#schemas">Schemas</a></p></nav>` +
    sections +
    `<h2 id="schemas">Schemas</h2>${schemas}</body></html>`;
  return { html, css: DOCS_CSS };
}
