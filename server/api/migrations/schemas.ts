/** Zod schemas of token modification and instance migration (validation and OpenAPI). */
import { z } from 'zod';
import { InstanceId, Variables } from '../../instances/schemas';

const elementId = z.string().min(1).max(255);
const key = z.string().regex(/^[0-9]{1,15}$/, 'an element instance key (digits)');
const reason = z.string().trim().min(1).max(500).meta({ description: 'Why: recorded in the instance history with who did it' });

const Activate = z.object({
  type: z.literal('activate'),
  elementId: elementId.meta({ description: 'The element to start a token before (its input mappings run)' }),
  ancestorElementInstanceKey: key.optional().meta({ description: 'The flow scope instance, when the element\'s subprocess has several live instances' }),
  variables: Variables.optional().meta({ description: 'Set in the process (global) scope before the element is activated' }),
}).strict();
const TerminateInstance = z.object({ type: z.literal('terminate'), elementInstanceKey: key }).strict();
const TerminateElement = z.object({ type: z.literal('terminate'), elementId: elementId.meta({ description: 'Every live instance of this element' }) }).strict();

export const ModificationBody = z.object({
  instructions: z.array(z.union([Activate, TerminateInstance, TerminateElement])).min(1).max(50)
    .meta({ description: 'Applied together: activations first, then terminations (a move is a terminate plus an activate)' }),
  reason,
}).strict().meta({ id: 'InstanceModification' });

export const ModificationResult = z.object({
  instanceId: InstanceId,
  status: z.string(),
  activeElements: z.array(z.string()),
  tasks: z.array(z.object({ key: z.string(), elementId: z.string() })),
}).meta({ id: 'InstanceModified' });

export const MappingInstruction = z.object({ sourceElementId: elementId, targetElementId: elementId }).strict().meta({ id: 'MappingInstruction' });

const Selection = {
  processKey: z.string().min(1).max(255).meta({ description: 'The BPMN process id' }),
  sourceVersion: z.number().int().min(1).meta({ description: 'The version the instances run now' }),
  targetVersion: z.number().int().min(1),
  instanceIds: z.array(InstanceId).min(1).max(1000).optional().meta({ description: 'The instances; without it every active instance of the source version (up to 1000), narrowed by `filter`' }),
  filter: z.object({
    businessKey: z.string().min(1).max(200).optional(),
    activeElementId: elementId.optional().meta({ description: 'Only instances with a token at this element' }),
    hasIncidents: z.boolean().optional(),
  }).strict().optional(),
  mapping: z.array(MappingInstruction).max(500).default([]).meta({ description: 'Elements whose id changed; an element whose id exists in the target maps to itself' }),
};

export const DryRunBody = z.object(Selection).strict().meta({ id: 'MigrationDryRun' });
export const StartMigrationBody = z.object({
  ...Selection,
  reason,
  batchSize: z.number().int().min(1).max(100).default(20),
  pauseMs: z.number().int().min(0).max(600_000).default(0).meta({ description: 'A pause between batches (durable)' }),
}).strict().meta({ id: 'StartMigration' });

export const MigrationParams = z.object({ id: z.string().regex(/^mig-[0-9a-f-]{36}$/, 'a migration id like mig-<uuid>') });

const Refusal = z.object({ elementId: z.string(), elementInstanceKey: z.string().optional(), reason: z.string() }).meta({ id: 'MigrationRefusal' });
const Correspondence = z.object({ key: z.string(), from: z.string(), to: z.string().nullable() });

export const DryRunReport = z.object({
  source: z.object({ key: z.string(), version: z.number().int() }),
  target: z.object({ key: z.string(), version: z.number().int() }),
  total: z.number().int(),
  migratable: z.number().int(),
  instances: z.array(z.object({
    instanceId: z.string(),
    migratable: z.boolean(),
    consistent: z.boolean(),
    reachable: z.boolean(),
    refusals: z.array(Refusal),
    tasks: z.array(Correspondence),
    timers: z.array(Correspondence),
    subscriptions: z.array(Correspondence),
    jobs: z.array(Correspondence),
    slaClocks: z.array(Correspondence),
    divergences: z.array(z.object({ elementId: z.string(), message: z.string() })),
  })),
}).meta({ id: 'MigrationDryRunReport' });

export const MigrationStarted = z.object({ migrationId: z.string(), total: z.number().int() }).meta({ id: 'MigrationStarted' });

export const MigrationProgress = z.object({
  migrationId: z.string(),
  status: z.enum(['running', 'completed']),
  source: z.object({ key: z.string(), version: z.number().int() }),
  target: z.object({ key: z.string(), version: z.number().int() }),
  actor: z.string(),
  reason: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  migrated: z.number().int(),
  refused: z.number().int(),
  results: z.array(z.object({
    instanceId: z.string(),
    status: z.enum(['migrated', 'refused']),
    alreadyMigrated: z.boolean().optional(),
    reason: z.string().optional(),
    refusals: z.array(Refusal).optional(),
  })),
}).meta({ id: 'MigrationProgress' });
