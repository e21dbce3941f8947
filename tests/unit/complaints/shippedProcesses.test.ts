import fs from 'node:fs';
import path from 'node:path';
import { findIntegration } from '../../../activities/catalog';
import { compileBpmn } from '../../../processes/compiler';
import { SHIPPED_PROCESSES } from '../../../server/complaints/shippedProcesses';

/** Every `job.type` anywhere in a model (tasks, throw events, nested scopes). */
function jobTypes(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(jobTypes);
  if (node === null || typeof node !== 'object') return [];
  const own = (node as { job?: { type?: unknown } }).job;
  return [...(typeof own?.type === 'string' ? [own.type] : []), ...Object.values(node).flatMap(jobTypes)];
}

const read = (file: string) => fs.readFileSync(path.join(__dirname, '../../../processes', file));

describe('the shipped complaint processes', () => {
  it.each(SHIPPED_PROCESSES.map((p) => [p.file, p.key]))('%s compiles without errors or warnings to process %s', async (file, key) => {
    // when the diagram is compiled against the real catalog (the default)
    const result = await compileBpmn(read(file));
    // then it is accepted as is: a warning in a shipped diagram is a modelling slip
    expect(result.problems).toEqual([]);
    expect(result.document?.processes.map((p) => p.id)).toEqual([key]);
  });

  it('every task type used in a shipped diagram resolves to an integration in the catalog', async () => {
    // given the task types of all compiled models (compiled without the catalog check)
    const types: string[] = [];
    for (const { file } of SHIPPED_PROCESSES) {
      const result = await compileBpmn(read(file), { taskTypes: null });
      types.push(...(result.document?.processes ?? []).flatMap((p) => jobTypes(p)));
    }
    expect(types).toContain('complaint.classify');
    // then each one has code behind it, not just a name the compiler accepts
    for (const type of new Set(types)) expect({ type, found: Boolean(findIntegration(type)) }).toEqual({ type, found: true });
  });
});
