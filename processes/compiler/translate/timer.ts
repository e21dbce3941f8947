import type { TimerDef } from '../../model/types';
import { isExpression } from '../../feel';
import { validateTimerValue } from '../../timers';
import type { CompileContext } from '../context';
import { errorAt } from '../context';
import { valueOrExpression } from '../expressions';
import type { MEventDefinition, MFlowNode } from '../moddleTypes';

const FIELD = { duration: 'timeDuration', date: 'timeDate', cycle: 'timeCycle' } as const;

/**
 * A timer definition: exactly one of timeDuration / timeDate / timeCycle, of a kind the
 * event's position allows (Camunda's rules), with a static value that parses as ISO 8601
 * through the same parser the evaluator uses.
 */
export function timerOf(
  node: MFlowNode,
  definition: MEventDefinition,
  allowed: readonly TimerDef['kind'][],
  ctx: CompileContext,
): TimerDef | undefined {
  const present = (Object.keys(FIELD) as Array<TimerDef['kind']>).filter((k) => definition[FIELD[k]] !== undefined);
  const kind = present[0];
  if (kind === undefined || present.length > 1) {
    errorAt(ctx, node, `timer needs exactly one of timeDuration, timeDate or timeCycle (found ${present.length})`);
    return undefined;
  }
  if (!allowed.includes(kind)) {
    errorAt(ctx, node, `a ${FIELD[kind]} timer is not allowed on this ${node.$type} (allowed: ${allowed.map((k) => FIELD[k]).join(', ')})`);
    return undefined;
  }
  const raw = definition[FIELD[kind]]?.body?.trim();
  if (!raw) {
    errorAt(ctx, node, `timer ${FIELD[kind]} is empty`);
    return undefined;
  }
  if (!isExpression(raw)) {
    const invalid = validateTimerValue(kind, raw, ctx.minTimerCycleMs);
    if (invalid !== null) {
      errorAt(ctx, node, invalid.startsWith('repeats every') ? `timer ${FIELD[kind]} '${raw}' ${invalid}` : `timer ${FIELD[kind]} is not valid ISO 8601: ${invalid}`);
      return undefined;
    }
  }
  const value = valueOrExpression(ctx, node, raw, `timer ${FIELD[kind]}`);
  return value === undefined ? undefined : { kind, value };
}
