/**
 * The one workflow type that runs any deployed BPMN model: a thin adapter around the pure
 * evaluator. Everything that happens outside (activity results, timers, messages, agents'
 * updates) becomes a stimulus in an inbox; each stimulus is applied with `step`, and the
 * returned commands are carried out by `Effects`. The evaluator state is plain data, so
 * continue-as-new simply hands it to the next run.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  makeContinueAsNewFunc,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { migrate, pendingTimers, step, type Command, type State, type StepResult } from '../../processes/evaluator';
import { initialState } from '../../processes/evaluator';
import { projection } from '../sinks';
import { Effects, type Deliver } from './effects';
import { buildView, DEFAULT_TASK_PRIORITY, instanceStatus } from './view';
import {
  claimTaskUpdate,
  completeTaskUpdate,
  correlateMessageSignal,
  instanceStateQuery,
  projectionSnapshotQuery,
  resolveIncidentUpdate,
  setVariablesUpdate,
  transferTaskUpdate,
  unclaimTaskUpdate,
  activateJobUpdate,
  completeJobUpdate,
  failJobUpdate,
  throwJobErrorUpdate,
  updateJobUpdate,
  evaluatorStateQuery,
  migrateInstanceUpdate,
  modifyInstanceUpdate,
  type MigrationOutcome,
  type MigrationRequest,
  type UpdateOutcome,
} from './messages';
import { auditEvent, describeModification, remapExternalJobs, REMEMBERED_MIGRATIONS, validateMigrationRequest, validateModificationRequest } from './operations';
import { BPMN_PROCESS_VERSION } from '../searchAttributes';
import { ExternalJobs, hasExternalJobs, isExternal, validateJobUpdate } from './externalJobs';
import { bpmnSignal, SeenSignals } from './signals';
import { validateAdHocResult, validateClaim, validateIncident, validateOpenTask, validateRetries, validateTransfer, validateVariables } from './validators';
import { RejectionType } from './messages';
import { DEFAULT_EXECUTION_LIMITS } from './limits';
import type { ElementEvent, InstanceSnapshot, ProcessInstanceInput, ProcessInstanceResult } from './types';
import type { ProcessModel } from '../../processes/model';
import { workflowNow } from '../clock';

type StimulusBody = Parameters<Deliver>[0];
const SEEN_MESSAGE_IDS = 1000;
/**
 * Once continue-as-new is suggested: hold back new jobs (the next run starts them) and do not
 * wait for timers (the next run re-arms them), so that a loop of jobs or a long timer no
 * longer keeps the run from ever being idle enough to continue as new.
 */
const DEFER_FOR_CONTINUE_AS_NEW = 'defer-jobs-and-rearm-timers-for-continue-as-new';

/**
 * SLA clocks (model.sla, evaluator state.sla) and their escalation commands. Only models with
 * SLA policies ask; a history recorded before this patch never runs clocks.
 */
const SLA_CLOCKS = 'sla-clocks';

/**
 * Execution limits (issue 12): a step budget, fan-out, multi-instance and FEEL bounds in the
 * evaluator, and the call depth here. Histories recorded before run unbounded, as they did.
 */
const BOUNDED_EXECUTION = 'bounded-execution';

/**
 * FEEL as Camunda 8.3+ evaluates it: a suppressed failure (missing variable, ...) gives null
 * and an element warning instead of an incident. A history recorded before this patch keeps
 * the strict rule (evaluator state `feelMode: 'strict'`), carried across continue-as-new.
 */
const FEEL_NULL_FRIENDLY = 'feel-null-friendly';

/**
 * Jobs whose type is not in the activity catalog wait for external workers (the job updates)
 * instead of running as an activity. Only models with such jobs ask; they did not compile
 * before this patch, so no recorded history meets one.
 */
const EXTERNAL_JOBS = 'external-jobs';

