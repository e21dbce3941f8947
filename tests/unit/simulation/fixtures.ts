import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import type { HistoryProfile } from '../../../processes/simulation';
import { doc } from '../compiler/helpers';

const TASK = (type: string) => `<bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements>`;
const GROUP = (group: string) => `<bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="${group}" /></bpmn:extensionElements>`;

/** start -> Check (job) -> Route? --Urgent (=urgent)--> Call (after-sales) | default Letter (finance) -> Merge -> end */
export const ROUTING_XML = doc(`
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Check">${TASK('complaint.record')}</bpmn:serviceTask>
    <bpmn:exclusiveGateway id="Route" default="Normal" />
    <bpmn:userTask id="Call">${GROUP('after-sales')}</bpmn:userTask>
    <bpmn:userTask id="Letter">${GROUP('finance')}</bpmn:userTask>
    <bpmn:exclusiveGateway id="Merge" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="s1" sourceRef="Start" targetRef="Check" />
    <bpmn:sequenceFlow id="s2" sourceRef="Check" targetRef="Route" />
    <bpmn:sequenceFlow id="Urgent" sourceRef="Route" targetRef="Call"><bpmn:conditionExpression>=urgent = true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Normal" sourceRef="Route" targetRef="Letter" />
    <bpmn:sequenceFlow id="s3" sourceRef="Call" targetRef="Merge" />
    <bpmn:sequenceFlow id="s4" sourceRef="Letter" targetRef="Merge" />
    <bpmn:sequenceFlow id="s5" sourceRef="Merge" targetRef="End" />`);

export async function compileOne(xml: string | Uint8Array): Promise<ProcessModel> {
  const result = await compileBpmn(xml, { taskTypes: null });
  const model = result.document?.processes[0];
  if (!result.ok || !model) throw new Error(JSON.stringify(result.problems));
  return model;
}

export function shippedXml(file: string): Buffer {
  return readFileSync(path.join(__dirname, '../../../processes', file));
}

export const HOUR = 3_600_000;

export function profile(over: Partial<HistoryProfile> = {}): HistoryProfile {
  return { instances: 100, durations: [], activations: [], flows: [], meanArrivalIntervalMs: 10 * 60_000, startVariables: [], ...over };
}
