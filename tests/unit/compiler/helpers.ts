import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CompileOptions, CompileResult, Problem } from '../../../processes/compiler';
import { compileBpmn } from '../../../processes/compiler';

export const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

/** A document with one executable process `p` around `body`, plus extra root elements. */
export function doc(body: string, roots = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs" targetNamespace="http://example.com/bpmn">${roots}
  <bpmn:process id="p" isExecutable="true">${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** start -> <element id="X"> -> end, for checking one element in a valid context. */
export function around(element: string, roots = ''): string {
  return doc(`
    <bpmn:startEvent id="Start" name="Start" />
    ${element}
    <bpmn:endEvent id="End" name="End" />
    <bpmn:sequenceFlow id="In" sourceRef="Start" targetRef="X" />
    <bpmn:sequenceFlow id="Out" sourceRef="X" targetRef="End" />`, roots);
}

export const JOB = '<bpmn:extensionElements><zeebe:taskDefinition type="http.request" /></bpmn:extensionElements>';

export function fixture(name: string): string {
  return readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
}

export function compile(xml: string | Uint8Array, options?: CompileOptions): Promise<CompileResult> {
  return compileBpmn(xml, options);
}

export function errors(result: CompileResult): Problem[] {
  return result.problems.filter((p) => p.severity === 'error');
}

export function warnings(result: CompileResult): Problem[] {
  return result.problems.filter((p) => p.severity === 'warning');
}

/** Error-severity problems about one element, as `error: message` strings. */
export function about(result: CompileResult, elementId: string | null): string[] {
  return errors(result).filter((p) => p.elementId === elementId).map((p) => `${p.severity}: ${p.message}`);
}

/** Every problem about one element, as `severity: message` strings. */
export function allAbout(result: CompileResult, elementId: string | null): string[] {
  return result.problems.filter((p) => p.elementId === elementId).map((p) => `${p.severity}: ${p.message}`);
}