/**
 * Operator operations (decisions 0040, 0041): token modification through the inbox, and
 * migration to another version by continue-as-new with the mapped state. Only updates that
 * did not exist before reach them, so no recorded history meets them; the markers show in
 * history where they first applied.
 */
const INSTANCE_MODIFICATION = 'instance-modification';
const INSTANCE_MIGRATION = 'instance-migration';

interface PendingMigration { request: MigrationRequest; outcome: MigrationOutcome | null }

export async function processInstance(input: ProcessInstanceInput): Promise<ProcessInstanceResult> {
  const { carried } = input;
  const model = input.model.sla && !patched(SLA_CLOCKS) ? withoutSla(input.model) : input.model;
  const limits = patched(BOUNDED_EXECUTION) ? input.limits ?? DEFAULT_EXECUTION_LIMITS : null;
  let state: State = carried?.state ?? initialState(model);
  if (!carried && !patched(FEEL_NULL_FRIENDLY)) state = { ...state, feelMode: 'strict' };
  const claims: Record<string, string> = { ...carried?.claims };
  const taskOpenedAt: Record<string, number> = { ...carried?.taskOpenedAt };
  const groups: Record<string, string[]> = { ...carried?.groups };
  const priorities: Record<string, number> = { ...carried?.priorities };
  const seenMessageIds = [...(carried?.seenMessageIds ?? [])];
  const seenSignals = new SeenSignals(carried?.seenSignalIds);
  let sequence = carried?.sequence ?? 0;
  let eventCount = carried?.eventCount ?? 0;
  let canceled = false;
  const externalJobs = new ExternalJobs(carried?.externalJobs);
  const withExternalJobs = hasExternalJobs(model);
  const migrations = [...(carried?.migrations ?? [])];
  // A migration accepted by its update and waiting for the instance to be idle (no job or child running).
  let migration: PendingMigration | null = null;
  // Who and why of each modification in the inbox, in inbox order (apply() records them with the step).
  const modificationAudits: Array<{ actor: string; reason: string; what: string }> = [];

  // The inbox: stimuli in arrival order, each with a ticket so that an update can await its own.
  const inbox: Array<{ ticket: number; body: StimulusBody }> = [];
  const outcomes = new Map<number, UpdateOutcome>();
  let tickets = 0;
  const enqueue = (body: StimulusBody): number => {
    tickets += 1;
    inbox.push({ ticket: tickets, body });
    return tickets;
  };
  const effects = new Effects((body) => void enqueue(body), limits ? { limits, callDepth: input.callDepth ?? 0 } : null);
  const deferredJobs: Array<Extract<Command, { type: 'executeJob' }>> = [];
  // Decided in the main loop only (never inside a condition), as the patch API requires.
  let deferring = false;
  const checkDeferring = () => {
    if (!deferring && (workflowInfo().continueAsNewSuggested || migration !== null) && patched(DEFER_FOR_CONTINUE_AS_NEW)) deferring = true;
  };

  const view = () => buildView({
    input, state, claims, groups, taskOpenedAt, canceled, model, priorities,
    jobs: withExternalJobs ? externalJobs.view(workflowInfo().workflowId, workflowNow()) : undefined,
  });
  // Why each task of this run closed, and when the last snapshot was taken: memory only (no
  // history), read by projectionSnapshotQuery.
  const closedTaskReasons: Record<string, 'completed' | 'canceled'> = {};
  let projectedAt = workflowNow();
  const project = (events: ElementEvent[] = [], closedTasks: InstanceSnapshot['closedTasks'] = []) => {
    sequence += 1;
    projectedAt = workflowNow();
    projection.instanceChanged({
      ...view(),
      instanceId: workflowInfo().workflowId,
      sequence,
      updatedAt: projectedAt,
      closedTasks,
      events,
    });
  };

  const apply = (body: StimulusBody): StepResult => {
    const time = workflowNow();
    const result = step(model, state, { ...body, time } as Parameters<typeof step>[2], limits);
    state = result.state;
    const events: ElementEvent[] = [];
    const closedTasks: InstanceSnapshot['closedTasks'] = [];
    if (body.type === 'modify') {
      const audit = modificationAudits.shift();
      if (audit && result.accepted) events.push(auditEvent(eventCount++, model, 'modified', time, audit.actor, audit.reason, audit.what));
    }
    for (const command of result.commands) {
      switch (command.type) {
        case 'elementActivated':
        case 'elementCompleted':
        case 'elementTerminated':
          events.push({
            index: eventCount++,
            elementId: command.elementId,
            elementType: command.elementType,
            event: command.type === 'elementActivated' ? 'activated' : command.type === 'elementCompleted' ? 'completed' : 'terminated',
            time: command.time,
          });
          break;
        case 'expressionWarning':
          events.push({
            index: eventCount++,
            elementId: command.elementId,
            elementType: state.instances[command.key]?.elementType ?? 'bpmn:Process',
            event: 'warning',
            time: command.time,
            message: `'${command.expression}': ${command.warnings.map((w) => `[${w.type}] ${w.message}`).join('; ')}`,
          });
          break;
        case 'openUserTask':
          taskOpenedAt[command.key] = time;
          break;
        case 'closeUserTask':
          // The assignee too: a claim and its completion may reach the read model in one coalesced write.
          closedTasks.push({ key: command.key, reason: command.reason, ...(claims[command.key] ? { assignee: claims[command.key] } : {}) });
          closedTaskReasons[command.key] = command.reason;
          delete claims[command.key];
          delete groups[command.key];
          delete taskOpenedAt[command.key];
          delete priorities[command.key];
          break;
        case 'reassignTasks':
          // An SLA escalation moves the tasks as transferTask does: to a group unclaimed, or to a user.
          for (const key of command.taskKeys) {
            if (command.group !== null) {
              groups[key] = [command.group];
              claims[key] = '';
            } else if (command.user !== null) {
              claims[key] = command.user;
            }
          }
          break;
        case 'raiseTaskPriority':
          for (const key of command.taskKeys) priorities[key] = Math.min(100, (priorities[key] ?? DEFAULT_TASK_PRIORITY) + command.by);
          break;
        case 'executeJob':
          if (withExternalJobs && isExternal(model, command) && patched(EXTERNAL_JOBS)) externalJobs.open(command, time);
          // A running child may last for days: then keep the old behaviour (run the job now).
          else if (deferring && !effects.runningChildren) deferredJobs.push(command);
          else effects.run(command);
          break;
        case 'cancelJob': {
          if (externalJobs.cancel(command.key)) break;
          const held = deferredJobs.findIndex((job) => job.key === command.key);
          if (held >= 0) deferredJobs.splice(held, 1);
          else effects.run(command);
          break;
        }
        default:
          effects.run(command);
      }
    }
    if (externalJobs.count > 0) externalJobs.prune(state);
    project(events, closedTasks);
    return result;
  };

  /** Runs an update through the inbox and answers with the evaluator's verdict. */
  const viaInbox = async (body: StimulusBody): Promise<UpdateOutcome> => {
    const ticket = enqueue(body);
    await condition(() => outcomes.has(ticket));
    const outcome = outcomes.get(ticket) ?? { accepted: false, reason: 'lost' };
    outcomes.delete(ticket);
    return outcome;
  };

  setHandler(instanceStateQuery, view);
  setHandler(projectionSnapshotQuery, () => ({
    ...view(), instanceId: workflowInfo().workflowId, sequence, updatedAt: projectedAt, closedTasks: [], events: [], closedTaskReasons: { ...closedTaskReasons },
  }));
  setHandler(correlateMessageSignal, (message) => {
    if (message.messageId) {
      if (seenMessageIds.includes(message.messageId)) return;
      seenMessageIds.push(message.messageId);
      if (seenMessageIds.length > SEEN_MESSAGE_IDS) seenMessageIds.shift();
    }
    enqueue({ type: 'messageReceived', name: message.name, correlationKey: message.correlationKey, variables: message.variables, messageId: message.messageId });
  });
  // A broadcast signal (server/signals): fires every subscription of its name open when it is applied.
  setHandler(bpmnSignal, (signal) => {
    if (seenSignals.first(signal.signalId)) enqueue({ type: 'signalReceived', name: signal.name, variables: signal.variables ?? {} });
  });
  setHandler(claimTaskUpdate, ({ taskKey, assignee }) => {
    claims[taskKey] = assignee;
    project();
    return { accepted: true };
  }, { validator: (req) => validateClaim(state, claims, req) });
  setHandler(unclaimTaskUpdate, ({ taskKey }) => {
    claims[taskKey] = '';
    project();
    return { accepted: true };
  }, { validator: ({ taskKey }) => validateOpenTask(state, taskKey) });
  // A transfer changes who may work on the task, not the evaluator state: adapter bookkeeping like claims.
  setHandler(transferTaskUpdate, ({ taskKey, toGroup, toUser }) => {
    if (toGroup !== undefined) {
      groups[taskKey] = [toGroup];
      claims[taskKey] = '';
    } else if (toUser !== undefined) {
      claims[taskKey] = toUser;
    }
    project();
    return { accepted: true };
  }, { validator: (req) => validateTransfer(state, req) });
  setHandler(completeTaskUpdate, ({ taskKey, variables }) => viaInbox({ type: 'userTaskCompleted', key: taskKey, variables: variables ?? {} }), {
    validator: ({ taskKey, variables }) => {
      validateOpenTask(state, taskKey);
      validateVariables(variables ?? {});
    },
  });
  setHandler(resolveIncidentUpdate, ({ incidentId, retries }) => {
    // The retries a failed external job gets when its incident is resolved (Camunda: update retries, then resolve).
    const incident = state.incidents[incidentId];
    const failed = incident && Object.values(externalJobs.jobs).find((j) => j.failed && j.elementInstanceKey === incident.elementInstanceKey);
    if (failed && retries !== undefined) failed.retries = retries;
    return viaInbox({ type: 'resolveIncident', incidentId });
  }, {
    validator: ({ incidentId, retries }) => {
      validateIncident(state, incidentId);
      validateRetries(retries);
    },
  });

  // Jobs of external workers (externalJobs.ts, decision 0028).
  setHandler(activateJobUpdate, (req) => {
    const activated = externalJobs.activate(req, state, workflowNow(), {
      workflowId: workflowInfo().workflowId, processId: input.definition.key, version: input.definition.version,
    });
    project();
    return activated;
  }, { validator: (req) => externalJobs.validateActivation(req, workflowNow()) });
  setHandler(completeJobUpdate, ({ jobKey, variables, adHoc }) => {
    externalJobs.finish(jobKey);
    return viaInbox({ type: 'jobCompleted', key: jobKey, variables: variables ?? {}, ...(adHoc ? { adHoc } : {}) });
  }, {
    validator: ({ jobKey, variables, adHoc }) => {
      externalJobs.live(jobKey);
      validateVariables(variables ?? {});
      if (adHoc) validateAdHocResult(model, state, jobKey, adHoc);
    },
  });
  setHandler(failJobUpdate, ({ jobKey, retries, errorMessage, retryBackOffMs }) => {
    const message = errorMessage ?? null;
    const outcome = externalJobs.fail(jobKey, retries, message, retryBackOffMs ?? 0, workflowNow());
    if (outcome === 'retry') {
      project();
      return { accepted: true };
    }
    return viaInbox({ type: 'jobFailed', key: jobKey, message: message ?? 'the job failed with no retries left', retriesLeft: 0 });
  }, {
    validator: ({ jobKey, retries, errorMessage, retryBackOffMs }) => {
      externalJobs.live(jobKey);
      if (!Number.isInteger(retries) || retries < 0) throw ApplicationFailure.nonRetryable('retries: a whole number from 0 is required', RejectionType.invalid);
      if (retryBackOffMs !== undefined && (!Number.isInteger(retryBackOffMs) || retryBackOffMs < 0)) throw ApplicationFailure.nonRetryable('retryBackOff: a whole number of milliseconds from 0 is required', RejectionType.invalid);
      if (errorMessage !== undefined && (typeof errorMessage !== 'string' || errorMessage.length > 4000)) throw ApplicationFailure.nonRetryable('errorMessage: a string of at most 4000 characters is required', RejectionType.invalid);
    },
  });
  setHandler(throwJobErrorUpdate, ({ jobKey, errorCode, errorMessage, variables }) => {
    externalJobs.finish(jobKey);
    return viaInbox({ type: 'jobThrewError', key: jobKey, errorCode, ...(errorMessage ? { message: errorMessage } : {}), variables: variables ?? {} });
  }, {
    validator: ({ jobKey, errorCode, variables }) => {
      externalJobs.live(jobKey);
      if (typeof errorCode !== 'string' || errorCode === '' || errorCode.length > 200) throw ApplicationFailure.nonRetryable('errorCode: a non-empty string of at most 200 characters is required', RejectionType.invalid);
      validateVariables(variables ?? {});
    },
  });
  setHandler(updateJobUpdate, ({ jobKey, retries, timeoutMs }) => {
    const job = externalJobs.known(jobKey);
    if (retries !== undefined) job.retries = retries;
    if (timeoutMs !== undefined) job.deadline = workflowNow() + timeoutMs;
    project();
    return { accepted: true };
  }, { validator: (req) => validateJobUpdate(externalJobs, req, workflowNow()) });
  setHandler(setVariablesUpdate, ({ variables }) => viaInbox({ type: 'setVariables', variables }), {
    validator: ({ variables }) => validateVariables(variables),
  });

  // Operator operations (operations.ts, decisions 0040 and 0041).
  setHandler(evaluatorStateQuery, () => ({ definition: input.definition, state }));
  setHandler(modifyInstanceUpdate, (req) => {
    patched(INSTANCE_MODIFICATION);
    modificationAudits.push({ actor: req.actor, reason: req.reason, what: describeModification(req) });
    return viaInbox({ type: 'modify', instructions: req.instructions });
  }, { validator: (req) => validateModificationRequest(model, state, req) });
  setHandler(migrateInstanceUpdate, async (request) => {
    if (migrations.includes(request.migrationId)) return { accepted: true, alreadyMigrated: true, to: input.definition };
    const pending: PendingMigration = { request, outcome: null };
    migration = pending;
    await condition(() => pending.outcome !== null);
    return pending.outcome ?? { accepted: false, reason: 'lost' };
  }, { validator: (req) => validateMigrationRequest(model, state, input.definition, migrations, migration !== null, req) });

  const finished = () => state.status === 'completed' || state.status === 'terminated';
  const mayContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested && inbox.length === 0 && (deferring ? !effects.busyWithWork : !effects.busy);
  // Timers are re-armed by the next run; running jobs finish first (new ones wait for the next run).
  const mayMigrate = () => migration !== null && migration.outcome === null && inbox.length === 0 && !effects.busyWithWork;
  const carry = (): NonNullable<ProcessInstanceInput['carried']> => ({
    state, claims, taskOpenedAt, seenMessageIds, sequence, eventCount, runs: (carried?.runs ?? 0) + 1,
    ...(Object.keys(groups).length ? { groups } : {}),
    ...(Object.keys(priorities).length ? { priorities } : {}),
    ...(deferredJobs.length ? { deferredJobs } : {}),
    ...(externalJobs.count ? { externalJobs: externalJobs.jobs } : {}),
    ...(migrations.length ? { migrations } : {}),
    ...(seenSignals.ids.length ? { seenSignalIds: seenSignals.ids } : {}),
  });

  try {
    if (carried) {
      for (const timer of pendingTimers(state)) effects.rearmTimer(timer.key, timer.dueAt);
      for (const job of carried.deferredJobs ?? []) effects.run(job);
      project();
    } else {
      apply({ type: 'start', variables: input.variables ?? {}, startEventId: input.startEventId });
    }
    while (!finished()) {
      checkDeferring();
      await condition(() => inbox.length > 0 || mayContinueAsNew() || mayMigrate());
      checkDeferring();
      const next = inbox.shift();
      if (!next && migration !== null && mayMigrate()) {
        const pending: PendingMigration = migration;
        const { request } = pending;
        // The state may have moved on since the update was accepted: map what is there now.
        const mapped = migrate(model, request.target.model, state, request.mapping);
        if (!mapped.ok) {
          pending.outcome = { accepted: false, reason: mapped.refusals.map((r) => `'${r.elementId}': ${r.reason}`).join('; ') };
          migration = null;
          // The jobs held back for the next run: there is none now, unless Temporal suggests one.
          if (!workflowInfo().continueAsNewSuggested) {
            deferring = false;
            for (const job of deferredJobs.splice(0)) effects.run(job);
          }
          continue;
        }
        patched(INSTANCE_MIGRATION);
        state = mapped.state;
        const from = input.definition;
        const to = request.target.definition;
        project([auditEvent(eventCount++, model, 'migrated', workflowNow(), request.actor, request.reason,
          `migrated from version ${from.version} to ${to.version} (migration ${request.migrationId}; ${mapped.mapped.length} element instances mapped)`)]);
        pending.outcome = { accepted: true, from, to };
        migrations.push(request.migrationId);
        if (migrations.length > REMEMBERED_MIGRATIONS) migrations.shift();
        await condition(allHandlersFinished);
        const carriedOn = carry();
        for (const job of carriedOn.deferredJobs ?? []) job.elementId = state.waits[job.key]?.elementId ?? job.elementId;
        if (carriedOn.externalJobs) carriedOn.externalJobs = remapExternalJobs(carriedOn.externalJobs, state);
        return await makeContinueAsNewFunc<typeof processInstance>({
          typedSearchAttributes: workflowInfo().typedSearchAttributes.updateCopy([{ key: BPMN_PROCESS_VERSION, value: to.version }]),
        })({ ...input, definition: to, model: request.target.model, variables: undefined, carried: carriedOn });
      }
      if (!next) {
        await condition(allHandlersFinished);
        if (!mayContinueAsNew()) continue;
        return await continueAsNew<typeof processInstance>({ ...input, variables: undefined, carried: carry() });
      }
      const result = apply(next.body);
      outcomes.set(next.ticket, { accepted: result.accepted, ...(result.reason ? { reason: result.reason } : {}) });
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(async () => {
      canceled = true;
      effects.cancelAll();
      apply({ type: 'cancel' });
    });
    throw err;
  }
  // A signal thrown by the last step (an end event) is broadcast before the instance ends.
  if (effects.broadcasting) await condition(() => !effects.broadcasting);
  // A migration that waited for an idle moment the instance never had: it ended first.
  const unsettled = migration as PendingMigration | null;
  if (unsettled !== null) unsettled.outcome ??= { accepted: false, reason: `the instance ended (${state.status}) before it could migrate` };
  await condition(allHandlersFinished);
  const status = instanceStatus(state, canceled);
  if (status !== 'completed' && status !== 'terminated') {
    throw ApplicationFailure.nonRetryable(`instance ended in status ${status}`);
  }
  return { status, variables: state.finalVariables ?? {} };
}

function withoutSla(model: ProcessModel): ProcessModel {
  const { sla: _sla, ...rest } = model;
  return rest;
}
