/**
 * One stimulus through the evaluator: `step`, then each command of the result to where it
 * belongs — element history and warnings into the step's events, task bookkeeping into the
 * run, external jobs to their keeper, jobs held back near continue-as-new, everything else
 * to Effects — and one projection of the outcome.
 */
import { patched } from '@temporalio/workflow';
import { step, type Command, type StepResult } from '../../processes/evaluator';
import { workflowNow } from '../clock';
import { isExternal } from './externalJobs';
import type { InstanceRun, StimulusBody } from './instanceRun';
import { auditEvent } from './operations';
import { EXTERNAL_JOBS } from './patches';
import type { ElementEvent, InstanceSnapshot } from './types';
import { DEFAULT_TASK_PRIORITY } from './view';

export function applyStimulus(run: InstanceRun, body: StimulusBody): StepResult {
  const time = workflowNow();
  const result = step(run.model, run.state, { ...body, time } as Parameters<typeof step>[2], run.limits);
  run.state = result.state;
  const events: ElementEvent[] = [];
  const closedTasks: InstanceSnapshot['closedTasks'] = [];
  if (body.type === 'modify') {
    const audit = run.modificationAudits.shift();
    if (audit && result.accepted) events.push(auditEvent(run.eventCount++, run.model, 'modified', time, audit.actor, audit.reason, audit.what));
  }
  for (const command of result.commands) carryOut(run, command, time, events, closedTasks);
  if (run.externalJobs.count > 0) run.externalJobs.prune(run.state);
  run.project(events, closedTasks);
  return result;
}

function carryOut(run: InstanceRun, command: Command, time: number, events: ElementEvent[], closedTasks: InstanceSnapshot['closedTasks']): void {
  switch (command.type) {
    case 'elementActivated':
    case 'elementCompleted':
    case 'elementTerminated':
      events.push({
        index: run.eventCount++,
        elementId: command.elementId,
        elementType: command.elementType,
        event: command.type === 'elementActivated' ? 'activated' : command.type === 'elementCompleted' ? 'completed' : 'terminated',
        time: command.time,
      });
      break;
    case 'expressionWarning':
      events.push({
        index: run.eventCount++,
        elementId: command.elementId,
        elementType: run.state.instances[command.key]?.elementType ?? 'bpmn:Process',
        event: 'warning',
        time: command.time,
        message: `'${command.expression}': ${command.warnings.map((w) => `[${w.type}] ${w.message}`).join('; ')}`,
      });
      break;
    case 'openUserTask':
      run.taskOpenedAt[command.key] = time;
      break;
    case 'closeUserTask':
      // The assignee too: a claim and its completion may reach the read model in one coalesced write.
      closedTasks.push({ key: command.key, reason: command.reason, ...(run.claims[command.key] ? { assignee: run.claims[command.key] } : {}) });
      run.closedTaskReasons[command.key] = command.reason;
      run.forgetTask(command.key);
      break;
    case 'reassignTasks':
      // An SLA escalation moves the tasks as transferTask does: to a group unclaimed, or to a user.
      for (const key of command.taskKeys) run.transfer(key, command.group, command.user);
      break;
    case 'raiseTaskPriority':
      // From the task's own priority (zeebe:priorityDefinition; absent in models before it was read, so unchanged for them).
      for (const key of command.taskKeys) run.priorities[key] = Math.min(100, (run.priorities[key] ?? modelPriority(run.state, key) ?? DEFAULT_TASK_PRIORITY) + command.by);
      break;
    case 'executeJob':
      if (run.withExternalJobs && isExternal(run.model, command) && patched(EXTERNAL_JOBS)) run.externalJobs.open(command, time);
      // A running child may last for days: then keep the old behaviour (run the job now).
      else if (run.deferring && !run.effects.runningChildren) run.deferredJobs.push(command);
      else run.effects.run(command);
      break;
    case 'cancelJob': {
      if (run.externalJobs.cancel(command.key)) break;
      const held = run.deferredJobs.findIndex((job) => job.key === command.key);
      if (held >= 0) run.deferredJobs.splice(held, 1);
      else run.effects.run(command);
      break;
    }
    default:
      run.effects.run(command);
  }
}

/** The priority the model gave an open user task, if any. */
function modelPriority(state: InstanceRun['state'], key: string): number | undefined {
  const wait = state.waits[key];
  return wait?.type === 'userTask' ? wait.task.priority : undefined;
}
