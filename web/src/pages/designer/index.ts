/**
 * The designer: model a process with bpmn-js (./modeler.ts), pick integrations from the
 * catalog's element templates, see our lint rules live, deploy (./deploy.ts) and see the
 * server's problems on the elements (./problems.ts), open and save files (./document.ts), open
 * and compare deployed versions (./versions.ts, ./diff.ts), and design user-task forms
 * (./formDialog.ts, ./forms.ts). This file wires the page (./view.ts) to those parts.
 */
import './designer.css';
import type Modeler from 'bpmn-js/lib/Modeler';
import { api } from '../../core/api';
import { h, render } from '../../core/dom';
import { hashQuery } from '../../core/router';
import { registerMessages, t } from '../../i18n';
import { exposeBenchHook } from './bench';
import { deployDecisionFiles } from './decisions';
import { deployDiagram } from './deploy';
import { showDiff } from './diff';
import { createDesignerDocument } from './document';
import { isUserTask, readForm, storeForm, type Shape } from './forms';
import { designerMessages } from './messages';
import { createDesignerModeler } from './modeler';
import { ServerProblems } from './problems';
import { createVersionsPanel } from './versions';
import { createCoverageOverlay } from './simulation/coverage';
import { createSimulationPanel } from './simulation/panel';
import { designerHosts, renderDesignerView, type DesignerView } from './view';

registerMessages(designerMessages);

const failed = (view: DesignerView) => (err: Error) => view.say(t('error.generic', { message: err.message }), 'error');

/** The coverage overlay of the deployed version: how often each element ran (./simulation/coverage.ts). */
function wireCoverage(modeler: Modeler, view: DesignerView, deployedKey: () => string | null): void {
  const coverage = createCoverageOverlay(modeler);
  const { coverageButton, say } = view;
  coverageButton.addEventListener('click', () => {
    if (coverage.shown) {
      coverage.hide();
      coverageButton.textContent = t('cov.show');
      say('');
      return;
    }
    const key = deployedKey();
    if (!key) { say(t('cov.notDeployed'), 'error'); return; }
    coverage.show(key).then((summary) => {
      coverageButton.textContent = t('cov.hide');
      say(summary, 'ok');
    }, (err: Error) => say(t('cov.failed', { message: err.message }), 'error'));
  });
}

/** The form editor of the selected user task (./formDialog.ts, loaded on first use). */
function wireFormEditing(modeler: Modeler, view: DesignerView): void {
  const selectedUserTask = (): Shape | undefined => {
    const selected = (modeler.get('selection') as { get(): Shape[] }).get();
    return selected.length === 1 && isUserTask(selected[0]) ? selected[0] : undefined;
  };
  modeler.on('selection.changed', () => { view.formButton.disabled = !selectedUserTask(); });
  view.formButton.addEventListener('click', () => {
    const task = selectedUserTask();
    if (!task) return;
    void (async () => {
      const { editFormSchema } = await import('./formDialog');
      let current: unknown = null;
      try {
        current = readForm(task);
      } catch (err) {
        view.say(t('form.loadFailed', { message: (err as Error).message }), 'error');
      }
      const schema = await editFormSchema(task.businessObject.name ?? task.id, current);
      if (schema !== null) storeForm(modeler, task, schema);
    })().catch(failed(view));
  });
}

/** Templates: the activity catalog's integrations, picked with the chooser. */
function loadTemplates(modeler: Modeler, view: DesignerView): void {
  modeler.on('elementTemplates.errors', (event: { errors?: Error[] }) => {
    view.say(t('designer.templateErrors', { message: (event.errors ?? []).map((e) => e.message).join('; ') }), 'error');
  });
  api.get<unknown[]>('/api/catalog/element-templates')
    .then((templates) => (modeler.get('elementTemplatesLoader') as { setTemplates(t: unknown[]): void }).setTemplates(templates))
    .catch(failed(view));
}

export default async function designerPage(root: HTMLElement, params: Record<string, string>): Promise<() => void> {
  const hosts = designerHosts();
  if (hashQuery().has('bench')) {
    render(root, h('section', { class: 'designer' }, h('div', { class: 'designer-layout bench' }, hosts.canvasHost, hosts.propertiesHost)));
    return exposeBenchHook(hosts.canvasHost, hosts.propertiesHost);
  }
  const view = renderDesignerView(root, hosts);
  const modeler: Modeler = createDesignerModeler({ container: view.canvasHost, propertiesParent: view.propertiesHost });
  const problems = new ServerProblems(modeler, view.problemsHost);
  const doc = createDesignerDocument(modeler, view, problems, params.key ?? null);
  const { state } = doc;

  const versions = createVersionsPanel({
    host: view.versionsHost,
    currentKey: () => state.key,
    currentVersion: () => state.version,
    openVersion: (key, version) => doc.openVersion(key, version),
    compare: (key, older, newer) => void showDiff(key, older, newer).catch(failed(view)),
  });
  const refreshVersions = () => versions.refresh().catch(failed(view));

  // Files: new, open, save, decision tables.
  view.newButton.addEventListener('click', () => doc.newDiagram());
  view.openButton.addEventListener('click', () => view.fileInput.click());
  view.saveButton.addEventListener('click', () => void doc.download());
  view.decisionsButton.addEventListener('click', () => view.dmnInput.click());
  view.fileInput.addEventListener('change', () => {
    const file = view.fileInput.files?.[0];
    view.fileInput.value = '';
    if (file) void doc.openFile(file);
  });
  view.dmnInput.addEventListener('change', () => {
    const files = [...(view.dmnInput.files ?? [])];
    view.dmnInput.value = '';
    if (files.length > 0) void deployDecisionFiles(files, problems, view.say);
  });
  view.deployButton.addEventListener('click', () => void deployDiagram(modeler, doc, view, problems, refreshVersions));

  // What-if simulation of the draft against the deployed version, and the coverage overlay (./simulation).
  const simulation = createSimulationPanel({ host: view.simulationHost, modeler, processId: () => doc.diagramKey() });
  view.simulateButton.addEventListener('click', () => simulation.toggle());
  wireCoverage(modeler, view, () => (state.version === null ? null : state.key));
  wireFormEditing(modeler, view);
  modeler.on('commandStack.changed', () => doc.changed());
  loadTemplates(modeler, view);

  await doc.openInitial();
  void refreshVersions();

  return () => {
    doc.dispose();
    modeler.destroy();
  };
}
