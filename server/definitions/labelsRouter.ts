/**
 * GET /api/definitions/{key}/labels: the element names of a process's latest version in other
 * languages (`name:<locale>` extension properties, decision 0050), for the pages every staff
 * member sees (inbox, viewer): they show task names in the reader's language.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { elementLabels, elementNames, type ElementLabels } from '../../processes/compiler/labels';
import { parseBpmn } from '../../processes/compiler/parse';
import { addRoute } from '../http/route';
import { validationErrorResponse } from '../http/responses';
import { KeyParams } from './schemas';
import { DefinitionNotFound, type DefinitionsService } from './service';

const Labels = z.object({
  key: z.string(),
  version: z.number().int().nullable().meta({ description: 'The latest version; null when the process is not deployed (then there are no labels)' }),
  names: z.record(z.string(), z.string()).meta({ description: "Element id → the element's own name (to recognise it in texts that quote it)" }),
  labels: z.record(z.string(), z.record(z.string(), z.string())).meta({ description: 'Element id → locale (e.g. `zh-CN`) → name' }),
}).meta({ id: 'ElementLabels' });

/** Parsed once per deployed version: versions never change. */
const MAX_CACHED = 200;

export function labelsRouter(service: Pick<DefinitionsService, 'resolveDefinition'>, registry: OpenAPIRegistry): Router {
  const cache = new Map<string, { names: Record<string, string>; labels: ElementLabels }>();
  const labelsOf = async (key: string, version: number, xml: string) => {
    const id = `${key}@${version}`;
    const known = cache.get(id);
    if (known) return known;
    const parsed = await parseBpmn(xml);
    const found = parsed.ok ? { names: elementNames(parsed.elementsById), labels: elementLabels(parsed.elementsById) } : { names: {}, labels: {} };
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(id, found);
    return found;
  };

  const router = Router();
  addRoute(router, registry, {
    method: 'get', path: '/api/definitions/{key}/labels', operationId: 'getDefinitionLabels', tags: ['definitions'],
    summary: "Element names of the process's latest version in other languages (extension properties `name:<locale>`)",
    params: KeyParams,
    description: 'A process that is not deployed has none (version null): pages ask for the processes their data names, which may be history of a process no longer or not yet deployed.',
    responses: { 200: { description: 'The labels (empty when the diagram gives none)', content: { 'application/json': { schema: Labels } } }, 400: validationErrorResponse },
  }, async ({ params }, _req, res) => {
    const record = await service.resolveDefinition(params.key, undefined).catch((err: unknown) => {
      if (err instanceof DefinitionNotFound) return null;
      throw err;
    });
    if (!record) {
      res.json({ key: params.key, version: null, names: {}, labels: {} });
      return;
    }
    res.json({ key: record.key, version: record.version, ...(await labelsOf(record.key, record.version, record.xml)) });
  });
  return router;
}
