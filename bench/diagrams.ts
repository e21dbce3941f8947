/**
 * Benchmark diagrams as BPMN XML, generated so that sizes can vary. Each diagram comes in
 * two flavours with the same shape: `zeebe` (service tasks with zeebe:taskDefinition,
 * FEEL conditions) for our compiler + evaluator, and `engine` for bpmn-engine (service
 * tasks bound to `environment.services.work`, conditions as service-call expressions,
 * its cheapest condition mechanism).
 */
export type Flavour = 'zeebe' | 'engine';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="bench" targetNamespace="http://example.com/bench">`;

function task(id: string, flavour: Flavour, incoming: string[], outgoing: string[]): string {
  const io = incoming.map((f) => `<bpmn:incoming>${f}</bpmn:incoming>`).join('') + outgoing.map((f) => `<bpmn:outgoing>${f}</bpmn:outgoing>`).join('');
  return flavour === 'zeebe'
    ? `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="bench.work" /></bpmn:extensionElements>${io}</bpmn:serviceTask>`
    : `<bpmn:serviceTask id="${id}" implementation="\${environment.services.work}">${io}</bpmn:serviceTask>`;
}

function flow(id: string, from: string, to: string, condition?: string): string {
  const body = condition === undefined ? '' : `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression>`;
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${body}</bpmn:sequenceFlow>`;
}

function wrap(id: string, body: string[]): string {
  return `${HEAD}<bpmn:process id="${id}" isExecutable="true">${body.join('\n')}</bpmn:process></bpmn:definitions>`;
}

/** start -> `tasks` service tasks -> end: `tasks + 2` flow nodes. */
export function sequence(tasks: number, flavour: Flavour): string {
  const body = [`<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>`];
  for (let i = 1; i <= tasks; i += 1) {
    body.push(task(`t${i}`, flavour, [`f${i - 1}`], [`f${i}`]));
    body.push(flow(`f${i - 1}`, i === 1 ? 'start' : `t${i - 1}`, `t${i}`));
  }
  body.push(`<bpmn:endEvent id="end"><bpmn:incoming>f${tasks}</bpmn:incoming></bpmn:endEvent>`);
  body.push(flow(`f${tasks}`, `t${tasks}`, 'end'));
  return wrap(`sequence${tasks}`, body);
}

/** start -> fork -> `branches` service tasks -> join -> end. */
export function fanOut(branches: number, flavour: Flavour): string {
  const body = [
    `<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>`,
    `<bpmn:parallelGateway id="fork"><bpmn:incoming>f0</bpmn:incoming>${range(branches).map((i) => `<bpmn:outgoing>a${i}</bpmn:outgoing>`).join('')}</bpmn:parallelGateway>`,
    `<bpmn:parallelGateway id="join">${range(branches).map((i) => `<bpmn:incoming>b${i}</bpmn:incoming>`).join('')}<bpmn:outgoing>fEnd</bpmn:outgoing></bpmn:parallelGateway>`,
    `<bpmn:endEvent id="end"><bpmn:incoming>fEnd</bpmn:incoming></bpmn:endEvent>`,
    flow('f0', 'start', 'fork'),
    flow('fEnd', 'join', 'end'),
  ];
  for (const i of range(branches)) {
    body.push(task(`t${i}`, flavour, [`a${i}`], [`b${i}`]), flow(`a${i}`, 'fork', `t${i}`), flow(`b${i}`, `t${i}`, 'join'));
  }
  return wrap(`fanout${branches}`, body);
}

/**
 * start -> merge -> work -> check --(more)--> merge (back-edge), else end. The work task
 * increments `counter`; the check loops while `counter < iterations`.
 */
export function loop(iterations: number, flavour: Flavour): string {
  const more = flavour === 'zeebe' ? `=counter &lt; ${iterations}` : '${environment.services.more()}';
  return wrap('loop', [
    `<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>`,
    `<bpmn:exclusiveGateway id="merge"><bpmn:incoming>f0</bpmn:incoming><bpmn:incoming>fBack</bpmn:incoming><bpmn:outgoing>f1</bpmn:outgoing></bpmn:exclusiveGateway>`,
    task('work', flavour, ['f1'], ['f2']),
    `<bpmn:exclusiveGateway id="check" default="fDone"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>fBack</bpmn:outgoing><bpmn:outgoing>fDone</bpmn:outgoing></bpmn:exclusiveGateway>`,
    `<bpmn:endEvent id="end"><bpmn:incoming>fDone</bpmn:incoming></bpmn:endEvent>`,
    flow('f0', 'start', 'merge'),
    flow('f1', 'merge', 'work'),
    flow('f2', 'work', 'check'),
    flow('fBack', 'check', 'merge', more),
    flow('fDone', 'check', 'end'),
  ]);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
