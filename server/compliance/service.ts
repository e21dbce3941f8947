/**
 * Compliance: search complaints by any recorded field, the complete record of one complaint
 * (sealed first, with its audit status, the engine's history and each task's form data), and
 * exports of one complaint or a period as a stream of records.
 */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Connection, QueryFilter } from 'mongoose';
import { definitionVersionModel } from '../definitions/model';
import { Invalid, NotFound, TooLarge } from '../domain/errors';
import type { Logger } from '../log';
import { verifyEntries, type ChainProblem } from './auditChain';
import { sha256 } from './canonical';
import { engineHistoryReader, type EngineHistory } from './engineHistory';
import { ComplaintNotFound, recordReader, type ComplianceRecord, type RecordTask } from './record';
import { monthOf, monthsBetween, words, type SearchDoc } from './searchIndex';
import type { Sealer } from './sealer';

export interface SearchCriteria {
  q?: string | undefined; customer?: string | undefined; engineer?: string | undefined; department?: string | undefined;
  status?: string | undefined; category?: string | undefined; severity?: string | undefined; process?: string | undefined; person?: string | undefined;
  from?: Date | undefined; to?: Date | undefined; page: number; pageSize: number;
}

export interface SearchHit { id: string; title: string; customerId: string; customerName: string | null; engineer: string | null; departments: string[]; status: string; category: string | null; createdAt: Date; instanceIds: string[] }

export interface FullRecord extends Omit<ComplianceRecord, 'tasks'> {
  tasks: Array<RecordTask & { formData?: unknown }>;
  audit: { entries: number; head: string | null; problem: ChainProblem | null };
  engine: EngineHistory[];
}

/** Periods longer than this are refused (ask for several exports). */
export const MAX_PERIOD_MONTHS = 36;

