/**
 * One declaration per operation: the same spec mounts the express handler and registers the
 * operation in the OpenAPI registry. The zod schemas it documents are the ones it validates
 * with: path and query parameters and the JSON body are parsed before the handler runs, which
 * gets the parsed values (a ZodError answers 400 with the field paths, server/http/errors.ts).
 * A route cannot exist without its documentation, nor document other schemas, nor without an
 * access policy: the operationId is looked up in server/auth/policy.ts (throwing here, at
 * start-up, when it has none) and enforced before anything else runs.
 *
 * Responses are documented with zod schemas too. With API_CHECK_RESPONSES=1 in the
 * environment when the routes are declared (the API contract test sets it), every 2xx answer
 * (and those of `checkStatuses`) is checked against what is declared for its status, as the
 * client receives it: a JSON answer against the zod schema, a text answer (`res.send` of a
 * string, e.g. HTML or XML) by its media type and, when that media type's schema is zod, its
 * text. An answer that does not fit becomes a 500 `response_mismatch` naming the operation and
 * the paths at fault (decision 0048). Every jest test runs with the check on, and a test during
 * which a mismatch was answered fails with it (server/http/responseMismatches.ts). Streamed
 * answers (`res.write`, `pipe`, `res.end`) are not checked.
 */
import type { OpenAPIRegistry, ResponseConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { checkPolicy } from '../auth/middleware';
import { CUSTOMER_LINK_OPERATIONS, policyFor } from '../auth/policy';
import { ROUTE_TEMPLATE } from '../metrics';
import { markDeclared } from './routeGuard';
import { recordResponseMismatch } from './responseMismatches';
import { errorResponse } from './responses';

type ParamSchema = z.ZodObject;

/** A JSON request body: documented and validated with `schema`; the handler gets the parsed value. */
export interface JsonBody<B extends z.ZodType> {
  schema: B;
  /** Default true (documentation). An absent body is validated as `{}`, so a required one names its missing fields. */
  required?: boolean;
  description?: string;
}

export interface RouteSpec<P extends ParamSchema | undefined, Q extends ParamSchema | undefined, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style, with `{name}` for path parameters: `/api/definitions/{key}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: P;
  query?: Q;
  /** A JSON body, validated before the handler runs. */
  body?: JsonBody<B>;
  /** A body that is not JSON (XML, binary): documented only; `before` or the handler reads it. */
  rawBody?: ZodRequestBody;
  responses: Record<number, ResponseConfig>;
  /**
   * Statuses outside 2xx that the handler answers itself with a declared body (the health
   * check's 503 with its report): checked like a 2xx answer. Errors the error middleware maps
   * are not checked, so an operation whose errors may take one of these statuses cannot list it.
   */
  checkStatuses?: number[];
  /** Middleware that runs before validation, e.g. a body parser. */
  before?: RequestHandler[];
}

type Parsed<S> = S extends ParamSchema ? z.output<S> : undefined;
type ParsedBody<B> = [B] extends [z.ZodNever] ? undefined : B extends z.ZodType ? z.output<B> : undefined;

export interface RouteInput<P, Q, B = undefined> {
  params: P;
  query: Q;
  body: B;
}

export type RouteHandler<P, Q, B = undefined> = (input: RouteInput<P, Q, B>, req: Request, res: Response) => Promise<void> | void;

/** The OpenAPI security scheme every non-public operation names (registered by createApiRegistry). */
export const BEARER_SCHEME = 'bearerAuth';

function accessResponses(policy: ReturnType<typeof policyFor>, operationId: string): Record<number, ResponseConfig> {
  const responses: Record<number, ResponseConfig> = {};
  if (policy !== 'public') {
    responses[401] = errorResponse(CUSTOMER_LINK_OPERATIONS.has(operationId)
      ? 'No token, an unknown or expired one (`unauthenticated`, `invalid_token`), or a customer link that is altered or expired (`link_invalid`, `link_expired`)'
      : 'No token, or an unknown or expired one (`unauthenticated`, `invalid_token`)');
  }
  if (typeof policy !== 'string') responses[403] = errorResponse(`Only for the roles ${policy.join(', ')} (\`forbidden\`)`);
  return responses;
}

/** `/a/{b}/c` -> `/a/:b/c` */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

const isZod = (schema: unknown): schema is z.ZodType => typeof (schema as { safeParse?: unknown } | undefined)?.safeParse === 'function';

/** The zod schema declared for a JSON answer with this status, if the spec declares one. */
export function declaredJsonSchema(responses: Record<number, ResponseConfig>, status: number): z.ZodType | undefined {
  const media = responses[status]?.content?.['application/json'];
  const schema = media && 'schema' in media ? media.schema : undefined;
  return isZod(schema) ? schema : undefined;
}

/** `text/html; charset=utf-8` -> `text/html` */
const mediaTypeOf = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

type Issues = Array<{ path: string; message: string }>;
const zodIssues = (error: z.ZodError): Issues => error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

/**
 * Wraps `res.json` and `res.send` so a 2xx answer (or one of `alsoChecked`) is checked against
 * what is declared for its status: JSON, as on the wire, against its zod schema; a string or
 * buffer by its media type, and against the zod schema of that media type when there is one.
 * An undeclared status, media type or a body that does not fit answers 500 instead.
 */
