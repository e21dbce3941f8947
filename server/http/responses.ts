/**
 * Response shapes shared by every resource: the error bodies that server/http/errors.ts
 * produces. Named with `.meta({ id })` so the OpenAPI document lists them once under
 * components and every operation refers to them.
 */
import { z } from 'zod';

export const ErrorBody = z
  .object({
    error: z.string().meta({ description: 'Machine-readable code, e.g. `not_found`, `payload_too_large`', example: 'not_found' }),
    message: z.string().meta({ description: 'Human-readable explanation' }),
    incident: z.string().optional().meta({ description: 'Only on 500: the correlation id to look up in the server log' }),
  })
  .meta({ id: 'Error', description: 'Every error answer: JSON with a code and a message (never a bare 500)' });

export const ValidationErrorBody = z
  .object({
    error: z.literal('invalid_request'),
    message: z.string(),
    fields: z.array(
      z.object({
        path: z.string().meta({ description: 'Dotted path of the offending parameter or field', example: 'pageSize' }),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: 'ValidationError', description: 'A path, query or body parameter is invalid (400)' });

/** OpenAPI response entries for the error statuses, so operations list them uniformly. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorBody } },
});

export const validationErrorResponse = {
  description: 'A parameter is invalid; `fields` names each one',
  content: { 'application/json': { schema: ValidationErrorBody } },
};

/** 400: a parameter failed validation (ValidationError) or the request is otherwise unusable (Error). */
export const badRequestResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.union([ValidationErrorBody, ErrorBody]) } },
});
