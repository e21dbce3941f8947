/**
 * The complete record of one complaint for compliance (GET /api/compliance/complaints/:id):
 * the audit chain's state, the complaint, who did what and when (people by name and role),
 * tasks with their form data and comments, commitments, evaluations, photos, SLA clocks, the
 * process version with its path on the diagram (read-only viewer) and the engine's history.
 * Exports of this complaint as JSON or a document, with progress.
 */
import '../instances/operator.css';
import './compliance.css';
import { api, ApiError } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { locale, registerMessages, t } from '../../i18n';
import { instancesMessages } from '../instances/messages';
import { createDiagram } from '../instances/diagram';
import { pathTaken, type ElementEventLike } from '../instances/format';
import { complianceMessages } from './messages';
import { streamExport } from './export';

registerMessages(instancesMessages);
registerMessages(complianceMessages);

interface Person { ref: string; name: string | null; roles: string[] }
interface FullRecord {
  complaint: {
    _id: string; title: string; description: string; status: string; channel: string; product: string; category: string | null; severity: string | null;
    departments: string[]; createdAt: string; customer: Person; engineer: Person | null;
    commitments: Array<{ id: string; kind: string; description: string; ownerDepartment: string; dueAt: string; status: string }>;
    evaluations: Array<{ id: string; stars: number; tags: string[]; comment: string | null; at: string }>;
    attachments: Array<{ id: string; filename: string; contentType: string; size: number; sha256: string; uploadedAt: string }>;
  };
  activity: Array<{ at: string; who: Person; what: string }>;
  tasks: Array<{ id: string; elementId: string; name: string | null; state: string; assignee: Person | null; createdAt: string | null; closedAt: string | null; formData?: unknown; comments: Array<{ id: string; author: Person; text: string; at: string }> }>;
  slaClocks: Array<{ _id: string; policyId: string; metric: string; state: string; startedAt: string; dueAt: string | null; metAt: string | null; breachedAt: string | null }>;
  instances: Array<{ id: string; role: string; definitionKey: string; definitionVersion: number; status: string; path: string[]; events: Array<ElementEventLike & { index: number }> }>;
  engine: Array<{ instanceId: string; decrypted: boolean; runs: number; events: Array<{ id: string; time: string | null; type: string; attributes: unknown }> }>;
  audit: { entries: number; head: string | null; problem: { seq: number; field: string; message: string } | null };
}

const problemText = (err: unknown) => (err instanceof ApiError ? `${err.message} (${err.status})` : (err as Error).message);
const when = (v: string | null | undefined) => formatTime(v ?? null, locale());
const who = (p: Person | null) => (p ? h('span', {}, p.name ?? p.ref, p.roles.length ? h('span', { class: 'role' }, ` (${p.roles.join(', ')})`) : null) : '—');

function table(id: string, cols: string[], rows: Array<Array<Node | string>>): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, t('record.none'));
  return h('table', { class: 'list-table', id },
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', {}, t(`record.col.${c}`))))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((cell, i) => h('td', { 'data-label': t(`record.col.${cols[i]}`) }, cell))))));
}
const section = (id: string, title: string, ...body: Array<Node | null>) => h('section', { class: 'panel-section', id }, h('h2', {}, title), ...body);

