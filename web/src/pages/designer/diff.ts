/**
 * A visual comparison of two deployed versions: both diagrams side by side in bpmn-js viewers,
 * bpmn-js-differ's semantic diff marked on them (added and changed on the newer one, removed on
 * the older one, moved on both), a legend, and the list of changes (click: show the element).
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { diff, type Changes } from 'bpmn-js-differ';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import slaModdle from '../../../../processes/sla/descriptor.json';
import { api } from '../../core/api';
import { h } from '../../core/dom';
import { t } from '../../i18n';
import type { ModdleElement } from './sla/model';
import { slaEdits, type SlaEdit } from './slaDiff';

type Kind = 'added' | 'removed' | 'changed' | 'layout';
interface Change { kind: Kind; id: string; type: string; name?: string; details: string[] }

const xmlPath = (key: string, version: number) => `/api/definitions/${encodeURIComponent(key)}/versions/${version}/xml`;

interface Placed { x: number; y: number; width?: number; height?: number; waypoints?: Array<{ x: number; y: number }> }

/** Where an element is drawn, to tell a real move from a DI attribute the modeler rewrote (e.g. isMarkerVisible). */
const placement = (el: Placed | undefined) => (el ? JSON.stringify(el.waypoints?.map((p) => [p.x, p.y]) ?? [el.x, el.y, el.width, el.height]) : null);

function changeList(changes: Changes, moved: (id: string) => boolean): Change[] {
  const shortType = (type: string) => type.replace(/^bpmn:/, '');
  const list: Change[] = [];
  for (const [id, el] of Object.entries(changes._added)) list.push({ kind: 'added', id, type: shortType(el.$type), name: el.name, details: [] });
  for (const [id, el] of Object.entries(changes._removed)) list.push({ kind: 'removed', id, type: shortType(el.$type), name: el.name, details: [] });
  for (const [id, c] of Object.entries(changes._changed)) {
    // bpmn-js-differ hands a changed attribute's values over swapped: its `oldValue` is the newer version's.
    const details = Object.entries(c.attrs).map(([name, v]) => t('diff.attr', { name, old: String(v.newValue ?? '—'), new: String(v.oldValue ?? '—') }));
    list.push({ kind: 'changed', id, type: shortType(c.model.$type), name: c.model.name, details });
  }
  for (const [id, el] of Object.entries(changes._layoutChanged)) {
    if (!changes._changed[id] && !changes._added[id] && moved(id)) list.push({ kind: 'layout', id, type: shortType(el.$type), name: el.name, details: [] });
  }
  return list;
}

export async function showDiff(key: string, oldVersion: number, newVersion: number): Promise<void> {
  const [oldXml, newXml] = await Promise.all([api.text(xmlPath(key, oldVersion)), api.text(xmlPath(key, newVersion))]);
  const oldHost = h('div', { class: 'diff-canvas', id: 'diff-old' });
  const newHost = h('div', { class: 'diff-canvas', id: 'diff-new' });
  const listHost = h('ol', { class: 'diff-changes', id: 'diff-changes' });
  const close = h('button', { type: 'button', id: 'diff-close' }, t('diff.close'));
  const legend = h('div', { class: 'diff-legend' },
    ...(['added', 'removed', 'changed', 'layout'] as const).map((k) => h('span', { class: `diff-key diff-${k}` }, t(`diff.${k}`))));
  const dialog = h('dialog', { class: 'diff-dialog', id: 'diff-dialog' },
    h('header', { class: 'dialog-header' }, h('h2', {}, t('diff.title', { key, old: oldVersion, new: newVersion })), legend, close),
    h('div', { class: 'diff-panes' },
      h('section', {}, h('h3', {}, t('diff.oldSide', { version: oldVersion })), oldHost),
      h('section', {}, h('h3', {}, t('diff.newSide', { version: newVersion })), newHost)),
    listHost);
  document.body.append(dialog);
  dialog.showModal();
  const options = { moddleExtensions: { zeebe: zeebeModdle, sla: slaModdle } };
  const oldViewer = new NavigatedViewer({ container: oldHost, ...options } as ConstructorParameters<typeof NavigatedViewer>[0]);
  const newViewer = new NavigatedViewer({ container: newHost, ...options } as ConstructorParameters<typeof NavigatedViewer>[0]);
  const done = () => { oldViewer.destroy(); newViewer.destroy(); dialog.close(); dialog.remove(); };
  close.addEventListener('click', done);
  dialog.addEventListener('close', () => { if (dialog.isConnected) done(); });
  await Promise.all([oldViewer.importXML(oldXml), newViewer.importXML(newXml)]);
  const changes = diff(oldViewer.getDefinitions(), newViewer.getDefinitions());
  const canvas = (viewer: NavigatedViewer) => viewer.get('canvas') as { zoom(level: string): void; addMarker(id: string, m: string): void; scrollToElement(el: unknown): void };
  const registry = (viewer: NavigatedViewer) => viewer.get('elementRegistry') as { get(id: string): Placed | undefined };
  const list = changeList(changes, (id) => placement(registry(oldViewer).get(id)) !== placement(registry(newViewer).get(id)));
  for (const viewer of [oldViewer, newViewer]) canvas(viewer).zoom('fit-viewport');
  for (const change of list) {
    const targets = change.kind === 'removed' ? [oldViewer] : change.kind === 'layout' ? [oldViewer, newViewer] : [newViewer];
    for (const viewer of targets) if (registry(viewer).get(change.id)) canvas(viewer).addMarker(change.id, `diff-${change.kind}`);
  }
  const sla = slaEdits(oldViewer.getDefinitions() as unknown as ModdleElement, newViewer.getDefinitions() as unknown as ModdleElement);
  for (const edit of sla) {
    const viewer = edit.kind === 'removed' ? oldViewer : newViewer;
    if (registry(viewer).get(edit.elementId)) canvas(viewer).addMarker(edit.elementId, 'diff-changed');
  }
  listHost.append(...(list.length === 0 && sla.length === 0 ? [h('li', { class: 'notice' }, t('diff.none'))] : [...sla.map(slaItem), ...list.map((c) => h('li', { class: `diff-${c.kind}`, 'data-change': c.id },
    h('button', {
      type: 'button', class: 'link',
      onclick: () => {
        const viewer = c.kind === 'removed' ? oldViewer : newViewer;
        const el = registry(viewer).get(c.id);
        if (el) canvas(viewer).scrollToElement(el);
      },
    }, `${t(`diff.${c.kind}`)}: ${c.name ?? c.id}`),
    h('span', { class: 'muted' }, ` (${c.type})`),
    c.details.length ? h('ul', {}, ...c.details.map((d) => h('li', {}, d))) : null))]));
}

/** One SLA policy added, removed or changed, with each changed field old → new. */
function slaItem(edit: SlaEdit): HTMLElement {
  return h('li', { class: `diff-${edit.kind} diff-sla`, 'data-sla-policy': edit.policyId },
    t(`diff.sla.${edit.kind}`, { policy: edit.policyId, element: edit.elementName ?? edit.elementId }),
    edit.fields.length ? h('ul', {}, ...edit.fields.map((f) => h('li', {}, t('diff.attr', { name: f.field, old: f.old || '—', new: f.new || '—' })))) : null);
}
