import { NS } from './helpers';

/** A start -> n tasks -> end chain: 2n + 3 flow elements (tasks and flows). */
export function chain(n: number): string {
  const parts: string[] = ['<bpmn:startEvent id="S" />'];
  let previous = 'S';
  for (let i = 0; i < n; i += 1) {
    parts.push(`<bpmn:task id="T${i}" name="t${i}" /><bpmn:sequenceFlow id="F${i}" sourceRef="${previous}" targetRef="T${i}" />`);
    previous = `T${i}`;
  }
  parts.push(`<bpmn:endEvent id="E" /><bpmn:sequenceFlow id="Last" sourceRef="${previous}" targetRef="E" />`);
  return wrap(parts.join('\n'));
}

/** Subprocesses nested `depth` deep, each with start -> inner -> end. */
export function nested(depth: number): string {
  let inner = '<bpmn:startEvent id="S0" /><bpmn:endEvent id="E0" /><bpmn:sequenceFlow id="F0" sourceRef="S0" targetRef="E0" />';
  for (let d = 1; d <= depth; d += 1) {
    inner = `<bpmn:startEvent id="S${d}" /><bpmn:subProcess id="Sub${d}" name="level ${d}">${inner}</bpmn:subProcess>` +
      `<bpmn:endEvent id="E${d}" /><bpmn:sequenceFlow id="A${d}" sourceRef="S${d}" targetRef="Sub${d}" />` +
      `<bpmn:sequenceFlow id="B${d}" sourceRef="Sub${d}" targetRef="E${d}" />`;
  }
  return wrap(inner);
}

function wrap(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="D"><bpmn:process id="p" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
}
