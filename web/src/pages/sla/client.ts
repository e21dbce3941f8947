/**
 * The SLA operations API (GET /api/sla/overview, server/sla; docs/sla-operations.md) as the
 * dashboard reads it. A server without the route answers 404 and `overview` returns null.
 */
import { api, ApiError, type Query } from '../../core/api';

export type SlaState = 'ok' | 'at_risk' | 'breached' | 'met';
/** `key` is the department, severity, element id or engineer id; null = not known on the clock. */
export interface Breakdown { key: string | null; ok: number; at_risk: number; breached: number; met: number }

export interface BreachingNext {
  clockKey: string;
  instanceId: string;
  complaintId: string | null;
  policyId: string;
  metric: string;
  elementId: string | null;
  taskId: string | null;
  department: string | null;
  severity: string | null;
  engineerId: string | null;
  dueAt: string;
  remainingMs: number;
  state: SlaState;
}

export interface TrendDay {
  day: string;
  started: number;
  met: number;
  breached: number;
  breachRate: number | null;
  medianFirstResponseMs: number | null;
  medianResolutionMs: number | null;
}

export interface SlaOverview {
  generatedAt: string;
  from: string;
  to: string;
  /** How many clocks the counts cover (started in [from, to), after the filters). */
  clocks: number;
  totals: Omit<Breakdown, 'key'>;
  byDepartment: Breakdown[];
  bySeverity: Breakdown[];
  byElement: Breakdown[];
  byEngineer: Breakdown[];
  breachingNext: BreachingNext[];
  trends: TrendDay[];
  /** When the server last read every clock (null before the first read). */
  indexedAt?: string | null;
}

export interface OverviewQuery extends Query {
  definitionKey?: string;
  from?: string;
  to?: string;
  department?: string;
  limit?: number;
}

export const slaApi = {
  /** The overview, or null when SLA monitoring is not deployed on this server (404). */
  async overview(query: OverviewQuery): Promise<SlaOverview | null> {
    try {
      return await api.get<SlaOverview>('/api/sla/overview', query);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
};
