/**
 * What a complaint's change adds to the rollups (pure: unit-tested). The recorder compares the
 * complaint with what it was counted for (its fact) and turns each new milestone into counter
 * increments:
 *
 * | milestone | when | counted on | dimensions |
 * |---|---|---|---|
 * | `intake` | classified (or past `open`) | the day filed | all; open load +1 |
 * | `dept:<department>` | the department is on the complaint (at intake, or brought in later) | the day filed | that department; its open load +1 |
 * | (left) | a counted department is no longer on it (who must act was decided anew) | the day filed | that department: its intake −1, its load released; the milestone is forgotten |
 * | `assign:<staff>` | an engineer is set | that day | engineer, outlet; their load +1, a previous one's −1 |
 * | `closed` | status `closed` | that day | all, departments, engineer, outlet: throughput, handling time per step; load −1 |
 * | `sla:<clock>` | an SLA clock is met or breached | that day | the same four (as the complaint was last counted) |
 * | `eval:<id>` | an evaluation is delivered | its day | the same four, and every diagram element on the complaint's path |
 */
import type { ComplaintRecord, Evaluation } from '../complaints/model';
import { bucketOf } from './histogram';
import { cellKey, dayOf, LOW_STARS, monthOf, pathKey, rollupId, type Dim, type Grain } from './model';

export type Milestone =
  | { kind: 'intake' }
  | { kind: 'department'; department: string }
  | { kind: 'departmentLeft'; department: string }
  | { kind: 'assign'; engineer: string }
  | { kind: 'closed' }
  | { kind: 'eval'; evaluation: Evaluation };

export const milestoneKey = (m: Milestone) =>
  m.kind === 'assign' ? `assign:${m.engineer}` : m.kind === 'eval' ? `eval:${m.evaluation.id}` : m.kind === 'department' || m.kind === 'departmentLeft' ? `dept:${m.department}` : m.kind;

export type ComplaintView = Pick<ComplaintRecord, '_id' | 'category' | 'departments' | 'engineer' | 'status' | 'evaluations' | 'createdAt'>;

/** The milestones the complaint has reached and was not counted for yet. */
export function pendingMilestones(c: ComplaintView, counted: readonly string[]): Milestone[] {
  const done = new Set(counted);
  const out: Milestone[] = [];
  if (c.category !== null || c.status !== 'open') {
    out.push({ kind: 'intake' });
    // Every department on the complaint counts it once, also one brought in after intake.
    for (const department of c.departments) out.push({ kind: 'department', department });
    // Counted once but no longer on the complaint: the decision on who must act changed.
    for (const key of counted) {
      if (key.startsWith('dept:') && !c.departments.includes(key.slice(5))) out.push({ kind: 'departmentLeft', department: key.slice(5) });
    }
  }
  if (c.engineer) out.push({ kind: 'assign', engineer: c.engineer });
  if (c.status === 'closed') out.push({ kind: 'closed' });
  for (const e of c.evaluations) if (e.state !== 'pending') out.push({ kind: 'eval', evaluation: e });
  return out.filter((m) => (m.kind === 'departmentLeft' ? done.has(milestoneKey(m)) : !done.has(milestoneKey(m))));
}

/** What the recorder read for the milestones (only what they need). */
export interface MilestoneContext {
  now: Date;
  region: string | null;
  /** The outlet of the complaint's engineer (null: none or unknown). */
  outlet: string | null;
  /** The complaint's tasks (closed: handling time per step). */
  tasks: Array<{ elementId: string; state: string; createdAt: Date; closedAt: Date | null }>;
  /** The process it ran and its element events (evaluations: the path up to each). */
  definitionKey: string | null;
  events: ReadonlyArray<{ elementId: string; elementType?: string; event: string; time: Date }>;
}

export interface Increment {
  id: string;
  grain: Grain;
  period: string;
  dim: Dim;
  key: string;
  inc: Record<string, number>;
}

/** Where a complaint was last counted (targets as `dim|key`: FerretDB stores no nested arrays): what an SLA clock of it is counted against. */
export interface CountedAs { cell: string; targets: string[] }

