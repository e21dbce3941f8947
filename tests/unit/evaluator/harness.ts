import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import {
  activeElements,
  initialState,
  openIncidents,
  openJobs,
  openMessageSubscriptions,
  openUserTasks,
  pendingTimers,
  step,
  variables,
} from '../../../processes/evaluator';
import type { Command, EvaluatorLimits, State, StepResult, Stimulus, Variables } from '../../../processes/evaluator';

type WithoutTime<T> = T extends unknown ? Omit<T, 'time'> : never;
export type StimulusInput = WithoutTime<Stimulus> & { time?: number };

const cache = new Map<string, ProcessModel>();

/** Compiles tests/unit/evaluator/scenarios/<name>.bpmn (no catalog check) and returns its process. */
export async function loadModel(name: string): Promise<ProcessModel> {
  const known = cache.get(name);
  if (known) return known;
  const xml = readFileSync(join(__dirname, 'scenarios', `${name}.bpmn`), 'utf8');
  const result = await compileBpmn(xml, { taskTypes: null });
  const model = result.document?.processes[0];
  if (!result.ok || !model) {
    throw new Error(`${name}.bpmn does not compile:\n${result.problems.map((p) => JSON.stringify(p)).join('\n')}`);
  }
  cache.set(name, model);
  return model;
}

export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

/**
 * Drives one instance through `step`, like the adapter would: it keeps the clock,
 * records every command, and asserts after every step that the state survives a JSON
 * round trip and that the input state was left untouched.
 */
export class Sim {
  state: State;
  time = T0;
  commands: Command[] = [];
  last: StepResult | null = null;

  /** `limits`: as the adapter passes them since the bounded-execution patch; null = unbounded. */
  constructor(readonly model: ProcessModel, readonly limits: EvaluatorLimits | null = null) {
    this.state = initialState(model);
  }

  send(input: StimulusInput): StepResult {
    if (input.time !== undefined) this.time = input.time;
    const before = JSON.stringify(this.state);
    const result = step(this.model, this.state, { ...input, time: this.time } as Stimulus, this.limits);
    expect(JSON.stringify(this.state)).toBe(before);
    expect(JSON.parse(JSON.stringify(result.state))).toStrictEqual(result.state);
    this.state = result.state;
    this.commands.push(...result.commands);
    this.last = result;
    return result;
  }

  start(vars: Variables = {}, startEventId?: string): StepResult {
    return this.send({ type: 'start', variables: vars, ...(startEventId ? { startEventId } : {}) });
  }

  private single<T extends { elementId: string; key: string }>(what: string, list: T[], elementId: string): T {
    const hits = list.filter((x) => x.elementId === elementId);
    if (hits.length !== 1) throw new Error(`expected one open ${what} at '${elementId}', found ${hits.length}`);
    return hits[0] as T;
  }

  jobKey(elementId: string): string {
    return this.single('job', openJobs(this.state), elementId).key;
  }

  jobKeys(elementId: string): string[] {
    return openJobs(this.state).filter((j) => j.elementId === elementId).map((j) => j.key);
  }

  completeJob(elementId: string, vars: Variables = {}): StepResult {
    return this.send({ type: 'jobCompleted', key: this.jobKey(elementId), variables: vars });
  }

  fireTimer(elementId: string, at?: number): StepResult {
    const timer = this.single('timer', pendingTimers(this.state), elementId);
    return this.send({ type: 'timerFired', key: timer.key, time: at ?? Math.max(this.time, timer.dueAt) });
  }

  completeUserTask(elementId: string, vars: Variables = {}): StepResult {
    const task = this.single('user task', openUserTasks(this.state), elementId);
    return this.send({ type: 'userTaskCompleted', key: task.key, variables: vars });
  }

  message(name: string, correlationKey?: string, vars: Variables = {}): StepResult {
    return this.send({ type: 'messageReceived', name, variables: vars, ...(correlationKey === undefined ? {} : { correlationKey }) });
  }

  resolve(elementId: string): StepResult {
    const incident = openIncidents(this.state).find((i) => i.elementId === elementId);
    if (!incident) throw new Error(`no incident at '${elementId}'`);
    return this.send({ type: 'resolveIncident', incidentId: incident.id });
  }

  /** Element ids of the history commands of one type, in order. */
  trace(type: 'elementActivated' | 'elementCompleted' | 'elementTerminated'): string[] {
    return this.commands.filter((c) => c.type === type).map((c) => (c as { elementId: string }).elementId);
  }

  of<T extends Command['type']>(type: T): Array<Extract<Command, { type: T }>> {
    return this.commands.filter((c): c is Extract<Command, { type: T }> => c.type === type);
  }

  active(): string[] {
    return activeElements(this.state).map((e) => e.elementId);
  }

  vars(scopeKey?: string): Variables {
    return variables(this.state, scopeKey);
  }

  incidents(): Array<{ type: string; elementId: string }> {
    return openIncidents(this.state).map((i) => ({ type: i.type, elementId: i.elementId }));
  }

  subscriptions(): string[] {
    return openMessageSubscriptions(this.state).map((s) => s.elementId);
  }

  timers(): Array<{ elementId: string; dueAt: number }> {
    return pendingTimers(this.state).map(({ elementId, dueAt }) => ({ elementId, dueAt }));
  }

  /** Every token accounted for: no instance, wait, join or incident left behind. */
  expectClean(status: State['status'] = 'completed'): void {
    expect(this.state.status).toBe(status);
    expect(this.state.instances).toEqual({});
    expect(this.state.waits).toEqual({});
    expect(this.state.joins).toEqual([]);
    expect(this.state.incidents).toEqual({});
  }
}

export async function sim(name: string): Promise<Sim> {
  return new Sim(await loadModel(name));
}

export const HOUR = 3_600_000;
