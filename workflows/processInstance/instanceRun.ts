/**
 * What one run of the process instance workflow holds besides Temporal's own state: the
 * evaluator state, the adapter's bookkeeping of tasks (claims, transfers, priorities, when
 * each opened), the de-duplication of messages and signals, the inbox of stimuli, the jobs
 * held back for the next run, a migration waiting for an idle moment, and the projection's
 * sequence. Everything carried across continue-as-new goes through `carry()`; everything the
 * outside sees goes through `view()` and `project()`.
 */
import { condition, patched, workflowInfo } from '@temporalio/workflow';
import type { Command, State } from '../../processes/evaluator';
import type { ProcessModel } from '../../processes/model';
import { workflowNow } from '../clock';
import { projection } from '../sinks';
import { Effects, type Deliver } from './effects';
import { ExternalJobs, hasExternalJobs } from './externalJobs';
import type { MigrationOutcome, MigrationRequest, ProjectionSnapshotAnswer, UpdateOutcome } from './messages';
import { carriedInputBytes } from './carriedSize';
import { DEFER_FOR_CONTINUE_AS_NEW } from './patches';
import { SeenSignals } from './signals';
import type { ElementEvent, ExecutionLimits, IncidentView, InstanceSnapshot, InstanceView, ProcessInstanceInput } from './types';
import { buildView } from './view';

export type StimulusBody = Parameters<Deliver>[0];
type CarriedState = NonNullable<ProcessInstanceInput['carried']>;

/** A migration accepted by its update and waiting for the instance to be idle (no job or child running). */
export interface PendingMigration { request: MigrationRequest; outcome: MigrationOutcome | null }

const SEEN_MESSAGE_IDS = 1000;

export class InstanceRun {
  state: State;
  readonly claims: Record<string, string>;
  readonly taskOpenedAt: Record<string, number>;
  /** Candidate groups replaced by a transfer or an SLA escalation. */
  readonly groups: Record<string, string[]>;
  /** Task priorities raised by SLA escalations. */
  readonly priorities: Record<string, number>;
  private readonly seenMessageIds: string[];
  readonly seenSignals: SeenSignals;
  sequence: number;
  eventCount: number;
  canceled = false;
  readonly externalJobs: ExternalJobs;
  readonly withExternalJobs: boolean;
  /** Ids of the last migrations applied (a repeated update answers `alreadyMigrated`). */
  readonly migrations: string[];
  migration: PendingMigration | null = null;
  /** Who and why of each modification in the inbox, in inbox order (applyStimulus records them with the step). */
  readonly modificationAudits: Array<{ actor: string; reason: string; what: string }> = [];

  /** The inbox: stimuli in arrival order, each with a ticket so that an update can await its own. */
  readonly inbox: Array<{ ticket: number; body: StimulusBody }> = [];
  readonly outcomes = new Map<number, UpdateOutcome>();
  private tickets = 0;
  readonly effects: Effects;
  /** Jobs held back for the next run once continue-as-new is near. */
  readonly deferredJobs: Array<Extract<Command, { type: 'executeJob' }>> = [];
  /** Decided in the main loop only (never inside a condition), as the patch API requires. */
  deferring = false;
  /**
   * Why each task of this run closed, and when the last snapshot was taken: memory only (no
   * history), read by the projectionSnapshot query.
   */
  readonly closedTaskReasons: Record<string, 'completed' | 'canceled'> = {};
  private projectedAt: number;
  /**
   * A LIMIT_EXCEEDED incident on the process while its continue-as-new input is too large to
   * carry (carriedSize.ts): the run goes on without continuing as new until it is resolved.
   * Adapter state like claims, never carried (it exists only while the run does not continue).
   */
  carryIncident: IncidentView | null = null;
  private carryIncidents = 0;

  constructor(
    readonly input: ProcessInstanceInput,
    /** The model as run (SLA policies removed when the instance predates the sla-clocks patch). */
    readonly model: ProcessModel,
    readonly limits: ExecutionLimits | null,
    state: State,
  ) {
    const { carried } = input;
    this.state = state;
    this.claims = { ...carried?.claims };
    this.taskOpenedAt = { ...carried?.taskOpenedAt };
    this.groups = { ...carried?.groups };
    this.priorities = { ...carried?.priorities };
    this.seenMessageIds = [...(carried?.seenMessageIds ?? [])];
    this.seenSignals = new SeenSignals(carried?.seenSignalIds);
    this.sequence = carried?.sequence ?? 0;
    this.eventCount = carried?.eventCount ?? 0;
    this.externalJobs = new ExternalJobs(carried?.externalJobs);
    this.withExternalJobs = hasExternalJobs(model);
    this.migrations = [...(carried?.migrations ?? [])];
    this.effects = new Effects((body) => void this.enqueue(body), limits ? { limits, callDepth: input.callDepth ?? 0 } : null);
    this.projectedAt = workflowNow();
  }

  enqueue(body: StimulusBody): number {
    this.tickets += 1;
    this.inbox.push({ ticket: this.tickets, body });
    return this.tickets;
  }

  /** Runs an update through the inbox and answers with the evaluator's verdict. */
  async viaInbox(body: StimulusBody): Promise<UpdateOutcome> {
    const ticket = this.enqueue(body);
    await condition(() => this.outcomes.has(ticket));
    const outcome = this.outcomes.get(ticket) ?? { accepted: false, reason: 'lost' };
    this.outcomes.delete(ticket);
    return outcome;
  }

