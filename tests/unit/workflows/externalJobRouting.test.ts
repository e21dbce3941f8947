import { compileBpmn } from '../../../processes/compiler';
import type { Command } from '../../../processes/evaluator';
import type { ProcessModel } from '../../../processes/model';
import { hasExternalJobs, isExternal } from '../../../workflows/processInstance/externalJobs';
import { activationKeyOf } from '../../../workflows/processInstance/jobActivation';

// Which jobs wait for external workers (decision 0028), now also for a type given as FEEL.

type ExecuteJob = Extract<Command, { type: 'executeJob' }>;

async function model(type: string, taskTypes: ReadonlySet<string> | null, listeners = ''): Promise<ProcessModel> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="S" />
    <bpmn:serviceTask id="T"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${listeners}</bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="E" /><bpmn:sequenceFlow id="a" sourceRef="S" targetRef="T" /><bpmn:sequenceFlow id="b" sourceRef="T" targetRef="E" />
  </bpmn:process></bpmn:definitions>`;
  const result = await compileBpmn(xml, { taskTypes });
  if (!result.ok || !result.document?.processes[0]) throw new Error(JSON.stringify(result.problems));
  return result.document.processes[0];
}

const job = (taskType: string): ExecuteJob => ({
  type: 'executeJob', key: 'k1', elementId: 'T', elementInstanceKey: 'i1', taskType, retries: 3, headers: [], variables: {},
});

describe('routing jobs to external workers', () => {
  const catalog = new Set(['http.request']);

  it('routes an evaluated type outside the deploy-time catalog to external workers, a catalog type in-process', async () => {
    const m = await model('=kind', catalog);
    expect(hasExternalJobs(m)).toBe(true);
    expect(isExternal(m, job('io.camunda.agenticai:aiagent:1'))).toBe(true);
    expect(isExternal(m, job('http.request'))).toBe(false);
  });

  it('keeps static types as before', async () => {
    const known = await model('http.request', catalog);
    expect(hasExternalJobs(known)).toBe(false);
    expect(isExternal(known, job('http.request'))).toBe(false);
    const unknown = await model('billing.charge', catalog);
    expect(hasExternalJobs(unknown)).toBe(true);
    expect(isExternal(unknown, job('billing.charge'))).toBe(true);
  });

  it('runs every evaluated type in-process when compiled without a catalog check', async () => {
    const m = await model('=kind', null);
    expect(hasExternalJobs(m)).toBe(false);
    expect(isExternal(m, job('anything'))).toBe(false);
  });

  it('routes a listener job by the listener of its event type, not by the element job', async () => {
    const listeners = '<zeebe:executionListeners><zeebe:executionListener eventType="start" type="audit.open" /><zeebe:executionListener eventType="end" type="http.request" /></zeebe:executionListeners>';
    const m = await model('http.request', catalog, listeners);
    expect(hasExternalJobs(m)).toBe(true);
    expect(isExternal(m, { ...job('audit.open'), listener: 'start' })).toBe(true);
    expect(isExternal(m, { ...job('http.request'), listener: 'end' })).toBe(false);
    expect(isExternal(m, job('http.request'))).toBe(false);
    const inProcess = await model('http.request', catalog, '<zeebe:executionListeners><zeebe:executionListener eventType="end" type="http.request" /></zeebe:executionListeners>');
    expect(hasExternalJobs(inProcess)).toBe(false);
  });

  it('routes the listener jobs of the process itself, which run at the process id', async () => {
    const m = await model('http.request', catalog);
    const processListener = m.id;
    const withListeners = { ...m, executionListeners: { start: [{ type: 'audit.open', retries: 3, headers: [], worker: 'external' as const }], end: [] } };
    expect(hasExternalJobs(withListeners)).toBe(true);
    expect(isExternal(withListeners, { ...job('audit.open'), elementId: processListener, listener: 'start' })).toBe(true);
    expect(isExternal(m, { ...job('audit.open'), elementId: processListener, listener: 'start' })).toBe(false);
  });
});

describe('the activation a catalog job is deduplicated by', () => {
  const command = (listener?: 'start' | 'end', taskType = 'mail.send'): ExecuteJob => ({ ...job(taskType), ...(listener ? { listener } : {}) });

  it('is the element instance for the element job, and its own per listener, stable across reissues', () => {
    expect(activationKeyOf(command())).toBe('i1');
    const start = activationKeyOf(command('start'));
    expect(new Set([activationKeyOf(command()), start, activationKeyOf(command('end')), activationKeyOf(command('start', 'audit.log'))]).size).toBe(4);
    expect(activationKeyOf({ ...command('start'), key: 'k9', retries: 1 })).toBe(start);
  });
});
