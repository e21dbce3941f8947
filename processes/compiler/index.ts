/**
 * BPMN 2.0 XML (with Camunda 8 `zeebe:` extensions) -> executable JSON models.
 *
 * Pipeline: raw-text guards (size, DTD) -> moddle parse -> moddle warnings as problems ->
 * per-process translation and validation -> bpmnlint rules. Every finding is a Problem
 * naming the element; a document is accepted only without error-severity problems.
 */
import { CATALOG_TASK_TYPES } from '../catalogTaskTypes';
import type { BusinessCalendar } from '../calendar';
import { SHIPPED_CALENDARS } from '../sla/calendars';
import type { CompiledDocument } from '../model/types';
import { lintBpmn } from '../lint';
import type { CompileContext } from './context';
import { warningsToProblems } from './moddleWarnings';
import type { MParticipantLookup } from './participants';
import { executableProcesses } from './participants';
import { parseBpmn } from './parse';
import type { Problem } from './problems';
import { Problems } from './problems';
import { compileProcess } from './processModel';
import { DEFAULT_MAX_BYTES, guardXml } from './xmlGuard';
import { DEFAULT_MIN_CYCLE_MS } from '../timers';

export type { Problem } from './problems';

const EXTERNAL_JOB_RULE = 'complaint/external-job-type';

export interface CompileOptions {
  /** Documents larger than this are refused before parsing. Default 2 MiB. */
  maxBytes?: number;
  /** Known `zeebe:taskDefinition` types; default CATALOG_TASK_TYPES; null = don't check. */
  taskTypes?: ReadonlySet<string> | null;
  /** Business calendars for `sla:policy calendar="…"`; default the shipped ones (processes/calendars). */
  calendars?: ReadonlyMap<string, BusinessCalendar>;
  /** Shortest interval of a static repeating timer (R/PT…); default 60 s (TIMER_MIN_CYCLE_SECONDS). */
  minTimerCycleMs?: number;
}

export interface CompileResult {
  /** True when there is no error-severity problem. */
  ok: boolean;
  /** Present iff ok. */
  document?: CompiledDocument;
  problems: Problem[];
}

/** Compiles a BPMN document. Never throws: unexpected failures become problems too. */
export async function compileBpmn(xml: string | Uint8Array, options: CompileOptions = {}): Promise<CompileResult> {
  const problems = new Problems();
  try {
    return await compile(xml, options, problems);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    problems.error(null, null, `document-level: internal compiler failure: ${reason}`);
    return { ok: false, problems: problems.list };
  }
}

async function compile(input: string | Uint8Array, options: CompileOptions, problems: Problems): Promise<CompileResult> {
  const guarded = guardXml(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!guarded.ok) {
    problems.error(null, null, `document-level: ${guarded.message}`);
    return { ok: false, problems: problems.list };
  }
  const inputKind = typeof input === 'string' ? 'string' : 'bytes';
  const parsed = await parseBpmn(guarded.xml);
  if (!parsed.ok) {
    problems.error(parsed.elementId, null, parsed.elementId ? parsed.message : `document-level: ${parsed.message}`);
    problems.list.push(...warningsToProblems(guarded.xml, parsed.warnings, new Map(), inputKind));
    return { ok: false, problems: problems.list };
  }
  problems.list.push(...warningsToProblems(guarded.xml, parsed.warnings, parsed.elementsById, inputKind));
  const ctx: CompileContext = {
    problems,
    taskTypes: options.taskTypes === undefined ? CATALOG_TASK_TYPES : options.taskTypes,
    calendars: options.calendars ?? SHIPPED_CALENDARS,
    minTimerCycleMs: options.minTimerCycleMs ?? DEFAULT_MIN_CYCLE_MS,
  };
  const lookup: MParticipantLookup = executableProcesses(parsed.definitions, problems);
  const processes = lookup.toCompile.map(({ process, name }) => compileProcess(process, name, ctx));
  // The compiler says which job types external workers serve (against options.taskTypes): the lint rule's live copy would repeat it.
  const lint = await lintBpmn(parsed.definitions, { onlyWithin: lookup.toCompile.map((p) => p.process) });
  problems.list.push(...lint.filter((p) => p.rule !== EXTERNAL_JOB_RULE));
  if (problems.hasErrors) return { ok: false, problems: problems.list };
  return { ok: true, document: { processes }, problems: problems.list };
}
