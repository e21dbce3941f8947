/**
 * Test-only: the real evaluator, except that `step` hands its commands back in reverse order.
 * Bundled in place of processes/evaluator (see replay.test.ts) it models an unpatched change of
 * the order in which the adapter carries out effects (e.g. timers before jobs).
 */
import * as real from '../../processes/evaluator/index';

export * from '../../processes/evaluator/index';

export function step(...args: Parameters<typeof real.step>): ReturnType<typeof real.step> {
  const result = real.step(...args);
  return { ...result, commands: [...result.commands].reverse() };
}
