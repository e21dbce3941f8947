/**
 * One file's conformance check: compile it with the project's compiler, lint the whole
 * document, and hold the result to the compiler's contract (processes/compiler/README.md):
 * it compiles, or it is refused with problems that each name their element.
 */
import { readFile } from 'node:fs/promises';
import type { CompileResult, Problem } from '../compiler';
import { compileBpmn } from '../compiler';
import { parseBpmn } from '../compiler/parse';
import { guardXml } from '../compiler/xmlGuard';
import { lintBpmn } from '../lint';
import type { FileExpectation, ProblemExpectation } from './expectations';

export type Status = 'compiled' | 'refused' | 'crashed';

export interface CheckedProblem extends Problem {
  /** The message with element ids, names and positions normalised away: what groups refusals. */
  cause: string;
}

export interface FileCheck {
  status: Status;
  /** Every problem of the compile, errors and warnings. */
  problems: CheckedProblem[];
  /** Where the file breaks the contract or its expectation; any one fails the run. */
  violations: string[];
  /** Why it crashed (status 'crashed' only). */
  crash?: string;
}

export interface CheckOptions {
  /** Size limit passed to the compiler; larger files are refused. */
  maxBytes: number;
  expect?: FileExpectation;
}

/** Reference models from other tools may be large; the service's 2 MiB default is for uploads. */
export const CONFORMANCE_MAX_BYTES = 10 * 1024 * 1024;

const INTERNAL_FAILURE = 'document-level: internal compiler failure: ';

/** Reads and checks one file. Never rejects: a throw becomes a crash. */
export async function checkFile(file: string, options: CheckOptions): Promise<FileCheck> {
  try {
    return await checkBpmn(await readFile(file), options);
  } catch (err) {
    return crashed(`threw: ${reasonOf(err)}`);
  }
}

/** An error's message, also for errors from another realm (a worker, a vm context). */
export function reasonOf(err: unknown): string {
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(err);
}

export function crashed(reason: string): FileCheck {
  return { status: 'crashed', problems: [], violations: [], crash: reason };
}

/** Checks one document. May throw (a crash, for the caller to record). */
export async function checkBpmn(bytes: Uint8Array, options: CheckOptions): Promise<FileCheck> {
  const result = await compileBpmn(bytes, { maxBytes: options.maxBytes });
  const internal = result.problems.find((p) => p.message.startsWith(INTERNAL_FAILURE));
  if (internal) return crashed(internal.message.slice('document-level: '.length));

  const violations: string[] = [];
  const parsed = await parseWhole(bytes, options.maxBytes);
  const known = parsed ? parsed.known : { ids: new Set<string>(), names: new Set<string>() };
  const problems = result.problems.map((p) => ({ ...p, cause: causeOf(p, known) }));

  violations.push(...contractViolations(result));
  if (parsed) violations.push(...(await lintWhole(parsed.definitions)));
  if (options.expect) violations.push(...(await expectationViolations(bytes, result, options)));
  return { status: result.ok ? 'compiled' : 'refused', problems, violations };
}

/** What the compiler promises about every result (the old MIWG unit test's assertions). */
export function contractViolations(result: CompileResult): string[] {
  const out: string[] = [];
  const onlyWarnings = result.problems.every((p) => p.severity === 'warning');
  if (result.ok !== onlyWarnings) out.push(`ok is ${result.ok} but ${onlyWarnings ? 'no problem is an error' : 'there are errors'}`);
  if ((result.document !== undefined) !== result.ok) out.push(`ok is ${result.ok} but the compiled document is ${result.document ? 'present' : 'missing'}`);
  for (const p of result.problems) {
    if (p.elementId === null) {
      if (p.severity === 'error') out.push(`refused without naming an element: ${firstLine(p.message)}`);
      else if (!p.message.startsWith('document-level: ')) out.push(`warning without an element is not marked document-level: ${firstLine(p.message)}`);
    } else if (!/^bpmn:/.test(p.elementType ?? '') && !(p.severity === 'warning' && /^(bpmndi|dc|di):/.test(p.elementType ?? ''))) {
      // A diagram-interchange warning names the shape or edge at fault (compiler/moddleWarnings.ts).
      out.push(`problem on ${p.elementId} has element type ${p.elementType ?? 'null'}, not bpmn:…: ${firstLine(p.message)}`);
    }
  }
  return out;
}

/** Lints the whole document (every participant, not just the executable ones). */
async function lintWhole(definitions: unknown): Promise<string[]> {
  return lintViolations(await lintBpmn(definitions));
}

/** A lint rule must not fail, and every lint problem must name its element. */
export function lintViolations(problems: readonly Problem[]): string[] {
  const out: string[] = [];
  for (const p of problems) {
    if (/failed/.test(p.message)) out.push(`lint rule ${p.rule ?? '?'} failed on ${p.elementId ?? 'the document'}: ${firstLine(p.message)}`);
    else if (p.elementId === null) out.push(`lint problem without an element (${p.rule ?? '?'}): ${firstLine(p.message)}`);
  }
  return out;
}

interface Known {
  ids: ReadonlySet<string>;
  names: ReadonlySet<string>;
}

