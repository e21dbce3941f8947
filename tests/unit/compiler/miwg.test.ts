import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBpmn } from '../../../processes/compiler/parse';
import { lintBpmn } from '../../../processes/lint';
import { compile } from './helpers';

// The OMG interchange suite's reference models, kept beside the repository (shared/).
const MIWG = path.resolve(__dirname, '../../../../shared/fixtures/bpmn-miwg');
const files = readdirSync(MIWG).filter((f) => f.endsWith('.bpmn')).sort();

/** A problem may lack an element only when it is about the whole document and says so. */
const isDocumentLevel = (message: string) => message.startsWith('document-level: ');

describe('BPMN MIWG reference models', () => {
  it('are all present', () => {
    expect(files).toHaveLength(21);
  });

  it.each(files)('%s compiles or is rejected with problems that name their element', async (file) => {
    // given a model drawn by another tool
    const bytes = readFileSync(path.join(MIWG, file));
    // when (the jest timeout is the time bound)
    const result = await compile(bytes, { maxBytes: 10 * 1024 * 1024 });
    // then
    expect(result.ok).toBe(result.problems.every((p) => p.severity === 'warning'));
    expect(result.document !== undefined).toBe(result.ok);
    if (!result.ok) expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
    for (const p of result.problems) {
      if (p.elementId === null) expect(isDocumentLevel(p.message)).toBe(true);
      else expect(p.elementType).toEqual(expect.stringMatching(/^bpmn:/));
    }
  });

  it.each(files)('%s lints without a rule failure', async (file) => {
    const parsed = await parseBpmn(readFileSync(path.join(MIWG, file), 'latin1'));
    if (!parsed.ok) throw new Error(parsed.message);
    const problems = await lintBpmn(parsed.definitions);
    expect(problems.filter((p) => /failed/.test(p.message))).toEqual([]);
    expect(problems.every((p) => p.elementId !== null)).toBe(true);
  });

  it('names each unsupported element of B.2.0 by id and kind', async () => {
    const result = await compile(readFileSync(path.join(MIWG, 'B.2.0.bpmn')));
    const unsupported = result.problems.filter((p) => /is not supported/.test(p.message));
    expect(unsupported).toContainEqual(expect.objectContaining({
      elementId: '_cba8fbed-2bb6-40a9-8ac5-83e827ce9d9f', elementType: 'bpmn:StartEvent',
      message: 'conditional bpmn:StartEvent is not supported (supported here: none, message, timer)',
    }));
    expect(unsupported).toContainEqual(expect.objectContaining({
      elementId: '_5cc02d0f-c090-4e48-8da3-f32cbbca9565', elementType: 'bpmn:EndEvent',
      message: 'signal bpmn:EndEvent is not supported (supported here: none, terminate, error, escalation, message)',
    }));
    expect(unsupported.every((p) => p.elementId !== null)).toBe(true);
  });

  it('rejects C.9.1 (an executable Camunda 8 model) only for task types missing from the catalog', async () => {
    const bytes = readFileSync(path.join(MIWG, 'C.9.1.bpmn'));
    const strict = await compile(bytes);
    expect(strict.problems.filter((p) => p.severity === 'error').map((p) => [p.elementId, p.message])).toEqual([
      ['SendTask_RequestDocument', expect.stringMatching(/^task type 'email' is not in the activity catalog/)],
      ['SendTask_SendReminderEmail', expect.stringMatching(/^task type 'email' is not in the activity catalog/)],
    ]);
    const lenient = await compile(bytes, { taskTypes: null });
    expect(lenient.ok).toBe(true);
    expect(lenient.document!.processes.map((p) => p.id)).toEqual(['requestDocument_en']);
  });
});