  /** False when a message with this id arrived already (the last SEEN_MESSAGE_IDS are remembered). */
  firstMessage(messageId: string | undefined): boolean {
    if (!messageId) return true;
    if (this.seenMessageIds.includes(messageId)) return false;
    this.seenMessageIds.push(messageId);
    if (this.seenMessageIds.length > SEEN_MESSAGE_IDS) this.seenMessageIds.shift();
    return true;
  }

  /**
   * Moves a task to a group (unclaimed) or to a user: an agent's transfer and an SLA
   * escalation's reassignment alike. Adapter bookkeeping like claims, not evaluator state.
   */
  transfer(taskKey: string, group: string | null, user: string | null): void {
    if (group !== null) {
      this.groups[taskKey] = [group];
      this.claims[taskKey] = '';
    } else if (user !== null) {
      this.claims[taskKey] = user;
    }
  }

  /** Forgets the adapter's bookkeeping of a task that closed. */
  forgetTask(taskKey: string): void {
    delete this.claims[taskKey];
    delete this.groups[taskKey];
    delete this.taskOpenedAt[taskKey];
    delete this.priorities[taskKey];
  }

  /** Once continue-as-new is suggested or a migration waits, jobs are held back (patched). */
  checkDeferring(): void {
    if (!this.deferring && this.carryIncident === null && (workflowInfo().continueAsNewSuggested || this.migration !== null) && patched(DEFER_FOR_CONTINUE_AS_NEW)) this.deferring = true;
  }

  view(): InstanceView {
    const { input, state, claims, groups, taskOpenedAt, canceled, model, priorities } = this;
    const view = buildView({
      input, state, claims, groups, taskOpenedAt, canceled, model, priorities,
      jobs: this.withExternalJobs ? this.externalJobs.view(workflowInfo().workflowId, workflowNow()) : undefined,
    });
    return this.carryIncident ? { ...view, incidents: [...view.incidents, this.carryIncident] } : view;
  }

  /** Reports the instance to the read models (a sink: no history) with the events of the step. */
  project(events: ElementEvent[] = [], closedTasks: InstanceSnapshot['closedTasks'] = []): void {
    this.sequence += 1;
    this.projectedAt = workflowNow();
    projection.instanceChanged({
      ...this.view(),
      instanceId: workflowInfo().workflowId,
      sequence: this.sequence,
      updatedAt: this.projectedAt,
      closedTasks,
      events,
    });
  }

  /** The last snapshot again, for the reconciler (the projectionSnapshot query). */
  snapshot(): ProjectionSnapshotAnswer {
    return {
      ...this.view(), instanceId: workflowInfo().workflowId, sequence: this.sequence, updatedAt: this.projectedAt, closedTasks: [], events: [], closedTaskReasons: { ...this.closedTaskReasons },
    };
  }

  finished(): boolean {
    return this.state.status === 'completed' || this.state.status === 'terminated';
  }

  mayContinueAsNew(): boolean {
    return workflowInfo().continueAsNewSuggested && this.carryIncident === null && this.inbox.length === 0 && (this.deferring ? !this.effects.busyWithWork : !this.effects.busy);
  }

  /** Timers are re-armed by the next run; running jobs finish first (new ones wait for the next run). */
  mayMigrate(): boolean {
    return this.migration !== null && this.migration.outcome === null && this.inbox.length === 0 && !this.effects.busyWithWork;
  }

  /** The input of the next run (continue-as-new). */
  continueAsNewInput(): ProcessInstanceInput {
    return { ...this.input, variables: undefined, carried: this.carry() };
  }

  /** The size the instance would have as a continue-as-new input now (what validators weigh variables against). */
  carriedBytes(): number {
    return carriedInputBytes(this.continueAsNewInput());
  }

  /**
   * The continue-as-new input is too large: an incident on the process instead, and the run
   * goes on (jobs held back for the next run start now) until an operator resolves it.
   */
  holdCarry(message: string): void {
    this.carryIncidents += 1;
    this.carryIncident = { id: `variables-size-${this.carryIncidents}`, elementId: this.state.processId, type: 'LIMIT_EXCEEDED', message, createdAt: workflowNow() };
    this.deferring = false;
    for (const job of this.deferredJobs.splice(0)) this.effects.run(job);
    this.project();
  }

  isCarryIncident(incidentId: string): boolean {
    return this.carryIncident !== null && this.carryIncident.id === incidentId;
  }

  /** Resolving it lets the main loop try continue-as-new again (a new incident if still too large). */
  resolveCarryIncident(incidentId: string): boolean {
    if (!this.isCarryIncident(incidentId)) return false;
    this.carryIncident = null;
    this.project();
    return true;
  }

  /** What the next run starts from (continue-as-new). */
  carry(): CarriedState {
    const { state, claims, taskOpenedAt, seenMessageIds, sequence, eventCount, groups, priorities, deferredJobs, externalJobs, migrations, seenSignals } = this;
    return {
      state, claims, taskOpenedAt, seenMessageIds, sequence, eventCount, runs: (this.input.carried?.runs ?? 0) + 1,
      ...(Object.keys(groups).length ? { groups } : {}),
      ...(Object.keys(priorities).length ? { priorities } : {}),
      ...(deferredJobs.length ? { deferredJobs } : {}),
      ...(externalJobs.count ? { externalJobs: externalJobs.jobs } : {}),
      ...(migrations.length ? { migrations } : {}),
      ...(seenSignals.ids.length ? { seenSignalIds: seenSignals.ids } : {}),
    };
  }
}
