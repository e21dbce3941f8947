/**
 * The start events of the latest version of each process key that something outside an
 * instance triggers: message start events (a published message starts an instance), signal
 * start events (a broadcast starts one instance of each) and timer start events (the scheduler
 * starts instances). One small document per key (`start_events`),
 * written on deployment, so publishing a message reads this collection instead of every model.
 */
import { Schema, trusted, type Connection, type Model } from 'mongoose';
import { evaluateFeel } from '../../processes/feel';
import type { ProcessModel, TimerDef, ValueOrExpression } from '../../processes/model/types';
import { startEvents } from '../../processes/evaluator';

export interface MessageStart {
  name: string;
  startEventId: string;
}

/** A signal start event: a broadcast of this name starts an instance (decision 0034). */
export interface SignalStart {
  name: string;
  startEventId: string;
}

export interface TimerStart {
  startEventId: string;
  kind: TimerDef['kind'];
  /** The timer value as text (a FEEL value is evaluated once at deployment, as Zeebe does). */
  value: string;
}

export interface StartEventsRecord {
  /** The process key. */
  _id: string;
  /** The definition version these start events belong to (the latest deployed). */
  version: number;
  messages: MessageStart[];
  timers: TimerStart[];
  /** Absent on records written before signal start events existed. */
  signals?: SignalStart[];
  deployedAt: Date;
}

const schema = new Schema<StartEventsRecord>({
  _id: String,
  version: Number,
  messages: [{ _id: false, name: String, startEventId: String }],
  timers: [{ _id: false, startEventId: String, kind: String, value: String }],
  signals: { type: [{ _id: false, name: String, startEventId: String }], default: undefined },
  deployedAt: Date,
}, { versionKey: false });

export function startEventsModel(connection: Connection): Model<StartEventsRecord> {
  return (connection.models.StartEvents as Model<StartEventsRecord>) ??
    connection.model<StartEventsRecord>('StartEvents', schema, 'start_events');
}

/** A static value, or FEEL evaluated without variables (Zeebe evaluates these at deployment). */
function staticText(value: ValueOrExpression): string | null {
  if ('static' in value) return value.static;
  const r = evaluateFeel(value.feel, {});
  if (!r.ok || r.value === null || r.value === undefined) return null;
  if (typeof r.value === 'string') return r.value;
  // FEEL durations and date-times print as ISO 8601.
  return typeof r.value === 'object' || typeof r.value === 'number' ? String(r.value) : null;
}

/** The top-level message and timer start events of a model. */
export function externalStarts(model: ProcessModel): Pick<StartEventsRecord, 'messages' | 'timers'> & { signals: SignalStart[] } {
  const messages: MessageStart[] = [];
  const signals: SignalStart[] = [];
  const timers: TimerStart[] = [];
  for (const start of startEvents(model)) {
    const trigger = start.trigger;
    if (trigger.type === 'message') {
      const name = staticText(trigger.messageName);
      if (name) messages.push({ name, startEventId: start.id });
    } else if (trigger.type === 'signal') {
      const name = staticText(trigger.signalName);
      if (name) signals.push({ name, startEventId: start.id });
    } else if (trigger.type === 'timer') {
      const text = staticText(trigger.timer.value);
      if (text) timers.push({ startEventId: start.id, kind: trigger.timer.kind, value: trigger.timer.kind === 'cycle' && !('static' in trigger.timer.value) && /^P/i.test(text) ? `R/${text}` : text });
    }
  }
  return { messages, timers, signals };
}

export interface StartRegistry {
  /**
   * Records the start events of `version` of `key` unless a newer version's are recorded.
   * Returns true when this version is now the one on record.
   */
  record(key: string, version: number, model: ProcessModel, deployedAt: Date): Promise<boolean>;
  /** The processes with a message start event named `name`. */
  byMessage(name: string): Promise<Array<{ key: string; version: number; startEventId: string }>>;
  /** The processes whose latest version has a signal start event named `name`. */
  bySignal(name: string): Promise<Array<{ key: string; version: number; startEventId: string }>>;
  get(key: string): Promise<StartEventsRecord | null>;
}

export function startRegistry(connection: Connection): StartRegistry {
  const Starts = startEventsModel(connection);
  return {
    async record(key, version, model, deployedAt) {
      const doc = { version, ...externalStarts(model), deployedAt };
      try {
        // Not atomic on FerretDB (query, then write): two deployments of one key racing may
        // leave the older; the next deployment or publish of that key corrects it.
        const res = await Starts.updateOne({ _id: key, version: trusted({ $lt: version }) }, { $set: doc }, { upsert: true }).exec();
        if (res.matchedCount > 0 || res.upsertedCount > 0) return true;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      const current = await Starts.findById(key).lean().exec();
      return current?.version === version;
    },
    async byMessage(name) {
      const docs = await Starts.find({ 'messages.name': name }).lean().exec();
      return docs.flatMap((d) => d.messages.filter((m) => m.name === name).map((m) => ({ key: d._id, version: d.version, startEventId: m.startEventId })));
    },
    async bySignal(name) {
      const docs = await Starts.find({ 'signals.name': name }).lean().exec();
      return docs.flatMap((d) => (d.signals ?? []).filter((m) => m.name === name).map((m) => ({ key: d._id, version: d.version, startEventId: m.startEventId })));
    },
    get: (key) => Starts.findById(key).lean().exec(),
  };
}
