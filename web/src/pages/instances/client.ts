/**
 * The instance API as the operator pages read it (server/api/instances): typed shapes and
 * calls. `sla` on the instance is added by the SLA engine; absent, the viewer shows no SLA.
 */
import { api, ApiError, type Query } from '../../core/api';
import { ANALYTICS_READERS } from '../../core/routes';
import { session } from '../../core/session';

export type InstanceStatus = 'active' | 'completed' | 'terminated' | 'canceled';
export type SlaState = 'ok' | 'at_risk' | 'breached' | 'met';

export interface InstanceSummary {
  id: string;
  definition: { key: string; version: number };
  status: InstanceStatus;
  businessKey: string | null;
  activeElements: string[];
  openTasks: number;
  incidents: number;
  startedAt: string | null;
  updatedAt: string | null;
}

export interface Page<T> { items: T[]; page: number; pageSize: number; total: number }

export interface Incident { id: string; elementId: string; type: string; message: string; createdAt?: number }
export interface Timer { key: string; elementId: string; dueAt: number }
export interface TaskView { key: string; elementId: string; name: string | null; state: string; assignee: string | null }

export interface SlaClock {
  clockKey: string;
  policyId: string;
  metric: string;
  elementId?: string | null;
  taskId?: string | null;
  state: SlaState;
  paused: boolean;
  dueAt: string | number | null;
  remainingMs: number | null;
  pausedMs: number;
  targetMs: number;
}

export interface InstanceDetail {
  id: string;
  status: InstanceStatus;
  definition: { key: string; version: number };
  businessKey: string | null;
  activeElements: string[];
  variables: Record<string, unknown>;
  tasks: TaskView[];
  incidents: Incident[];
  timers: Timer[];
  /** Present when the definition has SLA policies (docs/sla.md). */
  slaClocks?: SlaClock[];
}

export interface HistoryEvent { elementId: string; elementType: string; event: 'activated' | 'completed' | 'terminated' | 'warning' | 'modified' | 'migrated'; time: string; message?: string }

export interface IncidentSummary {
  id: string;
  instanceId: string;
  definition: { key: string; version: number };
  businessKey: string | null;
  elementId: string;
  type: string;
  message: string;
  createdAt: string | null;
}

export interface HeatmapElement { elementId: string; elementType: string; count: number; medianMs: number; p90Ms: number }

export const instancesApi = {
  list: (query: Query) => api.get<Page<InstanceSummary>>('/api/instances', query),
  get: (id: string) => api.get<InstanceDetail>(`/api/instances/${encodeURIComponent(id)}`),
  /** The read model's events: cheap enough to poll (the replayed history is the audit answer). */
  history: (id: string) => api.get<HistoryEvent[]>(`/api/instances/${encodeURIComponent(id)}/history`, { source: 'projection' }),
  xml: (key: string, version: number) => api.text(`/api/definitions/${encodeURIComponent(key)}/versions/${version}/xml`),
  retry: (id: string, incidentId: string) => api.post<void>(`/api/instances/${encodeURIComponent(id)}/incidents/${encodeURIComponent(incidentId)}/resolve`),
  incidents: (query: Query) => api.get<Page<IncidentSummary>>('/api/incidents', query),
  definitions: () => api.get<Page<{ key: string; name: string | null; latestVersion: number }>>('/api/definitions', { pageSize: 100 }),
  /** Median and p90 time per element (GET /api/sla/heatmap); null on a server without the route (404). */
  async heatmap(query: Query): Promise<HeatmapElement[] | null> {
    try {
      return (await api.get<{ elements: HeatmapElement[] }>('/api/sla/heatmap', query)).elements;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  /**
   * Share of low scores per element (GET /api/analytics/drivers, managers only); null when
   * this user may not read it or the server has no analytics (403/404): the mode is not offered.
   */
  async satisfaction(query: Query): Promise<SatisfactionElement[] | null> {
    // Not asked for other roles: a refused request is noise on every viewer page (operators, compliance).
    if (!session.hasRole(...ANALYTICS_READERS)) return null;
    try {
      return (await api.get<{ elements: SatisfactionElement[] }>('/api/analytics/drivers', query)).elements;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
      throw err;
    }
  },
};

export interface SatisfactionElement {
  elementId: string; evaluations: number; low: number; lowScoreShare: number | null; satisfaction: number | null;
  tags: Array<{ tag: string; count: number }>; meanMs: number | null;
}
