import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConformanceIo } from '../../../processes/conformance/cli';
import { listBpmn } from '../../../processes/conformance/cli';
import type { Runner } from '../../../processes/conformance/runner';
import { inProcessRunner } from '../../../processes/conformance/runner';

export const FIXTURES = path.join(__dirname, 'fixtures');
/** compiles.bpmn, refused.bpmn (Fax), nested/refused-too.bpmn (Telex), and a .txt to ignore. */
export const PRECISE = path.join(FIXTURES, 'precise');
/** malformed.bpmn: XML that cannot be read, so it is refused without an element. */
export const MALFORMED = path.join(FIXTURES, 'malformed');

export function bytes(file: string): Buffer {
  return readFileSync(path.join(FIXTURES, file));
}

/** The command's I/O with captured output, real file listing and an in-thread runner. */
export function cliIo(options: { texts?: Record<string, string>; runner?: () => Runner } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const timeouts: number[] = [];
  let clock = 0;
  const io: ConformanceIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    listBpmn,
    readText: (file) => {
      const text = options.texts?.[file];
      return text === undefined ? Promise.reject(new Error(`ENOENT: ${file}`)) : Promise.resolve(text);
    },
    runner: ({ timeoutMs }) => {
      timeouts.push(timeoutMs);
      return (options.runner ?? inProcessRunner)();
    },
    now: () => (clock += 5),
  };
  return { io, out: () => out.join(''), err: () => err.join(''), timeouts };
}
