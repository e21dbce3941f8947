/**
 * Element names in other languages (`name:<locale>` extension properties, decision 0050): read
 * for people, never compiled. The shipped processes carry zh-CN names for their user-visible
 * elements and compile to exactly the model they compile to without them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileBpmn } from '../../../processes/compiler';
import { elementLabels, elementNames } from '../../../processes/compiler/labels';
import { parseBpmn } from '../../../processes/compiler/parse';

const SHIPPED = ['complaint-handling', 'commitment-fulfilment', 'low-score-alert'];
const read = (name: string) => fs.readFileSync(path.join(__dirname, '../../../processes', `${name}.bpmn`), 'utf8');
const withoutLabels = (xml: string) => xml.replace(/<zeebe:properties><zeebe:property name="name:zh-CN" value="[^"]*" \/><\/zeebe:properties>/g, '');

async function labelsOf(xml: string) {
  const parsed = await parseBpmn(xml);
  if (!parsed.ok) throw new Error(parsed.message);
  return { labels: elementLabels(parsed.elementsById), names: elementNames(parsed.elementsById), parsed };
}

describe('element labels', () => {
  it.each(SHIPPED)('%s: the labels change nothing the compiler produces', async (name) => {
    // given the shipped diagram, and the same diagram with its labels taken out
    const xml = read(name);
    const bare = withoutLabels(xml);
    expect(bare).not.toEqual(xml);
    // when
    const [labelled, plain] = await Promise.all([compileBpmn(xml), compileBpmn(bare)]);
    // then
    expect(labelled.ok).toBe(true);
    expect(labelled.problems).toEqual(plain.problems);
    expect(labelled.document).toEqual(plain.document);
  });

  it.each(SHIPPED)('%s: every named flow node and the process have a zh-CN name', async (name) => {
    const { labels, parsed } = await labelsOf(read(name));
    const named = [...parsed.elementsById.values()]
      .filter((e) => typeof (e as { name?: unknown }).name === 'string' && /^bpmn:(Process|.*(Task|Event|Gateway)|SubProcess)$/.test(e.$type))
      .map((e) => String(e.id));
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((id) => !labels[id]?.['zh-CN'])).toEqual([]);
  });

  it('reads name:<locale> properties with their element names, and ignores other properties and empty values', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:userTask id="Call" name="Call the customer">
      <bpmn:extensionElements><zeebe:properties>
        <zeebe:property name="name:zh-CN" value="致电客户" />
        <zeebe:property name="name:ja" value="  " />
        <zeebe:property name="publishers" value="service" />
        <zeebe:property name="name:" value="nothing" />
      </zeebe:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End" name="Done" />
  </bpmn:process>
</bpmn:definitions>`;
    const { labels, names } = await labelsOf(xml);
    expect(labels).toEqual({ Call: { 'zh-CN': '致电客户' } });
    expect(names).toEqual({ Call: 'Call the customer' });
  });
});
