/** The decisions API as zod schemas (validation and the OpenAPI document). */
import { z } from 'zod';
import { Problem } from '../../definitions/schemas';

export const DecisionIdParams = z.object({
  decisionId: z.string().min(1).max(255).meta({ description: 'The DMN decision id', example: 'route-complaint' }),
});

export const DecisionVersionParams = DecisionIdParams.extend({
  version: z.string().regex(/^[1-9][0-9]{0,8}$/, 'must be a positive integer').transform(Number)
    .meta({ description: 'Version number, 1 for the first deployment of a decision id', example: '1' }),
});

export const DeployDecisionQuery = z.object({
  resourceName: z.string().min(1).max(255).regex(/^[^/\\]+$/, 'a file name without path separators').optional()
    .meta({ description: 'The file name to record, e.g. `routing.dmn`' }),
});

const deployedAt = z.string().meta({ description: 'ISO 8601 time of the deployment' });

export const DecisionVersionSummary = z.object({
  decisionId: z.string(),
  version: z.number().int(),
  name: z.string(),
  versionTag: z.string().nullable().meta({ description: 'The zeebe:versionTag of the decision, for bindingType="versionTag"' }),
  decisionRequirementsId: z.string().meta({ description: 'The id of the DMN <definitions> the decision came from' }),
  resourceName: z.string().nullable(),
  deployedAt,
}).meta({ id: 'DecisionVersion' });

export const DeployedDecision = DecisionVersionSummary.extend({
  created: z.boolean().meta({ description: 'false when the latest version already had this file content' }),
}).meta({ id: 'DeployedDecision' });

export const DeployDecisionsResponse = z.object({ decisions: z.array(DeployedDecision) }).meta({ id: 'DeployDecisionsResult' });

export const DecisionList = z.object({ items: z.array(DecisionVersionSummary).meta({ description: 'The latest version of every decision id, in id order' }) })
  .meta({ id: 'DecisionList' });

export const DecisionDetail = z.object({
  decisionId: z.string(),
  latest: DecisionVersionSummary,
  versions: z.array(DecisionVersionSummary).meta({ description: 'Every version, newest first' }),
}).meta({ id: 'DecisionDetail' });

export const DecisionVersionDetail = DecisionVersionSummary.extend({
  decision: z.record(z.string(), z.unknown()).meta({ description: 'The parsed decision (table or literal expression)' }),
  xml: z.string().meta({ description: 'The DMN document as deployed' }),
}).meta({ id: 'DecisionVersionDetail' });

export const InvalidDmnBody = z.object({
  error: z.literal('invalid_dmn'),
  message: z.string(),
  errors: z.array(Problem).meta({ description: 'Each problem names the decision, input, output or rule at fault (elementId)' }),
}).meta({ id: 'InvalidDmn', description: 'The document is not a deployable DMN file (400)' });

export const EvaluateDecisionBody = z.object({
  variables: z.record(z.string(), z.unknown()).default({}).meta({ description: 'The variables the decision reads' }),
  version: z.number().int().positive().optional().meta({ description: 'A stored version; default the latest' }),
}).strict().meta({ id: 'EvaluateDecisionRequest' });

export const EvaluatedDecision = z.object({
  decisionId: z.string(),
  decisionName: z.string(),
  matchedRules: z.array(z.string()),
  value: z.unknown(),
});

export const EvaluateDecisionResponse = z.object({
  decisionId: z.string(),
  version: z.number().int(),
  result: z.unknown().meta({ description: 'As a business rule task stores it: one output a value, several a context, multi-hit policies a list' }),
  evaluatedDecisions: z.array(EvaluatedDecision).meta({ description: 'The required decisions first, then this one' }),
}).meta({ id: 'EvaluateDecisionResult' });
