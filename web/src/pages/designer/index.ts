/**
 * The designer: model a process with bpmn-js (./modeler.ts), pick integrations from the
 * catalog's element templates, see our lint rules live, deploy and see the server's problems
 * on the elements (./problems.ts), open and save files, open and compare deployed versions
 * (./versions.ts, ./diff.ts), and design user-task forms (./formDialog.ts, ./forms.ts).
 */
import './designer.css';
import type Modeler from 'bpmn-js/lib/Modeler';
import { api, ApiError, request } from '../../core/api';
import { h, render } from '../../core/dom';
import { hashQuery } from '../../core/router';
import { registerMessages, t } from '../../i18n';
import { exposeBenchHook } from './bench';
import { deployDecisionFiles } from './decisions';
import { showDiff } from './diff';
import { isUserTask, readForm, storeForm, type Shape } from './forms';
import { designerMessages } from './messages';
import { createDesignerModeler, emptyDiagram } from './modeler';
import { problemsOf, ServerProblems } from './problems';
import { createVersionsPanel, latestVersions } from './versions';
import { createCoverageOverlay } from './simulation/coverage';
import { createSimulationPanel } from './simulation/panel';

registerMessages(designerMessages);

interface Deployed { key: string; version: number; created: boolean }
type DeployAnswer = Deployed | { definitions: Deployed[] } | { id: string; status: 'pending' };

/** The diagram being edited survives a re-render (language switch) of the page. */
let draft: { route: string; xml: string; key: string | null; version: number | null } | null = null;


