/**
 * The integration contract: what one catalog entry declares (manifest) and does (run).
 *
 * The manifest half is plain data with no runtime imports, so workflow code can read
 * timeouts and retry defaults without bundling integration code (see jobContract.ts).
 */
import type { z } from 'zod';
import type { ComplaintsPort } from '../integrations/complaintsPort';
import type { DirectoryPort } from '../integrations/directoryPort';
import type { DecisionsPort } from '../integrations/decisionsPort';

/** Activity timeout and retry defaults; a diagram's `zeebe:taskDefinition retries` overrides `retries`. */
export interface IntegrationDefaults {
  startToCloseTimeoutMs: number;
  /** Total attempts (Zeebe's meaning of `retries`); at least 1. */
  retries: number;
  retryInitialIntervalMs?: number;
  retryBackoff?: number;
  /**
   * Runs as a Temporal local activity, inside the workflow task that schedules it (decision
   * 0061): for short work on this service's own database only (the complaint store, the
   * directory, deployed decisions), never for calls leaving the service. It saves the activity
   * task's round trip through the Temporal server and a workflow task per job.
   */
  local?: boolean;
}

export type TemplateFieldType = 'string' | 'number' | 'boolean' | 'dropdown';

/** Where the modeler writes a field's value: a job input variable or a static task header. */
export type TemplateBinding =
  | { type: 'zeebe:input'; name: string }
  | { type: 'zeebe:taskHeader'; key: string };

/** One field of the Camunda element template generated for an integration. */
export interface TemplateField {
  name: string;
  label: string;
  type: TemplateFieldType;
  binding: TemplateBinding;
  description?: string;
  optional?: boolean;
  /** Whether the modeler offers (`optional`) or forces (`required`) a FEEL expression. */
  feel?: 'optional' | 'required';
  /** Only for `dropdown`. */
  choices?: Array<{ name: string; value: string }>;
}

/** The declarative half of an integration: everything but schemas and code. */
export interface IntegrationManifest {
  /** `zeebe:taskDefinition type`, e.g. `http.request`. */
  type: string;
  /** One line, shown in the modeler's template chooser. */
  description: string;
  defaults: IntegrationDefaults;
  templateFields?: TemplateField[];
}

/** Named secrets; integrations get them by name and must never log them. */
export interface CredentialStore {
  get(name: string): Readonly<Record<string, string>> | undefined;
}

/** Everything an integration may use besides its input. Built by `integrationDeps()`. */
export interface IntegrationDeps {
  /** HTTP_ALLOWED_HOSTS: the only hosts outbound HTTP may reach. Empty = none. */
  allowedHosts: readonly string[];
  fetch: typeof globalThis.fetch;
  credentials: CredentialStore;
  /** Cap on a response body read into memory. */
  maxResponseBytes: number;
  /** The complaints store, for the `complaint.*` integrations (absent: they fail at once). */
  complaints?: ComplaintsPort;
  /** The staff directory, for `dispatch.recommend` (absent: it fails at once with NotConfigured). */
  directory?: DirectoryPort;
  /** Deployed DMN decisions, for business rule tasks with zeebe:calledDecision (absent: they fail at once). */
  decisions?: DecisionsPort;
}

export interface IntegrationContext {
  /** `${workflowId}:activation-${elementInstanceKey}` (older histories: `${workflowId}:${jobKey}`): stable across retries of the job and the jobs a resolved incident reissues; unique per element activation. */
  idempotencyKey: string;
  /** The task's static `zeebe:taskHeader` values. */
  headers: Readonly<Record<string, string>>;
  /** Aborted when the activity is cancelled. */
  signal: AbortSignal;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  deps: IntegrationDeps;
}

export interface Integration<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType>
  extends IntegrationManifest {
  input: I;
  output: O;
  /**
   * Does the work. Throw BpmnError for a business outcome the diagram catches,
   * PermanentError for a failure retrying cannot fix, anything else to be retried.
   */
  run(input: z.infer<I>, ctx: IntegrationContext): Promise<z.infer<O>>;
}

/** Identity helper so `run` gets its parameter types inferred from the schemas. */
export function defineIntegration<I extends z.ZodType, O extends z.ZodType>(
  integration: Integration<I, O>,
): Integration<I, O> {
  return integration;
}
