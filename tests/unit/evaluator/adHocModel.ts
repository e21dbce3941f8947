/** The ad-hoc subprocess of the evaluator's ad-hoc tests (adHoc*.test.ts), compiled from BPMN. */
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { NS } from '../compiler/helpers';

/** start -> ad-hoc subprocess `A` (its attributes, extension elements, inner elements, completion condition) -> end. */
export async function model(adHocAttrs: string, adHocExt: string, inner: string, condition = ''): Promise<ProcessModel> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="A" />
    <bpmn:adHocSubProcess id="A" ${adHocAttrs}>
      <bpmn:extensionElements>${adHocExt}</bpmn:extensionElements>
      ${inner}
      ${condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:completionCondition>` : ''}
    </bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f2" sourceRef="A" targetRef="E" />
    <bpmn:endEvent id="E" />
  </bpmn:process>
</bpmn:definitions>`;
  const result = await compileBpmn(xml, { taskTypes: null });
  const compiled = result.document?.processes[0];
  if (!result.ok || !compiled) throw new Error(result.problems.map((p) => `${p.elementId}: ${p.message}`).join('\n'));
  return compiled;
}

/** Camunda 8.7's ad-hoc extension: the elements to activate on entry. */
export const active = (expr: string) => `<zeebe:adHoc activeElementsCollection="${expr}" />`;
export const TASKS = '<bpmn:userTask id="T1" /><bpmn:userTask id="T2" /><bpmn:userTask id="T3" />';
