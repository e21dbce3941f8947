/**
 * Deploying BPMN documents as versioned definitions, and finding them again.
 *
 * Versioning without transactions: the next version is the latest + 1, inserted under the
 * unique (key, version) index; a deployer that loses the race re-reads the latest version
 * and tries again, a bounded number of times.
 *
 * Duplicates (as Camunda 8 does): a process is compared with the LATEST version of its key
 * only. Same bytes or the same executable model (a layout-only or whitespace change) gives
 * back that version with created=false; anything else, including the content of an older
 * version (a rollback), becomes a new version. The re-read on every retry makes this hold
 * under concurrency too: of several identical concurrent deployments exactly one inserts.
 */
import { createHash } from 'node:crypto';
import { compileBpmn, type Problem } from '../../../processes/compiler';
import { guardXml } from '../../../processes/compiler/xmlGuard';
import type { ProcessModel } from '../../../processes/model/types';
import { HttpError } from '../../http/errors';
import type { Logger } from '../../log';
import type { DefinitionVersionRecord } from './model';
import type { DefinitionRepository, VersionMeta } from './repository';

export interface DeployInput {
  /** The document exactly as uploaded; its encoding is the one its XML declaration names. */
  bytes: Uint8Array;
  resourceName?: string;
}

export interface DeployedVersion {
  record: DefinitionVersionRecord;
  /** false when the latest version of the key already had this content. */
  created: boolean;
}

export interface DeployOutcome {
  /** One per executable process, in document order. */
  deployed: DeployedVersion[];
  warnings: Problem[];
}

export interface DefinitionsService {
  deploy(input: DeployInput): Promise<DeployOutcome>;
  /** Keys in alphabetical order with their latest version; `page` from 1. */
  list(page: number, pageSize: number): Promise<{ items: VersionMeta[]; total: number }>;
  /** Every version of `key`, newest first; DefinitionNotFound for an unknown key. */
  versions(key: string): Promise<VersionMeta[]>;
  /**
   * The stored version to start an instance from: `version`, or the latest when omitted.
   * Throws DefinitionNotFound (an HttpError 404) when there is none.
   */
  resolveDefinition(key: string, version?: number): Promise<DefinitionVersionRecord>;
  /**
   * The processes of a document that would replace an existing version with new content
   * (the four-eyes check, fourEyes.ts); [] for a document that does not compile (deploy
   * then answers with its problems).
   */
  replacements(bytes: Buffer): Promise<Array<{ key: string; version: number }>>;
}

export interface DefinitionsServiceDeps {
  repository: DefinitionRepository;
  /** BPMN_MAX_BYTES: larger documents are refused (413). */
  maxBytes: number;
  /** Known task types; default: the activity catalog (see compileBpmn). */
  taskTypes?: ReadonlySet<string> | null;
  log?: Logger;
  /** How many times to re-read and retry after losing a version race (default 20). */
  maxAttempts?: number;
  now?: () => Date;
  /** Waits between attempts; injectable so tests need not sleep. */
  pause?: (attempt: number) => Promise<void>;
}

export class DefinitionNotFound extends HttpError {
  constructor(key: string, version?: number) {
    super(
      404,
      'definition_not_found',
      version === undefined ? `No definition with key '${key}'` : `No version ${version} of definition '${key}'`,
    );
    this.name = 'DefinitionNotFound';
  }
}

const TOO_LARGE = /larger than the limit/;

/** The compiler refuses oversized documents with a document-level problem; that is a 413, not a 422. */
export function isSizeRefusal(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error' && p.elementId === null && TOO_LARGE.test(p.message));
}

/** The 422 for a document with errors: every problem with its element, errors and warnings apart. */
export function invalidBpmn(problems: readonly Problem[]): HttpError {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  const message = `The BPMN document has ${errors.length} error${errors.length === 1 ? '' : 's'}`;
  return new HttpError(422, 'invalid_bpmn', message, { errors, warnings });
}

/** Whether the latest stored version already is this content (same bytes or same executable model). */
export function sameContent(latest: Pick<DefinitionVersionRecord, 'hash' | 'xmlHash'>, hash: string, xmlHash: string): boolean {
  return latest.xmlHash === xmlHash || latest.hash === hash;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Plain JSON (no undefined fields) so the stored model hashes exactly as compiled. */
const plainJson = (model: ProcessModel): ProcessModel => JSON.parse(JSON.stringify(model)) as ProcessModel;

const defaultPause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.min(50, 2 * attempt) + Math.random() * 5 * attempt));

