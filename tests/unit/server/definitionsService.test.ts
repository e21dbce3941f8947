import type { DefinitionVersionRecord } from '../../../server/definitions/model';
import type { DefinitionRepository } from '../../../server/definitions/repository';
import { deployResponse } from '../../../server/definitions/router';
import { createDefinitionsService, isSizeRefusal, sameContent } from '../../../server/definitions/service';
import { bpmn } from '../../integration/definitionsFixtures';

/** An in-memory repository with the one property that matters: (key, version) is unique. */
function memoryRepository() {
  const rows: DefinitionVersionRecord[] = [];
  const byVersion = (a: DefinitionVersionRecord, b: DefinitionVersionRecord) => b.version - a.version;
  const repository: DefinitionRepository = {
    ensureIndexes: async () => undefined,
    async insert(record) {
      if (rows.some((r) => r.key === record.key && r.version === record.version)) return 'duplicate';
      rows.push(record);
      return 'inserted';
    },
    async remove(key, version) {
      const i = rows.findIndex((r) => r.key === key && r.version === version);
      if (i >= 0) rows.splice(i, 1);
    },
    latest: async (key) => rows.filter((r) => r.key === key).sort(byVersion)[0] ?? null,
    current: async (key) => rows.filter((r) => r.key === key).sort(byVersion)[0] ?? null,
    raiseHead: async () => undefined,
    find: async (key, version) => rows.find((r) => r.key === key && r.version === version) ?? null,
    versions: async (key) => rows.filter((r) => r.key === key).sort(byVersion),
    countKeys: async () => new Set(rows.map((r) => r.key)).size,
    latestPerKey: async () => [],
  };
  return { rows, repository };
}

const bytes = (xml: string) => new TextEncoder().encode(xml);
const noPause = async () => undefined;

describe('definitions service', () => {
  it('numbers versions per key and stores the model, the document and its hashes', async () => {
    // given
    const { rows, repository } = memoryRepository();
    const service = createDefinitionsService({ repository, maxBytes: 65536, now: () => new Date('2026-01-02T03:04:05Z') });
    // when
    await service.deploy({ bytes: bytes(bpmn({ id: 'a', tasks: ['One'] })) });
    const second = await service.deploy({ bytes: bytes(bpmn({ id: 'a', tasks: ['Two'] })), resourceName: 'a.bpmn' });
    // then
    expect(rows.map((r) => [r.key, r.version])).toEqual([['a', 1], ['a', 2]]);
    expect(second.deployed[0]).toMatchObject({ created: true, record: { version: 2, resourceName: 'a.bpmn', name: 'a' } });
    const record = rows[1]!;
    expect(record.hash).toBe(record.model.hash);
    expect(record.xmlHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.xml).toContain('<bpmn:task id="a_task0" name="Two">');
    expect(record.deployedAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('retries after losing the race for a version and gives up with 503 after maxAttempts', async () => {
    // given a repository where every insert loses
    const { repository } = memoryRepository();
    let attempts = 0;
    const losing: DefinitionRepository = { ...repository, insert: async () => { attempts += 1; return 'duplicate'; } };
    const service = createDefinitionsService({ repository: losing, maxBytes: 65536, maxAttempts: 3, pause: noPause });
    // when
    const outcome = service.deploy({ bytes: bytes(bpmn({ id: 'a' })) });
    // then
    await expect(outcome).rejects.toMatchObject({ kind: 'unavailable', code: 'deployment_contention' });
    expect(attempts).toBe(3);
  });

  it('takes the version after the one that beat it', async () => {
    // given another deployer inserts version 1 between our read and our insert
    const { rows, repository } = memoryRepository();
    let first = true;
    const racing: DefinitionRepository = {
      ...repository,
      async insert(record) {
        if (first) {
          first = false;
          await repository.insert({ ...record, hash: 'other', xmlHash: 'other' });
        }
        return repository.insert(record);
      },
    };
    const service = createDefinitionsService({ repository: racing, maxBytes: 65536, pause: noPause });
    // when
    const outcome = await service.deploy({ bytes: bytes(bpmn({ id: 'a' })) });
    // then
    expect(outcome.deployed[0]!.record.version).toBe(2);
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('undoes the versions it created when a later process of the document fails', async () => {
    // given process b cannot be stored
    const { rows, repository } = memoryRepository();
    const failing: DefinitionRepository = {
      ...repository,
      insert: async (record) => {
        if (record.key === 'b') throw new Error('disk full');
        return repository.insert(record);
      },
    };
    const service = createDefinitionsService({ repository: failing, maxBytes: 65536 });
    // when
    const outcome = service.deploy({ bytes: bytes(bpmn({ id: 'a' }, { id: 'b' })) });
    // then
    await expect(outcome).rejects.toThrow('disk full');
    expect(rows).toEqual([]);
  });

  it('answers 422 with errors and warnings apart, and 413 for a document over the limit', async () => {
    // given
    const { rows, repository } = memoryRepository();
    const service = createDefinitionsService({ repository, maxBytes: 2048 });
    // when
    const invalid = service.deploy({ bytes: bytes(bpmn({ id: 'a', tasks: [''], serviceTaskType: '=unknown.type(' })) });
    const large = service.deploy({ bytes: bytes(bpmn({ id: 'a', tasks: ['x'.repeat(3000)] })) });
    // then
    await expect(invalid).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'invalid_bpmn',
      details: {
        errors: [expect.objectContaining({ elementId: 'a_service', severity: 'error' })],
        warnings: expect.arrayContaining([expect.objectContaining({ elementId: 'a_task0', severity: 'warning' })]),
      },
    });
    await expect(large).rejects.toMatchObject({ kind: 'too_large', code: 'payload_too_large' });
    expect(rows).toEqual([]);
  });
});

describe('definitions helpers', () => {
  it('sees the same content in the same bytes or the same model', () => {
    expect(sameContent({ hash: 'h', xmlHash: 'x' }, 'h', 'other')).toBe(true);
    expect(sameContent({ hash: 'h', xmlHash: 'x' }, 'other', 'x')).toBe(true);
    expect(sameContent({ hash: 'h', xmlHash: 'x' }, 'h2', 'x2')).toBe(false);
  });

  it('recognises the compiler\'s size refusal and nothing else', () => {
    const problem = (message: string, elementId: string | null = null) => ({ elementId, elementType: null, message, severity: 'error' as const });
    expect(isSizeRefusal([problem('document-level: document is larger than the limit of 1024 bytes; it was not parsed')])).toBe(true);
    expect(isSizeRefusal([problem('document-level: XML cannot be read')])).toBe(false);
    expect(isSizeRefusal([problem('label is larger than the limit of 10', 'Task_1')])).toBe(false);
  });

  it('answers one process flat and several as a list', () => {
    // given
    const record = (key: string) =>
      ({ key, version: 1, hash: 'h', name: key, deployedAt: new Date('2026-01-01T00:00:00Z') }) as DefinitionVersionRecord;
    // when
    const single = deployResponse({ deployed: [{ record: record('a'), created: true }], warnings: [] });
    const multi = deployResponse({ deployed: [{ record: record('a'), created: true }, { record: record('b'), created: false }], warnings: [] });
    // then
    expect(single).toEqual({ key: 'a', version: 1, hash: 'h', name: 'a', deployedAt: '2026-01-01T00:00:00.000Z', created: true, warnings: [] });
    expect(multi).toEqual({
      definitions: [expect.objectContaining({ key: 'a', created: true }), expect.objectContaining({ key: 'b', created: false })],
      warnings: [],
    });
  });
});
