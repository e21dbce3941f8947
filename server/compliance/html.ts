/**
 * The readable export: one self-contained HTML document (inline style, no script), streamed
 * one complaint at a time. Every text is escaped; nothing in it is loaded from elsewhere.
 */
import type { FullRecord } from './service';
import type { Person } from './record';

export const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—');
const who = (p: Person | null) => (p ? `${esc(p.name ?? p.ref)}${p.roles.length ? ` <span class="role">(${esc(p.roles.join(', '))})</span>` : ''}` : '—');
const table = (head: string[], rows: string[][]) => rows.length === 0 ? '<p class="none">None.</p>'
  : `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
const json = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;

export function htmlHead(title: string, meta: Record<string, string>): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}h1{font-size:1.4rem}h2{font-size:1.15rem;border-bottom:2px solid #333;padding-top:1rem}h3{font-size:1rem;margin-top:1.2rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#eee}
.role{color:#555}.none{color:#666}pre{white-space:pre-wrap;word-break:break-word;background:#f6f6f6;padding:.4rem;font-size:12px}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
article{page-break-before:always}.ok{color:#0a6b2d}.bad{color:#b00020;font-weight:700}</style></head><body>
<h1>${esc(title)}</h1><dl>${Object.entries(meta).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>\n`;
}

export function htmlRecord(r: FullRecord, index: number, total: number): string {
  const c = r.complaint;
  const audit = r.audit.problem
    ? `<p class="bad">Audit chain broken at entry ${r.audit.problem.seq}, field ${esc(r.audit.problem.field)}: ${esc(r.audit.problem.message)}</p>`
    : `<p class="ok">Audit chain whole: ${r.audit.entries} entries, head ${esc(r.audit.head ?? '—')}</p>`;
  return `<article id="${esc(c._id)}" data-index="${index}" data-total="${total}">
<h2>${esc(c._id)} — ${esc(c.title)}</h2>${audit}
<dl><dt>Customer</dt><dd>${who(c.customer)}</dd><dt>Channel</dt><dd>${esc(c.channel)}</dd><dt>Product</dt><dd>${esc(c.product)}</dd>
<dt>Status</dt><dd>${esc(c.status)}</dd><dt>Category</dt><dd>${esc(c.category ?? '—')} · severity ${esc(c.severity ?? '—')}</dd>
<dt>Departments</dt><dd>${esc(c.departments.join(', ') || '—')}</dd><dt>Engineer</dt><dd>${who(c.engineer)}</dd>
<dt>Filed</dt><dd>${iso(c.createdAt)}</dd><dt>Description</dt><dd>${esc(c.description)}</dd></dl>
<h3>Who did what, when</h3>${table(['When', 'Who', 'What'], r.activity.map((a) => [iso(a.at), who(a.who), esc(a.what)]))}
<h3>Tasks</h3>${table(['Task', 'State', 'Assignee', 'Opened', 'Closed', 'Form data', 'Comments'], r.tasks.map((t) => [
    `${esc(t.name ?? t.elementId)}<br><code>${esc(t.elementId)}</code>`, esc(t.state), who(t.assignee), iso(t.createdAt), iso(t.closedAt),
    t.formData === undefined ? '—' : json(t.formData),
    t.comments.map((m) => `${iso(m.at)} ${who(m.author)}: ${esc(m.text)}`).join('<br>') || '—']))}
<h3>Commitments</h3>${table(['Kind', 'Description', 'Owner', 'Due', 'Status'], c.commitments.map((m) => [esc(m.kind), esc(m.description), esc(m.ownerDepartment), iso(m.dueAt), esc(m.status)]))}
<h3>Evaluations</h3>${table(['When', 'Stars', 'Tags', 'Comment'], c.evaluations.map((e) => [iso(e.at), esc(e.stars), esc(e.tags.join(', ')), esc(e.comment ?? '')]))}
<h3>Photos</h3>${table(['File', 'Type', 'Size', 'SHA-256', 'Taken', 'Uploaded'], c.attachments.map((a) => [esc(a.filename), esc(a.contentType), esc(a.size), `<code>${esc(a.sha256)}</code>`, iso(a.takenAt), iso(a.uploadedAt)]))}
<h3>SLA clocks</h3>${table(['Policy', 'Metric', 'State', 'Started', 'Due', 'Met', 'Breached'], r.slaClocks.map((k) => [esc(k.policyId), esc(k.metric), esc(k.state), iso(k.startedAt), iso(k.dueAt), iso(k.metAt), iso(k.breachedAt)]))}
<h3>Process</h3>${table(['Instance', 'Role', 'Process version', 'Status', 'Path'], r.instances.map((i) => [`<code>${esc(i.id)}</code>`, esc(i.role), `${esc(i.definitionKey)} v${esc(i.definitionVersion)}`, esc(i.status), esc(i.path.join(' → '))]))}
<h3>Engine history</h3>${r.engine.length === 0 ? '<p class="none">Not included.</p>' : r.engine.map((h) => `<p><code>${esc(h.instanceId)}</code>: ${h.events.length} events in ${h.runs} run(s), payloads ${h.decrypted ? 'decrypted' : 'encrypted'}${h.truncated ? ' (truncated)' : ''}</p>${table(['#', 'Time', 'Event', 'Attributes'], h.events.map((e) => [esc(e.id), iso(e.time), esc(e.type), json(e.attributes)]))}`).join('')}
</article>\n`;
}

export const htmlTail = (count: number, digest: string) => `<footer><p>${count} complaint(s). Digest of the audit chain heads (sha256): <code>${esc(digest)}</code></p></footer></body></html>\n`;