export function createDefinitionsService(deps: DefinitionsServiceDeps): DefinitionsService {
  const { repository, maxBytes } = deps;
  const maxAttempts = deps.maxAttempts ?? 20;
  const now = deps.now ?? (() => new Date());
  const pause = deps.pause ?? defaultPause;

  async function deployProcess(model: ProcessModel, shared: Omit<DefinitionVersionRecord, 'key' | 'version' | 'hash' | 'model' | 'name' | 'deployedAt'>): Promise<DeployedVersion> {
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const latest = await repository.latest(model.id);
      if (latest && sameContent(latest, model.hash, shared.xmlHash)) {
        // Also repairs a pointer left behind by a deployer that died between insert and raise.
        await repository.raiseHead(latest);
        return { record: latest, created: false };
      }
      const record: DefinitionVersionRecord = {
        ...shared,
        key: model.id,
        version: (latest?.version ?? 0) + 1,
        hash: model.hash,
        model: plainJson(model),
        name: model.name ?? model.id,
        deployedAt: now(),
      };
      if ((await repository.insert(record)) === 'inserted') return { record, created: true };
      await pause(attempt);
    }
    throw new HttpError(503, 'deployment_contention', `Too many concurrent deployments of '${model.id}'; try again`, {
      retryAfterSeconds: 1,
    });
  }

  return {
    async deploy({ bytes, resourceName }) {
      const compiled = await compileBpmn(bytes, { maxBytes, taskTypes: deps.taskTypes });
      if (isSizeRefusal(compiled.problems)) {
        throw new HttpError(413, 'payload_too_large', `The document exceeds the limit of ${maxBytes} bytes`);
      }
      if (!compiled.ok || !compiled.document) throw invalidBpmn(compiled.problems);
      const text = guardXml(bytes, maxBytes);
      if (!text.ok) throw invalidBpmn([{ elementId: null, elementType: null, message: text.message, severity: 'error' }]);

      const shared = { xmlHash: sha256(bytes), xml: text.xml, ...(resourceName ? { resourceName } : {}) };
      const deployed: DeployedVersion[] = [];
      try {
        // One process after the other: each has its own key, so they do not contend with each other.
        for (const model of compiled.document.processes) deployed.push(await deployProcess(model, shared));
      } catch (err) {
        // No transactions: undo the versions this request created, so a failure leaves nothing behind.
        await Promise.allSettled(deployed.filter((d) => d.created).map((d) => repository.remove(d.record.key, d.record.version)));
        throw err;
      }
      for (const { record, created } of deployed) {
        if (created) deps.log?.info({ key: record.key, version: record.version, hash: record.hash }, 'definition deployed');
      }
      return { deployed, warnings: compiled.problems };
    },

    async replacements(bytes) {
      const compiled = await compileBpmn(bytes, { maxBytes, taskTypes: deps.taskTypes });
      if (!compiled.ok || !compiled.document) return [];
      const xmlHash = sha256(bytes);
      const found: Array<{ key: string; version: number }> = [];
      for (const model of compiled.document.processes) {
        const latest = await repository.latest(model.id);
        if (latest && !sameContent(latest, model.hash, xmlHash)) found.push({ key: model.id, version: latest.version });
      }
      return found;
    },

    async list(page, pageSize) {
      const [total, items] = await Promise.all([repository.countKeys(), repository.latestPerKey((page - 1) * pageSize, pageSize)]);
      return { items, total };
    },

    async versions(key) {
      const versions = await repository.versions(key);
      if (versions.length === 0) throw new DefinitionNotFound(key);
      return versions;
    },

    async resolveDefinition(key, version) {
      // Through the key's pointer and the in-memory version documents (two small `_id` reads at
      // most): the query sorts every version document of the key, XML and model included. The
      // stall seen with the pointer on FerretDB/SQLite (decision 0008) is gone on PostgreSQL
      // (decision 0013, bench:complaints figures there).
      const record = version === undefined ? await repository.current(key) : await repository.find(key, version);
      if (!record) throw new DefinitionNotFound(key, version);
      return record;
    },
  };
}
