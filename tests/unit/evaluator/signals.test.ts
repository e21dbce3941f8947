/**
 * Signal events (Camunda 8 semantics), compiled from BPMN and driven through `step`: start,
 * intermediate catch and throw, end, boundary (interrupting or not), event-subprocess start
 * (interrupting or not), event-based gateway; a broadcast fires every open subscription of its
 * name and nothing is buffered.
 */
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { openSignalSubscriptions, startEvents } from '../../../processes/evaluator';
import { Sim } from './harness';
import { NS } from '../compiler/helpers';

const SIGNALS = '<bpmn:signal id="Alarm" name="alarm" /><bpmn:signal id="AllClear" name="all-clear" /><bpmn:signal id="Dyn" name="=&quot;alarm-&quot; + region" />';

async function model(body: string): Promise<ProcessModel> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs" targetNamespace="http://example.com/bpmn">${SIGNALS}
  <bpmn:process id="p" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
  const result = await compileBpmn(xml, { taskTypes: null });
  const compiled = result.document?.processes[0];
  if (!result.ok || !compiled) throw new Error(result.problems.map((p) => `${p.elementId}: ${p.message}`).join('\n'));
  return compiled;
}

const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
const signalDef = (ref: string) => `<bpmn:signalEventDefinition signalRef="${ref}" />`;
const signals = (s: Sim) => openSignalSubscriptions(s.state).map((w) => `${w.elementId}:${w.signalName}`);

describe('signal catch events', () => {
  it('an intermediate catch waits for its signal and takes the broadcast variables', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'C')}
      <bpmn:intermediateCatchEvent id="C">${signalDef('Alarm')}</bpmn:intermediateCatchEvent>${flow('f2', 'C', 'E')}
      <bpmn:endEvent id="E" />`));
    s.start();
    expect(signals(s)).toEqual(['C:alarm']);
    expect(s.of('openSignalSubscription')).toEqual([expect.objectContaining({ elementId: 'C', signalName: 'alarm' })]);
    expect(s.send({ type: 'signalReceived', name: 'all-clear' }).accepted).toBe(false);
    expect(s.send({ type: 'signalReceived', name: 'alarm', variables: { level: 3 } }).accepted).toBe(true);
    expect(s.trace('elementCompleted')).toEqual(['S', 'C', 'E', 'p']);
    expect(s.state.finalVariables).toEqual({ level: 3 });
    s.expectClean();
  });

  it('a FEEL signal name is evaluated when the catch is entered', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'C')}
      <bpmn:intermediateCatchEvent id="C">${signalDef('Dyn')}</bpmn:intermediateCatchEvent>${flow('f2', 'C', 'E')}
      <bpmn:endEvent id="E" />`));
    s.start({ region: 'north' });
    expect(signals(s)).toEqual(['C:alarm-north']);
    expect(s.send({ type: 'signalReceived', name: 'alarm' }).accepted).toBe(false);
    expect(s.send({ type: 'signalReceived', name: 'alarm-north' }).accepted).toBe(true);
    s.expectClean();
  });

  it('a FEEL signal name that is not a string is an incident at the catch', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'C')}
      <bpmn:intermediateCatchEvent id="C">${signalDef('Dyn')}</bpmn:intermediateCatchEvent>${flow('f2', 'C', 'E')}
      <bpmn:endEvent id="E" />`));
    s.start({ region: { not: 'text' } });
    expect(s.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'C' }]);
    expect(signals(s)).toEqual([]);
  });

  it('one broadcast fires every subscription of its name in the instance (parallel catches)', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'Fork')}
      <bpmn:parallelGateway id="Fork" />${flow('f2', 'Fork', 'C1')}${flow('f3', 'Fork', 'C2')}
      <bpmn:intermediateCatchEvent id="C1">${signalDef('Alarm')}</bpmn:intermediateCatchEvent>${flow('f4', 'C1', 'Join')}
      <bpmn:intermediateCatchEvent id="C2">${signalDef('Alarm')}</bpmn:intermediateCatchEvent>${flow('f5', 'C2', 'Join')}
      <bpmn:parallelGateway id="Join" />${flow('f6', 'Join', 'E')}
      <bpmn:endEvent id="E" />`));
    s.start();
    expect(signals(s)).toEqual(['C1:alarm', 'C2:alarm']);
    s.send({ type: 'signalReceived', name: 'alarm' });
    expect(s.trace('elementCompleted')).toEqual(expect.arrayContaining(['C1', 'C2', 'Join', 'E']));
    s.expectClean();
  });

  it('is not buffered: a signal broadcast before the subscription opened does not fire it', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'T')}
      <bpmn:userTask id="T" />${flow('f2', 'T', 'C')}
      <bpmn:intermediateCatchEvent id="C">${signalDef('Alarm')}</bpmn:intermediateCatchEvent>${flow('f3', 'C', 'E')}
      <bpmn:endEvent id="E" />`));
    s.start();
    expect(s.send({ type: 'signalReceived', name: 'alarm' }).accepted).toBe(false);
    s.completeUserTask('T');
    expect(s.active()).toEqual(['C']);
    expect(signals(s)).toEqual(['C:alarm']);
  });

  it('an event-based gateway can wait for a signal next to a timer', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'G')}
      <bpmn:eventBasedGateway id="G" />${flow('f2', 'G', 'C')}${flow('f3', 'G', 'Tm')}
      <bpmn:intermediateCatchEvent id="C">${signalDef('Alarm')}</bpmn:intermediateCatchEvent>${flow('f4', 'C', 'E1')}
      <bpmn:intermediateCatchEvent id="Tm"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>${flow('f5', 'Tm', 'E2')}
      <bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />`));
    s.start();
    s.send({ type: 'signalReceived', name: 'alarm' });
    expect(s.trace('elementCompleted')).toEqual(['S', 'G', 'C', 'E1', 'p']);
    expect(s.of('cancelTimer')).toHaveLength(1);
    s.expectClean();
  });
});

