/** The environment of bench:complaints (documented at the top of bench/complaints.ts), checked. */
import { FERRETDB_POOL_SIZE } from '../../server/db/mongo';

/** A value of the environment that cannot be used: reported without a stack. */
export class BenchConfigError extends Error {}

export interface BenchConfig {
  /** The rates to run, in order: BENCH_SWEEP, or BENCH_RATE alone. */
  rates: number[];
  sweep: boolean;
  seconds: number;
  drainSeconds: number;
  visibilityPollMs: number;
  staffPollMs: number;
  mongoPool: number;
  preload: number;
  preloadBatch: number;
  timeLimitS: number;
}

/** Throws a message naming the variable when a value is not usable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const number = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    const value = Number(raw === undefined || raw.trim() === '' ? fallback : raw);
    if (!Number.isFinite(value) || value < min) throw new BenchConfigError(`${name} must be a number ≥ ${min}, not '${raw}'`);
    return value;
  };
  const positive = (name: string, fallback: number) => {
    const value = number(name, fallback, 0);
    if (value === 0) throw new BenchConfigError(`${name} must be positive, not '${env[name]}'`);
    return value;
  };
  const sweep = env.BENCH_SWEEP?.trim()
    ? env.BENCH_SWEEP.split(',').map((part) => {
      const rate = Number(part.trim());
      if (part.trim() === '' || !Number.isFinite(rate) || rate <= 0) throw new BenchConfigError(`BENCH_SWEEP must list positive rates (e.g. 2,5,10), not '${env.BENCH_SWEEP}'`);
      return rate;
    })
    : undefined;
  const rates = sweep ?? [positive('BENCH_RATE', 10)];
  const seconds = positive('BENCH_SECONDS', 60);
  const drainSeconds = positive('BENCH_DRAIN_SECONDS', 60);
  const preload = Math.round(number('BENCH_PRELOAD', 0, 0));
  return {
    rates,
    sweep: sweep !== undefined,
    seconds,
    drainSeconds,
    visibilityPollMs: positive('BENCH_VISIBILITY_POLL_MS', 50),
    staffPollMs: positive('BENCH_STAFF_POLL_MS', 1000),
    mongoPool: Math.round(positive('BENCH_MONGO_POOL', FERRETDB_POOL_SIZE)),
    preload,
    preloadBatch: Math.round(positive('BENCH_PRELOAD_BATCH', 100)),
    timeLimitS: positive('BENCH_TIME_LIMIT_SECONDS', rates.length * (seconds + drainSeconds + 300 + preload / 100)),
  };
}