export function createComplianceService(deps: { mongo: Connection; temporal: Client; codec: PayloadCodec | undefined; sealer: Sealer; log: Logger }) {
  const { sealer } = deps;
  const records = recordReader(deps.mongo);
  const engine = engineHistoryReader(deps.temporal, deps.codec);
  const definitions = definitionVersionModel(deps.mongo);

  function months(from: Date | undefined, to: Date | undefined): string[] | undefined {
    if (!from && !to) return undefined;
    const start = from ?? new Date(Date.UTC(2000, 0, 1));
    const end = to ?? new Date();
    if (end < start) throw new Invalid('validation_failed', '`to` is before `from`', { fields: [{ path: 'to', message: 'before from' }] });
    const list = monthsBetween(start, end, MAX_PERIOD_MONTHS);
    if (!list) throw new Invalid('validation_failed', `A period may span at most ${MAX_PERIOD_MONTHS} months`, { fields: [{ path: 'from', message: `more than ${MAX_PERIOD_MONTHS} months before to` }] });
    return list;
  }

  /** Matching search documents, newest first, at most `limit`; every query is equality on indexed fields. */
  async function find(c: Omit<SearchCriteria, 'page' | 'pageSize'>, limit: number): Promise<SearchDoc[]> {
    const filter: QueryFilter<SearchDoc> = {};
    const q = c.q?.trim() ?? '';
    const idLike = /^(cmp|pi)-[0-9a-f-]{8,}$/i.test(q);
    const terms = idLike ? [] : words(q);
    if (idLike) Object.assign(filter, q.startsWith('cmp-') ? { _id: q } : { instanceIds: q });
    if (terms[0]) filter.words = terms[0];
    if (c.customer) filter.customerId = c.customer;
    if (c.engineer) filter.engineer = c.engineer;
    if (c.department) filter.departments = c.department;
    if (c.status) filter.status = c.status;
    if (c.category) filter.category = c.category;
    if (c.severity) filter.severity = c.severity;
    if (c.process) filter.processes = c.process;
    if (c.person) filter.people = c.person;
    // Without any criterion: this month (a search never reads the whole collection).
    const periodMonths = months(c.from, c.to) ?? (Object.keys(filter).length === 0 ? [monthOf(new Date())] : undefined);
    const queries = periodMonths ? periodMonths.map((month) => ({ ...filter, month })) : [filter];
    const found: SearchDoc[] = [];
    for (const query of queries.reverse()) {
      const docs = await sealer.search.find(query).sort({ createdAt: -1 }).limit(limit * 4 + 1).lean<SearchDoc[]>();
      for (const d of docs) {
        if (c.from && d.createdAt < c.from) continue;
        if (c.to && d.createdAt > c.to) continue;
        if (terms.slice(1).some((t) => !d.words.includes(t))) continue;
        found.push(d);
      }
      if (found.length >= limit) break;
    }
    return found.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
  }

  async function full(id: string, options: { engine: boolean; decrypt: boolean }): Promise<FullRecord> {
    try {
      // What is shown is sealed first; a seal that fails (the chain's lock held too long) leaves the chain as it is.
      await sealer.seal(id).catch((err: unknown) => {
        if (err instanceof Error && err.name === 'LockTimeout') deps.log.warn({ complaintId: id }, 'compliance: record shown without sealing its latest changes');
        else throw err;
      });
      const record = await records.read(id);
      const entries = await sealer.chain.read(id);
      const histories = options.engine
        ? await Promise.all(record.instances.map((i) => engine.read(i.id, options.decrypt).catch((err: unknown) => {
          deps.log.warn({ instanceId: i.id, err: err instanceof Error ? err.message : String(err) }, 'compliance: engine history unavailable');
          return { instanceId: i.id, decrypted: false, runs: 0, events: [], truncated: false } satisfies EngineHistory;
        })))
        : [];
      const forms = histories.flatMap((h) => engine.formData(h));
      return {
        ...record,
        tasks: record.tasks.map((t) => {
          const form = forms.find((f) => f.instanceId === t.instanceId && `${f.instanceId}.${f.taskKey}` === t.id);
          return form ? { ...t, formData: form.variables } : t;
        }),
        audit: { entries: entries.length, head: entries.at(-1)?.hash ?? null, problem: verifyEntries(id, entries) },
        engine: histories,
      };
    } catch (err) {
      if (err instanceof ComplaintNotFound) throw new NotFound('complaint_not_found', err.message);
      throw err;
    }
  }

  return {
    async search(c: SearchCriteria): Promise<{ items: SearchHit[]; page: number; pageSize: number; hasMore: boolean }> {
      const docs = await find(c, c.page * c.pageSize + 1);
      const pageDocs = docs.slice((c.page - 1) * c.pageSize, c.page * c.pageSize);
      return {
        items: pageDocs.map((d) => ({ id: d._id, title: d.title, customerId: d.customerId, customerName: d.customerName, engineer: d.engineer, departments: d.departments, status: d.status, category: d.category, createdAt: d.createdAt, instanceIds: d.instanceIds })),
        page: c.page, pageSize: c.pageSize, hasMore: docs.length > c.page * c.pageSize,
      };
    },
    record: full,
    /** The diagram of the version an instance of the complaint ran, with the path it took. */
    async diagram(complaintId: string, instanceId: string | undefined) {
      const record = await records.read(complaintId).catch((err: unknown) => {
        if (err instanceof ComplaintNotFound) throw new NotFound('complaint_not_found', err.message);
        throw err;
      });
      const instance = instanceId ? record.instances.find((i) => i.id === instanceId) : record.instances.find((i) => i.role === 'complaint') ?? record.instances[0];
      if (!instance) throw new NotFound('instance_not_found', instanceId ? `No instance '${instanceId}' serves complaint '${complaintId}'` : `Complaint '${complaintId}' has no process instance`);
      const version = await definitions.findOne({ key: instance.definitionKey, version: instance.definitionVersion }, { xml: 1, name: 1 }).lean<{ xml: string; name: string }>();
      if (!version) throw new NotFound('definition_not_found', `No definition ${instance.definitionKey} v${instance.definitionVersion}`);
      const completed = instance.events.filter((e) => e.event === 'completed').map((e) => e.elementId);
      return { instanceId: instance.id, definitionKey: instance.definitionKey, definitionVersion: instance.definitionVersion, name: version.name, xml: version.xml, path: instance.path, completed };
    },
    /**
     * The complaints of an export, one at a time: a single complaint, or every complaint
     * matching the criteria in the period (at most `max`). `total` is known before the first.
     */
    async exportPlan(c: Omit<SearchCriteria, 'page' | 'pageSize'> & { complaintId?: string | undefined }, max: number): Promise<string[]> {
      if (c.complaintId) {
        if (!(await records.complaint(c.complaintId))) throw new NotFound('complaint_not_found', `No complaint '${c.complaintId}'`);
        return [c.complaintId];
      }
      if (!c.from || !c.to) {
        throw new Invalid('validation_failed', 'An export names a complaint (`complaintId`) or a period (`from` and `to`)', {
          fields: [{ path: c.from ? 'to' : 'from', message: 'required without complaintId' }],
        });
      }
      const docs = await find(c, max + 1);
      if (docs.length > max) throw new TooLarge('export_too_large', `More than ${max} complaints match: narrow the period or the criteria`);
      return docs.map((d) => d._id).reverse();
    },
    digest: (heads: string[]) => sha256(heads.join('\n')),
  };
}

export type ComplianceService = ReturnType<typeof createComplianceService>;