export interface Contribution {
  increments: Increment[];
  counted: string[];
  load: string[];
  countedAs: CountedAs;
}

/** An SLA clock of the complaint met or breached: counted once per clock on the day it settled. */
export function slaContribution(as: CountedAs, clock: { state: string; targetMs: number; metAt: Date | null; breachedAt: Date | null }): Increment[] {
  const at = clock.state === 'met' ? clock.metAt : clock.breachedAt;
  if (!at || (clock.state !== 'met' && clock.state !== 'breached')) return [];
  const inc = new Increments();
  const targets = as.targets.map((t) => t.split('|') as [Dim, string]);
  inc.both(dayOf(new Date(at)), targets, as.cell, clock.state === 'met' ? 'sm' : 'sb', 1);
  inc.both(dayOf(new Date(at)), targets, as.cell, 'st', clock.targetMs);
  return [...inc.byId.values()];
}

/** Increments keyed by rollup id; paths are `c.<cell>.<counter>` and so on. */
class Increments {
  readonly byId = new Map<string, Increment>();

  add(grain: Grain, period: string, dim: Dim, key: string, path: string, amount: number) {
    if (amount === 0) return;
    const id = rollupId(grain, period, dim, pathKey(key));
    const held = this.byId.get(id) ?? { id, grain, period, dim, key: pathKey(key), inc: {} };
    held.inc[path] = (held.inc[path] ?? 0) + amount;
    this.byId.set(id, held);
  }

  /** Day and month grains of `day`. */
  both(day: string, targets: ReadonlyArray<[Dim, string]>, cell: string, counter: string, amount: number) {
    for (const [dim, key] of targets) {
      this.add('day', day, dim, key, `c.${cell}.${counter}`, amount);
      this.add('month', monthOf(day), dim, key, `c.${cell}.${counter}`, amount);
    }
  }
}

const loadKey = (dim: Dim, key: string, cell: string) => `${dim}|${pathKey(key)}|${cell}`;

