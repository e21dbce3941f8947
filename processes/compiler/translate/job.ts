import type { JobDef } from '../../model/types';
import { isExpression } from '../../feel';
import type { CompileContext } from '../context';
import { errorAt } from '../context';
import type { MBaseElement, MZeebe } from '../moddleTypes';
import { attr, zeebeExt } from '../zeebe';

const DEFAULT_RETRIES = 3;

/**
 * The job of a service-like element (`zeebe:taskDefinition` + `zeebe:taskHeaders`). The type
 * must be static and known to the activity catalog: a deploy-time error beats an instance
 * stuck on a job no worker will ever pick up.
 */
export function jobOf(node: MBaseElement, ctx: CompileContext): JobDef | undefined {
  const definition = zeebeExt(node, 'zeebe:TaskDefinition');
  const type = attr(definition, 'type')?.trim();
  if (!definition || !type) {
    errorAt(ctx, node, `${node.$type} needs zeebe:taskDefinition with a type`);
    return undefined;
  }
  if (isExpression(type)) {
    errorAt(ctx, node, `zeebe:taskDefinition type must be a static catalog type, not the expression '${type}'`);
    return undefined;
  }
  if (ctx.taskTypes && !ctx.taskTypes.has(type)) {
    const known = [...ctx.taskTypes].sort().join(', ');
    errorAt(ctx, node, `task type '${type}' is not in the activity catalog (known: ${known})`);
    return undefined;
  }
  const retries = retriesOf(node, attr(definition, 'retries'), ctx);
  if (retries === undefined) return undefined;
  return { type, retries, headers: headersOf(node) };
}

function retriesOf(node: MBaseElement, raw: string | undefined, ctx: CompileContext): number | undefined {
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETRIES;
  if (!/^\d{1,6}$/.test(raw.trim())) {
    errorAt(ctx, node, `zeebe:taskDefinition retries must be a whole number, not '${raw}'`);
    return undefined;
  }
  return Number(raw.trim());
}

function headersOf(node: MBaseElement): JobDef['headers'] {
  const headers = zeebeExt(node, 'zeebe:TaskHeaders');
  const values = Array.isArray(headers?.values) ? (headers.values as MZeebe[]) : [];
  return values
    .map((h) => ({ key: attr(h, 'key') ?? '', value: attr(h, 'value') ?? '' }))
    .filter((h) => h.key !== '');
}
