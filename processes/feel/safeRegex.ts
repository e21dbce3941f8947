/**
 * FEEL's regular-expression functions (`matches`, `replace`, `split`) on RE2 (re2js): matching
 * time is linear in the input, so a catastrophic pattern such as `(a+)+$` cannot hang a
 * workflow task (issue 12). They take the place of feelin's built-ins (which use JavaScript's
 * backtracking RegExp) when evaluation runs with limits. RE2 syntax: no backreferences and no
 * lookaround; a pattern RE2 cannot compile, or an unsupported flag, is an evaluation error.
 */
import { RE2JS } from 're2js';

type FeelFn = ((...args: unknown[]) => unknown) & { $args: string[] };

function named(names: string[], fn: (...args: unknown[]) => unknown): FeelFn {
  return Object.assign(fn, { $args: names });
}

function compile(fnName: string, pattern: unknown, flags: unknown): RE2JS {
  if (typeof pattern !== 'string') throw new Error(`${fnName}(): the pattern must be a string`);
  let bits = 0;
  for (const flag of typeof flags === 'string' ? flags : '') {
    if (flag === 'i') bits |= RE2JS.CASE_INSENSITIVE;
    else if (flag === 's') bits |= RE2JS.DOTALL;
    else if (flag === 'm') bits |= RE2JS.MULTILINE;
    else throw new Error(`${fnName}(): flag '${flag}' is not supported`);
  }
  try {
    return RE2JS.compile(pattern, bits);
  } catch (err) {
    throw new Error(`${fnName}(): pattern '${pattern.slice(0, 100)}' is not a valid RE2 expression (${err instanceof Error ? err.message : String(err)})`);
  }
}

function text(fnName: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`${fnName}(): the input must be a string`);
  return value;
}

/** Context entries that shadow feelin's regex built-ins. */
export const SAFE_REGEX_FUNCTIONS: Readonly<Record<string, FeelFn>> = {
  matches: named(['input', 'pattern', 'flags'], (input, pattern, flags) => compile('matches', pattern, flags).matcher(text('matches', input)).find()),
  replace: named(['input', 'pattern', 'replacement', 'flags'], (input, pattern, replacement, flags) => {
    const re = compile('replace', pattern, flags);
    // FEEL's $0 is the whole match (JavaScript's $&), as feelin does.
    return re.matcher(text('replace', input)).replaceAll(text('replace', replacement).replace(/\$0/g, '$$&'));
  }),
  split: named(['string', 'delimiter'], (input, delimiter) => compile('split', delimiter, '').split(text('split', input), -1)),
};