export default async function designerPage(root: HTMLElement, params: Record<string, string>): Promise<() => void> {
  let routeKey = params.key ?? null;
  let route = routeKey ?? '';
  const canvasHost = h('div', { class: 'designer-canvas', id: 'designer-canvas' });
  const propertiesHost = h('aside', { class: 'designer-properties', id: 'designer-properties', 'aria-label': t('designer.properties') });

  if (hashQuery().has('bench')) {
    render(root, h('section', { class: 'designer' }, h('div', { class: 'designer-layout bench' }, canvasHost, propertiesHost)));
    return exposeBenchHook(canvasHost, propertiesHost);
  }

  const title = h('h1', { id: 'designer-title' }, t('designer.newDiagram'));
  const status = h('p', { class: 'designer-status', id: 'designer-status', role: 'status' });
  const problemsHost = h('section', { class: 'designer-problems', id: 'designer-problems', hidden: true });
  const versionsHost = h('div', { id: 'designer-versions' });
  const fileInput = h('input', { type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', hidden: true, id: 'designer-file' });
  const deployButton = h('button', { type: 'button', class: 'primary', id: 'designer-deploy' }, t('designer.deploy'));
  const dmnInput = h('input', { type: 'file', accept: '.dmn', multiple: true, hidden: true, id: 'designer-dmn-file' });
  const formButton = h('button', { type: 'button', id: 'designer-edit-form', disabled: true, title: t('designer.editFormHint') }, t('designer.editForm'));
  const simulationHost = h('section', { class: 'designer-simulation', id: 'designer-simulation' });
  const simulateButton = h('button', { type: 'button', id: 'designer-simulate' }, t('sim.open'));
  const coverageButton = h('button', { type: 'button', id: 'designer-coverage' }, t('cov.show'));
  render(root, h('section', { class: 'designer' },
    h('div', { class: 'designer-bar' },
      title,
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', id: 'designer-new', onclick: () => newDiagram() }, t('designer.new')),
        h('button', { type: 'button', id: 'designer-open', onclick: () => fileInput.click() }, t('designer.open')),
        h('button', { type: 'button', id: 'designer-save', onclick: () => void download() }, t('designer.save')),
        h('button', { type: 'button', id: 'designer-decisions', title: t('designer.decisionsHint'), onclick: () => dmnInput.click() }, t('designer.decisions')),
        formButton, simulateButton, coverageButton, deployButton, fileInput, dmnInput)),
    status,
    h('div', { class: 'designer-layout' }, h('aside', { class: 'designer-side' }, problemsHost, simulationHost, versionsHost), canvasHost, propertiesHost)));

  const modeler: Modeler = createDesignerModeler({ container: canvasHost, propertiesParent: propertiesHost });
  const problems = new ServerProblems(modeler, problemsHost);
  const coverage = createCoverageOverlay(modeler);
  let key: string | null = routeKey;
  let version: number | null = null;
  let dirty = false;
  let saveTimer: number | undefined;
  let disposed = false;

  const say = (text: string, kind: 'ok' | 'error' | '' = '') => {
    status.textContent = text;
    status.className = `designer-status ${kind}`;
  };
  const showTitle = () => {
    title.textContent = key === null ? t('designer.newDiagram')
      : version === null ? `${key} · ${t('designer.unsaved')}`
        : dirty ? t('designer.draftOf', { key, version }) : t('designer.version', { key, version });
  };
  const versions = createVersionsPanel({
    host: versionsHost,
    currentKey: () => key,
    currentVersion: () => version,
    openVersion: (k, v) => {
      if (dirty && !window.confirm(t('designer.discard'))) return;
      draft = null;
      location.hash = `#/designer/${encodeURIComponent(k)}?version=${v}`;
    },
    compare: (k, older, newer) => void showDiff(k, older, newer).catch((err: Error) => say(t('error.generic', { message: err.message }), 'error')),
  });
  const refreshVersions = () => versions.refresh().catch((err: Error) => say(t('error.generic', { message: err.message }), 'error'));

  /** The executable process's id: the definition key a deploy will use. */
  const diagramKey = (): string | null => {
    const definitions = modeler.getDefinitions() as { rootElements?: Array<{ $type: string; id: string; isExecutable?: boolean }> } | undefined;
    const processes = (definitions?.rootElements ?? []).filter((r) => r.$type === 'bpmn:Process');
    return (processes.find((p) => p.isExecutable) ?? processes[0])?.id ?? null;
  };

  async function importDiagram(xml: string): Promise<boolean> {
    problems.clear();
    try {
      const { warnings } = await modeler.importXML(xml);
      (modeler.get('canvas') as { zoom(level: string): void }).zoom('fit-viewport');
      if (warnings.length) say(t('designer.importWarnings', { count: warnings.length }));
      return true;
    } catch (err) {
      say(t('designer.openFailed', { message: (err as Error).message }), 'error');
      return false;
    }
  }

  function newDiagram(): void {
    if (dirty && !window.confirm(t('designer.discard'))) return;
    draft = null;
    if (routeKey) { location.hash = '#/designer'; return; }
    const fresh = `Process_${Math.random().toString(36).slice(2, 8)}`;
    key = null; version = null; dirty = false;
    void importDiagram(emptyDiagram(fresh)).then(() => { key = diagramKey(); showTitle(); });
  }

  async function download(): Promise<void> {
    const { xml } = await modeler.saveXML({ format: true });
    if (!xml) return;
    const link = h('a', { href: URL.createObjectURL(new Blob([xml], { type: 'application/xml' })), download: `${diagramKey() ?? 'diagram'}.bpmn` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    void file.text().then(async (xml) => {
      if (!(await importDiagram(xml))) return;
      key = diagramKey(); version = null; dirty = true;
      showTitle();
      remember();
    });
  });

  async function deploy(): Promise<void> {
    deployButton.disabled = true;
    deployButton.textContent = t('designer.deploying');
    problems.clear();
    say('');
    try {
      const { xml } = await modeler.saveXML({ format: true });
      const currentKey = diagramKey() ?? 'diagram';
      const answer = await request<DeployAnswer>('POST', '/api/definitions', {
        body: xml ?? '', contentType: 'application/xml', query: { resourceName: `${currentKey}.bpmn` },
      });
      // Four-eyes: a change to a shipped or running process waits for a second publisher (202).
      if ('status' in answer && answer.status === 'pending') {
        say(t('designer.proposed', { id: answer.id }), 'ok');
        return;
      }
      const deployed = 'definitions' in answer ? answer.definitions.find((d) => d.key === currentKey) ?? answer.definitions[0] : 'key' in answer ? answer : undefined;
      if (!deployed) return;
      // a pending draft save must not bring the deployed diagram back as "changed" after a re-render
      window.clearTimeout(saveTimer);
      key = deployed.key; version = deployed.version; dirty = false; draft = null;
      say(t(deployed.created ? 'designer.deployed' : 'designer.unchanged', { key: deployed.key, version: deployed.version }), 'ok');
      // The address names the latest version now (no `?version=`), without re-mounting the page.
      history.replaceState(null, '', `#/designer/${encodeURIComponent(deployed.key)}`);
      routeKey = deployed.key;
      route = deployed.key;
      showTitle();
      await refreshVersions();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const found = problemsOf(err);
        problems.show(found);
        say(t('designer.deployFailed', { count: found.length }), 'error');
      } else {
        say(t('designer.deployError', { message: (err as Error).message }), 'error');
      }
    } finally {
      deployButton.disabled = false;
      deployButton.textContent = t('designer.deploy');
    }
  }
  deployButton.addEventListener('click', () => void deploy());
  dmnInput.addEventListener('change', () => {
    const files = [...(dmnInput.files ?? [])];
    dmnInput.value = '';
    if (files.length > 0) void deployDecisionFiles(files, problems, say);
  });

  // What-if simulation of the draft against the deployed version, and the coverage overlay (./simulation).
  const simulation = createSimulationPanel({ host: simulationHost, modeler, processId: () => diagramKey() });
  simulateButton.addEventListener('click', () => simulation.toggle());
  coverageButton.addEventListener('click', () => {
    if (coverage.shown) {
      coverage.hide();
      coverageButton.textContent = t('cov.show');
      say('');
      return;
    }
    const deployedKey = version === null ? null : key;
    if (!deployedKey) { say(t('cov.notDeployed'), 'error'); return; }
    coverage.show(deployedKey).then((summary) => {
      coverageButton.textContent = t('cov.hide');
      say(summary, 'ok');
    }, (err: Error) => say(t('cov.failed', { message: err.message }), 'error'));
  });

  function selectedUserTask(): Shape | undefined {
    const selected = (modeler.get('selection') as { get(): Shape[] }).get();
    return selected.length === 1 && isUserTask(selected[0]) ? selected[0] : undefined;
  }
  modeler.on('selection.changed', () => { formButton.disabled = !selectedUserTask(); });
  formButton.addEventListener('click', () => {
    const task = selectedUserTask();
    if (!task) return;
    void (async () => {
      const { editFormSchema } = await import('./formDialog');
      let current: unknown = null;
      try {
        current = readForm(task);
      } catch (err) {
        say(t('form.loadFailed', { message: (err as Error).message }), 'error');
      }
      const schema = await editFormSchema(task.businessObject.name ?? task.id, current);
      if (schema !== null) storeForm(modeler, task, schema);
    })().catch((err: Error) => say(t('error.generic', { message: err.message }), 'error'));
  });

  /** Keeps the edited diagram for a re-render of the page (language switch). */
  function remember(): void {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => {
      void modeler.saveXML().then(({ xml }) => { if (xml && !disposed && dirty) draft = { route, xml, key, version }; });
    }, 300);
  }
  modeler.on('commandStack.changed', () => {
    if (!dirty) { dirty = true; showTitle(); }
    remember();
  });

  // Templates: the activity catalog's integrations, picked with the chooser.
  modeler.on('elementTemplates.errors', (event: { errors?: Error[] }) => {
    say(t('designer.templateErrors', { message: (event.errors ?? []).map((e) => e.message).join('; ') }), 'error');
  });
  api.get<unknown[]>('/api/catalog/element-templates')
    .then((templates) => (modeler.get('elementTemplatesLoader') as { setTemplates(t: unknown[]): void }).setTemplates(templates))
    .catch((err: Error) => say(t('error.generic', { message: err.message }), 'error'));

  // What to show: the draft of this route, a requested version, the latest version, or a new diagram.
  const requested = Number(hashQuery().get('version') ?? '') || null;
  if (draft && draft.route === route && requested === null) {
    const kept = draft;
    key = kept.key; version = kept.version;
    await importDiagram(kept.xml);
    dirty = true;
  } else if (routeKey) {
    try {
      const all = await latestVersions(routeKey);
      version = requested ?? all[0]?.version ?? null;
      if (version !== null) await importDiagram(await api.text(`/api/definitions/${encodeURIComponent(routeKey)}/versions/${version}/xml`));
    } catch (err) {
      say(t('error.generic', { message: (err as Error).message }), 'error');
    }
  } else {
    await importDiagram(emptyDiagram(`Process_${Math.random().toString(36).slice(2, 8)}`));
    key = diagramKey();
  }
  showTitle();
  void refreshVersions();

  return () => {
    window.clearTimeout(saveTimer);
    // A pending change is kept for the next mount (the page re-renders on a language switch).
    if (dirty) void modeler.saveXML().then(({ xml }) => { if (xml) draft = { route, xml, key, version }; });
    disposed = true;
    modeler.destroy();
  };
}
