/**
 * What a deployment is refused for, and how the refusal reads: problems of linked forms, the
 * deploy limits (elements, model size, tags before parsing), the 413 of an oversized document
 * and the 422 listing every problem by element (capped).
 */
import type { Problem } from '../../processes/compiler';
import type { ProcessModel } from '../../processes/model/types';
import { NotFound, Unprocessable } from '../domain/errors';
import type { DeployLimits } from '../limits';
import type { FormFile, FormStore } from './forms';

/** Problems of the form files, and of user tasks whose linked form is neither in the request nor deployed before. */
export async function linkedFormProblems(processes: readonly ProcessModel[], files: readonly FormFile[], store: FormStore | undefined): Promise<Problem[]> {
  const problems: Problem[] = [];
  const given = new Set(files.map((f) => f.formId));
  for (const model of processes) {
    for (const element of model.elements) {
      if (element.kind !== 'userTask' || element.formId === undefined) continue;
      if (given.has(element.formId) || (store && (await store.latest(element.formId)))) continue;
      problems.push({
        elementId: element.id, elementType: element.bpmnType, severity: 'error',
        message: `the linked form '${element.formId}' (zeebe:formDefinition formId) is not deployed: deploy its .form file with the diagram (multipart/form-data)`,
      });
    }
  }
  return problems;
}

/** How many problems of each severity an answer lists; the rest are counted in a last entry. */
export const MAX_LISTED_PROBLEMS = 100;

export function capped(list: Problem[], severity: Problem['severity']): Problem[] {
  if (list.length <= MAX_LISTED_PROBLEMS) return list;
  const more = list.length - MAX_LISTED_PROBLEMS;
  return [...list.slice(0, MAX_LISTED_PROBLEMS), { elementId: null, elementType: null, severity, message: `document-level: ${more} more ${severity}s not listed` }];
}

/** Start tags per flow element, generously (flows, extension elements, DI shapes): more is refused before parsing. */
export const TAGS_PER_ELEMENT = 12;

export function countStartTags(bytes: Uint8Array, stopAt: number): number {
  let n = 0;
  for (let i = 0; i + 1 < bytes.length; i += 1) {
    // '<' followed by a letter: a start tag (not </, <?, <!)
    if (bytes[i] === 60) {
      const c = bytes[i + 1]!;
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
        n += 1;
        if (n > stopAt) return n;
      }
    }
  }
  return n;
}

/** A compiled process over the deploy limits, or null. */
export function overDeployLimits(model: ProcessModel, limits: DeployLimits): Problem | null {
  if (model.elements.length > limits.maxElements) {
    return { elementId: model.id, elementType: 'bpmn:Process', severity: 'error', message: `process '${model.id}' has ${model.elements.length} elements; the limit is ${limits.maxElements} (BPMN_MAX_ELEMENTS)` };
  }
  const bytes = Buffer.byteLength(JSON.stringify(model));
  if (bytes > limits.maxModelBytes) {
    return {
      elementId: model.id, elementType: 'bpmn:Process', severity: 'error',
      message: `process '${model.id}' compiles to ${bytes} bytes; every instance carries it in its workflow input, which Temporal refuses over 2 MB; the limit is ${limits.maxModelBytes} (BPMN_MAX_MODEL_BYTES). Split it with call activities`,
    };
  }
  return null;
}

export class DefinitionNotFound extends NotFound {
  constructor(key: string, version?: number) {
    super(
      'definition_not_found',
      version === undefined ? `No definition with key '${key}'` : `No version ${version} of definition '${key}'`,
    );
    this.name = 'DefinitionNotFound';
  }
}

const TOO_LARGE = /larger than the limit/;

/** The compiler refuses oversized documents with a document-level problem; that is a 413, not a 422. */
export function isSizeRefusal(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error' && p.elementId === null && TOO_LARGE.test(p.message));
}

/** The 422 for a document with errors: every problem with its element, errors and warnings apart. */
export function invalidBpmn(problems: readonly Problem[]): Unprocessable {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  const message = `The BPMN document has ${errors.length} error${errors.length === 1 ? '' : 's'}`;
  return new Unprocessable('invalid_bpmn', message, { errors: capped(errors, 'error'), warnings: capped(warnings, 'warning') });
}

