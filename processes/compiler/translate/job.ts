import type { JobDef } from '../../model/types';
import { expressionSource, isExpression } from '../../feel';
import { checkedFeel } from '../expressions';
import type { CompileContext } from '../context';
import { errorAt, warnAt } from '../context';
import type { MBaseElement, MZeebe } from '../moddleTypes';
import { attr, zeebeExt } from '../zeebe';
import { externalJobMessage } from '../../lint/rules/external-job-type';

const DEFAULT_RETRIES = 3;

/**
 * The job of a service-like element (`zeebe:taskDefinition` + `zeebe:taskHeaders`). A type
 * the activity catalog runs in-process is a catalog job; any other is served by external job
 * workers (the job API, docs/integrations.md), as Camunda 8 serves every type: a warning tells
 * the designer so, it is no refusal (decision 0028). The type and the retries may be `=FEEL`,
 * evaluated when the element activates (Camunda 8); the catalog's types are kept with such a
 * job so that the evaluated type is routed the same way.
 */
export function jobOf(node: MBaseElement, ctx: CompileContext): JobDef | undefined {
  const definition = zeebeExt(node, 'zeebe:TaskDefinition');
  const type = attr(definition, 'type')?.trim();
  if (!definition || !type) {
    errorAt(ctx, node, `${node.$type} needs zeebe:taskDefinition with a type`);
    return undefined;
  }
  return jobFrom(node, ctx, { type, retries: attr(definition, 'retries'), headers: headersOf(node), what: 'zeebe:taskDefinition' });
}

/**
 * A job from its written type and retries (a task definition's or an execution listener's):
 * FEEL or static, routed to the catalog or to external workers. `what` names the attribute's
 * owner in problems.
 */
export function jobFrom(
  node: MBaseElement,
  ctx: CompileContext,
  written: { type: string; retries: string | undefined; headers: JobDef['headers']; what: string },
): JobDef | undefined {
  const { type, headers, what } = written;
  const rawRetries = written.retries;
  let retries: number | undefined = DEFAULT_RETRIES;
  let extras: Pick<JobDef, 'retriesExpression'> = {};
  if (rawRetries !== undefined && isExpression(rawRetries)) {
    const retriesExpression = checkedFeel(ctx, node, expressionSource(rawRetries), `${what} retries`);
    if (retriesExpression === undefined) return undefined;
    extras = { retriesExpression };
  } else {
    retries = retriesOf(node, rawRetries, ctx, what);
    if (retries === undefined) return undefined;
  }
  if (isExpression(type)) {
    const typeExpression = checkedFeel(ctx, node, expressionSource(type), `${what} type`);
    if (typeExpression === undefined) return undefined;
    const catalogTypes = ctx.taskTypes === null ? {} : { catalogTypes: [...ctx.taskTypes].sort() };
    return { type, retries, headers, typeExpression, ...catalogTypes, ...extras };
  }
  const external = ctx.taskTypes !== null && !ctx.taskTypes.has(type);
  if (external) {
    warnAt(ctx, node, externalJobMessage(type));
  }
  return { type, retries, headers, ...(external ? { worker: 'external' as const } : {}), ...extras };
}

function retriesOf(node: MBaseElement, raw: string | undefined, ctx: CompileContext, what: string): number | undefined {
  if (raw === undefined) return DEFAULT_RETRIES;
  // Zeebe refuses an empty retries attribute (it is mandatory once written).
  if (raw.trim() === '') {
    errorAt(ctx, node, `${what} retries must not be empty; leave the attribute out for the default of ${DEFAULT_RETRIES}`);
    return undefined;
  }
  if (!/^\d{1,6}$/.test(raw.trim())) {
    errorAt(ctx, node, `${what} retries must be a whole number, not '${raw}'`);
    return undefined;
  }
  return Number(raw.trim());
}

/** `zeebe:taskHeaders` of an element, or the `headers` of an execution listener (`from`). */
export function headersOf(node: MBaseElement, from: MZeebe | undefined = zeebeExt(node, 'zeebe:TaskHeaders')): JobDef['headers'] {
  const headers = from;
  const values = Array.isArray(headers?.values) ? (headers.values as MZeebe[]) : [];
  return values
    .map((h) => ({ key: attr(h, 'key') ?? '', value: attr(h, 'value') ?? '' }))
    .filter((h) => h.key !== '');
}