describe('signal boundary events', () => {
  const withBoundary = (interrupting: boolean) => model(`
    <bpmn:startEvent id="S" />${flow('f1', 'S', 'T')}
    <bpmn:userTask id="T" />${flow('f2', 'T', 'E')}
    <bpmn:boundaryEvent id="B" attachedToRef="T" cancelActivity="${interrupting}">${signalDef('Alarm')}</bpmn:boundaryEvent>${flow('f3', 'B', 'EB')}
    <bpmn:endEvent id="E" /><bpmn:endEvent id="EB" />`);

  it('an interrupting boundary ends the activity and closes its subscription', async () => {
    const s = new Sim(await withBoundary(true));
    s.start();
    expect(signals(s)).toEqual(['B:alarm']);
    s.send({ type: 'signalReceived', name: 'alarm', variables: { why: 'fire' } });
    expect(s.trace('elementTerminated')).toEqual(['T']);
    expect(s.trace('elementCompleted')).toEqual(['S', 'B', 'EB', 'p']);
    expect(s.state.finalVariables).toEqual({ why: 'fire' });
    s.expectClean();
  });

  it('a non-interrupting boundary fires on every broadcast while the activity runs', async () => {
    const s = new Sim(await withBoundary(false));
    s.start();
    s.send({ type: 'signalReceived', name: 'alarm' });
    s.send({ type: 'signalReceived', name: 'alarm' });
    expect(s.trace('elementCompleted').filter((id) => id === 'EB')).toHaveLength(2);
    expect(s.active()).toEqual(['T']);
    expect(signals(s)).toEqual(['B:alarm']);
    s.completeUserTask('T');
    expect(s.of('closeSignalSubscription')).toEqual([expect.objectContaining({ elementId: 'B' })]);
    s.expectClean();
  });
});

