/**
 * What POST /api/definitions refuses, storing nothing: 422 naming the elements at fault or the
 * document, 413 over the size limit (by Content-Length, streamed, or by the compiler), 415
 * without a Content-Type, 400 for an empty body or a resourceName that is a path.
 */
import type { Connection } from 'mongoose';
import { createDefinitionRepository } from '../../server/definitions/repository';
import { createDefinitionsService } from '../../server/definitions/service';
import { DomainError } from '../../server/domain/errors';
import { uniqueName } from '../support/servers';
import { MAX_BYTES, startDefinitionsServer, type DefinitionsServer } from '../support/definitionsServer';
import type { AdminServer } from '../support/auth';
import { bpmn, deploy } from './definitionsFixtures';

describe('/api/definitions', () => {
  let server: DefinitionsServer;
  let mongo: Connection;
  let api: AdminServer;
  let stored: DefinitionsServer['stored'];

  beforeAll(async () => {
    server = await startDefinitionsServer('definitions');
    ({ mongo, api, stored } = server);
  });

  afterAll(async () => {
    await server?.stop();
  });

  describe('POST', () => {
    it('answers 422 naming the elements at fault, and stores nothing', async () => {
      // given a service task whose type expression is not FEEL
      const key = uniqueName('complaint');
      const before = await stored();
      // when
      const res = await deploy(api, bpmn({ id: key, serviceTaskType: '=no.such.type(' }));
      // then
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body).toMatchObject({ error: 'invalid_bpmn', message: expect.any(String), warnings: expect.any(Array) });
      expect(body.errors).toContainEqual(
        expect.objectContaining({ elementId: `${key}_service`, elementType: 'bpmn:ServiceTask', severity: 'error', message: expect.stringContaining('no.such.type') }),
      );
      expect(await stored()).toBe(before);
    });

    it('answers 422 with a document-level problem for XML that is not BPMN', async () => {
      // when
      const res = await deploy(api, '<?xml version="1.0"?><complaint>angry</complaint>');
      // then
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error).toBe('invalid_bpmn');
      expect(body.errors[0]).toMatchObject({ elementId: null, severity: 'error' });
    });

    it('answers 413 when Content-Length exceeds the limit, without storing', async () => {
      // given a valid document padded past the limit
      const key = uniqueName('complaint');
      const xml = bpmn({ id: key }).replace('</bpmn:definitions>', `<!-- ${'x'.repeat(MAX_BYTES)} --></bpmn:definitions>`);
      // when
      const res = await deploy(api, xml);
      // then
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
      expect(await stored({ key })).toBe(0);
    });

    it('answers 413 when a streamed body without Content-Length grows past the limit', async () => {
      // given a chunked upload
      const chunk = new TextEncoder().encode('<!-- padding padding padding -->'.repeat(64));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > MAX_BYTES * 2) controller.close();
          else {
            sent += chunk.length;
            controller.enqueue(chunk);
          }
        },
      });
      // when
      const res = await api.fetch(`/api/definitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      // then
      expect(res.status).toBe(413);
    });

    it('refuses with 413 when the compiler refuses the size, without storing', async () => {
      // given a service whose limit is below the document's size
      const key = uniqueName('complaint');
      const small = createDefinitionsService({ repository: createDefinitionRepository(mongo), maxBytes: 1024 });
      const bytes = new TextEncoder().encode(bpmn({ id: key, tasks: ['A', 'B', 'C'] }));
      expect(bytes.length).toBeGreaterThan(1024);
      // when
      const outcome = small.deploy({ bytes });
      // then
      await expect(outcome).rejects.toMatchObject({ kind: 'too_large', code: 'payload_too_large' });
      await expect(outcome).rejects.toBeInstanceOf(DomainError);
      expect(await stored({ key })).toBe(0);
    });

    it.each([
      ['application/json', '{"bpmn": true}'],
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'a=b'],
    ])('answers 415 for Content-Type %s', async (contentType, body) => {
      // when
      const res = await deploy(api, body, contentType);
      // then
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
    });

    it('answers 415 for a body without Content-Type', async () => {
      // when
      const res = await api.fetch(`/api/definitions`, { method: 'POST', body: new Uint8Array([60, 97, 47, 62]) });
      // then
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.status).toBe(415);
    });

    it('answers 400 for an empty body', async () => {
      // when
      const res = await deploy(api, '');
      // then
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'empty_body' });
    });

    it('answers 400 naming resourceName when it is a path', async () => {
      // when
      const res = await deploy(api, bpmn({ id: uniqueName('complaint') }), 'application/xml', '?resourceName=..%2Fetc%2Fpasswd');
      // then
      expect(res.status).toBe(400);
      expect((await res.json()).fields).toEqual([expect.objectContaining({ path: 'resourceName' })]);
    });
  });
});
