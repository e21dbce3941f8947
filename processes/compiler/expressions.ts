import type { Feel, ValueOrExpression } from '../model/types';
import { expressionSource, feelSyntaxError, isExpression } from '../feel';
import type { CompileContext } from './context';
import { errorAt } from './context';
import type { MElement } from './moddleTypes';

/**
 * Attribute values follow Camunda 8: `=expr` is FEEL, anything else is static. Each helper
 * reports a problem on `node` and returns undefined when the value cannot be used.
 */

/** A field that must be FEEL (conditions, collections, correlation keys, scripts). */
export function requireFeel(ctx: CompileContext, node: MElement, raw: string | undefined, what: string): Feel | undefined {
  if (raw === undefined || raw.trim() === '') {
    errorAt(ctx, node, `${what} is missing`);
    return undefined;
  }
  if (!isExpression(raw)) {
    errorAt(ctx, node, `${what} must be a FEEL expression starting with '=' but is the static value '${raw}'`);
    return undefined;
  }
  return checkedFeel(ctx, node, expressionSource(raw), what);
}

/** A field that may be static or FEEL (assignee, message name, called process id, ...). */
export function valueOrExpression(
  ctx: CompileContext,
  node: MElement,
  raw: string | undefined,
  what: string,
): ValueOrExpression | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!isExpression(raw)) return { static: raw };
  const feel = checkedFeel(ctx, node, expressionSource(raw), what);
  return feel === undefined ? undefined : { feel };
}

/**
 * An io-mapping source: a static input value is a string constant, as Zeebe reads it. An input
 * without a source sets its target to null, as Camunda 8 does since camunda/camunda#12961
 * (`<zeebe:input target="x"/>` means `source="=null"`); an output still needs one, and it must
 * be FEEL: Zeebe refuses a static output source (its runtime validators ask `isNonStatic`).
 */
export function mappingSource(
  ctx: CompileContext,
  node: MElement,
  raw: string | undefined,
  what: string,
  kind: 'input' | 'output',
): Feel | undefined {
  if (raw === undefined || raw.trim() === '') {
    if (kind === 'input') return 'null';
    errorAt(ctx, node, `${what} has no source (only an input may leave it out, meaning null)`);
    return undefined;
  }
  if (!isExpression(raw) && kind === 'output') {
    errorAt(ctx, node, `${what} source must be a FEEL expression starting with '=' but is the static value '${raw}'`);
    return undefined;
  }
  if (!isExpression(raw)) return JSON.stringify(raw);
  return checkedFeel(ctx, node, expressionSource(raw), what);
}

/** FEEL that must parse; reported on `node` as `${what} is not valid FEEL` otherwise. */
export function checkedFeel(ctx: CompileContext, node: MElement, source: string, what: string): Feel | undefined {
  const error = feelSyntaxError(source);
  if (error !== null) {
    errorAt(ctx, node, `${what} is not valid FEEL: ${error}`);
    return undefined;
  }
  return source.trim();
}
