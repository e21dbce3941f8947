/**
 * A user task's priority as Camunda 8.6 defines it (`zeebe:priorityDefinition priority`): a
 * whole number from 0 to 100 or a FEEL expression. A static one out of range is refused at
 * deploy with the task's id; a FEEL one is evaluated when the task opens, and a result that is
 * no whole number from 0 to 100 is an incident at the task. The instance view shows it (50
 * where the model gives none but has SLA policies), and an SLA escalation raises it from there.
 */
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { openUserTasks } from '../../../processes/evaluator';
import { buildView } from '../../../workflows/processInstance/view';
import { Sim } from './harness';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

const diagram = (priority: string | null) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="D" targetNamespace="http://example.com/bpmn"><bpmn:process id="p" isExecutable="true">
  <bpmn:startEvent id="S" />
  <bpmn:userTask id="Review"><bpmn:extensionElements><zeebe:userTask />${priority === null ? '' : `<zeebe:priorityDefinition priority="${priority}" />`}</bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="E" />
  <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Review" /><bpmn:sequenceFlow id="f2" sourceRef="Review" targetRef="E" />
</bpmn:process></bpmn:definitions>`;

async function model(priority: string | null): Promise<ProcessModel> {
  const result = await compileBpmn(diagram(priority));
  const process = result.document?.processes[0];
  if (!result.ok || !process) throw new Error(JSON.stringify(result.problems));
  return process;
}

const opened = (sim: Sim) => sim.of('openUserTask').map((c) => c.priority);

describe('user task priority (zeebe:priorityDefinition)', () => {
  it('refuses a static priority that is not a whole number from 0 to 100, naming the task', async () => {
    for (const bad of ['101', '-1', 'high', '7.5']) {
      const result = await compileBpmn(diagram(bad));
      expect({ bad, ok: result.ok }).toEqual({ bad, ok: false });
      expect(result.problems).toContainEqual(expect.objectContaining({
        severity: 'error', elementId: 'Review', message: expect.stringContaining('zeebe:priorityDefinition priority must be a whole number from 0 to 100'),
      }));
    }
  });

  it('gives the opened task a static priority, and none when the model gives none', async () => {
    const given = new Sim(await model('80'));
    given.start();
    expect(opened(given)).toEqual([80]);
    const none = new Sim(await model(null));
    none.start();
    expect(opened(none)).toEqual([undefined]);
  });

  it('evaluates a FEEL priority when the task opens', async () => {
    const sim = new Sim(await model('=if vip then 90 else 20'));
    sim.start({ vip: true });
    expect(opened(sim)).toEqual([90]);
    expect(openUserTasks(sim.state)[0]?.priority).toBe(90);
  });

  it('raises an incident at the task when the FEEL priority gives no whole number from 0 to 100', async () => {
    for (const vars of [{ level: 150 }, { level: 'urgent' }, { level: null }]) {
      const sim = new Sim(await model('=level'));
      sim.start(vars);
      expect({ vars, incidents: sim.incidents() }).toEqual({ vars, incidents: [{ type: 'EXTRACT_VALUE_ERROR', elementId: 'Review' }] });
      expect(sim.of('openUserTask')).toEqual([]);
    }
  });

  it('shows the priority in the instance view, raised by an escalation where there is one', async () => {
    const m = await model('70');
    const sim = new Sim(m);
    sim.start();
    const input = { definition: { key: 'p', version: 1 }, model: m } as unknown as Parameters<typeof buildView>[0]['input'];
    const view = (priorities: Record<string, number>) => buildView({ input, state: sim.state, claims: {}, taskOpenedAt: {}, canceled: false, model: m, priorities }).tasks[0];
    const key = openUserTasks(sim.state)[0]!.key;
    expect(view({})?.priority).toBe(70);
    expect(view({ [key]: 95 })?.priority).toBe(95);
    const plain = new Sim(await model(null));
    plain.start();
    const plainView = buildView({ input, state: plain.state, claims: {}, taskOpenedAt: {}, canceled: false, model: plain.model, priorities: {} }).tasks[0];
    expect(plainView).not.toHaveProperty('priority');
  });
});
