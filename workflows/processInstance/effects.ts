/**
 * Carries out the evaluator's durable commands with Temporal primitives: jobs are activities,
 * timers are sleeps, call activities are child workflows. Each runs in its own cancellation
 * scope, keyed like the command, so an interrupting boundary event can cancel exactly it.
 * Outcomes come back as stimuli through `deliver`.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Command, Stimulus, Variables } from '../../processes/evaluator';
import { jobActivityOptions, runsLocally, type JobActivities } from '../../activities/jobContract';
import type { CalledProcessActivities } from '../../activities/calledProcess/contract';
import type { SignalActivities } from '../../activities/signals/contract';
import { jsonBytes, MAX_CARRIED_INPUT_BYTES } from './carriedSize';
import { activationKeyOf } from './jobActivation';
import { SIGNALS_PATCH } from './signals';
import { workflowNow } from '../clock';
import type { ExecutionLimits, ProcessInstanceInput, ProcessInstanceResult } from './types';

/**
 * Jobs carry their element instance key, which makes their idempotency key: a job reissued by
 * a resolved incident keeps the first one's key, so its side effects are not repeated.
 */
export const JOB_IDEMPOTENCY_PER_ACTIVATION = 'job-idempotency-per-activation';

/**
 * A called process's input (its model and the variables passed) over Temporal's 2 MB payload
 * limit is a CHILD_FAILED incident on the call activity instead of a start command the server
 * refuses (the call then hung with no child and no incident). Room is left for encryption.
 */
export const CHILD_INPUT_SIZE = 'child-input-size';
/**
 * Jobs of integrations marked `local` (the complaint store, the directory: short work on this
 * service's own database) run as local activities, inside the workflow task that schedules them:
 * no activity task through the Temporal server, no extra workflow task for the result
 * (decision 0061). Histories recorded before it keep their ordinary activities.
 */
export const LOCAL_STORE_JOBS = 'local-store-jobs';
/** The same bound as a run's own carried input (carriedSize.ts): Temporal's 2 MB less room for encryption. */
export const MAX_CHILD_INPUT_BYTES = MAX_CARRIED_INPUT_BYTES;

type StimulusBody = Stimulus extends infer S ? (S extends Stimulus ? Omit<S, 'time'> : never) : never;
export type Deliver = (stimulus: StimulusBody) => void;

/** Support activities of the adapter itself (not integrations). */
const support = proxyActivities<CalledProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

/** The broadcast of a thrown signal: retried until it lands (it is idempotent by its id). */
const signalSupport = proxyActivities<SignalActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure || err instanceof ChildWorkflowFailure ? err.cause ?? err : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * A BPMN error raised by an integration, as our activities encode it. An ordinary activity's
 * failure arrives wrapped in an ActivityFailure; a local activity's may arrive as the
 * integration's ApplicationFailure itself (decision 0061).
 */
function bpmnError(err: unknown): { errorCode: string; message: string; variables?: Variables } | null {
  const cause = err instanceof ActivityFailure ? err.cause : err instanceof ApplicationFailure ? err : undefined;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'BpmnError') return null;
  const detail = (cause.details?.[0] ?? {}) as { errorCode?: string; message?: string; variables?: Variables };
  return { errorCode: detail.errorCode ?? 'unknown', message: detail.message ?? cause.message, variables: detail.variables };
}

export class Effects {
  private readonly scopes = new Map<string, CancellationScope>();

  /** `bounded`: null for histories recorded before the execution limits. */
  constructor(
    private readonly deliver: Deliver,
    private readonly bounded: { limits: ExecutionLimits; callDepth: number } | null = null,
  ) {}

  private readonly timerKeys = new Set<string>();

  /** Activities, children or timers still running (before the `can-rearm-timers` patch, continue-as-new waited for all). */
  get busy(): boolean {
    return this.scopes.size > 0;
  }

  /** Activities and children still running: continue-as-new waits until there are none (timers are re-armed). */
  get busyWithWork(): boolean {
    return [...this.scopes.keys()].some((key) => !this.timerKeys.has(key));
  }

  /** Signal broadcasts still running: the instance waits for them before it ends. */
  get broadcasting(): boolean {
    return [...this.scopes.keys()].some((key) => key.startsWith('signal-'));
  }

  get runningChildren(): boolean {
    return [...this.scopes.keys()].some((key) => this.childKeys.has(key));
  }

  private readonly childKeys = new Set<string>();

  run(command: Command): void {
    switch (command.type) {
      case 'executeJob':
        return this.job(command);
      case 'startTimer':
        return this.timer(command.key, command.dueAt);
      case 'startChildProcess':
        return this.child(command);
      case 'broadcastSignal':
        return this.broadcast(command);
      case 'cancelJob':
      case 'cancelTimer':
      case 'cancelChildProcess':
        this.scopes.get(command.key)?.cancel();
        this.forget(command.key);
        return;
      default:
        return; // bookkeeping commands are handled by the workflow itself
    }
  }

  /** Re-arms a timer after continue-as-new (the evaluator's waits are the source of truth). */
  rearmTimer(key: string, dueAt: number): void {
    this.timer(key, dueAt);
  }

  cancelAll(): void {
    for (const scope of this.scopes.values()) scope.cancel();
    this.scopes.clear();
    this.timerKeys.clear();
    this.childKeys.clear();
  }

  private forget(key: string): void {
    this.scopes.delete(key);
    this.timerKeys.delete(key);
    this.childKeys.delete(key);
  }

