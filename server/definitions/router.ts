/** HTTP routes of /api/definitions: deploy BPMN documents, list keys and versions, fetch XML and models. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { Router, type RequestHandler } from 'express';
import type { ProcessModel } from '../../processes/model/types';
import { currentUser } from '../auth/context';
import { Conflict, Invalid, UnsupportedMediaType } from '../domain/errors';
import { ProposalView, type FourEyes } from './fourEyes';
import { addRoute } from '../http/route';
import { badRequestResponse, errorResponse, validationErrorResponse } from '../http/responses';
import type { DefinitionVersionRecord } from './model';
import type { VersionMeta } from './repository';
import {
  DefinitionPage,
  DeployMultiResponse,
  DeployQuery,
  DeploySingleResponse,
  InvalidBpmnBody,
  KeyParams,
  PageQuery,
  VersionDetail,
  VersionList,
  VersionParams,
  XML_CONTENT_TYPES,
  type DeployResponse,
  type VersionSummary,
} from './schemas';
import type { DeployOutcome, DefinitionsService } from './service';
import { parseDeployMultipart } from './multipart';

export interface DefinitionsRouterOptions {
  service: DefinitionsService;
  registry: OpenAPIRegistry;
  /** BPMN_MAX_BYTES: the body limit of POST /api/definitions. */
  maxBytes: number;
  /** Four-eyes publishing of shipped and live processes (fourEyes.ts); without it every deployment is direct. */
  fourEyes?: FourEyes;
}

const TAGS = ['definitions'];

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const MULTIPART = 'multipart/form-data';

/** 415 for anything but XML or multipart, 400 for no body at all; runs before the body is read. */
export const requireXml: RequestHandler = (req, _res, next) => {
  const type = mediaType(req.headers['content-type']);
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? '0') > 0;
  if (type === '' && !hasBody) throw new Invalid('empty_body', 'The body must be a BPMN XML document');
  if (!(XML_CONTENT_TYPES as readonly string[]).includes(type) && type !== MULTIPART) {
    throw new UnsupportedMediaType('unsupported_media_type', `Content-Type must be ${XML_CONTENT_TYPES.join(' or ')} (or ${MULTIPART} with .form files), not '${type || 'none'}'`);
  }
  next();
};

const toSummary = (v: VersionMeta): VersionSummary => ({
  key: v.key,
  version: v.version,
  hash: v.hash,
  xmlHash: v.xmlHash,
  name: v.name,
  deployedAt: v.deployedAt.toISOString(),
  ...(v.resourceName ? { resourceName: v.resourceName } : {}),
});

/** One process: its version at the top level; several: `{ definitions: [...] }`. */
export function deployResponse(outcome: DeployOutcome): DeployResponse {
  const { deployed, warnings } = outcome;
  const items = deployed.map(({ record, created }) => ({
    key: record.key,
    version: record.version,
    hash: record.hash,
    name: record.name,
    deployedAt: record.deployedAt.toISOString(),
    created,
  }));
  const [only] = items;
  const forms = outcome.forms?.map(({ record, created }) => ({ formId: record.formId, version: record.version, created }));
  const decisions = outcome.decisions?.map(({ record, created }) => ({ decisionId: record.decisionId, version: record.version, decisionRequirementsId: record.decisionRequirementsId, created }));
  const extra = { ...(forms ? { forms } : {}), ...(decisions ? { decisions } : {}) };
  return items.length === 1 && only ? { ...only, warnings, ...extra } : { definitions: items, warnings, ...extra };
}

const versionPath = (r: Pick<DefinitionVersionRecord, 'key' | 'version'>) =>
  `/api/definitions/${encodeURIComponent(r.key)}/versions/${r.version}`;

