/** Counts, refusals grouped by cause, and the verdict of a conformance run. Pure. */
import type { FileCheck, Status } from './check';

export interface FileResult extends FileCheck {
  /** The path as found: the folder given joined with the path below it. */
  file: string;
  ms: number;
}

export interface CauseGroup {
  cause: string;
  /** Refused files with at least one error of this cause. */
  files: number;
  /** Errors of this cause, over all files. */
  occurrences: number;
  /** The first such error: `file:elementId` (elementId null for document-level ones). */
  example: { file: string; elementId: string | null };
}

export interface Summary {
  counts: Record<Status, number>;
  causes: CauseGroup[];
  /** Why the run fails; empty when it passes. */
  failures: string[];
  files: FileResult[];
}

/** The run's own findings (file counts, missing files), besides those of each file. */
export interface RunFindings {
  failures: string[];
}

export function summarise(files: readonly FileResult[], run: RunFindings = { failures: [] }): Summary {
  const counts: Record<Status, number> = { compiled: 0, refused: 0, crashed: 0 };
  const groups = new Map<string, CauseGroup & { seen: Set<string> }>();
  for (const result of files) {
    counts[result.status] += 1;
    if (result.status !== 'refused') continue;
    for (const p of result.problems) {
      if (p.severity !== 'error') continue;
      let group = groups.get(p.cause);
      if (!group) {
        group = { cause: p.cause, files: 0, occurrences: 0, example: { file: result.file, elementId: p.elementId }, seen: new Set() };
        groups.set(p.cause, group);
      }
      group.occurrences += 1;
      if (!group.seen.has(result.file)) {
        group.seen.add(result.file);
        group.files += 1;
      }
    }
  }
  const causes = [...groups.values()]
    .map(({ seen: _seen, ...group }) => group)
    .sort((a, b) => b.files - a.files || b.occurrences - a.occurrences || a.cause.localeCompare(b.cause));

  const failures = [...run.failures];
  const crashedFiles = files.filter((f) => f.status === 'crashed');
  if (crashedFiles.length > 0) failures.push(`${plural(crashedFiles.length, 'file')} crashed: ${crashedFiles.map((f) => `${f.file} (${f.crash ?? 'no reason'})`).join(', ')}`);
  for (const f of files) for (const v of f.violations) failures.push(`${f.file}: ${v}`);
  return { counts, causes, failures, files: [...files] };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const MAX_CAUSE_CHARS = 200;

/** The text report: counts, causes, optionally one line per file, then the verdict. */
export function formatText(summary: Summary, verbose: boolean): string {
  const lines: string[] = [];
  for (const status of ['compiled', 'refused', 'crashed'] as const) lines.push(`${status}: ${plural(summary.counts[status], 'file')}`);
  if (summary.causes.length > 0) {
    lines.push('', `refusals by cause (${plural(summary.causes.length, 'cause')}; files, errors, example):`);
    for (const c of summary.causes) {
      const cause = c.cause.length > MAX_CAUSE_CHARS ? `${c.cause.slice(0, MAX_CAUSE_CHARS - 1)}…` : c.cause;
      lines.push(`  ${plural(c.files, 'file')}, ${plural(c.occurrences, 'error')}: ${cause}`);
      lines.push(`      e.g. ${c.example.file}:${c.example.elementId ?? '(document)'}`);
    }
  }
  if (verbose) {
    lines.push('', 'files:');
    for (const f of summary.files) {
      const errors = f.problems.filter((p) => p.severity === 'error').length;
      const warnings = f.problems.length - errors;
      const detail = f.status === 'crashed' ? f.crash ?? '' : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
      lines.push(`  ${f.file}: ${f.status} (${detail}) in ${f.ms} ms`);
      for (const p of f.problems) {
        if (p.severity !== 'error') continue;
        const where = p.elementId === null ? '(document)' : `${p.elementId} (${p.elementType ?? '?'})`;
        lines.push(`      ${where}: ${p.message.split('\n')[0] ?? ''}`);
      }
    }
  }
  lines.push('');
  if (summary.failures.length === 0) lines.push('conformance: passed (nothing crashed; every refusal names its elements)');
  else {
    lines.push(`conformance: FAILED (${plural(summary.failures.length, 'reason')})`);
    for (const reason of summary.failures) lines.push(`  ${reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON report (--json): the summary and the verdict. */
export function formatJson(summary: Summary): string {
  const files = summary.files.map((f) => ({
    file: f.file, status: f.status, ms: f.ms, ...(f.crash === undefined ? {} : { crash: f.crash }),
    violations: f.violations, problems: f.problems,
  }));
  return `${JSON.stringify({ ok: summary.failures.length === 0, counts: summary.counts, causes: summary.causes, failures: summary.failures, files }, null, 2)}\n`;
}