  /**
   * Opens the cancellation scope of one durable effect, keyed like its command. The effect
   * runs in it as one async function that ends with `release`: Temporal records a stack trace
   * for every promise a workflow creates, so the effects avoid promises of their own (no
   * `.catch().finally()` chains, no inner async wrappers; decision 0015). None of this issues
   * commands; and the main loop only looks at the scopes once the activation's promise jobs
   * have all run, so when a scope is released within them does not change what it sees.
   */
  private open(key: string): CancellationScope {
    const scope = new CancellationScope();
    this.scopes.set(key, scope);
    return scope;
  }

  private release(key: string, scope: CancellationScope): void {
    if (this.scopes.get(key) === scope) this.forget(key);
  }

  private job(command: Extract<Command, { type: 'executeJob' }>): void {
    // Timeouts and backoff from the integration; the diagram's `retries` as total attempts.
    // Exhausted attempts become an incident, which an operator resolves to try again.
    const options = jobActivityOptions(command.taskType, command.retries);
    // Local activities have no id of their own: the job key travels in their result (the replay
    // dry run reads it there) and in the failure runJob raises (jobFailureDetails).
    const { runJob } = runsLocally(command.taskType) && patched(LOCAL_STORE_JOBS)
      ? proxyLocalActivities<JobActivities>(options)
      : proxyActivities<JobActivities>({ ...options, activityId: `job-${command.key}` });
    // SLA escalation jobs keep their own keys (`sla:<clock>:<threshold>:<level>`): deterministic,
    // never reissued, and several of them share one element instance.
    const perActivation = !command.key.startsWith('sla:') && patched(JOB_IDEMPOTENCY_PER_ACTIVATION);
    const scope = this.open(command.key);
    void scope.run(async () => {
      try {
        const result = await runJob({
          taskType: command.taskType,
          elementId: command.elementId,
          jobKey: command.key,
          ...(perActivation ? { activationKey: activationKeyOf(command) } : {}),
          workflowId: workflowInfo().workflowId,
          variables: command.variables,
          headers: Object.fromEntries(command.headers.map((h) => [h.key, h.value])),
        });
        this.deliver({ type: 'jobCompleted', key: command.key, variables: result.variables });
      } catch (err) {
        if (isCancellation(err)) return;
        const thrown = bpmnError(err);
        if (thrown) this.deliver({ type: 'jobThrewError', key: command.key, ...thrown });
        else this.deliver({ type: 'jobFailed', key: command.key, message: failureMessage(err), retriesLeft: 0 });
      } finally {
        this.release(command.key, scope);
      }
    });
  }

  private timer(key: string, dueAt: number): void {
    this.timerKeys.add(key);
    const scope = this.open(key);
    void scope.run(async () => {
      try {
        await sleep(Math.max(1, dueAt - workflowNow()));
        this.deliver({ type: 'timerFired', key });
      } catch (err) {
        if (!isCancellation(err)) throw err;
      } finally {
        this.release(key, scope);
      }
    });
  }

  /**
   * A signal throw or end event: the event has completed already (Zeebe), the broadcast runs
   * beside the instance. Its scope keeps continue-as-new waiting until it has landed; its id
   * (workflow id and command key) makes a retried broadcast reach nobody twice.
   */
  private broadcast(command: Extract<Command, { type: 'broadcastSignal' }>): void {
    patched(SIGNALS_PATCH);
    const key = `signal-${command.key}`;
    const scope = this.open(key);
    void scope.run(async () => {
      try {
        await signalSupport.broadcastSignal({ signalName: command.signalName, variables: command.variables, signalId: `${workflowInfo().workflowId}:${command.key}` });
      } catch {
        // Retried until it lands; only a worker without a broadcaster fails it (its failure is in the history).
      } finally {
        this.release(key, scope);
      }
    });
  }

  private child(command: Extract<Command, { type: 'startChildProcess' }>): void {
    const bounded = this.bounded;
    if (bounded && bounded.callDepth >= bounded.limits.maxCallDepth) {
      // Refused without starting anything: a CHILD_FAILED incident on the call activity.
      this.deliver({ type: 'childFailed', key: command.key, message: `limit exceeded: call depth ${bounded.callDepth + 1} is over the limit of ${bounded.limits.maxCallDepth} (a process calling itself?)` });
      return;
    }
    this.childKeys.add(command.key);
    const scope = this.open(command.key);
    void scope.run(async () => {
      try {
        const called = await support.resolveCalledProcess(command.processId);
        const input: ProcessInstanceInput = {
          definition: called.definition,
          model: called.model,
          variables: command.variables,
          ...(bounded ? { limits: bounded.limits, callDepth: bounded.callDepth + 1 } : {}),
        };
        const bytes = jsonBytes(input);
        if (bytes > MAX_CHILD_INPUT_BYTES && patched(CHILD_INPUT_SIZE)) {
          this.deliver({ type: 'childFailed', key: command.key, message: `limit exceeded: the called process's input would be ${bytes} bytes; Temporal refuses more than 2 MB (pass fewer variables to the call activity)` });
          return;
        }
        const handle = await startChild('processInstance', {
          workflowId: `${workflowInfo().workflowId}.call-${command.key}`,
          args: [input],
        });
        const result = (await handle.result()) as ProcessInstanceResult;
        this.deliver({ type: 'childCompleted', key: command.key, variables: result.variables });
      } catch (err) {
        if (isCancellation(err)) return;
        this.deliver({ type: 'childFailed', key: command.key, message: failureMessage(err) });
      } finally {
        this.release(command.key, scope);
      }
    });
  }
}
