/**
 * One declaration per operation: the same spec mounts the express handler (validating path
 * and query parameters with its zod schemas) and registers the operation in the OpenAPI
 * registry. A route cannot exist without its documentation, nor document other schemas, nor
 * without an access policy: the operationId is looked up in server/auth/policy.ts (throwing
 * here, at start-up, when it has none) and enforced before anything else runs.
 */
import type { OpenAPIRegistry, ResponseConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { checkPolicy } from '../auth/middleware';
import { CUSTOMER_LINK_OPERATIONS, policyFor } from '../auth/policy';
import { ROUTE_TEMPLATE } from '../metrics';
import { errorResponse } from './responses';

type ParamSchema = z.ZodObject;

export interface RouteSpec<P extends ParamSchema | undefined, Q extends ParamSchema | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style, with `{name}` for path parameters: `/api/definitions/{key}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: P;
  query?: Q;
  /** Documentation of the body; its parsing belongs to `before`. */
  body?: ZodRequestBody;
  responses: Record<number, ResponseConfig>;
  /** Middleware that runs before validation, e.g. a body parser. */
  before?: RequestHandler[];
}

type Parsed<S> = S extends ParamSchema ? z.output<S> : undefined;

export interface RouteInput<P, Q> {
  params: P;
  query: Q;
}

export type RouteHandler<P, Q> = (input: RouteInput<P, Q>, req: Request, res: Response) => Promise<void> | void;

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

export function addRoute<P extends ParamSchema | undefined = undefined, Q extends ParamSchema | undefined = undefined>(
  router: Router,
  registry: OpenAPIRegistry,
  spec: RouteSpec<P, Q>,
  handler: RouteHandler<Parsed<P>, Parsed<Q>>,
): void {
  // First: an operation without a policy must stop start-up, not answer requests.
  const policy = policyFor(spec.operationId);
  const guard = checkPolicy(policy, spec.operationId);
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
      ...(spec.body ? { body: spec.body } : {}),
    },
    ...(policy === 'public' ? {} : { security: [{ [BEARER_SCHEME]: [] }] }),
    responses: { ...accessResponses(policy, spec.operationId), ...spec.responses },
  });

  const run = async (req: Request, res: Response, next: NextFunction) => {
    try {
      // ZodErrors reach the error handler, which answers 400 with the field paths.
      const params = (spec.params ? spec.params.parse(req.params) : undefined) as Parsed<P>;
      const query = (spec.query ? spec.query.parse(req.query) : undefined) as Parsed<Q>;
      await handler({ params, query }, req, res);
    } catch (err) {
      next(err);
    }
  };
  // The route label of the request metrics: the template, never the URL with its ids.
  const label: RequestHandler = (_req, res, next) => {
    res.locals[ROUTE_TEMPLATE] = spec.path;
    next();
  };
  // The policy runs before `before`: an unauthenticated caller cannot make us read a body.
  router[spec.method](expressPath(spec.path), label, guard, ...(spec.before ?? []), run);
}
