import { jobActivityOptions, JobFailureType, runsLocally } from '../../../activities/jobContract';
import { catalogManifests } from '../../../activities/catalog/manifests';
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

describe('runsLocally (decision 0061)', () => {
  it('runs only the integrations on our own database as local activities, never one that calls out of the service', () => {
    // when
    const local = catalogManifests.filter((m) => runsLocally(m.type)).map((m) => m.type).sort();

    // then
    expect(local).toEqual(['complaint.check-commitments', 'complaint.classify', 'complaint.engineer-offer', 'complaint.fulfil-commitment', 'complaint.record', 'dispatch.recommend', 'variables.set']);
    expect(catalogManifests.filter((m) => /^(notify|http)\.|notify-/.test(m.type)).some((m) => runsLocally(m.type))).toBe(false);
    expect(runsLocally('no.such.type')).toBe(false);
  });
});
