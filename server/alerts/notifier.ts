/**
 * Alerts for operations: each new incident and each new SLA breach becomes a short message
 * to one configured channel (a webhook or a WeCom/DingTalk/Feishu group robot), sent through
 * the same channel code as the `notify.*` integrations (activities/notifications).
 *
 * It never blocks or fails the projection write that reports the event: `incident` and
 * `onBreach` only enqueue. One sender works the queue in order; a failure is retried with
 * exponential backoff (a robot's rate limit waits as long as the robot asks, capped), a
 * permanent failure (refused key, 4xx) is logged and dropped, and a full queue drops the new
 * alert with a warning. Logs carry the alert's key and the failure type, never the URL.
 */
import { integrationDeps } from '../../activities/catalog/deps';
import { PermanentError, TransientError } from '../../activities/catalog/errors';
import type { Notification, NotificationChannel } from '../../activities/notifications/channel';
import { dingtalkChannel } from '../../activities/notifications/dingtalk';
import { feishuChannel } from '../../activities/notifications/feishu';
import { webhookChannel } from '../../activities/notifications/webhook';
import { wecomChannel } from '../../activities/notifications/wecom';
import type { Logger } from '../log';
import type { SlaBreachRecord } from '../projections/slaModels';
import type { ProjectionObserver } from '../projections/writer';
import { breachMessage, incidentMessage, type IncidentAlert } from './messages';

export const ALERT_CHANNELS = ['webhook', 'wecom', 'dingtalk', 'feishu'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

export interface AlertSettings {
  channel: AlertChannel;
  /** The webhook or robot address (ALERT_WEBHOOK_URL); its host is the only one alerts reach. */
  url: string;
  /** ALERT_SECRET: signs webhook bodies (x-signature-256) or robot requests. */
  secret?: string | undefined;
  queueMax?: number;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
}

export interface AlertNotifier {
  /** Enqueues an alert for a newly raised incident. */
  incident(alert: IncidentAlert): void;
  /** Enqueues an alert for a new SLA breach (the breach record's write path calls this once). */
  onBreach(record: SlaBreachRecord): void;
  /** Incidents of the projection writer, as one of its observers. */
  observer: ProjectionObserver;
  /** Resolves when the queue is empty, or after `maxMs` (shutdown) at the latest. */
  drain(maxMs?: number): Promise<void>;
  stats(): { queued: number; sent: number; failed: number; dropped: number };
  /** Stops sending: the queue is discarded, a delivery in flight is aborted. */
  stop(): void;
}

const CHANNELS: Record<AlertChannel, NotificationChannel<{ credential: string }>> = {
  webhook: webhookChannel,
  wecom: wecomChannel,
  dingtalk: dingtalkChannel,
  feishu: feishuChannel,
};
const CREDENTIAL = 'alerts';
const RECENT_KEYS = 1000;

interface Alert { key: string; message: Notification }

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    resolve();
  }, { once: true });
});

export function createAlertNotifier(settings: AlertSettings, log: Logger, fetchImpl?: typeof globalThis.fetch): AlertNotifier {
  const queueMax = settings.queueMax ?? 1000;
  const maxAttempts = settings.maxAttempts ?? 6;
  const baseDelayMs = settings.baseDelayMs ?? 1000;
  const maxDelayMs = settings.maxDelayMs ?? 5 * 60_000;
  const channel = CHANNELS[settings.channel];
  const url = new URL(settings.url);
  const fields = { url: settings.url, ...(settings.secret ? { secret: settings.secret } : {}) };
  const deps = integrationDeps({
    allowedHosts: [url.host],
    credentials: { get: (name) => (name === CREDENTIAL ? fields : undefined) },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  const stopping = new AbortController();
  const queue: Alert[] = [];
  const recent = new Set<string>();
  const counts = { sent: 0, failed: 0, dropped: 0 };
  let pumping: Promise<void> | undefined;

  const send = async (alert: Alert) => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        await channel.send(alert.message, {
          target: { credential: CREDENTIAL },
          timeoutMs: settings.timeoutMs ?? 10_000,
          idempotencyKey: alert.key,
          headers: {},
          signal: stopping.signal,
          log: () => undefined,
          deps,
        });
        counts.sent += 1;
        return;
      } catch (err) {
        const type = err instanceof PermanentError || err instanceof TransientError ? err.type : 'Error';
        if (err instanceof PermanentError || attempt >= maxAttempts) {
          counts.failed += 1;
          log.error({ alert: alert.key, type, attempts: attempt }, 'alert not delivered');
          return;
        }
        const asked = err instanceof TransientError ? err.options.retryAfterMs : undefined;
        const delay = Math.min(maxDelayMs, asked ?? baseDelayMs * 2 ** (attempt - 1));
        log.warn({ alert: alert.key, type, attempt, retryInMs: delay }, 'alert delivery failed; retrying');
        await sleep(delay, stopping.signal);
      }
    }
  };

  const pump = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await send(next);
  };

  const enqueue = (alert: Alert) => {
    if (stopping.signal.aborted || recent.has(alert.key)) return;
    recent.add(alert.key);
    if (recent.size > RECENT_KEYS) recent.delete(recent.values().next().value as string);
    if (queue.length >= queueMax) {
      counts.dropped += 1;
      log.warn({ alert: alert.key, queueMax }, 'alert queue full; alert dropped');
      return;
    }
    queue.push(alert);
    pumping ??= pump()
      .catch((err: unknown) => log.error({ err }, 'alert sender failed'))
      .finally(() => {
        pumping = undefined;
      });
  };

  const incident = (a: IncidentAlert) => enqueue({ key: `incident:${a.instanceId}:${a.incidentId}`, message: incidentMessage(a) });
  const nothing = () => undefined;
  return {
    incident,
    onBreach: (r) => enqueue({ key: `sla-breach:${r._id}`, message: breachMessage(r) }),
    observer: {
      instanceStarted: nothing,
      instanceEnded: nothing,
      taskOpened: nothing,
      taskCompleted: nothing,
      incidentRaised: (process, _type, i) => incident({ ...i, definitionKey: process }),
    },
    async drain(maxMs) {
      const empty = (async () => {
        while (pumping) await pumping;
      })();
      if (maxMs === undefined) return empty;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([empty, new Promise<void>((resolve) => { timer = setTimeout(resolve, maxMs); })]);
      clearTimeout(timer);
    },
    stats: () => ({ queued: queue.length, ...counts }),
    stop() {
      queue.length = 0;
      stopping.abort();
    },
  };
}