export function contribute(c: ComplaintView, counted: readonly string[], load: readonly string[], milestones: readonly Milestone[], ctx: MilestoneContext): Contribution {
  const inc = new Increments();
  const cell = cellKey(c.category, ctx.region);
  let held = [...load];
  const departments: Array<[Dim, string]> = c.departments.map((d) => ['department', d]);
  const people: Array<[Dim, string]> = c.engineer ? [['engineer', c.engineer], ...(ctx.outlet ? [['outlet', ctx.outlet] as [Dim, string]] : [])] : [];
  const everyone: Array<[Dim, string]> = [['all', 'all'], ...departments, ...people];
  const hold = (dim: Dim, key: string) => {
    const k = loadKey(dim, key, cell);
    if (held.includes(k)) return;
    held.push(k);
    inc.add('now', '', dim, key, `c.${cell}.open`, 1);
  };
  const release = (keep: (k: string) => boolean) => {
    for (const k of held.filter((x) => !keep(x))) {
      const [dim, key, heldCell] = k.split('|') as [Dim, string, string];
      inc.add('now', '', dim, key, `c.${heldCell}.open`, -1);
    }
    held = held.filter(keep);
  };
  const today = dayOf(ctx.now);

  for (const m of milestones) {
    if (m.kind === 'intake') {
      inc.both(dayOf(c.createdAt), [['all', 'all']], cell, 'in', 1);
      if (c.status !== 'closed') hold('all', 'all');
    } else if (m.kind === 'department') {
      inc.both(dayOf(c.createdAt), [['department', m.department]], cell, 'in', 1);
      if (c.status !== 'closed') hold('department', m.department);
    } else if (m.kind === 'departmentLeft') {
      inc.both(dayOf(c.createdAt), [['department', m.department]], cell, 'in', -1);
      const prefix = `department|${pathKey(m.department)}|`;
      release((k) => !k.startsWith(prefix));
    } else if (m.kind === 'assign') {
      const outletTargets: Array<[Dim, string]> = [['engineer', m.engineer], ...(ctx.outlet ? [['outlet', ctx.outlet] as [Dim, string]] : [])];
      inc.both(today, outletTargets, cell, 'in', 1);
      release((k) => !k.startsWith('engineer|') && !k.startsWith('outlet|'));
      if (c.status !== 'closed') outletTargets.forEach(([d, k]) => hold(d, k));
    } else if (m.kind === 'closed') {
      inc.both(today, everyone, cell, 'cl', 1);
      release(() => false);
      const steps = new Map<string, number[]>();
      for (const t of ctx.tasks) {
        if (t.state !== 'completed' || !t.closedAt) continue;
        steps.set(pathKey(t.elementId), [...(steps.get(pathKey(t.elementId)) ?? []), t.closedAt.getTime() - new Date(t.createdAt).getTime()]);
      }
      steps.set('total', [ctx.now.getTime() - c.createdAt.getTime()]);
      for (const [step, durations] of steps) {
        for (const ms of durations) {
          inc.both(today, everyone, cell, `h.${step}.${bucketOf(ms)}`, 1);
          inc.both(today, everyone, cell, `hs.${step}`, Math.max(0, Math.round(ms)));
        }
      }
    } else {
      const e = m.evaluation;
      const low = e.stars <= LOW_STARS;
      const day = dayOf(new Date(e.at));
      const spent = Math.max(0, new Date(e.at).getTime() - c.createdAt.getTime());
      const score = (targets: ReadonlyArray<[Dim, string]>, ms: number) => {
        inc.both(day, targets, cell, 'e', 1);
        inc.both(day, targets, cell, 'es', e.stars);
        inc.both(day, targets, cell, 'ms', Math.round(ms));
        if (!low) return;
        inc.both(day, targets, cell, 'lo', 1);
        inc.both(day, targets, cell, 'mslo', Math.round(ms));
        for (const tag of new Set(e.tags)) inc.both(day, targets, cell, `tg.${pathKey(tag)}`, 1);
      };
      score(everyone, spent);
      if (ctx.definitionKey) {
        const perElement = new Map<string, number>();
        for (const step of elementTimes(ctx.events, new Date(e.at))) perElement.set(step.elementId, (perElement.get(step.elementId) ?? 0) + step.ms);
        for (const [elementId, ms] of perElement) score([['element', `${ctx.definitionKey}:${elementId}`]], ms);
      }
    }
  }
  const nowCounted = new Set(counted);
  for (const m of milestones) {
    if (m.kind === 'departmentLeft') nowCounted.delete(milestoneKey(m));
    else nowCounted.add(milestoneKey(m));
  }
  return { increments: [...inc.byId.values()], counted: [...nowCounted], load: held, countedAs: { cell, targets: everyone.map(([d, k]) => `${d}|${k}`) } };
}

/**
 * Time spent per element from an instance's element events, up to `until` (the evaluation):
 * each activation paired with the next completion or termination of the same element (in
 * event order); an element still active at `until` counts until then; later activations are
 * not on the path yet.
 */
export function elementTimes(events: ReadonlyArray<{ elementId: string; elementType?: string; event: string; time: Date }>, until?: Date): Array<{ elementId: string; ms: number }> {
  const end = until ? until.getTime() : Number.POSITIVE_INFINITY;
  const open = new Map<string, number[]>();
  const out: Array<{ elementId: string; ms: number }> = [];
  for (const ev of events) {
    if (ev.elementType === 'process' || ev.elementType === 'bpmn:Process') continue;
    const t = new Date(ev.time).getTime();
    if (t > end) continue;
    if (ev.event === 'activated') open.set(ev.elementId, [...(open.get(ev.elementId) ?? []), t]);
    else if (ev.event === 'completed' || ev.event === 'terminated') {
      const started = open.get(ev.elementId)?.shift();
      if (started !== undefined) out.push({ elementId: ev.elementId, ms: Math.max(0, t - started) });
    }
  }
  if (Number.isFinite(end)) for (const [elementId, starts] of open) for (const t of starts) out.push({ elementId, ms: Math.max(0, end - t) });
  return out;
}
