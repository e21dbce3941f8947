/**
 * The replay part of a dry run's row (decision 0053): the instance's recorded stimuli replayed
 * on the target version from its start — reachable, one to one, the first divergence (which
 * stimulus, which element) and what does not correspond at the end.
 */
import { h } from '../../core/dom';
import { t } from '../../i18n';
import type { InstanceReport } from '../instances/operations';

const yesNo = (v: boolean) => t(v ? 'migrations.replay.yes' : 'migrations.replay.no');

export function replayView(report: InstanceReport['replay']): HTMLElement | null {
  if (report === null) return null;
  if ('error' in report) return h('div', { class: 'replay replay-error muted' }, report.error);
  return h('div', {
    class: 'replay', 'data-reachable': String(report.reachable), 'data-consistent': String(report.consistent), 'data-reproduced': String(report.reproduced),
  },
  h('div', { class: 'replay-summary' }, t('migrations.replay.summary', {
    applied: report.applied, stimuli: report.stimuli, reachable: yesNo(report.reachable), consistent: yesNo(report.consistent),
  })),
  report.reproduced ? null : h('div', { class: 'replay-unfaithful' }, t('migrations.replay.notReproduced', { problem: report.reproductionProblem ?? '' })),
  report.complete ? null : h('div', { class: 'replay-unfaithful' }, t('migrations.replay.incomplete')),
  report.firstDivergence
    ? h('div', { class: 'replay-divergence', 'data-element': report.firstDivergence.elementId, 'data-stimulus': String(report.firstDivergence.stimulusIndex) },
      t('migrations.replay.divergence', { index: report.firstDivergence.stimulusIndex, stimulus: report.firstDivergence.stimulus, element: report.firstDivergence.elementId, message: report.firstDivergence.message }))
    : h('div', { class: 'replay-same muted' }, t('migrations.replay.noDivergence')),
  ...report.mismatches.map((m) => h('div', { class: 'replay-mismatch muted', 'data-kind': m.kind, 'data-element': m.elementId },
    t('migrations.replay.mismatch', { kind: m.kind, element: m.elementId, replayed: m.replayed, migrated: m.migrated }))));
}
