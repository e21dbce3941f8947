/**
 * Issue 12, item 4: form-js `text` and `html` components of a deployed form are sanitised
 * before they reach the inbox DOM (DOMPurify): an `<img onerror>`, a script or a
 * `javascript:` link never gets there; harmless formatting does. Real Chromium against the
 * real server, Temporal and FerretDB.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';

const FORM = JSON.stringify({
  type: 'default', id: 'HostileForm', schemaVersion: 16,
  components: [
    { type: 'text', id: 'Intro', text: 'Hello <b id="bold-team">team</b> <img id="text-img" src="data:," onerror="window.__xss = 1"> <a id="js-link" href="javascript:window.__xss = 2">click</a>' },
    { type: 'html', id: 'Block', content: '<p id="safe-para">Safe paragraph</p><img id="html-img" src="data:," onerror="window.__xss = 3"><script>window.__xss = 4</script><svg><animate onbegin="window.__xss = 5" /></svg>' },
    { type: 'html', id: 'Block2', content: '<iframe id="html-frame" srcdoc="<script>parent.__xss = 7</script>"></iframe><form id="html-form" action="javascript:window.__xss = 8"><button id="html-button" formaction="javascript:window.__xss = 9">go</button></form><a id="html-link" href="javascript:window.__xss = 10">x</a><details id="html-details" open ontoggle="window.__xss = 11">d</details>' },
    { type: 'image', id: 'Pic', source: 'javascript:window.__xss = 12', alt: 'pic' },
    { type: 'iframe', id: 'Frame', url: 'javascript:window.__xss = 13', label: 'frame' },
    { type: 'textfield', id: 'Note', key: 'note', label: 'A note' },
  ],
});
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs_hostile" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="inbox-hostile-form" name="Hostile form" isExecutable="true">
    <bpmn:extensionElements><zeebe:userTaskForm id="HostileForm">${escapeXml(FORM)}</zeebe:userTaskForm></bpmn:extensionElements>
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Fill" name="Fill the hostile form">
      <bpmn:extensionElements>
        <zeebe:formDefinition formKey="camunda-forms:bpmn:HostileForm" />
        <zeebe:assignmentDefinition candidateGroups="after-sales" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Fill" />
    <bpmn:sequenceFlow id="f2" sourceRef="Fill" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  expect((await stack.api('POST', '/api/definitions', DIAGRAM, 'application/xml')).status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('renders a form with hostile text and html components without their handlers, scripts or javascript: links', async () => {
  // given a task whose form carries markup meant to run in the inbox
  const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/inbox-hostile-form/instances', { variables: {} });
  expect(started.status).toBe(201);
  const tasks = await eventually<{ items: Array<{ id: string }> }>(stack, `/api/tasks?instanceId=${started.body.instanceId}`, (p) => p.items.length === 1, 'the task');
  const agent = await stack.createUser({ roles: ['agent'], groups: ['after-sales'], staffId: 'S-hostile' });
  const session = await stack.login(agent.email, agent.password);
  const journey = await openJourney(browser, { name: 'inbox-hostile-form', baseUrl: stack.url });
  await journey.signIn(session.token, session.user);

  // when the agent opens it
  const found = await journey.step('opens the task with the hostile form', async () => {
    await journey.page.goto(`/#/inbox/${tasks.items[0]!.id}`);
    await journey.page.getByLabel('A note').waitFor();
    await journey.page.locator('#safe-para').waitFor();
    return journey.page.evaluate(() => ({
      handlers: document.querySelectorAll('[onerror], [onbegin], [onload], [onclick]').length,
      scripts: document.querySelectorAll('.task-form script').length,
      jsLinks: Array.from(document.querySelectorAll('.task-form a')).filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
      ran: (window as unknown as { __xss?: number }).__xss ?? null,
      safe: document.querySelector('#safe-para')?.textContent ?? null,
      frames: document.querySelectorAll('.task-form iframe[srcdoc]').length,
    }));
  });

  // then nothing hostile reached the DOM, the harmless paragraph did, and the page reported no problem
  expect(found).toEqual({ handlers: 0, scripts: 0, jsLinks: 0, ran: null, frames: 0, safe: 'Safe paragraph' });
  await journey.finish();
});
