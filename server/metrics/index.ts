/**
 * Prometheus metrics of one service: a registry of its own (never prom-client's global one,
 * so tests can build several stacks in one process), created in wiring and handed to the
 * projection writer, the job activity and the HTTP app. Labels are low-cardinality only:
 * process keys, statuses, incident and task types, HTTP method/route template/status — never
 * instance ids, user ids or variables.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobObserver } from '../../activities/jobContract';
import type { ProjectionObserver } from '../projections/writer';

export const METRICS_PREFIX = 'complaint_bpm_';

export interface Metrics {
  registry: Registry;
  /** Counts instance/task/incident transitions the projection writer detects. */
  projections: ProjectionObserver;
  /** Times every runJob (service task) by task type and outcome. */
  jobs: JobObserver;
  /** Express middleware: http_request_duration_seconds by method, route template and status. */
  http: RequestHandler;
  /** SLA warnings and breaches: the SLA engine's projection writer calls these once per transition it writes. */
  sla: SlaMetrics;
}

/** Counters of SLA clock transitions, labelled by metric and severity (null = `unknown`, not a short word = `other`). */
export interface SlaMetrics {
  warningFired(metric: string, severity: string | null): void;
  breachRecorded(metric: string, severity: string | null): void;
}

/** Where addRoute (and the hand-written routers, through req.route) leave the route template. */
export const ROUTE_TEMPLATE = 'routeTemplate';

/**
 * The route label of a finished request: the OpenAPI template addRoute recorded, else the
 * express route pattern that matched, else `unmatched` (404s must not mint a label per URL).
 */
export function routeLabel(req: Pick<Request, 'baseUrl' | 'route'>, res: Pick<Response, 'locals'>): string {
  const template: unknown = res.locals[ROUTE_TEMPLATE];
  if (typeof template === 'string') return template;
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  return 'unmatched';
}

/** `Authorization: Bearer <token>` equals the scrape token, compared in constant time. */
export function isScrapeToken(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header) return false;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match?.[1]) return false;
  // Hashing first gives equal lengths, so timingSafeEqual leaks neither content nor length.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** A severity as a label: short words only (it comes from process variables), else `other`. */
export function severityLabel(severity: string | null): string {
  if (severity === null) return 'unknown';
  return /^[A-Za-z0-9_-]{1,32}$/.test(severity) ? severity : 'other';
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });
  const name = (n: string) => `${METRICS_PREFIX}${n}`;

  const started = new Counter({ name: name('instances_started_total'), help: 'Process instances started (first projection of the instance)', labelNames: ['process'], registers: [registry] });
  const ended = new Counter({ name: name('instances_completed_total'), help: 'Process instances that ended, by final status (completed, terminated, canceled)', labelNames: ['process', 'status'], registers: [registry] });
  const opened = new Counter({ name: name('tasks_opened_total'), help: 'User tasks opened', labelNames: ['process'], registers: [registry] });
  const completed = new Counter({ name: name('tasks_completed_total'), help: 'User tasks completed (not canceled)', labelNames: ['process'], registers: [registry] });
  const incidents = new Counter({ name: name('incidents_raised_total'), help: 'Incidents raised, by incident type', labelNames: ['process', 'type'], registers: [registry] });
  const slaWarnings = new Counter({ name: name('sla_warnings_total'), help: 'SLA warning thresholds reached, by SLA metric and severity', labelNames: ['metric', 'severity'], registers: [registry] });
  const slaBreaches = new Counter({ name: name('sla_breaches_total'), help: 'SLA clocks breached, by SLA metric and severity', labelNames: ['metric', 'severity'], registers: [registry] });
  const jobs = new Histogram({
    name: name('activity_duration_seconds'),
    help: 'Duration of one runJob attempt (a service task), by task type and outcome',
    labelNames: ['task_type', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const http = new Histogram({
    name: name('http_request_duration_seconds'),
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  return {
    registry,
    projections: {
      instanceStarted: (process) => started.inc({ process }),
      instanceEnded: (process, status) => ended.inc({ process, status }),
      taskOpened: (process) => opened.inc({ process }),
      taskCompleted: (process) => completed.inc({ process }),
      incidentRaised: (process, type) => incidents.inc({ process, type }),
    },
    sla: {
      warningFired: (metric, severity) => slaWarnings.inc({ metric, severity: severityLabel(severity) }),
      breachRecorded: (metric, severity) => slaBreaches.inc({ metric, severity: severityLabel(severity) }),
    },
    jobs: (taskType, outcome, seconds) => jobs.observe({ task_type: taskType, outcome }, seconds),
    http: (req, res, next) => {
      const end = http.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeLabel(req, res), status: String(res.statusCode) }));
      next();
    },
  };
}

/**
 * `audit_seals_waiting{stage}`: complaints of this process whose audit seal waits for the quiet
 * spell after a write (`quiet`), waits in line (`due`) or runs (`sealing`), read at each scrape.
 * A `due` that keeps growing means sealing falls behind the writes (decision 0037, amendment).
 */
export function registerSealBacklog(registry: Registry, backlog: () => { waiting: number; due: number; sealing: number }): void {
  new Gauge({
    name: `${METRICS_PREFIX}audit_seals_waiting`,
    help: 'Complaints whose audit seal waits for a quiet spell (quiet), waits in line (due) or runs (sealing), in this process',
    labelNames: ['stage'],
    registers: [registry],
    collect() {
      const now = backlog();
      this.set({ stage: 'quiet' }, now.waiting);
      this.set({ stage: 'due' }, now.due);
      this.set({ stage: 'sealing' }, now.sealing);
    },
  });
}
