/**
 * Every jest test runs with API_CHECK_RESPONSES=1 (decision 0048): each 2xx JSON answer of a
 * route is checked against the schema its OpenAPI declaration gives for the status. A misfit
 * answers 500 `response_mismatch`; so that it cannot hide behind a test that does not look at
 * that status (or expects a failure anyway), the test during which it was answered fails here
 * with the operation, the status and the paths at fault. Set before any test file loads the
 * routes; services the tests spawn inherit it.
 */
import { takeResponseMismatches, type ResponseMismatch } from '../../server/http/responseMismatches';

process.env.API_CHECK_RESPONSES = '1';

function failOn(mismatches: ResponseMismatch[], when: string): void {
  if (mismatches.length === 0) return;
  const lines = mismatches.map((m) => `  ${m.operationId} ${m.status}: ${m.issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
  throw new Error(`API answers that do not fit their declared response schema ${when} (decision 0048):\n${lines.join('\n')}`);
}

beforeEach(() => {
  // Answers of a beforeAll belong to the first test's report.
  failOn(takeResponseMismatches(), 'before this test');
});

afterEach(() => {
  failOn(takeResponseMismatches(), 'during this test');
});

afterAll(() => {
  failOn(takeResponseMismatches(), 'after the last test');
});
