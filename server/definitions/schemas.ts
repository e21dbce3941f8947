/**
 * The definitions API as zod schemas: request parameters are validated with them and the
 * OpenAPI document is generated from them, so the two cannot drift apart.
 */
import { z } from 'zod';

/** A BPMN process id as it appears in URLs (an XML NCName in practice; kept lenient). */
export const DefinitionKey = z
  .string()
  .min(1)
  .max(255)
  .meta({ description: 'The BPMN process id', example: 'complaint-handling' });

export const KeyParams = z.object({ key: DefinitionKey });

export const VersionParams = z.object({
  key: DefinitionKey,
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'must be a positive integer')
    .transform(Number)
    .meta({ description: 'Version number, 1 for the first deployment of a key', example: '1' }),
});

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1).meta({ description: 'Page number, from 1' }),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Items per page (at most 100)' }),
});
export type PageQuery = z.output<typeof PageQuery>;

export const DeployQuery = z.object({
  resourceName: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\]+$/, 'a file name without path separators')
    .refine((name) => !/\p{Cc}/u.test(name), 'no control characters')
    .optional()
    .meta({ description: 'The file name the diagram came from, stored with each version', example: 'complaint.bpmn' }),
});

export const Problem = z
  .object({
    elementId: z.string().nullable().meta({ description: 'The BPMN element at fault; null for document-level problems' }),
    elementType: z.string().nullable().meta({ example: 'bpmn:ServiceTask' }),
    message: z.string(),
    severity: z.enum(['error', 'warning']),
    rule: z.string().optional().meta({ description: 'The lint rule that reported it, if any' }),
  })
  .meta({ id: 'BpmnProblem', description: 'One finding of the BPMN compiler' });

export const InvalidBpmnBody = z
  .object({
    error: z.literal('invalid_bpmn'),
    message: z.string(),
    errors: z.array(Problem).meta({ description: 'Problems that prevent deployment' }),
    warnings: z.array(Problem).meta({ description: 'Problems that alone would not prevent deployment' }),
  })
  .meta({ id: 'InvalidBpmn', description: 'The document is not a deployable BPMN diagram (422)' });

const deployedAt = z.iso.datetime().meta({ description: 'When this version was deployed (ISO 8601, UTC)' });
const hash = z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'sha256 (hex) of the executable model' });
const xmlHash = z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'sha256 (hex) of the deployed document bytes' });
const version = z.number().int().min(1);
const name = z.string().meta({ description: 'The process name, or its key when the process has none' });

export const DeployedDefinition = z
  .object({
    key: DefinitionKey,
    version,
    hash,
    name,
    deployedAt,
    created: z.boolean().meta({ description: 'false when the latest version of this key already had this content' }),
  })
  .meta({ id: 'DeployedDefinition' });

const warnings = z.array(Problem).meta({ description: 'Warnings of the compiler; they do not prevent deployment' });

const deployedForms = z.array(z.object({ formId: z.string(), version: z.number().int(), created: z.boolean() })).optional()
  .meta({ description: 'The linked forms deployed with the diagram (multipart deployments with .form files)' });

const deployedDecisions = z.array(z.object({ decisionId: z.string(), version: z.number().int(), decisionRequirementsId: z.string(), created: z.boolean() })).optional()
  .meta({ description: 'The DMN decisions deployed with the diagram (multipart deployments with .dmn files)' });

export const DeploySingleResponse = DeployedDefinition.extend({ warnings, forms: deployedForms, decisions: deployedDecisions }).meta({
  id: 'DeployResult',
  description: 'A document with one executable process: that process\'s version',
});

export const DeployMultiResponse = z
  .object({ definitions: z.array(DeployedDefinition).min(2), warnings, forms: deployedForms, decisions: deployedDecisions })
  .meta({ id: 'DeployResultMany', description: 'A document with several executable processes: one version per process' });

export const DeployResponse = z.union([DeploySingleResponse, DeployMultiResponse]);
export type DeployResponse = z.output<typeof DeployResponse>;

export const DefinitionSummary = z
  .object({ key: DefinitionKey, name, latestVersion: version, deployedAt })
  .meta({ id: 'DefinitionSummary', description: 'A key and its latest version' });

export const DefinitionPage = z
  .object({
    items: z.array(DefinitionSummary),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int().meta({ description: 'Number of keys' }),
  })
  .meta({ id: 'DefinitionPage' });
export type DefinitionPage = z.output<typeof DefinitionPage>;

export const VersionSummary = z
  .object({
    key: DefinitionKey,
    version,
    hash,
    xmlHash,
    name,
    deployedAt,
    resourceName: z.string().optional(),
  })
  .meta({ id: 'DefinitionVersionSummary' });
export type VersionSummary = z.output<typeof VersionSummary>;

export const VersionList = z
  .object({ key: DefinitionKey, versions: z.array(VersionSummary).meta({ description: 'Newest first' }) })
  .meta({ id: 'DefinitionVersionList' });
export type VersionList = z.output<typeof VersionList>;

/** Documented loosely: the full type is ProcessModel in processes/model/types.ts. */
export const ProcessModelSchema = z
  .looseObject({
    schemaVersion: z.literal(1),
    id: z.string(),
    name: z.string().optional(),
    hash,
    elements: z.array(z.looseObject({ id: z.string(), kind: z.string(), bpmnType: z.string() })),
    flows: z.array(z.looseObject({ id: z.string(), sourceId: z.string(), targetId: z.string() })),
  })
  .meta({ id: 'ProcessModel', description: 'The executable model the compiler made of this process' });

export const VersionDetail = VersionSummary.extend({ model: ProcessModelSchema }).meta({
  id: 'DefinitionVersion',
  description: 'One deployed version with its executable model (what an instance starts from)',
});
export type VersionDetail = z.output<typeof VersionDetail>;

export const XML_CONTENT_TYPES = ['application/xml', 'text/xml'] as const;
