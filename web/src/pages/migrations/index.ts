/**
 * Migrations (decision 0041): choose a process, the versions from and to, the instances (ids,
 * or every active one of the source version), element mappings and a reason; **Dry run**
 * shows per instance whether it can move and what maps (nothing changes); **Migrate** starts
 * the durable batches and follows their progress to the result list.
 */
import '../instances/operator.css';
import { h, render } from '../../core/dom';
import { registerMessages, t } from '../../i18n';
import { operationsApi, problemsOf, type DryRun, type MigrationProgress, type Selection } from '../instances/operations';
import { operationsMessages } from './messages';
import { mappingView } from './mappingView';
import { replayView } from './replayView';
import { api } from '../../core/api';

registerMessages(operationsMessages);

const POLL_MS = 1000;

export default function migrationsPage(root: HTMLElement): () => void {
  const field = (id: string, label: string, input: HTMLElement) => h('label', { for: id }, label, input);
  const processKey = h('input', { id: 'migration-process', required: true }) as HTMLInputElement;
  const source = h('input', { id: 'migration-source', type: 'number', min: 1, required: true }) as HTMLInputElement;
  const target = h('input', { id: 'migration-target', type: 'number', min: 1, required: true }) as HTMLInputElement;
  const instances = h('textarea', { id: 'migration-instances', rows: 3 }) as HTMLTextAreaElement;
  const mapping = h('textarea', { id: 'migration-mapping', rows: 3, placeholder: 'decide=assess' }) as HTMLTextAreaElement;
  const reason = h('input', { id: 'migration-reason', maxlength: 500 }) as HTMLInputElement;
  const batchSize = h('input', { id: 'migration-batch', type: 'number', min: 1, max: 100, value: 20 }) as HTMLInputElement;
  const dryRun = h('button', { type: 'button', id: 'migration-dry-run' }, t('migrations.dryRun')) as HTMLButtonElement;
  const start = h('button', { type: 'button', id: 'migration-start' }, t('migrations.start')) as HTMLButtonElement;
  const showMapping = h('button', { type: 'button', id: 'migration-show-mapping' }, t('migrations.showMapping')) as HTMLButtonElement;
  const diagrams = mappingView();
  const flash = h('p', { class: 'flash', id: 'migration-flash', role: 'status', hidden: true });
  const results = h('div', { class: 'results', id: 'migration-results' });
  let stopped = false;
  let poll: number | undefined;

  render(root, h('section', { class: 'operator-page migrations' },
    h('div', { class: 'page-head' }, h('h1', {}, t('migrations.title'))),
    h('form', { class: 'filters migration-form', id: 'migration-form', onsubmit: (e: Event) => e.preventDefault() },
      field('migration-process', t('migrations.process'), processKey),
      field('migration-source', t('migrations.source'), source),
      field('migration-target', t('migrations.target'), target),
      field('migration-instances', t('migrations.instances'), instances),
      field('migration-mapping', t('migrations.mapping'), mapping),
      field('migration-reason', t('migrations.reason'), reason),
      field('migration-batch', t('migrations.batchSize'), batchSize),
      h('div', { class: 'actions' }, showMapping, dryRun, start)),
    flash,
    diagrams.element,
    results));

  const say = (text: string, isError = false) => {
    flash.textContent = text;
    flash.className = isError ? 'flash error' : 'flash';
    flash.setAttribute('role', isError ? 'alert' : 'status');
    flash.hidden = false;
  };

  const selection = (): Selection | null => {
    const pairs: Selection['mapping'] = [];
    const lines = mapping.value.split('\n').map((l) => l.trim());
    for (const [i, line] of lines.entries()) {
      if (!line) continue;
      const [from, to, extra] = line.split('=').map((s) => s.trim());
      if (!from || !to || extra !== undefined) {
        say(t('migrations.badMapping', { line: i + 1 }), true);
        return null;
      }
      pairs.push({ sourceElementId: from, targetElementId: to });
    }
    const ids = instances.value.split(/\s+/).filter(Boolean);
    return {
      processKey: processKey.value.trim(), sourceVersion: Number(source.value), targetVersion: Number(target.value),
      ...(ids.length ? { instanceIds: ids } : {}), mapping: pairs,
    };
  };

  const table = (rows: HTMLElement[]) => h('table', { class: 'data', id: 'migration-table' },
    h('thead', {}, h('tr', {}, h('th', {}, t('migrations.col.instance')), h('th', {}, t('migrations.col.result')), h('th', {}, t('migrations.col.details')))),
    h('tbody', {}, ...rows));

  const showDryRun = (report: DryRun) => {
    say(t('migrations.summary', { migratable: report.migratable, total: report.total }));
    render(results, table(report.instances.map((i) => h('tr', { 'data-instance': i.instanceId, 'data-result': i.migratable ? 'migratable' : 'refused' },
      h('td', { class: 'mono' }, h('a', { href: `#/instances/${i.instanceId}` }, i.instanceId)),
      h('td', {}, i.migratable ? (i.consistent ? t('migrations.migratable') : t('migrations.inconsistent')) : t('migrations.refused')),
      h('td', {},
        ...i.refusals.map((r) => h('div', { class: 'refusal', 'data-element': r.elementId }, `${r.elementId}: ${r.reason}`)),
        i.migratable ? h('div', { class: 'muted' }, t('migrations.mapped', { tasks: i.tasks.length, timers: i.timers.length, subscriptions: i.subscriptions.length })) : null,
        ...i.divergences.map((d) => h('div', { class: 'divergence muted', 'data-element': d.elementId }, d.message)),
        replayView(i.replay))))));
  };

  const showProgress = (p: MigrationProgress) => {
    say(p.status === 'completed'
      ? t('migrations.completed', { id: p.migrationId, migrated: p.migrated, refused: p.refused })
      : t('migrations.progress', { id: p.migrationId, done: p.done, total: p.total, migrated: p.migrated, refused: p.refused }));
    render(results, table(p.results.map((r) => h('tr', { 'data-instance': r.instanceId, 'data-result': r.status },
      h('td', { class: 'mono' }, h('a', { href: `#/instances/${r.instanceId}` }, r.instanceId)),
      h('td', {}, t(`migrations.${r.status}`)),
      h('td', {}, r.reason ?? '')))));
    if (p.status !== 'completed' && !stopped) poll = window.setTimeout(() => void follow(p.migrationId), POLL_MS);
  };

  async function follow(migrationId: string): Promise<void> {
    try {
      showProgress(await operationsApi.progress(migrationId));
    } catch (err) {
      say(t('migrations.failed', { message: problemsOf(err) }), true);
      if (!stopped) poll = window.setTimeout(() => void follow(migrationId), POLL_MS * 3);
    }
  }

  showMapping.addEventListener('click', () => {
    const chosen = selection();
    if (!chosen) return;
    const xml = (version: number) => api.text(`/api/definitions/${encodeURIComponent(chosen.processKey)}/versions/${version}/xml`);
    Promise.all([xml(chosen.sourceVersion), xml(chosen.targetVersion)])
      .then(([from, to]) => diagrams.show(from, to, chosen.mapping))
      .catch((err: unknown) => say(t('migrations.failed', { message: problemsOf(err) }), true));
  });
  dryRun.addEventListener('click', () => {
    const chosen = selection();
    if (!chosen) return;
    dryRun.disabled = true;
    operationsApi.dryRun(chosen).then(showDryRun)
      .catch((err: unknown) => say(t('migrations.failed', { message: problemsOf(err) }), true))
      .finally(() => { dryRun.disabled = false; });
  });
  start.addEventListener('click', () => {
    const chosen = selection();
    if (!chosen) return;
    start.disabled = true;
    window.clearTimeout(poll);
    operationsApi.start({ ...chosen, reason: reason.value, batchSize: Number(batchSize.value) || 20 })
      .then((started) => follow(started.migrationId))
      .catch((err: unknown) => say(t('migrations.failed', { message: problemsOf(err) }), true))
      .finally(() => { start.disabled = false; });
  });

  return () => {
    stopped = true;
    window.clearTimeout(poll);
    diagrams.destroy();
  };
}
