import type { BusinessCalendar } from '../calendar';
import type { PassThroughTaskDef } from '../model/types';
import type { MElement } from './moddleTypes';
import type { Problems } from './problems';

/** The fields every element kind shares (`ElementBase` in the model). */
export type ElementCommon = Omit<PassThroughTaskDef, 'kind'>;

/** What translators and validators share for one process. */
export interface CompileContext {
  problems: Problems;
  /** Known job types; null means any static type is accepted. */
  taskTypes: ReadonlySet<string> | null;
  /** Business calendars SLA policies may name (default: the shipped ones). */
  calendars: ReadonlyMap<string, BusinessCalendar>;
  /** Shortest interval of a static repeating timer. */
  minTimerCycleMs: number;
}

export function errorAt(ctx: CompileContext, node: MElement, message: string): void {
  ctx.problems.error(node.id ?? null, node.$type, message);
}

export function warnAt(ctx: CompileContext, node: MElement, message: string): void {
  ctx.problems.warning(node.id ?? null, node.$type, message);
}
