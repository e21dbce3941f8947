/**
 * The `patched()` ids of the process instance workflow's main run (processInstance, its
 * InstanceRun and its handlers): each is a change of workflow behaviour that recorded
 * histories must still replay without. Patches of other parts live beside them
 * (effects.ts: job idempotency; signals.ts: signal events).
 */

/**
 * Once continue-as-new is suggested: hold back new jobs (the next run starts them) and do not
 * wait for timers (the next run re-arms them), so that a loop of jobs or a long timer no
 * longer keeps the run from ever being idle enough to continue as new.
 */
export const DEFER_FOR_CONTINUE_AS_NEW = 'defer-jobs-and-rearm-timers-for-continue-as-new';

/**
 * SLA clocks (model.sla, evaluator state.sla) and their escalation commands. Only models with
 * SLA policies ask; a history recorded before this patch never runs clocks.
 */
export const SLA_CLOCKS = 'sla-clocks';

/**
 * Execution limits (issue 12): a step budget, fan-out, multi-instance and FEEL bounds in the
 * evaluator, and the call depth here. Histories recorded before run unbounded, as they did.
 */
export const BOUNDED_EXECUTION = 'bounded-execution';

/**
 * FEEL as Camunda 8.3+ evaluates it: a suppressed failure (missing variable, ...) gives null
 * and an element warning instead of an incident. A history recorded before this patch keeps
 * the strict rule (evaluator state `feelMode: 'strict'`), carried across continue-as-new.
 */
export const FEEL_NULL_FRIENDLY = 'feel-null-friendly';

/**
 * Jobs whose type is not in the activity catalog wait for external workers (the job updates)
 * instead of running as an activity. Only models with such jobs ask; they did not compile
 * before this patch, so no recorded history meets one.
 */
export const EXTERNAL_JOBS = 'external-jobs';

/**
 * Operator operations (decisions 0040, 0041): token modification through the inbox, and
 * migration to another version by continue-as-new with the mapped state. Only updates that
 * did not exist before reach them, so no recorded history meets them; the markers show in
 * history where they first applied.
 */
export const INSTANCE_MODIFICATION = 'instance-modification';
export const INSTANCE_MIGRATION = 'instance-migration';

/**
 * A continue-as-new input over Temporal's payload limit (an instance whose variables grew past
 * 2 MB through what the API cannot refuse: activity results, messages, child results) is a
 * LIMIT_EXCEEDED incident on the process and the run goes on, instead of a continue-as-new the
 * server refuses (the instance then stopped with no incident). Asked only when it is too large.
 */
export const CARRIED_STATE_SIZE = 'carried-state-size';

/**
 * A migration whose continue-as-new input (the target's model, the mapped state and the
 * carried bookkeeping) is over Temporal's payload limit is refused like an unmappable state and
 * the run goes on on its version, instead of a continue-as-new the server refuses (the instance
 * then stalled with the migration's update unanswered). Asked only when it is too large.
 */
export const MIGRATION_CARRIED_SIZE = 'migration-carried-size';
