/**
 * Bounds on FEEL evaluation (issue 12). feelin runs in the workflow sandbox, where no
 * clock may stop it, so the bounds are structural and deterministic: nesting depth of the
 * source (checked before parsing), iterations of `for`/`some`/`every` over numeric ranges
 * (their bounds are evaluated first), and the size of the result.
 */
import { evaluate, parseExpression } from 'feelin';

export interface FeelLimits {
  /** Deepest nesting of ( [ { in one expression. */
  maxNestingDepth: number;
  /** Most iterations of one `for`/`some`/`every` over numeric ranges (the product of its ranges). */
  maxIterations: number;
  /** Longest string in a result. */
  maxStringLength: number;
  /** Most items (list entries, context entries) in a result, nested ones counted. */
  maxResultItems: number;
}

export const DEFAULT_FEEL_LIMITS: FeelLimits = {
  maxNestingDepth: 64,
  maxIterations: 100_000,
  maxStringLength: 1_000_000,
  maxResultItems: 100_000,
};

/** Deepest bracket nesting outside string literals; stops counting past `stopAt`. */
export function nestingDepth(source: string, stopAt = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i += 1;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 40 || c === 91 || c === 123) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAt) return deepest;
      }
    } else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return deepest;
}

/** An error when `source` nests deeper than the limit, before anything parses it. */
export function depthError(source: string, limits: FeelLimits): string | null {
  return nestingDepth(source, limits.maxNestingDepth) > limits.maxNestingDepth
    ? `expression nests deeper than the limit of ${limits.maxNestingDepth} brackets`
    : null;
}

interface Node {
  name: string;
  from: number;
  to: number;
  children: Node[];
}

/**
 * Iteration over numeric ranges: each `for`/`some`/`every` multiplies the sizes of its
 * ranges whose bounds evaluate in `context` (a bound that reads a loop variable of the
 * same expression is not known in advance and is not counted). Only called when the source
 * contains `..`; parse cost is then paid twice.
 */
export function iterationError(source: string, context: Record<string, unknown>, limits: FeelLimits): string | null {
  if (!source.includes('..')) return null;
  const root = tree(source, context);
  if (!root) return null;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    stack.push(...node.children);
    if (node.name !== 'ForExpression' && node.name !== 'QuantifiedExpression') continue;
    let product = 1;
    const ranges = node.children.filter((c) => c.name === 'InExpressions').flatMap((c) => c.children)
      .flatMap((inExpr) => inExpr.children.filter((c) => c.name === 'IterationContext'));
    for (const range of ranges) {
      const [start, dots, end] = range.children;
      if (!start || !end || dots?.name !== '..') continue;
      const a = boundValue(source.slice(start.from, start.to), context);
      const b = boundValue(source.slice(end.from, end.to), context);
      if (a === null || b === null) continue;
      product *= Math.abs(b - a) + 1;
      if (product > limits.maxIterations) {
        return `'${source.slice(node.from, Math.min(node.to, node.from + 80))}' would iterate ${product > 1e15 ? 'more than 10^15' : product} times; the limit is ${limits.maxIterations}`;
      }
    }
  }
  return null;
}

function boundValue(source: string, context: Record<string, unknown>): number | null {
  try {
    const { value, warnings } = evaluate(source, context) as { value: unknown; warnings: unknown[] };
    return warnings.length === 0 && typeof value === 'number' && Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

function tree(source: string, context: Record<string, unknown>): Node | null {
  try {
    const root: Node = { name: 'root', from: 0, to: source.length, children: [] };
    const open: Node[] = [root];
    parseExpression(source, context, undefined).iterate({
      enter(n: { type: { name: string }; from: number; to: number }) {
        const node: Node = { name: n.type.name, from: n.from, to: n.to, children: [] };
        open[open.length - 1]!.children.push(node);
        open.push(node);
      },
      leave() {
        open.pop();
      },
    });
    return root;
  } catch {
    return null;
  }
}

/** An error when a result holds a string or more items than the limits allow. */
export function resultSizeError(value: unknown, limits: FeelLimits): string | null {
  let items = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) return `result holds a string of ${v.length} characters; the limit is ${limits.maxStringLength}`;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const entries = Array.isArray(v) ? v : isPlainObject(v) ? Object.values(v) : null;
    if (entries === null) continue;
    items += entries.length;
    if (items > limits.maxResultItems) return `result holds more than ${limits.maxResultItems} items`;
    for (const e of entries) stack.push(e);
  }
  return null;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
