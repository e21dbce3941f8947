import { ApplicationFailure } from '@temporalio/common';
import { jobOutcome } from '../../../activities/runJob';
import { Registry } from 'prom-client';
import { isScrapeToken, registerSealBacklog, routeLabel, ROUTE_TEMPLATE } from '../../../server/metrics';
import { instanceTransitions } from '../../../server/projections/writer';

const incident = (id: string, type: string) => ({ id, elementId: 'e', type, message: 'm', createdAt: 0 });

describe('instanceTransitions', () => {
  it('counts a first write as a start, and an already ended first write as an end too', () => {
    // when
    const changed = instanceTransitions({ kind: 'inserted' }, { status: 'completed', incidents: [] });
    // then
    expect(changed).toEqual({ started: true, ended: 'completed', incidents: [] });
  });

  it('counts the end only when the stored status was active', () => {
    // given
    const snapshot = { status: 'canceled' as const, incidents: [] };
    // when
    const fromActive = instanceTransitions({ kind: 'updated', doc: { status: 'active' } }, snapshot);
    const fromEnded = instanceTransitions({ kind: 'updated', doc: { status: 'canceled' } }, snapshot);
    // then
    expect([fromActive.ended, fromEnded.ended]).toEqual(['canceled', undefined]);
  });

  it('counts only incidents the stored document did not have', () => {
    // when
    const changed = instanceTransitions(
      { kind: 'updated', doc: { status: 'active', incidents: [{ id: 'i1' }] } },
      { status: 'active', incidents: [incident('i1', 'JobFailed'), incident('i2', 'FeelError')] },
    );
    // then
    expect(changed).toEqual({ started: false, ended: undefined, incidents: ['FeelError'] });
  });

  it('counts nothing for a skipped (older or replayed) snapshot', () => {
    // when
    const changed = instanceTransitions({ kind: 'skipped' }, { status: 'completed', incidents: [incident('i1', 'JobFailed')] });
    // then
    expect(changed).toEqual({ started: false, ended: undefined, incidents: [] });
  });
});

describe('routeLabel', () => {
  it('prefers the template addRoute recorded, then the express route, else unmatched', () => {
    // when
    const labels = [
      routeLabel({ baseUrl: '', route: { path: '/api/instances/:id' } }, { locals: { [ROUTE_TEMPLATE]: '/api/instances/{id}' } }),
      routeLabel({ baseUrl: '', route: { path: '/api/health' } }, { locals: {} }),
      routeLabel({ baseUrl: '', route: undefined }, { locals: {} }),
    ];
    // then
    expect(labels).toEqual(['/api/instances/{id}', '/api/health', 'unmatched']);
  });
});

describe('isScrapeToken', () => {
  it('accepts exactly the configured bearer token', () => {
    // given
    const token = 'scrape-token-0123456789';
    // then
    expect(isScrapeToken(`Bearer ${token}`, token)).toBe(true);
    expect(isScrapeToken(`Bearer ${token}x`, token)).toBe(false);
    expect(isScrapeToken(token, token)).toBe(false);
    expect(isScrapeToken(undefined, token)).toBe(false);
    expect(isScrapeToken(`Bearer ${token}`, undefined)).toBe(false);
  });
});

describe('jobOutcome', () => {
  it('maps failures to a fixed set of outcomes', () => {
    // when
    const outcomes = [
      jobOutcome(ApplicationFailure.create({ type: 'BpmnError', nonRetryable: true }), false),
      jobOutcome(ApplicationFailure.create({ type: 'HttpClientError', nonRetryable: true }), false),
      jobOutcome(ApplicationFailure.create({ type: 'HttpServerError', nonRetryable: false }), false),
      jobOutcome(ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true }), false),
      jobOutcome(new Error('boom'), false),
      jobOutcome(new Error('aborted'), true),
    ];
    // then
    expect(outcomes).toEqual(['bpmn_error', 'permanent_error', 'retryable_error', 'invalid_input', 'retryable_error', 'canceled']);
  });
});

describe('registerSealBacklog', () => {
  it('reads the sealer\'s backlog at each scrape, one series per stage', async () => {
    // given
    const registry = new Registry();
    let backlog = { waiting: 3, due: 0, sealing: 1 };
    registerSealBacklog(registry, () => backlog);
    // when
    const first = await registry.getSingleMetricAsString('complaint_bpm_audit_seals_waiting');
    backlog = { waiting: 0, due: 7, sealing: 2 };
    const second = await registry.getSingleMetricAsString('complaint_bpm_audit_seals_waiting');
    // then
    expect(first).toContain('complaint_bpm_audit_seals_waiting{stage="quiet"} 3');
    expect(first).toContain('complaint_bpm_audit_seals_waiting{stage="sealing"} 1');
    expect(second).toContain('complaint_bpm_audit_seals_waiting{stage="due"} 7');
    expect(second).toContain('complaint_bpm_audit_seals_waiting{stage="quiet"} 0');
  });
});