export function definitionsRouter({ service, registry, maxBytes, fourEyes }: DefinitionsRouterOptions): Router {
  const router = Router();
  const notFound = errorResponse('No definition with this key, or no such version (`definition_not_found`)');

  addRoute(
    router,
    registry,
    {
      method: 'post',
      path: '/api/definitions',
      operationId: 'deployDefinition',
      summary: 'Deploy a BPMN document',
      description:
        'Compiles the document and stores one new version per executable process. A process whose latest version ' +
        'already has the same bytes or the same executable model (e.g. only the diagram layout changed) is not ' +
        'stored again: its latest version comes back with `created: false`. A document with one process answers ' +
        'with that version at the top level; a document with several answers `{ definitions: [...] }`. ' +
        'A new version of a shipped process, or of one with running instances, is not deployed but proposed (202): ' +
        'another designer or admin approves it (POST /api/definition-proposals/{id}/approve).',
      tags: TAGS,
      query: DeployQuery,
      rawBody: {
        required: true,
        description: `The BPMN 2.0 XML document (at most ${maxBytes} bytes)`,
        content: {
          ...Object.fromEntries(XML_CONTENT_TYPES.map((t) => [t, { schema: { type: 'string', format: 'xml' } }])),
          // One .bpmn file with the .form files of its linked forms (zeebe:formDefinition formId) and the .dmn files of its decisions (zeebe:calledDecision), as Camunda deploys them.
          [MULTIPART]: { schema: { type: 'object', properties: { resources: { type: 'array', items: { type: 'string', format: 'binary' } } } } },
        },
      },
      responses: {
        200: {
          description: 'Nothing new: the latest version of every process already had this content',
          content: { 'application/json': { schema: DeploySingleResponse.or(DeployMultiResponse) } },
        },
        201: {
          description: 'At least one new version was stored (Location names it when there is one process)',
          content: { 'application/json': { schema: DeploySingleResponse.or(DeployMultiResponse) } },
        },
        202: { description: 'It replaces a shipped or live process: proposed, waiting for a second publisher', content: { 'application/json': { schema: ProposalView } } },
        400: badRequestResponse('The body is empty (`empty_body`), or `resourceName` is invalid (`invalid_request`)'),
        413: errorResponse(`The document is larger than ${maxBytes} bytes (\`payload_too_large\`)`),
        415: errorResponse('Content-Type is not application/xml or text/xml (`unsupported_media_type`)'),
        422: { description: 'The document is not deployable; every problem names its element', content: { 'application/json': { schema: InvalidBpmnBody } } },
        503: errorResponse('Too many concurrent deployments of the same key (`deployment_contention`); retry'),
      },
      before: [requireXml, express.raw({ type: () => true, limit: maxBytes })],
    },
    async ({ query }, req, res) => {
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new Invalid('empty_body', 'The body must be a BPMN XML document');
      // A multipart deployment (a diagram with its linked forms) is reviewed on its diagram.
      const files = mediaType(req.headers['content-type']) === MULTIPART ? await parseDeployMultipart(req.headers, body) : null;
      const bpmn = files ? files.bpmn.bytes : body;
      const resourceName = query.resourceName ?? files?.bpmn.resourceName;
      const needed = fourEyes ? await fourEyes.reviewNeeded(bpmn) : [];
      if (fourEyes && needed.length > 0) {
        if (files && (files.forms.length > 0 || files.decisions.length > 0)) {
          throw new Conflict('four_eyes_with_forms', `Replacing ${needed.map((n) => `'${n.key}'`).join(', ')} needs a second person's approval, and a proposal carries the diagram only: deploy its forms and decisions with a diagram that needs no review first (or alone: POST /api/decisions), or link forms already deployed`);
        }
        const proposal = await fourEyes.propose(bpmn, resourceName, needed, currentUser(req).id);
        res.status(202).location(`/api/definition-proposals/${proposal.id}`).json(proposal);
        return;
      }
      const outcome = await service.deploy({ bytes: bpmn, ...(resourceName ? { resourceName } : {}), ...(files ? { forms: files.forms, decisions: files.decisions } : {}) });
      const created = outcome.deployed.some((d) => d.created);
      const [only] = outcome.deployed;
      if (created && outcome.deployed.length === 1 && only) res.location(versionPath(only.record));
      res.status(created ? 201 : 200).json(deployResponse(outcome));
    },
  );

  addRoute(
    router,
    registry,
    {
      method: 'get',
      path: '/api/definitions',
      operationId: 'listDefinitions',
      summary: 'List definitions with their latest version',
      description: 'One item per key, in key order.',
      tags: TAGS,
      query: PageQuery,
      responses: {
        200: { description: 'A page of keys', content: { 'application/json': { schema: DefinitionPage } } },
        400: validationErrorResponse,
      },
    },
    async ({ query }, _req, res) => {
      const { items, total } = await service.list(query.page, query.pageSize);
      const page: DefinitionPage = {
        items: items.map((v) => ({ key: v.key, name: v.name, latestVersion: v.version, deployedAt: v.deployedAt.toISOString() })),
        page: query.page,
        pageSize: query.pageSize,
        total,
      };
      res.json(page);
    },
  );

  addRoute(
    router,
    registry,
    {
      method: 'get',
      path: '/api/definitions/{key}/versions',
      operationId: 'listDefinitionVersions',
      summary: 'List every version of a definition, newest first',
      tags: TAGS,
      params: KeyParams,
      responses: {
        200: { description: 'The versions', content: { 'application/json': { schema: VersionList } } },
        400: validationErrorResponse,
        404: notFound,
      },
    },
    async ({ params }, _req, res) => {
      const versions = await service.versions(params.key);
      const list: VersionList = { key: params.key, versions: versions.map(toSummary) };
      res.json(list);
    },
  );

  addRoute(
    router,
    registry,
    {
      method: 'get',
      path: '/api/definitions/{key}/versions/{version}',
      operationId: 'getDefinitionVersion',
      summary: 'Get one version with its executable model',
      tags: TAGS,
      params: VersionParams,
      responses: {
        200: { description: 'The version', content: { 'application/json': { schema: VersionDetail } } },
        400: validationErrorResponse,
        404: notFound,
      },
    },
    async ({ params }, _req, res) => {
      const record = await service.resolveDefinition(params.key, params.version);
      // ProcessModel is the precise type of what VersionDetail documents loosely as `model`.
      const detail: Omit<VersionDetail, 'model'> & { model: ProcessModel } = { ...toSummary(record), model: record.model };
      res.json(detail);
    },
  );

  addRoute(
    router,
    registry,
    {
      method: 'get',
      path: '/api/definitions/{key}/versions/{version}/xml',
      operationId: 'getDefinitionXml',
      summary: 'Download the BPMN document of one version',
      description: 'The whole deployed document (with every process and the diagram layout), as UTF-8 text.',
      tags: TAGS,
      params: VersionParams,
      responses: {
        200: { description: 'The BPMN XML', content: { 'application/xml': { schema: { type: 'string', format: 'xml' } } } },
        400: validationErrorResponse,
        404: notFound,
      },
    },
    async ({ params }, _req, res) => {
      const record = await service.resolveDefinition(params.key, params.version);
      // Uploaded content: never let a browser run it in our origin.
      res.set('Content-Security-Policy', "default-src 'none'; sandbox");
      res.attachment(record.resourceName ?? `${record.key}-v${record.version}.bpmn`);
      res.type('application/xml').send(record.xml);
    },
  );

  return router;
}