function checkResponses(operationId: string, responses: Record<number, ResponseConfig>, alsoChecked: readonly number[], res: Response): void {
  const sendJson = res.json.bind(res);
  const sendRaw = res.send.bind(res);
  // express's res.json ends in res.send: the text of a JSON answer is not checked twice.
  let inJson = false;
  const json = (body: unknown) => {
    inJson = true;
    try {
      return sendJson(body);
    } finally {
      inJson = false;
    }
  };
  const checked = (status: number) => (status >= 200 && status < 300) || alsoChecked.includes(status);
  const refuse = (status: number, issues: Issues) => {
    recordResponseMismatch({ operationId, status, issues });
    // (a text answer may have set its own type already)
    res.status(500).type('json');
    return json({ error: 'response_mismatch', message: `The ${status} answer of ${operationId} does not fit its declared schema`, operationId, status, issues });
  };
  res.json = (body: unknown) => {
    const status = res.statusCode;
    if (!checked(status)) return json(body);
    const declared = responses[status];
    const schema = declaredJsonSchema(responses, status);
    const wire: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
    const outcome = schema?.safeParse(wire);
    if (declared && (!schema || outcome?.success)) return json(body);
    return refuse(status, !declared
      ? [{ path: '', message: `status ${status} is not declared` }]
      : outcome && !outcome.success ? zodIssues(outcome.error) : [{ path: '', message: 'no JSON schema declared' }]);
  };
  res.send = (body?: unknown) => {
    const status = res.statusCode;
    // Objects go on to res.json (checked there); nothing, numbers and booleans are not text.
    if (inJson || !checked(status) || (typeof body !== 'string' && !Buffer.isBuffer(body))) return sendRaw(body);
    const declared = responses[status];
    if (!declared) return refuse(status, [{ path: '', message: `status ${status} is not declared` }]);
    if (!declared.content) return sendRaw(body);
    // What express sends when nothing set the type: HTML for a string, octet-stream for a buffer.
    const type = mediaTypeOf(res.get('Content-Type') ?? (typeof body === 'string' ? 'text/html' : 'application/octet-stream'));
    const media = Object.entries(declared.content).find(([declaredType]) => mediaTypeOf(declaredType) === type)?.[1];
    if (!media) return refuse(status, [{ path: '', message: `${type} is not declared for status ${status} (declared: ${Object.keys(declared.content).join(', ')})` }]);
    const schema = 'schema' in media ? media.schema : undefined;
    if (!isZod(schema)) return sendRaw(body);
    const outcome = schema.safeParse(typeof body === 'string' ? body : body.toString('utf8'));
    return outcome.success ? sendRaw(body) : refuse(status, zodIssues(outcome.error));
  };
}

export function addRoute<
  P extends ParamSchema | undefined = undefined,
  Q extends ParamSchema | undefined = undefined,
  B extends z.ZodType = z.ZodNever,
>(
  router: Router,
  registry: OpenAPIRegistry,
  spec: RouteSpec<P, Q, B>,
  handler: RouteHandler<Parsed<P>, Parsed<Q>, ParsedBody<B>>,
): void {
  // First: an operation without a policy must stop start-up, not answer requests.
  const policy = policyFor(spec.operationId);
  const guard = checkPolicy(policy, spec.operationId);
  if (spec.body && spec.rawBody) throw new Error(`${spec.operationId}: declare either a JSON body or a raw body, not both`);
  const jsonBody = spec.body;
  const bodyDoc: ZodRequestBody | undefined = jsonBody
    ? {
      required: jsonBody.required ?? true,
      ...(jsonBody.description ? { description: jsonBody.description } : {}),
      content: { 'application/json': { schema: jsonBody.schema } },
    }
    : spec.rawBody;
  const responses = { ...accessResponses(policy, spec.operationId), ...spec.responses };
  registry.registerPath({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(bodyDoc ? { body: bodyDoc } : {}),
    },
    ...(policy === 'public' ? {} : { security: [{ [BEARER_SCHEME]: [] }] }),
    responses,
  });
  const checking = process.env.API_CHECK_RESPONSES === '1';

  const run = async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (checking) checkResponses(spec.operationId, responses, spec.checkStatuses ?? [], res);
      // ZodErrors reach the error handler, which answers 400 with the field paths.
      const params = (spec.params ? spec.params.parse(req.params) : undefined) as Parsed<P>;
      const query = (spec.query ? spec.query.parse(req.query) : undefined) as Parsed<Q>;
      const body = (jsonBody ? jsonBody.schema.parse(req.body ?? {}) : undefined) as ParsedBody<B>;
      await handler({ params, query, body }, req, res);
    } catch (err) {
      next(err);
    }
  };
  // The route label of the request metrics: the template, never the URL with its ids.
  const label: RequestHandler = markDeclared((_req, res, next) => {
    res.locals[ROUTE_TEMPLATE] = spec.path;
    next();
  });
  // The policy runs before `before`: an unauthenticated caller cannot make us read a body.
  router[spec.method](expressPath(spec.path), label, guard, ...(spec.before ?? []), run);
}
