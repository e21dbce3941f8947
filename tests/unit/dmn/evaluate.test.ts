import { evaluateDecision, type DecisionGraph } from '../../../processes/dmn';
import { parseDmn } from '../../../processes/dmn/parse';
import { dmnDocument, literalDecision, tableDecision, type TableSpec } from '../../support/dmnXml';

async function graphOf(...decisions: string[]): Promise<DecisionGraph> {
  const parsed = await parseDmn(dmnDocument(decisions));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.graph;
}

async function table(spec: Omit<TableSpec, 'id'>, variables: Record<string, unknown>) {
  return evaluateDecision(await graphOf(tableDecision({ id: 'd', ...spec })), 'd', variables);
}

const value = (outcome: Awaited<ReturnType<typeof table>>) => {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
};

describe('unary tests in input entries', () => {
  const spec = (entry: string) => ({ inputs: ['x'], outputs: [{ name: 'hit' }], rules: [[entry, 'true']] });
  it.each([
    ['-', 42, true],
    ['', 'anything', true],
    ['"a","b"', 'b', true],
    ['"a","b"', 'c', false],
    ['[1..10]', 10, true],
    ['[1..10]', 11, false],
    ['(1..10)', 10, false],
    [']1..10]', 1, false],
    ['> 5', 6, true],
    ['> 5', 5, false],
    ['>= 10, < 2', 1, true],
    ['not("x")', 'y', true],
    ['not("x")', 'x', false],
    ['not(1, 2)', 3, true],
    ['null', null, true],
    ['null', 0, false],
    ['> 5', null, false],
    ['? > limit', 9, true],
    ['starts with(?, "ab")', 'abc', true],
    ['date("2024-01-01")', 'x', false],
  ])('%s against %p → %p', async (entry, input, matched) => {
    expect(value(await table(spec(entry), { x: input, limit: 4 }))).toBe(matched ? true : null);
  });

  it('reads a missing input variable as null (null-friendly FEEL)', async () => {
    expect(value(await table(spec('null'), {}))).toBe(true);
  });

  it('compares dates from the input expression', async () => {
    const out = await table({ inputs: ['date(due)'], outputs: [{ name: 'late' }], rules: [['< date("2025-01-01")', '"early"'], ['>= date("2025-01-01")', '"late"']] }, { due: '2025-03-01' });
    expect(value(out)).toBe('late');
  });
});

