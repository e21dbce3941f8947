/**
 * The rules we run, in the editor and at deploy, and how severe each is. Our own rules
 * live in the `complaint` plugin namespace (bpmnlint-plugin-complaint); the others are
 * bpmnlint built-ins. Structural errors the evaluator depends on (start events, dead
 * ends, links, event-based gateway targets) are compile errors, not lint rules, so they
 * cannot be switched off here.
 */
export const LINT_CONFIG = {
  rules: {
    'complaint/gateway-flow-conditions': 'error',
    'complaint/default-flow-without-condition': 'warn',
    'complaint/condition-after-gateway': 'warn',
    'complaint/gateway-flow-label': 'warn',
    'complaint/task-label-required': 'warn',
    'complaint/sla-policy-complete': 'error',
    // Info for the designer while drawing; at deploy the compiler's own warning (against its task types) stands.
    'complaint/external-job-type': 'warn',
    'end-event-required': 'warn',
    'fake-join': 'warn',
    'no-duplicate-sequence-flows': 'warn',
    'no-gateway-join-fork': 'warn',
    'no-implicit-end': 'warn',
    'no-implicit-split': 'warn',
    'superfluous-gateway': 'warn',
    'superfluous-termination': 'warn',
  },
} as const;
