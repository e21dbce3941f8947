import { jobActivityOptions, JobFailureType } from '../../../activities/jobContract';
import { httpRequestManifest } from '../../../activities/integrations/http-request/manifest';

describe('jobActivityOptions', () => {
  it("uses the integration's timeout, backoff and default attempts", () => {
    // when
    const options = jobActivityOptions('http.request');

    // then
    expect(options.startToCloseTimeout).toBe(httpRequestManifest.defaults.startToCloseTimeoutMs);
    expect(options.retry).toEqual({
      maximumAttempts: httpRequestManifest.defaults.retries,
      initialInterval: httpRequestManifest.defaults.retryInitialIntervalMs,
      backoffCoefficient: httpRequestManifest.defaults.retryBackoff,
      nonRetryableErrorTypes: expect.arrayContaining([JobFailureType.BpmnError, JobFailureType.InvalidInput, JobFailureType.UnknownTaskType]),
    });
  });

  it("lets the diagram's retries override the default", () => {
    // when
    const options = jobActivityOptions('http.request', 7);

    // then
    expect(options.retry?.maximumAttempts).toBe(7);
  });

  it('never turns retries 0 into unlimited attempts', () => {
    // when
    const options = jobActivityOptions('variables.set', 0);

    // then
    expect(options.retry?.maximumAttempts).toBe(1);
  });

  it('falls back to finite defaults for a type outside the catalog', () => {
    // when
    const options = jobActivityOptions('no.such.type');

    // then
    expect(options.startToCloseTimeout).toBe(60_000);
    expect(options.retry?.maximumAttempts).toBe(3);
  });
});
