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
import { compileBpmn, type CompileResult, type Problem } from '../../processes/compiler';
import { CompileTimeout, type CompilePool } from '../compile/pool';
import { guardXml } from '../../processes/compiler/xmlGuard';
import type { ProcessModel } from '../../processes/model/types';
import { NotConfigured, TooLarge, Unavailable } from '../domain/errors';
import { DEFAULT_DEPLOY_LIMITS, type DeployLimits } from '../limits';
import type { Logger } from '../log';
import type { DefinitionVersionRecord } from './model';
import type { DefinitionRepository, VersionMeta } from './repository';
import { parseFormFile, type FormFile, type FormStore, type FormVersionRecord } from './forms';
import { capped, countStartTags, DefinitionNotFound, invalidBpmn, isSizeRefusal, linkedFormProblems, overDeployLimits, TAGS_PER_ELEMENT } from './problems';

export { DefinitionNotFound, invalidBpmn, isSizeRefusal, MAX_LISTED_PROBLEMS } from './problems';
import type { DecisionsService } from '../api/decisions/service';
import type { DeployedDecision } from '../api/decisions/store';
import { deploymentBindingProblems, pinDeploymentBindings } from '../api/decisions/beside';

export interface DeployInput {
  /** The document exactly as uploaded; its encoding is the one its XML declaration names. */
  bytes: Uint8Array;
  resourceName?: string;
  /** `.form` files deployed beside it (linked forms, forms.ts). */
  forms?: Array<{ resourceName: string; bytes: Uint8Array }>;
  /** `.dmn` files deployed beside it (business rule tasks, decision 0036). */
  decisions?: Array<{ resourceName: string; bytes: Uint8Array }>;
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
  /** The forms deployed with it (absent when there were none). */
  forms?: Array<{ record: FormVersionRecord; created: boolean }>;
  /** The decisions deployed with it (absent when there were none). */
  decisions?: DeployedDecision[];
}

