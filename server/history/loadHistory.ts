/**
 * Reads a workflow history downloaded from any Temporal into the SDK's form, for replay
 * (`npm run replay -- FILE`, decision 0027). Accepted:
 *
 * - the Temporal CLI's `temporal workflow show --output json` (protojson: timestamps as RFC 3339
 *   strings, durations as `"10s"`, int64 as strings, enums by full name);
 * - the Temporal Web UI's download (the same, or with shorthand enums such as
 *   `"WorkflowExecutionStarted"`, and in older UIs each event's attributes under `attributes`
 *   with their field name in `attributes.type`);
 * - protobufjs's JSON object form, as tests/replay/histories holds (timestamps as
 *   `{ seconds, nanos }`);
 * - a bare array of events, snake_case field names, payloads whose `data` is plain JSON.
 *
 * The SDK's `historyFromJSON` refuses the CLI's file as is (its timestamps and durations are
 * strings); this walks the message types of @temporalio/proto and turns every such value into
 * the object protobufjs expects, so no field list has to be kept by hand.
 */
import fs from 'node:fs';
import { temporal } from '@temporalio/proto';

/** What this needs of protobufjs's reflection (kept structural: protobufjs is not our dependency). */
interface ReflectEnum { values: Record<string, number> }
interface ReflectType { fullName: string; fields: Record<string, ReflectField> }
interface ReflectField { name: string; repeated: boolean; map: boolean; resolve(): ReflectField; resolvedType: ReflectType | ReflectEnum | null }

export class HistoryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryFileError';
  }
}

const HistoryMessage = temporal.api.history.v1.History;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const isEnum = (t: ReflectType | ReflectEnum): t is ReflectEnum => 'values' in t && !('fields' in t);

/** `2026-12-05T11:22:53.216254101Z` → `{ seconds, nanos }` (nanosecond precision kept). */
function timestamp(text: string): { seconds: string; nanos: number } {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  const ms = match ? Date.parse(`${match[1]}${match[3]}`) : NaN;
  if (!match || Number.isNaN(ms)) throw new HistoryFileError(`not an RFC 3339 time: '${text}'`);
  return { seconds: String(Math.floor(ms / 1000)), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

/** `"3600s"`, `"0.5s"`, `"-1.25s"` → `{ seconds, nanos }`. */
function duration(text: string): { seconds: string; nanos: number } {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!match) throw new HistoryFileError(`not a protobuf duration: '${text}'`);
  const sign = match[1] ? -1 : 1;
  return { seconds: String(sign * Number(match[2])), nanos: sign * Number((match[3] ?? '').padEnd(9, '0')) };
}

/** A full enum name, from a full one, a number or a shorthand (`WorkflowExecutionStarted`). */
function enumValue(value: unknown, type: ReflectEnum): unknown {
  if (typeof value !== 'string' || value in type.values) return value;
  const names = Object.keys(type.values);
  const prefix = (names.find((n) => n.endsWith('_UNSPECIFIED')) ?? '').replace(/UNSPECIFIED$/, '');
  const full = `${prefix}${value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
  if (full in type.values) return full;
  throw new HistoryFileError(`unknown enum value '${value}' (expected one of ${names.slice(0, 4).join(', ')}, …)`);
}

const PLAIN_METADATA = /^[a-z]+\/[a-z0-9.+-]+$/i;
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A payload whose metadata or data a UI decoded for display, encoded back. */
function payload(value: Record<string, unknown>): Record<string, unknown> {
  const metadata = isObject(value.metadata)
    ? Object.fromEntries(Object.entries(value.metadata).map(([k, v]) => [k, typeof v === 'string' && PLAIN_METADATA.test(v) ? base64(v) : v]))
    : value.metadata;
  const data = value.data === undefined || typeof value.data === 'string' ? value.data : base64(JSON.stringify(value.data));
  return { ...value, metadata, data };
}

function normalise(value: unknown, type: ReflectType): unknown {
  if (type.fullName === '.google.protobuf.Timestamp' && typeof value === 'string') return timestamp(value);
  if (type.fullName === '.google.protobuf.Duration' && typeof value === 'string') return duration(value);
  if (!isObject(value)) return value;
  const source = type.fullName === '.temporal.api.common.v1.Payload' ? payload(value) : value;
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(source)) {
    const field = type.fields[key] ?? type.fields[camel(key)];
    if (!field) continue; // display-only additions of a UI (ids, names, categories)
    const resolved = field.resolve().resolvedType;
    const convert = (v: unknown) => (resolved === null ? v : isEnum(resolved) ? enumValue(v, resolved) : normalise(v, resolved));
    out[field.name] = field.map && isObject(raw)
      ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, convert(v)]))
      : field.repeated && Array.isArray(raw) ? raw.map(convert) : convert(raw);
  }
  return out;
}

/** Older Web UI downloads: `{ …, attributes: { type: 'workflowExecutionStartedEventAttributes', … } }`. */
function unflattenEvent(event: unknown): unknown {
  if (!isObject(event) || !isObject(event.attributes) || typeof event.attributes.type !== 'string') return event;
  const { attributes, ...rest } = event;
  const { type, ...fields } = attributes as Record<string, unknown> & { type: string };
  return { ...rest, [type]: fields };
}

/** Parses a downloaded history (see the file comment) into the SDK's `IHistory`. */
export function historyFromDownload(json: unknown): temporal.api.history.v1.IHistory {
  const events = Array.isArray(json) ? json : isObject(json) && Array.isArray(json.events) ? json.events
    : isObject(json) && isObject(json.history) && Array.isArray(json.history.events) ? json.history.events : undefined;
  if (!events) throw new HistoryFileError('no events: expected { "events": [...] } (temporal workflow show --output json, or the Web UI download)');
  if (events.length === 0) throw new HistoryFileError('the history has no events');
  const object = normalise({ events: events.map(unflattenEvent) }, HistoryMessage as unknown as ReflectType);
  const history = HistoryMessage.fromObject(object as Record<string, unknown>);
  const first = history.events?.[0];
  if (!first?.workflowExecutionStartedEventAttributes) throw new HistoryFileError('the first event is not WorkflowExecutionStarted');
  return history;
}

export function readHistoryFile(file: string): temporal.api.history.v1.IHistory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new HistoryFileError(`${file}: ${(err as Error).message}`);
  }
  return historyFromDownload(parsed);
}
