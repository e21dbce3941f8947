/**
 * Issue 12: every execution and deploy limit is configurable (docs/security.md, "Execution
 * limits"): each variable reaches the limits the service gives its instances and deployments,
 * unset ones give the documented defaults, and a model limit Temporal would refuse is refused.
 */
import { ConfigError, loadConfig } from '../../../server/config';
import { DEFAULT_DEPLOY_LIMITS, DEFAULT_EXECUTION_LIMITS, deployLimits, executionLimits } from '../../../server/limits';

describe('limits from the configuration', () => {
  it('gives the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(executionLimits(config)).toEqual({
      maxActivationsPerStep: 10_000, maxLiveInstances: 2000, maxMultiInstanceCardinality: 1000, maxCallDepth: 5, minTimerCycleMs: 1000,
      feel: { maxNestingDepth: 64, maxIterations: 100_000, maxStringLength: 1_000_000, maxResultItems: 100_000 },
    });
    expect(executionLimits(config)).toEqual(DEFAULT_EXECUTION_LIMITS);
    expect(deployLimits(config)).toEqual(DEFAULT_DEPLOY_LIMITS);
    expect(config).toMatchObject({ BPMN_MAX_BYTES: 2 * 1024 * 1024, COMPILE_TIMEOUT_MS: 30_000, LIMIT_VARIABLE_DEPTH: 32, CANCEL_GRACE_MS: 5000 });
  });

  it('takes each limit from its variable', () => {
    const config = loadConfig({
      LIMIT_STEP_ACTIVATIONS: '50', LIMIT_LIVE_ELEMENTS: '40', LIMIT_MULTI_INSTANCE: '30', LIMIT_CALL_DEPTH: '3', TIMER_MIN_CYCLE_SECONDS: '60',
      LIMIT_FEEL_DEPTH: '16', LIMIT_FEEL_ITERATIONS: '500', LIMIT_FEEL_STRING_LENGTH: '5000', LIMIT_FEEL_RESULT_ITEMS: '700',
      BPMN_MAX_ELEMENTS: '300', BPMN_MAX_MODEL_BYTES: '524288',
    });
    expect(executionLimits(config)).toEqual({
      maxActivationsPerStep: 50, maxLiveInstances: 40, maxMultiInstanceCardinality: 30, maxCallDepth: 3, minTimerCycleMs: 60_000,
      feel: { maxNestingDepth: 16, maxIterations: 500, maxStringLength: 5000, maxResultItems: 700 },
    });
    expect(deployLimits(config)).toEqual({ maxElements: 300, maxModelBytes: 524_288, minTimerCycleMs: 60_000 });
  });

  it('refuses a model limit over what Temporal takes in a workflow input, naming the variable', () => {
    expect(() => loadConfig({ BPMN_MAX_MODEL_BYTES: String(2 * 1024 * 1024) })).toThrow(ConfigError);
    expect(() => loadConfig({ BPMN_MAX_MODEL_BYTES: String(2 * 1024 * 1024) })).toThrow(/BPMN_MAX_MODEL_BYTES/);
  });
});
