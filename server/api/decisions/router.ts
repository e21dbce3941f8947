/** HTTP routes of /api/decisions: deploy .dmn files alone, list decisions and versions, evaluate one for testing (decision 0036). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { Router } from 'express';
import type { z } from 'zod';
import { Invalid, Unprocessable, UnsupportedMediaType } from '../../domain/errors';
import { requireXml } from '../../definitions/router';
import { XML_CONTENT_TYPES } from '../../definitions/schemas';
import { addRoute } from '../../http/route';
import { badRequestResponse, errorResponse, validationErrorResponse } from '../../http/responses';
import {
  DecisionDetail, DecisionIdParams, DecisionList, DecisionVersionDetail, DecisionVersionParams, DeployDecisionQuery, type DecisionVersionSummary,
  DeployDecisionsResponse, EvaluateDecisionBody, EvaluateDecisionResponse, InvalidDmnBody,
} from './schemas';
import type { DecisionsService } from './service';
import type { DecisionVersionMeta } from './store';

const TAGS = ['decisions'];
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const summary = (v: DecisionVersionMeta): z.output<typeof DecisionVersionSummary> => ({
  decisionId: v.decisionId, version: v.version, name: v.name, versionTag: v.versionTag ?? null,
  decisionRequirementsId: v.decisionRequirementsId, resourceName: v.resourceName ?? null, deployedAt: v.deployedAt.toISOString(),
});

export function decisionsRouter({ service, registry, maxBytes }: { service: DecisionsService; registry: OpenAPIRegistry; maxBytes: number }): Router {
  const router = Router();
  const notFound = errorResponse('No decision with this id, or no such version (`decision_not_found`)');

  addRoute(router, registry, {
    method: 'post', path: '/api/decisions', operationId: 'deployDecisions', tags: TAGS,
    summary: 'Deploy a DMN document',
    description: 'Parses the DMN file (DMN 1.1 to 1.5 namespaces; decision tables and literal expressions) and stores one new version ' +
      'of each of its decisions, versioned by decision id. A file whose decisions already have this content as their latest version ' +
      'stores nothing (`created: false`). Business rule tasks (`zeebe:calledDecision`) evaluate the latest version when they run. ' +
      'To deploy decisions with a diagram, send both as multipart/form-data to POST /api/definitions.',
    query: DeployDecisionQuery,
    rawBody: { required: true, description: `The DMN XML document (at most ${maxBytes} bytes)`, content: Object.fromEntries(XML_CONTENT_TYPES.map((t) => [t, { schema: { type: 'string', format: 'xml' } }])) },
    responses: {
      200: { description: 'Nothing new: every decision already had this content', ...json(DeployDecisionsResponse) },
      201: { description: 'At least one new decision version was stored', ...json(DeployDecisionsResponse) },
      400: { description: 'The document is not a deployable DMN file (`invalid_dmn`, every problem names its element), or the body is empty (`empty_body`)', ...json(InvalidDmnBody) },
      413: errorResponse(`The document is larger than ${maxBytes} bytes (\`payload_too_large\`)`),
      415: errorResponse('Content-Type is not application/xml or text/xml (`unsupported_media_type`)'),
      503: errorResponse('Too many concurrent deployments of the same decision (`deployment_contention`); retry'),
    },
    before: [requireXml, express.raw({ type: () => true, limit: maxBytes })],
  }, async ({ query }, req, res) => {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new Invalid('empty_body', 'The body must be a DMN XML document');
    if ((req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) throw new UnsupportedMediaType('unsupported_media_type', 'POST /api/decisions takes one DMN document as application/xml; multipart deployments go to POST /api/definitions');
    const deployed = await service.deploy(body, query.resourceName);
    const created = deployed.some((d) => d.created);
    res.status(created ? 201 : 200).json({ decisions: deployed.map((d) => ({ ...summary(d.record), created: d.created })) });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/decisions', operationId: 'listDecisions', tags: TAGS,
    summary: 'List decisions with their latest version',
    responses: { 200: { description: 'Every decision id', ...json(DecisionList) } },
  }, async (_input, _req, res) => {
    res.json({ items: (await service.list()).map(summary) });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/decisions/{decisionId}', operationId: 'getDecision', tags: TAGS,
    summary: 'Get a decision with all its versions',
    params: DecisionIdParams,
    responses: { 200: { description: 'The decision', ...json(DecisionDetail) }, 400: validationErrorResponse, 404: notFound },
  }, async ({ params }, _req, res) => {
    const versions = await service.versions(params.decisionId);
    res.json({ decisionId: params.decisionId, latest: summary(versions[0]!), versions: versions.map(summary) });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/decisions/{decisionId}/versions/{version}', operationId: 'getDecisionVersion', tags: TAGS,
    summary: 'Get one version of a decision with its parsed logic and DMN XML',
    params: DecisionVersionParams,
    responses: { 200: { description: 'The version', ...json(DecisionVersionDetail) }, 400: validationErrorResponse, 404: notFound },
  }, async ({ params }, _req, res) => {
    const record = await service.version(params.decisionId, params.version);
    const decision = record.graph.decisions.find((d) => d.id === record.decisionId);
    res.json({ ...summary(record), decision, xml: record.xml });
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/decisions/{decisionId}/evaluate', operationId: 'evaluateDecision', tags: TAGS,
    summary: 'Evaluate a decision with variables (for testing)',
    description: 'Evaluates the latest version (or `version`) as a business rule task would, without a process. Nothing is stored.',
    params: DecisionIdParams,
    body: { schema: EvaluateDecisionBody, required: false },
    responses: {
      200: { description: 'The result', ...json(EvaluateDecisionResponse) },
      400: badRequestResponse('The body is not `{ variables, version? }`'),
      404: notFound,
      422: errorResponse('The evaluation failed (`decision_evaluation_failed`): the message names the decision and rule; `failedDecisionId` the decision'),
    },
  }, async ({ params, body }, req, res) => {
    const { record, outcome } = await service.evaluate(params.decisionId, body.variables, body.version);
    if (!outcome.ok) {
      throw new Unprocessable('decision_evaluation_failed', outcome.message, { decisionId: record.decisionId, version: record.version, failedDecisionId: outcome.decisionId });
    }
    res.json({ decisionId: record.decisionId, version: record.version, result: outcome.value, evaluatedDecisions: outcome.evaluated });
  });

  return router;
}
