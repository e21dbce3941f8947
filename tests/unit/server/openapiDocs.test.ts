import express from 'express';
import { z } from 'zod';
import { escapeHtml, jsonHtml, renderDocsPage, type OpenApiDoc } from '../../../server/http/docsPage';
import { createApiRegistry, generateOpenApi } from '../../../server/http/openapi';
import { addRoute, expressPath } from '../../../server/http/route';

describe('addRoute', () => {
  it('turns OpenAPI path parameters into express ones', () => {
    expect(expressPath('/api/definitions/{key}/versions/{version}/xml')).toBe('/api/definitions/:key/versions/:version/xml');
    expect(expressPath('/api/health')).toBe('/api/health');
  });

  it('registers the operation with the schemas it validates with', () => {
    // given
    const registry = createApiRegistry();
    const Params = z.object({ id: z.string().regex(/^\d+$/) });
    // when
    addRoute(express.Router(), registry, {
      method: 'get',
      path: '/api/things/{id}',
      operationId: 'getInstance',
      summary: 'A thing',
      tags: ['things'],
      params: Params,
      responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.object({ id: z.string() }).meta({ id: 'Thing' }) } } } },
    }, () => undefined);
    const doc = generateOpenApi(registry);
    // then
    const op = doc.paths?.['/api/things/{id}']?.get;
    expect(op).toMatchObject({ operationId: 'getInstance', parameters: [{ name: 'id', in: 'path', required: true, schema: { pattern: '^\\d+$' } }] });
    expect(op?.responses?.['200']?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Thing' });
  });
});

describe('the docs page', () => {
  const doc: OpenApiDoc = {
    openapi: '3.1.0',
    info: { title: 'Test <API>', version: '1', description: 'Use `curl`' },
    tags: [{ name: 'things' }],
    paths: {
      '/api/things/{id}': {
        get: {
          operationId: 'getThing',
          summary: 'Read <b>one</b>',
          tags: ['things'],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
        },
      },
      '/api/untagged': { post: { summary: 'No tag', responses: { '204': { description: 'done' } } } },
    },
    components: { schemas: { Thing: { type: 'object', description: '<script>alert(1)</script>' } } },
  };

  it('lists every operation with a link to its section', () => {
    // when
    const { html } = renderDocsPage(doc);
    // then
    expect(html).toContain('<a href="#op-getThing">');
    expect(html).toContain('<section class="operation" id="op-getThing">');
    expect(html).toContain('GET</span> <code>/api/things/{id}</code>');
    expect(html).toContain('POST</span> <code>/api/untagged</code>');
    expect(html).toContain('<td><code>id</code></td><td>path</td><td>yes</td>');
  });

  it('links schema references to the schema section', () => {
    // when
    const { html } = renderDocsPage(doc);
    // then
    expect(html).toContain('<a href="#schema-Thing">&#34;#/components/schemas/Thing&#34;</a>');
    expect(html).toContain('<section id="schema-Thing">');
  });

  it('escapes everything that comes from the document', () => {
    // when
    const { html } = renderDocsPage(doc);
    // then
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>one</b>');
    expect(html).toContain('Test &#60;API&#62;');
    expect(html).toContain('Use <code>curl</code>');
    expect(escapeHtml(`"'&<>`)).toBe('&#34;&#39;&#38;&#60;&#62;');
  });

  it('renders JSON readably', () => {
    expect(jsonHtml({ a: [1, 'x'], b: {} })).toBe('{\n  &#34;a&#34;: [\n    1,\n    &#34;x&#34;\n  ],\n  &#34;b&#34;: {}\n}');
  });

  it('puts the stylesheet it declares into the page, so its hash can be allowed', () => {
    // when
    const { html, css } = renderDocsPage(doc);
    // then
    expect(html).toContain(`<style>${css}</style>`);
  });
});