describe('hit policies', () => {
  const rules = [['> 10', '"big"', '3'], ['> 5', '"medium"', '2'], ['> 0', '"small"', '1'], ['> 10', '"big"', '3']];
  const twoOutputs = (hitPolicy: string, aggregation?: string) => ({
    hitPolicy, ...(aggregation ? { aggregation } : {}), inputs: ['n'],
    outputs: [{ name: 'size', values: '"small","medium","big"' }, { name: 'score', typeRef: 'number' }], rules,
  });

  it('UNIQUE: the one matching rule; several matches fail naming the rules; none is null', async () => {
    expect(value(await table({ inputs: ['n'], outputs: [{ name: 'o' }], rules: [['< 0', '"neg"'], ['>= 0', '"pos"']] }, { n: 3 }))).toBe('pos');
    expect(value(await table({ inputs: ['n'], outputs: [{ name: 'o' }], rules: [['< 0', '"neg"']] }, { n: 3 }))).toBeNull();
    const clash = await table(twoOutputs('UNIQUE'), { n: 20 });
    expect(clash).toMatchObject({ ok: false, decisionId: 'd' });
    expect(!clash.ok && clash.message).toMatch(/decision 'd': hit policy UNIQUE: 4 rules matched \('d_r1', 'd_r2', 'd_r3', 'd_r4'\)/);
  });

  it('FIRST: the first matching rule in rule order, as a context for two outputs', async () => {
    expect(value(await table(twoOutputs('FIRST'), { n: 7 }))).toEqual({ size: 'medium', score: 2 });
    expect(value(await table(twoOutputs('FIRST'), { n: -1 }))).toBeNull();
  });

  it('ANY: matches with equal outputs give that output; different outputs fail', async () => {
    const same = { hitPolicy: 'ANY', inputs: ['n'], outputs: [{ name: 'o' }], rules: [['> 0', '"pos"'], ['> 1', '"pos"']] };
    expect(value(await table(same, { n: 5 }))).toBe('pos');
    const differ = await table(twoOutputs('ANY'), { n: 20 });
    expect(!differ.ok && differ.message).toMatch(/hit policy ANY: .*'d_r1' and 'd_r2' differ/);
  });

  it('PRIORITY: the matched rule whose output comes first in the output values', async () => {
    const spec = { hitPolicy: 'PRIORITY', inputs: ['n'], outputs: [{ name: 'o', values: '"urgent","normal","low"' }], rules: [['> 0', '"low"'], ['> 5', '"urgent"'], ['> 2', '"normal"']] };
    expect(value(await table(spec, { n: 6 }))).toBe('urgent');
    expect(value(await table(spec, { n: 3 }))).toBe('normal');
    expect(value(await table(spec, { n: 0 }))).toBeNull();
  });

  it('OUTPUT ORDER: every match, sorted by the output values; RULE ORDER: in rule order', async () => {
    expect(value(await table(twoOutputs('OUTPUT ORDER'), { n: 7 }))).toEqual([{ size: 'small', score: 1 }, { size: 'medium', score: 2 }]);
    expect(value(await table(twoOutputs('RULE ORDER'), { n: 7 }))).toEqual([{ size: 'medium', score: 2 }, { size: 'small', score: 1 }]);
    expect(value(await table(twoOutputs('RULE ORDER'), { n: -7 }))).toEqual([]);
  });

  it('COLLECT: a list; SUM, MIN, MAX and COUNT aggregate the single output', async () => {
    const one = (aggregation?: string) => ({ hitPolicy: 'COLLECT', ...(aggregation ? { aggregation } : {}), inputs: ['n'], outputs: [{ name: 'score', typeRef: 'number' }], rules: [['> 10', '3'], ['> 5', '2'], ['> 0', '1'], ['> 100', '50']] });
    expect(value(await table(one(), { n: 20 }))).toEqual([3, 2, 1]);
    expect(value(await table(one('SUM'), { n: 20 }))).toBe(6);
    expect(value(await table(one('MIN'), { n: 20 }))).toBe(1);
    expect(value(await table(one('MAX'), { n: 20 }))).toBe(3);
    expect(value(await table(one('COUNT'), { n: 7 }))).toBe(2);
    expect(value(await table(one('COUNT'), { n: -1 }))).toBe(0);
    expect(value(await table(one('SUM'), { n: -1 }))).toBeNull();
    expect(value(await table(one(), { n: -1 }))).toEqual([]);
  });

  it('COLLECT SUM over strings fails with the decision named', async () => {
    const out = await table({ hitPolicy: 'COLLECT', aggregation: 'SUM', inputs: ['n'], outputs: [{ name: 'o' }], rules: [['-', '"a"']] }, { n: 1 });
    expect(out).toMatchObject({ ok: false, decisionId: 'd' });
    expect(!out.ok && out.message).toMatch(/COLLECT SUM needs number outputs/);
  });
});

describe('outputs and expressions', () => {
  it('output entries are FEEL over the variables; an empty one is null', async () => {
    const out = await table({ inputs: ['n'], outputs: [{ name: 'a' }, { name: 'b' }], rules: [['-', 'n * 2', '']] }, { n: 21 });
    expect(value(out)).toEqual({ a: 42, b: null });
  });

  it('a FEEL error in an output entry fails naming the rule and the output', async () => {
    const out = await table({ inputs: ['n'], outputs: [{ name: 'a' }], rules: [['-', 'assert(n, n > 100, "too small")']] }, { n: 1 });
    expect(out).toMatchObject({ ok: false, decisionId: 'd' });
    expect(!out.ok && out.message).toMatch(/rule 'd_r1' output entry .*'d_out1'.*too small/);
  });

  it('a literal expression decision gives its value', async () => {
    const graph = await graphOf(literalDecision({ id: 'greeting', expression: '"Dear " + customer.name' }));
    expect(evaluateDecision(graph, 'greeting', { customer: { name: 'Li' } })).toMatchObject({ ok: true, value: 'Dear Li' });
  });
});

