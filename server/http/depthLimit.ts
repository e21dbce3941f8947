/**
 * Refuses JSON bodies nested deeper than a limit (LIMIT_VARIABLE_DEPTH) with a 400 that names
 * the field path, before any handler walks them: 8,000-deep variables answered 500 (issue 12).
 * Measured without recursion.
 */
import type { RequestHandler } from 'express';
import { Invalid } from '../domain/errors';

/** The path of the first value nested deeper than `maxDepth`, or null. */
export function overDeep(value: unknown, maxDepth: number): string | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.value === null || typeof top.value !== 'object') continue;
    if (top.depth >= maxDepth) return top.path || '(body)';
    const entries: Array<[string, unknown]> = Array.isArray(top.value)
      ? top.value.map((v, i) => [String(i), v])
      : Object.entries(top.value as Record<string, unknown>);
    for (const [key, v] of entries) {
      if (v !== null && typeof v === 'object') stack.push({ value: v, depth: top.depth + 1, path: top.path ? `${top.path}.${key}` : key });
    }
  }
  return null;
}

export function jsonDepthLimit(maxDepth: number): RequestHandler {
  return (req, _res, next) => {
    const path = overDeep(req.body, maxDepth);
    if (path === null) {
      next();
      return;
    }
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    next(new Invalid('invalid_request', `The body nests deeper than ${maxDepth} levels`, {
      fields: [{ path: shown, message: `nested deeper than ${maxDepth} levels (LIMIT_VARIABLE_DEPTH)` }],
    }));
  };
}
