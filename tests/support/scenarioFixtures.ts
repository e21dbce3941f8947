/**
 * The evaluator's scenario fixtures (tests/unit/evaluator/scenarios/*.bpmn), made deployable:
 * the fixtures use made-up task types (`notify.remind`, `dept.work`, …) that the compiler
 * rejects, so every service task becomes `variables.set` with an empty context (the job
 * completes at once and changes no variable). `asUserTasks` turns named service tasks into
 * user tasks, for scenarios where the job must stay open until something else happens.
 */
import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve(__dirname, '../unit/evaluator/scenarios');

export function deployableFixture(name: string, options: { asUserTasks?: string[] } = {}): string {
  let xml = fs.readFileSync(path.join(dir, `${name}.bpmn`), 'utf8');
  for (const id of options.asUserTasks ?? []) {
    const element = new RegExp(`<bpmn:serviceTask id="${id}">([\\s\\S]*?)</bpmn:serviceTask>`);
    if (!element.test(xml)) throw new Error(`fixture ${name} has no service task '${id}'`);
    xml = xml.replace(element, (_all, body: string) =>
      `<bpmn:userTask id="${id}">${body.replace(/<bpmn:extensionElements>[\s\S]*?<\/bpmn:extensionElements>/, '')}</bpmn:userTask>`);
  }
  return xml.replace(
    /<zeebe:taskDefinition type="[^"]*" \/>/g,
    '<zeebe:taskDefinition type="variables.set" /><zeebe:ioMapping><zeebe:input source="={}" target="variables" /></zeebe:ioMapping>',
  );
}
