import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { BpmnError, PermanentError } from '../../../activities/catalog/errors';
import type { IntegrationContext } from '../../../activities/catalog/types';
import { defineIntegration } from '../../../activities/catalog/types';
import { failureOf, jobHarness } from './support/jobs';

const defaults = { startToCloseTimeoutMs: 1_000, retries: 1 };

/** Test-only integrations, injected in place of the catalog. */
function probeIntegration(run: (input: { n: number }, ctx: IntegrationContext) => Promise<unknown>) {
  return defineIntegration({
    type: 'test.probe',
    description: 'test',
    defaults,
    input: z.object({ n: z.number() }),
    output: z.object({ doubled: z.number() }),
    run: run as (input: { n: number }, ctx: IntegrationContext) => Promise<{ doubled: number }>,
  });
}

describe('runJob', () => {
  it('runs variables.set from the catalog and returns its variables', async () => {
    // given
    const { run } = jobHarness();

    // when
    const result = await run({ taskType: 'variables.set', variables: { variables: { status: 'open', score: 3 } } });

    // then
    expect(result).toEqual({ variables: { status: 'open', score: 3 } });
  });

  it('hands the integration its idempotency key, task headers, cancellation signal and deps', async () => {
    // given
    let seen: IntegrationContext | undefined;
    const integration = probeIntegration(async (input, ctx) => {
      seen = ctx;
      return { doubled: input.n * 2 };
    });
    const { run } = jobHarness({ allowedHosts: ['api.example.com'] }, { integrations: [integration] });

    // when
    const result = await run({ taskType: 'test.probe', workflowId: 'complaint-9', jobKey: '42', variables: { n: 21 }, headers: { tier: 'gold' } });

    // then
    expect(result).toEqual({ variables: { doubled: 42 } });
    expect(seen?.idempotencyKey).toBe('complaint-9:42');
    expect(seen?.headers).toEqual({ tier: 'gold' });
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    expect(seen?.deps.allowedHosts).toEqual(['api.example.com']);
  });

  it('fails an unknown task type without retry', async () => {
    // given
    const { run } = jobHarness();

    // when
    const failure = await failureOf(run({ taskType: 'mail.send', elementId: 'Notify' }));

    // then
    expect(failure).toMatchObject({ type: 'UnknownTaskType', nonRetryable: true });
    expect(failure.message).toContain("'mail.send' at element 'Notify'");
  });

  it('rejects invalid input without retry, listing every field path', async () => {
    // given
    const { run } = jobHarness({ allowedHosts: ['api.example.com'] });

    // when
    const failure = await failureOf(run({
      taskType: 'http.request',
      variables: { url: 'ftp://api.example.com', method: 'FETCH', headers: { 'X-Ok': 1 } },
    }));

    // then
    expect(failure).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(failure.message).toMatch(/url: /);
    expect(failure.message).toMatch(/method: /);
    expect(failure.message).toMatch(/headers\.X-Ok: /);
    const [details] = failure.details as [{ issues: Array<{ path: string }> }];
    expect(details.issues.map((i) => i.path).sort()).toEqual(['headers.X-Ok', 'method', 'url']);
  });

  it('rejects a GET with a body at the body path', async () => {
    // given
    const { run } = jobHarness({ allowedHosts: ['api.example.com'] });

    // when
    const failure = await failureOf(run({ taskType: 'http.request', variables: { url: 'https://api.example.com', body: { a: 1 } } }));

    // then
    expect(failure.type).toBe('InvalidInput');
    expect(failure.message).toContain('body: a GET request has no body');
  });

  it('rejects output that breaks the schema, naming the path', async () => {
    // given
    const integration = probeIntegration(async () => ({ doubled: 'two' }));
    const { run } = jobHarness({}, { integrations: [integration] });

    // when
    const failure = await failureOf(run({ taskType: 'test.probe', variables: { n: 1 } }));

    // then
    expect(failure).toMatchObject({ type: 'InvalidOutput', nonRetryable: true });
    expect(failure.message).toMatch(/doubled: /);
  });

  it('rejects output that is not an object of variables', async () => {
    // given
    const integration = defineIntegration({
      type: 'test.list', description: 'test', defaults,
      input: z.object({}), output: z.array(z.number()),
      run: async () => [1, 2],
    });
    const { run } = jobHarness({}, { integrations: [integration] });

    // when
    const failure = await failureOf(run({ taskType: 'test.list' }));

    // then
    expect(failure).toMatchObject({ type: 'InvalidOutput', nonRetryable: true });
  });

  it('turns a BpmnError into a non-retryable BpmnError failure carrying code, message and variables', async () => {
    // given
    const integration = probeIntegration(async () => {
      throw new BpmnError('CUSTOMER_UNKNOWN', 'no customer 17', { customerId: 17 });
    });
    const { run } = jobHarness({}, { integrations: [integration] });

    // when
    const failure = await failureOf(run({ taskType: 'test.probe', variables: { n: 1 } }));

    // then
    expect(failure).toMatchObject({ type: 'BpmnError', nonRetryable: true, message: 'no customer 17' });
    expect(failure.details).toEqual([{ errorCode: 'CUSTOMER_UNKNOWN', message: 'no customer 17', variables: { customerId: 17 } }]);
  });

  it('turns a PermanentError into a non-retryable failure of its own type', async () => {
    // given
    const integration = probeIntegration(async () => {
      throw new PermanentError('QuotaExhausted', 'monthly quota used up', { quota: 100 });
    });
    const { run } = jobHarness({}, { integrations: [integration] });

    // when
    const failure = await failureOf(run({ taskType: 'test.probe', variables: { n: 1 } }));

    // then
    expect(failure).toMatchObject({ type: 'QuotaExhausted', nonRetryable: true, details: [{ quota: 100 }] });
  });

  it('lets any other error through to be retried', async () => {
    // given
    const integration = probeIntegration(async () => {
      throw new Error('socket hang up');
    });
    const { run } = jobHarness({}, { integrations: [integration] });

    // when
    const error: unknown = await run({ taskType: 'test.probe', variables: { n: 1 } }).catch((e: unknown) => e);

    // then
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect((error as Error).message).toBe('socket hang up');
  });
});
