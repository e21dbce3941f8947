import { parseDmn } from '../../../processes/dmn/parse';
import { dmnDocument, literalDecision, tableDecision } from '../../support/dmnXml';

const simple = tableDecision({ id: 'd', inputs: ['x'], outputs: [{ name: 'o' }], rules: [['> 1', '"a"']] });

async function problems(xml: string) {
  const parsed = await parseDmn(xml);
  if (parsed.ok) throw new Error('expected problems');
  return parsed.problems;
}

describe('parseDmn', () => {
  it.each([
    ['DMN 1.1', 'http://www.omg.org/spec/DMN/20151101/dmn.xsd'],
    ['DMN 1.2', 'http://www.omg.org/spec/DMN/20180521/MODEL/'],
    ['DMN 1.3', 'https://www.omg.org/spec/DMN/20191111/MODEL/'],
    ['DMN 1.4', 'https://www.omg.org/spec/DMN/20211108/MODEL/'],
    ['DMN 1.5', 'https://www.omg.org/spec/DMN/20230324/MODEL/'],
  ])('reads %s', async (_name, namespace) => {
    const parsed = await parseDmn(dmnDocument([simple], 'drd', namespace));
    expect(parsed).toMatchObject({ ok: true, graph: { id: 'drd', decisions: [{ id: 'd', logic: { kind: 'decisionTable', table: { hitPolicy: 'UNIQUE' } } }] } });
  });

  it('reads the version tag, the hit policy, the aggregation and the output values', async () => {
    const parsed = await parseDmn(dmnDocument([tableDecision({ id: 'd', versionTag: 'v2', hitPolicy: 'COLLECT', aggregation: 'SUM', inputs: ['x'], outputs: [{ name: 'o', values: '1,2,3', typeRef: 'number' }], rules: [['-', '1']] })]));
    expect(parsed).toMatchObject({ ok: true, graph: { decisions: [{ versionTag: 'v2', logic: { table: { hitPolicy: 'COLLECT', aggregation: 'SUM', outputs: [{ id: 'd_out1', priorities: [1, 2, 3] }] } } }] } });
  });

  it('refuses what is not DMN, naming no element', async () => {
    expect(await problems('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="x" />')).toEqual([expect.objectContaining({ elementId: null, message: expect.stringMatching(/not a DMN <definitions>/) })]);
    expect((await problems('<definitions'))[0]!.message).toMatch(/XML cannot be read/);
    expect((await problems(dmnDocument([])))[0]!.message).toMatch(/has no decision/);
  });

  it('names the rule, the input, the output and the decision of each problem', async () => {
    const xml = dmnDocument([
      tableDecision({ id: 'bad', inputs: ['x +'], outputs: [{ name: 'a' }, {}], rules: [['> ', '"a"', '1'], ['1', '2']] }),
      tableDecision({ id: 'prio', hitPolicy: 'PRIORITY', inputs: ['x'], outputs: [{ name: 'o' }], rules: [['-', '1']] }),
      tableDecision({ id: 'agg', hitPolicy: 'FIRST', aggregation: 'SUM', inputs: ['x'], outputs: [{ name: 'o' }], rules: [] }),
      literalDecision({ id: 'lit', expression: '1 +', requires: ['missing'] }),
    ]);
    const found = await problems(xml);
    const ids = found.map((p) => p.elementId);
    expect(ids).toEqual(expect.arrayContaining(['bad_in1', 'bad_out2', 'bad_r1', 'bad_r2', 'prio_table', 'agg_table', 'lit']));
    expect(found.find((p) => p.elementId === 'bad_out2')!.message).toMatch(/needs a name/);
    expect(found.find((p) => p.elementId === 'bad_r2')!.message).toMatch(/1 output entries for 2 outputs/);
    expect(found.find((p) => p.elementId === 'prio_table')!.message).toMatch(/PRIORITY needs output values/);
    expect(found.find((p) => p.elementId === 'agg_table')!.message).toMatch(/needs the hit policy COLLECT/);
    expect(found.filter((p) => p.elementId === 'lit').map((p) => p.message).join('\n')).toMatch(/requires the decision 'missing', which is not in this file/);
  });

  it('refuses a cycle of required decisions', async () => {
    const found = await problems(dmnDocument([literalDecision({ id: 'a', expression: 'b', requires: ['b'] }), literalDecision({ id: 'b', expression: 'a', requires: ['a'] })]));
    expect(found[0]!.message).toMatch(/requires itself: a → b → a/);
  });
});
