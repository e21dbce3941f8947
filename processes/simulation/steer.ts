/**
 * Branch shares (decision 0042). The draft's gateway conditions read variables the synthetic
 * complaints do not have (a classifier's output, a customer's stars), so the simulator does
 * not evaluate them: it rewrites each condition of an exclusive or inclusive gateway's
 * outgoing flow into a test of a steering variable `_sim`, and before every step it draws a
 * fresh `_sim` from the recorded shares. Everything else (joins, timers, SLA clocks, mappings)
 * runs through the evaluator unchanged.
 *
 * - exclusive gateway `g`: one outgoing flow is drawn with the weights of its recorded counts
 *   (uniform when the gateway has none); each non-default flow k gets `_sim.g<i> = k`, so the
 *   drawn flow, or the default flow, is the only one that matches;
 * - inclusive gateway: each non-default flow is taken with the recorded probability
 *   (its count / the gateway's activations; 0.5 without history), `_sim.f<j>`; when none is
 *   drawn the default flow is taken, or the likeliest flow when there is no default;
 * - event-based gateway: a target event is drawn with the recorded weights (eventChoice);
 * - boundary and event-subprocess events: taken with share = their activations / the
 *   attached activity's (or the process's) activations (boundaryShare).
 */
import type { ProcessModel } from '../model/types';
import type { Random } from './random';
import type { HistoryProfile } from './types';

interface ExclusiveChoice { kind: 'exclusive'; name: string; weights: number[] }
interface InclusiveChoice { kind: 'inclusive'; flows: Array<{ name: string; p: number }>; fallback: string | null }

export interface Steering {
  /** The model with the gateways' conditions rewritten. */
  model: ProcessModel;
  /** A fresh `_sim` value: one draw for every steered gateway. */
  draw(random: Random): Record<string, number | boolean>;
  /** The target element chosen at an event-based gateway. */
  eventChoice(gatewayId: string, random: Random): string | null;
  /** Probability that a boundary event (or event-subprocess start) happens. */
  share(elementId: string): number;
  /** Elements whose branch share had no history (uniform / default shares used). */
  estimated: string[];
}

export const STEERING_VARIABLE = '_sim';

function pickWeighted(weights: readonly number[], random: Random): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

export function steer(model: ProcessModel, profile: HistoryProfile): Steering {
  const flowCount = new Map(profile.flows.map((f) => [f.flowId, f.count]));
  const activations = new Map(profile.activations.map((a) => [a.elementId, a.count]));
  const flowIndex = new Map(model.flows.map((f, j) => [f.id, j]));
  const conditions = new Map<string, string | undefined>();
  const choices: Array<ExclusiveChoice | InclusiveChoice> = [];
  const eventChoices = new Map<string, { targets: string[]; weights: number[] }>();
  const estimated: string[] = [];
  const byId = new Map(model.elements.map((e) => [e.id, e]));

  model.elements.forEach((element, i) => {
    if (element.kind !== 'exclusiveGateway' && element.kind !== 'inclusiveGateway' && element.kind !== 'eventBasedGateway') return;
    const outgoing = element.outgoing;
    if (outgoing.length < 2) return;
    const counts = outgoing.map((id) => flowCount.get(id) ?? 0);
    const known = counts.some((c) => c > 0);
    if (!known) estimated.push(element.id);
    if (element.kind === 'eventBasedGateway') {
      const targets = outgoing.map((id) => model.flows[flowIndex.get(id)!]!.targetId);
      eventChoices.set(element.id, { targets, weights: known ? counts : counts.map(() => 1) });
      return;
    }
    if (element.kind === 'exclusiveGateway') {
      const name = `g${i}`;
      choices.push({ kind: 'exclusive', name, weights: known ? counts : counts.map(() => 1) });
      outgoing.forEach((flowId, k) => {
        conditions.set(flowId, flowId === element.defaultFlowId ? undefined : `${STEERING_VARIABLE}.${name} = ${k}`);
      });
      return;
    }
    const passes = Math.max(activations.get(element.id) ?? 0, 1);
    const flows: InclusiveChoice['flows'] = [];
    let likeliest: { name: string; p: number } | null = null;
    for (const [k, flowId] of outgoing.entries()) {
      if (flowId === element.defaultFlowId) continue;
      const name = `f${flowIndex.get(flowId)!}`;
      const p = known ? Math.min(1, counts[k]! / passes) : 0.5;
      flows.push({ name, p });
      if (!likeliest || p > likeliest.p) likeliest = { name, p };
      conditions.set(flowId, `${STEERING_VARIABLE}.${name}`);
    }
    choices.push({ kind: 'inclusive', flows, fallback: element.defaultFlowId ? null : (likeliest?.name ?? null) });
  });

  const steered: ProcessModel = {
    ...model,
    flows: model.flows.map((f) => {
      if (!conditions.has(f.id)) return f;
      const condition = conditions.get(f.id);
      const { condition: _old, ...rest } = f;
      return condition === undefined ? rest : { ...rest, condition };
    }),
  };

  const shares = new Map<string, number>();
  const processActivations = activations.get(model.id) ?? profile.instances;
  for (const element of model.elements) {
    const isBoundary = element.kind === 'boundaryEvent';
    const isSubStart = element.kind === 'startEvent' && element.parentId !== null && byId.get(element.parentId)?.kind === 'eventSubProcess';
    if (!isBoundary && !isSubStart) continue;
    const own = activations.get(element.id);
    const base = isBoundary ? activations.get(element.attachedToId) : processActivations;
    if (own === undefined || !base) {
      estimated.push(element.id);
      shares.set(element.id, 0);
    } else {
      shares.set(element.id, Math.min(1, own / base));
    }
  }

  return {
    model: steered,
    estimated,
    draw(random) {
      const values: Record<string, number | boolean> = {};
      for (const choice of choices) {
        if (choice.kind === 'exclusive') {
          values[choice.name] = pickWeighted(choice.weights, random);
          continue;
        }
        let any = false;
        for (const flow of choice.flows) {
          const taken = random.next() < flow.p;
          values[flow.name] = taken;
          any ||= taken;
        }
        if (!any && choice.fallback) values[choice.fallback] = true;
      }
      return values;
    },
    eventChoice(gatewayId, random) {
      const choice = eventChoices.get(gatewayId);
      if (!choice) return null;
      return choice.targets[pickWeighted(choice.weights, random)] ?? null;
    },
    share: (elementId) => shares.get(elementId) ?? 0,
  };
}
