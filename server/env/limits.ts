/** Configuration: deploy and execution limits (docs/security.md, "Execution limits"). */
import { z } from 'zod';

export const limitsEnv = {
  BPMN_MAX_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  /** Execution limits (docs/security.md, "Execution limits"). Flow-node elements in one deployed process. */
  BPMN_MAX_ELEMENTS: z.coerce.number().int().min(10).default(5000),
  /** Largest compiled model (JSON bytes) a deployment may store: it travels in the workflow input, which Temporal caps at 2 MB. */
  BPMN_MAX_MODEL_BYTES: z.coerce.number().int().min(1024).max(1900 * 1024).default(1536 * 1024),
  /** Element activations within one workflow step before the next one becomes a LIMIT_EXCEEDED incident. */
  LIMIT_STEP_ACTIVATIONS: z.coerce.number().int().min(10).default(10_000),
  /** Live element instances in one process instance (parallel fan-out). */
  LIMIT_LIVE_ELEMENTS: z.coerce.number().int().min(10).default(2000),
  /** Items of a multi-instance input collection. */
  LIMIT_MULTI_INSTANCE: z.coerce.number().int().min(1).default(1000),
  /** Deepest chain of call activities. */
  LIMIT_CALL_DEPTH: z.coerce.number().int().min(1).max(100).default(5),
  /** FEEL: deepest bracket nesting, most iterations of one for/some/every, longest result string, most result items. */
  LIMIT_FEEL_DEPTH: z.coerce.number().int().min(4).max(1000).default(64),
  LIMIT_FEEL_ITERATIONS: z.coerce.number().int().min(10).default(100_000),
  LIMIT_FEEL_STRING_LENGTH: z.coerce.number().int().min(1000).default(1_000_000),
  LIMIT_FEEL_RESULT_ITEMS: z.coerce.number().int().min(10).default(100_000),
  /** Longest a deployment may compile (on its worker thread) before it is refused with 413. */
  COMPILE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Shortest interval of a repeating timer (R/PT…): shorter static ones are refused at deploy, FEEL ones become an incident. */
  TIMER_MIN_CYCLE_SECONDS: z.coerce.number().min(1).max(86_400).default(1),
  /** Deepest nesting of objects/arrays in request variables (deeper: 400). */
  LIMIT_VARIABLE_DEPTH: z.coerce.number().int().min(2).max(1000).default(32),
  /** How long DELETE /api/instances/{id} waits for the workflow to take the cancel before it terminates it (ms). */
  CANCEL_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
};
