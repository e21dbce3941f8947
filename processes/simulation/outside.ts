/**
 * The world outside the evaluator, simulated: each command of a step is answered as the
 * recorded history says — a job completes (or throws to an error boundary by its share), a
 * user task or child completes, a message arrives after a sampled duration, a timer fires at
 * its due time, an event-based gateway's drawn event happens — and the element and
 * department tallies follow the element history and the tasks.
 */
import type { Command, Stimulus } from '../evaluator/types';
import { sample, schedule, type Context, type Sim } from './context';

function onJob(ctx: Context, sim: Sim, index: number, now: number, c: Extract<Command, { type: 'executeJob' }>): void {
  // SLA notifications are fire and forget: the evaluator accepts no completion for them.
  if (c.key.startsWith('sla:')) return;
  const at = now + sample(ctx, c.elementId);
  let u = ctx.random.next();
  for (const boundary of ctx.errorBoundaries.get(c.elementId) ?? []) {
    u -= ctx.steering.share(boundary.id);
    if (u < 0) {
      schedule(ctx, sim, index, at, { type: 'jobThrewError', key: c.key, errorCode: boundary.errorCode, time: at }, c.key);
      return;
    }
  }
  schedule(ctx, sim, index, at, { type: 'jobCompleted', key: c.key, time: at }, c.key);
}

type Subscription = Extract<Command, { type: 'openMessageSubscription' }>;

/** A simulated message, with the variables its element's output mappings read (messagePayloads.ts). */
function message(ctx: Context, sub: Subscription, at: number): Stimulus {
  return ctx.payloads.message(sub, at, ctx.random);
}

function onSubscription(ctx: Context, sim: Sim, index: number, now: number, sub: Subscription): void {
  const element = ctx.byId.get(sub.elementId);
  if (!element) return;
  if (element.kind === 'boundaryEvent' || element.kind === 'startEvent') {
    if (ctx.random.next() >= ctx.steering.share(element.id)) return;
    const span = element.kind === 'boundaryEvent' ? sample(ctx, element.attachedToId) : ctx.defaults.waitMs;
    const at = now + ctx.random.next() * span;
    schedule(ctx, sim, index, at, message(ctx, sub, at), sub.key);
    return;
  }
  const at = now + sample(ctx, sub.elementId);
  schedule(ctx, sim, index, at, message(ctx, sub, at), sub.key);
}

/** An event-based gateway's subscriptions and timers: the drawn event happens, the others are left to the timers. */
function onEventGateway(ctx: Context, sim: Sim, index: number, now: number, gatewayId: string, subs: Subscription[], timerDue: number | null): void {
  const chosen = ctx.steering.eventChoice(gatewayId, ctx.random);
  const sub = subs.find((s) => s.elementId === chosen);
  if (!sub) return;
  let at = now + sample(ctx, gatewayId);
  if (timerDue !== null) at = Math.max(now, Math.min(at, timerDue - 1));
  schedule(ctx, sim, index, at, message(ctx, sub, at), sub.key);
}

export function handle(ctx: Context, sim: Sim, index: number, now: number, commands: Command[]): void {
  const gateways = new Map<string, { subs: Subscription[]; timerDue: number | null }>();
  const gatewayEntry = (id: string) => {
    let g = gateways.get(id);
    if (!g) gateways.set(id, (g = { subs: [], timerDue: null }));
    return g;
  };
  for (const c of commands) {
    switch (c.type) {
      case 'elementActivated':
        if (c.elementId === ctx.model.id) break;
        ctx.elements.activated(c.elementId);
        sim.open.set(c.key, { elementId: c.elementId, at: c.time, breached: false });
        break;
      case 'elementCompleted':
      case 'elementTerminated': {
        const open = sim.open.get(c.key);
        if (!open) break;
        sim.open.delete(c.key);
        ctx.elements.ended(open.elementId, c.type === 'elementCompleted' ? c.time - open.at : null, open.breached);
        break;
      }
      case 'executeJob':
        onJob(ctx, sim, index, now, c);
        break;
      case 'startTimer': {
        schedule(ctx, sim, index, Math.max(now, c.dueAt), { type: 'timerFired', key: c.key, time: c.dueAt }, c.key);
        const gw = ctx.gatewayOf.get(c.elementId);
        if (gw) {
          const g = gatewayEntry(gw);
          g.timerDue = g.timerDue === null ? c.dueAt : Math.min(g.timerDue, c.dueAt);
        }
        break;
      }
      case 'openUserTask': {
        const at = now + sample(ctx, c.elementId);
        schedule(ctx, sim, index, at, { type: 'userTaskCompleted', key: c.key, time: at }, c.key);
        const groups = c.candidateGroups.length > 0 ? c.candidateGroups : ['(no group)'];
        sim.tasks.set(c.key, { groups, at: now });
        ctx.departments.opened(groups, now);
        break;
      }
      case 'closeUserTask': {
        sim.live.delete(c.key);
        const task = sim.tasks.get(c.key);
        if (!task) break;
        sim.tasks.delete(c.key);
        ctx.departments.closed(task.groups, task.at, now);
        break;
      }
      case 'reassignTasks':
        if (c.group === null) break;
        for (const key of c.taskKeys) {
          const task = sim.tasks.get(key);
          if (!task) continue;
          ctx.departments.closed(task.groups, task.at, now);
          task.groups = [c.group];
          task.at = now;
          ctx.departments.opened(task.groups, now);
        }
        break;
      case 'openMessageSubscription': {
        const gw = ctx.gatewayOf.get(c.elementId);
        if (gw) gatewayEntry(gw).subs.push(c);
        else onSubscription(ctx, sim, index, now, c);
        break;
      }
      case 'startChildProcess': {
        const at = now + sample(ctx, c.elementId);
        schedule(ctx, sim, index, at, { type: 'childCompleted', key: c.key, time: at }, c.key);
        break;
      }
      case 'cancelJob':
      case 'cancelTimer':
      case 'closeMessageSubscription':
      case 'cancelChildProcess':
        sim.live.delete(c.key);
        break;
      case 'raiseIncident':
        ctx.elements.incident(c.incident.elementId, c.incident.message);
        break;
      case 'processCompleted':
      case 'processTerminated':
        sim.done = true;
        break;
      default:
        break;
    }
  }
  for (const [gatewayId, g] of gateways) onEventGateway(ctx, sim, index, now, gatewayId, g.subs, g.timerDue);
}
