import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TIMEOUT_SECONDS, main, parseArgs, USAGE } from '../../../processes/conformance/cli';
import { parseExpectations } from '../../../processes/conformance/expectations';
import type { FileResult } from '../../../processes/conformance/report';
import { formatText, summarise } from '../../../processes/conformance/report';
import { crashed } from '../../../processes/conformance/check';
import { cliIo, FIXTURES, MALFORMED, PRECISE } from './helpers';

const lines = (text: string) => text.split('\n');

describe('conformance command', () => {
  it('counts, groups refusals by cause with an example, and exits 0 when every refusal names its element', async () => {
    // given compiles.bpmn, refused.bpmn (Fax) and nested/refused-too.bpmn (Telex), refused for the same cause
    const cli = cliIo();
    // when
    const code = await main([PRECISE], cli.io);
    // then
    expect(code).toBe(0);
    const out = lines(cli.out());
    expect(out.slice(0, 3)).toEqual(['compiled: 1 file', 'refused: 2 files', 'crashed: 0 files']);
    const cause = out.findIndex((l) => /^ {2}2 files, 2 errors: zeebe:output mapping to '…' has no source \(only an input may leave it out, meaning null\)$/.test(l));
    expect(cause).toBeGreaterThan(0);
    expect(out[cause + 1]).toBe(`      e.g. ${path.join(PRECISE, 'nested/refused-too.bpmn')}:Telex`);
    expect(out.filter((l) => /^ {2}\d+ files?, /.test(l))).toHaveLength(1);
    expect(out).toContain('conformance: passed (nothing crashed; every refusal names its elements)');
    expect(cli.err()).toBe('');
    expect(cli.timeouts).toEqual([DEFAULT_TIMEOUT_SECONDS * 1000]);
  });

  it('exits 1 and says why when a refusal names no element (malformed XML)', async () => {
    const cli = cliIo();
    const code = await main([PRECISE, MALFORMED], cli.io);
    expect(code).toBe(1);
    const out = lines(cli.out());
    expect(out.slice(0, 3)).toEqual(['compiled: 1 file', 'refused: 3 files', 'crashed: 0 files']);
    expect(out).toContain('conformance: FAILED (1 reason)');
    expect(out).toContainEqual(expect.stringMatching(/malformed\.bpmn: refused without naming an element: document-level: XML cannot be read/));
  });

  it('--verbose adds one line per file with its errors', async () => {
    const cli = cliIo();
    await main(['--verbose', PRECISE], cli.io);
    const out = lines(cli.out());
    expect(out).toContain(`  ${path.join(PRECISE, 'compiles.bpmn')}: compiled (0 errors, 0 warnings) in 5 ms`);
    expect(out).toContain(`  ${path.join(PRECISE, 'refused.bpmn')}: refused (1 error, 0 warnings) in 5 ms`);
    expect(out).toContainEqual(expect.stringMatching(/^ {6}Fax \(bpmn:ServiceTask\): zeebe:output mapping to 'fax' has no source/));
    expect(out.some((l) => l.includes('notes.txt'))).toBe(false);
  });

  it('--json prints the counts, causes, files and verdict as JSON, reasons also on stderr', async () => {
    const cli = cliIo();
    const code = await main([MALFORMED, '--json', '--timeout', '2.5'], cli.io);
    expect(code).toBe(1);
    const report = JSON.parse(cli.out()) as { ok: boolean; counts: unknown; causes: Array<{ cause: string; files: number; example: unknown }>; files: Array<{ file: string; status: string }>; failures: string[] };
    expect(report.ok).toBe(false);
    expect(report.counts).toEqual({ compiled: 0, refused: 1, crashed: 0 });
    expect(report.causes).toEqual([expect.objectContaining({ files: 1, example: { file: path.join(MALFORMED, 'malformed.bpmn'), elementId: null } })]);
    expect(report.files.map((f) => f.status)).toEqual(['refused']);
    expect(cli.err()).toMatch(/^conformance failed: .*malformed\.bpmn: refused without naming an element/);
    expect(cli.timeouts).toEqual([2500]);
  });

  it('a crashed file fails the run, and is named with its reason', async () => {
    const cli = cliIo({ runner: () => ({ run: () => Promise.resolve(crashed('no result within 10000 ms (time limit)')), close: () => Promise.resolve() }) });
    const code = await main([PRECISE], cli.io);
    expect(code).toBe(1);
    const out = lines(cli.out());
    expect(out.slice(0, 3)).toEqual(['compiled: 0 files', 'refused: 0 files', 'crashed: 3 files']);
    expect(out).toContainEqual(expect.stringMatching(/^ {2}3 files crashed: .*compiles\.bpmn \(no result within 10000 ms \(time limit\)\)/));
  });

  it('holds the run to an --expect file: file count, files that must exist, per-file expectations', async () => {
    // given expectations that the precise folder does not meet
    const expect_ = JSON.stringify({
      files: 4,
      expect: {
        'refused.bpmn': { status: 'compiled' },
        'gone.bpmn': { status: 'refused' },
      },
    });
    const cli = cliIo({ texts: { 'exp.json': expect_ } });
    // when
    const code = await main([PRECISE, '--expect', 'exp.json'], cli.io);
    // then
    expect(code).toBe(1);
    const out = lines(cli.out());
    expect(out).toContain('  expected 4 .bpmn files, found 3');
    expect(out).toContain('  gone.bpmn: expected file not found');
    expect(out).toContain(`  ${path.join(PRECISE, 'refused.bpmn')}: expected to be compiled, was refused`);
  });

  it('passes with an --expect file the folder meets', async () => {
    const met = JSON.stringify({ files: 3, expect: { 'nested/refused-too.bpmn': { errors: [{ elementId: 'Telex', messageStartsWith: "zeebe:output mapping to 'telex' has no source" }] } } });
    const cli = cliIo({ texts: { 'exp.json': met } });
    expect(await main([PRECISE, '--expect=exp.json'], cli.io)).toBe(0);
  });

  it('fails when there is no .bpmn file at all', async () => {
    const cli = cliIo();
    expect(await main([path.join(FIXTURES, 'stubs')], cli.io)).toBe(1);
    expect(cli.out()).toMatch(/no \.bpmn files under .*stubs/);
  });

  it('usage errors exit 2: no folder, unknown option, bad timeout, a missing folder, bad expectations', async () => {
    for (const argv of [[], ['--bogus', PRECISE], [PRECISE, '--timeout', '0'], ['/no/such/folder'], [PRECISE, '--expect', 'exp.json']]) {
      const cli = cliIo({ texts: { 'exp.json': '{"files": "many"}' } });
      expect(await main(argv, cli.io)).toBe(2);
      expect(cli.err()).toMatch(/\S/);
      expect(cli.out()).toBe('');
    }
    expect(parseArgs([PRECISE, '--timeout=3', '-v', 'other'])).toEqual({ dirs: [PRECISE, 'other'], json: false, verbose: true, timeoutMs: 3000, expect: null });
    expect(USAGE).toMatch(/--json/);
  });
});

