/**
 * The variables a simulated message carries. The real engine hands a message's variables to
 * the element it triggers (an event subprocess's start, a catch or boundary event, a receive
 * task): its output mappings read them (`=department` -> `broughtIn`), and what follows reads
 * those (a task's candidate group). A message without them sends the simulated instance down
 * the same path with nulls: a task for group `null`, a warning or an incident.
 *
 * Which names a message carries: the simple names its element's output mappings read. Their
 * values, per drawn message: a recorded payload of that element (the server recovers them from
 * the recorded instances' mapped variables, `HistoryProfile.messages`); else the name's value
 * in `defaults.variables`; else a synthetic placeholder `simulated-<name>`, and the element is
 * listed as estimated.
 */
import type { Command, Stimulus, Variables } from '../evaluator/types';
import type { ElementDef, ProcessModel } from '../model/types';
import type { Random } from './random';
import type { HistoryProfile } from './types';

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Elements a message triggers. */
export function isMessageCatch(e: ElementDef): boolean {
  if (e.kind === 'receiveTask') return true;
  return (e.kind === 'startEvent' || e.kind === 'intermediateCatchEvent' || e.kind === 'boundaryEvent') && e.trigger.type === 'message';
}

/** The message variable names `e`'s output mappings read, with the variable each is mapped to. */
export function payloadNames(e: ElementDef): Array<{ name: string; target: string }> {
  if (!isMessageCatch(e)) return [];
  const out: Array<{ name: string; target: string }> = [];
  for (const m of e.outputs) {
    const name = m.source.trim();
    if (SIMPLE_NAME.test(name) && !out.some((o) => o.name === name)) out.push({ name, target: m.target });
  }
  return out;
}

export class MessagePayloads {
  private readonly recorded = new Map<string, Variables[]>();
  private readonly synthetic = new Map<string, Variables>();
  /** Message elements whose payload is synthetic (no recorded payload). */
  readonly estimated: string[] = [];

  constructor(model: ProcessModel, profile: HistoryProfile, defaults: Variables) {
    for (const m of profile.messages ?? []) if (m.samples.length > 0) this.recorded.set(m.elementId, m.samples);
    for (const e of model.elements) {
      const names = payloadNames(e);
      if (names.length === 0 || this.recorded.has(e.id)) continue;
      const payload: Variables = {};
      for (const { name } of names) {
        const value = Object.hasOwn(defaults, name) ? defaults[name] : `simulated-${name}`;
        Object.defineProperty(payload, name, { value, enumerable: true, writable: true, configurable: true });
      }
      this.synthetic.set(e.id, payload);
      this.estimated.push(e.id);
    }
  }

  /** The variables of one message to `elementId`; undefined when it carries none (no random draw then). */
  draw(elementId: string, random: Random): Variables | undefined {
    const samples = this.recorded.get(elementId);
    if (samples) return { ...random.pick(samples) };
    const synthetic = this.synthetic.get(elementId);
    return synthetic ? { ...synthetic } : undefined;
  }

  /** The message a subscription receives at `at`, with its drawn variables. */
  message(sub: Extract<Command, { type: 'openMessageSubscription' }>, at: number, random: Random): Stimulus {
    const variables = this.draw(sub.elementId, random);
    return {
      type: 'messageReceived', name: sub.messageName, time: at,
      ...(sub.correlationKey === null ? {} : { correlationKey: sub.correlationKey }),
      ...(variables ? { variables } : {}),
    };
  }
}
