/** The designer's page: the toolbar, status line, side panels, canvas and properties panel. */
import { h, render } from '../../core/dom';
import { t } from '../../i18n';

export interface DesignerView {
  title: HTMLElement;
  status: HTMLElement;
  problemsHost: HTMLElement;
  versionsHost: HTMLElement;
  simulationHost: HTMLElement;
  canvasHost: HTMLElement;
  propertiesHost: HTMLElement;
  newButton: HTMLButtonElement;
  openButton: HTMLButtonElement;
  saveButton: HTMLButtonElement;
  decisionsButton: HTMLButtonElement;
  formButton: HTMLButtonElement;
  simulateButton: HTMLButtonElement;
  coverageButton: HTMLButtonElement;
  deployButton: HTMLButtonElement;
  fileInput: HTMLInputElement;
  dmnInput: HTMLInputElement;
  /** Shows a line in the status bar ('' clears the colour). */
  say(text: string, kind?: 'ok' | 'error' | ''): void;
}

export function designerHosts(): Pick<DesignerView, 'canvasHost' | 'propertiesHost'> {
  return {
    canvasHost: h('div', { class: 'designer-canvas', id: 'designer-canvas' }),
    propertiesHost: h('aside', { class: 'designer-properties', id: 'designer-properties', 'aria-label': t('designer.properties') }),
  };
}

export function renderDesignerView(root: HTMLElement, hosts: Pick<DesignerView, 'canvasHost' | 'propertiesHost'>): DesignerView {
  const button = (id: string, label: string, extra: Record<string, unknown> = {}) => h('button', { type: 'button', id, ...extra }, label);
  const status = h('p', { class: 'designer-status', id: 'designer-status', role: 'status' });
  const view: DesignerView = {
    ...hosts,
    title: h('h1', { id: 'designer-title' }, t('designer.newDiagram')),
    status,
    problemsHost: h('section', { class: 'designer-problems', id: 'designer-problems', hidden: true }),
    versionsHost: h('div', { id: 'designer-versions' }),
    simulationHost: h('section', { class: 'designer-simulation', id: 'designer-simulation' }),
    newButton: button('designer-new', t('designer.new')),
    openButton: button('designer-open', t('designer.open')),
    saveButton: button('designer-save', t('designer.save')),
    decisionsButton: button('designer-decisions', t('designer.decisions'), { title: t('designer.decisionsHint') }),
    formButton: button('designer-edit-form', t('designer.editForm'), { disabled: true, title: t('designer.editFormHint') }),
    simulateButton: button('designer-simulate', t('sim.open')),
    coverageButton: button('designer-coverage', t('cov.show')),
    deployButton: button('designer-deploy', t('designer.deploy'), { class: 'primary' }),
    fileInput: h('input', { type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', hidden: true, id: 'designer-file' }),
    dmnInput: h('input', { type: 'file', accept: '.dmn', multiple: true, hidden: true, id: 'designer-dmn-file' }),
    say(text, kind = '') {
      status.textContent = text;
      status.className = `designer-status ${kind}`;
    },
  };
  render(root, h('section', { class: 'designer' },
    h('div', { class: 'designer-bar' },
      view.title,
      h('div', { class: 'toolbar' },
        view.newButton, view.openButton, view.saveButton, view.decisionsButton,
        view.formButton, view.simulateButton, view.coverageButton, view.deployButton, view.fileInput, view.dmnInput)),
    status,
    h('div', { class: 'designer-layout' },
      h('aside', { class: 'designer-side' }, view.problemsHost, view.simulationHost, view.versionsHost), view.canvasHost, view.propertiesHost)));
  return view;
}