describe('refusals grouped by cause', () => {
  const refused = (file: string, problems: Array<[string | null, string]>): FileResult => ({
    file, ms: 1, status: 'refused', violations: [],
    problems: problems.map(([elementId, cause]) => ({ elementId, elementType: 'bpmn:Task', message: cause, cause, severity: 'error' })),
  });

  it('counts files and errors per cause, keeps the first example, orders by files then errors', () => {
    const summary = summarise([
      refused('a.bpmn', [['A1', 'x'], ['A2', 'x'], ['A3', 'y']]),
      refused('b.bpmn', [['B1', 'y']]),
      refused('c.bpmn', [['C1', 'z'], ['C2', 'z'], ['C3', 'z']]),
      { file: 'd.bpmn', ms: 1, status: 'compiled', violations: [], problems: [{ elementId: 'D', elementType: 'bpmn:Task', message: 'w', cause: 'w', severity: 'warning' }] },
    ]);
    expect(summary.counts).toEqual({ compiled: 1, refused: 3, crashed: 0 });
    expect(summary.causes).toEqual([
      { cause: 'y', files: 2, occurrences: 2, example: { file: 'a.bpmn', elementId: 'A3' } },
      { cause: 'z', files: 1, occurrences: 3, example: { file: 'c.bpmn', elementId: 'C1' } },
      { cause: 'x', files: 1, occurrences: 2, example: { file: 'a.bpmn', elementId: 'A1' } },
    ]);
    expect(summary.failures).toEqual([]);
    expect(formatText(summary, false)).toContain('  2 files, 2 errors: y\n      e.g. a.bpmn:A3\n');
  });
});

describe('the MIWG expectations (tests/conformance/bpmn-miwg.json, used by .ci/run)', () => {
  it('are valid and keep what the old MIWG unit test asserted', () => {
    const text = readFileSync(path.join(__dirname, '../../conformance/bpmn-miwg.json'), 'utf8');
    const expectations = parseExpectations(text);
    expect(expectations.files).toBe(21);
    expect(expectations.expect['B.2.0.bpmn']?.errorsInclude?.map((e) => e.elementType)).toEqual(['bpmn:StartEvent', 'bpmn:EndEvent']);
    // C.9.1's send tasks of type 'email' are served by external job workers (decision 0028): it compiles.
    expect(expectations.expect['C.9.1.bpmn']).toMatchObject({ status: 'compiled', errors: [] });
  });

  it('are refused when malformed, naming the path', () => {
    expect(() => parseExpectations('{"expect": {"a.bpmn": {"errors": [{"elementId": "X"}]}}}')).toThrow(/expect\.a\.bpmn\.errors\.0: give exactly one of message and messageStartsWith/);
    expect(() => parseExpectations('{"files": 1, "extra": true}')).toThrow(/extra/);
    expect(() => parseExpectations('nope')).toThrow(/^not JSON/);
  });
});
