/**
 * A small job worker client for the job API (docs/integrations.md): `JobClient` wraps the
 * HTTP calls, `startJobWorker` runs the activate → handle → complete/fail/error loop. It needs
 * only `fetch` (Node 18+, browsers, Deno) and imports nothing at run time, so an integration
 * may copy it; any other language does the same with five HTTP calls.
 *
 * Handler contract: return variables (or nothing) to complete the job; throw `JobError` to
 * throw a BPMN error by code; throw anything else to fail the attempt (retries - 1, after
 * `retryBackOff`; the last failure raises an incident an operator resolves).
 */
export interface ActivatedJob {
  jobKey: string;
  type: string;
  processInstanceId: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  /** Epoch ms when the lock ends. */
  deadline: number;
  variables: Record<string, unknown>;
}

export interface ActivateJobsRequest {
  type: string;
  worker?: string;
  /** Lock duration (ms). */
  timeout: number;
  maxJobsToActivate: number;
  fetchVariable?: string[];
  /** Long poll (ms); 0: the server's default (10 s); -1: answer at once. */
  requestTimeout?: number;
}

/** A BPMN error for the diagram to catch (error boundary or event subprocess with this code). */
export class JobError extends Error {
  constructor(readonly errorCode: string, message?: string, readonly variables?: Record<string, unknown>) {
    super(message ?? errorCode);
    this.name = 'JobError';
  }
}

/** An answer other than 2xx: `status` and the API's `{ error, message }`. */
export class JobApiError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`job API answered ${status}: ${typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : String(body)}`);
    this.name = 'JobApiError';
  }
}

export interface JobClientOptions {
  /** Where the service listens, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Bearer token of a user with the `integration` role (POST /api/auth/login). */
  token: string;
  fetch?: typeof fetch;
}

export class JobClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: JobClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  private async call<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new JobApiError(res.status, parsed);
    return parsed as T;
  }

  private static path(jobKey: string, action = ''): string {
    return `/api/jobs/${encodeURIComponent(jobKey)}${action}`;
  }

  async activate(request: ActivateJobsRequest, signal?: AbortSignal): Promise<ActivatedJob[]> {
    return (await this.call<{ jobs: ActivatedJob[] }>('POST', '/api/jobs/activation', request, signal)).jobs;
  }

  /** `result`: for the job of an ad-hoc subprocess in job-worker mode (docs/integrations.md). */
  async complete(jobKey: string, variables: Record<string, unknown> = {}, result?: {
    type: 'adHocSubProcess';
    activateElements?: Array<{ elementId: string; variables?: Record<string, unknown> }>;
    isCompletionConditionFulfilled?: boolean;
    isCancelRemainingInstances?: boolean;
  }): Promise<void> {
    await this.call('POST', JobClient.path(jobKey, '/completion'), { variables, ...(result ? { result } : {}) });
  }

  async fail(jobKey: string, failure: { retries: number; errorMessage?: string; retryBackOff?: number }): Promise<void> {
    await this.call('POST', JobClient.path(jobKey, '/failure'), failure);
  }

  async throwError(jobKey: string, error: { errorCode: string; errorMessage?: string; variables?: Record<string, unknown> }): Promise<void> {
    await this.call('POST', JobClient.path(jobKey, '/error'), error);
  }

  async update(jobKey: string, changeset: { retries?: number; timeout?: number }): Promise<void> {
    await this.call('PATCH', JobClient.path(jobKey), { changeset });
  }
}

export interface JobWorkerOptions {
  type: string;
  /** Shown on the jobs it holds. */
  worker?: string;
  /** Lock duration (ms), default 30 s: finish a job within it or it is handed out again. */
  timeout?: number;
  maxJobsToActivate?: number;
  fetchVariable?: string[];
  /** Long poll per activation (ms), default 10 s. */
  requestTimeout?: number;
  /** Backoff after a failed attempt (ms), default 1 s. */
  retryBackOff?: number;
  handler: (job: ActivatedJob) => Promise<Record<string, unknown> | void>;
  /** Told of API errors the loop survives (it waits and tries again). */
  onError?: (err: unknown) => void;
}

export interface JobWorker {
  /** Ends the loop after the jobs in hand are reported. */
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); });

/** Activates, handles and reports jobs of one type until stopped. */
export function startJobWorker(client: JobClient, options: JobWorkerOptions): JobWorker {
  const abort = new AbortController();
  let running = true;

  const report = async (job: ActivatedJob): Promise<void> => {
    try {
      const variables = await options.handler(job);
      await client.complete(job.jobKey, variables ?? {});
    } catch (err) {
      if (err instanceof JobApiError) throw err;
      if (err instanceof JobError) {
        await client.throwError(job.jobKey, { errorCode: err.errorCode, errorMessage: err.message, ...(err.variables ? { variables: err.variables } : {}) });
      } else {
        await client.fail(job.jobKey, {
          retries: Math.max(0, job.retries - 1),
          errorMessage: err instanceof Error ? err.message : String(err),
          retryBackOff: options.retryBackOff ?? 1000,
        });
      }
    }
  };

  const loop = (async () => {
    while (running) {
      try {
        const jobs = await client.activate({
          type: options.type,
          worker: options.worker ?? 'job-worker',
          timeout: options.timeout ?? 30_000,
          maxJobsToActivate: options.maxJobsToActivate ?? 8,
          requestTimeout: options.requestTimeout ?? 10_000,
          ...(options.fetchVariable ? { fetchVariable: options.fetchVariable } : {}),
        }, abort.signal);
        const results = await Promise.allSettled(jobs.map(report));
        for (const r of results) if (r.status === 'rejected') options.onError?.(r.reason);
      } catch (err) {
        if (!running) break;
        options.onError?.(err);
        await pause(1000);
      }
    }
  })();

  return {
    async stop() {
      running = false;
      abort.abort();
      await loop;
    },
  };
}
