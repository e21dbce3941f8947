/**
 * How large an instance's continue-as-new input is, and the two caps on it (issue 12, decision
 * 0019): Temporal refuses a payload over 2 MB ("Blob data size exceeds limit"), so an instance
 * whose variables grew past it could not continue as new and stopped with no incident. Pure:
 * JSON text measured in UTF-8 bytes without Buffer or TextEncoder (workflow code).
 */
import type { Variables } from '../../processes/evaluator';
import type { ProcessInstanceInput } from './types';

/**
 * Temporal's 2 MB payload limit less 16 KB for the encryption envelope (decision 0023), as for a
 * called process's input (effects.ts): a continue-as-new input over this is refused.
 */
export const MAX_CARRIED_INPUT_BYTES = 2 * 1024 * 1024 - 16 * 1024;
/**
 * What a task completion, job result or setVariables may bring the instance to: 64 KB under
 * the hard cap, room for what the API cannot refuse (activity results, messages, signals,
 * child results) and for the adapter's bookkeeping growing with the step.
 */
export const MAX_INSTANCE_BYTES = MAX_CARRIED_INPUT_BYTES - 64 * 1024;

/** UTF-8 length of a string: surrogate pairs are 4 bytes, a lone surrogate 3 (as U+FFFD). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value) ?? '');

/** The bytes of the input a continue-as-new would hand to Temporal (the JSON payload converter's text). */
export function carriedInputBytes(input: ProcessInstanceInput): number {
  return jsonBytes(input);
}

/** Why this continue-as-new input cannot be carried, or null when it fits. */
export function carryRefusal(bytes: number): string | null {
  if (bytes <= MAX_CARRIED_INPUT_BYTES) return null;
  return `limit exceeded: the instance's model and variables are ${bytes} bytes; Temporal refuses a continue-as-new over ${MAX_CARRIED_INPUT_BYTES} bytes (2 MB less encryption headroom), so the instance keeps running on its growing history. Reduce its variables (set large ones to null) and resolve`;
}

/**
 * Why a migration cannot continue as new with this input (the target's model and the mapped
 * state), or null when it fits: refused like an unmappable state, the instance stays on `from`.
 */
export function migrationCarryRefusal(bytes: number, from: number, to: number): string | null {
  if (bytes <= MAX_CARRIED_INPUT_BYTES) return null;
  return `too large to migrate: version ${to}'s model with the instance's state and variables would be ${bytes} bytes; Temporal refuses a continue-as-new over ${MAX_CARRIED_INPUT_BYTES} bytes (2 MB less encryption headroom), so the instance stays on version ${from}. Reduce its variables (set large ones to null) or the target model, then migrate again`;
}

/**
 * How many bytes `incoming` adds to an instance. `replacing`: the variables merge into the
 * process scope as they are (setVariables), so those they replace in `current` are subtracted
 * (setting a large one to null shrinks the instance). A completion's variables are counted whole:
 * output mappings may keep them beside what they replace (the next check measures the result).
 */
export function variablesGrowth(current: Variables, incoming: Variables, replacing: boolean): number {
  if (!replacing) return jsonBytes(incoming);
  const replaced: Variables = {};
  for (const name of Object.keys(incoming)) if (Object.prototype.hasOwnProperty.call(current, name)) replaced[name] = current[name];
  return jsonBytes(incoming) - (Object.keys(replaced).length ? jsonBytes(replaced) : 0);
}

/**
 * Refusal message for an update that would bring the instance over MAX_INSTANCE_BYTES, or null.
 * An update that does not grow the instance is always let through (it is how an operator shrinks it).
 */
export function growthRefusal(carriedBytes: number, growth: number): string | null {
  if (growth <= 0 || carriedBytes + growth <= MAX_INSTANCE_BYTES) return null;
  return `variables: the instance would hold ${carriedBytes + growth} bytes (now ${carriedBytes}, these variables add ${growth}); an instance may hold at most ${MAX_INSTANCE_BYTES} bytes of model and variables`;
}