describe('required decisions', () => {
  it('are evaluated first, once, and read by their decision id', async () => {
    const graph = await graphOf(
      tableDecision({ id: 'risk', inputs: ['amount'], outputs: [{ name: 'risk' }], rules: [['>= 1000', '"high"'], ['< 1000', '"low"']] }),
      literalDecision({ id: 'vip', expression: 'customer.tier = "gold"' }),
      tableDecision({ id: 'route', requires: ['risk', 'vip'], inputs: ['risk', 'vip'], outputs: [{ name: 'queue' }], rules: [['"high"', 'true', '"senior"'], ['"high"', 'false', '"review"'], ['"low"', '-', '"standard"']] }),
    );
    const out = evaluateDecision(graph, 'route', { amount: 5000, customer: { tier: 'gold' } });
    expect(out).toMatchObject({ ok: true, value: 'senior' });
    expect(out.evaluated.map((e) => e.decisionId)).toEqual(['risk', 'vip', 'route']);
    expect(out.evaluated[2]).toMatchObject({ matchedRules: ['route_r1'] });
  });

  it('a failing required decision fails the evaluation, naming the required one', async () => {
    const graph = await graphOf(
      tableDecision({ id: 'inner', inputs: ['n'], outputs: [{ name: 'o' }], rules: [['> 0', '1'], ['> 1', '2']] }),
      literalDecision({ id: 'outer', expression: 'inner + 1', requires: ['inner'] }),
    );
    const out = evaluateDecision(graph, 'outer', { n: 5 });
    expect(out).toMatchObject({ ok: false, decisionId: 'inner' });
    expect(!out.ok && out.message).toMatch(/decision 'inner': hit policy UNIQUE: 2 rules matched \('inner_r1', 'inner_r2'\)/);
  });

  it('an unknown decision id is a failure, not an exception', async () => {
    const graph = await graphOf(literalDecision({ id: 'a', expression: '1' }));
    const out = evaluateDecision(graph, 'nope', {});
    expect(!out.ok && out.message).toMatch(/no decision found for id 'nope'/);
  });
});

it('bounds FEEL by default: a huge loop in an entry fails naming the rule instead of running', async () => {
  const inOutput = await table({ inputs: ['n'], outputs: [{ name: 'o' }], rules: [['-', 'count(for x in 1..big return x)']] }, { n: 1, big: 1e9 });
  expect(!inOutput.ok && inOutput.message).toMatch(/rule 'd_r1' output entry .*limit exceeded/);
  const inTest = await table({ inputs: ['n'], outputs: [{ name: 'o' }], rules: [['count(for x in 1..big return x) > ?', '1']] }, { n: 1, big: 1e9 });
  expect(!inTest.ok && inTest.message).toMatch(/rule 'd_r1' input entry .*limit exceeded/);
});

it('evaluation is deterministic and JSON: the same input gives deep-equal, round-trippable results', async () => {
  const graph = await graphOf(tableDecision({ id: 'd', hitPolicy: 'RULE ORDER', inputs: ['n'], outputs: [{ name: 'at' }, { name: 'n' }], rules: [['-', 'date("2025-01-02")', 'n']] }));
  const a = evaluateDecision(graph, 'd', { n: 1 });
  const b = evaluateDecision(JSON.parse(JSON.stringify(graph)) as DecisionGraph, 'd', { n: 1 });
  expect(a).toEqual(b);
  expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  expect(a).toMatchObject({ ok: true, value: [{ at: '2025-01-02', n: 1 }] });
});