export interface DefinitionsService {
  deploy(input: DeployInput): Promise<DeployOutcome>;
  /** Keys in alphabetical order with their latest version; `page` from 1. */
  list(page: number, pageSize: number): Promise<{ items: VersionMeta[]; total: number }>;
  /** Every version of `key`, newest first; DefinitionNotFound for an unknown key. */
  versions(key: string): Promise<VersionMeta[]>;
  /**
   * The stored version to start an instance from: `version`, or the latest when omitted.
   * Throws DefinitionNotFound (a NotFound) when there is none.
   */
  resolveDefinition(key: string, version?: number): Promise<DefinitionVersionRecord>;
  /** The latest version of a linked form, or null (forms.ts). */
  latestForm(formId: string): Promise<FormVersionRecord | null>;
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
  /**
   * Called with the versions of a successful deployment (created or not): records their
   * message and timer start events (server/starts). A failure here fails the request; the
   * versions stay (a repeated deployment of the same document repairs it).
   */
  afterDeploy?: (deployed: DeployedVersion[]) => Promise<void>;
  /** Known task types; default: the activity catalog (see compileBpmn). */
  taskTypes?: ReadonlySet<string> | null;
  /** Linked forms; without it a diagram whose user tasks link a form is refused. */
  forms?: FormStore;
  /** DMN decisions deployed beside diagrams; without it a deployment with .dmn files is refused (501). */
  decisions?: DecisionsService;
  log?: Logger;
  /** How many times to re-read and retry after losing a version race (default 20). */
  maxAttempts?: number;
  now?: () => Date;
  /** Waits between attempts; injectable so tests need not sleep. */
  pause?: (attempt: number) => Promise<void>;
  /** BPMN_MAX_ELEMENTS, BPMN_MAX_MODEL_BYTES (server/limits.ts). */
  limits?: DeployLimits;
  /** Where documents compile: default on this thread; the service passes a worker-thread pool (server/compile/pool.ts). */
  compiler?: CompilePool;
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
  const limits = deps.limits ?? DEFAULT_DEPLOY_LIMITS;
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
    throw new Unavailable('deployment_contention', `Too many concurrent deployments of '${model.id}'; try again`, {
      retryAfterSeconds: 1,
    });
  }

  return {
    async deploy({ bytes, resourceName, forms: formInputs = [], decisions: decisionInputs = [] }) {
      if (countStartTags(bytes, limits.maxElements * TAGS_PER_ELEMENT) > limits.maxElements * TAGS_PER_ELEMENT) {
        throw new TooLarge('payload_too_large', `The document has more than ${limits.maxElements * TAGS_PER_ELEMENT} XML elements; a process may have at most ${limits.maxElements} (BPMN_MAX_ELEMENTS); it was not parsed`);
      }
      const options = { maxBytes, minTimerCycleMs: limits.minTimerCycleMs, ...(deps.taskTypes === undefined ? {} : { taskTypes: deps.taskTypes }) };
      let compiled: CompileResult;
      try {
        compiled = deps.compiler ? await deps.compiler.compile(bytes, options) : await compileBpmn(bytes, options);
      } catch (err) {
        if (err instanceof CompileTimeout) throw new TooLarge('payload_too_large', `The document is too complex: ${err.message} (COMPILE_TIMEOUT_MS)`);
        throw err;
      }
      if (isSizeRefusal(compiled.problems)) {
        throw new TooLarge('payload_too_large', `The document exceeds the limit of ${maxBytes} bytes`);
      }
      const files: FormFile[] = [];
      const fileProblems: Problem[] = [];
      for (const input of formInputs) {
        const parsed = parseFormFile(input.resourceName, input.bytes);
        if (typeof parsed === 'string') fileProblems.push({ elementId: null, elementType: null, severity: 'error', message: `document-level: ${parsed}` });
        else if (files.some((f) => f.formId === parsed.formId)) fileProblems.push({ elementId: null, elementType: null, severity: 'error', message: `document-level: two form files have the id '${parsed.formId}'` });
        else files.push(parsed);
      }
      if (!compiled.ok || !compiled.document) throw invalidBpmn([...compiled.problems, ...fileProblems]);
      const tooLarge = compiled.document.processes.map((m) => overDeployLimits(m, limits)).filter((p): p is Problem => p !== null);
      if (tooLarge.length > 0) {
        throw new TooLarge('payload_too_large', tooLarge.map((p) => p.message).join('; '), { errors: tooLarge });
      }
      if (decisionInputs.length > 0 && !deps.decisions) throw new NotConfigured('not_configured', 'This service stores no decisions');
      const dmn = deps.decisions ? await deps.decisions.parseFiles(decisionInputs) : { files: [], problems: [] };
      const formProblems = [
        ...fileProblems, ...(await linkedFormProblems(compiled.document.processes, files, deps.forms)),
        ...dmn.problems, ...deploymentBindingProblems(compiled.document.processes, dmn.files),
      ];
      if (formProblems.length > 0) throw invalidBpmn([...compiled.problems, ...formProblems]);
      const text = guardXml(bytes, maxBytes);
      if (!text.ok) throw invalidBpmn([{ elementId: null, elementType: null, message: text.message, severity: 'error' }]);
      if (files.length > 0 && !deps.forms) throw new NotConfigured('not_configured', 'This service stores no forms');

      const shared = { xmlHash: sha256(bytes), xml: text.xml, ...(resourceName ? { resourceName } : {}) };
      const deployed: DeployedVersion[] = [];
      const forms: Array<{ record: FormVersionRecord; created: boolean }> = [];
      let decisions: DeployedDecision[] = [];
      try {
        // Forms and decisions first: a process version never links a form or pins a decision that is not stored.
        for (const file of files) forms.push(await deps.forms!.deploy(file));
        if (dmn.files.length > 0) decisions = await deps.decisions!.deployFiles(dmn.files);
        // One process after the other: each has its own key, so they do not contend with each other.
        for (const model of compiled.document.processes) deployed.push(await deployProcess(pinDeploymentBindings(model, decisions), shared));
      } catch (err) {
        await deps.decisions?.undo(decisions);
        // No transactions: undo the versions this request created, so a failure leaves nothing behind.
        await Promise.allSettled(deployed.filter((d) => d.created).map((d) => repository.remove(d.record.key, d.record.version)));
        await Promise.allSettled(forms.filter((f) => f.created).map((f) => deps.forms!.remove(f.record)));
        throw err;
      }
      for (const { record, created } of forms) {
        if (created) deps.log?.info({ formId: record.formId, version: record.version }, 'form deployed');
      }
      for (const { record, created } of deployed) {
        if (created) deps.log?.info({ key: record.key, version: record.version, hash: record.hash }, 'definition deployed');
      }
      await deps.afterDeploy?.(deployed);
      return { deployed, warnings: capped(compiled.problems, 'warning'), ...(forms.length ? { forms } : {}), ...(decisions.length ? { decisions } : {}) };
    },

    async replacements(bytes) {
      // Compiled as deploy compiles (off the request thread, within its limits); a document
      // deploy would refuse needs no review: [] and deploy answers with its problems.
      if (countStartTags(bytes, limits.maxElements * TAGS_PER_ELEMENT) > limits.maxElements * TAGS_PER_ELEMENT) return [];
      const options = { maxBytes, minTimerCycleMs: limits.minTimerCycleMs, ...(deps.taskTypes === undefined ? {} : { taskTypes: deps.taskTypes }) };
      let compiled: CompileResult;
      try {
        compiled = deps.compiler ? await deps.compiler.compile(bytes, options) : await compileBpmn(bytes, options);
      } catch (err) {
        if (err instanceof CompileTimeout) return [];
        throw err;
      }
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

    async latestForm(formId) {
      return deps.forms ? deps.forms.latest(formId) : null;
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
