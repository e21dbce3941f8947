/**
 * Every `/api` route goes through addRoute (decision 0048): that is what documents it in the
 * OpenAPI file, puts it under an access policy and checks its answers. A route an express router
 * declares directly would serve requests with none of that, so start-up refuses it, naming it.
 * addRoute marks the handler it puts first in each route; this walks the app's routers for any
 * route without it.
 */
import type { Express, RequestHandler } from 'express';

const declared = new WeakSet<RequestHandler>();

/** Marks `handler` as the first handler of a route declared by addRoute. */
export function markDeclared(handler: RequestHandler): RequestHandler {
  declared.add(handler);
  return handler;
}

interface Layer {
  route?: { path: unknown; methods?: Record<string, boolean>; stack: Array<{ handle: unknown }> };
  handle?: { stack?: Layer[] };
}

/** The `/api` routes (method and path) no addRoute declared. */
export function undeclaredApiRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      const route = layer.route;
      if (route) {
        const path = String(route.path);
        if (path.startsWith('/api') && !route.stack.some((s) => declared.has(s.handle as RequestHandler))) {
          const methods = Object.keys(route.methods ?? {}).map((m) => m.toUpperCase()).join(',') || 'ALL';
          found.push(`${methods} ${path}`);
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

/** Throws at start-up when a route under `/api` was not declared with addRoute. */
export function assertEveryApiRouteDeclared(app: Express): void {
  const undeclared = undeclaredApiRoutes(app);
  if (undeclared.length) {
    throw new Error(`routes under /api must be declared with addRoute (server/http/route.ts), so they are documented, authorized and checked: ${undeclared.join('; ')}`);
  }
}
