import type { ElementDef } from '../../model/types';
import type { CompileContext } from '../context';

/** Link events jump within one scope: every throw needs exactly one catch of its name. */
export function checkLinks(elements: readonly ElementDef[], ctx: CompileContext): void {
  const catches = new Map<string, ElementDef[]>();
  const key = (scope: string | null, name: string) => JSON.stringify([scope, name]);
  for (const e of elements) {
    if (e.kind === 'intermediateCatchEvent' && e.trigger.type === 'link') {
      const k = key(e.parentId, e.trigger.linkName);
      const list = catches.get(k);
      if (list) list.push(e);
      else catches.set(k, [e]);
    }
  }
  for (const list of catches.values()) {
    for (const dup of list.slice(1)) {
      ctx.problems.error(dup.id, dup.bpmnType, `link catch event name '${linkName(dup)}' is used more than once in its scope`);
    }
  }
  for (const e of elements) {
    if (e.kind !== 'intermediateThrowEvent' || e.result.type !== 'link') continue;
    if (!catches.has(key(e.parentId, e.result.linkName))) {
      ctx.problems.error(e.id, e.bpmnType, `link throw event '${e.id}' has no link catch event named '${e.result.linkName}' in its scope`);
    }
  }
}

function linkName(e: ElementDef): string {
  return e.kind === 'intermediateCatchEvent' && e.trigger.type === 'link' ? e.trigger.linkName : '';
}
