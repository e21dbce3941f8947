import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout. Never log variables, payloads or credentials: they may hold customer data. */
export function createLogger(level: string, name = 'complaint-bpm'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['*.password', '*.apiKey', '*.authorization', '*.variables', 'req.headers.authorization'], censor: '[redacted]' },
  });
}
