/**
 * JSON logs on stdout. Logs must never carry personal data or secrets (docs/security.md,
 * "Personal data"): call sites log ids, counts and codes only, and this logger is the backstop —
 * - fields that hold data (variables, contact details, free text, tokens, documents) are redacted
 *   wherever they appear in the first three levels of a log object;
 * - errors are reduced to type, code and a scrubbed message and stack: a database error's
 *   enumerable properties (a MongoDB bulk write error carries every document it tried to write,
 *   with the process variables) never reach the log, and e-mail addresses, phone numbers and
 *   duplicate-key values are cut out of messages.
 * The Temporal SDK logs (worker, activities, core) go through the same logger (server/temporal/runtime.ts).
 */
import pino, { type Logger } from 'pino';

export type { Logger };

/** Keys whose values may hold personal data or secrets, wherever they appear. */
export const REDACTED_KEYS = [
  'variables', 'contact', 'email', 'phone', 'address', 'location', 'description', 'verbatim', 'comment', 'text',
  'title', 'name', 'customerId', 'customer', 'body', 'document', 'documents', 'op', 'writeErrors', 'result',
  'snapshot', 'payload', 'payloads', 'args', 'password', 'apiKey', 'authorization', 'cookie', 'token', 'secret',
] as const;

// (`name` at the top is the logger's own name.)
const redactPaths = REDACTED_KEYS.flatMap((key) => [...(key === 'name' ? [] : [key]), `*.${key}`, `*.*.${key}`])
  .concat(['req.headers.authorization', 'req.headers.cookie']);

const SCRUBS: Array<[RegExp, string]> = [
  // MongoDB's duplicate key message quotes the value: `dup key: { email: "ann@example.com" }`.
  [/dup key: \{[^}]*\}/g, 'dup key: { [redacted] }'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[e-mail]'],
  [/\+\d[\d ()./-]{5,}\d/g, '[phone]'],
  [/\b\d{9,}\b/g, '[number]'],
];

/** `text` without e-mail addresses, phone numbers and quoted key values, at most `max` characters. */
export function scrub(text: string, max = 1000): string {
  let out = text.length > max ? `${text.slice(0, max)}…` : text;
  for (const [pattern, replacement] of SCRUBS) out = out.replace(pattern, replacement);
  return out;
}

export interface ErrorSummary {
  type: string;
  message: string;
  code?: string | number;
  codeName?: string;
  stack?: string;
  cause?: ErrorSummary;
}

const SUMMARY_KEYS = new Set(['type', 'message', 'code', 'codeName', 'stack', 'cause']);
/** Already reduced (a call site summarised it; the serializer sees it again). */
function isSummary(value: unknown): value is ErrorSummary {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const record = value as Record<string, unknown>;
  return typeof record.type === 'string' && typeof record.message === 'string' && Object.keys(record).every((key) => SUMMARY_KEYS.has(key));
}

/** What of an error may be logged: never its other properties (documents, variables, requests). */
export function errorSummary(err: unknown, depth = 0): ErrorSummary | string {
  if (isSummary(err)) return err;
  if (!(err instanceof Error)) return typeof err === 'string' ? scrub(err) : `[${typeof err}]`;
  const { code, codeName } = err as { code?: unknown; codeName?: unknown };
  const summary: ErrorSummary = { type: err.name, message: scrub(err.message) };
  if (typeof code === 'string' || typeof code === 'number') summary.code = code;
  if (typeof codeName === 'string') summary.codeName = codeName;
  if (err.stack) summary.stack = scrub(err.stack, 4000);
  if (err.cause !== undefined && depth < 3) {
    const cause = errorSummary(err.cause, depth + 1);
    if (typeof cause !== 'string') summary.cause = cause;
  }
  return summary;
}

/** `destination`: where lines go (default stdout); tests read them back. */
export function createLogger(level: string, name = 'complaint-bpm', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    serializers: { err: errorSummary, error: errorSummary, failure: errorSummary },
    redact: { paths: redactPaths, censor: '[redacted]' },
    hooks: {
      // A message is text someone wrote at a call site, but may embed an error's message.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrub(arg, 4000) : arg)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
