import { main, USAGE } from '../../../processes/cli';
import { fixture } from './helpers';

const files: Record<string, string> = {
  'good.bpmn': fixture('simple.bpmn'),
  'bad.bpmn': fixture('simple.bpmn').replace('type="http.request"', 'type="=fax("'),
};

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err,
    io: {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      readFile: (p: string) => {
        const text = files[p];
        return text === undefined ? Promise.reject(new Error(`ENOENT: no such file '${p}'`)) : Promise.resolve(Buffer.from(text));
      },
    },
  };
}

describe('bpmn CLI', () => {
  it('validate prints each problem as file: severity elementId (elementType): message and exits 1 on errors', async () => {
    // given
    const cli = io();
    // when
    const code = await main(['validate', 'good.bpmn', 'bad.bpmn'], cli.io);
    // then
    expect(code).toBe(1);
    expect(cli.out.join('')).toBe(
      "bad.bpmn: error Notify (bpmn:ServiceTask): zeebe:taskDefinition type is not valid FEEL: FEEL syntax error at position 4 in 'fax('\n",
    );
  });

  it('validate exits 0 when there are no errors', async () => {
    const cli = io();
    expect(await main(['validate', 'good.bpmn'], cli.io)).toBe(0);
    expect(cli.out).toEqual([]);
  });

  it('validate --json prints every result as JSON', async () => {
    const cli = io();
    const code = await main(['validate', '--json', 'good.bpmn', 'bad.bpmn'], cli.io);
    expect(code).toBe(1);
    const printed = JSON.parse(cli.out.join('')) as Array<{ file: string; ok: boolean; problems: Array<{ elementId: string }> }>;
    expect(printed.map((r) => [r.file, r.ok, r.problems.map((p) => p.elementId)])).toEqual([
      ['good.bpmn', true, []],
      ['bad.bpmn', false, ['Notify']],
    ]);
  });

  it('compile prints the model JSON', async () => {
    const cli = io();
    expect(await main(['compile', 'good.bpmn'], cli.io)).toBe(0);
    const document = JSON.parse(cli.out.join('')) as { processes: Array<{ id: string; hash: string }> };
    expect(document.processes.map((p) => p.id)).toEqual(['simple']);
    expect(document.processes[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compile prints problems to stderr and exits 1 when the model is rejected', async () => {
    const cli = io();
    expect(await main(['compile', 'bad.bpmn'], cli.io)).toBe(1);
    expect(cli.out).toEqual([]);
    expect(cli.err.join('')).toMatch(/^bad.bpmn: error Notify \(bpmn:ServiceTask\): zeebe:taskDefinition type is not valid FEEL/);
  });

  it.each([
    [['frobnicate', 'good.bpmn']],
    [['validate']],
    [['compile']],
    [['compile', 'good.bpmn', 'bad.bpmn']],
    [[]],
  ])('prints usage and exits 2 for %j', async (argv) => {
    const cli = io();
    expect(await main(argv, cli.io)).toBe(2);
    expect(cli.err.join('')).toBe(`${USAGE}\n`);
  });

  it('prints usage and exits 2 for a missing file', async () => {
    const cli = io();
    expect(await main(['validate', 'nope.bpmn'], cli.io)).toBe(2);
    expect(cli.err.join('')).toMatch(/^nope.bpmn: cannot read: ENOENT/);
    expect(cli.err.join('')).toContain(USAGE);
  });
});
