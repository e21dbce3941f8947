import { about, compile, doc, errors, JOB } from './helpers';

/** start -> script -> gateway, whose default flow goes back to the script (issue 12). */
const scriptLoop = doc(`
    <bpmn:startEvent id="Start" />
    <bpmn:scriptTask id="Count"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="n" /></bpmn:extensionElements></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="Again" default="Back" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Count" />
    <bpmn:sequenceFlow id="F2" sourceRef="Count" targetRef="Again" />
    <bpmn:sequenceFlow id="Back" sourceRef="Again" targetRef="Count" />
    <bpmn:sequenceFlow id="Out" sourceRef="Again" targetRef="End"><bpmn:conditionExpression>=n &gt; 1</bpmn:conditionExpression></bpmn:sequenceFlow>`);

describe('straight-through loops', () => {
  it('refuses a script-and-gateway loop and names both elements', async () => {
    const result = await compile(scriptLoop);
    expect(result.ok).toBe(false);
    expect(about(result, 'Count')).toEqual([
      expect.stringMatching(/^error: straight-through loop: 'Count', 'Again' form a cycle with no wait state/),
    ]);
  });

  it('accepts the same loop once a user task is on it', async () => {
    const result = await compile(scriptLoop
      .replace('targetRef="Count" />\n    <bpmn:sequenceFlow id="Out"', 'targetRef="Review" />\n    <bpmn:sequenceFlow id="Out"')
      .replace('<bpmn:endEvent id="End" />', '<bpmn:endEvent id="End" /><bpmn:userTask id="Review" /><bpmn:sequenceFlow id="R" sourceRef="Review" targetRef="Count" />'));
    expect(errors(result)).toEqual([]);
  });

  it('accepts a loop through a service task (a job waits for its worker)', async () => {
    const result = await compile(scriptLoop
      .replace('sourceRef="Again" targetRef="Count"', 'sourceRef="Again" targetRef="Call"')
      .replace('<bpmn:endEvent id="End" />', `<bpmn:endEvent id="End" /><bpmn:serviceTask id="Call">${JOB}</bpmn:serviceTask><bpmn:sequenceFlow id="C" sourceRef="Call" targetRef="Count" />`));
    expect(errors(result)).toEqual([]);
  });

  it('refuses a loop through a subprocess with nothing to wait for, and a link jump back', async () => {
    const result = await compile(doc(`
    <bpmn:startEvent id="Start" />
    <bpmn:subProcess id="Sub">
      <bpmn:startEvent id="SubStart" /><bpmn:task id="Inner" /><bpmn:endEvent id="SubEnd" />
      <bpmn:sequenceFlow id="S1" sourceRef="SubStart" targetRef="Inner" /><bpmn:sequenceFlow id="S2" sourceRef="Inner" targetRef="SubEnd" />
    </bpmn:subProcess>
    <bpmn:intermediateThrowEvent id="Jump"><bpmn:linkEventDefinition name="top" /></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="Land"><bpmn:linkEventDefinition name="top" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Land" />
    <bpmn:sequenceFlow id="F2" sourceRef="Land" targetRef="Sub" />
    <bpmn:sequenceFlow id="F3" sourceRef="Sub" targetRef="Jump" />`));
    expect(about(result, 'Sub')).toEqual([expect.stringMatching(/^error: straight-through loop: 'Sub', 'Jump', 'Land' form a cycle/)]);
  });

  it('accepts a loop through a subprocess that holds a timer catch', async () => {
    const result = await compile(doc(`
    <bpmn:startEvent id="Start" />
    <bpmn:exclusiveGateway id="Merge" />
    <bpmn:subProcess id="Sub">
      <bpmn:startEvent id="SubStart" />
      <bpmn:intermediateCatchEvent id="Pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="SubEnd" />
      <bpmn:sequenceFlow id="S1" sourceRef="SubStart" targetRef="Pause" /><bpmn:sequenceFlow id="S2" sourceRef="Pause" targetRef="SubEnd" />
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Merge" />
    <bpmn:sequenceFlow id="F2" sourceRef="Merge" targetRef="Sub" />
    <bpmn:sequenceFlow id="F3" sourceRef="Sub" targetRef="Merge" />`));
    expect(errors(result)).toEqual([]);
  });
});