/** The document as the compiler reads it, with its element ids and names; null when unreadable. */
async function parseWhole(bytes: Uint8Array, maxBytes: number): Promise<{ definitions: unknown; known: Known } | null> {
  const guarded = guardXml(bytes, maxBytes);
  if (!guarded.ok) return null;
  const parsed = await parseBpmn(guarded.xml);
  if (!parsed.ok) return null;
  const ids = new Set(parsed.elementsById.keys());
  const names = new Set<string>();
  for (const element of parsed.elementsById.values()) {
    const name = (element as { name?: unknown }).name;
    if (typeof name === 'string' && name.trim() !== '') names.add(name);
  }
  return { definitions: parsed.definitions, known: { ids, names } };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A cleanly quoted value: ' or " after a space (or at the start), no quote of that kind
 * inside, closed before the end, a space or punctuation. Values with quotes inside (an
 * expression like '${x == 'yes'}') do not match and are left as they are.
 */
const QUOTED = /(?<=^|\s)(?:'([^']*)'|"([^"]*)")(?=$|[\s,;:.)\]])/g;

/**
 * The cause of a problem: its message (first line, whitespace collapsed) with what is
 * particular to one element taken out: quoted element ids and names become '<id>' and
 * '<name>', other cleanly quoted values (a task type, a condition) '…', ids in <…> <id>, the
 * problem's own id <id> wherever it stands, line and column numbers N. What is left (the
 * element kind, the rule, the supported alternatives) is what went wrong.
 */
export function causeOf(problem: Pick<Problem, 'elementId' | 'message'>, known: Known): string {
  const own = problem.elementId;
  const kindOf = (value: string) => (value === own || known.ids.has(value) ? 'id' : known.names.has(value) ? 'name' : null);
  let text = firstLine(problem.message).replace(/\s+/g, ' ').trim();
  text = text.replace(/\b(line|column)(:? ?)\d+/g, '$1$2N');
  text = text.replace(/\b(reference|ID) <[^<>]*>/g, '$1 <id>');
  text = text.replace(/<([^<>\s]+)>/g, (whole, value: string) => (kindOf(value) === 'id' ? '<id>' : whole));
  text = text.replace(QUOTED, (whole, single?: string, double?: string) => {
    const value = single ?? double ?? '';
    const kind = kindOf(value);
    // A value without a letter or digit ('=') is part of the message's own wording.
    const replacement = kind !== null ? `<${kind}>` : /[\p{L}\p{N}]/u.test(value) ? '…' : null;
    if (replacement === null) return whole;
    const quote = single !== undefined ? "'" : '"';
    return `${quote}${replacement}${quote}`;
  });
  if (own) text = text.replace(new RegExp(`(?<![\\w.:-])${escapeRegExp(own)}(?![\\w.:-])`, 'g'), '<id>');
  return text;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function matches(p: Problem, e: ProblemExpectation): boolean {
  return p.elementId === e.elementId
    && (e.elementType === undefined || p.elementType === e.elementType)
    && (e.message === undefined || p.message === e.message)
    && (e.messageStartsWith === undefined || p.message.startsWith(e.messageStartsWith));
}

const describeExpectation = (e: ProblemExpectation) =>
  `${e.elementId ?? '(document)'}${e.elementType ? ` (${e.elementType})` : ''}: ${e.message ?? `${e.messageStartsWith ?? ''}…`}`;

async function expectationViolations(bytes: Uint8Array, result: CompileResult, options: CheckOptions): Promise<string[]> {
  const expect = options.expect!;
  const out: string[] = [];
  const status = result.ok ? 'compiled' : 'refused';
  if (expect.status && expect.status !== status) out.push(`expected to be ${expect.status}, was ${status}`);
  const errors = result.problems.filter((p) => p.severity === 'error');
  for (const e of expect.errorsInclude ?? []) {
    if (!errors.some((p) => matches(p, e))) out.push(`expected error missing: ${describeExpectation(e)}`);
  }
  if (expect.errors) {
    const exact = expect.errors;
    const same = errors.length === exact.length && errors.every((p, k) => matches(p, exact[k]!));
    if (!same) {
      out.push(`expected exactly ${exact.length} error(s) [${exact.map(describeExpectation).join('; ')}], got ${errors.length} [${errors.map((p) => `${p.elementId ?? '(document)'}: ${firstLine(p.message)}`).join('; ')}]`);
    }
  }
  if (expect.withoutTaskTypeCheck) {
    const lenient = await compileBpmn(bytes, { maxBytes: options.maxBytes, taskTypes: null });
    const got = lenient.document?.processes.map((p) => p.id);
    const want = expect.withoutTaskTypeCheck.processes;
    if (!lenient.ok) out.push(`without the task-type check expected to compile, refused: ${lenient.problems.filter((p) => p.severity === 'error').map((p) => `${p.elementId ?? '(document)'}: ${firstLine(p.message)}`).join('; ')}`);
    else if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`without the task-type check expected processes [${want.join(', ')}], got [${(got ?? []).join(', ')}]`);
  }
  return out;
}