export default function recordPage(root: HTMLElement, params: Record<string, string>): () => void {
  const id = params.id ?? '';
  const flash = h('p', { class: 'flash', role: 'status', hidden: true, id: 'record-flash' });
  const body = h('div', { id: 'record-body' }, h('p', { class: 'loading' }, t('common.loading')));
  const progress = h('progress', { id: 'record-export-progress', max: 1, value: 0, hidden: true });
  let stopped = false;
  let destroyDiagram: (() => void) | undefined;

  const say = (text: string, isError = false) => {
    flash.textContent = text;
    flash.className = isError ? 'flash error' : 'flash';
    flash.setAttribute('role', isError ? 'alert' : 'status');
    flash.hidden = false;
  };
  const exportButton = (format: 'json' | 'html') => {
    const button = h('button', { type: 'button', id: `record-export-${format}` }, t(format === 'json' ? 'record.exportJson' : 'record.exportHtml'));
    button.addEventListener('click', () => {
      button.disabled = true;
      progress.hidden = false;
      streamExport({ complaintId: id, format }, ({ done, total }) => { progress.max = Math.max(1, total); progress.value = done; })
        .then(({ file, total }) => say(t('compliance.exported', { total, file })))
        .catch((err: unknown) => say(t('compliance.exportFailed', { message: problemText(err) }), true))
        .finally(() => { button.disabled = false; });
    });
    return button;
  };

  render(root, h('section', { class: 'operator-page compliance-page' },
    h('a', { href: '#/compliance', class: 'back' }, '← ', t('record.back')),
    h('div', { class: 'export-bar' }, exportButton('json'), exportButton('html'), progress),
    flash, body));

  async function showDiagram(box: HTMLElement, record: FullRecord): Promise<void> {
    const diagramInfo = await api.get<{ xml: string }>(`/api/compliance/complaints/${id}/diagram`);
    if (stopped) return;
    const diagram = createDiagram(box);
    await diagram.load(diagramInfo.xml);
    const own = record.instances.find((i) => i.role === 'complaint') ?? record.instances[0];
    const path = pathTaken(diagram.flows(), own?.events ?? []);
    diagram.showState({ activeElements: [], completedElements: path.elements, takenFlows: path.flows, incidents: [], timers: [], sla: new Map(), onRetry: () => undefined });
    destroyDiagram = () => box.replaceChildren();
  }

  async function load(): Promise<void> {
    try {
      const r = await api.get<FullRecord>(`/api/compliance/complaints/${id}`);
      if (stopped) return;
      const c = r.complaint;
      const canvas = h('div', { class: 'viewer-canvas record-canvas', id: 'record-canvas' });
      render(body,
        h('div', { class: 'record-head' },
          h('h1', {}, c.title), h('div', { class: 'muted mono' }, c._id),
          r.audit.problem
            ? h('p', { class: 'audit-bad', id: 'record-audit', role: 'alert' }, t('record.audit.bad', { seq: r.audit.problem.seq, field: r.audit.problem.field }))
            : h('p', { class: 'audit-ok', id: 'record-audit' }, t('record.audit.ok', { entries: r.audit.entries })),
          h('dl', {},
            h('dt', {}, t('record.customer')), h('dd', {}, who(c.customer)),
            h('dt', {}, t('record.engineer')), h('dd', {}, who(c.engineer)),
            h('dt', {}, t('record.status')), h('dd', {}, c.status),
            h('dt', {}, t('record.filed')), h('dd', {}, `${when(c.createdAt)} · ${c.channel} · ${c.product}`),
            h('dt', {}, t('record.category')), h('dd', {}, `${c.category ?? '—'} · ${c.severity ?? '—'} · ${c.departments.join(', ') || '—'}`),
            h('dt', {}, t('record.description')), h('dd', {}, c.description))),
        section('record-activity', t('record.activity'), table('activity-table', ['when', 'who', 'what'], r.activity.map((a) => [when(a.at), who(a.who), a.what]))),
        section('record-tasks', t('record.tasks'), table('tasks-table', ['task', 'state', 'assignee', 'closed', 'form', 'comments'], r.tasks.map((task) => [
          h('span', {}, task.name ?? task.elementId, h('div', { class: 'muted mono' }, task.elementId)), task.state, who(task.assignee), when(task.closedAt),
          task.formData === undefined ? '—' : h('pre', {}, JSON.stringify(task.formData, null, 2)),
          task.comments.length === 0 ? '—' : h('ul', { class: 'plain' }, ...task.comments.map((m) => h('li', {}, when(m.at), ' ', who(m.author), ': ', m.text))),
        ]))),
        section('record-commitments', t('record.commitments'), table('commitments-table', ['kind', 'what', 'due', 'state'], c.commitments.map((m) => [m.kind, `${m.description} (${m.ownerDepartment})`, when(m.dueAt), m.status]))),
        section('record-evaluations', t('record.evaluations'), table('evaluations-table', ['when', 'stars', 'what'], c.evaluations.map((e) => [when(e.at), '★'.repeat(e.stars), [e.tags.join(', '), e.comment ?? ''].filter(Boolean).join(' — ') || '—']))),
        section('record-photos', t('record.photos'), table('photos-table', ['when', 'file', 'what'], c.attachments.map((a) => [when(a.uploadedAt), a.filename, `${a.contentType}, ${a.size} B, sha256 ${a.sha256.slice(0, 16)}…`]))),
        section('record-sla', t('record.sla'), table('sla-table', ['policy', 'started', 'due', 'result'], r.slaClocks.map((k) => [`${k.policyId} (${k.metric})`, when(k.startedAt), when(k.dueAt), k.breachedAt ? `breached ${when(k.breachedAt)}` : k.metAt ? `met ${when(k.metAt)}` : k.state]))),
        section('record-process', t('record.process'),
          ...r.instances.map((i) => h('p', { class: 'muted' }, t('record.version', { key: i.definitionKey, version: i.definitionVersion, instance: i.id }), ` · ${i.status} · ${i.path.join(' → ')}`)),
          r.instances.length > 0 ? canvas : null),
        section('record-engine', t('record.engine'), ...r.engine.map((e) => h('details', { class: 'engine-history', 'data-instance': e.instanceId },
          h('summary', {}, t('record.engine.summary', { events: e.events.length, runs: e.runs, instance: e.instanceId, how: t(e.decrypted ? 'record.engine.decrypted' : 'record.engine.encrypted') })),
          h('pre', {}, e.events.map((ev) => `#${ev.id} ${ev.time ?? ''} ${ev.type} ${JSON.stringify(ev.attributes)}`).join('\n'))))));
      if (r.instances.length > 0) await showDiagram(canvas, r);
    } catch (err) {
      if (!stopped) render(body, h('p', { class: 'error', role: 'alert' }, t('error.generic', { message: problemText(err) })));
    }
  }
  void load();
  return () => { stopped = true; destroyDiagram?.(); };
}
