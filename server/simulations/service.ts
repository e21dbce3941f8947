/**
 * What-if simulation of a draft against the deployed version, and diagram coverage of a
 * deployed process (decisions 0042, 0043). Compilation and simulation run on a worker thread
 * (pool.ts); the history is read here, from the projections.
 */
import { isSizeRefusal, invalidBpmn, type DefinitionsService } from '../definitions/service';
import { Invalid, NotFound, TooLarge, Unprocessable } from '../domain/errors';
import type { ProcessModel } from '../../processes/model';
import type { DiagramCoverage, SimulationResult } from '../../processes/simulation';
import type { ProjectionModels } from '../projections/models';
import { historyCoverage, historyProfile } from './history';
import { createSimulationPool, SimulationTimeout, type SimulationPool } from './pool';

const DAY_MS = 86_400_000;
/** Instances read for a profile or a coverage report (the newest first). */
export const MAX_HISTORY_INSTANCES = 5000;

export interface SimulationInput {
  xml: string;
  processId?: string | undefined;
  seed: number;
  count: number;
  historyDays: number;
  startAt?: string | undefined;
}

export interface SimulationAnswer {
  processId: string;
  history: { version: number | null; instances: number; meanArrivalIntervalMs: number; from: string; to: string };
  draft: SimulationResult;
  current: SimulationResult | null;
}

export interface SimulationsService {
  simulate(input: SimulationInput): Promise<SimulationAnswer>;
  coverage(key: string, since: Date, version?: number): Promise<DiagramCoverage & { version: number; since: string }>;
  close(): Promise<void>;
}

export function createSimulationsService(deps: {
  definitions: DefinitionsService;
  projections: ProjectionModels;
  maxBytes: number;
  timeoutMs?: number;
  now?: () => Date;
}): SimulationsService {
  let pool: SimulationPool | null = null;
  const thread = () => (pool ??= createSimulationPool(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}));
  const now = deps.now ?? (() => new Date());

  async function current(key: string, version?: number): Promise<{ version: number; model: ProcessModel } | null> {
    try {
      const record = await deps.definitions.resolveDefinition(key, version);
      return { version: record.version, model: record.model };
    } catch (err) {
      if (err instanceof NotFound) return null;
      throw err;
    }
  }

  async function run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof SimulationTimeout) throw new Unprocessable('simulation_too_large', `${err.message}; simulate fewer complaints`);
      throw err;
    }
  }

  return {
    simulate: (input) => run(async () => {
      const compiled = await thread().run({ type: 'compile', bytes: Buffer.from(input.xml, 'utf8'), maxBytes: deps.maxBytes });
      if (compiled.type !== 'compiled') throw new Error(compiled.type === 'failed' ? compiled.message : 'unexpected simulation reply');
      if (!compiled.ok) {
        if (isSizeRefusal(compiled.problems)) throw new TooLarge('payload_too_large', 'The BPMN document is larger than the limit');
        throw invalidBpmn(compiled.problems);
      }
      const draft = input.processId ? compiled.models.find((m) => m.id === input.processId) : compiled.models[0];
      if (!draft) {
        throw new Invalid('invalid_request', `The document has no executable process '${input.processId ?? ''}'`, {
          fields: [{ path: 'processId', message: `not a process of the document (${compiled.models.map((m) => m.id).join(', ') || 'none'})` }],
        });
      }
      const deployed = await current(draft.id);
      const to = now();
      const from = new Date(to.getTime() - input.historyDays * DAY_MS);
      const profile = deployed
        ? await historyProfile(deps.projections, deployed.model, { definitionKey: draft.id, version: deployed.version, from, to }, MAX_HISTORY_INSTANCES)
        : { instances: 0, durations: [], activations: [], flows: [], meanArrivalIntervalMs: 3_600_000, startVariables: [] };
      const options = { seed: input.seed, count: input.count, startAt: input.startAt ? Date.parse(input.startAt) : to.getTime() };
      const simulated = await thread().run({ type: 'simulate', draft, current: deployed?.model ?? null, profile, options });
      if (simulated.type !== 'simulated') throw new Error(simulated.type === 'failed' ? simulated.message : 'unexpected simulation reply');
      return {
        processId: draft.id,
        history: { version: deployed?.version ?? null, instances: profile.instances, meanArrivalIntervalMs: profile.meanArrivalIntervalMs, from: from.toISOString(), to: to.toISOString() },
        draft: simulated.draft,
        current: simulated.current,
      };
    }),
    async coverage(key, since, version) {
      const deployed = await current(key, version);
      if (!deployed) throw new NotFound('not_found', `No deployed process '${key}'${version === undefined ? '' : ` version ${version}`}`);
      const report = await historyCoverage(deps.projections, deployed.model, {
        definitionKey: key, ...(version === undefined ? {} : { version }), from: since, to: new Date(now().getTime() + 1),
      }, MAX_HISTORY_INSTANCES);
      return { ...report, version: deployed.version, since: since.toISOString() };
    },
    async close() {
      await pool?.close();
      pool = null;
    },
  };
}