describe('signal event subprocesses', () => {
  const withEsp = (interrupting: boolean) => model(`
    <bpmn:startEvent id="S" />${flow('f1', 'S', 'T')}
    <bpmn:userTask id="T" />${flow('f2', 'T', 'E')}
    <bpmn:endEvent id="E" />
    <bpmn:subProcess id="Esp" triggeredByEvent="true">
      <bpmn:startEvent id="EspStart" isInterrupting="${interrupting}">${signalDef('Alarm')}</bpmn:startEvent>${flow('f3', 'EspStart', 'EspEnd')}
      <bpmn:endEvent id="EspEnd" />
    </bpmn:subProcess>`);

  it('an interrupting signal start ends the rest of the scope', async () => {
    const s = new Sim(await withEsp(true));
    s.start();
    expect(signals(s)).toEqual(['EspStart:alarm']);
    s.send({ type: 'signalReceived', name: 'alarm' });
    expect(s.trace('elementTerminated')).toEqual(['T']);
    expect(s.trace('elementCompleted')).toEqual(expect.arrayContaining(['EspStart', 'EspEnd', 'Esp', 'p']));
    s.expectClean();
  });

  it('a non-interrupting signal start runs beside the scope, each broadcast once', async () => {
    const s = new Sim(await withEsp(false));
    s.start();
    s.send({ type: 'signalReceived', name: 'alarm' });
    s.send({ type: 'signalReceived', name: 'alarm' });
    expect(s.trace('elementCompleted').filter((id) => id === 'Esp')).toHaveLength(2);
    expect(s.active()).toEqual(['T']);
    s.completeUserTask('T');
    s.expectClean();
  });

  it('an interrupting subprocess start withdraws the other subscriptions the broadcast would have fired', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'T')}
      <bpmn:userTask id="T" />${flow('f2', 'T', 'E')}
      <bpmn:boundaryEvent id="B" attachedToRef="T" cancelActivity="false">${signalDef('Alarm')}</bpmn:boundaryEvent>${flow('f3', 'B', 'EB')}
      <bpmn:endEvent id="E" /><bpmn:endEvent id="EB" />
      <bpmn:subProcess id="Esp" triggeredByEvent="true">
        <bpmn:startEvent id="EspStart">${signalDef('Alarm')}</bpmn:startEvent>${flow('f4', 'EspStart', 'EspEnd')}
        <bpmn:endEvent id="EspEnd" />
      </bpmn:subProcess>`));
    s.start();
    // The event subprocess's subscription opened first (with the process), so it fires first.
    expect(signals(s)).toEqual(['EspStart:alarm', 'B:alarm']);
    s.send({ type: 'signalReceived', name: 'alarm' });
    expect(s.trace('elementCompleted')).not.toContain('EB');
    s.expectClean();
  });
});

describe('signal throw and end events', () => {
  it('an intermediate throw broadcasts its input mappings and goes straight on', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'Th')}
      <bpmn:intermediateThrowEvent id="Th">
        <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=id" target="complaintId" /></zeebe:ioMapping></bpmn:extensionElements>
        ${signalDef('Alarm')}
      </bpmn:intermediateThrowEvent>${flow('f2', 'Th', 'E')}
      <bpmn:endEvent id="E" />`));
    s.start({ id: 'c-1', secret: 'x' });
    expect(s.of('broadcastSignal')).toEqual([expect.objectContaining({ elementId: 'Th', signalName: 'alarm', variables: { complaintId: 'c-1' } })]);
    expect(s.trace('elementCompleted')).toEqual(['S', 'Th', 'E', 'p']);
    s.expectClean();
  });

  it('an end event broadcasts (no variables without input mappings) and ends its path', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'E')}
      <bpmn:endEvent id="E">${signalDef('Dyn')}</bpmn:endEvent>`));
    s.start({ region: 'south' });
    expect(s.of('broadcastSignal')).toEqual([expect.objectContaining({ elementId: 'E', signalName: 'alarm-south', variables: {} })]);
    s.expectClean();
  });

  it('a throw whose FEEL name fails is an incident; resolving broadcasts once', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'E')}
      <bpmn:endEvent id="E">${signalDef('Dyn')}</bpmn:endEvent>`));
    s.start({ region: null });
    expect(s.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'E' }]);
    expect(s.of('broadcastSignal')).toEqual([]);
    s.send({ type: 'setVariables', variables: { region: 'east' } });
    s.resolve('E');
    expect(s.of('broadcastSignal').map((c) => c.signalName)).toEqual(['alarm-east']);
    s.expectClean();
  });
});

describe('signal start events', () => {
  it('a process with a signal start starts there with the signal variables', async () => {
    const m = await model(`
      <bpmn:startEvent id="None" />${flow('f0', 'None', 'E')}
      <bpmn:startEvent id="OnAlarm">${signalDef('Alarm')}</bpmn:startEvent>${flow('f1', 'OnAlarm', 'E')}
      <bpmn:endEvent id="E" />`);
    expect(startEvents(m).map((e) => e.trigger.type)).toEqual(['none', 'signal']);
    const s = new Sim(m);
    s.start({ level: 2 }, 'OnAlarm');
    expect(s.trace('elementCompleted')).toEqual(['OnAlarm', 'E', 'p']);
    expect(s.state.finalVariables).toEqual({ level: 2 });
  });
});
