import fc from 'fast-check';
import { evaluateFeel } from '../../../processes/feel';
import { evalInContext } from '../../../processes/evaluator/feelEval';

const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom('a', 'b', ''), fc.boolean(), fc.constant(null));
const literal = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom('1.5', '-0.5', '"a"', '"b"', '""', 'true', 'false'),
);
const op = fc.constantFrom('<', '<=', '>', '>=', '=', '!=');
const name = fc.constantFrom('x', 'y', 'missing');

describe('direct evaluation of plain references and comparisons', () => {
  it('agrees with feelin whenever it answers, and defers to it otherwise', () => {
    fc.assert(
      fc.property(fc.record({ x: value, y: value }), name, op, literal, fc.boolean(), (context, left, o, right, nested) => {
        // given
        const ctx = nested ? { obj: context } : context;
        const path = nested ? `obj.${left}` : left;
        for (const source of [path, `${path} ${o} ${right}`]) {
          // when
          const ours = evalInContext(source, ctx);
          const feelin = evaluateFeel(source, ctx);
          // then
          expect({ source, ok: ours.ok }).toEqual({ source, ok: feelin.ok });
          if (ours.ok && feelin.ok) expect({ source, value: ours.value }).toEqual({ source, value: feelin.value });
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('direct evaluation of plain context literals', () => {
  const key = fc.constantFrom('a', 'b', 'x', '"c d"', '"a"', 'true', 'for');
  const entryValue = fc.constantFrom('1', '-2', '1.50', '01', '-0', '"s"', '""', '"a, b: }"', 'true', 'false', 'null', 'x', 'y', 'obj.x', 'obj.missing', 'missing', 'a', 'b.x', 'not');
  const space = fc.constantFrom('', ' ', '  ');

  it('agrees with feelin whenever it answers, and defers to it otherwise', () => {
    fc.assert(
      fc.property(
        fc.record({ x: value, y: value, a: value }),
        fc.array(fc.tuple(key, entryValue, space), { maxLength: 4 }),
        space,
        (context, entries, pad) => {
          // given
          const ctx = { ...context, obj: { x: context.x } };
          const source = `${pad}{${entries.map(([k, v, s]) => `${s}${k}${s}:${s}${v}`).join(',')}${pad}}${pad}`;
          // when
          const ours = evalInContext(source, ctx);
          const feelin = evaluateFeel(source, ctx);
          // then
          expect({ source, ok: ours.ok }).toEqual({ source, ok: feelin.ok });
          if (ours.ok && feelin.ok) expect({ source, value: ours.value }).toEqual({ source, value: feelin.value });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('sees the entries before an entry, as FEEL does', () => {
    // given a literal whose second entry reads the first, and a context with the same name
    const source = '{ a: 1, b: a }';
    // when
    const ours = evalInContext(source, { a: 5 });
    // then
    expect(ours).toEqual({ ok: true, value: { a: 1, b: 1 } });
  });
});
