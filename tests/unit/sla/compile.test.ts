/** sla:policies in the compiler: what compiles, and element-precise problems for what does not. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileBpmn } from '../../../processes/compiler';
import { CATALOG_TASK_TYPES } from '../../../processes/catalogTaskTypes';

const fixture = readFileSync(join(__dirname, 'fixtures', 'sla-clocks.bpmn'), 'utf8');

/** The fixture with its process-level policies replaced by `policies`. */
function withPolicies(policies: string): string {
  return fixture.replace(/(<bpmn:process[^>]*>\s*<bpmn:extensionElements>\s*<sla:policies>)[\s\S]*?(<\/sla:policies>)/, `$1${policies}$2`);
}

async function problems(xml: string) {
  const result = await compileBpmn(xml, { taskTypes: CATALOG_TASK_TYPES });
  return result.problems.filter((p) => p.severity === 'error').map((p) => `${p.elementId}: ${p.message}`);
}

describe('sla policies in the compiler', () => {
  test('the fixture compiles with its policies, calendar and chains in the model', async () => {
    const result = await compileBpmn(fixture, { taskTypes: CATALOG_TASK_TYPES });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const sla = result.document?.processes[0]?.sla;
    expect(sla?.policies.map((p) => [p.id, p.metric, p.attachedTo])).toEqual([
      ['first-response', 'firstResponse', null],
      ['resolution', 'resolution', null],
      ['resolve-task', 'element', 'Resolve'],
    ]);
    expect(sla?.calendars.map((c) => c.id)).toEqual(['berlin-office']);
    const first = sla?.policies[0];
    expect(first?.thresholds).toEqual([50, 75]);
    expect(first?.targets).toEqual([
      { severity: 'high', customerTier: null, duration: 'PT4H', durationMs: 4 * 3_600_000 },
      { severity: null, customerTier: null, duration: 'PT8H', durationMs: 8 * 3_600_000 },
    ]);
    expect(first?.escalations.map((e) => [e.at, e.levels.map((l) => l.type)])).toEqual([
      [50, ['notify']],
      [75, ['notify', 'raisePriority']],
      [100, ['notify', 'reassign']],
    ]);
  });

  test('the model holds no nested arrays (FerretDB, where deployed models are stored, refuses them)', async () => {
    const model = (await compileBpmn(fixture, { taskTypes: null })).document?.processes[0];
    const nested = (value: unknown): boolean =>
      Array.isArray(value) ? value.some((v) => Array.isArray(v) || nested(v)) : typeof value === 'object' && value !== null && Object.values(value).some(nested);
    expect(model?.sla?.calendars[0]?.workingHours.mon).toEqual(['09:00-17:00']);
    expect(nested(model)).toBe(false);
  });

  test('policies change the model hash (they are versioned with the definition)', async () => {
    const a = await compileBpmn(fixture, { taskTypes: null });
    const b = await compileBpmn(fixture.replace('duration="PT8H"', 'duration="PT9H"'), { taskTypes: null });
    expect(a.document?.processes[0]?.hash).not.toBe(b.document?.processes[0]?.hash);
  });

  test.each([
    ['unknown calendar', '<sla:policy id="p" metric="resolution" calendar="mars-office"><sla:target duration="PT8H"/></sla:policy>', "sla-clocks: sla policy 'p': unknown calendar 'mars-office'"],
    ['bad duration', '<sla:policy id="p" metric="resolution" calendar="berlin-office"><sla:target duration="P2D"/><sla:target severity="high" duration="soon"/></sla:policy>', "sla-clocks: sla policy 'p': target: bad duration 'P2D'"],
    ['unknown element ref', '<sla:policy id="p" metric="firstResponse" stop="Nowhere" calendar="berlin-office"><sla:target duration="PT8H"/></sla:policy>', "sla-clocks: sla policy 'p': stop names 'Nowhere', which is not an element of this process"],
    ['unknown pause ref', '<sla:policy id="p" metric="resolution" pauseWhile="Respond Later" calendar="berlin-office"><sla:target duration="PT8H"/></sla:policy>', "sla-clocks: sla policy 'p': pauseWhile names 'Later'"],
    ['thresholds not increasing', '<sla:policy id="p" metric="resolution" thresholds="75 50" calendar="berlin-office"><sla:target duration="PT8H"/></sla:policy>', "sla-clocks: sla policy 'p': thresholds must be increasing ('50' after 75)"],
    ['threshold out of range', '<sla:policy id="p" metric="resolution" thresholds="50 100" calendar="berlin-office"><sla:target duration="PT8H"/></sla:policy>', "sla-clocks: sla policy 'p': thresholds: '100' is not a whole percentage between 1 and 99"],
    ['more than four levels', `<sla:policy id="p" metric="resolution" calendar="berlin-office"><sla:target duration="PT8H"/><sla:escalation at="breach">${'<sla:raisePriority/>'.repeat(5)}</sla:escalation></sla:policy>`, "sla-clocks: sla policy 'p': escalation at='breach' has 5 levels; at most 4"],
    ['escalation at an unknown threshold', '<sla:policy id="p" metric="resolution" calendar="berlin-office"><sla:target duration="PT8H"/><sla:escalation at="60"><sla:raisePriority/></sla:escalation></sla:policy>', "sla-clocks: sla policy 'p': escalation at='60' must be one of the thresholds (50, 75) or 'breach'"],
    ['unknown channel', '<sla:policy id="p" metric="resolution" calendar="berlin-office"><sla:target duration="PT8H"/><sla:escalation at="50"><sla:notify channel="fax" to="x"/></sla:escalation></sla:policy>', "sla-clocks: sla policy 'p': escalation at='50' level 1: unknown notification channel 'fax'"],
    ['reassign without target', '<sla:policy id="p" metric="resolution" calendar="berlin-office"><sla:target duration="PT8H"/><sla:escalation at="breach"><sla:reassign/></sla:escalation></sla:policy>', "sla-clocks: sla policy 'p': escalation at='breach' level 1: reassign needs exactly one of group or user"],
    ['no fallback target', '<sla:policy id="p" metric="resolution" calendar="berlin-office"><sla:target severity="high" duration="PT8H"/></sla:policy>', "sla-clocks: sla policy 'p': needs a fallback target without severity and tier"],
    ['first response without stop', '<sla:policy id="p" metric="firstResponse" calendar="berlin-office"><sla:target duration="PT8H"/></sla:policy>', "sla-clocks: sla policy 'p': metric firstResponse needs stop="],
    ['unknown metric', '<sla:policy id="p" metric="speed" calendar="berlin-office"><sla:target duration="PT8H"/></sla:policy>', "sla-clocks: sla policy 'p': metric must be one of firstResponse, resolution, element"],
    ['duplicate policy id', '<sla:policy id="resolve-task" metric="resolution" calendar="berlin-office"><sla:target duration="PT8H"/></sla:policy>', "Resolve: sla policy 'resolve-task': the id is used by another policy"],
  ])('%s is an error on the element that holds the policy', async (_name, policy, expected) => {
    const found = await problems(withPolicies(policy));
    expect(found).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  test('a problem in a policy written on a task names that task', async () => {
    const found = await problems(fixture.replace('thresholds="50"', 'thresholds="fifty"'));
    expect(found).toEqual(["Resolve: sla policy 'resolve-task': thresholds: 'fifty' is not a whole percentage between 1 and 99"]);
  });

  test('an unknown sla: attribute is refused like any moddle warning', async () => {
    const found = await problems(fixture.replace('metric="resolution"', 'metric="resolution" colour="red"'));
    expect(found.join('\n')).toMatch(/colour/);
  });
});
