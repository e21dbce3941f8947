import { z } from 'zod';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const httpRequestInput = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
    method: z.enum(HTTP_METHODS).default('GET'),
    headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name'), z.string()).optional(),
    body: z.json().optional(),
    timeoutMs: z.number().int().min(1).max(60_000).default(30_000),
    credential: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only').optional(),
  })
  .refine((v) => v.method !== 'GET' || v.body === undefined, { path: ['body'], message: 'a GET request has no body' });

export const httpRequestOutput = z.object({
  status: z.number().int(),
  /** Only the headers a process plausibly needs (see SELECTED_HEADERS). */
  headers: z.record(z.string(), z.string()),
  /** Parsed JSON when the response says it is JSON, else text; null when empty. */
  body: z.json(),
});

export type HttpRequestInput = z.infer<typeof httpRequestInput>;
export type HttpRequestOutput = z.infer<typeof httpRequestOutput>;
