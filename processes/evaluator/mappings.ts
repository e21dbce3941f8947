import type { Mapping } from '../model/types';
import { evalFor } from './feelEval';
import type { Evaluated } from './feelEval';
import { hasOwn, setOwn, toJsonValue } from './json';
import type { Run } from './run';
import { assignPath, lookupVariable, visibleVariables } from './variables';
import type { Variables } from './types';

/**
 * Evaluates `zeebe:input`/`zeebe:output` mappings in order as seen from `contextKey`;
 * each target is visible to the mappings after it. A dotted target (`a.b`) updates the
 * value `a` has in the result so far, else as seen from `baseKey` (the scope it lands in).
 */
export function evaluateMappings(
  run: Run,
  mappings: Mapping[],
  contextKey: string,
  baseKey: string,
): Evaluated<Variables> {
  const context = visibleVariables(run, contextKey);
  const result: Variables = {};
  for (const m of mappings) {
    const r = evalFor(run, contextKey, m.source, context);
    if (!r.ok) return { ok: false, error: `mapping to '${m.target}': ${r.error}` };
    const [head, ...rest] = m.target.split('.') as [string, ...string[]];
    const base = hasOwn(result, head) ? result[head] : lookupVariable(run, baseKey, head);
    const value = assignPath(base, rest, toJsonValue(r.value));
    setOwn(result, head, value);
    setOwn(context, head, value);
  }
  return { ok: true, value: result };
}
