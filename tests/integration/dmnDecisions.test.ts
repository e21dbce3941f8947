/**
 * DMN business rule tasks through HTTP on the real servers (Temporal, FerretDB on PostgreSQL):
 * a diagram deployed with its .dmn file runs its decision and the result drives a gateway;
 * a task whose decision is not deployed raises an incident that deploying the decision and
 * retrying resolves; decisions deploy alone, are versioned by id and evaluate for testing;
 * bad DMN is refused naming the element and storing nothing.
 */
import { eventually, startStack, type Stack } from '../support/stack';
import { uniqueName } from '../support/servers';
import { dmnDocument, literalDecision, tableDecision } from '../support/dmnXml';

interface Detail { status: string; variables: Record<string, unknown>; incidents: Array<{ id: string; elementId: string; type: string; message: string }>; activeElements?: string[] }
interface DeployAnswer { key: string; version: number; created: boolean; decisions?: Array<{ decisionId: string; version: number; created: boolean }>; errors?: Array<{ elementId: string | null; message: string }> }

/** start → business rule task (route) → gateway on `queue` → senior | standard end. */
const diagram = (key: string, decisionId: string, binding = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:businessRuleTask id="route" name="Route complaint">
      <bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="queue"${binding} /></bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:exclusiveGateway id="which" default="toStandard" />
    <bpmn:endEvent id="senior" /><bpmn:endEvent id="standard" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="route" />
    <bpmn:sequenceFlow id="f2" sourceRef="route" targetRef="which" />
    <bpmn:sequenceFlow id="toSenior" sourceRef="which" targetRef="senior"><bpmn:conditionExpression>=queue = "senior"</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toStandard" sourceRef="which" targetRef="standard" />
  </bpmn:process>
</bpmn:definitions>`;

/** A required decision (risk by amount) feeding the routing table. */
const routing = (decisionId: string, seniorFrom = 1000) => dmnDocument([
  tableDecision({ id: `${decisionId}_risk`, inputs: ['amount'], outputs: [{ name: 'risk' }], rules: [[`>= ${seniorFrom}`, '"high"'], [`< ${seniorFrom}`, '"low"']] }),
  tableDecision({ id: decisionId, hitPolicy: 'FIRST', requires: [`${decisionId}_risk`], inputs: [`${decisionId}_risk`, 'vip'], outputs: [{ name: 'queue' }], rules: [['"high"', '-', '"senior"'], ['-', 'true', '"senior"'], ['-', '-', '"standard"']] }),
], `${decisionId}-drd`);

describe('DMN business rule tasks', () => {
  let stack: Stack;
  let token: string;

  const deployBoth = async (files: Array<{ name: string; text: string }>) => {
    const body = new FormData();
    for (const f of files) body.append('resources', new Blob([f.text]), f.name);
    const res = await fetch(`${stack.url}/api/definitions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    return { status: res.status, body: (await res.json()) as DeployAnswer };
  };
  const start = async (key: string, variables: Record<string, unknown>) =>
    (await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables })).body.instanceId;
  const finished = (id: string) => eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'completed', 'the instance to complete');

  beforeAll(async () => {
    stack = await startStack();
    const user = await stack.createUser({ roles: ['designer', 'admin'], email: `${uniqueName('dmn')}@example.com` });
    token = (await stack.login(user.email, user.password)).token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('deploys the diagram with its decisions; the decision result drives the gateway', async () => {
    const key = uniqueName('dmn-route');
    const decisionId = `${key.replace(/-/g, '_')}_queue`;
    const deployed = await deployBoth([{ name: `${key}.bpmn`, text: diagram(key, decisionId) }, { name: 'routing.dmn', text: routing(decisionId) }]);
    expect(deployed.status).toBe(201);
    expect(deployed.body).toMatchObject({ key, version: 1, created: true });
    expect(deployed.body.decisions).toEqual(expect.arrayContaining([
      expect.objectContaining({ decisionId, version: 1, created: true }),
      expect.objectContaining({ decisionId: `${decisionId}_risk`, version: 1, created: true }),
    ]));

    const big = await finished(await start(key, { amount: 5000, vip: false }));
    expect(big.variables).toMatchObject({ queue: 'senior' });
    expect(big.activeElements ?? []).toEqual([]);
    const small = await finished(await start(key, { amount: 10, vip: false }));
    expect(small.variables).toMatchObject({ queue: 'standard' });

    // a new version of the decision alone: the next evaluation reads it (binding "latest")
    const v2 = await stack.api<{ decisions: Array<{ decisionId: string; version: number; created: boolean }> }>('POST', '/api/decisions', routing(decisionId, 5), 'application/xml');
    expect(v2.status).toBe(201);
    expect(v2.body.decisions).toEqual(expect.arrayContaining([expect.objectContaining({ decisionId, version: 2, created: true })]));
    expect((await finished(await start(key, { amount: 10, vip: false }))).variables).toMatchObject({ queue: 'senior' });
  });

  it('raises an incident for a decision not deployed; deploying it and retrying resolves it', async () => {
    const key = uniqueName('dmn-missing');
    const decisionId = `${key.replace(/-/g, '_')}_queue`;
    expect((await stack.api('POST', '/api/definitions', diagram(key, decisionId), 'application/xml')).status).toBe(201);
    const id = await start(key, { amount: 2000 });
    const stuck = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.incidents.length === 1, 'an incident on the task');
    expect(stuck.status).toBe('active');
    expect(stuck.incidents[0]).toMatchObject({ elementId: 'route', type: 'JOB_NO_RETRIES', message: expect.stringContaining(`no decision found for id '${decisionId}'`) });

    expect((await stack.api('POST', '/api/decisions', routing(decisionId), 'application/xml')).status).toBe(201);
    expect((await stack.api('POST', `/api/instances/${id}/incidents/${stuck.incidents[0]!.id}/resolve`)).status).toBe(204);
    const done = await finished(id);
    expect(done.variables).toMatchObject({ queue: 'senior' });
    expect(done.incidents).toEqual([]);
  });

  it('a failing evaluation is an incident naming the decision and the rules', async () => {
    const key = uniqueName('dmn-unique');
    const decisionId = `${key.replace(/-/g, '_')}_queue`;
    const clash = dmnDocument([tableDecision({ id: decisionId, inputs: ['amount'], outputs: [{ name: 'queue' }], rules: [['> 0', '"a"'], ['> 1', '"b"']] })], `${key}-drd`);
    const deployed = await deployBoth([{ name: `${key}.bpmn`, text: diagram(key, decisionId) }, { name: 'clash.dmn', text: clash }]);
    expect(deployed.status).toBe(201);
    const id = await start(key, { amount: 5 });
    const stuck = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.incidents.length === 1, 'an incident on the task');
    expect(stuck.incidents[0]!.message).toMatch(new RegExp(`decision '${decisionId}': hit policy UNIQUE: 2 rules matched \\('${decisionId}_r1', '${decisionId}_r2'\\)`));
  });

  it('bindingType="deployment" evaluates the version deployed with the process, and needs it in the deployment', async () => {
    const key = uniqueName('dmn-pinned');
    const decisionId = `${key.replace(/-/g, '_')}_queue`;
    const refused = await deployBoth([{ name: `${key}.bpmn`, text: diagram(key, decisionId, ' bindingType="deployment"') }]);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ elementId: 'route', message: expect.stringMatching(/not part of this deployment/) })]);
    const byExpression = await deployBoth([{ name: `${key}.bpmn`, text: diagram(key, '=which', ' bindingType="deployment"') }, { name: 'r.dmn', text: routing(decisionId) }]);
    expect(byExpression.status).toBe(422);
    expect(byExpression.body.errors).toEqual([expect.objectContaining({ elementId: 'route', message: expect.stringMatching(/needs a static decisionId/) })]);

    expect((await deployBoth([{ name: `${key}.bpmn`, text: diagram(key, decisionId, ' bindingType="deployment"') }, { name: 'r.dmn', text: routing(decisionId) }])).status).toBe(201);
    expect((await stack.api('POST', '/api/decisions', routing(decisionId, 5), 'application/xml')).status).toBe(201);
    // version 2 would say "senior" for 10; the process still evaluates version 1
    expect((await finished(await start(key, { amount: 10, vip: false }))).variables).toMatchObject({ queue: 'standard' });
  });

  it('bindingType="versionTag" evaluates the latest version with that tag; a FEEL decisionId is evaluated with the variables', async () => {
    const key = uniqueName('dmn-tagged');
    const decisionId = `${key.replace(/-/g, '_')}_level`;
    const tagged = (tag: string, level: string) => dmnDocument([tableDecision({ id: decisionId, versionTag: tag, inputs: ['amount'], outputs: [{ name: 'level' }], rules: [['-', `"${level}"`]] })], `${decisionId}_drd`);
    for (const [tag, level] of [['v1', 'one'], ['v2', 'two'], ['v1', 'one-again']] as const) {
      expect((await stack.api('POST', '/api/decisions', tagged(tag, level), 'application/xml')).status).toBe(201);
    }
    const byTag = diagram(key, decisionId, ' bindingType="versionTag" versionTag="v2"').replace('resultVariable="queue"', 'resultVariable="level"');
    expect((await stack.api('POST', '/api/definitions', byTag, 'application/xml')).status).toBe(201);
    expect((await finished(await start(key, {}))).variables).toMatchObject({ level: 'two' });

    const viaFeel = uniqueName('dmn-feel');
    const byExpression = diagram(viaFeel, '=which + &quot;_level&quot;').replace('resultVariable="queue"', 'resultVariable="level"');
    expect((await stack.api('POST', '/api/definitions', byExpression, 'application/xml')).status).toBe(201);
    expect((await finished(await start(viaFeel, { which: decisionId.replace(/_level$/, '') }))).variables).toMatchObject({ level: 'one-again' });
    const notText = uniqueName('dmn-feel-number');
    expect((await stack.api('POST', '/api/definitions', diagram(notText, '=amount'), 'application/xml')).status).toBe(201);
    const odd = await eventually<Detail>(stack, `/api/instances/${await start(notText, { amount: 3 })}`, (d) => d.incidents.length === 1, 'an incident for a number as decision id');
    expect(odd.incidents[0]!.message).toContain("decisionId 'amount' must evaluate to a string, not number");
    const wrongTag = uniqueName('dmn-tag-missing');
    expect((await stack.api('POST', '/api/definitions', diagram(wrongTag, decisionId, ' bindingType="versionTag" versionTag="v9"'), 'application/xml')).status).toBe(201);
    const stuck = await eventually<Detail>(stack, `/api/instances/${await start(wrongTag, {})}`, (d) => d.incidents.length === 1, 'an incident for the unknown tag');
    expect(stuck.incidents[0]!.message).toContain(`no decision found for id '${decisionId}' and version tag 'v9'`);
  });

  it('lists decisions with their versions and evaluates one for testing', async () => {
    const id = uniqueName('dmn-greeting');
    const xml = dmnDocument([literalDecision({ id, expression: '"Dear " + name' })], `${id}-drd`);
    expect((await stack.api('POST', '/api/decisions?resourceName=greeting.dmn', xml, 'application/xml')).status).toBe(201);
    const again = await stack.api<{ decisions: Array<{ created: boolean; version: number }> }>('POST', '/api/decisions', xml, 'application/xml');
    expect(again.status).toBe(200);
    expect(again.body.decisions).toEqual([expect.objectContaining({ version: 1, created: false })]);

    const list = await stack.api<{ items: Array<{ decisionId: string; version: number }> }>('GET', '/api/decisions');
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ decisionId: id, version: 1 })]));
    const detail = await stack.api<{ latest: { version: number; resourceName: string }; versions: unknown[] }>('GET', `/api/decisions/${id}`);
    expect(detail.body).toMatchObject({ latest: { version: 1, resourceName: 'greeting.dmn' }, versions: [expect.anything()] });
    const version = await stack.api<{ decision: { logic: { kind: string } }; xml: string }>('GET', `/api/decisions/${id}/versions/1`);
    expect(version.body.decision.logic.kind).toBe('literalExpression');
    expect(version.body.xml).toContain('literalExpression');

    const evaluated = await stack.api<{ result: unknown; version: number }>('POST', `/api/decisions/${id}/evaluate`, { variables: { name: 'Li' } });
    expect(evaluated.status).toBe(200);
    expect(evaluated.body).toMatchObject({ result: 'Dear Li', version: 1 });
    expect((await stack.api('GET', `/api/decisions/${id}-nope`)).status).toBe(404);
    expect((await stack.api('POST', `/api/decisions/${id}/evaluate`, { variables: 'x' })).status).toBe(400);
  });

  it('refuses bad DMN with 400 naming the element, storing nothing', async () => {
    const id = uniqueName('dmn-bad');
    const bad = dmnDocument([tableDecision({ id, inputs: ['x'], outputs: [{ name: 'o' }], rules: [['> ', '"a"']] })], `${id}-drd`);
    const res = await stack.api<{ error: string; errors: Array<{ elementId: string; message: string }> }>('POST', '/api/decisions', bad, 'application/xml');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_dmn');
    expect(res.body.errors).toEqual([expect.objectContaining({ elementId: `${id}_r1`, message: expect.stringMatching(/FEEL syntax error/) })]);
    expect((await stack.api('GET', `/api/decisions/${id}`)).status).toBe(404);
    expect((await stack.api('POST', '/api/decisions', '<definitions><!DOCTYPE x></definitions>', 'application/xml')).status).toBe(400);

    // beside a diagram: the whole deployment is refused (422), the process is not stored
    const key = uniqueName('dmn-bad-beside');
    const both = await deployBoth([{ name: `${key}.bpmn`, text: diagram(key, id) }, { name: 'bad.dmn', text: bad }]);
    expect(both.status).toBe(422);
    expect(both.body.errors).toEqual([expect.objectContaining({ elementId: `${id}_r1` })]);
    expect((await stack.api('GET', `/api/definitions/${key}/versions`)).status).toBe(404);
  });
});
