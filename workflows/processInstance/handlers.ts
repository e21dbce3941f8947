/**
 * The process instance workflow's queries, signals and updates. Validators reject a bad
 * request before anything reaches history; what changes the evaluator state goes through the
 * inbox (`viaInbox`) and answers with the evaluator's verdict; task bookkeeping (claims,
 * transfers) and external job bookkeeping change the run directly and project.
 */
import { ApplicationFailure, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { variables as processVariables, type Variables } from '../../processes/evaluator';
import { workflowNow } from '../clock';
import { jsonBytes } from './carriedSize';
import { validateJobUpdate } from './externalJobs';
import type { InstanceRun, PendingMigration } from './instanceRun';
import {
  activateJobUpdate,
  claimTaskUpdate,
  completeJobUpdate,
  completeTaskUpdate,
  correlateMessageSignal,
  evaluatorStateQuery,
  failJobUpdate,
  instanceStateQuery,
  migrateInstanceUpdate,
  modifyInstanceUpdate,
  projectionSnapshotQuery,
  RejectionType,
  resolveIncidentUpdate,
  setVariablesUpdate,
  throwJobErrorUpdate,
  transferTaskUpdate,
  unclaimTaskUpdate,
  updateJobUpdate,
} from './messages';
import { describeModification, validateMigrationRequest, validateModificationRequest } from './operations';
import { INSTANCE_MODIFICATION } from './patches';
import { bpmnSignal } from './signals';
import { validateAdHocResult, validateClaim, validateIncident, validateOpenTask, validateRetries, validateRoom, validateTransfer, validateVariables } from './validators';

/** Variables the API brings in may not grow the instance past what Temporal can carry (carriedSize.ts). */
function validateRoomFor(run: InstanceRun, incoming: Variables, { replacing = false, extraBytes = 0 } = {}): void {
  validateRoom(run.carriedBytes(), processVariables(run.state), incoming, replacing, extraBytes);
}

export function registerHandlers(run: InstanceRun): void {
  registerTaskHandlers(run);
  registerJobHandlers(run);
  setHandler(setVariablesUpdate, ({ variables }) => run.viaInbox({ type: 'setVariables', variables }), {
    validator: ({ variables }) => {
      validateVariables(variables);
      validateRoomFor(run, variables, { replacing: true });
    },
  });
  registerOperatorHandlers(run);
}

/** The view, messages and signals from outside, and the agents' work on user tasks and incidents. */
function registerTaskHandlers(run: InstanceRun): void {
  setHandler(instanceStateQuery, () => run.view());
  setHandler(projectionSnapshotQuery, () => run.snapshot());
  setHandler(correlateMessageSignal, (message) => {
    if (!run.firstMessage(message.messageId)) return;
    run.enqueue({ type: 'messageReceived', name: message.name, correlationKey: message.correlationKey, variables: message.variables, messageId: message.messageId });
  });
  // A broadcast signal (server/signals): fires every subscription of its name open when it is applied.
  setHandler(bpmnSignal, (signal) => {
    if (run.seenSignals.first(signal.signalId)) run.enqueue({ type: 'signalReceived', name: signal.name, variables: signal.variables ?? {} });
  });
  setHandler(claimTaskUpdate, ({ taskKey, assignee }) => {
    run.claims[taskKey] = assignee;
    run.project();
    return { accepted: true };
  }, { validator: (req) => validateClaim(run.state, run.claims, req) });
  setHandler(unclaimTaskUpdate, ({ taskKey }) => {
    run.claims[taskKey] = '';
    run.project();
    return { accepted: true };
  }, { validator: ({ taskKey }) => validateOpenTask(run.state, taskKey) });
  // A transfer changes who may work on the task, not the evaluator state: adapter bookkeeping like claims.
  setHandler(transferTaskUpdate, ({ taskKey, toGroup, toUser }) => {
    run.transfer(taskKey, toGroup ?? null, toUser ?? null);
    run.project();
    return { accepted: true };
  }, { validator: (req) => validateTransfer(run.state, req) });
  setHandler(completeTaskUpdate, ({ taskKey, variables }) => run.viaInbox({ type: 'userTaskCompleted', key: taskKey, variables: variables ?? {} }), {
    validator: ({ taskKey, variables }) => {
      validateOpenTask(run.state, taskKey);
      validateVariables(variables ?? {});
      validateRoomFor(run, variables ?? {});
    },
  });
  setHandler(resolveIncidentUpdate, ({ incidentId, retries }) => {
    // The incident of a continue-as-new that could not be carried: the main loop tries again.
    if (run.resolveCarryIncident(incidentId)) return { accepted: true };
    // The retries a failed external job gets when its incident is resolved (Camunda: update retries, then resolve).
    const incident = run.state.incidents[incidentId];
    const failed = incident && Object.values(run.externalJobs.jobs).find((j) => j.failed && j.elementInstanceKey === incident.elementInstanceKey);
    if (failed && retries !== undefined) failed.retries = retries;
    return run.viaInbox({ type: 'resolveIncident', incidentId });
  }, {
    validator: ({ incidentId, retries }) => {
      if (!run.isCarryIncident(incidentId)) validateIncident(run.state, incidentId);
      validateRetries(retries);
    },
  });
}

/** Jobs of external workers (externalJobs.ts, decision 0028). */
function registerJobHandlers(run: InstanceRun): void {
  const { externalJobs } = run;
  setHandler(activateJobUpdate, (req) => {
    const activated = externalJobs.activate(req, run.state, workflowNow(), {
      workflowId: workflowInfo().workflowId, processId: run.input.definition.key, version: run.input.definition.version,
    });
    run.project();
    return activated;
  }, { validator: (req) => externalJobs.validateActivation(req, workflowNow()) });
  setHandler(completeJobUpdate, ({ jobKey, variables, adHoc }) => {
    externalJobs.finish(jobKey);
    return run.viaInbox({ type: 'jobCompleted', key: jobKey, variables: variables ?? {}, ...(adHoc ? { adHoc } : {}) });
  }, {
    validator: ({ jobKey, variables, adHoc }) => {
      externalJobs.live(jobKey);
      validateVariables(variables ?? {});
      if (adHoc) validateAdHocResult(run.model, run.state, jobKey, adHoc);
      validateRoomFor(run, variables ?? {}, { extraBytes: adHoc ? jsonBytes(adHoc) : 0 });
    },
  });
  setHandler(failJobUpdate, ({ jobKey, retries, errorMessage, retryBackOffMs }) => {
    const message = errorMessage ?? null;
    const outcome = externalJobs.fail(jobKey, retries, message, retryBackOffMs ?? 0, workflowNow());
    if (outcome === 'retry') {
      run.project();
      return { accepted: true };
    }
    return run.viaInbox({ type: 'jobFailed', key: jobKey, message: message ?? 'the job failed with no retries left', retriesLeft: 0 });
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
    return run.viaInbox({ type: 'jobThrewError', key: jobKey, errorCode, ...(errorMessage ? { message: errorMessage } : {}), variables: variables ?? {} });
  }, {
    validator: ({ jobKey, errorCode, variables }) => {
      const job = externalJobs.live(jobKey);
      // Camunda rejects it (INVALID_STATE): the element is not active while its listeners run. The job stays open.
      if (job.jobKind === 'EXECUTION_LISTENER') throw ApplicationFailure.nonRetryable(`job '${String(jobKey)}' belongs to an execution listener, which cannot throw a BPMN error: complete or fail it`, RejectionType.conflict);
      if (typeof errorCode !== 'string' || errorCode === '' || errorCode.length > 200) throw ApplicationFailure.nonRetryable('errorCode: a non-empty string of at most 200 characters is required', RejectionType.invalid);
      validateVariables(variables ?? {});
      validateRoomFor(run, variables ?? {});
    },
  });
  setHandler(updateJobUpdate, ({ jobKey, retries, timeoutMs }) => {
    const job = externalJobs.known(jobKey);
    if (retries !== undefined) job.retries = retries;
    if (timeoutMs !== undefined) job.deadline = workflowNow() + timeoutMs;
    run.project();
    return { accepted: true };
  }, { validator: (req) => validateJobUpdate(externalJobs, req, workflowNow()) });
}

/** Operator operations (operations.ts, decisions 0040 and 0041); the migration itself runs in migration.ts. */
function registerOperatorHandlers(run: InstanceRun): void {
  const { input } = run;
  setHandler(evaluatorStateQuery, () => ({ definition: input.definition, state: run.state }));
  setHandler(modifyInstanceUpdate, (req) => {
    patched(INSTANCE_MODIFICATION);
    run.modificationAudits.push({ actor: req.actor, reason: req.reason, what: describeModification(req) });
    return run.viaInbox({ type: 'modify', instructions: req.instructions });
  }, { validator: (req) => validateModificationRequest(run.model, run.state, req) });
  setHandler(migrateInstanceUpdate, async (request) => {
    if (run.migrations.includes(request.migrationId)) return { accepted: true, alreadyMigrated: true, to: input.definition };
    const pending: PendingMigration = { request, outcome: null };
    run.migration = pending;
    await condition(() => pending.outcome !== null);
    return pending.outcome ?? { accepted: false, reason: 'lost' };
  }, { validator: (req) => validateMigrationRequest(run.model, run.state, input.definition, run.migrations, run.migration !== null, req) });
}
