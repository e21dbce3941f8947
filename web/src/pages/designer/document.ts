/**
 * The diagram open in the designer: which process and version it is, whether it has unsaved
 * changes, the title saying so, and the draft kept across a re-render of the page (a language
 * switch re-mounts it). Opening: a file, a deployed version, a new diagram.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { api } from '../../core/api';
import { h } from '../../core/dom';
import { hashQuery } from '../../core/router';
import { t } from '../../i18n';
import { emptyDiagram } from './modeler';
import type { ServerProblems } from './problems';
import { latestVersions } from './versions';
import type { DesignerView } from './view';

interface Draft { route: string; xml: string; key: string | null; version: number | null }

/** The diagram being edited survives a re-render (language switch) of the page. */
let draft: Draft | null = null;

const freshProcessId = () => `Process_${Math.random().toString(36).slice(2, 8)}`;

export type DesignerDocument = ReturnType<typeof createDesignerDocument>;

export function createDesignerDocument(modeler: Modeler, view: DesignerView, problems: ServerProblems, routeKey: string | null) {
  const state = {
    /** The process key in the address (`#/designer/<key>`), null for a new diagram. */
    routeKey,
    key: routeKey,
    version: null as number | null,
    dirty: false,
  };
  let saveTimer: number | undefined;
  let disposed = false;
  const route = () => state.routeKey ?? '';

  const showTitle = () => {
    const { key, version, dirty } = state;
    view.title.textContent = key === null ? t('designer.newDiagram')
      : version === null ? `${key} · ${t('designer.unsaved')}`
        : dirty ? t('designer.draftOf', { key, version }) : t('designer.version', { key, version });
  };

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
      if (warnings.length) view.say(t('designer.importWarnings', { count: warnings.length }));
      return true;
    } catch (err) {
      view.say(t('designer.openFailed', { message: (err as Error).message }), 'error');
      return false;
    }
  }

  /** Keeps the edited diagram for a re-render of the page (language switch). */
  function remember(): void {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => {
      void modeler.saveXML().then(({ xml }) => { if (xml && !disposed && state.dirty) draft = { route: route(), xml, key: state.key, version: state.version }; });
    }, 300);
  }

  return {
    state,
    showTitle,
    diagramKey,
    importDiagram,
    remember,

    /** An edit on the canvas: the title says "draft of", and the draft is kept. */
    changed(): void {
      if (!state.dirty) { state.dirty = true; showTitle(); }
      remember();
    },

    newDiagram(): void {
      if (state.dirty && !window.confirm(t('designer.discard'))) return;
      draft = null;
      if (state.routeKey) { location.hash = '#/designer'; return; }
      Object.assign(state, { key: null, version: null, dirty: false });
      void importDiagram(emptyDiagram(freshProcessId())).then(() => { state.key = diagramKey(); showTitle(); });
    },

    openVersion(key: string, version: number): void {
      if (state.dirty && !window.confirm(t('designer.discard'))) return;
      draft = null;
      location.hash = `#/designer/${encodeURIComponent(key)}?version=${version}`;
    },

    async openFile(file: File): Promise<void> {
      if (!(await importDiagram(await file.text()))) return;
      Object.assign(state, { key: diagramKey(), version: null, dirty: true });
      showTitle();
      remember();
    },

    async download(): Promise<void> {
      const { xml } = await modeler.saveXML({ format: true });
      if (!xml) return;
      const link = h('a', { href: URL.createObjectURL(new Blob([xml], { type: 'application/xml' })), download: `${diagramKey() ?? 'diagram'}.bpmn` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    },

    /** After a deploy: the diagram is that version, and the address names the process (without re-mounting the page). */
    deployed(key: string, version: number): void {
      // a pending draft save must not bring the deployed diagram back as "changed" after a re-render
      window.clearTimeout(saveTimer);
      Object.assign(state, { key, version, dirty: false, routeKey: key });
      draft = null;
      history.replaceState(null, '', `#/designer/${encodeURIComponent(key)}`);
      showTitle();
    },

    /** What to show first: the draft of this route, a requested version, the latest version, or a new diagram. */
    async openInitial(): Promise<void> {
      const requested = Number(hashQuery().get('version') ?? '') || null;
      if (draft && draft.route === route() && requested === null) {
        const kept = draft;
        Object.assign(state, { key: kept.key, version: kept.version });
        await importDiagram(kept.xml);
        state.dirty = true;
      } else if (state.routeKey) {
        try {
          const all = await latestVersions(state.routeKey);
          state.version = requested ?? all[0]?.version ?? null;
          if (state.version !== null) await importDiagram(await api.text(`/api/definitions/${encodeURIComponent(state.routeKey)}/versions/${state.version}/xml`));
        } catch (err) {
          view.say(t('error.generic', { message: (err as Error).message }), 'error');
        }
      } else {
        await importDiagram(emptyDiagram(freshProcessId()));
        state.key = diagramKey();
      }
      showTitle();
    },

    /** Unmounting: a pending change is kept for the next mount (the page re-renders on a language switch). */
    dispose(): void {
      window.clearTimeout(saveTimer);
      if (state.dirty) {
        const { key, version } = state;
        const at = route();
        void modeler.saveXML().then(({ xml }) => { if (xml) draft = { route: at, xml, key, version }; });
      }
      disposed = true;
    },
  };
}
