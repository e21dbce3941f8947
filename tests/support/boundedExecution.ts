/**
 * Shared by the bounded-execution tests (boundedRefusals, boundedRuntime, boundedCancel): a
 * stack with small execution and deploy limits, BPMN documents built from a few elements, and
 * deploy/start through the API.
 */
import { DEFAULT_EXECUTION_LIMITS } from '../../server/limits';
import { startStack, type Stack } from './stack';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

export const diagram = (id: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="D" targetNamespace="t"><bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

/** `n` tasks in a row, each named `name`. */
export const chain = (id: string, n: number, name = 't') => diagram(id, `<bpmn:startEvent id="S" />${
  Array.from({ length: n }, (_, i) => `<bpmn:task id="T${i}" name="${name}" />`).join('')}<bpmn:endEvent id="E" />${
  Array.from({ length: n - 1 }, (_, i) => `<bpmn:sequenceFlow id="F${i}" sourceRef="T${i}" targetRef="T${i + 1}" />`).join('')
}<bpmn:sequenceFlow id="In" sourceRef="S" targetRef="T0" /><bpmn:sequenceFlow id="Out" sourceRef="T${n - 1}" targetRef="E" />`);

export interface Detail { status: string; incidents: Array<{ id: string; elementId: string; type: string; message: string }>; tasks: Array<{ key: string; elementId: string }> }
export interface Problems { error: string; message: string; errors: Array<{ elementId: string | null; message: string }> }

/** Step budget 20, multi-instance 3, call depth 2, 12 live element instances, 100 elements, 64 KiB models, 1.5 s cancel grace. */
export function startBoundedStack(): Promise<Stack> {
  return startStack({
    limits: {
      limits: { ...DEFAULT_EXECUTION_LIMITS, maxActivationsPerStep: 20, maxMultiInstanceCardinality: 3, maxCallDepth: 2, maxLiveInstances: 12 },
      deployLimits: { maxElements: 100, maxModelBytes: 64 * 1024, minTimerCycleMs: 60_000 },
      cancelGraceMs: 1500,
    },
  });
}

/** Deploy an XML document; start an instance of `key` (expecting 201) and answer its id. */
export function boundedCalls(stack: () => Stack) {
  const deploy = (xml: string) => stack().api<Problems>('POST', '/api/definitions', xml, 'application/xml');
  const start = async (key: string, variables: Record<string, unknown> = {}) => {
    const res = await stack().api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables });
    expect(res.status).toBe(201);
    return res.body.instanceId;
  };
  return { deploy, start };
}
