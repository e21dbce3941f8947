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
  variableInstructions: z.array(z.object({
    variables: Variables,
    scopeId: elementId.optional().meta({ description: 'The element whose scope gets the variables: the activated element itself (local variables of its new instance) or a subprocess enclosing it; absent or the process id: the process (global) scope' }),
  }).strict()).max(20).optional().meta({ description: 'As Camunda 8: variables created in the scope of an element before the element is activated, in order, after `variables`' }),
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

const ReplayDivergence = z.object({
  stimulusIndex: z.number().int().meta({ description: 'Position of the stimulus in the recorded history (0: the start)' }),
  stimulus: z.string().meta({ description: "Its type and element, e.g. `userTaskCompleted at 'triage'`" }),
  elementId: z.string(),
  message: z.string(),
});

const ReplayReport = z.object({
  stimuli: z.number().int().meta({ description: 'Stimuli read from the engine history (start, task completions, messages, signals, timers, job and child results, operator changes)' }),
  applied: z.number().int().meta({ description: 'Stimuli the target version received' }),
  complete: z.boolean().meta({ description: 'The history reaches back to the instance\'s start' }),
  reproduced: z.boolean().meta({ description: 'Replayed on the versions the instance ran, the stimuli give its current state (the replay is faithful)' }),
  reproductionProblem: z.string().nullable(),
  reachable: z.boolean().meta({ description: 'Every stimulus carried over to the target, and its tokens end where the migration puts them' }),
  consistent: z.boolean().meta({ description: 'Open tasks, timers (due times), subscriptions, jobs, SLA clocks and variables of the replay and of the migrated state correspond one to one' }),
  firstDivergence: ReplayDivergence.nullable(),
  divergences: z.array(ReplayDivergence),
  replayedTokens: z.array(z.string()),
  migratedTokens: z.array(z.string()),
  mismatches: z.array(z.object({ kind: z.enum(['task', 'timer', 'subscription', 'job', 'slaClock', 'variable']), elementId: z.string(), replayed: z.string(), migrated: z.string() })),
}).meta({ id: 'MigrationReplayReport' });

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
    replay: z.union([ReplayReport, z.object({ error: z.string() })]).nullable()
      .meta({ description: 'The recorded stimuli replayed on the target version from its start (decision 0053); null when the instance did not answer' }),
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
