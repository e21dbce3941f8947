/**
 * DMN decisions: deploy .dmn files (alone, or beside a BPMN diagram through
 * POST /api/definitions), list them, resolve the version a business rule task binds to, and
 * evaluate one for testing. Parsing and evaluation are processes/dmn; storage is store.ts.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../processes/compiler/hash';
import type { Problem } from '../../../processes/compiler';
import { guardXml } from '../../../processes/compiler/xmlGuard';
import { evaluateDecision, type DecisionOutcome } from '../../../processes/dmn';
import type { DecisionBindingType } from '../../../processes/dmn/calledDecision';
import { parseDmn } from '../../../processes/dmn/parse';
import { Invalid, NotFound, TooLarge } from '../../domain/errors';
import type { Logger } from '../../log';
import type { DecisionFile, DecisionStore, DecisionVersionMeta, DecisionVersionRecord, DeployedDecision } from './store';

export interface DecisionBinding {
  bindingType: DecisionBindingType;
  versionTag?: string;
  /** `deployment`: the version pinned when the process was deployed. */
  decisionVersion?: number;
}

export class DecisionNotFound extends NotFound {
  constructor(message: string) {
    super('decision_not_found', message);
    this.name = 'DecisionNotFound';
  }
}

/** What a binding found nothing for, in Camunda's words where it has them. */
export function notFoundMessage(decisionId: string, binding: DecisionBinding): string {
  if (binding.bindingType === 'versionTag') return `no decision found for id '${decisionId}' and version tag '${binding.versionTag ?? ''}'`;
  if (binding.bindingType === 'deployment' && binding.decisionVersion !== undefined) return `no decision found for id '${decisionId}' in version ${binding.decisionVersion} (deployed with the process)`;
  return `no decision found for id '${decisionId}'`;
}

export interface DecisionsServiceDeps {
  store: DecisionStore;
  /** BPMN_MAX_BYTES also bounds a .dmn file. */
  maxBytes: number;
  log?: Logger;
}

const decisionProblem = (resourceName: string, elementId: string | null, message: string): Problem => ({
  elementId, elementType: null, severity: 'error', message: `decision file '${resourceName}': ${message}`,
});

export function createDecisionsService({ store, maxBytes, log }: DecisionsServiceDeps) {
  /** Parses .dmn files; problems name the file and the decision, input, output or rule. Two files may not define one decision id. */
  async function parseFiles(inputs: ReadonlyArray<{ resourceName: string; bytes: Uint8Array }>): Promise<{ files: DecisionFile[]; problems: Problem[] }> {
    const files: DecisionFile[] = [];
    const problems: Problem[] = [];
    const owner = new Map<string, string>();
    for (const input of inputs) {
      const text = guardXml(input.bytes, maxBytes);
      if (!text.ok) {
        problems.push(decisionProblem(input.resourceName, null, text.message));
        continue;
      }
      const parsed = await parseDmn(text.xml);
      if (!parsed.ok) {
        problems.push(...parsed.problems.map((p) => decisionProblem(input.resourceName, p.elementId, p.message)));
        continue;
      }
      for (const decision of parsed.graph.decisions) {
        const other = owner.get(decision.id);
        if (other !== undefined) problems.push(decisionProblem(input.resourceName, decision.id, `the decision '${decision.id}' is also defined in '${other}'`));
        owner.set(decision.id, input.resourceName);
      }
      const graph = JSON.parse(JSON.stringify(parsed.graph)) as DecisionFile['graph'];
      files.push({ graph, xml: text.xml, resourceName: input.resourceName, hash: createHash('sha256').update(canonicalJson(graph)).digest('hex') });
    }
    return { files, problems };
  }

  /** Stores the files' decisions; undoes this call's new versions when one fails. */
  async function deployFiles(files: readonly DecisionFile[]): Promise<DeployedDecision[]> {
    const deployed: DeployedDecision[] = [];
    try {
      for (const file of files) deployed.push(...(await store.deploy(file)));
    } catch (err) {
      await Promise.allSettled(deployed.filter((d) => d.created).map((d) => store.remove(d.record)));
      throw err;
    }
    for (const { record, created } of deployed) {
      if (created) log?.info({ decisionId: record.decisionId, version: record.version }, 'decision deployed');
    }
    return deployed;
  }

  async function resolve(decisionId: string, binding: DecisionBinding): Promise<DecisionVersionRecord | null> {
    if (binding.bindingType === 'versionTag') return binding.versionTag ? store.latestTagged(decisionId, binding.versionTag) : null;
    if (binding.bindingType === 'deployment' && binding.decisionVersion !== undefined) return store.find(decisionId, binding.decisionVersion);
    return store.latest(decisionId);
  }

  return {
    parseFiles,
    deployFiles,
    resolve,
    /** Undoes a deployment (the definitions service, when a later step fails). */
    async undo(deployed: readonly DeployedDecision[]): Promise<void> {
      await Promise.allSettled(deployed.filter((d) => d.created).map((d) => store.remove(d.record)));
    },

    /** POST /api/decisions: one .dmn document; 400 `invalid_dmn` with every problem's element. */
    async deploy(bytes: Uint8Array, resourceName?: string): Promise<DeployedDecision[]> {
      const name = resourceName ?? 'decision.dmn';
      const { files, problems } = await parseFiles([{ resourceName: name, bytes }]);
      if (problems.length > 0 || files.length === 0) {
        if (problems.some((p) => /larger than the limit/.test(p.message))) throw new TooLarge('payload_too_large', `The document exceeds the limit of ${maxBytes} bytes`);
        throw new Invalid('invalid_dmn', `The DMN document has ${problems.length} error${problems.length === 1 ? '' : 's'}`, { errors: problems });
      }
      return deployFiles(files);
    },

    list: (): Promise<DecisionVersionMeta[]> => store.latestPerDecision(),

    async versions(decisionId: string): Promise<DecisionVersionMeta[]> {
      const versions = await store.versions(decisionId);
      if (versions.length === 0) throw new DecisionNotFound(`no decision found for id '${decisionId}'`);
      return versions;
    },

    async version(decisionId: string, version?: number): Promise<DecisionVersionRecord> {
      const record = version === undefined ? await store.latest(decisionId) : await store.find(decisionId, version);
      if (!record) throw new DecisionNotFound(version === undefined ? `no decision found for id '${decisionId}'` : `no version ${version} of the decision '${decisionId}'`);
      return record;
    },

    /** Evaluates a stored version (the latest by default) against `variables`. */
    async evaluate(decisionId: string, variables: Record<string, unknown>, version?: number): Promise<{ record: DecisionVersionRecord; outcome: DecisionOutcome }> {
      const record = version === undefined ? await store.latest(decisionId) : await store.find(decisionId, version);
      if (!record) throw new DecisionNotFound(version === undefined ? `no decision found for id '${decisionId}'` : `no version ${version} of the decision '${decisionId}'`);
      return { record, outcome: evaluateDecision(record.graph, decisionId, variables) };
    },
  };
}

export type DecisionsService = ReturnType<typeof createDecisionsService>;
