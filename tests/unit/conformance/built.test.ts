/**
 * The built command end to end (`npm run conformance` runs dist/, which `npm test`'s
 * provisioning builds first): real worker threads running processes/conformance/worker.ts
 * as compiled, real files, the exit code.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MALFORMED, PRECISE } from './helpers';

const CLI = path.resolve(__dirname, '../../../dist/processes/conformance/cli.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run conformance (built)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('checks each file in a worker and exits 0 when every refusal names its element', async () => {
    const { code, stdout } = await run([PRECISE, '--json']);
    const report = JSON.parse(stdout) as { ok: boolean; counts: unknown; files: Array<{ status: string; violations: string[] }> };
    expect(report.counts).toEqual({ compiled: 1, refused: 2, crashed: 0 });
    expect(report.files.map((f) => f.violations)).toEqual([[], [], []]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });

  it('exits 1 with the reason when a refusal names no element', async () => {
    const { code, stdout } = await run([MALFORMED]);
    expect(stdout.split('\n').slice(0, 3)).toEqual(['compiled: 0 files', 'refused: 1 file', 'crashed: 0 files']);
    expect(stdout).toMatch(/malformed\.bpmn: refused without naming an element/);
    expect(code).toBe(1);
  });
});
