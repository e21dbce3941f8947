/**
 * Token modification and migration as the operator pages call them (server/api/migrations):
 * typed shapes and calls. The server checks everything against the models; the pages show its
 * problems with their element ids.
 */
import { api, ApiError } from '../../core/api';

export type ModificationInstruction =
  | { type: 'activate'; elementId: string; variables?: Record<string, unknown>; variableInstructions?: Array<{ variables: Record<string, unknown>; scopeId?: string }> }
  | { type: 'terminate'; elementId: string };

export interface Correspondence { key: string; from: string; to: string | null }
export interface Refusal { elementId: string; elementInstanceKey?: string; reason: string }

export interface InstanceReport {
  instanceId: string; migratable: boolean; consistent: boolean; reachable: boolean;
  refusals: Refusal[]; tasks: Correspondence[]; timers: Correspondence[]; subscriptions: Correspondence[];
  jobs: Correspondence[]; slaClocks: Correspondence[]; divergences: Array<{ elementId: string; message: string }>;
  /** The recorded stimuli replayed on the target (decision 0053); null when the instance did not answer. */
  replay: ReplayReport | { error: string } | null;
}
export interface ReplayDivergence { stimulusIndex: number; stimulus: string; elementId: string; message: string }
export interface ReplayReport {
  stimuli: number; applied: number; complete: boolean; reproduced: boolean; reproductionProblem: string | null;
  reachable: boolean; consistent: boolean; firstDivergence: ReplayDivergence | null; divergences: ReplayDivergence[];
  replayedTokens: string[]; migratedTokens: string[];
  mismatches: Array<{ kind: string; elementId: string; replayed: string; migrated: string }>;
}
export interface DryRun { total: number; migratable: number; instances: InstanceReport[] }

export interface MigrationProgress {
  migrationId: string; status: 'running' | 'completed'; total: number; done: number; migrated: number; refused: number;
  results: Array<{ instanceId: string; status: 'migrated' | 'refused'; reason?: string }>;
}

export interface Selection {
  processKey: string;
  sourceVersion: number;
  targetVersion: number;
  instanceIds?: string[];
  mapping: Array<{ sourceElementId: string; targetElementId: string }>;
}

export const operationsApi = {
  modify: (id: string, instructions: ModificationInstruction[], reason: string) =>
    api.post<{ status: string; activeElements: string[] }>(`/api/instances/${encodeURIComponent(id)}/modifications`, { instructions, reason }),
  dryRun: (selection: Selection) => api.post<DryRun>('/api/migrations/dry-run', selection),
  start: (selection: Selection & { reason: string; batchSize: number }) => api.post<{ migrationId: string; total: number }>('/api/migrations', selection),
  progress: (id: string) => api.get<MigrationProgress>(`/api/migrations/${encodeURIComponent(id)}`),
};

/** The server's message, with the element ids of each problem or refusal. */
export function problemsOf(err: unknown): string {
  if (!(err instanceof ApiError)) return (err as Error).message;
  const list = (err.body.problems ?? err.body.refusals ?? err.body.fields) as Array<{ path?: string; elementId?: string; message?: string; reason?: string }> | undefined;
  if (!Array.isArray(list) || list.length === 0) return `${err.message} (${err.status})`;
  return list.map((p) => `${p.elementId ?? p.path ?? ''}: ${p.message ?? p.reason ?? ''}`).join(' · ');
}
