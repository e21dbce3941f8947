import { about, around, doc } from './helpers';
import { compile } from './helpers';

const script = (expr: string) => around(`<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:script expression="${expr}" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>`);

describe('FEEL limits at deploy', () => {
  it('refuses 300k nested parentheses by depth, before the parser sees them', async () => {
    // (issue 12: the parser took 11 s on this and the API stopped answering meanwhile)
    const expr = `=${'('.repeat(300_000)}1${')'.repeat(300_000)}`;
    const result = await compile(script(expr), { maxBytes: 4 * 1024 * 1024 });
    expect(about(result, 'X')).toEqual(['error: zeebe:script expression is not valid FEEL: expression nests deeper than the limit of 64 brackets']);
  });

  it('accepts nesting up to the limit, and brackets inside strings do not count', async () => {
    const ok = await compile(script(`=${'('.repeat(64)}1${')'.repeat(64)} + string length(&quot;${'('.repeat(100)}&quot;)`));
    expect(about(ok, 'X')).toEqual([]);
  });

  it('refuses a for over a literal range longer than the iteration limit', async () => {
    const result = await compile(script('=for x in 1..100000000 return x'));
    expect(about(result, 'X')).toEqual(["error: zeebe:script expression is not valid FEEL: 'for x in 1..100000000 return x' would iterate 100000000 times; the limit is 100000"]);
    expect(about(await compile(script('=for x in 1..1000 return x')), 'X')).toEqual([]);
  });
});

describe('timer frequency at deploy', () => {
  const cycleStart = (cycle: string) => doc(`
    <bpmn:startEvent id="Tick"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:endEvent id="End" /><bpmn:sequenceFlow id="F" sourceRef="Tick" targetRef="End" />`);

  it('refuses R/PT0.001S (issue 12: it fired every second forever) and names the event', async () => {
    expect(about(await compile(cycleStart('R/PT0.001S')), 'Tick')).toEqual([
      "error: timer timeCycle 'R/PT0.001S' repeats every 1 ms; the shortest interval allowed is 1000 ms (TIMER_MIN_CYCLE_SECONDS)",
    ]);
  });

  it('accepts a cycle at the minimum, and the minimum is an option', async () => {
    expect(about(await compile(cycleStart('R/PT1M')), 'Tick')).toEqual([]);
    expect(about(await compile(cycleStart('R/PT1M'), { minTimerCycleMs: 3_600_000 }), 'Tick')).toEqual([
      "error: timer timeCycle 'R/PT1M' repeats every 60000 ms; the shortest interval allowed is 3600000 ms (TIMER_MIN_CYCLE_SECONDS)",
    ]);
  });
});
