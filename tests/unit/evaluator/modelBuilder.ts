import type { ElementDef, FlowDef, ProcessModel } from '../../../processes/model';

/** A random block structure: tasks composed by sequence, parallel, inclusive, subprocess. */
export type Block =
  | { t: 'task' }
  | { t: 'seq'; items: Block[] }
  | { t: 'par'; branches: Block[] }
  | { t: 'incl'; branches: Array<{ take: boolean; block: Block }> }
  | { t: 'sub'; body: Block };

const base = { inputs: [], outputs: [], boundaryEventIds: [] };

/**
 * Builds a ProcessModel straight from a block tree (the property test needs thousands
 * of models; the compiler is exercised by the scenario fixtures). Returns the model and
 * how often each service task must complete (0 on inclusive branches not taken).
 */
export function buildModel(root: Block): { model: ProcessModel; expected: Map<string, number> } {
  const elements: ElementDef[] = [];
  const flows: FlowDef[] = [];
  const expected = new Map<string, number>();
  let n = 0;
  const id = (p: string): string => `${p}${(n += 1)}`;
  const byId = new Map<string, ElementDef>();
  const add = (e: ElementDef): string => {
    elements.push(e);
    byId.set(e.id, e);
    return e.id;
  };
  const link = (from: string, to: string, condition?: string): void => {
    const f: FlowDef = { id: id('f'), sourceId: from, targetId: to, ...(condition === undefined ? {} : { condition }) };
    flows.push(f);
    byId.get(from)?.outgoing.push(f.id);
    byId.get(to)?.incoming.push(f.id);
  };
  const node = (kind: string, parentId: string | null, extra: object = {}): string =>
    add({ id: id(kind), kind, bpmnType: `bpmn:${kind}`, parentId, incoming: [], outgoing: [], ...base, ...extra } as ElementDef);

  // Returns [entry, exit] element ids of the block.
  const build = (b: Block, parentId: string | null, live: boolean): [string, string] => {
    switch (b.t) {
      case 'task': {
        const t = node('serviceTask', parentId, { job: { type: 'work', retries: 3, headers: [] } });
        expected.set(t, live ? 1 : 0);
        return [t, t];
      }
      case 'seq': {
        const parts = b.items.map((x) => build(x, parentId, live));
        for (let i = 1; i < parts.length; i += 1) link(parts[i - 1]![1], parts[i]![0]);
        return [parts[0]![0], parts[parts.length - 1]![1]];
      }
      case 'par':
      case 'incl': {
        const kind = b.t === 'par' ? 'parallelGateway' : 'inclusiveGateway';
        const fork = node(kind, parentId);
        const join = node(kind, parentId);
        const branches = b.t === 'par' ? b.branches.map((block) => ({ take: true, block })) : b.branches;
        for (const br of branches) {
          const [entry, exit] = build(br.block, parentId, live && br.take);
          link(fork, entry, b.t === 'incl' ? String(br.take) : undefined);
          link(exit, join);
        }
        return [fork, join];
      }
      case 'sub': {
        const sub = node('subProcess', parentId);
        const start = node('startEvent', sub, { trigger: { type: 'none' }, interrupting: true });
        const end = node('endEvent', sub, { result: { type: 'none' } });
        const [entry, exit] = build(b.body, sub, live);
        link(start, entry);
        link(exit, end);
        return [sub, sub];
      }
    }
  };
  const start = node('startEvent', null, { trigger: { type: 'none' }, interrupting: true });
  const end = node('endEvent', null, { result: { type: 'none' } });
  const [entry, exit] = build(root, null, true);
  link(start, entry);
  link(exit, end);
  const model = { schemaVersion: 1, id: 'generated', hash: 'test', elements, flows } as ProcessModel;
  return { model, expected };
}
