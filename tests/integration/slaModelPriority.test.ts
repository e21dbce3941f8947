/**
 * An SLA escalation raises a user task's priority from the priority the model gave it
 * (zeebe:priorityDefinition), not from the default 50, and never above 100: on a time-skipping
 * Temporal test server with the real workflow and activities.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type mongoose from 'mongoose';
import { createActivities } from '../../activities';
import { compileBpmn } from '../../processes/compiler';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { ensureSearchAttributes } from '../../server/temporal/connection';
import { wireServices } from '../../server/wiring';
import { instanceStateQuery } from '../../workflows/processInstance/messages';
import type { InstanceView } from '../../workflows/processInstance/types';
import { quietRuntime, testEnv, uniqueName } from '../support/servers';

jest.setTimeout(120_000);

/** One user task per priority, each with an SLA that breaches after an hour and raises it by 30. */
const xml = (priority: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:sla="http://complaint-bpm.example/schema/sla/1.0" id="d" targetNamespace="http://complaint-bpm.example/bpmn">
  <bpmn:process id="model-priority" isExecutable="true">
    <bpmn:extensionElements>
      <sla:policies>
        <sla:policy id="answer" name="Answer" metric="firstResponse" stop="Answer" calendar="around-the-clock">
          <sla:target duration="PT1H" />
          <sla:escalation at="breach"><sla:raisePriority by="30" /></sla:escalation>
        </sla:policy>
      </sla:policies>
    </bpmn:extensionElements>
    <bpmn:startEvent id="Opened" />
    <bpmn:userTask id="Answer" name="Answer">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="after-sales" />
        ${priority ? `<zeebe:priorityDefinition priority="${priority}" />` : ''}
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="Closed" />
    <bpmn:sequenceFlow id="f1" sourceRef="Opened" targetRef="Answer" />
    <bpmn:sequenceFlow id="f2" sourceRef="Answer" targetRef="Closed" />
  </bpmn:process>
</bpmn:definitions>`;

let env: TestWorkflowEnvironment;
let mongo: mongoose.Connection;
let services: ReturnType<typeof wireServices>;
const taskQueue = uniqueName('sla-priority');

beforeAll(async () => {
  quietRuntime();
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testEnv.testServerBinary } } });
  await ensureSearchAttributes(env.client, env.namespace ?? 'default');
  mongo = await connectMongo(testEnv.mongoUri, uniqueName('slaprio').replace(/-/g, '_'));
  services = wireServices({ mongo, temporal: env.client, taskQueue, log: createLogger('silent'), bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [] });
});

afterAll(async () => {
  await services?.drainProjections();
  await env?.teardown();
  await mongo?.close();
});

/** The Answer task's priority before and after its SLA breached. */
async function priorities(priority: string): Promise<{ before: number | undefined; after: number | undefined }> {
  const compiled = await compileBpmn(xml(priority));
  if (!compiled.ok || !compiled.document?.processes[0]) throw new Error(JSON.stringify(compiled.problems));
  const model = compiled.document.processes[0];
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, activities: createActivities(services.activityDeps),
    workflowBundle: { codePath: testEnv.workflowBundle }, sinks: services.sinks,
  });
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start('processInstance', {
      taskQueue, workflowId: `pi-${uniqueName('slaprio')}`, args: [{ definition: { key: model.id, version: 1 }, model, variables: {} }],
    });
    const answer = async () => ((await h.query(instanceStateQuery)) as InstanceView).tasks.find((t) => t.elementId === 'Answer');
    const before = (await answer())?.priority;
    await env.sleep(2 * 3_600_000);
    const after = (await answer())?.priority;
    await h.terminate('test done');
    return { before, after };
  });
}

test('a breach raises the model\'s priority 60 by 30 to 90', async () => {
  expect(await priorities('60')).toEqual({ before: 60, after: 90 });
});

test('a breach caps the raise at 100', async () => {
  expect(await priorities('85')).toEqual({ before: 85, after: 100 });
});

test('without a model priority the raise starts from 50', async () => {
  expect(await priorities('')).toEqual({ before: 50, after: 80 });
});
