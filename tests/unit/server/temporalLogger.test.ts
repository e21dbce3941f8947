import { Writable } from 'node:stream';
import pino from 'pino';
import { PinoTemporalLogger, temporalLevel } from '../../../server/temporal/runtime';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: pino({ level: 'trace' }, sink) };
}

describe("Temporal's logger on pino", () => {
  it('writes the SDK lines at or above its level as pino lines of part temporal, with their metadata', () => {
    // given
    const { lines, log } = capture();
    const logger = new PinoTemporalLogger(log, 'WARN');

    // when
    logger.info('Worker state changed', { state: 'RUNNING' });
    logger.warn('Activity failed', { activityType: 'runJob', attempt: 2 });
    logger.log('ERROR', 'Core says no', { sdkComponent: 'core' });

    // then
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, part: 'temporal', msg: 'Activity failed', activityType: 'runJob', attempt: 2 }),
      expect.objectContaining({ level: 50, part: 'temporal', msg: 'Core says no', sdkComponent: 'core' }),
    ]);
  });

  it("maps LOG_LEVEL to the SDK's level: its chatter only when debugging", () => {
    expect(temporalLevel('info')).toBe('WARN');
    expect(temporalLevel('warn')).toBe('WARN');
    expect(temporalLevel('debug')).toBe('DEBUG');
    expect(temporalLevel('trace')).toBe('TRACE');
  });
});
