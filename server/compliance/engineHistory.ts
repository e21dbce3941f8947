/**
 * The engine's own history of an instance: every event of every run (continue-as-new chains
 * followed back) as Temporal recorded it, with its type, time and attributes. Payloads are
 * encrypted by the service's codec (decision 0023); for roles allowed to read them they are
 * decrypted and converted to JSON values, for everyone else each shows as
 * `{ encrypted: true }`. The `completeTask` updates carry the form data of each task.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export interface EngineEvent { id: string; time: string | null; type: string; attributes: unknown }
export interface EngineHistory { instanceId: string; decrypted: boolean; runs: number; events: EngineEvent[]; truncated: boolean }
export interface TaskFormData { instanceId: string; taskKey: string; variables: unknown; at: string | null }

const MAX_RUNS = 50;
const MAX_EVENTS = 5000;

const isPayload = (v: unknown): v is Payload => typeof v === 'object' && v !== null && 'metadata' in v && 'data' in v
  && typeof (v as { metadata?: unknown }).metadata === 'object' && (v as { data?: unknown }).data instanceof Uint8Array;

const eventType = (n: unknown) => (typeof n === 'number' ? temporal.api.enums.v1.EventType[n] ?? String(n) : String(n)).replace(/^EVENT_TYPE_/, '');

function timeOf(t: unknown): string | null {
  const ts = t as { seconds?: { toNumber?: () => number } | number | null; nanos?: number | null } | null | undefined;
  if (!ts || ts.seconds === null || ts.seconds === undefined) return null;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber?.() ?? 0;
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

export function engineHistoryReader(client: Client, codec: PayloadCodec | undefined) {
  async function plain(value: unknown, decrypt: boolean): Promise<unknown> {
    if (value === null || value === undefined) return value;
    if (isPayload(value)) {
      const encoding = Buffer.from(value.metadata?.encoding ?? new Uint8Array()).toString();
      if (encoding === 'binary/encrypted' && (!decrypt || !codec)) return { encrypted: true };
      try {
        const [decoded] = encoding === 'binary/encrypted' && codec ? await codec.decode([value]) : [value];
        return defaultPayloadConverter.fromPayload(decoded!);
      } catch {
        return { undecodable: true };
      }
    }
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    if (typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function' && 'low' in value) return String(value);
    if (Array.isArray(value)) return Promise.all(value.map((v) => plain(v, decrypt)));
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === null || v === undefined) continue;
        out[k] = k === 'eventTime' || k.endsWith('Time') ? timeOf(v) ?? await plain(v, decrypt) : await plain(v, decrypt);
      }
      return out;
    }
    return value;
  }

  async function read(instanceId: string, decrypt: boolean): Promise<EngineHistory> {
    const runs: temporal.api.history.v1.IHistory[] = [];
    let runId: string | undefined;
    for (let i = 0; i < MAX_RUNS; i += 1) {
      const history = await client.workflow.getHandle(instanceId, runId).fetchHistory();
      runs.unshift(history);
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
      if (!runId) break;
    }
    const events: EngineEvent[] = [];
    let truncated = false;
    for (const run of runs) {
      for (const e of run.events ?? []) {
        if (events.length >= MAX_EVENTS) { truncated = true; break; }
        const attributesKey = Object.keys(e).find((k) => k.endsWith('Attributes') && (e as Record<string, unknown>)[k]);
        events.push({
          id: String(e.eventId ?? ''), time: timeOf(e.eventTime), type: eventType(e.eventType),
          attributes: attributesKey ? await plain((e as Record<string, unknown>)[attributesKey], decrypt) : null,
        });
      }
    }
    return { instanceId, decrypted: decrypt && codec !== undefined, runs: runs.length, events, truncated };
  }

  return {
    read,
    /** The form data of each completed task: the arguments of the engine's accepted `completeTask` updates. */
    formData(history: EngineHistory): TaskFormData[] {
      const out: TaskFormData[] = [];
      for (const e of history.events) {
        if (e.type !== 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED') continue;
        const input = (e.attributes as { acceptedRequest?: { input?: { name?: string; args?: { payloads?: unknown[] } } } } | null)?.acceptedRequest?.input;
        if (input?.name !== 'completeTask') continue;
        const arg = input.args?.payloads?.[0] as { taskKey?: string; variables?: unknown } | undefined;
        out.push({ instanceId: history.instanceId, taskKey: typeof arg?.taskKey === 'string' ? arg.taskKey : '(encrypted)', variables: arg?.variables ?? (arg ?? null), at: e.time });
      }
      return out;
    },
  };
}

export type EngineHistoryReader = ReturnType<typeof engineHistoryReader>;
