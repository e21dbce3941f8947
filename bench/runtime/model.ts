/** The process bench:runtime runs, as BPMN (the hand-written twin is handWritten.ts). */

const task = (id: string, from: string, to: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="variables.set" />` +
  `<zeebe:ioMapping><zeebe:input source="={ ${id}: true }" target="variables" /></zeebe:ioMapping></bpmn:extensionElements>` +
  `<bpmn:incoming>${from}</bpmn:incoming><bpmn:outgoing>${to}</bpmn:outgoing></bpmn:serviceTask>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** 10 service tasks: s1..s3, a parallel split of p1..p3, a PT1S timer, s4..s7. */
export const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bench">
  <bpmn:process id="bench-runtime" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
    ${task('s1', 'f0', 'f1')}${task('s2', 'f1', 'f2')}${task('s3', 'f2', 'f3')}
    <bpmn:parallelGateway id="fork"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>fa</bpmn:outgoing><bpmn:outgoing>fb</bpmn:outgoing><bpmn:outgoing>fc</bpmn:outgoing></bpmn:parallelGateway>
    ${task('p1', 'fa', 'ja')}${task('p2', 'fb', 'jb')}${task('p3', 'fc', 'jc')}
    <bpmn:parallelGateway id="join"><bpmn:incoming>ja</bpmn:incoming><bpmn:incoming>jb</bpmn:incoming><bpmn:incoming>jc</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    ${task('s4', 'f5', 'f6')}${task('s5', 'f6', 'f7')}${task('s6', 'f7', 'f8')}${task('s7', 'f8', 'f9')}
    <bpmn:endEvent id="end"><bpmn:incoming>f9</bpmn:incoming></bpmn:endEvent>
    ${flow('f0', 'start', 's1')}${flow('f1', 's1', 's2')}${flow('f2', 's2', 's3')}${flow('f3', 's3', 'fork')}
    ${flow('fa', 'fork', 'p1')}${flow('fb', 'fork', 'p2')}${flow('fc', 'fork', 'p3')}
    ${flow('ja', 'p1', 'join')}${flow('jb', 'p2', 'join')}${flow('jc', 'p3', 'join')}
    ${flow('f4', 'join', 'wait')}${flow('f5', 'wait', 's4')}${flow('f6', 's4', 's5')}${flow('f7', 's5', 's6')}${flow('f8', 's6', 's7')}
    ${flow('f9', 's7', 'end')}
  </bpmn:process>
</bpmn:definitions>`;
