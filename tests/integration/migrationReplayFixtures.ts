/** Diagrams of the replay dry-run test (migrationReplay.test.ts). */
import fs from 'node:fs';
import path from 'node:path';

/** paid (message, correlation key =order) -> price (job: fee) -> amount > LIMIT ? review : ship (tasks) */
export const ORDER = (limit: number) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://example.com/bpmn">
  <bpmn:message id="Paid" name="order-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=order" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="order-review" name="Order review (limit ${limit})" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="Paid" /></bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="price">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="variables.set" />
        <zeebe:ioMapping><zeebe:input source="={ fee: amount / 10 }" target="variables" /></zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:exclusiveGateway id="big" default="small" />
    <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="finance" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="ship"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="logistics" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="paid" />
    <bpmn:sequenceFlow id="f1" sourceRef="paid" targetRef="price" />
    <bpmn:sequenceFlow id="f2" sourceRef="price" targetRef="big" />
    <bpmn:sequenceFlow id="large" sourceRef="big" targetRef="review"><bpmn:conditionExpression>=amount &gt; ${limit}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="small" sourceRef="big" targetRef="ship" />
    <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="ship" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** claim-review v3: v1's legacy check back, with v2's assess. */
export function claimReviewV3(): string {
  return fs.readFileSync(path.join(__dirname, 'fixtures', 'claim-review-v1.bpmn'), 'utf8')
    .replace('Claim review (v1)', 'Claim review (v3)').replace('id="decide" name="Decide"', 'id="assess" name="Assess"')
    .replace('targetRef="decide"', 'targetRef="assess"').replace('sourceRef="decide"', 'sourceRef="assess"').replace('bpmnElement="decide"', 'bpmnElement="assess"');
}
