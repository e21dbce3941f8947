/** The analytics API (GET /api/analytics/*, server/analytics; docs/operations.md) as the pages read it. */
import { api, type Query } from '../../core/api';
import { session } from '../../core/session';

export interface StepTime { step: string; count: number; medianMs: number | null; p90Ms: number | null }
export interface Figures {
  open: number; intake: number; closed: number; intakePerDay: number; throughputPerDay: number;
  slaMet: number; slaBreached: number; slaMetShare: number | null; evaluations: number;
  satisfaction: number | null; lowScoreShare: number | null; handling: StepTime[];
}
export interface Workload {
  dim: string; from: string; to: string; days: number; category: string | null; region: string | null;
  total: Figures;
  rows: Array<Figures & { key: string; name: string }>;
  trend: Array<{ day: string; intake: number; closed: number; open: number }>;
}
export interface DriverRow {
  key: string; name: string; evaluations: number; low: number; lowScoreShare: number | null; satisfaction: number | null;
  tags: Array<{ tag: string; count: number }>; meanMs: number | null; meanMsLow: number | null;
}
export interface Drivers { from: string; to: string; elements: Array<DriverRow & { definitionKey: string; elementId: string }>; department: DriverRow[]; engineer: DriverRow[]; outlet: DriverRow[] }
export interface DayCount { day: string; count: number }
export interface Forecast {
  category: string | null; region: string | null; method: string;
  history: { from: string | null; to: string | null; days: number };
  forecast: DayCount[]; recent: DayCount[]; weekly: number[];
  holdout: { from: string; to: string; actual: number; predicted: number; mape: number | null; totalError: number | null; days: Array<{ day: string; actual: number; predicted: number }> } | null;
  staffing: { method: string; handlingMs: number; targetMs: number; serviceLevel: number; workingHours: number; days: Array<{ day: string; engineers: number }> };
  byCategory: Array<{ key: string; weekly: number[]; mape: number | null }>;
  byRegion: Array<{ key: string; weekly: number[]; mape: number | null }>;
}

export const analyticsApi = {
  workload: (query: Query) => api.get<Workload>('/api/analytics/workload', query),
  drivers: (query: Query) => api.get<Drivers>('/api/analytics/drivers', query),
  forecast: (query: Query) => api.get<Forecast>('/api/analytics/forecast', query),
  /** The CSV export, fetched with the session's token (a plain link cannot send it). */
  async workloadCsv(query: Query): Promise<Blob> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    return api.blob(`/api/analytics/workload.csv?${params.toString()}`);
  },
};

/** Managers may read analytics (server/auth/policy.ts ANALYTICS_READERS). */
export const canReadAnalytics = () => session.hasRole('supervisor', 'department_head', 'admin');
