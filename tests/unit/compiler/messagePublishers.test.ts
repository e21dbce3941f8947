import { readFileSync } from 'node:fs';
import path from 'node:path';
import { messagePublishers } from '../../../processes/compiler/messagePublishers';

const doc = (messages: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S" /></bpmn:process>
  ${messages}
</bpmn:definitions>`;
const publishers = (value: string) =>
  `<bpmn:extensionElements><zeebe:properties><zeebe:property name="publishers" value="${value}" /></zeebe:properties></bpmn:extensionElements>`;

describe('message publishers declared on bpmn:Message', () => {
  it('reads the roles of each message, service-only as no role, and leaves undeclared messages out', async () => {
    // given
    const xml = doc(`
      <bpmn:message id="A" name="parcel-scanned">${publishers('integration, operator')}</bpmn:message>
      <bpmn:message id="B" name="customer-answered">${publishers('service')}</bpmn:message>
      <bpmn:message id="C" name="anything-goes" />`);
    // when
    const found = await messagePublishers(xml);
    // then
    expect([...found.entries()]).toEqual([['parcel-scanned', ['integration', 'operator']], ['customer-answered', []]]);
  });

  it('declares the customer-facing and department messages of the shipped complaint process as the service\'s own', async () => {
    // given
    const xml = readFileSync(path.join(__dirname, '../../../processes/complaint-handling.bpmn'), 'utf8');
    // when
    const found = await messagePublishers(xml);
    // then
    expect(Object.fromEntries(found)).toEqual({ 'complaint-evaluated': [], 'complaint-reopen-requested': [], 'complaint-engineer-chosen': [], 'complaint-department-requested': [] });
  });
});
