/**
 * The size checks behind issue 12's last unbounded size: what an instance carries to its next
 * run (continue-as-new) and how much a completion may add. Pure functions, real inputs.
 */
import {
  carriedInputBytes,
  carryRefusal,
  growthRefusal,
  MAX_CARRIED_INPUT_BYTES,
  MAX_INSTANCE_BYTES,
  migrationCarryRefusal,
  utf8Bytes,
  variablesGrowth,
} from '../../../workflows/processInstance/carriedSize';
import type { ProcessInstanceInput } from '../../../workflows/processInstance/types';

describe('utf8Bytes', () => {
  it.each([
    ['ascii', 'abc', 3],
    ['two-byte', 'äé', 4],
    ['three-byte', '€漢', 6],
    ['surrogate pair', '😀x', 5],
    ['lone surrogate', '\ud800', 3],
  ])('counts %s as UTF-8 does', (_name, text, expected) => {
    expect(utf8Bytes(text)).toBe(expected);
    expect(utf8Bytes(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
});

describe('the continue-as-new input', () => {
  const input = (big: string): ProcessInstanceInput => ({
    definition: { key: 'p', version: 1 },
    model: { id: 'p' } as unknown as ProcessInstanceInput['model'],
    carried: { state: { instances: { 1: { variables: { big } } } } } as unknown as ProcessInstanceInput['carried'],
  });

  it('is measured as the JSON payload converter writes it, in UTF-8 bytes', () => {
    const value = input('ü'.repeat(1000));
    expect(carriedInputBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
  });

  it('is refused with its size over 2 MB less the encryption headroom, and carried up to it', () => {
    expect(MAX_CARRIED_INPUT_BYTES).toBe(2_080_768);
    expect(carryRefusal(MAX_CARRIED_INPUT_BYTES)).toBeNull();
    expect(carryRefusal(MAX_CARRIED_INPUT_BYTES + 1)).toMatch(/^limit exceeded: the instance's model and variables are 2080769 bytes; Temporal refuses a continue-as-new over 2080768 bytes/);
    const bytes = carriedInputBytes(input('x'.repeat(2_100_000)));
    expect(carryRefusal(bytes)).toContain(`are ${bytes} bytes`);
  });
});

describe('a migration\'s continue-as-new input', () => {
  it('is refused over the same cap, naming its size, the cap and both versions, and carried up to it', () => {
    expect(migrationCarryRefusal(MAX_CARRIED_INPUT_BYTES, 1, 2)).toBeNull();
    expect(migrationCarryRefusal(MAX_CARRIED_INPUT_BYTES + 1, 1, 2)).toBe(
      "too large to migrate: version 2's model with the instance's state and variables would be 2080769 bytes; Temporal refuses a continue-as-new over 2080768 bytes (2 MB less encryption headroom), so the instance stays on version 1. Reduce its variables (set large ones to null) or the target model, then migrate again",
    );
  });
});

describe('the growth a completion brings', () => {
  it('counts new variables and, when they merge into the process scope as they are, subtracts the ones they replace', () => {
    const current = { a: 'x'.repeat(100), b: 1 };
    expect(variablesGrowth(current, { c: 'xx' }, true)).toBe('{"c":"xx"}'.length);
    expect(variablesGrowth(current, { a: null }, true)).toBe('{"a":null}'.length - `{"a":"${'x'.repeat(100)}"}`.length);
    // a completion's variables count whole: an output mapping may keep them beside the old value
    expect(variablesGrowth(current, { a: null }, false)).toBe('{"a":null}'.length);
  });

  it('is refused only when it grows the instance past the cap, naming the sizes', () => {
    expect(MAX_INSTANCE_BYTES).toBe(2_015_232);
    expect(growthRefusal(MAX_INSTANCE_BYTES - 10, 10)).toBeNull();
    expect(growthRefusal(MAX_INSTANCE_BYTES - 10, 11)).toBe(`variables: the instance would hold ${MAX_INSTANCE_BYTES + 1} bytes (now ${MAX_INSTANCE_BYTES - 10}, these variables add 11); an instance may hold at most 2015232 bytes of model and variables`);
    // an instance already over the cap may still shrink (how an operator gets it under again)
    expect(growthRefusal(MAX_CARRIED_INPUT_BYTES + 500, -400)).toBeNull();
    expect(growthRefusal(MAX_CARRIED_INPUT_BYTES + 500, 1)).not.toBeNull();
  });
});
