/**
 * The remote codec of Temporal's Web UI and CLI (decision 0023): `POST /api/codec/decode` and
 * `/encode` take and answer `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }` (the
 * codec server protocol, proto3 JSON) and run them through the service's payload codec. Only
 * admins and operators may call them; every decode is logged with who and how many payloads
 * (never what).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { addRoute } from '../../http/route';
import { currentUser } from '../../auth/context';
import { NotFound, Unprocessable } from '../../domain/errors';
import type { Logger } from '../../log';
import { errorResponse, validationErrorResponse } from '../../http/responses';

const base64 = z.string().max(8 * 1024 * 1024).regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
const JsonPayload = z.object({
  metadata: z.record(z.string().max(256), base64).optional(),
  data: base64.optional(),
}).meta({ id: 'CodecPayload', description: 'A Temporal payload in proto3 JSON: every byte field base64' });
export const CodecBody = z.object({ payloads: z.array(JsonPayload).max(1000) }).meta({ id: 'CodecPayloads' });

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['operations'];
/** A codec request carries at most a page of history payloads. */
const BODY_LIMIT = '16mb';

const toPayload = (p: z.output<typeof JsonPayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export function codecRouter(deps: { codec: PayloadCodec | undefined; log: Logger; registry: OpenAPIRegistry }): Router {
  const router = Router();
  const { codec, log, registry } = deps;
  for (const direction of ['decode', 'encode'] as const) {
    addRoute(router, registry, {
      method: 'post', path: `/api/codec/${direction}`, operationId: direction === 'decode' ? 'codecDecode' : 'codecEncode', tags: TAGS,
      summary: direction === 'decode'
        ? 'Temporal remote codec: decrypts payloads of the service\'s histories (Temporal Web UI, `temporal … --codec-endpoint`)'
        : 'Temporal remote codec: encrypts payloads with the current key (input typed into Temporal Web UI or CLI)',
      body: { schema: CodecBody },
      responses: {
        200: { description: direction === 'decode' ? 'The payloads decrypted (payloads the service did not encrypt come back unchanged)' : 'The payloads encrypted', ...json(CodecBody) },
        400: validationErrorResponse,
        404: errorResponse('This process has no payload codec (`codec_not_configured`)'),
        422: errorResponse('A payload cannot be decrypted: altered, or encrypted with a key not among PAYLOAD_KEYS (`payload_undecodable`)'),
      },
      before: [express.json({ limit: BODY_LIMIT })],
    }, async ({ body }, req, res) => {
      if (!codec) throw new NotFound('codec_not_configured', 'This process has no payload codec');
      const payloads = body.payloads.map(toPayload);
      let out: Payload[];
      try {
        out = direction === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
      } catch (err) {
        throw new Unprocessable('payload_undecodable', err instanceof Error ? err.message : 'cannot decode');
      }
      if (direction === 'decode') log.info({ user: currentUser(req).id, payloads: payloads.length, namespace: req.get('x-namespace') ?? null }, 'codec: payloads decrypted for a user');
      res.json({ payloads: out.map(toJson) });
    });
  }
  return router;
}
