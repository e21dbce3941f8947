/**
 * What a conformance run must find beyond "compiles or is refused element-precisely":
 * how many files there are and, for chosen files, problems that must (or must only) be
 * reported. Kept as JSON beside the tests (tests/conformance/*.json), passed with --expect.
 */
import { z } from 'zod';

const problemExpectation = z
  .object({
    elementId: z.string().nullable(),
    elementType: z.string().optional(),
    /** The whole message; or its beginning, for messages that list changing things. */
    message: z.string().optional(),
    messageStartsWith: z.string().optional(),
  })
  .strict()
  .refine((p) => (p.message === undefined) !== (p.messageStartsWith === undefined), {
    message: 'give exactly one of message and messageStartsWith',
  });

const fileExpectation = z
  .object({
    $comment: z.string().optional(),
    status: z.enum(['compiled', 'refused']).optional(),
    /** Each of these must be among the file's error problems. */
    errorsInclude: z.array(problemExpectation).optional(),
    /** The file's error problems are exactly these, in this order. */
    errors: z.array(problemExpectation).optional(),
    /** Compiled again with the task-type check off, the file compiles to these processes. */
    withoutTaskTypeCheck: z.object({ processes: z.array(z.string()) }).strict().optional(),
  })
  .strict();

export const expectationsSchema = z
  .object({
    $comment: z.string().optional(),
    /** How many .bpmn files the folders hold together. */
    files: z.number().int().nonnegative().optional(),
    /** Keyed by the file's path relative to the folder it was found in. */
    expect: z.record(z.string(), fileExpectation).default({}),
  })
  .strict();

export type ProblemExpectation = z.infer<typeof problemExpectation>;
export type FileExpectation = z.infer<typeof fileExpectation>;
export type Expectations = z.infer<typeof expectationsSchema>;

/** Parses an expectations document; throws an Error naming each bad path. */
export function parseExpectations(text: string): Expectations {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = expectationsSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}
