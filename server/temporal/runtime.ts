/**
 * The Temporal SDK's process-wide Runtime: its logger (the TypeScript side's and, forwarded,
 * the native core's) writes through our pino logger as `part: "temporal"` lines instead of
 * printing its own format to stderr; its worker metrics go to a Prometheus endpoint when asked.
 */
import { Runtime, makeTelemetryFilterString, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/worker';
import type { Logger } from '../log';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

const SEVERITY: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** Temporal's Logger interface on a pino logger, dropping what is below `level` (the SDK's scale). */
export class PinoTemporalLogger implements TemporalLogger {
  private readonly pino: Logger;

  constructor(log: Logger, private readonly level: LogLevel = 'WARN') {
    this.pino = log.child({ part: 'temporal' });
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if ((SEVERITY[level] ?? 2) < SEVERITY[this.level]) return;
    this.pino[LEVELS[level] ?? 'info'](meta ?? {}, message);
  }

  trace(message: string, meta?: LogMetadata): void { this.log('TRACE', message, meta); }
  debug(message: string, meta?: LogMetadata): void { this.log('DEBUG', message, meta); }
  info(message: string, meta?: LogMetadata): void { this.log('INFO', message, meta); }
  warn(message: string, meta?: LogMetadata): void { this.log('WARN', message, meta); }
  error(message: string, meta?: LogMetadata): void { this.log('ERROR', message, meta); }
}

/** The SDK's level for our LOG_LEVEL: its info lines (worker state changes) only when debugging. */
export function temporalLevel(logLevel: string): LogLevel {
  if (logLevel === 'trace') return 'TRACE';
  if (logLevel === 'debug') return 'DEBUG';
  return 'WARN';
}

export interface TemporalRuntimeOptions {
  logLevel: string;
  /** host:port for the SDK's own Prometheus exporter; unset = no SDK metrics. */
  metricsBind?: string | undefined;
}

/** Installs the Runtime once per process, before any connection or worker is made. */
export function installTemporalRuntime(log: Logger, options: TemporalRuntimeOptions): void {
  const level = temporalLevel(options.logLevel);
  Runtime.install({
    logger: new PinoTemporalLogger(log, level),
    telemetryOptions: {
      // The native core's logs, forwarded to the logger above (not printed to stderr by core).
      logging: { filter: makeTelemetryFilterString({ core: level, other: level === 'WARN' ? 'ERROR' : level }), forward: {} },
      ...(options.metricsBind ? { metrics: { prometheus: { bindAddress: options.metricsBind } } } : {}),
    },
  });
}
