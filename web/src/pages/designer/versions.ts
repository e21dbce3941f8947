/**
 * The side panel of deployed processes and the versions of the one open: open a version,
 * tick two to compare them (./diff.ts).
 */
import { api } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { locale, t } from '../../i18n';

export interface DefinitionSummary { key: string; name: string; latestVersion: number; deployedAt: string }
export interface VersionSummary { key: string; version: number; name: string; deployedAt: string; resourceName?: string }

export interface VersionsPanelOptions {
  host: HTMLElement;
  currentKey: () => string | null;
  currentVersion: () => number | null;
  openVersion: (key: string, version: number) => void;
  compare: (key: string, older: number, newer: number) => void;
}

export function versionsPath(key: string): string {
  return `/api/definitions/${encodeURIComponent(key)}/versions`;
}

export async function latestVersions(key: string): Promise<VersionSummary[]> {
  return (await api.get<{ versions: VersionSummary[] }>(versionsPath(key))).versions;
}

export function createVersionsPanel(options: VersionsPanelOptions): { refresh(): Promise<void> } {
  const { host } = options;
  const ticked = new Set<number>();

  async function refresh(): Promise<void> {
    const key = options.currentKey();
    const definitions = await api.get<{ items: DefinitionSummary[] }>('/api/definitions', { pageSize: 100 });
    // A diagram not deployed yet has no versions (asking would be a 404).
    const deployed = key !== null && (options.currentVersion() !== null || definitions.items.some((d) => d.key === key));
    const versions = deployed ? await latestVersions(key) : [];
    for (const v of [...ticked]) if (!versions.some((x) => x.version === v)) ticked.delete(v);
    const compare = h('button', { type: 'button', id: 'compare-versions', disabled: ticked.size !== 2 }, t('designer.compare'));
    compare.addEventListener('click', () => {
      const [older, newer] = [...ticked].sort((a, b) => a - b);
      if (key && older !== undefined && newer !== undefined) options.compare(key, older, newer);
    });
    render(host,
      h('h2', {}, t('designer.processes')),
      definitions.items.length === 0 ? h('p', { class: 'notice' }, t('designer.noProcesses')) : h('ul', { class: 'process-list' },
        ...definitions.items.map((d) => h('li', { class: d.key === key ? 'active' : null },
          h('a', { href: `#/designer/${encodeURIComponent(d.key)}`, 'data-key': d.key }, d.name || d.key),
          h('span', { class: 'badge' }, t('designer.versionItem', { version: d.latestVersion }))))),
      key && versions.length ? h('div', { class: 'version-block' },
        h('h2', {}, t('designer.versions')),
        h('ol', { class: 'version-list', id: 'version-list' }, ...versions.map((v) => h('li', { class: v.version === options.currentVersion() ? 'active' : null, 'data-version': v.version },
          h('input', {
            type: 'checkbox', 'aria-label': t('designer.compare') + ` v${v.version}`, checked: ticked.has(v.version),
            onchange: (e: Event) => {
              if ((e.target as HTMLInputElement).checked) ticked.add(v.version); else ticked.delete(v.version);
              compare.disabled = ticked.size !== 2;
            },
          }),
          h('span', { class: 'version-name' }, t('designer.versionItem', { version: v.version })),
          h('span', { class: 'muted' }, formatTime(v.deployedAt, locale())),
          h('button', { type: 'button', class: 'link', onclick: () => options.openVersion(v.key, v.version) }, t('designer.openVersion'))))),
        h('p', { class: 'hint' }, t('designer.compareHint')),
        compare) : null);
  }

  return { refresh };
}
